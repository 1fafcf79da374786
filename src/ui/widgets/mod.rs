//! Reusable widgets shared by the views.

pub mod gantt;
pub mod json;
