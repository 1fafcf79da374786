//! The dashboard: it lists the window's runs, reads the finished ones' histories a few at a
//! time and never twice, cycles its window, and crosses to the executions screen from a
//! reason (filtered to it) or from one of a state's slowest runs (its timeline, at that
//! state).

use crate::app_support::*;
use crate::dashboard_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::options::AppOptions;
use stepdeck::app::screen::Screen;
use stepdeck::app::screens::dashboard::{Focus, HISTORIES_IN_FLIGHT, PAGE_SIZE};
use stepdeck::app::update::update;
use stepdeck::backend::Page;
use stepdeck::domain::stats::{OutcomeKind, ReasonKind, Window};
use stepdeck::domain::timeline::RowKind;
use stepdeck::keymap::Keymap;

#[test]
fn g_d_lists_the_machines_runs_then_reads_finished_histories_a_few_at_a_time() {
    let mut app = seed_app();
    let effects = press(&mut app, "g d");
    assert_eq!(app.screen, Screen::Dashboard);
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadExecutions { request, .. } => Some(request.clone()),
            _ => None,
        })
        .expect("a listing");
    assert_eq!(request.state_machine_arn, SM_ARN);
    assert_eq!((request.page_size, request.status), (PAGE_SIZE, None));
    let (generation, append, _) = dash_listing(&effects).unwrap();
    let effects = update(
        &mut app,
        Msg::Executions {
            generation,
            append,
            result: Ok(Page {
                items: dash_rows(),
                next_token: None,
            }),
        },
    );
    // The executions list did not take the dashboard's page.
    assert_eq!(app.executions.list.rows.len(), seed_rows().len());
    let first = history_requests(&effects);
    assert_eq!(first.len(), HISTORIES_IN_FLIGHT);
    // Newest finished first: runs 0–2 are still running.
    let names: Vec<String> = first.iter().map(|(_, arn)| arn.clone()).collect();
    assert_eq!(
        names,
        (3..3 + HISTORIES_IN_FLIGHT as u32)
            .map(|n| exec_arn(&dash_name(n)))
            .collect::<Vec<_>>()
    );
    let asked = answer_histories(&mut app, effects);
    assert_eq!(asked[..HISTORIES_IN_FLIGHT], names[..]);
    // Every finished run in the window once, none running.
    let figures = &app.dashboard.figures;
    let coverage = figures.coverage();
    assert_eq!(asked.len() as u64, coverage.finished);
    let mut unique = asked.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), asked.len(), "no history asked twice");
    assert_eq!(coverage.executions, u64::from(RUNS));
    assert_eq!(coverage.finished, u64::from(RUNS) - 3);
    assert_eq!(coverage.histories, coverage.finished);
    assert!(!app.dashboard.is_reading());
    let totals = figures.totals();
    assert_eq!(totals[OutcomeKind::Running.index()], 3);
    assert_eq!(totals[OutcomeKind::Failed.index()], 12);
    assert_eq!(
        figures.top_reasons(ReasonKind::Rejection, 1)[0].count,
        12,
        "sunglasses every tenth run"
    );
    // FaceDetection was retried once in each accepted run's history.
    let face = figures
        .state_rows()
        .into_iter()
        .find(|r| r.name == "FaceDetection")
        .unwrap();
    assert!(face.retries >= 66, "{face:?}");
}

#[test]
fn a_refresh_counts_changes_and_reads_no_history_twice() {
    let mut app = dashboard_app(None);
    let read = app.dashboard.figures.coverage().histories;
    let effects = press(&mut app, "ctrl-r");
    let (generation, append, _) = dash_listing(&effects).expect("the newest page again");
    // Run 0 ended meanwhile, accepted.
    let mut rows = dash_rows();
    rows[0].status = stepdeck::domain::execution::ExecutionStatus::Succeeded;
    rows[0].stop = Some(rows[0].start + 3_000);
    rows[0].outcome = Some(stepdeck::domain::execution::Outcome::Completed);
    let effects = update(
        &mut app,
        Msg::Executions {
            generation,
            append,
            result: Ok(Page {
                items: rows,
                next_token: None,
            }),
        },
    );
    let asked = history_requests(&effects);
    assert_eq!(
        asked.iter().map(|(_, a)| a.clone()).collect::<Vec<_>>(),
        vec![exec_arn(&dash_name(0))],
        "only the run that ended"
    );
    let (generation, arn) = asked[0].clone();
    let effects = update(
        &mut app,
        Msg::StatsHistory {
            generation,
            execution_arn: arn,
            result: Ok(fixture("happy_path.json")),
        },
    );
    assert!(history_requests(&effects).is_empty());
    let coverage = app.dashboard.figures.coverage();
    assert_eq!(coverage.histories, read + 1);
    assert_eq!(
        app.dashboard.figures.totals()[OutcomeKind::Running.index()],
        2
    );
}

