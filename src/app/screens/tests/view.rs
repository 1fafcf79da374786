//! The tests view: a title line, then each suite (its last run: passed, failed, running) and
//! under it its steps — `✓` with what the run did, `✗` with the first difference (expected
//! vs actual), `!` for a step that could not be carried out, `…` running, `·` waiting — with
//! the duration and, for a step whose recent verdicts disagree, "passed 9 of the last 10".

use super::{Row, State, SuiteState};
use crate::app::ctx::View;
use crate::app::widgets::text::truncate;
use crate::app::widgets::theme;
use crate::domain::suites::verdict::Verdict;
use crate::domain::text::escape_control;
use crate::domain::time::format_duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(s: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let steps: usize = s.suites.iter().map(|x| x.suite.steps.len()).sum();
    let running = s.suites.iter().filter(|x| x.running()).count();
    let mut head = format!(" Tests  {} suites, {steps} steps", s.suites.len());
    if running > 0 {
        head.push_str(&format!("  · {running} running"));
    }
    frame.render_widget(Paragraph::new(Span::styled(head, theme::title())), title);
    if s.suites.is_empty() {
        let text = " no suites: add [[suites]] to the settings file (see the README)";
        frame.render_widget(Paragraph::new(Span::styled(text, theme::dim())), body);
        return;
    }
    let width = body.width as usize;
    let lines: Vec<Line> = s
        .rows()
        .into_iter()
        .enumerate()
        .skip(s.offset)
        .take(body.height as usize)
        .map(|(i, row)| {
            let line = match row {
                Row::Suite(k) => suite_line(&s.suites[k], cx, width),
                Row::Step(k, j) => step_line(&s.suites[k], j, cx, width),
            };
            if i == s.cursor {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

fn suite_line(s: &SuiteState, cx: &View, width: usize) -> Line<'static> {
    let name = escape_control(&s.suite.name).into_owned();
    let (status, style) = if let Some(walk) = &s.walk {
        let done = walk.results().len();
        let took = s
            .started
            .map(|t| format_duration(cx.now - t))
            .unwrap_or_default();
        (
            format!("running · {done} of {} done · {took}", s.suite.steps.len()),
            Style::default().fg(theme::RUNNING),
        )
    } else if s.steps.iter().any(|r| r.last.is_some()) {
        let failed = s
            .steps
            .iter()
            .filter(|r| r.last.as_ref().is_some_and(|l| !l.verdict.passed()))
            .count();
        let took = s.took.map(format_duration).unwrap_or_default();
        if failed == 0 {
            (
                format!("✓ {} passed · {took}", s.steps.len()),
                Style::default().fg(theme::SUCCEEDED),
            )
        } else {
            (
                format!("✗ {failed} of {} failed · {took}", s.steps.len()),
                theme::error(),
            )
        }
    } else {
        (
            format!("{} steps, not run yet", s.steps.len()),
            theme::dim(),
        )
    };
    let description = s
        .suite
        .description
        .as_deref()
        .map(|d| format!("  {}", escape_control(d)))
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled(format!(" ▸ {name}  "), theme::title()),
        Span::styled(status, style),
    ];
    let used = name.chars().count() + 5 + spans[1].content.chars().count();
    spans.push(Span::styled(
        truncate(&description, width.saturating_sub(used)),
        theme::dim(),
    ));
    Line::from(spans)
}

fn step_line(s: &SuiteState, j: usize, cx: &View, width: usize) -> Line<'static> {
    let record = &s.steps[j];
    let running = s.walk.as_ref().is_some_and(|w| w.is_running(j));
    let waiting = s.walk.is_some() && !running && !s.recorded.get(j).copied().unwrap_or(false);
    let label = escape_control(&s.suite.steps[j].describe()).into_owned();
    let (mark, text, style) = match (&record.last, running, waiting) {
        (_, true, _) => (
            "…",
            "running".to_string(),
            Style::default().fg(theme::RUNNING),
        ),
        (_, _, true) => ("·", "waiting".to_string(), theme::dim()),
        (None, _, _) => (" ", "not run yet".to_string(), theme::dim()),
        (Some(last), _, _) => match &last.verdict {
            Verdict::Passed => (
                "✓",
                last.detail.clone().unwrap_or_else(|| "passed".into()),
                Style::default().fg(theme::SUCCEEDED),
            ),
            Verdict::Failed(difference) => ("✗", difference.clone(), theme::error()),
            Verdict::Error(problem) => ("!", problem.clone(), theme::error()),
        },
    };
    let took = match (&record.last, running) {
        (Some(last), false) => last.duration_ms.map(format_duration).unwrap_or_default(),
        _ => String::new(),
    };
    let flaky = record
        .flaky()
        .map(|f| format!("  flaky: {f}"))
        .unwrap_or_default();
    let head = format!("   {mark} {:<36} {took:>7}  ", truncate(&label, 36));
    let room = width.saturating_sub(head.chars().count() + flaky.chars().count());
    let _ = cx;
    Line::from(vec![
        Span::styled(head, style),
        Span::styled(truncate(&escape_control(&text), room), style),
        Span::styled(flaky, Style::default().fg(theme::REJECTED)),
    ])
}
