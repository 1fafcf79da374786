//! `Figures`: the dashboard's tallies over one window — runs per bucket and outcome, reasons,
//! end-to-end durations, and per-state durations from the histories read so far. Built in one
//! pass (`compute`), then kept up to date one execution or one history at a time (`observe`,
//! `observe_history`), each a handful of hash look-ups and one insertion into a sorted vector.

use super::digest::HistoryDigest;
use super::numbers::thousands;
use super::outcome::OutcomeKind;
use super::percentile::{Percentiles, insert_sorted, remove_sorted};
use super::reasons::{Reason, ReasonKind, ReasonTally, rank};
use super::window::Window;
use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use std::collections::HashMap;

/// Slowest executions kept per state (what `Enter` on a state lists).
pub const SLOWEST_KEPT: usize = 20;

/// What one execution in the window contributes, to take it back when it changes.
#[derive(Debug, Clone)]
struct Record {
    status: ExecutionStatus,
    start: Millis,
    stop: Option<Millis>,
    bucket: usize,
    kind: OutcomeKind,
    reason: Option<usize>,
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
    records: HashMap<String, Record>,
    reasons: Vec<ReasonTally>,
    reason_index: HashMap<Reason, usize>,
    states: Vec<StateTally>,
    state_index: HashMap<String, usize>,
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
            records: HashMap::new(),
            reasons: Vec::new(),
            reason_index: HashMap::new(),
            states: Vec::new(),
            state_index: HashMap::new(),
            e2e: Vec::new(),
            coverage: Coverage::default(),
        }
    }

    /// All the figures at once: `executions` (any order; those outside the window are
    /// skipped) and the digest of each one's history, where read.
    pub fn compute<'a>(
        window: Window,
        now: Millis,
        executions: impl IntoIterator<Item = &'a ExecutionSummary>,
        history: impl Fn(&str) -> Option<&'a HistoryDigest>,
    ) -> Figures {
        let mut figures = Figures::new(window, now);
        for summary in executions {
            if figures.add(summary, false)
                && let Some(digest) = history(&summary.arn)
            {
                figures.add_history(&summary.arn, digest, false);
            }
        }
        figures.e2e.sort_unstable();
        for state in &mut figures.states {
            state.durations.sort_unstable();
        }
        figures
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
        if let Some(old) = self.records.get(&summary.arn) {
            if old.status == summary.status
                && old.start == summary.start
                && old.stop == summary.stop
            {
                return match &summary.outcome {
                    Some(outcome) if !old.outcome_known => {
                        self.learn_outcome(&summary.arn, outcome);
                        true
                    }
                    _ => false,
                };
            }
            let old = old.clone();
            self.take_back(&old);
            self.records.remove(&summary.arn);
        }
        self.add(summary, true)
    }

    /// Counts a finished execution's history (once; later calls for it change nothing).
    /// False when the execution is not counted, not finished or its history already is.
    pub fn observe_history(&mut self, arn: &str, digest: &HistoryDigest) -> bool {
        self.add_history(arn, digest, true)
    }

    /// Whether the figures hold this execution's history already.
    pub fn has_history(&self, arn: &str) -> bool {
        self.records.get(arn).is_some_and(|r| r.history_read)
    }

    /// Finished executions counted whose history is not read yet: what to ask for next.
    pub fn lacking_history(&self) -> impl Iterator<Item = &str> {
        self.records
            .iter()
            .filter(|(_, r)| r.duration.is_some() && !r.history_read)
            .map(|(arn, _)| arn.as_str())
    }

    fn add(&mut self, summary: &ExecutionSummary, keep_sorted: bool) -> bool {
        let bucket_width = self.window.bucket();
        if summary.start < self.first_bucket_start {
            return false;
        }
        let last = self.buckets.len() - 1;
        // A start past `now` (clock skew) goes in the current bucket.
        let bucket =
            (((summary.start - self.first_bucket_start) / bucket_width) as usize).min(last);
        let kind = OutcomeKind::of_summary(summary);
        let duration = summary.status.is_terminal().then(|| {
            summary
                .stop
                .unwrap_or(summary.start)
                .saturating_sub(summary.start)
        });
        let outcome_known = summary.outcome.is_some();
        let reason = summary.outcome.as_ref().and_then(|o| self.reason_slot(o));
        let record = Record {
            status: summary.status,
            start: summary.start,
            stop: summary.stop,
            bucket,
            kind,
            reason,
            duration,
            outcome_known,
            history_read: false,
        };
        self.count(&record, 1);
        if let Some(duration) = duration {
            if keep_sorted {
                insert_sorted(&mut self.e2e, duration);
            } else {
                self.e2e.push(duration);
            }
        }
        self.records.insert(summary.arn.clone(), record);
        true
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
        apply(&mut self.buckets[record.bucket][record.kind.index()]);
        if let Some(slot) = record.reason {
            let tally = &mut self.reasons[slot];
            apply(&mut tally.count);
            apply(&mut tally.per_bucket[record.bucket]);
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

    fn reason_slot(&mut self, outcome: &Outcome) -> Option<usize> {
        let reason = Reason::of(outcome)?;
        if let Some(&slot) = self.reason_index.get(&reason) {
            return Some(slot);
        }
        let slot = self.reasons.len();
        self.reasons.push(ReasonTally {
            reason: reason.clone(),
            count: 0,
            per_bucket: vec![0; self.buckets.len()],
        });
        self.reason_index.insert(reason, slot);
        Some(slot)
    }

    fn add_history(&mut self, arn: &str, digest: &HistoryDigest, keep_sorted: bool) -> bool {
        let Some(record) = self.records.get(arn) else {
            return false;
        };
        if record.history_read || record.duration.is_none() {
            return false;
        }
        let outcome_known = record.outcome_known;
        // The history tells for certain what a succeeded run amounted to.
        if !outcome_known && let Some(outcome) = &digest.outcome {
            self.learn_outcome(arn, outcome);
        }
        if let Some(record) = self.records.get_mut(arn) {
            record.history_read = true;
        }
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
                        .insert(sample.name.clone(), self.states.len() - 1);
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
    fn learn_outcome(&mut self, arn: &str, outcome: &Outcome) {
        let Some(mut record) = self.records.get(arn).cloned() else {
            return;
        };
        self.count(&record, -1);
        record.kind = OutcomeKind::of(record.status, Some(outcome));
        record.reason = self.reason_slot(outcome);
        record.outcome_known = true;
        self.count(&record, 1);
        self.records.insert(arn.to_string(), record);
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
