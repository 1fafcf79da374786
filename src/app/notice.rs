//! The one-line notice under the view: results of commands, errors, start-up problems.

use crate::app::options::AppOptions;
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

/// The notice shown at start: the first problem found in the settings or the keymap, how
/// many more there are, and that settings problems make the console read-only.
pub fn startup_notice(options: &AppOptions, now: Millis) -> Option<Notice> {
    let settings = &options.settings_problems;
    let journal = options.journal_problem.as_ref().map(|problem| {
        format!("the deletion journal cannot be written ({problem}): deleting is refused")
    });
    let problems: Vec<&String> = settings
        .iter()
        .chain(&options.keymap_problems)
        .chain(&journal)
        .collect();
    let first = problems.first()?;
    let more = match problems.len() {
        1 => String::new(),
        n => format!(" (+{} more, see ? help)", n - 1),
    };
    let read_only = if settings.is_empty() {
        ""
    } else {
        " — read-only until the settings are fixed"
    };
    Some(Notice {
        text: format!("{first}{read_only}{more}"),
        level: NoticeLevel::Error,
        at: now,
    })
}
