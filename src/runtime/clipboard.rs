//! Copy to the system clipboard through the terminal (OSC 52): works locally and over SSH in
//! the terminals operators use (kitty, iTerm2, WezTerm, Alacritty, tmux with set-clipboard).

use base64::Engine;
use std::io::{self, Write};

/// The escape sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52_sequence(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

pub fn copy(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(osc52_sequence(text).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_wraps_base64_of_the_text() {
        assert_eq!(osc52_sequence("{\"a\":1}"), "\x1b]52;c;eyJhIjoxfQ==\x07");
    }
}
