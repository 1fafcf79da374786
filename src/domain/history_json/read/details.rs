//! The values inside an event as the reader finds them: scalars (kept with their JSON type,
//! so errors can name the field), and the `…EventDetails` objects, whose every field the model
//! keeps (by its AWS name) is written straight into the event's `EventDetails`, with the small
//! objects nested in them.

use crate::domain::history::EventDetails;
use crate::domain::time::{millis_from_epoch_seconds, parse_timestamp_text};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
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

impl Scalar {
    /// Reads a value, giving `read(text)` for a string, without a copy of it, and any other
    /// value as a `Scalar`.
    pub(super) fn deserialize_text_with<'de, D: Deserializer<'de>, T>(
        deserializer: D,
        read: fn(&str) -> T,
    ) -> Result<Result<T, Scalar>, D::Error> {
        deserializer.deserialize_any(TextWith(read))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(
            match Scalar::deserialize_text_with(deserializer, str::to_owned)? {
                Ok(text) => Scalar::Text(text),
                Err(other) => other,
            },
        )
    }
}

/// Any JSON value: a string handed to the function, the rest as a `Scalar` (arrays and
/// objects skipped, not built).
struct TextWith<T>(fn(&str) -> T);

impl<'de, T> Visitor<'de> for TextWith<T> {
    type Value = Result<T, Scalar>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Ok((self.0)(text)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(Scalar::Null))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Err(Scalar::Bool(b)))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Err(Scalar::Integer(n)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Err(Scalar::Unsigned(n)))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Err(Scalar::Float(n)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(Scalar::Compound))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err(Scalar::Compound))
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

/// What is wrong with a field (its path inside the details object, empty for the object
/// itself, and the problem), reported once the event's id is known.
pub(super) type FieldProblem = (String, &'static str);

/// Reads a `…EventDetails` value into `into` (later objects of an event overwrite what earlier
/// ones set, as the file orders them). A field of the wrong type is skipped and the first such
/// problem kept in `problem`: the event is read to its end so that its id can name it.
pub(super) struct DetailsSeed<'a> {
    pub(super) into: &'a mut EventDetails,
    pub(super) problem: &'a mut Option<FieldProblem>,
}

impl DetailsSeed<'_> {
    fn note(&mut self, field: impl FnOnce() -> String, what: &'static str) {
        if self.problem.is_none() {
            *self.problem = Some((field(), what));
        }
    }
}

impl<'de> DeserializeSeed<'de> for DetailsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DetailsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<DetailKey>()? {
            match key {
                DetailKey::Text(i) => {
                    let slot = text_slot(self.into, i);
                    if !map.next_value_seed(TextSeed { slot })? {
                        self.note(|| TEXT_FIELDS[i].to_string(), "must be a string");
                    }
                }
                DetailKey::Count(i) => {
                    let value: Scalar = map.next_value()?;
                    let d = &mut *self.into;
                    let slot = match i {
                        0 => &mut d.index,
                        1 => &mut d.length,
                        _ => &mut d.redrive_count,
                    };
                    match value {
                        Scalar::Null => {}
                        value => match value.count() {
                            Some(count) => *slot = Some(count),
                            None => self.note(
                                || COUNT_FIELDS[i].to_string(),
                                "must be a non-negative integer",
                            ),
                        },
                    }
                }
                DetailKey::Seconds(i) => {
                    let value: Scalar = map.next_value()?;
                    let d = &mut *self.into;
                    let slot = match i {
                        0 => &mut d.timeout_in_seconds,
                        _ => &mut d.heartbeat_in_seconds,
                    };
                    match value {
                        Scalar::Null => {}
                        Scalar::Integer(n) if n >= 0 => *slot = Some(n),
                        Scalar::Unsigned(n) if i64::try_from(n).is_ok() => *slot = Some(n as i64),
                        _ => self.note(
                            || SECONDS_FIELDS[i].to_string(),
                            "must be a non-negative integer",
                        ),
                    }
                }
                DetailKey::Nested(i) => {
                    let d = &mut *self.into;
                    let into = match i {
                        0 => Nested::Truncated(&mut d.input_truncated),
                        1 => Nested::Truncated(&mut d.output_truncated),
                        2 => Nested::Truncated(&mut d.assigned_variables_truncated),
                        3 => Nested::Credentials(&mut d.role_arn),
                        _ => Nested::Variables(&mut d.assigned_variables),
                    };
                    if let Some((field, what)) = map.next_value_seed(NestedSeed { into })? {
                        let name = NESTED_FIELDS[i];
                        self.note(
                            || match field {
                                Some(field) => format!("{name}.{field}"),
                                None => name.to_string(),
                            },
                            what,
                        );
                    }
                }
                DetailKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    // Any other value is the wrong shape: skipped here, reported once the event's id is known.
    fn visit_bool<E: de::Error>(mut self, _: bool) -> Result<(), E> {
        self.note(String::new, "must be an object");
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, _: i64) -> Result<(), E> {
        self.note(String::new, "must be an object");
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, _: u64) -> Result<(), E> {
        self.note(String::new, "must be an object");
        Ok(())
    }

    fn visit_f64<E: de::Error>(mut self, _: f64) -> Result<(), E> {
        self.note(String::new, "must be an object");
        Ok(())
    }

    fn visit_str<E: de::Error>(mut self, _: &str) -> Result<(), E> {
        self.note(String::new, "must be an object");
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.note(String::new, "must be an object");
        Ok(())
    }
}

/// The field of `EventDetails` a text field goes to, by its place in `TEXT_FIELDS`
/// (`EvaluationFailed` names its state `state`; AWS gives one or the other).
fn text_slot(d: &mut EventDetails, field: usize) -> &mut Option<String> {
    match field {
        0 | 15 => &mut d.name,
        1 => &mut d.input,
        2 => &mut d.output,
        3 => &mut d.error,
        4 => &mut d.cause,
        5 => &mut d.resource_type,
        6 => &mut d.resource,
        7 => &mut d.parameters,
        8 => &mut d.role_arn,
        9 => &mut d.region,
        10 => &mut d.worker_name,
        11 => &mut d.state_machine_alias_arn,
        12 => &mut d.state_machine_version_arn,
        13 => &mut d.location,
        _ => &mut d.map_run_arn,
    }
}

/// A string value into its slot (`null` leaves the slot as it is). Gives false for any other
/// type, which is skipped.
struct TextSeed<'a> {
    slot: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for TextSeed<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        Ok(
            match Scalar::deserialize_text_with(deserializer, str::to_owned)? {
                Ok(text) => {
                    *self.slot = Some(text);
                    true
                }
                Err(Scalar::Null) => true,
                Err(_) => false,
            },
        )
    }
}

