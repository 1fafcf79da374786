//! Reading a history from the AWS CLI's JSON straight into `HistoryEvent`s: serde visitors over
//! the text or a stream, with no `serde_json::Value` tree in between, the `…EventDetails` read
//! into the event in place and each string copied once, from the text into its field, so
//! memory follows what is kept rather than a multiple of the file. Refuses what cannot be
//! right in an event or across events; errors name the event's index, its id and the field.

use crate::domain::history::{EventDetails, EventType, HistoryEvent};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

mod details;

use crate::domain::time::parse_timestamp_text;
use details::{DetailsSeed, Scalar};

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
    parse_history_bytes(json.as_bytes()).map_err(|e| e.to_string())
}

/// `parse_history` of bytes (UTF-8 JSON), as read from a file: the fastest way in (the parser
/// scans a slice far faster than a stream), at the cost of holding the text while the events
/// are built.
pub fn parse_history_bytes(json: &[u8]) -> Result<Vec<HistoryEvent>, ReadError> {
    let mut events = Vec::with_capacity(events_in(json));
    for_each_event(json, &mut |event| {
        events.push(std::mem::replace(event, blank_event()));
        Ok(())
    })?;
    check_unique_ids(&events).map_err(ReadError::Invalid)?;
    Ok(events)
}

/// `parse_history_bytes` handing each event to `sink` as it is read, in the file's order,
/// instead of keeping them all (ids are not checked for repeats: that needs them all). Stops
/// at the sink's first error, which becomes the read's, with where it happened.
pub fn for_each_event(
    json: &[u8],
    sink: &mut dyn FnMut(&mut HistoryEvent) -> Result<(), String>,
) -> Result<(), ReadError> {
    // One check of the whole text is far cheaper than one per string, which is what the
    // parser of a byte slice does.
    let text = std::str::from_utf8(json)
        .map_err(|e| ReadError::Invalid(format!("not valid JSON: the text is not UTF-8 ({e})")))?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    EventsSeed { sink }
        .deserialize(&mut deserializer)
        .map_err(invalid)?;
    deserializer.end().map_err(invalid)
}

/// How many events a text holds, about: every event has one `"timestamp"` key, and a key in
/// a payload (a string inside a string) is escaped, `\"timestamp\"`, so does not count. The
/// event list is reserved once at that size: growing it by doubling copied and faulted in
/// more memory than the events themselves take (an event is ~700 bytes in the model).
pub fn events_in(json: &[u8]) -> usize {
    const MOST_RESERVED: usize = 100_000;
    memchr::memmem::find_iter(json, b"\"timestamp\"")
        .take(MOST_RESERVED)
        .count()
}

/// `parse_history` from a stream, which is read to its end but never held whole: give it a
/// buffered reader, bounded by the caller if the source may be endless.
pub fn read_history(reader: impl std::io::Read) -> Result<Vec<HistoryEvent>, ReadError> {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut events = Vec::new();
    let sink = &mut |event: &mut HistoryEvent| {
        events.push(std::mem::replace(event, blank_event()));
        Ok(())
    };
    EventsSeed { sink }
        .deserialize(&mut deserializer)
        .map_err(invalid)?;
    deserializer.end().map_err(invalid)?;
    check_unique_ids(&events).map_err(ReadError::Invalid)?;
    Ok(events)
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

/// Where the events go as they are read.
/// Each event is read into one `HistoryEvent` the sink may take or leave: ~550 bytes built in
/// place, not moved out through the parser's layers (those moves were a tenth of a read).
type Sink<'s> = &'s mut dyn FnMut(&mut HistoryEvent) -> Result<(), String>;

/// Reads the whole document, `{"events": [...], …}` or a bare array of events, handing each
/// event to the sink.
struct EventsSeed<'s> {
    sink: Sink<'s>,
}

impl<'de> DeserializeSeed<'de> for EventsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(RootVisitor { sink: self.sink })
    }
}

struct RootVisitor<'s> {
    sink: Sink<'s>,
}

impl<'de> Visitor<'de> for RootVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with an `events` array or an array of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        EventListVisitor { sink: self.sink }.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<RootKey>()? {
            match key {
                RootKey::Events if found => {
                    return Err(de::Error::custom("`events` appears twice"));
                }
                RootKey::Events => {
                    map.next_value_seed(EventListVisitor {
                        sink: &mut *self.sink,
                    })?;
                    found = true;
                }
                RootKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if found {
            Ok(())
        } else {
            Err(de::Error::custom(
                "expected the output of `aws stepfunctions get-execution-history`: an object \
                 with an `events` array (or a bare array of events)",
            ))
        }
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

/// The value of `events`, which must be an array: each event goes to the sink.
struct EventListVisitor<'s> {
    sink: Sink<'s>,
}

impl<'de> DeserializeSeed<'de> for EventListVisitor<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EventListVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`events` to be an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut event = blank_event();
        let mut index = 0;
        while let Some(()) = seq.next_element_seed(EventSeed {
            index,
            into: &mut event,
        })? {
            (self.sink)(&mut event).map_err(de::Error::custom)?;
            index += 1;
        }
        Ok(())
    }
}

/// An event to read into (every field is written before a sink sees it).
fn blank_event() -> HistoryEvent {
    HistoryEvent::new(0, 0, 0, EventType::Other(String::new()))
}

/// One event, known by its position in the array until its id is read, read into `into`
/// (whatever it held before is replaced).
struct EventSeed<'e> {
    index: usize,
    into: &'e mut HistoryEvent,
}

