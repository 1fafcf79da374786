//! The executions screen's state: the state machines, rows in server order, the client-side
//! text filter and sort, the cursor (kept on the same execution across refreshes), pagination
//! and the live refresh state.

pub mod keys;
pub mod machines;
pub mod update;
pub mod view;

use crate::app::fetch::Fetch;
use crate::app::list::{ColumnSort, Keyed, List, Needle};
use crate::backend::Page;
use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use machines::Machines;
use std::collections::{HashMap, HashSet};

/// Executions asked for per page.
pub const PAGE_SIZE: u32 = 100;
/// The next page is requested when the cursor gets this close to the end of the list.
pub const PREFETCH_ROWS: usize = 20;
/// Rows described at once, at most, to fill in what `ListExecutions` leaves out. The
/// governor sends DescribeExecution at its budget (1.5/s in us-east-1), so each one handed
/// over waits its turn there: two keep the budget used (an answer takes well under the 0.7 s
/// between tokens) while bounding what is still described for rows scrolled away after the
/// scrolling stops. The queue proper stays here, recomputed from the rows on screen.
pub const MAX_ROW_DESCRIBES: usize = 2;

/// What a `DescribeExecution` told about a row (AWS lists neither input nor outcome).
#[derive(Debug, Clone, PartialEq)]
pub struct RowDetail {
    /// The row's status in the list when it was described: a row is described once per
    /// status it is listed with (again when it ends, never in a loop).
    pub described_for: ExecutionStatus,
    /// The status the description gave (may be newer than the list's).
    pub status: ExecutionStatus,
    pub input_label: Option<String>,
    pub outcome: Option<Outcome>,
}

/// What a further page of the listing is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFor {
    /// The rows below the last one held (scrolling down, `G`, a filter searching on).
    Bottom,
    /// The rows between a refreshed first page and the rows held before it.
    Gap,
}

/// Executions the list knows it lacks: a refresh's first page did not reach the rows held
/// (more than a page started since the last one, or while the list was paused behind an
/// open execution). They are read with the refresh's token until a page reaches them.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The first held row below the gap: the missing rows go just above it.
    pub before: String,
    /// The token of the page that continues the refresh.
    pub next_token: String,
    /// Rows filled in so far.
    pub filled: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Status,
    Name,
    Start,
    Duration,
}

impl SortColumn {
    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Status => "status",
            SortColumn::Name => "name",
            SortColumn::Start => "start",
            SortColumn::Duration => "duration",
        }
    }
}

pub type Sort = ColumnSort<SortColumn>;

impl Keyed for ExecutionSummary {
    fn key(&self) -> &str {
        &self.arn
    }
}

/// The executions screen: the state machines, the listing of the selected one, and the
/// descriptions that fill in what the listing leaves out.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Rows in server order (newest first), across the pages loaded so far; the list's
    /// filter matches name, input label, outcome and status.
    pub list: List<ExecutionSummary, SortColumn>,
    pub machines: Machines,
    /// Token of the next page; None when everything is loaded.
    pub next_token: Option<String>,
    /// Server-side filter (None = all statuses).
    pub status_filter: Option<ExecutionStatus>,
    /// A first page arrived for the current list generation.
    pub loaded: bool,
    /// The first page, asked for again every refresh interval. A refused listing
    /// (`states:ListExecutions`) is not refreshed on its own until a manual refresh (or a
    /// new listing) succeeds.
    pub refresh: Fetch,
    /// A further page: the next one as the cursor nears the end, or one that fills a gap.
    pub page: Fetch<PageFor>,
    /// `G` was pressed with more pages on the server: every page is read (one governed
    /// request at a time) and the cursor kept on the last row, until the end or `Esc`.
    pub to_end: bool,
    /// Executions missing between a refreshed first page and the rows held below it; the
    /// newest gap is last and filled first.
    pub gaps: Vec<Gap>,
    /// Time of the last successful refresh (the LIVE badge).
    pub last_refresh: Option<Millis>,
    /// The last refresh error and when it happened; the last good rows stay on screen.
    pub error: Option<(String, Millis)>,
    /// Descriptions of rows, by execution ARN (kept across listings: an ARN's input never
    /// changes, nor does a finished run's outcome).
    pub row_details: HashMap<String, RowDetail>,
    /// Rows being described.
    pub describing: HashSet<String>,
    /// `DescribeExecution` was refused: rows are not described any more.
    pub describe_denied: bool,
}