/// Whether a key is the one named, read without a copy of it.
struct KeyIs(&'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// Where the fields of a small object nested in a details object go.
enum Nested<'a> {
    /// `{"truncated": bool}` (`inputDetails`, `outputDetails`, `assignedVariablesDetails`).
    Truncated(&'a mut bool),
    /// `taskCredentials`: `{"roleArn": …}`.
    Credentials(&'a mut Option<String>),
    /// `assignedVariables`: name -> JSON text.
    Variables(&'a mut BTreeMap<String, String>),
}

/// A nested object read into its fields; gives what is wrong with it, if anything (the field
/// inside it, or none for the object itself), skipping what is.
struct NestedSeed<'a> {
    into: Nested<'a>,
}

type NestedProblem = Option<(Option<String>, &'static str)>;

impl<'de> DeserializeSeed<'de> for NestedSeed<'_> {
    type Value = NestedProblem;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<NestedProblem, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NestedSeed<'_> {
    type Value = NestedProblem;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<NestedProblem, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NestedProblem, A::Error> {
        let mut problem = None;
        let mut note = |field: &str, what| {
            if problem.is_none() {
                problem = Some((Some(field.to_string()), what));
            }
        };
        match self.into {
            Nested::Truncated(into) => {
                while let Some(is_truncated) = map.next_key_seed(KeyIs("truncated"))? {
                    if !is_truncated {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                    match map.next_value::<Scalar>()? {
                        Scalar::Bool(b) => *into = b,
                        Scalar::Null => {}
                        _ => note("truncated", "must be true or false"),
                    }
                }
            }
            Nested::Credentials(into) => {
                while let Some(is_role) = map.next_key_seed(KeyIs("roleArn"))? {
                    if !is_role {
                        map.next_value::<IgnoredAny>()?;
                    } else if !map.next_value_seed(TextSeed { slot: &mut *into })? {
                        note("roleArn", "must be a string");
                    }
                }
            }
            Nested::Variables(into) => {
                while let Some(name) = map.next_key::<String>()? {
                    let mut value = None;
                    if map.next_value_seed(TextSeed { slot: &mut value })?
                        && let Some(value) = value
                    {
                        into.insert(name, value);
                    } else {
                        note(&name, "must be a string");
                    }
                }
            }
        }
        Ok(problem)
    }

    // Any other value is the wrong shape: reported once the event's id is known.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<NestedProblem, E> {
        Ok(Some((None, "must be an object")))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<NestedProblem, E> {
        Ok(Some((None, "must be an object")))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<NestedProblem, E> {
        Ok(Some((None, "must be an object")))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<NestedProblem, E> {
        Ok(Some((None, "must be an object")))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<NestedProblem, E> {
        Ok(Some((None, "must be an object")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NestedProblem, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Some((None, "must be an object")))
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
