//! The one-line notice under the view: results of commands, errors, start-up problems.

use crate::domain::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Error,
}

/// A one-line message under the view (results of commands, errors, keymap problems).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub level: NoticeLevel,
    pub at: Millis,
}

/// The notice shown at start: the first problem found in the keymap or settings, and how
/// many more there are.
pub fn startup_notice(problems: &[String], now: Millis) -> Option<Notice> {
    let first = problems.first()?;
    let more = match problems.len() {
        1 => String::new(),
        n => format!(" (+{} more, see ? help)", n - 1),
    };
    Some(Notice {
        text: format!("{first}{more}"),
        level: NoticeLevel::Error,
        at: now,
    })
}
