//! `Figures`: the dashboard's tallies over one window — runs per bucket and outcome, reasons,
//! end-to-end durations, and per-state durations from the histories read so far. Built in one
//! pass (`compute`), then kept up to date one execution or one history at a time (`observe`,
//! `observe_history`), each a handful of hash look-ups and one insertion into a sorted vector.
//! Executions are held in one vector, found by ARN through an `ArnIndex`: a recompute over
//! 100,000 runs allocates a few dozen times, not once per run, and builds the index on a
//! second thread while this one counts.

use super::arn_index::ArnIndex;
use super::digest::HistoryDigest;
use super::numbers::thousands;
use super::outcome::OutcomeKind;
use super::percentile::{Percentiles, insert_sorted, remove_sorted, sort_durations};
use super::reasons::{Reason, ReasonKind, ReasonTally, rank};
use super::state_tallies::{StateRow, StateTallies};
use super::window::Window;
use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use crate::domain::text_keys::{KeyMap, Map, hash_of};

/// Executions from which a recompute indexes them on a second thread (below, the thread
/// would cost more than it saves).
pub(super) const SECOND_THREAD_FROM: usize = 4_096;

/// What one execution in the window contributes, to take it back when it changes (its ARN
/// is the index's at the same slot). Kept to 32 bytes: a recompute writes 100,000 of them,
/// and their memory, not the arithmetic, is what it waits on.
#[derive(Debug, Clone)]
struct Record {
    start: Millis,
    /// End-to-end duration once finished, `RUNNING` before.
    duration: Millis,
    /// Index in `Figures::reasons`, `NO_REASON` without one.
    reason: u32,
    bucket: u16,
    status: ExecutionStatus,
    kind: OutcomeKind,
    /// In the tallies (false: it moved out of the window since it was first counted).
    counted: bool,
    /// The outcome came from the execution (a description or the history), not assumed.
    outcome_known: bool,
    /// Its history's states are in the state tallies.
    history_read: bool,
}

/// `Record::duration` of a run not finished.
const RUNNING: Millis = Millis::MIN;
/// `Record::reason` of a run without one.
const NO_REASON: u32 = u32::MAX;

impl Record {
    fn duration(&self) -> Option<Millis> {
        (self.duration != RUNNING).then_some(self.duration)
    }

