//! Reading a history from the AWS CLI's JSON straight into `HistoryEvent`s: serde visitors over
//! the text or a stream, with no `serde_json::Value` tree in between and every string moved,
//! not copied, into its event, so memory follows what is kept rather than a multiple of the
//! file. Refuses what cannot be right in an event or across events; errors name the event's
//! index, its id and the field.

use crate::domain::history::{EventDetails, EventType, HistoryEvent};
use crate::domain::time::{millis_from_epoch_seconds, parse_timestamp_text};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Why a history could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The stream failed (the caller knows which file or pipe it was).
    Io(std::io::Error),
    /// The text is not a history: not JSON, or an event that cannot be right.
    Invalid(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::Invalid(message) => f.write_str(message),
        }
    }
}

/// Parses the AWS CLI's JSON; errors name the event index and the field that is wrong.
///
/// Accepts `{"events": [...], "nextToken": ...}` (what the CLI prints) or a bare array of
/// events. Every `…EventDetails` object of an event is folded into the flat `EventDetails`, so
/// event types this code does not know yet still keep their name, error and cause.
pub fn parse_history(json: &str) -> Result<Vec<HistoryEvent>, String> {
    let events = serde_json::from_str::<Events>(json).map_err(|e| invalid(e).to_string())?;
    check_unique_ids(&events.0)?;
    Ok(events.0)
}

/// `parse_history` from a stream, which is read to its end but never held whole: give it a
/// buffered reader, bounded by the caller if the source may be endless.
pub fn read_history(reader: impl std::io::Read) -> Result<Vec<HistoryEvent>, ReadError> {
    let events = serde_json::from_reader::<_, Events>(reader).map_err(invalid)?;
    check_unique_ids(&events.0).map_err(ReadError::Invalid)?;
    Ok(events.0)
}

fn invalid(error: serde_json::Error) -> ReadError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Io => ReadError::Io(error.into()),
        Category::Syntax | Category::Eof => ReadError::Invalid(format!("not valid JSON: {error}")),
        // Our own messages (and serde's about shapes), with the line and column appended.
        Category::Data => ReadError::Invalid(error.to_string()),
    }
}

/// Events are numbered once each: a second event with an id would be silently dropped by the
/// builder (it takes a repeated id for a page fetched twice), leaving a state running inside
/// a finished execution.
fn check_unique_ids(events: &[HistoryEvent]) -> Result<(), String> {
    let mut ids: Vec<(i64, usize)> = events.iter().map(|e| e.id).zip(0..).collect();
    ids.sort_unstable();
    match ids.windows(2).find(|w| w[0].0 == w[1].0) {
        None => Ok(()),
        Some(w) => Err(format!(
            "event #{} (id {}): the id is used again (first by event #{}); every event of a \
             history has an id of its own",
            w[1].1, w[1].0, w[0].1
        )),
    }
}

/// The whole document: `{"events": [...], …}` or a bare array of events.
struct Events(Vec<HistoryEvent>);

impl<'de> Deserialize<'de> for Events {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RootVisitor)
    }
}

struct RootVisitor;

impl<'de> Visitor<'de> for RootVisitor {
    type Value = Events;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with an `events` array or an array of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Events, A::Error> {
        EventListVisitor.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Events, A::Error> {
        let mut events = None;
        while let Some(key) = map.next_key::<RootKey>()? {
            match key {
                RootKey::Events if events.is_some() => {
                    return Err(de::Error::custom("`events` appears twice"));
                }
                RootKey::Events => events = Some(map.next_value::<EventList>()?.0),
                RootKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        events.map(Events).ok_or_else(|| {
            de::Error::custom(
                "expected the output of `aws stepfunctions get-execution-history`: an object \
                 with an `events` array (or a bare array of events)",
            )
        })
    }
}

enum RootKey {
    Events,
    Other,
}

impl<'de> Deserialize<'de> for RootKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RootKeyVisitor;
        impl<'de> Visitor<'de> for RootKeyVisitor {
            type Value = RootKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<RootKey, E> {
                Ok(match key {
                    "events" => RootKey::Events,
                    _ => RootKey::Other,
                })
            }
        }
        deserializer.deserialize_str(RootKeyVisitor)
    }
}

/// The value of `events`, which must be an array.
struct EventList(Vec<HistoryEvent>);

impl<'de> Deserialize<'de> for EventList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(EventList(deserializer.deserialize_any(EventListVisitor)?.0))
    }
}

struct EventListVisitor;

impl<'de> Visitor<'de> for EventListVisitor {
    type Value = Events;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`events` to be an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Events, A::Error> {
        let mut events = Vec::new();
        while let Some(event) = seq.next_element_seed(EventSeed {
            index: events.len(),
        })? {
            events.push(event);
        }
        Ok(Events(events))
    }
}

/// One event, known by its position in the array until its id is read.
struct EventSeed {
    index: usize,
}

