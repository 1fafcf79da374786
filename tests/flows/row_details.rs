//! Filling in what `ListExecutions` leaves out (input and outcome) with `DescribeExecution`
//! for the rows on screen: a few at a time, newest first, once per listed status, never in a
//! loop, and never for rows scrolled away before their turn.

use crate::app_support;

use app_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screens::executions::MAX_ROW_DESCRIBES;
use stepdeck::app::{App, update::update};
use stepdeck::backend::{BackendError, Page};
use stepdeck::domain::execution::{ExecutionDetail, ExecutionStatus, ExecutionSummary, Outcome};

/// A row as the AWS adapter lists it: no input label, no outcome.
fn listed(name: &str, status: ExecutionStatus, minute: i64) -> ExecutionSummary {
    ExecutionSummary {
        arn: exec_arn(name),
        name: name.into(),
        state_machine_arn: SM_ARN.into(),
        status,
        start: NOW - 3_600_000 + minute * 60_000,
        stop: status
            .is_terminal()
            .then_some(NOW - 3_600_000 + minute * 60_000 + 2_000),
        input_label: None,
        outcome: None,
    }
}

fn aws_rows() -> Vec<ExecutionSummary> {
    let mut rows: Vec<ExecutionSummary> = (0..10)
        .map(|i| listed(&format!("run-{i}"), ExecutionStatus::Succeeded, 50 - i))
        .collect();
    rows[0].status = ExecutionStatus::Running;
    rows[0].stop = None;
    rows
}

fn describes(effects: &[Effect]) -> Vec<(String, ExecutionStatus)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::DescribeRow {
                execution_arn,
                listed_status,
            } => Some((execution_arn.clone(), *listed_status)),
            _ => None,
        })
        .collect()
}

fn description(row: &ExecutionSummary, status: ExecutionStatus, output: &str) -> ExecutionDetail {
    ExecutionDetail {
        summary: ExecutionSummary {
            status,
            ..row.clone()
        },
        input: Some(format!(
            r#"{{"userId":"user_b","s3Bucket":"photos","s3Key":"{}.jpg"}}"#,
            row.name
        )),
        output: status.is_terminal().then(|| output.to_string()),
        error: None,
        cause: None,
        redrive_count: 0,
    }
}

fn answer(
    app: &mut App,
    row: &ExecutionSummary,
    listed_status: ExecutionStatus,
    result: Result<ExecutionDetail, BackendError>,
) -> Vec<Effect> {
    update(
        app,
        Msg::RowDescribed {
            execution_arn: row.arn.clone(),
            listed_status,
            result,
        },
    )
}

/// The app with the AWS-shaped rows listed; returns the describes the listing asked for.
fn listed_app() -> (App, Vec<(String, ExecutionStatus)>) {
    let mut app = new_app();
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    let effects = answer_listing(
        &mut app,
        &effects,
        Ok(Page {
            items: aws_rows(),
            next_token: None,
        }),
    );
    (app, describes(&effects))
}

#[test]
fn rows_on_screen_are_described_a_few_at_a_time_and_filled_in() {
    let (mut app, asked) = listed_app();
    assert_eq!(asked.len(), MAX_ROW_DESCRIBES);
    assert_eq!(asked[0], (exec_arn("run-0"), ExecutionStatus::Running));

    let rejected = r#"{"errorInfo":{"Error":"FaceAlreadyExistsError","Cause":"{\"errorMessage\":\"Face already exists\"}"}}"#;
    let row = aws_rows()[1].clone();
    let effects = answer(
        &mut app,
        &row,
        ExecutionStatus::Succeeded,
        Ok(description(&row, ExecutionStatus::Succeeded, rejected)),
    );
    // One answer frees one slot: the next undescribed row on screen, newest first.
    assert_eq!(
        describes(&effects),
        [(exec_arn("run-2"), ExecutionStatus::Succeeded)]
    );
    let filled = &app.executions.list.rows[1];
    assert_eq!(filled.input_label.as_deref(), Some("run-1.jpg (user_b)"));
    assert_eq!(
        filled.outcome.as_ref().map(Outcome::label).as_deref(),
        Some("rejected: Face already exists")
    );
    let screen = screen(&app, 120, 32);
    assert!(screen.contains("run-1.jpg (user_b)"), "{screen}");
    assert!(screen.contains("rejected: Face already exists"), "{screen}");
}

