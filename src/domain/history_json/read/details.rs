//! The values inside an event as the reader finds them, before they are checked: scalars
//! (kept with their JSON type, so errors can name the field), the `…EventDetails` objects with
//! every field the model keeps, by its AWS name, and the small objects nested in them.

use crate::domain::history::EventDetails;
use crate::domain::time::{millis_from_epoch_seconds, parse_timestamp_text};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Any JSON value, kept only when it is a scalar: the reader checks types itself so that its
/// errors can name the event and the field. Arrays and objects are skipped, not built.
pub(super) enum Scalar {
    Null,
    Bool(bool),
    Integer(i64),
    Unsigned(u64),
    Float(f64),
    Text(String),
    Compound,
}

impl Scalar {
    /// Ids are integers; tolerate them written as strings of digits, as some tools re-export
    /// them.
    pub(super) fn integer(&self) -> Option<i64> {
        match self {
            Scalar::Integer(n) => Some(*n),
            Scalar::Unsigned(n) => i64::try_from(*n).ok(),
            Scalar::Text(text) => text.parse().ok(),
            _ => None,
        }
    }

    fn count(&self) -> Option<u32> {
        match self {
            Scalar::Integer(n) => u32::try_from(*n).ok(),
            Scalar::Unsigned(n) => u32::try_from(*n).ok(),
            _ => None,
        }
    }

