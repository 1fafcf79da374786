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
        .chain(&options.store_problem)
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

/// How many notices `:messages` keeps: enough for an incident's worth of retries and errors.
pub const MAX_MESSAGES: usize = 500;

/// Every notice shown, with its time, newest last: a notice line is overwritten by the next
/// one, and an operator debugging an incident needs what was said before.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageLog {
    entries: std::collections::VecDeque<Notice>,
}

impl MessageLog {
    /// Records `notice` unless it is the one recorded last (the same notice seen again).
    pub fn record(&mut self, notice: &Notice) {
        if self.entries.back() == Some(notice) {
            return;
        }
        if self.entries.len() == MAX_MESSAGES {
            self.entries.pop_front();
        }
        self.entries.push_back(notice.clone());
    }

    /// Newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &Notice> {
        self.entries.iter().rev()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(text: &str, at: Millis) -> Notice {
        Notice {
            text: text.into(),
            level: NoticeLevel::Info,
            at,
        }
    }

    #[test]
    fn the_log_keeps_the_newest_and_skips_a_repeat() {
        let mut log = MessageLog::default();
        log.record(&notice("a", 1));
        log.record(&notice("a", 1));
        log.record(&notice("a", 2));
        assert_eq!(log.len(), 2, "the same notice seen twice is one entry");
        for i in 0..MAX_MESSAGES {
            log.record(&notice("n", 10 + i as Millis));
        }
        assert_eq!(log.len(), MAX_MESSAGES);
        assert_eq!(
            log.newest_first().next().unwrap().at,
            10 + MAX_MESSAGES as Millis - 1
        );
    }
}
