//! Reusable widgets shared by the views.

pub mod confirm;
pub mod editor;
pub mod gantt;
pub mod help;
pub mod hints;
pub mod input;
pub mod json;
pub mod palette;
pub mod picker;
pub mod test_cases;
