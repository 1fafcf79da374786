//! Ratatui widgets and helpers that know no `App`: the Gantt chart, coloured JSON, text
//! helpers and the theme.

pub mod gantt;
pub mod json;
pub mod table;
pub mod text;
pub mod theme;
