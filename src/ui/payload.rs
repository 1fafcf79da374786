//! JSON payloads (execution and state inputs/outputs) as coloured lines for the views: the
//! shared JSON widget, behind one name the views use.

pub use crate::ui::widgets::json::json_lines;