impl State {
    /// Forgets the rows for a new listing (other state machine or status filter); responses
    /// to earlier requests are then stale.
    pub fn reset(&mut self) {
        let list = List {
            filter: std::mem::take(&mut self.list.filter),
            sort: self.list.sort,
            ..List::default()
        };
        *self = State {
            list,
            machines: std::mem::take(&mut self.machines),
            status_filter: self.status_filter,
            row_details: std::mem::take(&mut self.row_details),
            describe_denied: self.describe_denied,
            ..State::default()
        };
    }

    /// Whether the listing left out something a description tells.
    fn lacks_detail(row: &ExecutionSummary) -> bool {
        row.input_label.is_none() || (row.status.is_terminal() && row.outcome.is_none())
    }

    /// Rows on screen that lack input or outcome and have not been described with their
    /// current status, newest first, as many as the budget of describes in flight allows.
    /// Recomputed from what shows each time a slot frees: a row scrolled away before its
    /// turn is never asked for.
    pub fn rows_to_describe(&self, table_rows: usize) -> Vec<(String, ExecutionStatus)> {
        if self.describe_denied {
            return Vec::new();
        }
        let budget = MAX_ROW_DESCRIBES.saturating_sub(self.describing.len());
        let list = &self.list;
        let mut wanted: Vec<&ExecutionSummary> = list
            .on_screen(table_rows)
            .filter(|row| Self::lacks_detail(row) && !self.describing.contains(&row.arn))
            .filter(|row| {
                self.row_details
                    .get(&row.arn)
                    .is_none_or(|d| d.described_for != row.status && d.status != row.status)
            })
            .collect();
        // Whatever the sort, the newest executions are the ones an operator looks at.
        wanted.sort_by_key(|row| std::cmp::Reverse(row.start));
        wanted
            .into_iter()
            .take(budget)
            .map(|row| (row.arn.clone(), row.status))
            .collect()
    }

    /// Records a row's description and fills in the rows it covers.
    pub fn apply_row_detail(&mut self, arn: String, detail: RowDetail, now: Millis) {
        self.describing.remove(&arn);
        self.row_details.insert(arn, detail);
        self.fill_from_details();
        self.recompute(now);
    }

    /// Fills blank inputs from the descriptions, and outcomes where the description saw the
    /// status the row is listed with (a newer status waits for the list to catch up).
    pub fn fill_from_details(&mut self) {
        for row in &mut self.list.rows {
            let Some(detail) = self.row_details.get(&row.arn) else {
                continue;
            };
            if row.input_label.is_none() {
                row.input_label.clone_from(&detail.input_label);
            }
            if row.outcome.is_none() && detail.status == row.status {
                row.outcome.clone_from(&detail.outcome);
            }
        }
    }

    pub fn selected(&self) -> Option<&ExecutionSummary> {
        self.list.selected()
    }

    /// A refresh (first page): updates known rows, adds new ones at the top, keeps the pages
    /// loaded further down. A full page that reaches none of the held rows leaves a gap to
    /// fill (see `Gap`), never a silent hole.
    pub fn apply_refresh(&mut self, page: Page<ExecutionSummary>, now: Millis) {
        let first_load = !self.loaded;
        let fresh: HashSet<&str> = page.items.iter().map(|e| e.arn.as_str()).collect();
        let held_before = self.list.rows.len();
        let kept: Vec<ExecutionSummary> = self
            .list
            .rows
            .drain(..)
            .filter(|r| !fresh.contains(r.arn.as_str()))
            .collect();
        let overlaps = kept.len() < held_before;
        // Rows beyond the first page stay only if they are older than the page (the list is
        // newest first); if nothing was beyond it, the page's token is the one to follow.
        let oldest_fresh = page.items.iter().map(|e| e.start).min();
        let kept: Vec<ExecutionSummary> = match oldest_fresh {
            Some(oldest) if page.next_token.is_some() => {
                kept.into_iter().filter(|r| r.start <= oldest).collect()
            }
            _ => Vec::new(),
        };
        // A gap whose lower edge is gone (it scrolled into the page) has nothing to fill.
        self.gaps.retain(|g| kept.iter().any(|r| r.arn == g.before));
        if let (false, Some(token), Some(first_kept)) =
            (overlaps, page.next_token.as_ref(), kept.first())
        {
            self.gaps.push(Gap {
                before: first_kept.arn.clone(),
                next_token: token.clone(),
                filled: 0,
            });
        }
        if kept.is_empty() {
            self.next_token = page.next_token;
        }
        self.list.rows = page.items;
        self.list.rows.extend(kept);
        self.loaded = true;
        self.last_refresh = Some(now);
        self.error = None;
        self.refresh.denied = None;
        if first_load && self.list.cursor_key.is_none() {
            self.list.cursor = 0;
        }
        self.fill_from_details();
        self.recompute(now);
    }

