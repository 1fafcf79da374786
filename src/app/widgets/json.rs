//! Pretty, coloured JSON for the Input/Output tab, the state details and the events tab: keys,
//! strings, numbers, booleans and null each get their colour; text that is not JSON is shown as
//! is. Either way what a terminal would obey (controls, bidi overrides: JSON escapes only some)
//! is escaped, for the text comes from the history.

use crate::domain::text::escape_control;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use serde_json::Value;

const INDENT: usize = 2;

fn key_style() -> Style {
    Style::default().fg(Color::Cyan)
}

fn style_of(value: &Value) -> Style {
    match value {
        Value::String(_) => Style::default().fg(Color::Green),
        Value::Number(_) => Style::default().fg(Color::Yellow),
        Value::Bool(_) => Style::default().fg(Color::Magenta),
        Value::Null => Style::default().fg(Color::DarkGray),
        Value::Array(_) | Value::Object(_) => Style::default(),
    }
}

/// Pretty-prints JSON text (2-space indent) as coloured lines; text that is not valid JSON
/// comes back as its own lines, unchanged.
pub fn json_lines(text: &str) -> Vec<Line<'static>> {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            let mut lines = Vec::new();
            push_value(&value, 0, Vec::new(), false, &mut lines);
            lines
        }
        Err(_) => text
            .lines()
            .map(|l| Line::raw(escape_control(l).into_owned()))
            .collect(),
    }
}

/// Appends `value` starting on a line that begins with `prefix` (indent and key), at `depth`.
fn push_value(
    value: &Value,
    depth: usize,
    mut prefix: Vec<Span<'static>>,
    comma: bool,
    lines: &mut Vec<Line<'static>>,
) {
    let close = |bracket: &str| {
        let text = if comma {
            format!("{bracket},")
        } else {
            bracket.to_string()
        };
        Span::raw(text)
    };
    let indent = " ".repeat(depth * INDENT);
    let inner = " ".repeat((depth + 1) * INDENT);
    match value {
        Value::Object(map) if !map.is_empty() => {
            prefix.push(Span::raw("{"));
            lines.push(Line::from(prefix));
            for (i, (key, child)) in map.iter().enumerate() {
                let key_prefix = vec![
                    Span::raw(inner.clone()),
                    Span::styled(
                        escape_control(&Value::String(key.clone()).to_string()).into_owned(),
                        key_style(),
                    ),
                    Span::raw(": "),
                ];
                push_value(child, depth + 1, key_prefix, i + 1 < map.len(), lines);
            }
            lines.push(Line::from(vec![Span::raw(indent), close("}")]));
        }
        Value::Array(items) if !items.is_empty() => {
            prefix.push(Span::raw("["));
            lines.push(Line::from(prefix));
            for (i, child) in items.iter().enumerate() {
                let item_prefix = vec![Span::raw(inner.clone())];
                push_value(child, depth + 1, item_prefix, i + 1 < items.len(), lines);
            }
            lines.push(Line::from(vec![Span::raw(indent), close("]")]));
        }
        scalar_or_empty => {
            prefix.push(Span::styled(
                escape_control(&scalar_or_empty.to_string()).into_owned(),
                style_of(scalar_or_empty),
            ));
            if comma {
                prefix.push(Span::raw(","));
            }
            lines.push(Line::from(prefix));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    /// The style of the span whose text is `text` in `line`.
    fn style_of_text(line: &Line<'_>, text: &str) -> Style {
        line.spans
            .iter()
            .find(|s| s.content == text)
            .unwrap_or_else(|| panic!("no span {text:?} in {line:?}"))
            .style
    }

    #[test]
    fn pretty_prints_with_two_spaces_in_key_order() {
        let lines =
            json_lines(r#"{"userId":"user_a","faces":[{"n":1,"ok":true}],"x":null,"e":{},"a":[]}"#);
        assert_eq!(
            plain(&lines),
            [
                "{",
                r#"  "userId": "user_a","#,
                r#"  "faces": ["#,
                "    {",
                r#"      "n": 1,"#,
                r#"      "ok": true"#,
                "    }",
                "  ],",
                r#"  "x": null,"#,
                r#"  "e": {},"#,
                r#"  "a": []"#,
                "}",
            ]
        );
    }

    #[test]
    fn colours_keys_and_each_kind_of_value() {
        let lines = json_lines(r#"{"s":"v","n":2.5,"b":false,"z":null}"#);
        assert_eq!(style_of_text(&lines[1], r#""s""#), key_style());
        assert_eq!(style_of_text(&lines[1], r#""v""#).fg, Some(Color::Green));
        assert_eq!(style_of_text(&lines[2], "2.5").fg, Some(Color::Yellow));
        assert_eq!(style_of_text(&lines[3], "false").fg, Some(Color::Magenta));
        assert_eq!(style_of_text(&lines[4], "null").fg, Some(Color::DarkGray));
    }

    #[test]
    fn strings_keep_their_escapes_and_scalars_stand_alone() {
        assert_eq!(
            plain(&json_lines(r#""line\nbreak \"q\"""#)),
            [r#""line\nbreak \"q\"""#]
        );
        assert_eq!(plain(&json_lines("42")), ["42"]);
        assert_eq!(plain(&json_lines("[]")), ["[]"]);
    }

    #[test]
    fn text_that_is_not_json_is_returned_unchanged() {
        let text = "Lambda.ServiceException: Internal error\n  at invoke";
        let lines = json_lines(text);
        assert_eq!(
            plain(&lines),
            ["Lambda.ServiceException: Internal error", "  at invoke"]
        );
        assert!(
            lines
                .iter()
                .all(|l| l.spans.iter().all(|s| s.style == Style::default()))
        );
        assert!(json_lines("").is_empty());
        assert_eq!(plain(&json_lines("{\"open\": ")), ["{\"open\": "]);
    }

    #[test]
    fn what_a_terminal_would_obey_is_escaped() {
        // JSON escapes the ESC and the BEL; the bidi override and a C1 control it leaves.
        let lines = json_lines("{\"k\u{202e}\":\"a\\u001b]0;x\\u0007 \u{202e}b \u{9b}c\"}");
        assert_eq!(
            plain(&lines)[1],
            r#"  "k\u{202e}": "a\u001b]0;x\u0007 \u{202e}b \u{9b}c""#
        );
        let lines = json_lines("not json \u{1b}[2J \u{202e}");
        assert_eq!(plain(&lines), [r"not json \x1b[2J \u{202e}"]);
    }
}
