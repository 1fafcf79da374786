//! The executions screen's requests and their answers: the refresh of the first page on an
//! interval, the next page as the cursor nears the end, and descriptions of the rows on
//! screen (AWS lists neither input nor outcome).

use super::{PAGE_SIZE, PageFor, RowDetail, State};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::backend::{BackendError, ListExecutionsRequest, Page};
use crate::domain::Millis;
use crate::domain::execution::{
    ExecutionDetail, ExecutionStatus, ExecutionSummary, input_label, outcome_from_description,
};

/// Idle time before the list refresh starts to slow down.
pub const IDLE_AFTER_MS: Millis = 120_000;
/// The slowest an idle list is refreshed (unless the configured interval is slower).
pub const IDLE_MAX_INTERVAL_MS: Millis = 30_000;

/// The list refresh interval after `idle` ms without a key press: the configured `base`
/// while something runs or someone was here in the last two minutes, then doubled each
/// further minute up to 30 s. Nobody watching a finished list needs it every 2 s, and every
/// refresh is a ListExecutions from the account's budget of 2–5 a second.
pub fn slowed_interval(base: Millis, idle: Millis, running: bool) -> Millis {
    if running || idle < IDLE_AFTER_MS {
        return base;
    }
    let doublings = ((idle - IDLE_AFTER_MS) / 60_000 + 1).min(16) as u32;
    base.saturating_mul(1 << doublings)
        .min(IDLE_MAX_INTERVAL_MS.max(base))
}

/// When the next refresh is due, while the list is shown and a state machine is selected.
pub fn refresh_due_at(s: &State, now: Millis, interval: Millis) -> Option<Millis> {
    s.machines.current()?;
    // A denied listing is not retried on its own (refresh asks again).
    s.refresh.due(now, interval)
}

fn request(s: &State, next_token: Option<String>) -> Option<ListExecutionsRequest> {
    let sm = s.machines.current()?;
    Some(ListExecutionsRequest {
        state_machine_arn: sm.arn.clone(),
        status: s.status_filter,
        next_token,
        page_size: PAGE_SIZE,
    })
}

/// A list request for the first page (refresh) of the current listing.
pub fn request_refresh(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let Some(request) = request(s, None) else {
        return Vec::new();
    };
    let generation = cx.next_generation();
    s.refresh.begin(generation, cx.now, ());
    vec![Effect::LoadExecutions {
        generation,
        append: false,
        request,
    }]
}

/// The next page to read, if any: the newest gap first (rows the list knows it lacks), else
/// the page below when the cursor nears the end. One at a time.
pub fn next_page_if_needed(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.page.busy() || !s.loaded || s.refresh.denied.is_some() {
        return Vec::new();
    }
    let (tag, token) = match s.gaps.last() {
        Some(gap) => (PageFor::Gap, gap.next_token.clone()),
        None if s.wants_next_page() => match s.next_token.clone() {
            Some(token) => (PageFor::Bottom, token),
            None => return Vec::new(),
        },
        None => return Vec::new(),
    };
    let Some(request) = request(s, Some(token)) else {
        return Vec::new();
    };
    let generation = cx.next_generation();
    s.page.begin(generation, cx.now, tag);
    vec![Effect::LoadExecutions {
        generation,
        append: true,
        request,
    }]
}

/// A new listing (state machine or status filter changed): old responses become stale.
pub fn reload(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    s.reset();
    request_refresh(s, cx)
}

/// Selects the state machine at `index` and lists its executions (again, if it is another
/// one or its list never loaded).
pub fn select_machine(s: &mut State, cx: &mut Ctx, index: usize) -> Vec<Effect> {
    if index >= s.machines.all.len() {
        return Vec::new();
    }
    let changed = s.machines.selected != Some(index);
    s.machines.selected = Some(index);
    if changed || !s.loaded {
        s.list.cursor_key = None;
        reload(s, cx)
    } else {
        Vec::new()
    }
}

pub fn set_status_filter(
    s: &mut State,
    cx: &mut Ctx,
    status: Option<ExecutionStatus>,
) -> Vec<Effect> {
    s.status_filter = status;
    reload(s, cx)
}

/// The text filter as typed: the list filters as you type (and may need the next page).
pub fn apply_filter(s: &mut State, cx: &mut Ctx, text: String) -> Vec<Effect> {
    s.list.set_filter(text);
    s.recompute(cx.now);
    let cursor = s.list.cursor;
    s.list.set_cursor(cursor, cx.page_rows());
    next_page_if_needed(s, cx)
}

