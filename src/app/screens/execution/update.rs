//! The open execution's requests and their answers: the description, the history (all of it
//! at open, then only new events every second while it runs), and the state payloads fetched
//! once for the details pane. A history read that fails leaves a gap the timeline admits;
//! it is tried again with backoff until a read catches up; a refused one waits for `ctrl-r`,
//! which asks again for everything refused.

use super::State;
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::backend::{BackendError, HistoryRequest};
use crate::domain::Millis;
use crate::domain::execution::{ExecutionDetail, ExecutionStatus, ExecutionSummary};
use crate::domain::history::HistoryEvent;

/// Opens `summary`: describe it and load its whole history (followed live while it runs).
pub fn open(cx: &mut Ctx, summary: ExecutionSummary) -> (State, Vec<Effect>) {
    let mut s = State::new(summary);
    let detail_generation = cx.next_generation();
    let history_generation = cx.next_generation();
    s.describe.begin(detail_generation, cx.now, ());
    s.history.begin(history_generation, cx.now, ());
    let effects = vec![
        Effect::LoadExecution {
            generation: detail_generation,
            execution_arn: s.arn.clone(),
        },
        Effect::LoadHistory {
            generation: history_generation,
            request: HistoryRequest {
                execution_arn: s.arn.clone(),
                after_event_id: None,
                include_data: false,
            },
        },
    ];
    (s, effects)
}

/// Asks for events newer than the last one seen (one request at a time).
pub fn poll_history(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let generation = cx.next_generation();
    if s.history.busy() {
        return Vec::new();
    }
    let last = s.builder.last_event_id();
    s.history.begin(generation, cx.now, ());
    vec![Effect::LoadHistory {
        generation,
        request: HistoryRequest {
            execution_arn: s.arn.clone(),
            after_event_id: (last > 0).then_some(last),
            include_data: false,
        },
    }]
}

/// Describes the execution again (one request at a time).
pub fn describe(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let generation = cx.next_generation();
    if s.describe.busy() {
        return Vec::new();
    }
    s.describe.begin(generation, cx.now, ());
    vec![Effect::LoadExecution {
        generation,
        execution_arn: s.arn.clone(),
    }]
}

/// Fetches the history once with execution data, for the details pane's payloads.
pub fn request_payloads(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let generation = cx.next_generation();
    s.payload.begin(generation, cx.now, ());
    vec![Effect::LoadHistory {
        generation,
        request: HistoryRequest {
            execution_arn: s.arn.clone(),
            after_event_id: None,
            include_data: true,
        },
    }]
}

/// Refresh now: describe again and ask for new events (also the way back after a refused
/// history: a refusal is forgotten, so the next answer decides again).
pub fn refresh(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    s.history.denied = None;
    s.describe.denied = None;
    let mut effects = describe(s, cx);
    effects.extend(poll_history(s, cx));
    effects
}

/// Show a new status soon (after a stop or a redrive of this execution): poll now.
pub fn expect_change(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    s.history.sent_at = None;
    describe(s, cx)
}

/// When the history is read next: polled while the execution runs, and retried after a
/// failure even when the description already says it ended (the events missed must still be
/// read), with backoff; never once the history reached the end, nor while it is refused.
pub fn history_due_at(s: &State, now: Millis) -> Option<Millis> {
    if s.history_ended() || !(s.is_running() || s.history_gap.is_some() || s.redrive_pending()) {
        return None;
    }
    s.history.due(now, s.history_interval())
}

/// With the history denied, the description is all there is: a running execution is
/// described again every refresh interval so its status changes show.
pub fn describe_due_at(s: &State, now: Millis, interval: Millis) -> Option<Millis> {
    if s.history.denied.is_none() || !s.is_running() {
        return None;
    }
    s.describe.due(now, interval)
}

/// The earliest of this screen's polls (the shell calls it only while it is shown).
pub fn wakeup(s: &State, now: Millis, interval: Millis) -> Option<Millis> {
    [history_due_at(s, now), describe_due_at(s, now, interval)]
        .into_iter()
        .flatten()
        .min()
}

/// Time passed: the polls that are due (the shell calls it only while it is shown).
pub fn tick(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let mut effects = Vec::new();
    if history_due_at(s, cx.now).is_some_and(|t| t <= cx.now) {
        effects.extend(poll_history(s, cx));
    }
    let interval = cx.options.refresh_interval();
    if describe_due_at(s, cx.now, interval).is_some_and(|t| t <= cx.now) {
        effects.extend(describe(s, cx));
    }
    effects
}

pub fn on_detail(
    s: &mut State,
    generation: Generation,
    result: Result<ExecutionDetail, BackendError>,
) {
    if s.describe.accept(generation).is_none() {
        return;
    }
    match result {
        Ok(detail) => {
            if detail.summary.status != ExecutionStatus::Running {
                s.timeline.follow = false;
            }
            s.detail = Some(detail);
        }
        Err(e) => s.error = Some(format!("describe failed: {e}")),
    }
}

pub fn on_history(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    include_data: bool,
    result: Result<Vec<HistoryEvent>, BackendError>,
) -> Vec<Effect> {
    if include_data {
        if s.payload.accept(generation).is_none() {
            return Vec::new();
        }
        return match result {
            Ok(events) => {
                s.apply_payloads(&events);
                s.write_pending(None)
            }
            Err(e) => {
                s.error = Some(format!("loading state inputs/outputs failed: {e}"));
                s.write_pending(Some(e.to_string()))
            }
        };
    }
    if s.history.accept(generation).is_none() {
        return Vec::new();
    }
    match result {
        Ok(events) => {
            let was_running = s.is_running();
            s.apply_history(events);
            s.history_ok_at = Some(cx.now);
            s.error = None;
            s.history.denied = None;
            // Every event after the last one held came back: caught up.
            s.history_gap = None;
            s.history_failures = 0;
            // The history saw the end before the description did: describe again for the
            // output / error and the stop time.
            let described_running = s
                .detail
                .as_ref()
                .is_none_or(|d| d.summary.status == ExecutionStatus::Running);
            if was_running && !s.is_running() {
                s.timeline.follow = false;
            }
            if s.timeline().execution.status.is_terminal()
                && s.timeline().event_count > 0
                && described_running
                && s.detail.is_some()
            {
                return describe(s, cx);
            }
        }
        // Denied: show the description alone and stop asking (no retry storm against a
        // refused API); the description is polled instead while the execution runs. Events
        // already held are then a part of the history only: the timeline says so.
        Err(BackendError::AccessDenied { action, .. }) => {
            if s.history_loaded {
                s.history_gap = Some(format!("missing permission {action}"));
            }
            s.history.denied = Some(action);
        }
        // Failed: tried again on the poll schedule with backoff until a read catches up.
        Err(e) => {
            s.history_failures = s.history_failures.saturating_add(1);
            s.history_gap = Some(format!("loading the history failed: {e}"));
        }
    }
    Vec::new()
}
