//! What a screen may use of the shell: the clock, the terminal size, the options and keymap,
//! the notice line, the overlay slot, request generations — and nothing of another screen.
//! `Ctx` is lent to a screen's update and key functions, `View` to its render function.

use crate::app::msg::Generation;
use crate::app::notice::{Notice, NoticeLevel};
use crate::app::options::AppOptions;
use crate::app::overlays::Overlay;
use crate::app::screen::Screen;
use crate::backend::ENVIRONMENT_CREDENTIALS;
use crate::backend::{BackendInfo, CallerIdentity};
use crate::domain::Millis;
use crate::domain::journal::JournalContext;
use crate::keymap::{Context, Keymap};

/// Lines the views take around a list (header, table header, notice, hint bar): used to
/// estimate how many rows a page holds for paging and scrolling.
pub const CHROME_ROWS: u16 = 5;

/// Rows a page of a list holds in a terminal of `viewport` (columns, rows).
pub fn page_rows(viewport: (u16, u16)) -> usize {
    viewport.1.saturating_sub(CHROME_ROWS).max(1) as usize
}

/// The shell lent to a screen for one update: read what it needs, say things, open an
/// overlay, number its requests, ask to be left.
pub struct Ctx<'a> {
    pub now: Millis,
    /// Terminal size (columns, rows).
    pub viewport: (u16, u16),
    pub options: &'a AppOptions,
    pub keymap: &'a Keymap,
    /// What the console is connected to, for the journal's lines.
    pub backend: Option<&'a BackendInfo>,
    pub caller: Option<&'a CallerIdentity>,
    pub notice: &'a mut Option<Notice>,
    pub overlay: &'a mut Option<Overlay>,
    /// The app's request counter: only `next_generation` moves it (built by `lend!`).
    pub(crate) generation: &'a mut Generation,
    /// Set by a screen that wants another screen shown (e.g. `Back` from faces); the shell
    /// switches after the screen's function returns.
    pub switch_to: Option<Screen>,
    /// Set by a drilled-in screen that asks to be closed (`Back` from the open execution
    /// goes back to the list).
    pub close: bool,
}

impl<'a> Ctx<'a> {
    /// A new request generation: answers carrying an older one are stale.
    pub fn next_generation(&mut self) -> Generation {
        *self.generation += 1;
        *self.generation
    }

    /// Rows a page of a list holds at the current terminal size.
    pub fn page_rows(&self) -> usize {
        page_rows(self.viewport)
    }

    /// The cells a tab's drawing area has (columns, rows): the terminal less the chrome and
    /// the tab's own header line.
    pub fn graph_viewport(&self) -> (u16, u16) {
        (
            self.viewport.0,
            self.viewport.1.saturating_sub(CHROME_ROWS + 1).max(1),
        )
    }

    pub fn notify(&mut self, level: NoticeLevel, text: impl Into<String>) {
        *self.notice = Some(Notice {
            text: text.into(),
            level,
            at: self.now,
        });
    }

    pub fn open(&mut self, overlay: Overlay) {
        *self.overlay = Some(overlay);
    }

    /// The journal's path when a deletion may start; otherwise says why not (no location, or
    /// one found unwritable at start) and gives None: a deletion without a record is what the
    /// journal exists to prevent.
    pub fn journal_ready(&mut self) -> Option<std::path::PathBuf> {
        let Some(path) = self.options.journal_path.clone() else {
            self.notify(
                NoticeLevel::Error,
                "no journal location (no data dir): set journal_path in the settings to delete",
            );
            return None;
        };
        if let Some(problem) = &self.options.journal_problem {
            let text = format!("deleting is refused: the journal cannot be written ({problem})");
            self.notify(NoticeLevel::Error, text);
            return None;
        }
        Some(path)
    }

    /// The journal lines' context: now, the profile, account and region the console is
    /// connected to.
    pub fn journal_context(&self) -> JournalContext {
        let (profile, region) = match (&self.options.aws_target, self.backend) {
            // Credentials from the environment are no profile's, whatever the target's key
            // says (`default`): record where they came from, as the header does.
            (Some(target), Some(info)) if info.identity == ENVIRONMENT_CREDENTIALS => {
                (info.identity.clone(), target.region.clone())
            }
            (Some(target), _) => (target.profile.clone(), target.region.clone()),
            (None, Some(info)) => (info.identity.clone(), info.region.clone()),
            (None, None) => ("unknown".to_string(), "unknown".to_string()),
        };
        JournalContext {
            time: self.now,
            profile,
            region,
            account: self.caller.map(|c| c.account.clone()),
            principal: self.caller.map(|c| c.arn.clone()),
        }
    }
}

/// What a screen's view may read of the shell.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub now: Millis,
    pub viewport: (u16, u16),
    pub options: &'a AppOptions,
    pub keymap: &'a Keymap,
    /// The keymap context of the view (under any overlay), for key hints.
    pub context: Context,
}

impl View<'_> {
    /// Rows a page of a list holds at the current terminal size.
    pub fn page_rows(&self) -> usize {
        page_rows(self.viewport)
    }

    /// How to ask again: the refresh key of this view, else the palette command.
    pub fn retry_hint(&self) -> String {
        crate::app::widgets::text::retry_hint(self.keymap, self.context)
    }
}
