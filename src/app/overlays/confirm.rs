//! The confirm dialog: a question and Yes/No buttons, No highlighted by default; what Yes
//! does is handed back to whoever asked (`Outcome::Confirmed`).

pub use super::outcome::ConfirmAction;
use super::outcome::Outcome;
use crate::app::widgets::text::centered;
use crate::app::widgets::theme;
use crate::domain::text::escape_control;
use crate::domain::timeline::RedrivePlan;
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    /// The highlighted button; No by default so that Enter is the safe answer.
    pub yes_selected: bool,
    pub on_yes: ConfirmAction,
}

impl Confirm {
    pub fn stop_execution(execution_arn: String, name: String) -> Confirm {
        Confirm {
            title: "Stop execution".into(),
            message: format!("Stop execution {name}? It will end as ABORTED."),
            yes_selected: false,
            on_yes: ConfirmAction::StopExecution {
                execution_arn,
                name,
            },
        }
    }

    /// `plan`: what the open execution's timeline says a redrive re-runs (None when its
    /// history is not read: from the list).
    pub fn redrive_execution(
        execution_arn: String,
        name: String,
        plan: Option<&RedrivePlan>,
    ) -> Confirm {
        let mut message = format!("Redrive execution {name}? ");
        match plan {
            Some(plan) if !plan.reruns.is_empty() => {
                message.push_str("It runs again only what did not succeed, with the same input:");
                for rerun in plan.reruns.iter().take(REDRIVE_LINES) {
                    let state = escape_control(&rerun.state);
                    message.push_str(&format!("\n  ↻ {state}"));
                    if !rerun.path.is_empty() {
                        message.push_str(&format!(" in {}", escape_control(&rerun.path)));
                    }
                    message.push_str(&format!(" ({})", rerun.status.as_str()));
                }
                if plan.reruns.len() > REDRIVE_LINES {
                    message.push_str(&format!(
                        "\n  … and {} more",
                        plan.reruns.len() - REDRIVE_LINES
                    ));
                }
                if plan.map_resumes {
                    message.push_str("\n  and the Map iterations that never started");
                }
                message.push_str(&match plan.kept {
                    1 => "\n1 state that succeeded keeps its result.".to_string(),
                    kept => format!("\n{kept} states that succeeded keep their results."),
                });
            }
            _ => message.push_str(
                "It restarts from the states that did not succeed, with the same input \
                 (open it to see which).",
            ),
        }
        Confirm {
            title: "Redrive execution".into(),
            message,
            yes_selected: false,
            on_yes: ConfirmAction::RedriveExecution {
                execution_arn,
                name,
            },
        }
    }
}

/// Re-run states listed in the redrive dialog before "… and N more".
const REDRIVE_LINES: usize = 8;

/// The dialog's keys: Yes hands `on_yes` back, No and Esc close it.
pub fn on_action(confirm: &mut Confirm, action: Action) -> Outcome {
    let yes = match action {
        Action::ConfirmYes => true,
        Action::ConfirmAccept => confirm.yes_selected,
        Action::ConfirmToggle => {
            confirm.yes_selected = !confirm.yes_selected;
            return Outcome::Stay;
        }
        Action::ConfirmNo | Action::Cancel | Action::Back => false,
        _ => return Outcome::Stay,
    };
    if yes {
        Outcome::Confirmed(confirm.on_yes.clone())
    } else {
        Outcome::Close
    }
}

pub fn render(confirm: &Confirm, frame: &mut Frame, area: Rect) {
    // Short questions keep the compact dialog; long ones (a list of faces) get a wider one,
    // as tall as their wrapped lines.
    let long = confirm.message.contains('\n') || confirm.message.chars().count() > 54;
    let width = if long { 76 } else { 56 }.min(area.width);
    let inner_width = width.saturating_sub(2).max(1) as usize;
    let message_rows: usize = confirm
        .message
        .lines()
        .map(|line| line.chars().count().div_ceil(inner_width).max(1))
        .sum();
    let popup = centered(area, width, message_rows as u16 + 6);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme::FAILED))
        .title(Span::styled(format!(" {} ", confirm.title), theme::error()));
    let button = |label: &'static str, on: bool| {
        if on {
            Span::styled(
                format!("[ {label} ]"),
                Style::default()
                    .fg(Color::Black)
                    .bg(theme::KEY)
                    .add_modifier(Modifier::BOLD),
            )
        } else {
            Span::styled(format!("  {label}  "), theme::dim())
        }
    };
    let mut lines: Vec<Line> = confirm
        .message
        .lines()
        .map(|line| Line::from(line.to_string()))
        .collect();
    lines.extend([
        Line::from(""),
        Line::from(vec![
            button("Yes", confirm.yes_selected),
            Span::raw("   "),
            button("No", !confirm.yes_selected),
        ])
        .alignment(Alignment::Center),
        Line::from(Span::styled(
            "y yes · n/Esc no · Tab switch · Enter choose",
            theme::dim(),
        ))
        .alignment(Alignment::Center),
    ]);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        popup,
    );
}
