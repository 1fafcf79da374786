//! The dashboard: the selected state machine's runs over a window (`w` cycles 1 h / 24 h /
//! 7 d / 30 d) — outcomes per bucket, throughput, top rejection and failure reasons, per-state
//! durations from the histories read so far, the end-to-end distribution. It lists the
//! window's executions, then reads the histories of finished ones it lacks a few at a time
//! (the store serves those it holds; a finished one is never read twice) while shown.

pub mod keys;
pub mod update;
pub mod view;

use crate::app::msg::Generation;
use crate::domain::Millis;
use crate::domain::execution::ExecutionSummary;
use crate::domain::stats::{Figures, HistoryDigest, ReasonKind, Window};
use std::collections::{HashMap, HashSet};

/// Histories asked for at once: the rest wait for an answer (the budget governor paces the
/// calls; this keeps the dashboard from queueing hundreds of them ahead of the other screens).
pub const HISTORIES_IN_FLIGHT: usize = 4;
/// Executions asked per page (the most `ListExecutions` returns).
pub const PAGE_SIZE: u32 = 1_000;
/// Reasons of each kind shown.
pub const TOP_REASONS: usize = 5;

/// The panel the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Reasons,
    States,
}

/// A state's slowest runs, listed after `Enter` on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    pub state: String,
    pub cursor: usize,
}

#[derive(Debug, Clone)]
pub struct State {
    pub window: Window,
    /// The state machine the figures are of.
    pub machine_arn: Option<String>,
    /// Every execution listed, by ARN (the latest answer about each).
    pub executions: HashMap<String, ExecutionSummary>,
    /// What each history read contributes, by execution ARN.
    pub digests: HashMap<String, HistoryDigest>,
    pub figures: Figures,
    /// The page request in flight and whether it goes back in time (`append`) or refreshes
    /// the newest.
    pub listing: Option<(Generation, bool)>,
    /// Where the next older page starts; None once the listing reached the window's start
    /// or the oldest execution.
    pub next_token: Option<String>,
    /// Listed back to the start of the window (or to the oldest execution).
    pub listed_back: bool,
    /// When the newest page was last asked for.
    pub refreshed_at: Option<Millis>,
    /// History requests in flight: generation → execution ARN.
    pub reading: HashMap<Generation, String>,
    /// Histories that could not be read (not asked again this session).
    pub unreadable: HashSet<String>,
    pub focus: Focus,
    /// Cursor among the reasons (rejections first, then failures).
    pub reason_cursor: usize,
    pub state_cursor: usize,
    pub drill: Option<Drill>,
    /// Why the listing failed, shown in place of the figures' age.
    pub problem: Option<String>,
}

impl State {
    pub fn new(now: Millis) -> State {
        State {
            window: Window::Day,
            machine_arn: None,
            executions: HashMap::new(),
            digests: HashMap::new(),
            figures: Figures::new(Window::Day, now),
            listing: None,
            next_token: None,
            listed_back: false,
            refreshed_at: None,
            reading: HashMap::new(),
            unreadable: HashSet::new(),
            focus: Focus::Reasons,
            reason_cursor: 0,
            state_cursor: 0,
            drill: None,
            problem: None,
        }
    }

    /// The reasons listed, in the order shown: top rejections, then top failures.
    pub fn reasons(&self) -> Vec<&crate::domain::stats::ReasonTally> {
        let mut all = self.figures.top_reasons(ReasonKind::Rejection, TOP_REASONS);
        all.extend(self.figures.top_reasons(ReasonKind::Failure, TOP_REASONS));
        all
    }

    /// The text of the reason under the cursor.
    pub fn selected_reason(&self) -> Option<String> {
        self.reasons()
            .get(self.reason_cursor)
            .map(|t| t.reason.text.clone())
    }

    /// The state under the cursor.
    pub fn selected_state(&self) -> Option<String> {
        self.figures
            .state_rows()
            .get(self.state_cursor)
            .map(|r| r.name.clone())
    }

    /// The execution under the cursor of the slowest runs, with the state it was slow in.
    pub fn selected_slow_run(&self) -> Option<(ExecutionSummary, String)> {
        let drill = self.drill.as_ref()?;
        let (_, arn) = self.figures.slowest(&drill.state).get(drill.cursor)?;
        Some((self.executions.get(arn)?.clone(), drill.state.clone()))
    }

    /// Whether figures are being filled in (a page or histories asked for).
    pub fn is_reading(&self) -> bool {
        self.listing.is_some() || !self.reading.is_empty()
    }

    /// Figures for the window again, from everything held.
    pub fn recompute(&mut self, now: Millis) {
        self.figures.recompute(
            self.window,
            now,
            self.executions.values(),
            self.digests.iter().map(|(arn, d)| (arn.as_str(), d)),
        );
        self.reason_cursor = self
            .reason_cursor
            .min(self.reasons().len().saturating_sub(1));
        self.state_cursor = self
            .state_cursor
            .min(self.figures.state_rows().len().saturating_sub(1));
    }
}

/// What the other screens hold, for the dashboard's glance at the collection and the bucket
/// (the shell reads them; a screen does not read another).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Elsewhere {
    pub faces: Option<FacesGlance>,
    pub bucket: Option<BucketGlance>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FacesGlance {
    pub collection: String,
    pub faces: usize,
    pub riders: usize,
    pub duplicate_groups: usize,
    /// Every page listed (else the counts are of the pages so far).
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BucketGlance {
    pub bucket: String,
    pub objects: usize,
    pub bytes: u64,
    /// Thumbnails whose source photo is gone (None until the photo bucket was listed).
    pub orphans: Option<usize>,
    pub complete: bool,
}
