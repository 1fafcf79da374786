//! JSON payloads (execution and state inputs/outputs) as coloured lines for the views.
//! Delegates to the shared JSON widget once it lands; until then, plain pretty-printing.

use ratatui::text::Line;

/// Pretty lines of a JSON text; text that is not JSON is shown as is.
pub fn json_lines(text: &str) -> Vec<Line<'static>> {
    let pretty = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string());
    pretty.lines().map(|l| Line::from(l.to_string())).collect()
}
