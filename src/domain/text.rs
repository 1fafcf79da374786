//! Untrusted text made safe to print on a terminal: the characters a terminal obeys instead of
//! showing (C0 and C1 controls, DEL, bidirectional overrides) written as visible escapes.

use std::borrow::Cow;

/// `text` with every character a terminal would act on rather than show replaced by a visible
/// escape: C0 controls and DEL as `\x1b` (`\n`, `\r`, `\t` by their names), C1 controls,
/// bidirectional formatting characters and the Unicode line/paragraph separators as `\u{9b}`.
///
/// Text from a history (state names, errors, causes: whatever a Lambda put in its exception)
/// may hold anything; printed raw, `ESC ] 0 ; … BEL` retitles the terminal, `ESC [ 2 J` clears
/// it, a bidi override makes a line read differently from what it holds, and a newline breaks
/// a one-line-per-row layout. Backslashes are left alone: this is for reading, not for parsing
/// back. Borrows when nothing needs escaping (the common case).
pub fn escape_control(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_or_separator(c)
}

/// Bidirectional formatting characters (the "Trojan Source" set) and U+2028/U+2029, which
/// some viewers break lines at.
fn is_bidi_or_separator(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        // `write!` into a String cannot fail.
        '\0'..='\u{1F}' | '\u{7F}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_become_visible() {
        assert_eq!(
            escape_control("A\u{1b}]0;pwned\u{7}B\u{1b}[2J"),
            "A\\x1b]0;pwned\\x07B\\x1b[2J"
        );
        assert_eq!(escape_control("a\nb\tc\rd\u{7f}"), "a\\nb\\tc\\rd\\x7f");
        assert_eq!(escape_control("csi\u{9b}31m"), "csi\\u{9b}31m");
        assert_eq!(
            escape_control("evil\u{202E}txt.exe\u{2066}"),
            "evil\\u{202e}txt.exe\\u{2066}"
        );
    }

    #[test]
    fn printable_text_is_borrowed_unchanged() {
        let text = "FaceDetection ✓ Größe — 写真 \\x1b stays";
        assert!(matches!(escape_control(text), Cow::Borrowed(t) if t == text));
        assert_eq!(escape_control(""), "");
    }
}