#[test]
fn a_running_row_is_described_once_and_again_once_it_has_ended() {
    let (mut app, _) = listed_app();
    let running = aws_rows()[0].clone();
    // The description already saw it end; the list still says RUNNING.
    let effects = answer(
        &mut app,
        &running,
        ExecutionStatus::Running,
        Ok(description(&running, ExecutionStatus::Succeeded, "{}")),
    );
    assert!(
        !describes(&effects)
            .iter()
            .any(|(arn, _)| *arn == running.arn),
        "no second describe while the list catches up: {effects:#?}"
    );
    assert_eq!(
        app.executions.list.rows[0].input_label.as_deref(),
        Some("run-0.jpg (user_b)")
    );
    assert_eq!(app.executions.list.rows[0].outcome, None);

    // The next refresh lists it SUCCEEDED: the description already covers that status.
    let mut ended = aws_rows();
    ended[0].status = ExecutionStatus::Succeeded;
    ended[0].stop = Some(NOW - 1_000);
    let refresh = press(&mut app, "ctrl-r");
    let effects = answer_listing(
        &mut app,
        &refresh,
        Ok(Page {
            items: ended,
            next_token: None,
        }),
    );
    assert!(
        !describes(&effects)
            .iter()
            .any(|(arn, _)| *arn == running.arn),
        "{effects:#?}"
    );
    assert_eq!(
        app.executions.list.rows[0].outcome,
        Some(Outcome::Completed)
    );
}

#[test]
fn a_row_that_ends_after_its_description_is_described_once_more() {
    let (mut app, _) = listed_app();
    let running = aws_rows()[0].clone();
    answer(
        &mut app,
        &running,
        ExecutionStatus::Running,
        Ok(description(&running, ExecutionStatus::Running, "")),
    );
    let mut ended = aws_rows();
    ended[0].status = ExecutionStatus::Failed;
    let refresh = press(&mut app, "ctrl-r");
    let effects = answer_listing(
        &mut app,
        &refresh,
        Ok(Page {
            items: ended,
            next_token: None,
        }),
    );
    // Slots are still taken by the other rows first asked for; free them to see the ask.
    let mut asked = describes(&effects);
    for row in &aws_rows()[1..MAX_ROW_DESCRIBES] {
        asked.extend(describes(&answer(
            &mut app,
            row,
            ExecutionStatus::Succeeded,
            Ok(description(row, ExecutionStatus::Succeeded, "{}")),
        )));
    }
    assert!(
        asked.contains(&(running.arn.clone(), ExecutionStatus::Failed)),
        "{asked:#?}"
    );
}

#[test]
fn a_refused_describe_stops_describing_and_says_why() {
    let (mut app, asked) = listed_app();
    let row = aws_rows()[1].clone();
    let effects = answer(
        &mut app,
        &row,
        asked[1].1,
        Err(BackendError::AccessDenied {
            action: "states:DescribeExecution".into(),
            message: "not authorized".into(),
        }),
    );
    assert!(describes(&effects).is_empty(), "{effects:#?}");
    let notice = app.notice.as_ref().unwrap().text.clone();
    assert!(notice.contains("states:DescribeExecution"), "{notice}");
    assert!(describes(&press(&mut app, "j j j")).is_empty());
}

#[test]
fn a_refused_describe_is_asked_again_on_ctrl_r() {
    let (mut app, asked) = listed_app();
    let row = aws_rows()[1].clone();
    answer(
        &mut app,
        &row,
        asked[1].1,
        Err(BackendError::AccessDenied {
            action: "states:DescribeExecution".into(),
            message: "not authorized".into(),
        }),
    );
    assert!(describes(&press(&mut app, "j j j")).is_empty());
    // The refresh key asks again (as the README says a refresh does), starting with the
    // row that was refused: it was never described.
    let refresh = press(&mut app, "ctrl-r");
    assert_eq!(
        describes(&refresh),
        [(row.arn.clone(), ExecutionStatus::Succeeded)]
    );
    assert!(!app.executions.describe_denied);
}

#[test]
fn a_failed_describe_is_not_retried_in_a_loop() {
    let (mut app, _) = listed_app();
    let row = aws_rows()[1].clone();
    let effects = answer(
        &mut app,
        &row,
        ExecutionStatus::Succeeded,
        Err(BackendError::Network("connection reset".into())),
    );
    assert!(
        !describes(&effects).iter().any(|(arn, _)| *arn == row.arn),
        "{effects:#?}"
    );
}

#[test]
fn nothing_is_described_while_the_list_is_hidden() {
    let (mut app, _) = listed_app();
    press(&mut app, "Enter");
    assert!(app.execution.is_some());
    let row = aws_rows()[1].clone();
    let effects = answer(
        &mut app,
        &row,
        ExecutionStatus::Succeeded,
        Ok(description(&row, ExecutionStatus::Succeeded, "{}")),
    );
    assert!(describes(&effects).is_empty(), "{effects:#?}");
    // Back on the list, the rest is asked for.
    assert!(!describes(&press(&mut app, "Esc")).is_empty());
}