    /// A further page, appended below (rows already present are skipped).
    pub fn apply_page(&mut self, page: Page<ExecutionSummary>, now: Millis) {
        self.list.extend_new(page.items);
        self.next_token = page.next_token;
        self.fill_from_details();
        self.recompute(now);
    }

    /// A page read into the newest gap: its new rows go above the gap's lower edge; the gap
    /// closes when the page reaches a held row or the listing ends.
    pub fn apply_gap_page(&mut self, page: Page<ExecutionSummary>, now: Millis) {
        let Some(mut gap) = self.gaps.pop() else {
            return;
        };
        let held: HashSet<&str> = self.list.rows.iter().map(|r| r.arn.as_str()).collect();
        let reached = page.items.iter().any(|r| held.contains(r.arn.as_str()));
        let new: Vec<ExecutionSummary> = page
            .items
            .into_iter()
            .filter(|r| !held.contains(r.arn.as_str()))
            .collect();
        let at = self
            .list
            .rows
            .iter()
            .position(|r| r.arn == gap.before)
            .unwrap_or(self.list.rows.len());
        gap.filled += new.len();
        self.list.rows.splice(at..at, new);
        match page.next_token {
            Some(token) if !reached => {
                gap.next_token = token;
                self.gaps.push(gap);
            }
            _ => {}
        }
        self.fill_from_details();
        self.recompute(now);
    }

    fn matches_text(row: &ExecutionSummary, needle: &mut Needle) -> bool {
        if needle.is_empty() {
            return true;
        }
        needle.found_in(&row.name)
            || row
                .input_label
                .as_deref()
                .is_some_and(|l| needle.found_in(l))
            || row
                .outcome
                .as_ref()
                .is_some_and(|o| needle.found_in(&o.label()))
            || needle.found_in(row.status.as_str())
    }

    /// Rebuilds `visible` after a change of rows, filter or sort, and puts the cursor back on
    /// the same execution when it is still listed.
    pub fn recompute(&mut self, now: Millis) {
        let mut needle = self.list.needle();
        let rows = &self.list.rows;
        let mut visible: Vec<usize> = (0..rows.len())
            .filter(|&i| Self::matches_text(&rows[i], &mut needle))
            .collect();
        if let Some(sort) = self.list.sort {
            visible.sort_by(|&a, &b| {
                let (a, b) = (&rows[a], &rows[b]);
                sort.directed(match sort.column {
                    SortColumn::Status => a.status.cmp(&b.status),
                    SortColumn::Name => a.name.cmp(&b.name),
                    SortColumn::Start => a.start.cmp(&b.start),
                    SortColumn::Duration => a.duration(now).cmp(&b.duration(now)),
                })
            });
        }
        self.list.show(visible);
    }

    /// Sorting by the same column again reverses the direction.
    pub fn sort_by(&mut self, column: SortColumn, now: Millis) {
        // Newest / longest first is what an operator usually wants for time columns.
        let descending_first = matches!(column, SortColumn::Start | SortColumn::Duration);
        self.list.choose_sort(column, descending_first);
        self.recompute(now);
    }

    /// True when the cursor nears the end and more rows exist on the server.
    pub fn wants_next_page(&self) -> bool {
        self.loaded
            && self.refresh.denied.is_none()
            && self.next_token.is_some()
            && !self.page.busy()
            && self.gaps.is_empty()
            && (self.to_end || self.list.near_end(PREFETCH_ROWS))
    }
}

/// The status filter after `current`: all → RUNNING → … → PENDING_REDRIVE → all.
pub fn next_status_filter(current: Option<ExecutionStatus>) -> Option<ExecutionStatus> {
    match current {
        None => Some(ExecutionStatus::ALL[0]),
        Some(s) => {
            let i = ExecutionStatus::ALL
                .iter()
                .position(|&x| x == s)
                .unwrap_or(0);
            ExecutionStatus::ALL.get(i + 1).copied()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_filter_cycles_through_all_and_back() {
        let mut seen = vec![];
        let mut f = None;
        for _ in 0..=ExecutionStatus::ALL.len() {
            f = next_status_filter(f);
            seen.push(f);
        }
        assert_eq!(seen.last(), Some(&None));
        assert_eq!(seen[0], Some(ExecutionStatus::Running));
        assert_eq!(seen.len(), ExecutionStatus::ALL.len() + 1);
    }
}
