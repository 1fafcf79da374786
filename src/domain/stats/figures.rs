//! `Figures`: the dashboard's tallies over one window — runs per bucket and outcome, reasons,
//! end-to-end durations, and per-state durations from the histories read so far. Built in one
//! pass (`compute`), then kept up to date one execution or one history at a time (`observe`,
//! `observe_history`), each a handful of hash look-ups and one insertion into a sorted vector.
//! Executions are held in one vector, their ARNs in one text, found through a `KeyMap`: a
//! recompute over 100,000 runs allocates a few dozen times, not once per run.

use super::digest::HistoryDigest;
use super::numbers::thousands;
use super::outcome::OutcomeKind;
use super::percentile::{Percentiles, insert_sorted, remove_sorted, sort_durations};
use super::reasons::{Reason, ReasonKind, ReasonTally, rank};
use super::window::Window;
use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use crate::domain::text_keys::{KeyMap, Map};

/// Slowest executions kept per state (what `Enter` on a state lists).
pub const SLOWEST_KEPT: usize = 20;

/// What one execution in the window contributes, to take it back when it changes.
#[derive(Debug, Clone)]
struct Record {
    /// Its ARN: `arn_len` bytes of `Figures::arn_text` from `arn_at`.
    arn_at: u32,
    arn_len: u32,
    /// In the tallies (false: it moved out of the window since it was first counted).
    counted: bool,
    status: ExecutionStatus,
    start: Millis,
    bucket: u32,
    kind: OutcomeKind,
    /// Index in `Figures::reasons`.
    reason: Option<u32>,
    /// End-to-end duration once finished.
    duration: Option<Millis>,
    /// The outcome came from the execution (a description or the history), not assumed.
    outcome_known: bool,
    /// Its history's states are in the state tallies.
    history_read: bool,
}

#[derive(Debug, Clone)]
struct StateTally {
    name: String,
    /// Its earliest place in a run (0: the first state entered): the table's order, the
    /// same whatever order the histories came in.
    position: usize,
    /// Every sample's duration, ascending.
    durations: Vec<Millis>,
    retries: u64,
    failures: u64,
    /// (duration, execution ARN), slowest first, at most `SLOWEST_KEPT`.
    slowest: Vec<(Millis, String)>,
}

/// One row of the per-state table.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRow {
    pub name: String,
    pub samples: usize,
    pub percentiles: Percentiles,
    pub retries: u64,
    pub failures: u64,
}

/// What the figures were computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    /// Executions started in the window.
    pub executions: u64,
    pub finished: u64,
    /// Finished executions whose history is in the per-state figures.
    pub histories: u64,
    /// Succeeded executions whose outcome (accepted or rejected) is assumed, not known.
    pub outcomes_unknown: u64,
}

impl Coverage {
    pub fn histories_unread(&self) -> u64 {
        self.finished.saturating_sub(self.histories)
    }

    /// `p95 over 180 of 2,340 executions in 24 h; 2,160 histories not read yet`.
    pub fn sentence(&self, window: Window) -> String {
        let mut text = format!(
            "p95 over {} of {} executions in {}",
            thousands(self.histories),
            thousands(self.executions),
            window.label()
        );
        match self.histories_unread() {
            0 => text.push_str("; every finished history read"),
            unread => text.push_str(&format!("; {} histories not read yet", thousands(unread))),
        }
        text
    }
}

#[derive(Debug, Clone)]
pub struct Figures {
    window: Window,
    first_bucket_start: Millis,
    buckets: Vec<[u32; OutcomeKind::COUNT]>,
    records: Vec<Record>,
    /// Every record's ARN, one after another.
    arn_text: String,
    /// ARN → index in `records`.
    by_arn: KeyMap,
    reasons: Vec<ReasonTally>,
    /// Reason text → index in `reasons`, one map per `ReasonKind`.
    reason_index: [Map<u32>; 2],
    states: Vec<StateTally>,
    state_index: Map<usize>,
    /// End-to-end durations of the finished executions, ascending.
    e2e: Vec<Millis>,
    coverage: Coverage,
}