    pub(super) fn timestamp(&self) -> Option<crate::domain::Millis> {
        match self {
            Scalar::Integer(seconds) => millis_from_epoch_seconds(*seconds as f64),
            Scalar::Unsigned(seconds) => millis_from_epoch_seconds(*seconds as f64),
            Scalar::Float(seconds) => millis_from_epoch_seconds(*seconds),
            Scalar::Text(text) => parse_timestamp_text(text),
            Scalar::Null | Scalar::Bool(_) | Scalar::Compound => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar, E> {
        Ok(Scalar::Integer(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(n))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(text.to_string()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Compound)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Compound)
    }
}

/// The text fields of `EventDetails`, by their AWS names (`state` is `EvaluationFailed`'s
/// name for the state, kept as `name` like every other event's).
const TEXT_FIELDS: [&str; 16] = [
    "name",
    "input",
    "output",
    "error",
    "cause",
    "resourceType",
    "resource",
    "parameters",
    "roleArn",
    "region",
    "workerName",
    "stateMachineAliasArn",
    "stateMachineVersionArn",
    "location",
    "mapRunArn",
    "state",
];

/// The counts of `EventDetails`, by their AWS names: iteration index, Map length, redrives.
const COUNT_FIELDS: [&str; 3] = ["index", "length", "redriveCount"];

/// Seconds, which AWS writes as integers (`null` when not configured).
const SECONDS_FIELDS: [&str; 2] = ["timeoutInSeconds", "heartbeatInSeconds"];

/// Objects nested in a details object: `{"truncated": bool}` (three of them), the task's
/// credentials `{"roleArn": …}`, and the assigned variables (name -> JSON text).
const NESTED_FIELDS: [&str; 5] = [
    "inputDetails",
    "outputDetails",
    "assignedVariablesDetails",
    "taskCredentials",
    "assignedVariables",
];

/// A `…EventDetails` value as found.
pub(super) enum RawDetails {
    Null,
    NotAnObject,
    Fields(Box<DetailFields>),
}

#[derive(Default)]
pub(super) struct DetailFields {
    /// In the order of `TEXT_FIELDS`.
    text: [Option<Scalar>; 16],
    /// In the order of `COUNT_FIELDS`.
    counts: [Option<Scalar>; 3],
    /// In the order of `SECONDS_FIELDS`.
    seconds: [Option<Scalar>; 2],
    /// In the order of `NESTED_FIELDS`.
    nested: [Option<Nested>; 5],
}

/// A small object nested in a details object, as found: its scalar fields, or not an object.
enum Nested {
    Null,
    NotAnObject,
    Fields(Vec<(String, Scalar)>),
}

type FieldProblem = (String, &'static str);

impl DetailFields {
    /// Folds these fields into `details` (later objects win, as in the file's order).
    pub(super) fn merge_into(
        self: Box<Self>,
        details: &mut EventDetails,
    ) -> Result<(), FieldProblem> {
        // Taken field by field from the box: moving the whole of it (or an array of every
        // field with its slot) onto the stack was a tenth of reading a history.
        let mut this = self;
        let [
            name,
            input,
            output,
            error,
            cause,
            resource_type,
            resource,
            parameters,
            role_arn,
            region,
            worker_name,
            alias,
            version,
            location,
            map_run_arn,
            state,
        ] = &mut this.text;
        let d = &mut *details;
        set_text("name", name.take(), &mut d.name)?;
        set_text("input", input.take(), &mut d.input)?;
        set_text("output", output.take(), &mut d.output)?;
        set_text("error", error.take(), &mut d.error)?;
        set_text("cause", cause.take(), &mut d.cause)?;
        set_text("resourceType", resource_type.take(), &mut d.resource_type)?;
        set_text("resource", resource.take(), &mut d.resource)?;
        set_text("parameters", parameters.take(), &mut d.parameters)?;
        set_text("roleArn", role_arn.take(), &mut d.role_arn)?;
        set_text("region", region.take(), &mut d.region)?;
        set_text("workerName", worker_name.take(), &mut d.worker_name)?;
        set_text(
            "stateMachineAliasArn",
            alias.take(),
            &mut d.state_machine_alias_arn,
        )?;
        set_text(
            "stateMachineVersionArn",
            version.take(),
            &mut d.state_machine_version_arn,
        )?;
        set_text("location", location.take(), &mut d.location)?;
        set_text("mapRunArn", map_run_arn.take(), &mut d.map_run_arn)?;
        let state = state.take();
        // `EvaluationFailed` names its state `state`; AWS gives one or the other.
        set_text("state", state, &mut details.name)?;
        let [index, length, redrive_count] = std::mem::take(&mut this.counts);
        for (field, value, slot) in [
            ("index", index, &mut details.index),
            ("length", length, &mut details.length),
            ("redriveCount", redrive_count, &mut details.redrive_count),
        ] {
            match value {
                None | Some(Scalar::Null) => {}
                Some(value) => {
                    *slot = Some(
                        value
                            .count()
                            .ok_or_else(|| (field.to_string(), "must be a non-negative integer"))?,
                    )
                }
            }
        }
        let [timeout, heartbeat] = std::mem::take(&mut this.seconds);
        for (field, value, slot) in [
            ("timeoutInSeconds", timeout, &mut details.timeout_in_seconds),
            (
                "heartbeatInSeconds",
                heartbeat,
                &mut details.heartbeat_in_seconds,
            ),
        ] {
            match value {
                None | Some(Scalar::Null) => {}
                Some(value @ (Scalar::Integer(_) | Scalar::Unsigned(_))) => match value.integer() {
                    Some(n) if n >= 0 => *slot = Some(n),
                    _ => return Err((field.to_string(), "must be a non-negative integer")),
                },
                Some(_) => return Err((field.to_string(), "must be a non-negative integer")),
            }
        }
        let [
            input_details,
            output_details,
            variables_details,
            credentials,
            variables,
        ] = std::mem::take(&mut this.nested);
        for (field, value, slot) in [
            ("inputDetails", input_details, &mut details.input_truncated),
            (
                "outputDetails",
                output_details,
                &mut details.output_truncated,
            ),
            (
                "assignedVariablesDetails",
                variables_details,
                &mut details.assigned_variables_truncated,
            ),
        ] {
            for (key, value) in nested_fields(field, value)? {
                match (key.as_str(), value) {
                    ("truncated", Scalar::Bool(b)) => *slot = b,
                    ("truncated", Scalar::Null) => {}
                    ("truncated", _) => {
                        return Err((format!("{field}.truncated"), "must be true or false"));
                    }
                    _ => {}
                }
            }
        }
        for (key, value) in nested_fields("taskCredentials", credentials)? {
            if key == "roleArn" {
                let field = "taskCredentials.roleArn";
                set_text(field, Some(value), &mut details.role_arn)?;
            }
        }
        for (key, value) in nested_fields("assignedVariables", variables)? {
            match value {
                Scalar::Text(text) => {
                    details.assigned_variables.insert(key, text);
                }
                _ => return Err((format!("assignedVariables.{key}"), "must be a string")),
            }
        }
        Ok(())
    }
}

fn set_text(
    field: &str,
    value: Option<Scalar>,
    slot: &mut Option<String>,
) -> Result<(), FieldProblem> {
    match value {
        None | Some(Scalar::Null) => Ok(()),
        Some(Scalar::Text(text)) => {
            *slot = Some(text);
            Ok(())
        }
        Some(_) => Err((field.to_string(), "must be a string")),
    }
}

fn nested_fields(
    field: &str,
    value: Option<Nested>,
) -> Result<Vec<(String, Scalar)>, FieldProblem> {
    match value {
        None | Some(Nested::Null) => Ok(Vec::new()),
        Some(Nested::NotAnObject) => Err((field.to_string(), "must be an object")),
        Some(Nested::Fields(fields)) => Ok(fields),
    }
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NestedVisitor)
    }
}

struct NestedVisitor;

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Nested;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Nested, E> {
        Ok(Nested::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Nested, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Scalar>()? {
            fields.push((key, value));
        }
        Ok(Nested::Fields(fields))
    }

    // Any other value is the wrong shape: reported once the event's id is known.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Nested, E> {
        Ok(Nested::NotAnObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Nested, E> {
        Ok(Nested::NotAnObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Nested, E> {
        Ok(Nested::NotAnObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Nested, E> {
        Ok(Nested::NotAnObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Nested, E> {
        Ok(Nested::NotAnObject)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Nested::NotAnObject)
    }
}

impl<'de> Deserialize<'de> for RawDetails {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DetailsVisitor)
    }
}

struct DetailsVisitor;

impl<'de> Visitor<'de> for DetailsVisitor {
    type Value = RawDetails;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<RawDetails, E> {
        Ok(RawDetails::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDetails, A::Error> {
        let mut fields = Box::<DetailFields>::default();
        while let Some(key) = map.next_key::<DetailKey>()? {
            let slot = match key {
                DetailKey::Text(i) => &mut fields.text[i],
                DetailKey::Count(i) => &mut fields.counts[i],
                DetailKey::Seconds(i) => &mut fields.seconds[i],
                DetailKey::Nested(i) => {
                    fields.nested[i] = Some(map.next_value()?);
                    continue;
                }
                DetailKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(RawDetails::Fields(fields))
    }

    // Any other value is the wrong shape: skipped here, reported once the event's id is known.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawDetails, E> {
        Ok(RawDetails::NotAnObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawDetails, E> {
        Ok(RawDetails::NotAnObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawDetails, E> {
        Ok(RawDetails::NotAnObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawDetails, E> {
        Ok(RawDetails::NotAnObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<RawDetails, E> {
        Ok(RawDetails::NotAnObject)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawDetails, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RawDetails::NotAnObject)
    }
}

enum DetailKey {
    Text(usize),
    Count(usize),
    Seconds(usize),
    Nested(usize),
    Other,
}

impl<'de> Deserialize<'de> for DetailKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DetailKeyVisitor;
        impl<'de> Visitor<'de> for DetailKeyVisitor {
            type Value = DetailKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<DetailKey, E> {
                let find = |names: &[&str]| names.iter().position(|&name| name == key);
                Ok(if let Some(i) = find(&TEXT_FIELDS) {
                    DetailKey::Text(i)
                } else if let Some(i) = find(&COUNT_FIELDS) {
                    DetailKey::Count(i)
                } else if let Some(i) = find(&SECONDS_FIELDS) {
                    DetailKey::Seconds(i)
                } else if let Some(i) = find(&NESTED_FIELDS) {
                    DetailKey::Nested(i)
                } else {
                    DetailKey::Other
                })
            }
        }
        deserializer.deserialize_str(DetailKeyVisitor)
    }
}
