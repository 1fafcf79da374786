//! Text helpers the views share: counts with thousands separators, singular/plural nouns,
//! truncation with an ellipsis, a centred rectangle for dialogs, the missing-permission line
//! and how to ask again.

use crate::app::widgets::theme;
use crate::keymap::action::Action;
use crate::keymap::{Context, Keymap, format_keys};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// A rectangle of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// `1,234` — thousands separators for counts.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The noun for a count: `one` for exactly 1, else `many` ("1 face", "2 faces", "0 faces").
pub fn noun<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// Cuts `text` to `width` columns, ending with `…` when it was longer.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// Splits `text` into lines of at most `width` characters, at spaces where it can (a word
/// longer than the width is cut). Views that scroll need to know how many lines a long
/// message takes, which a wrapping `Paragraph` does not say.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        if line_len > 0 && line_len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
            line_len = 0;
        }
        if line_len > 0 {
            line.push(' ');
            line_len += 1;
        }
        while line_len + word.len() > width {
            let take = width - line_len;
            line.extend(word.drain(..take));
            lines.push(std::mem::take(&mut line));
            line_len = 0;
        }
        line_len += word.len();
        line.extend(word);
    }
    lines.push(line);
    lines
}

/// `⚠ missing permission states:GetExecutionHistory — timeline unavailable`.
pub fn missing_permission(action: &str, unavailable: &str) -> Line<'static> {
    Line::from(Span::styled(
        format!(" ⚠ missing permission {action} — {unavailable} unavailable"),
        theme::error(),
    ))
}

/// How to ask again: the refresh key of `context` (the view's), else the palette command.
pub fn retry_hint(keymap: &Keymap, context: Context) -> String {
    keymap
        .key_for(context, Action::Refresh)
        .map_or_else(|| ":refresh".to_string(), format_keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_truncation() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(25_000_000), "25,000,000");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("abc", 0), "");
    }
}