impl<'de> DeserializeSeed<'de> for EventSeed {
    type Value = HistoryEvent;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<HistoryEvent, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EventSeed {
    type Value = HistoryEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event #{} to be an object", self.index)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HistoryEvent, A::Error> {
        let mut raw = RawEvent::default();
        while let Some(key) = map.next_key::<EventKey>()? {
            match key {
                EventKey::Id => raw.id = Some(map.next_value()?),
                EventKey::PreviousEventId => raw.previous_event_id = Some(map.next_value()?),
                EventKey::Type => raw.event_type = Some(map.next_value()?),
                EventKey::Timestamp => raw.timestamp = Some(map.next_value()?),
                EventKey::Details(key) => raw.details.push((key, map.next_value()?)),
                EventKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // Fields come in any order: the event is checked once all of it is known.
        raw.into_event(self.index).map_err(de::Error::custom)
    }
}

/// The fields of an event as found, before they are checked.
#[derive(Default)]
struct RawEvent {
    id: Option<Scalar>,
    previous_event_id: Option<Scalar>,
    event_type: Option<Scalar>,
    timestamp: Option<Scalar>,
    /// Every `…EventDetails` key, in the order of the file.
    details: Vec<(String, RawDetails)>,
}

impl RawEvent {
    fn into_event(self, index: usize) -> Result<HistoryEvent, String> {
        let at = |field: &str, problem: &str| format!("event #{index}: `{field}` {problem}");
        let id = match self.id {
            None => return Err(at("id", "is missing")),
            Some(value) => match value.integer() {
                Some(id) if id >= 1 => id,
                _ => return Err(at("id", "must be a positive integer")),
            },
        };
        // From here on the id is the more useful handle for a reader of the file.
        let at =
            |field: &str, problem: &str| format!("event #{index} (id {id}): `{field}` {problem}");
        let previous_event_id = match self.previous_event_id {
            None | Some(Scalar::Null) => 0,
            Some(value) => match value.integer() {
                Some(previous) if previous >= 0 => previous,
                _ => return Err(at("previousEventId", "must be a non-negative integer")),
            },
        };
        let event_type = match self.event_type {
            Some(Scalar::Text(name)) => EventType::parse(&name),
            Some(_) => return Err(at("type", "must be a string")),
            None => return Err(at("type", "is missing")),
        };
        let timestamp = match self.timestamp {
            None => return Err(at("timestamp", "is missing")),
            Some(value) => value.timestamp().ok_or_else(|| {
                at(
                    "timestamp",
                    "must be an ISO-8601 string or a number of epoch seconds, from 1970 to 9999",
                )
            })?,
        };
        let mut details = EventDetails::default();
        for (key, raw) in self.details {
            match raw {
                RawDetails::Null => {}
                RawDetails::NotAnObject => return Err(at(&key, "must be an object")),
                RawDetails::Fields(fields) => fields
                    .merge_into(&mut details)
                    .map_err(|(field, problem)| at(&format!("{key}.{field}"), problem))?,
            }
        }
        Ok(HistoryEvent {
            id,
            previous_event_id,
            timestamp,
            event_type,
            details,
        })
    }
}

enum EventKey {
    Id,
    PreviousEventId,
    Type,
    Timestamp,
    Details(String),
    Other,
}

impl<'de> Deserialize<'de> for EventKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EventKeyVisitor;
        impl<'de> Visitor<'de> for EventKeyVisitor {
            type Value = EventKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<EventKey, E> {
                Ok(match key {
                    "id" => EventKey::Id,
                    "previousEventId" => EventKey::PreviousEventId,
                    "type" => EventKey::Type,
                    "timestamp" => EventKey::Timestamp,
                    key if key.ends_with("EventDetails") => EventKey::Details(key.to_string()),
                    _ => EventKey::Other,
                })
            }
        }
        deserializer.deserialize_str(EventKeyVisitor)
    }
}

/// Any JSON value, kept only when it is a scalar: the reader checks types itself so that its
/// errors can name the event and the field. Arrays and objects are skipped, not built.
enum Scalar {
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
    fn integer(&self) -> Option<i64> {
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

    fn timestamp(&self) -> Option<crate::domain::Millis> {
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
enum RawDetails {
    Null,
    NotAnObject,
    Fields(Box<DetailFields>),
}

#[derive(Default)]
struct DetailFields {
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
    fn merge_into(self: Box<Self>, details: &mut EventDetails) -> Result<(), FieldProblem> {
        let this = *self;
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
        ] = this.text;
        let d = &mut *details;
        for (field, value, slot) in [
            ("name", name, &mut d.name),
            ("input", input, &mut d.input),
            ("output", output, &mut d.output),
            ("error", error, &mut d.error),
            ("cause", cause, &mut d.cause),
            ("resourceType", resource_type, &mut d.resource_type),
            ("resource", resource, &mut d.resource),
            ("parameters", parameters, &mut d.parameters),
            ("roleArn", role_arn, &mut d.role_arn),
            ("region", region, &mut d.region),
            ("workerName", worker_name, &mut d.worker_name),
            (
                "stateMachineAliasArn",
                alias,
                &mut d.state_machine_alias_arn,
            ),
            (
                "stateMachineVersionArn",
                version,
                &mut d.state_machine_version_arn,
            ),
            ("location", location, &mut d.location),
            ("mapRunArn", map_run_arn, &mut d.map_run_arn),
        ] {
            set_text(field, value, slot)?;
        }
        // `EvaluationFailed` names its state `state`; AWS gives one or the other.
        set_text("state", state, &mut details.name)?;
        let [index, length, redrive_count] = this.counts;
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
        let [timeout, heartbeat] = this.seconds;
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
        ] = this.nested;
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
