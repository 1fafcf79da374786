//! Pure Gantt geometry, shared by the console's chart widget and `stepdeck timeline`'s text:
//! the time axis (with the idle gaps between a redriven execution's segments collapsed), which
//! glyph each cell of a span's bar shows on a time window, the ruler's round ticks, and lane
//! labels. Times are subtracted with saturation: no window or span makes it wrap.

use super::{AttemptStatus, PathSegment, Span, Timeline};
use crate::domain::Millis;
use crate::domain::time::format_duration;

/// What a cell of a bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarPart {
    Empty,
    /// The state's time (coloured by its status).
    Body,
    /// A task attempt that failed or timed out (a retry followed, or the state failed).
    FailedAttempt,
    /// Waiting between a failed attempt and the next one (the Retry backoff).
    Backoff,
    /// An attempt scheduled but not started yet (no worker polling, a throttled Lambda): queue
    /// time, not run time. Only cells wholly inside it.
    Queued,
}

/// Time as the chart lays it out: absolute times with the idle gaps between a redriven
/// execution's segments (the failure, then hours later the redrive) collapsed to nothing, so a
/// window fitted to the execution shows its work, not the wait. Without redrives it is the
/// identity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeAxis {
    /// Collapsed gaps `(from, to)`, in order, not overlapping.
    gaps: Vec<(Millis, Millis)>,
}

impl TimeAxis {
    /// The axis of a timeline: each redrive's idle gap collapsed.
    pub fn of(timeline: &Timeline) -> TimeAxis {
        let mut gaps: Vec<(Millis, Millis)> = Vec::new();
        for redrive in &timeline.redrives {
            let from = redrive
                .idle_from
                .max(gaps.last().map_or(Millis::MIN, |g| g.1));
            if redrive.at > from {
                gaps.push((from, redrive.at));
            }
        }
        TimeAxis { gaps }
    }

    /// The collapsed gaps, `(from, to)` in absolute time.
    pub fn gaps(&self) -> &[(Millis, Millis)] {
        &self.gaps
    }

    /// `t` on the axis: minus the collapsed time before it (a time inside a gap lands on the
    /// gap's start).
    pub fn fold(&self, t: Millis) -> Millis {
        let mut cut: Millis = 0;
        for &(from, to) in &self.gaps {
            if t >= to {
                cut = cut.saturating_add(to.saturating_sub(from));
            } else {
                if t > from {
                    cut = cut.saturating_add(t.saturating_sub(from));
                }
                break;
            }
        }
        t.saturating_sub(cut)
    }

    /// Where each collapsed gap is on the axis: a divider between two segments.
    pub fn dividers(&self) -> Vec<Millis> {
        self.gaps.iter().map(|&(from, _)| self.fold(from)).collect()
    }

    /// Time between `from` and `to` on the axis (the idle gaps left out).
    pub fn span(&self, from: Millis, to: Millis) -> Millis {
        self.fold(to).saturating_sub(self.fold(from))
    }
}

/// Left-aligned eighth blocks, 1/8 to 8/8: the end of a bar inside a cell.
const LEFT_EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// Cells of a span's bar over `cells` columns showing absolute times `from..to`; running
/// spans end at `now`. Bar edges get sub-cell precision with block glyphs; attempts are laid
/// over the body at cell precision. Always at least one cell when the span is in the window.
pub fn bar_cells(
    span: &Span,
    window: (Millis, Millis),
    now: Millis,
    cells: usize,
) -> Vec<(char, BarPart)> {
    bar_cells_on(&TimeAxis::default(), span, window, now, cells)
}

