//! Ratatui widgets and helpers that know no `App`: the Gantt chart, coloured JSON, text
//! helpers, the theme and the preview image.

pub mod gantt;
pub mod image;
pub mod json;
pub mod stacked_bars;
pub mod state_graph;
pub mod stats_charts;
pub mod table;
pub mod text;
pub mod theme;
