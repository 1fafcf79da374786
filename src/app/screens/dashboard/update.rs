//! The dashboard's requests and answers: the window's executions page by page (newest page
//! again on the refresh interval while shown), then the histories of finished ones not yet
//! read, `HISTORIES_IN_FLIGHT` at a time, newest first. Every answer updates the figures in
//! place; a new bucket or another window computes them again from what is held.

use super::{HISTORIES_IN_FLIGHT, PAGE_SIZE, State};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::backend::{BackendError, ListExecutionsRequest, Page};
use crate::domain::Millis;
use crate::domain::execution::ExecutionSummary;
use crate::domain::history::HistoryEvent;
use crate::domain::stats::{HistoryDigest, Window};
use crate::domain::timeline::TimelineBuilder;

/// The dashboard comes on screen for `machine_arn`: start over for another machine, else
/// refresh the newest page and go on reading.
pub fn shown(s: &mut State, cx: &mut Ctx, machine_arn: Option<&str>) -> Vec<Effect> {
    let Some(machine_arn) = machine_arn else {
        return Vec::new();
    };
    if s.machine_arn.as_deref() != Some(machine_arn) {
        let window = s.window;
        *s = State::new(cx.now);
        s.window = window;
        s.recompute(cx.now);
        s.machine_arn = Some(machine_arn.to_string());
    }
    let mut effects = refresh(s, cx);
    effects.extend(read_histories(s, cx));
    effects
}

/// Asks for the newest page again (unless a page is on its way).
pub fn refresh(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.listing.is_some() {
        return Vec::new();
    }
    s.refreshed_at = Some(cx.now);
    page(s, cx, None)
}

fn page(s: &mut State, cx: &mut Ctx, next_token: Option<String>) -> Vec<Effect> {
    let Some(machine) = s.machine_arn.clone() else {
        return Vec::new();
    };
    let generation = cx.next_generation();
    let append = next_token.is_some();
    s.listing = Some((generation, append));
    vec![Effect::LoadExecutions {
        generation,
        append,
        request: ListExecutionsRequest {
            state_machine_arn: machine,
            status: None,
            next_token,
            page_size: PAGE_SIZE,
        },
    }]
}

/// Whether an executions page answers the dashboard's request.
pub fn owns_page(s: &State, generation: Generation) -> bool {
    s.listing.is_some_and(|(g, _)| g == generation)
}

/// A page of executions: counted, then the next older page while the window reaches further
/// back, and histories to read.
pub fn on_page(
    s: &mut State,
    cx: &mut Ctx,
    result: Result<Page<ExecutionSummary>, BackendError>,
) -> Vec<Effect> {
    let Some((_, append)) = s.listing.take() else {
        return Vec::new();
    };
    let answer = match result {
        Ok(answer) => answer,
        Err(e) => {
            s.problem = Some(format!("executions could not be listed: {e}"));
            return Vec::new();
        }
    };
    s.problem = None;
    let window_start = s.window.first_bucket_start(cx.now);
    let oldest = answer.items.last().map(|e| e.start);
    for summary in answer.items {
        observe(s, summary);
    }
    // A refresh continues from where the listing stopped; the first listing (and an append)
    // goes on back to the window's start.
    if append || s.next_token.is_none() && !s.listed_back {
        s.next_token = answer.next_token;
        s.listed_back = s.next_token.is_none() || oldest.is_none_or(|t| t < window_start);
    }
    let mut effects = Vec::new();
    if !s.listed_back
        && let Some(token) = s.next_token.clone()
    {
        effects.extend(page(s, cx, Some(token)));
    }
    effects.extend(read_histories(s, cx));
    effects
}

/// Holds the latest answer about an execution and counts its change.
fn observe(s: &mut State, summary: ExecutionSummary) {
    if s.executions.get(&summary.arn) == Some(&summary) {
        return;
    }
    s.figures.observe(&summary);
    s.executions.insert(summary.arn.clone(), summary);
}

/// Asks for the histories of the newest finished executions not yet read, up to
/// `HISTORIES_IN_FLIGHT` at once.
pub fn read_histories(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let free = HISTORIES_IN_FLIGHT.saturating_sub(s.reading.len());
    if free == 0 {
        return Vec::new();
    }
    let mut wanted: Vec<(Millis, &str)> = s
        .figures
        .lacking_history()
        .filter(|arn| !s.unreadable.contains(*arn))
        .filter(|arn| !s.reading.values().any(|r| r == arn))
        .filter_map(|arn| s.executions.get(arn).map(|e| (e.start, arn)))
        .collect();
    // Newest first; the ARN breaks ties so the order never depends on the hash map's.
    wanted.sort_unstable_by(|a, b| b.cmp(a));
    let arns: Vec<String> = wanted
        .into_iter()
        .take(free)
        .map(|(_, arn)| arn.to_string())
        .collect();
    arns.into_iter()
        .map(|execution_arn| {
            let generation = cx.next_generation();
            s.reading.insert(generation, execution_arn.clone());
            Effect::LoadStatsHistory {
                generation,
                execution_arn,
            }
        })
        .collect()
}

/// A history read: its states counted (once), then the next one asked for.
pub fn on_history(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    execution_arn: String,
    result: Result<Vec<HistoryEvent>, BackendError>,
) -> Vec<Effect> {
    if s.reading.remove(&generation).is_none() {
        return Vec::new();
    }
    match result {
        Ok(events) => {
            let mut builder = TimelineBuilder::new();
            builder.extend(&events);
            let digest = HistoryDigest::of(builder.timeline());
            // A history that has not ended (listed finished, then redriven) waits for the
            // next listing.
            if digest.outcome.is_some() {
                s.figures.observe_history(&execution_arn, &digest);
                s.digests.insert(execution_arn, digest);
            } else {
                s.unreadable.insert(execution_arn);
            }
        }
        Err(_) => {
            s.unreadable.insert(execution_arn);
        }
    }
    read_histories(s, cx)
}

/// Time passed while shown: a new bucket computes the figures again; the newest page is
/// asked for again on the refresh interval.
pub fn tick(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.figures.is_stale(cx.now) {
        s.recompute(cx.now);
    }
    let due = refresh_due_at(s, cx.options.refresh_interval());
    if due.is_some_and(|t| t <= cx.now) {
        return refresh(s, cx);
    }
    Vec::new()
}

/// When the newest page is next asked for: the refresh interval after the last time.
pub fn refresh_due_at(s: &State, interval: Millis) -> Option<Millis> {
    if s.machine_arn.is_none() || s.listing.is_some() {
        return None;
    }
    Some(s.refreshed_at.map_or(0, |t| t + interval))
}

/// The next window: figures from what is held at once, and older pages when it reaches
/// further back than the listing went.
pub fn cycle_window(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    set_window(s, cx, s.window.next())
}

pub fn set_window(s: &mut State, cx: &mut Ctx, window: Window) -> Vec<Effect> {
    s.window = window;
    s.drill = None;
    s.recompute(cx.now);
    let start = window.first_bucket_start(cx.now);
    let oldest = s.executions.values().map(|e| e.start).min();
    if s.next_token.is_some() && oldest.is_some_and(|t| t >= start) {
        s.listed_back = false;
        if s.listing.is_none() {
            let token = s.next_token.clone();
            let mut effects = page(s, cx, token);
            effects.extend(read_histories(s, cx));
            return effects;
        }
    }
    read_histories(s, cx)
}
