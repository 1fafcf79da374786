//! AWS-independent model of what the console shows: executions, AWS-shaped history events,
//! the timeline built from them, time helpers and the escaping of untrusted text for terminals.
//! Knows nothing about the SDK or the UI.

pub mod definition;
pub mod execution;
pub mod face_groups;
pub mod faces;
pub mod history;
pub mod history_json;
pub mod journal;
pub mod lines;
pub mod objects;
pub mod resource;
pub mod stats;
pub mod suites;
pub mod test_case;
pub mod text;
pub mod text_keys;
pub mod time;
pub mod timeline;

/// Milliseconds since the Unix epoch (UTC). Every timestamp in the domain uses this one unit so
/// that arithmetic on spans is plain integer maths.
pub type Millis = i64;