impl<'de> DeserializeSeed<'de> for EventSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EventSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event #{} to be an object", self.index)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut raw = RawEvent::default();
        // The details are read straight into the event; the rest is checked once all of it
        // is known, as fields come in any order.
        let details = &mut self.into.details;
        *details = EventDetails::default();
        while let Some(key) = map.next_key::<EventKey<'de>>()? {
            match key {
                EventKey::Id => raw.id = Some(map.next_value()?),
                EventKey::PreviousEventId => raw.previous_event_id = Some(map.next_value()?),
                EventKey::Type => raw.event_type = Some(map.next_value_seed(TypeSeed)?),
                EventKey::Timestamp => raw.timestamp = Some(map.next_value_seed(TimestampSeed)?),
                EventKey::Details(key) => {
                    let mut problem = None;
                    map.next_value_seed(DetailsSeed {
                        into: details,
                        problem: &mut problem,
                    })?;
                    if let Some((field, what)) = problem
                        && raw.details_problem.is_none()
                    {
                        let path = match field.as_str() {
                            "" => key.into_owned(),
                            field => format!("{key}.{field}"),
                        };
                        raw.details_problem = Some((path, what));
                    }
                }
                EventKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        raw.into_event(self.index, self.into)
            .map_err(de::Error::custom)
    }
}

/// The fields of an event as found, before they are checked (the details are read in place).
#[derive(Default)]
struct RawEvent {
    id: Option<Scalar>,
    previous_event_id: Option<Scalar>,
    /// `None` inside: not a string.
    event_type: Option<Option<EventType>>,
    /// `None` inside: not a time.
    timestamp: Option<Option<crate::domain::Millis>>,
    /// The first field of a `…EventDetails` object of the wrong type, by its path.
    details_problem: Option<(String, &'static str)>,
}

impl RawEvent {
    fn into_event(self, index: usize, into: &mut HistoryEvent) -> Result<(), String> {
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
            Some(Some(event_type)) => event_type,
            Some(None) => return Err(at("type", "must be a string")),
            None => return Err(at("type", "is missing")),
        };
        let timestamp = match self.timestamp {
            None => return Err(at("timestamp", "is missing")),
            Some(value) => value.ok_or_else(|| {
                at(
                    "timestamp",
                    "must be an ISO-8601 string or a number of epoch seconds, from 1970 to 9999",
                )
            })?,
        };
        if let Some((field, problem)) = self.details_problem {
            return Err(at(&field, problem));
        }
        into.id = id;
        into.previous_event_id = previous_event_id;
        into.timestamp = timestamp;
        into.event_type = event_type;
        Ok(())
    }
}

/// An event's `type`, parsed from the text without a copy (`None`: not a string).
struct TypeSeed;

impl<'de> DeserializeSeed<'de> for TypeSeed {
    type Value = Option<EventType>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        match Scalar::deserialize_text_with(deserializer, EventType::parse)? {
            Ok(event_type) => Ok(Some(event_type)),
            Err(_) => Ok(None),
        }
    }
}

/// An event's `timestamp`, an ISO-8601 string or epoch seconds (`None`: neither, or out of
/// range), parsed from the text without a copy.
struct TimestampSeed;

impl<'de> DeserializeSeed<'de> for TimestampSeed {
    type Value = Option<crate::domain::Millis>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Ok(
            match Scalar::deserialize_text_with(deserializer, parse_timestamp_text)? {
                Ok(parsed) => parsed,
                Err(other) => other.timestamp(),
            },
        )
    }
}

enum EventKey<'de> {
    Id,
    PreviousEventId,
    Type,
    Timestamp,
    /// Kept for messages only: borrowed from the text, not copied, where it can be.
    Details(Cow<'de, str>),
    Other,
}

impl<'de> EventKey<'de> {
    fn of(key: &str) -> Option<EventKey<'de>> {
        Some(match key {
            "id" => EventKey::Id,
            "previousEventId" => EventKey::PreviousEventId,
            "type" => EventKey::Type,
            "timestamp" => EventKey::Timestamp,
            key if key.ends_with("EventDetails") => return None,
            _ => EventKey::Other,
        })
    }
}

impl<'de> Deserialize<'de> for EventKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EventKeyVisitor;
        impl<'de> Visitor<'de> for EventKeyVisitor {
            type Value = EventKey<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<EventKey<'de>, E> {
                Ok(EventKey::of(key).unwrap_or(EventKey::Details(Cow::Borrowed(key))))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<EventKey<'de>, E> {
                Ok(EventKey::of(key)
                    .unwrap_or_else(|| EventKey::Details(Cow::Owned(key.to_string()))))
            }
        }
        deserializer.deserialize_str(EventKeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_count_hint_skips_keys_inside_payloads() {
        let text = br#"{"events": [
          {"timestamp": 1, "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
           "executionStartedEventDetails": {"input": "{\"timestamp\": 5}"}},
          {"timestamp": 2, "type": "ExecutionSucceeded", "id": 2, "previousEventId": 1}]}"#;
        assert_eq!(events_in(text), 2);
        assert_eq!(parse_history_bytes(text).unwrap().len(), 2);
    }

    #[test]
    fn a_text_that_is_not_utf8_is_refused_with_a_reason() {
        let mut text = br#"{"events": [{"timestamp": 1, "type": "ExecutionStarted", "id": 1,
           "executionStartedEventDetails": {"input": "X"}}]}"#
            .to_vec();
        let at = text.iter().position(|&b| b == b'X').unwrap();
        text[at] = 0xff;
        match parse_history_bytes(&text) {
            Err(ReadError::Invalid(message)) => {
                assert!(
                    message.starts_with("not valid JSON: the text is not UTF-8"),
                    "{message}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}