/// `bar_cells` on an axis: the window `from..to` is in the axis's time (`TimeAxis::fold`), so
/// a span that a redrive resumed is drawn without the idle gap inside it.
pub fn bar_cells_on(
    axis: &TimeAxis,
    span: &Span,
    (from, to): (Millis, Millis),
    now: Millis,
    cells: usize,
) -> Vec<(char, BarPart)> {
    let mut out = vec![(' ', BarPart::Empty); cells];
    if cells == 0 {
        return out;
    }
    let scale = cells as f64 / to.saturating_sub(from).max(1) as f64;
    let x = |t: Millis| axis.fold(t).saturating_sub(from) as f64 * scale;
    let end = span.end.unwrap_or(now).max(span.start);
    let (a, b) = (x(span.start), x(end));
    if b < 0.0 || a >= cells as f64 {
        return out;
    }
    let first = a.floor().max(0.0) as usize;
    let last = (b.ceil().min(cells as f64) as usize)
        .max(first + 1)
        .min(cells);
    for (c, cell) in out.iter_mut().enumerate().take(last).skip(first) {
        let left = (a - c as f64).clamp(0.0, 1.0);
        let right = (b - c as f64).clamp(0.0, 1.0);
        let glyph = if left <= 0.125 && right >= 0.875 {
            '█'
        } else if left <= 0.125 {
            LEFT_EIGHTHS[((right * 8.0).round() as usize).clamp(1, 8) - 1]
        } else if right >= 0.875 {
            if left < 0.625 { '▐' } else { '▕' }
        } else if (left + right) / 2.0 < 0.5 {
            '▌'
        } else {
            '▐'
        };
        *cell = (glyph, BarPart::Body);
    }
    let cell_range = |t0: Millis, t1: Millis| {
        let c0 = x(t0).floor().max(0.0) as usize;
        let c1 = (x(t1).ceil().max(0.0) as usize).max(c0 + 1).min(cells);
        c0.min(cells)..c1
    };
    for (i, attempt) in span.attempts.iter().enumerate() {
        if i > 0
            && let Some(previous_end) = span.attempts[i - 1].end
            && attempt.scheduled > previous_end
        {
            // The gap is shown between the cells of the two attempts.
            let g0 = x(previous_end).ceil().max(0.0) as usize;
            let g1 = (x(attempt.scheduled).floor().max(0.0) as usize).min(cells);
            for cell in out.iter_mut().take(g1).skip(g0) {
                *cell = ('·', BarPart::Backoff);
            }
        }
        if matches!(
            attempt.status,
            AttemptStatus::Failed | AttemptStatus::TimedOut
        ) {
            let attempt_end = attempt.end.unwrap_or(end);
            for cell in &mut out[cell_range(attempt.scheduled, attempt_end)] {
                if cell.1 == BarPart::Body {
                    cell.1 = BarPart::FailedAttempt;
                }
            }
        }
        // Queue time: only the cells it fills wholly, so a few ms of it never hide a bar.
        let queued_until = attempt.started.or(match attempt.status {
            AttemptStatus::Running => Some(end),
            _ => None,
        });
        if let Some(started) = queued_until {
            let q0 = x(attempt.scheduled).ceil().max(0.0) as usize;
            let q1 = (x(started).floor().max(0.0) as usize).min(cells);
            for cell in out.iter_mut().take(q1).skip(q0) {
                if matches!(cell.1, BarPart::Body | BarPart::FailedAttempt) {
                    cell.1 = BarPart::Queued;
                }
            }
        }
    }
    out
}

/// A round tick spacing leaving at least `min_gap` cells between ticks.
pub fn tick_step(window_ms: Millis, cells: usize, min_gap: usize) -> Millis {
    const STEPS: [Millis; 24] = [
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000,
        120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000,
    ];
    let ticks_that_fit = (cells / min_gap.max(1)).max(1) as Millis;
    let needed = window_ms.max(1) / ticks_that_fit;
    STEPS
        .into_iter()
        .find(|&s| s > needed || (s == needed && window_ms % s == 0))
        .unwrap_or(86_400_000_i64.saturating_mul(needed / 86_400_000 + 1))
}

/// Compact tick text: `0s`, `250ms`, `1.5s`, `3m`, `1h`.
pub fn tick_label(ms: Millis) -> String {
    if ms == 0 {
        "0s".into()
    } else if ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else if ms % 1_000 == 0 {
        format!("{}s", ms / 1_000)
    } else if ms > 1_000 && ms % 100 == 0 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if ms < 1_000 {
        format!("{ms}ms")
    } else {
        format_duration(ms)
    }
}

/// The ruler over `cells` columns for a window in ms since the execution started: tick labels
/// at round times, each starting at its tick's column (labels that would collide are skipped).
pub fn ruler(window: (Millis, Millis), cells: usize) -> String {
    let mut line = vec![' '; cells];
    let (from, to) = window;
    let width = to.saturating_sub(from).max(1);
    let step = tick_step(width, cells, 8);
    // The first multiple of `step` at or after `from`; checked, for windows near the ends
    // of the i64 range.
    let first = from.div_euclid(step).checked_mul(step).and_then(|tick| {
        if tick < from {
            tick.checked_add(step)
        } else {
            Some(tick)
        }
    });
    let mut tick = match first {
        Some(tick) => tick,
        None => return line.into_iter().collect(),
    };
    let mut free_from = 0;
    while tick <= to {
        let col = (tick.saturating_sub(from) as f64 * cells as f64 / width as f64).round() as usize;
        let label = tick_label(tick);
        if col >= free_from && col + label.len() <= cells {
            for (i, ch) in label.chars().enumerate() {
                line[col + i] = ch;
            }
            free_from = col + label.len() + 1;
        }
        match tick.checked_add(step) {
            Some(next) => tick = next,
            None => break,
        }
    }
    line.into_iter().collect()
}

/// Text of a lane header: `▸ branch 0` for a Parallel branch, `▸ [3]` for a Map iteration.
pub fn lane_label(segment: &PathSegment) -> String {
    match segment {
        PathSegment::Branch { index, .. } => format!("▸ branch {index}"),
        PathSegment::Iteration { index, .. } => format!("▸ [{index}]"),
    }
}