#[test]
fn w_cycles_the_window_and_a_longer_one_reads_further_back() {
    let mut app = dashboard_app(Some("older"));
    assert_eq!(app.dashboard.window, Window::Day);
    // 22 h of runs and the window starts 23 h back: the next page was asked for at once.
    assert!(app.dashboard.listing.is_some());
    let (generation, append, token) = (app.dashboard.listing.unwrap().0, true, "older");
    let effects = update(
        &mut app,
        Msg::Executions {
            generation,
            append,
            result: Ok(Page {
                items: Vec::new(),
                next_token: None,
            }),
        },
    );
    assert!(
        dash_listing(&effects).is_none(),
        "{token}: the oldest reached"
    );
    press(&mut app, "w");
    assert_eq!(app.dashboard.window, Window::Week);
    assert_eq!(app.dashboard.figures.coverage().executions, u64::from(RUNS));
    press(&mut app, "w w");
    assert_eq!(app.dashboard.window, Window::Hour);
    // The last hour: runs 0–5 (every 11 minutes, the first 30 s before now).
    assert_eq!(app.dashboard.figures.coverage().executions, 6);
    assert!(screen(&app, 120, 32).contains("last 1 h"));
}

#[test]
fn enter_on_a_reason_lists_its_runs() {
    let mut app = dashboard_app(None);
    assert_eq!(app.dashboard.focus, Focus::Reasons);
    // Rejections first, most frequent first: sunglasses and three faces, 12 each (by text).
    assert_eq!(
        app.dashboard.selected_reason().as_deref(),
        Some("Detected 3 faces in the photo.")
    );
    press(&mut app, "j");
    assert_eq!(
        app.dashboard.selected_reason().as_deref(),
        Some("Face is wearing sunglasses")
    );
    press(&mut app, "Enter");
    assert_eq!(app.screen, Screen::Executions);
    assert!(app.execution.is_none());
    assert_eq!(app.executions.list.filter, "Face is wearing sunglasses");
    let shown: Vec<&str> = app
        .executions
        .list
        .visible
        .iter()
        .map(|&i| app.executions.list.rows[i].name.as_str())
        .collect();
    assert_eq!(shown, vec!["run-02-sunglass"]);
}

#[test]
fn enter_on_a_state_lists_its_slowest_runs_and_enter_opens_one_at_that_state() {
    let mut app = dashboard_app(None);
    press(&mut app, "Tab");
    assert_eq!(app.dashboard.focus, Focus::States);
    let rows = app.dashboard.figures.state_rows();
    let thumb = rows.iter().position(|r| r.name == "Thumbnail").unwrap();
    for _ in 0..thumb {
        press(&mut app, "j");
    }
    press(&mut app, "Enter");
    let drill = app.dashboard.drill.clone().expect("the slowest runs");
    assert_eq!(drill.state, "Thumbnail");
    let slowest = app.dashboard.figures.slowest("Thumbnail").to_vec();
    assert!(slowest.windows(2).all(|w| w[0].0 >= w[1].0));
    assert!(screen(&app, 120, 32).contains("Slowest in Thumbnail"));
    // Esc leaves the list, Enter again comes back to it.
    press(&mut app, "Esc");
    assert!(app.dashboard.drill.is_none());
    assert_eq!(app.screen, Screen::Dashboard);
    press(&mut app, "Enter");
    let effects = press(&mut app, "Enter");
    assert_eq!(app.screen, Screen::Executions);
    let open = app.execution.as_ref().expect("the slowest run open");
    assert_eq!(open.arn, slowest[0].1);
    let n: u32 = open.arn.rsplit('-').next().unwrap().parse().unwrap();
    let o = opened(&effects);
    update(
        &mut app,
        Msg::History {
            generation: o.history_generation,
            include_data: false,
            result: Ok(dash_history(n)),
        },
    );
    let open = app.execution.as_ref().unwrap();
    let RowKind::Span(id) = open.timeline.rows[open.timeline.selected].kind else {
        panic!("a span selected");
    };
    assert_eq!(open.timeline().spans[id].name, "Thumbnail");
    // Back on the dashboard the slowest runs are still listed; Esc leaves them, Esc again
    // goes to the executions list.
    press(&mut app, "g d");
    assert!(app.dashboard.drill.is_some());
    press(&mut app, "Esc Esc");
    assert_eq!(app.screen, Screen::Executions);
}

#[test]
fn the_dashboard_can_be_the_start_screen() {
    let options = AppOptions {
        start_dashboard: true,
        ..AppOptions::default()
    };
    let mut app = stepdeck::app::App::new(options, Keymap::defaults(), NOW);
    assert_eq!(app.screen, Screen::Dashboard);
    app.init();
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    let listings: Vec<_> = effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadExecutions { .. }))
        .collect();
    assert_eq!(
        listings.len(),
        2,
        "the list's first page and the dashboard's"
    );
    assert!(app.dashboard.listing.is_some());
}