/// `count` AWS-shaped rows a second apart, newest first.
fn many_rows(count: usize) -> Vec<ExecutionSummary> {
    (0..count)
        .map(|i| ExecutionSummary {
            start: NOW - 1_000 * i as i64 - 60_000,
            stop: Some(NOW - 1_000 * i as i64 - 58_000),
            ..listed(&format!("row-{i:05}"), ExecutionStatus::Succeeded, 0)
        })
        .collect()
}

fn app_listing(rows: Vec<ExecutionSummary>) -> (App, Vec<(String, ExecutionStatus)>) {
    let mut app = new_app();
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    let effects = answer_listing(
        &mut app,
        &effects,
        Ok(Page {
            items: rows,
            next_token: None,
        }),
    );
    (app, describes(&effects))
}

/// Answers every describe as it is asked for until none is left; returns every row asked.
fn answer_all(
    app: &mut App,
    rows: &[ExecutionSummary],
    mut asked: Vec<(String, ExecutionStatus)>,
) -> Vec<String> {
    let mut seen = Vec::new();
    while let Some((arn, status)) = asked.pop() {
        let row = rows.iter().find(|r| r.arn == arn).unwrap().clone();
        seen.push(arn);
        asked.extend(describes(&answer(
            app,
            &row,
            status,
            Ok(description(&row, status, "{}")),
        )));
    }
    seen
}

#[test]
fn the_bottom_row_of_the_table_is_described_too() {
    let rows = many_rows(60);
    let (mut app, asked) = app_listing(rows.clone());
    let seen = answer_all(&mut app, &rows, asked);
    // 120×32 without a notice: the table draws 28 rows (row-00000 … row-00027).
    let screen = screen(&app, 120, 32);
    assert!(screen.contains("row-00027"), "{screen}");
    assert!(!screen.contains("row-00028"), "{screen}");
    assert!(seen.contains(&exec_arn("row-00027")), "{seen:#?}");
    assert!(screen.contains("row-00027.jpg (user_b)"), "{screen}");
    assert!(!seen.contains(&exec_arn("row-00029")), "{seen:#?}");
}

#[test]
fn the_newest_rows_on_screen_are_described_first_whatever_the_sort() {
    let rows = many_rows(20);
    let (mut app, _) = app_listing(rows);
    // Oldest first on screen: the newest rows are now at the bottom of the table.
    let effects = press(&mut app, "3 3");
    let top = app.executions.list.visible[0];
    assert_eq!(app.executions.list.rows[top].name, "row-00019");
    let mut asked = describes(&effects);
    asked.extend(describes(&answer(
        &mut app,
        &many_rows(20)[0],
        ExecutionStatus::Succeeded,
        Ok(description(
            &many_rows(20)[0],
            ExecutionStatus::Succeeded,
            "{}",
        )),
    )));
    assert!(
        asked.iter().all(|(arn, _)| *arn != exec_arn("row-00019")),
        "the oldest row came before newer ones: {asked:#?}"
    );
}

#[test]
fn scrolling_through_ten_thousand_rows_leaves_no_backlog_of_rows_scrolled_away() {
    let rows = many_rows(10_000);
    let (mut app, first) = app_listing(rows.clone());
    let mut outstanding = first;
    let mut asked_total = outstanding.len();
    // Scroll to the end a page at a time; one describe is answered every ten key presses
    // (the governor's pace against a fast scroll).
    for step in 0..400 {
        let effects = press(&mut app, "PageDown");
        let new = describes(&effects);
        asked_total += new.len();
        outstanding.extend(new);
        if step % 10 == 9
            && let Some((arn, status)) = outstanding.first().cloned()
        {
            outstanding.remove(0);
            let row = rows.iter().find(|r| r.arn == arn).unwrap().clone();
            let more = describes(&answer(
                &mut app,
                &row,
                status,
                Ok(description(&row, status, "{}")),
            ));
            asked_total += more.len();
            outstanding.extend(more);
        }
    }
    assert_eq!(app.executions.list.selected().unwrap().name, "row-09999");
    // Only a handful went out, not one per row passed, and what is still to come back once
    // the scrolling stops is at most two calls (~1.3 s of the governor's 1.5/s): nothing
    // queued for the 9,970 rows scrolled past.
    assert!(outstanding.len() <= 2, "{outstanding:#?}");
    assert!(asked_total <= 42, "{asked_total} describes");
    // Once those come back, only rows now on screen are asked for.
    let on_screen: Vec<String> = app
        .executions
        .list
        .on_screen(29)
        .map(|r| r.arn.clone())
        .collect();
    let mut later = Vec::new();
    for (arn, status) in outstanding {
        let row = rows.iter().find(|r| r.arn == arn).unwrap().clone();
        later.extend(describes(&answer(
            &mut app,
            &row,
            status,
            Ok(description(&row, status, "{}")),
        )));
    }
    assert!(!later.is_empty());
    assert!(
        later.iter().all(|(arn, _)| on_screen.contains(arn)),
        "{later:#?}"
    );
}