/// One past the last non-empty cell.
pub fn bar_end_hint(cells: &[(char, BarPart)]) -> usize {
    cells
        .iter()
        .rposition(|(_, part)| *part != BarPart::Empty)
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::timeline::fixture;

    #[test]
    fn bars_have_sub_cell_edges_and_at_least_one_cell() {
        let t = fixture("happy_path.json");
        let start = t.execution.start;
        // 10 cells for 1000 ms: FaceDetection runs 51..1262, so it starts past the middle of
        // cell 0 (right-half block) and covers the rest.
        let face = bar_cells(&t.spans[1], (start, start + 1_000), start + 2_000, 10);
        assert_eq!(face[0].0, '▐');
        assert!(face[1..].iter().all(|&cell| cell == ('█', BarPart::Body)));
        let choice = bar_cells(&t.spans[0], (start, start + 1_000), 0, 10);
        assert_eq!(choice[0].1, BarPart::Body, "a 13 ms state still shows");
        assert!(choice[1..].iter().all(|(_, p)| *p == BarPart::Empty));
        // CheckFaceDuplicate (1280..2030) on 20 cells of 100 ms: starts at 12.8 cells (a
        // thin right block), ends at 20.3 (past the window: full cells to the edge).
        let check = bar_cells(&t.spans[2], (start, start + 2_000), 0, 20);
        assert_eq!(check[11].1, BarPart::Empty);
        assert_eq!(check[12].0, '▕');
        assert_eq!(check[19].0, '█');
        // PersistMetadata (3447..3640) on 10 cells of 400 ms ends at 9.1 cells: 1/8 block.
        let persist = bar_cells(&t.spans[6], (start, start + 4_000), 0, 10);
        assert_eq!(persist[8].0, '▐');
        assert_eq!(persist[9].0, '▏');
        assert!(bar_cells(&t.spans[1], (start, start + 10), 0, 0).is_empty());
    }

    #[test]
    fn the_idle_gap_before_a_redrive_is_collapsed_on_the_axis() {
        let t = fixture("redriven.json");
        let axis = TimeAxis::of(&t);
        let failed = 1_764_065_342_425;
        let redriven = failed + (3 * 3_600 + 17 * 60) * 1_000;
        assert_eq!(axis.gaps(), [(failed, redriven)]);
        assert_eq!(axis.fold(failed - 5), failed - 5);
        assert_eq!(
            axis.fold(failed + 60_000),
            failed,
            "inside the gap: at its start"
        );
        assert_eq!(axis.fold(redriven + 100), failed + 100);
        assert_eq!(axis.dividers(), [failed]);
        // The Parallel ran 377 ms before the failure and 1151 ms after the redrive.
        let parallel = &t.spans[3];
        assert_eq!(
            axis.span(parallel.start, parallel.end.unwrap()),
            377 + 1_151
        );
        // Fitted to the execution, its bar fills the cells from its start to the end, with
        // no hours of nothing in the middle.
        let start = axis.fold(t.execution.start);
        let window = (start, axis.fold(t.execution.end.unwrap()));
        // 3805 ms on 38 cells: it runs from 2048 ms (cell 20.45) to 3576 ms (cell 35.7).
        let cells = bar_cells_on(&axis, parallel, window, 0, 38);
        assert!(
            cells[20..36]
                .iter()
                .all(|&(_, part)| part != BarPart::Empty)
        );
        assert!(cells[36..].iter().all(|&(_, part)| part == BarPart::Empty));
        // Without the axis, its end lies hours past the same window: the bar runs off it.
        let plain = bar_cells(parallel, window, 0, 38);
        assert_ne!(plain[37].1, BarPart::Empty);
        assert_eq!(
            TimeAxis::of(&fixture("happy_path.json")),
            TimeAxis::default()
        );
    }

    #[test]
    fn queue_time_shows_only_where_it_fills_whole_cells() {
        let mut t = fixture("happy_path.json");
        let start = t.execution.start;
        let face = &mut t.spans[1];
        // FaceDetection (51..1262): pretend its Lambda was throttled until 651.
        face.attempts[0].started = Some(start + 651);
        let cells = bar_cells(face, (start, start + 1_000), start + 2_000, 10);
        let parts: Vec<BarPart> = cells.iter().map(|c| c.1).collect();
        assert_eq!(parts[0], BarPart::Body, "the cell it starts in is shared");
        assert!(
            parts[1..6].iter().all(|&p| p == BarPart::Queued),
            "{parts:?}"
        );
        assert!(parts[6..].iter().all(|&p| p == BarPart::Body), "{parts:?}");
        // A few ms of queue on a 100 ms cell show nothing.
        let unchanged = fixture("happy_path.json");
        let cells = bar_cells(
            &unchanged.spans[1],
            (start, start + 1_000),
            start + 2_000,
            10,
        );
        assert!(cells.iter().all(|c| c.1 == BarPart::Body));
    }

    #[test]
    fn ruler_labels_round_times() {
        assert_eq!(tick_step(3_660, 40, 8), 1_000);
        // `4s` would end past the 40th column: skipped rather than cut.
        assert_eq!(
            ruler((0, 4_000), 40),
            "0s        1s        2s        3s        "
        );
        assert_eq!(tick_label(1_500), "1.5s");
        assert_eq!(tick_label(120_000), "2m");
        assert_eq!(tick_label(250), "250ms");
        assert_eq!(ruler((0, 1), 0), "");
    }
}