/// Refresh now (the refresh key): the state machines when there are none to list from (e.g.
/// after a network drop), else the first page unless one is on its way.
pub fn refresh(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    // A refusal is asked again on a refresh (the README says so): rows are described anew.
    s.describe_denied = false;
    if s.machines.current().is_none() {
        s.machines.reload()
    } else if !s.refresh.busy() {
        request_refresh(s, cx)
    } else {
        Vec::new()
    }
}

/// A page of the listing arrived (a refresh, or a further page when `append`). Returns the
/// next page's request when the page was taken (the shell then describes the rows now on
/// screen), None when it was stale or an error.
pub fn on_page(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    append: bool,
    result: Result<Page<ExecutionSummary>, BackendError>,
) -> Option<Vec<Effect>> {
    // None: stale, the listing changed since the request.
    let tag = if append {
        s.page.accept(generation)?
    } else {
        s.refresh.accept(generation)?;
        PageFor::Bottom
    };
    match result {
        Ok(page) if append && tag == PageFor::Gap => s.apply_gap_page(page, cx.now),
        Ok(page) if append => {
            s.apply_page(page, cx.now);
            if s.to_end {
                // On to the real end: the cursor follows the last row as pages arrive.
                s.to_end = s.next_token.is_some();
                s.list.set_cursor(usize::MAX, cx.page_rows());
            }
        }
        Ok(page) => s.apply_refresh(page, cx.now),
        Err(e) => {
            // `G` does not keep asking after a failure; pressing it again does.
            s.to_end = false;
            // Denied: say which permission (short enough for the header badge) and stop
            // refreshing on our own.
            let text = match e {
                BackendError::AccessDenied { action, .. } => {
                    let text = format!("missing permission {action}");
                    s.refresh.denied = Some(action);
                    text
                }
                // The header badge cuts an error short: what to do about credentials
                // (`aws sso login`) goes to the notice line too, which wraps.
                e @ BackendError::Credentials(_) => {
                    let text = e.to_string();
                    cx.notify(NoticeLevel::Error, text.clone());
                    text
                }
                e => e.to_string(),
            };
            s.error = Some((text, cx.now));
            return None;
        }
    }
    let cursor = s.list.cursor;
    s.list.set_cursor(cursor, cx.page_rows());
    Some(next_page_if_needed(s, cx))
}

/// Describes the rows on screen that the listing left blank, a few at a time. The shell
/// calls it only while the list is shown.
pub fn describe_visible_rows(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    // `page_rows` counts a notice line under the list; without one the table draws one row
    // more, the bottom one, which must be described too. One row past the screen while a
    // notice shows is the lesser harm.
    let wanted = s.rows_to_describe(cx.page_rows() + 1);
    wanted
        .into_iter()
        .map(|(execution_arn, listed_status)| {
            s.describing.insert(execution_arn.clone());
            Effect::DescribeRow {
                execution_arn,
                listed_status,
            }
        })
        .collect()
}

/// A row's description arrived: it fills in the row's input and outcome.
pub fn on_row_described(
    s: &mut State,
    cx: &mut Ctx,
    execution_arn: String,
    listed_status: ExecutionStatus,
    result: Result<ExecutionDetail, BackendError>,
) {
    let detail = match result {
        Ok(detail) => RowDetail {
            described_for: listed_status,
            status: detail.summary.status,
            input_label: detail.input.as_deref().and_then(input_label),
            outcome: outcome_from_description(&detail),
        },
        Err(error) => {
            // Not asked again for this status: a failing row must not become a loop.
            if let BackendError::AccessDenied { action, .. } = &error {
                s.describe_denied = true;
                cx.notify(
                    NoticeLevel::Info,
                    format!("missing permission {action}: the list shows no inputs"),
                );
                // Refused, not described: the row is asked again once a refresh lifts the
                // refusal, rather than left blank for good.
                s.describing.remove(&execution_arn);
                return;
            }
            RowDetail {
                described_for: listed_status,
                status: listed_status,
                input_label: None,
                outcome: None,
            }
        }
    };
    s.apply_row_detail(execution_arn, detail, cx.now);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_list_slows_down_minute_by_minute_to_thirty_seconds() {
        let at = |minutes: f64| slowed_interval(2_000, (minutes * 60_000.0) as Millis, false);
        assert_eq!(at(0.0), 2_000);
        assert_eq!(at(1.9), 2_000);
        assert_eq!(at(2.0), 4_000);
        assert_eq!(at(3.0), 8_000);
        assert_eq!(at(4.5), 16_000);
        assert_eq!(at(5.0), 30_000);
        assert_eq!(at(600.0), 30_000);
        // Something running, or a slower configured interval, is left as it is.
        assert_eq!(slowed_interval(2_000, 600_000, true), 2_000);
        assert_eq!(slowed_interval(60_000, 600_000, false), 60_000);
    }
}