    fn reason(&self) -> Option<usize> {
        (self.reason != NO_REASON).then_some(self.reason as usize)
    }
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
    /// ARN → index in `records`.
    index: ArnIndex,
    reasons: Vec<ReasonTally>,
    /// Reason text → index in `reasons`, one map per `ReasonKind`.
    reason_index: [Map<u32>; 2],
    states: StateTallies,
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
            index: ArnIndex::default(),
            reasons: Vec::new(),
            reason_index: Default::default(),
            states: StateTallies::default(),
            e2e: Vec::new(),
            coverage: Coverage::default(),
        }
    }

    /// All the figures at once: `executions` (any order; those outside the window are
    /// skipped) and the histories read, (execution ARN, digest) in any order.
    pub fn compute<'a, E>(
        window: Window,
        now: Millis,
        executions: E,
        histories: impl IntoIterator<Item = (&'a str, &'a HistoryDigest)>,
    ) -> Figures
    where
        E: IntoIterator<Item = &'a ExecutionSummary>,
        E::IntoIter: Clone + Send,
    {
        let mut figures = Figures::new(window, now);
        figures.recompute(window, now, executions, histories);
        figures
    }

    /// `compute` in place: the same figures, in the memory these held (a recompute of 100,000
    /// runs then touches no fresh page — the kernel's zeroing of ~15 MB was a quarter of it).
    /// From `SECOND_THREAD_FROM` executions on, the index of their ARNs is built on a second
    /// thread while this one counts them.
    pub fn recompute<'a, E>(
        &mut self,
        window: Window,
        now: Millis,
        executions: E,
        histories: impl IntoIterator<Item = (&'a str, &'a HistoryDigest)>,
    ) where
        E: IntoIterator<Item = &'a ExecutionSummary>,
        E::IntoIter: Clone + Send,
    {
        self.window = window;
        self.first_bucket_start = window.first_bucket_start(now);
        self.buckets.clear();
        self.buckets
            .resize(window.bucket_count(), [0; OutcomeKind::COUNT]);
        self.records.clear();
        self.index.clear();
        self.reasons.clear();
        self.reason_index.iter_mut().for_each(Map::clear);
        self.states.clear();
        self.e2e.clear();
        self.coverage = Coverage::default();

        let executions = executions.into_iter();
        let expected = executions.size_hint().0;
        self.records.reserve(expected);
        self.e2e.reserve(expected);
        if let Some(first) = executions.clone().next() {
            // ARNs of one state machine differ little in length.
            self.index.reserve(expected, first.arn.len() + 8);
        }
        // Each history is matched to its execution as that is indexed: a small map of the
        // histories' ARNs (it stays in cache) probed with the hash the execution's ARN needs
        // anyway, not 10,000 look-ups scattered over the big index and records afterwards.
        let histories: Vec<(&str, &HistoryDigest)> = histories.into_iter().collect();
        let histories = histories.as_slice();
        let history_arn = |at: u32| histories.get(at as usize).map(|(arn, _)| *arn);
        let mut history_index = KeyMap::default();
        history_index.reserve(histories.len());
        for (at, (arn, _)) in histories.iter().enumerate() {
            history_index.get_or_insert(arn, at as u32, history_arn);
        }
        // The index and the records list the same runs in the same order: those `record_of`
        // counts, which start in the window. On two threads: the ARNs are copied and hashed
        // (matching the histories) while the runs are counted; then the ARNs are indexed
        // while the states of the histories matched (of finished runs, which need no record)
        // are tallied; last the records of those runs are marked read.
        let first_start = self.first_bucket_start;
        let mut index = std::mem::take(&mut self.index);
        let mut states = std::mem::take(&mut self.states);
        let (indexing, to_index, history_index) = (&mut index, executions.clone(), &history_index);
        let append = move || {
            let matched = indexing.append(to_index, first_start, history_index, history_arn);
            (indexing, matched)
        };
        let matched = if expected < SECOND_THREAD_FROM {
            let (indexing, matched) = append();
            indexing.index_appended();
            self.count_records(executions);
            tally_states(&mut states, histories, &matched);
            matched
        } else {
            std::thread::scope(|scope| {
                let appending = scope.spawn(append);
                self.count_records(executions);
                let (indexing, matched) = appending
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                let filling = scope.spawn(move || indexing.index_appended());
                tally_states(&mut states, histories, &matched);
                filling
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                matched
            })
        };
        self.index = index;
        self.states = states;
        debug_assert_eq!(self.index.len(), self.records.len());
        for &(slot, at) in &matched {
            let marked = self.mark_history(slot, histories[at as usize].1);
            debug_assert!(marked, "a finished run in the window, its history not read");
        }
    }

    /// Records and counts the runs of `executions` in the window (their ARNs indexed apart),
    /// their end-to-end durations sorted.
    fn count_records<'a>(&mut self, executions: impl Iterator<Item = &'a ExecutionSummary>) {
        for summary in executions {
            if let Some(record) = self.record_of(summary) {
                self.count_in(&record, false);
                self.records.push(record);
            }
        }
        sort_durations(&mut self.e2e, &mut Vec::new());
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
            && old.duration() == duration_of(summary)
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
        match self.record_of(summary) {
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
            .enumerate()
            .filter(|(_, r)| r.counted && r.duration != RUNNING && !r.history_read)
            .map(|(slot, _)| self.index.arn(slot))
    }

    /// The index in `records` of the execution `arn`, counted or not.
    fn slot_of(&self, arn: &str) -> Option<usize> {
        self.index.slot_of(arn)
    }

    /// Counts an execution not held yet; false when it started before the window.
    fn add(&mut self, summary: &ExecutionSummary, keep_sorted: bool) -> bool {
        let Some(record) = self.record_of(summary) else {
            return false;
        };
        self.index.push(hash_of(&summary.arn), &summary.arn);
        self.count_in(&record, keep_sorted);
        self.records.push(record);
        true
    }

    /// What `summary` contributes; None when it started before the window (the same test as
    /// `ArnIndex::fill`'s).
    fn record_of(&mut self, summary: &ExecutionSummary) -> Option<Record> {
        if summary.start < self.first_bucket_start {
            return None;
        }
        let last = self.buckets.len() - 1;
        // A start past `now` (clock skew) goes in the current bucket.
        let bucket =
            (((summary.start - self.first_bucket_start) / self.window.bucket()) as usize).min(last);
        Some(Record {
            start: summary.start,
            duration: duration_of(summary).unwrap_or(RUNNING),
            reason: summary
                .outcome
                .as_ref()
                .and_then(|o| self.reason_slot(o))
                .unwrap_or(NO_REASON),
            bucket: bucket as u16,
            status: summary.status,
            kind: OutcomeKind::of_summary(summary),
            counted: true,
            outcome_known: summary.outcome.is_some(),
            history_read: false,
        })
    }

    /// Adds a record's counts and its end-to-end duration.
    fn count_in(&mut self, record: &Record, keep_sorted: bool) {
        self.count(record, 1);
        if let Some(duration) = record.duration() {
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
        if let Some(duration) = record.duration() {
            remove_sorted(&mut self.e2e, duration);
        }
    }

    fn count(&mut self, record: &Record, sign: i32) {
        let apply = |n: &mut u32| *n = n.saturating_add_signed(sign);
        let apply64 = |n: &mut u64| *n = n.saturating_add_signed(i64::from(sign));
        let bucket = record.bucket as usize;
        apply(&mut self.buckets[bucket][record.kind.index()]);
        if let Some(slot) = record.reason() {
            let tally = &mut self.reasons[slot];
            apply(&mut tally.count);
            apply(&mut tally.per_bucket[bucket]);
        }
        apply64(&mut self.coverage.executions);
        if record.duration != RUNNING {
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
        match self.slot_of(arn) {
            Some(slot) => self.count_history(slot, arn, digest, keep_sorted),
            None => false,
        }
    }

    /// Counts the history of `records[slot]` (whose ARN is `arn`), unless it is not counted,
    /// not finished or its history already is.
    fn count_history(
        &mut self,
        slot: usize,
        arn: &str,
        digest: &HistoryDigest,
        keep_sorted: bool,
    ) -> bool {
        let marked = self.mark_history(slot, digest);
        if marked {
            self.states.add(arn, digest, keep_sorted);
        }
        marked
    }

    /// Marks `records[slot]`'s history read and learns its outcome from it (its states are
    /// the state tallies' to count); false when the run is not counted, not finished or its
    /// history already read.
    fn mark_history(&mut self, slot: usize, digest: &HistoryDigest) -> bool {
        let record = &self.records[slot];
        if !record.counted || record.history_read || record.duration == RUNNING {
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
        true
    }

    /// Counts a run whose outcome was assumed under the outcome now known.
    fn learn_outcome(&mut self, slot: usize, outcome: &Outcome) {
        let mut record = self.records[slot].clone();
        self.count(&record, -1);
        record.kind = OutcomeKind::of(record.status, Some(outcome));
        record.reason = self.reason_slot(outcome).unwrap_or(NO_REASON);
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
        self.states.rows()
    }

    /// The slowest executions in `state`: (its duration there, execution ARN), slowest first.
    pub fn slowest(&self, state: &str) -> &[(Millis, String)] {
        self.states.slowest(state)
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

/// Tallies the states of the histories `matched` (slot, index in `histories`), then sorts
/// their durations.
fn tally_states(
    states: &mut StateTallies,
    histories: &[(&str, &HistoryDigest)],
    matched: &[(usize, u32)],
) {
    for &(_, at) in matched {
        let (arn, digest) = histories[at as usize];
        states.add(arn, digest, false);
    }
    states.sort(&mut Vec::new());
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
