//! Reusable widgets shared by the views.

pub mod confirm;
pub mod gantt;
pub mod help;
pub mod hints;
pub mod input;
pub mod json;
pub mod palette;
pub mod picker;