impl Figures {
    /// Nothing counted yet, for the window ending in the bucket that holds `now`.
    pub fn new(window: Window, now: Millis) -> Figures {
        Figures {
            window,
            first_bucket_start: window.first_bucket_start(now),
            buckets: vec![[0; OutcomeKind::COUNT]; window.bucket_count()],
            records: Vec::new(),
            arn_text: String::new(),
            by_arn: KeyMap::default(),
            reasons: Vec::new(),
            reason_index: Default::default(),
            states: Vec::new(),
            state_index: Map::default(),
            e2e: Vec::new(),
            coverage: Coverage::default(),
        }
    }

    /// All the figures at once: `executions` (any order; those outside the window are
    /// skipped) and the histories read, (execution ARN, digest) in any order.
    pub fn compute<'a>(
        window: Window,
        now: Millis,
        executions: impl IntoIterator<Item = &'a ExecutionSummary>,
        histories: impl IntoIterator<Item = (&'a str, &'a HistoryDigest)>,
    ) -> Figures {
        let mut figures = Figures::new(window, now);
        figures.recompute(window, now, executions, histories);
        figures
    }

    /// `compute` in place: the same figures, in the memory these held (a recompute of 100,000
    /// runs then touches no fresh page — the kernel's zeroing of ~15 MB was a quarter of it).
    pub fn recompute<'a>(
        &mut self,
        window: Window,
        now: Millis,
        executions: impl IntoIterator<Item = &'a ExecutionSummary>,
        histories: impl IntoIterator<Item = (&'a str, &'a HistoryDigest)>,
    ) {
        self.window = window;
        self.first_bucket_start = window.first_bucket_start(now);
        self.buckets.clear();
        self.buckets
            .resize(window.bucket_count(), [0; OutcomeKind::COUNT]);
        self.records.clear();
        self.arn_text.clear();
        self.by_arn.clear();
        self.reasons.clear();
        self.reason_index.iter_mut().for_each(Map::clear);
        // A state keeps its place (and its vectors' memory); one no history names any more
        // has no samples, which the table leaves out.
        for state in &mut self.states {
            state.position = usize::MAX;
            state.durations.clear();
            state.retries = 0;
            state.failures = 0;
            state.slowest.clear();
        }
        self.e2e.clear();
        self.coverage = Coverage::default();

        let executions = executions.into_iter();
        let expected = executions.size_hint().0;
        self.records.reserve(expected);
        self.by_arn.reserve(expected);
        self.e2e.reserve(expected);
        let mut executions = executions.peekable();
        if let Some(first) = executions.peek() {
            // ARNs of one state machine differ little in length.
            self.arn_text.reserve(expected * (first.arn.len() + 8));
        }
        for summary in executions {
            self.add(summary, false);
        }
        for (arn, digest) in histories {
            self.add_history(arn, digest, false);
        }
        let mut scratch = Vec::new();
        sort_durations(&mut self.e2e, &mut scratch);
        for state in &mut self.states {
            sort_durations(&mut state.durations, &mut scratch);
        }
    }

    pub fn window(&self) -> Window {
        self.window
    }

    /// Whether the buckets moved on since the figures were computed (a new bucket began at
    /// `now`): the caller computes them again.
    pub fn is_stale(&self, now: Millis) -> bool {
        self.window.first_bucket_start(now) != self.first_bucket_start
    }

    /// Counts a new execution or the change of one already counted (a run that ended, an
    /// outcome described). False when it started outside the window or nothing changed. A run
    /// redriven after its history was read is counted again; the states of its first run stay.
    pub fn observe(&mut self, summary: &ExecutionSummary) -> bool {
        let Some(slot) = self.slot_of(&summary.arn) else {
            return self.add(summary, true);
        };
        let old = self.records[slot].clone();
        if old.counted
            && old.status == summary.status
            && old.start == summary.start
            && old.duration == duration_of(summary)
        {
            return match &summary.outcome {
                Some(outcome) if !old.outcome_known => {
                    self.learn_outcome(slot, outcome);
                    true
                }
                _ => false,
            };
        }
        if old.counted {
            self.take_back(&old);
        }
        match self.record_of(summary, old.arn_at, old.arn_len) {
            Some(record) => {
                self.count_in(&record, true);
                self.records[slot] = record;
                true
            }
            None => {
                self.records[slot].counted = false;
                false
            }
        }
    }

    /// Counts a finished execution's history (once; later calls for it change nothing).
    /// False when the execution is not counted, not finished or its history already is.
    pub fn observe_history(&mut self, arn: &str, digest: &HistoryDigest) -> bool {
        self.add_history(arn, digest, true)
    }

    /// Whether the figures hold this execution's history already.
    pub fn has_history(&self, arn: &str) -> bool {
        self.slot_of(arn)
            .is_some_and(|slot| self.records[slot].history_read)
    }

    /// Finished executions counted whose history is not read yet: what to ask for next.
    pub fn lacking_history(&self) -> impl Iterator<Item = &str> {
        self.records
            .iter()
            .filter(|r| r.counted && r.duration.is_some() && !r.history_read)
            .map(|r| arn_in(&self.arn_text, r))
    }

    /// The index in `records` of the execution `arn`, counted or not.
    fn slot_of(&self, arn: &str) -> Option<usize> {
        let (records, text) = (&self.records, &self.arn_text);
        self.by_arn
            .get(arn, |slot| {
                records.get(slot as usize).map(|r| arn_in(text, r))
            })
            .map(|slot| slot as usize)
    }

    /// Counts an execution not held yet; false when it started before the window.
    fn add(&mut self, summary: &ExecutionSummary, keep_sorted: bool) -> bool {
        let (Ok(arn_at), Ok(arn_len)) = (
            u32::try_from(self.arn_text.len()),
            u32::try_from(summary.arn.len()),
        ) else {
            // Four gigabytes of ARNs: the figures hold no more.
            return false;
        };
        let Some(record) = self.record_of(summary, arn_at, arn_len) else {
            return false;
        };
        self.arn_text.push_str(&summary.arn);
        let slot = self.records.len() as u32;
        let (records, text) = (&self.records, &self.arn_text);
        let held = self.by_arn.get_or_insert(&summary.arn, slot, |slot| {
            records.get(slot as usize).map(|r| arn_in(text, r))
        });
        debug_assert_eq!(held, None, "add is for executions not held yet");
        self.count_in(&record, keep_sorted);
        self.records.push(record);
        true
    }

    /// What `summary` contributes, its ARN kept at `arn_at`; None when it started before the
    /// window.
    fn record_of(
        &mut self,
        summary: &ExecutionSummary,
        arn_at: u32,
        arn_len: u32,
    ) -> Option<Record> {
        if summary.start < self.first_bucket_start {
            return None;
        }
        let last = self.buckets.len() - 1;
        // A start past `now` (clock skew) goes in the current bucket.
        let bucket =
            (((summary.start - self.first_bucket_start) / self.window.bucket()) as usize).min(last);
        Some(Record {
            arn_at,
            arn_len,
            counted: true,
            status: summary.status,
            start: summary.start,
            bucket: bucket as u32,
            kind: OutcomeKind::of_summary(summary),
            reason: summary.outcome.as_ref().and_then(|o| self.reason_slot(o)),
            duration: duration_of(summary),
            outcome_known: summary.outcome.is_some(),
            history_read: false,
        })
    }

    /// Adds a record's counts and its end-to-end duration.
    fn count_in(&mut self, record: &Record, keep_sorted: bool) {
        self.count(record, 1);
        if let Some(duration) = record.duration {
            if keep_sorted {
                insert_sorted(&mut self.e2e, duration);
            } else {
                self.e2e.push(duration);
            }
        }
    }

    /// Takes a record's counts back (before it is counted again, changed).
    fn take_back(&mut self, record: &Record) {
        self.count(record, -1);
        if let Some(duration) = record.duration {
            remove_sorted(&mut self.e2e, duration);
        }
    }

    fn count(&mut self, record: &Record, sign: i32) {
        let apply = |n: &mut u32| *n = n.saturating_add_signed(sign);
        let apply64 = |n: &mut u64| *n = n.saturating_add_signed(i64::from(sign));
        let bucket = record.bucket as usize;
        apply(&mut self.buckets[bucket][record.kind.index()]);
        if let Some(slot) = record.reason {
            let tally = &mut self.reasons[slot as usize];
            apply(&mut tally.count);
            apply(&mut tally.per_bucket[bucket]);
        }
        apply64(&mut self.coverage.executions);
        if record.duration.is_some() {
            apply64(&mut self.coverage.finished);
            if record.history_read {
                apply64(&mut self.coverage.histories);
            }
        }
        if record.kind == OutcomeKind::Accepted && !record.outcome_known {
            apply64(&mut self.coverage.outcomes_unknown);
        }
    }

    fn reason_slot(&mut self, outcome: &Outcome) -> Option<u32> {
        let (kind, text) = Reason::borrowed(outcome)?;
        let index = &mut self.reason_index[kind as usize];
        if let Some(&slot) = index.get(text.as_ref()) {
            return Some(slot);
        }
        let slot = self.reasons.len() as u32;
        index.insert(text.as_ref().into(), slot);
        self.reasons.push(ReasonTally {
            reason: Reason {
                kind,
                text: text.into_owned(),
            },
            count: 0,
            per_bucket: vec![0; self.buckets.len()],
        });
        Some(slot)
    }

    fn add_history(&mut self, arn: &str, digest: &HistoryDigest, keep_sorted: bool) -> bool {
        let Some(slot) = self.slot_of(arn) else {
            return false;
        };
        let record = &self.records[slot];
        if !record.counted || record.history_read || record.duration.is_none() {
            return false;
        }
        // The history tells for certain what a succeeded run amounted to; a description only
        // guesses a rejection from the output. (A failed run's description has the same error
        // and cause as its history.)
        if let Some(outcome) = &digest.outcome
            && (!record.outcome_known || record.status == ExecutionStatus::Succeeded)
        {
            self.learn_outcome(slot, outcome);
        }
        self.records[slot].history_read = true;
        self.coverage.histories += 1;
        for (position, sample) in digest.states.iter().enumerate() {
            let slot = match self.state_index.get(sample.name.as_str()) {
                Some(&slot) => slot,
                None => {
                    self.states.push(StateTally {
                        name: sample.name.clone(),
                        position,
                        durations: Vec::new(),
                        retries: 0,
                        failures: 0,
                        slowest: Vec::new(),
                    });
                    self.state_index
                        .insert(sample.name.as_str().into(), self.states.len() - 1);
                    self.states.len() - 1
                }
            };
            let state = &mut self.states[slot];
            state.position = state.position.min(position);
            if keep_sorted {
                insert_sorted(&mut state.durations, sample.duration);
            } else {
                state.durations.push(sample.duration);
            }
            state.retries += u64::from(sample.retries);
            state.failures += u64::from(sample.failed);
            let slower = state
                .slowest
                .partition_point(|(d, _)| *d >= sample.duration);
            if slower < SLOWEST_KEPT {
                state
                    .slowest
                    .insert(slower, (sample.duration, arn.to_string()));
                state.slowest.truncate(SLOWEST_KEPT);
            }
        }
        true
    }

    /// Counts a run whose outcome was assumed under the outcome now known.
    fn learn_outcome(&mut self, slot: usize, outcome: &Outcome) {
        let mut record = self.records[slot].clone();
        self.count(&record, -1);
        record.kind = OutcomeKind::of(record.status, Some(outcome));
        record.reason = self.reason_slot(outcome);
        record.outcome_known = true;
        self.count(&record, 1);
        self.records[slot] = record;
    }

    // --- What the dashboard shows ---

    /// Runs per bucket and outcome (indexed by `OutcomeKind::index`), oldest bucket first.
    pub fn buckets(&self) -> &[[u32; OutcomeKind::COUNT]] {
        &self.buckets
    }

    /// Start time of bucket `index`.
    pub fn bucket_start(&self, index: usize) -> Millis {
        self.first_bucket_start + index as Millis * self.window.bucket()
    }

    /// Runs started per bucket: the throughput series.
    pub fn throughput(&self) -> Vec<u64> {
        self.buckets
            .iter()
            .map(|b| b.iter().map(|&n| u64::from(n)).sum())
            .collect()
    }

    pub fn totals(&self) -> [u64; OutcomeKind::COUNT] {
        let mut totals = [0u64; OutcomeKind::COUNT];
        for bucket in &self.buckets {
            for (total, &n) in totals.iter_mut().zip(bucket) {
                *total += u64::from(n);
            }
        }
        totals
    }

    /// Share of the finished runs that ended `kind`, 0..=1 (None before any finished).
    pub fn rate(&self, kind: OutcomeKind) -> Option<f64> {
        let totals = self.totals();
        let finished: u64 = OutcomeKind::ALL
            .iter()
            .filter(|k| **k != OutcomeKind::Running)
            .map(|k| totals[k.index()])
            .sum();
        (finished > 0).then(|| totals[kind.index()] as f64 / finished as f64)
    }

    pub fn coverage(&self) -> Coverage {
        self.coverage
    }

    /// The `limit` most frequent reasons of one kind, most frequent first.
    pub fn top_reasons(&self, kind: ReasonKind, limit: usize) -> Vec<&ReasonTally> {
        let mut ranked = rank(self.reasons.iter(), kind);
        ranked.truncate(limit);
        ranked
    }

    /// Per-state figures in the order states run (their earliest place in a run, then name).
    pub fn state_rows(&self) -> Vec<StateRow> {
        let mut order: Vec<&StateTally> = self.states.iter().collect();
        order.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then_with(|| a.name.cmp(&b.name))
        });
        order
            .into_iter()
            .filter_map(|s| {
                Some(StateRow {
                    name: s.name.clone(),
                    samples: s.durations.len(),
                    percentiles: Percentiles::of(&s.durations)?,
                    retries: s.retries,
                    failures: s.failures,
                })
            })
            .collect()
    }

    /// The slowest executions in `state`: (its duration there, execution ARN), slowest first.
    pub fn slowest(&self, state: &str) -> &[(Millis, String)] {
        self.state_index
            .get(state)
            .map(|&slot| self.states[slot].slowest.as_slice())
            .unwrap_or_default()
    }

    pub fn end_to_end(&self) -> Option<Percentiles> {
        Percentiles::of(&self.e2e)
    }

    /// The end-to-end durations in `bins` equal bins from the fastest to the p99 (the last bin
    /// also holds everything slower): (bin start, bin end, count).
    pub fn end_to_end_histogram(&self, bins: usize) -> Vec<(Millis, Millis, u64)> {
        let (Some(p), Some(&fastest)) = (self.end_to_end(), self.e2e.first()) else {
            return Vec::new();
        };
        let bins = bins.max(1);
        let width = ((p.p99 - fastest) / bins as Millis).max(1) + 1;
        let mut out = Vec::with_capacity(bins);
        let mut below = 0usize;
        for bin in 0..bins {
            let (lo, hi) = (
                fastest + bin as Millis * width,
                fastest + (bin as Millis + 1) * width,
            );
            let upto = if bin + 1 == bins {
                self.e2e.len()
            } else {
                self.e2e.partition_point(|&d| d < hi)
            };
            out.push((lo, hi, (upto - below) as u64));
            below = upto;
        }
        out
    }
}

/// End-to-end duration of a finished execution; None while it runs.
fn duration_of(summary: &ExecutionSummary) -> Option<Millis> {
    summary.status.is_terminal().then(|| {
        summary
            .stop
            .unwrap_or(summary.start)
            .saturating_sub(summary.start)
    })
}

/// A record's ARN in the text that holds them all.
fn arn_in<'a>(text: &'a str, record: &Record) -> &'a str {
    let at = record.arn_at as usize;
    &text[at..at + record.arn_len as usize]
}
