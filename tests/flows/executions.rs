//! update() flows: refresh, cursor, filter/sort, pagination, stale results, opening an
//! execution, history polling, payloads, stop with confirmation, palette, help, wake-ups.

use crate::app_support;

use app_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::list::MAX_FILTER_CHARS;
use stepdeck::app::msg::Msg;
use stepdeck::app::overlays::{InputPurpose, Overlay, TextInput};
use stepdeck::app::screens::execution::Tab;
use stepdeck::app::{ANIMATION_MS, App, AppOptions, NoticeLevel, update::update};
use stepdeck::backend::{BackendError, HistoryRequest, Page};
use stepdeck::domain::execution::ExecutionStatus;
use stepdeck::keymap::Keymap;

fn names(app: &App) -> Vec<String> {
    let list = &app.executions.list;
    list.visible
        .iter()
        .map(|&i| list.rows[i].name.clone())
        .collect()
}

fn selected_name(app: &App) -> String {
    app.executions.selected().unwrap().name.clone()
}

fn refresh_with(app: &mut App, rows: Vec<stepdeck::domain::execution::ExecutionSummary>) {
    let due = app.executions.refresh.sent_at.expect("a refresh was made") + 2_000;
    let effects = update(app, Msg::Tick(due.max(app.now)));
    let (generation, append) = list_request(&effects);
    assert!(!append);
    update(
        app,
        Msg::Executions {
            generation,
            append: false,
            result: Ok(Page {
                items: rows,
                next_token: None,
            }),
        },
    );
}

#[test]
fn start_lists_state_machines_then_the_first_ones_executions() {
    let mut app = new_app();
    assert_eq!(
        app.init(),
        vec![Effect::LoadStateMachines, Effect::LoadCallerIdentity]
    );
    assert_eq!(
        app.next_wakeup(),
        None,
        "nothing to do before state machines are known"
    );
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![
            state_machine("RiderPhotoProcessing"),
            state_machine("Other"),
        ])),
    );
    match effects.as_slice() {
        [
            Effect::LoadExecutions {
                append: false,
                request,
                ..
            },
        ] => {
            assert_eq!(request.state_machine_arn, SM_ARN);
            assert_eq!(request.status, None);
            assert_eq!(request.next_token, None);
        }
        other => panic!("{other:#?}"),
    }
}

#[test]
fn the_requested_state_machine_is_opened_first() {
    let options = AppOptions {
        state_machine: Some("Other".into()),
        ..AppOptions::default()
    };
    let mut app = App::new(options, Keymap::defaults(), NOW);
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![
            state_machine("RiderPhotoProcessing"),
            state_machine("Other"),
        ])),
    );
    match effects.as_slice() {
        [Effect::LoadExecutions { request, .. }] => {
            assert!(request.state_machine_arn.ends_with(":Other"))
        }
        other => panic!("{other:#?}"),
    }
}

#[test]
fn refresh_fills_rows_and_keeps_the_cursor_on_the_same_execution() {
    let mut app = seed_app();
    assert_eq!(names(&app)[0], "run-06-running");
    press(&mut app, "j j");
    assert_eq!(selected_name(&app), "run-04-no-face");
    // A new execution appears on top and run-06 finished: the cursor stays on run-04.
    let mut rows = seed_rows();
    rows[0].status = ExecutionStatus::Succeeded;
    rows[0].stop = Some(rows[0].start + 2_000);
    rows.insert(
        0,
        execution("run-07-new", ExecutionStatus::Running, NOW, None),
    );
    app.now += 2_000;
    refresh_with(&mut app, rows);
    assert_eq!(names(&app)[0], "run-07-new");
    assert_eq!(selected_name(&app), "run-04-no-face");
    assert_eq!(app.executions.list.cursor, 3);
    assert_eq!(
        app.executions.list.rows[1].status,
        ExecutionStatus::Succeeded
    );
    assert_eq!(app.executions.last_refresh, Some(app.now));
}

#[test]
fn a_failed_refresh_keeps_the_last_good_rows_and_shows_the_error() {
    let mut app = seed_app();
    let due = NOW + 2_000;
    let effects = update(&mut app, Msg::Tick(due));
    let (generation, _) = list_request(&effects);
    let result = Err(BackendError::Network("connection refused".into()));
    update(
        &mut app,
        Msg::Executions {
            generation,
            append: false,
            result,
        },
    );
    assert_eq!(app.executions.list.rows.len(), 6);
    let (error, at) = app.executions.error.clone().unwrap();
    assert!(error.contains("connection refused"));
    assert_eq!(at, due);
    assert_eq!(app.executions.last_refresh, Some(NOW));
}

#[test]
fn refreshes_are_spaced_by_the_interval_and_never_overlap() {
    let mut app = seed_app();
    let first = app.next_wakeup().unwrap();
    // A running row is on screen: the animation tick comes first.
    assert_eq!(first, NOW + ANIMATION_MS);
    let effects = update(&mut app, Msg::Tick(NOW + ANIMATION_MS));
    assert!(
        effects.is_empty(),
        "the refresh is not due yet: {effects:#?}"
    );
    let effects = update(&mut app, Msg::Tick(NOW + 2_000));
    let _ = list_request(&effects);
    // In flight: a later tick does not ask again.
    let effects = update(&mut app, Msg::Tick(NOW + 5_000));
    assert!(effects.is_empty(), "{effects:#?}");
}

/// The `LoadExecutions` among `effects`.
fn list_loads(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadExecutions { .. }))
        .count()
}

#[test]
fn an_enormous_refresh_interval_does_not_make_every_tick_a_refresh() {
    // A huge or infinite `refresh_seconds` reaches the app as i64::MAX milliseconds.
    let options = AppOptions {
        refresh_interval_ms: i64::MAX,
        ..AppOptions::default()
    };
    let mut app = App::new(options, Keymap::defaults(), NOW);
    update(&mut app, Msg::Resize(120, 32));
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    answer_listing(
        &mut app,
        &effects,
        Ok(Page {
            items: seed_rows(),
            next_token: None,
        }),
    );
    // The running row animates: a tick every 150 ms for 12 s, none of them a refresh.
    let refreshes: usize = (1..=80)
        .map(|i| list_loads(&update(&mut app, Msg::Tick(NOW + i * ANIMATION_MS))))
        .sum();
    assert_eq!(refreshes, 0);
    assert!(app.next_wakeup().is_some_and(|t| t > app.now));

    // The faces screen reloads on the same interval (with its own floor).
    let effects = press(&mut app, "g f");
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadFaces { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("the faces load when first shown");
    update(
        &mut app,
        Msg::Faces {
            generation,
            result: Ok(Page {
                items: Vec::new(),
                next_token: None,
            }),
        },
    );
    let start = app.now;
    let reloads = (1..=12)
        .flat_map(|s| update(&mut app, Msg::Tick(start + s * 1_000)))
        .filter(|e| matches!(e, Effect::LoadFaces { .. }))
        .count();
    assert_eq!(reloads, 0);
}

#[test]
fn text_filter_and_sorting() {
    let mut app = seed_app();
    press(&mut app, "/");
    type_text(&mut app, "rejected");
    assert_eq!(
        names(&app),
        ["run-04-no-face", "run-03-multiple", "run-02-sunglass"]
    );
    press(&mut app, "Enter");
    assert!(app.overlay.is_none());
    assert_eq!(app.executions.list.filter, "rejected");
    // Esc in the list clears the filter.
    press(&mut app, "Esc");
    assert_eq!(names(&app).len(), 6);
    // Typing then Esc restores the previous filter.
    press(&mut app, "/");
    type_text(&mut app, "sunglass");
    assert_eq!(names(&app), ["run-02-sunglass"]);
    press(&mut app, "Esc");
    assert_eq!(names(&app).len(), 6);

    press(&mut app, "j");
    let before = selected_name(&app);
    press(&mut app, "2");
    assert_eq!(names(&app)[0], "run-01-happy", "name ascending");
    assert_eq!(selected_name(&app), before, "cursor follows its row");
    press(&mut app, "2");
    assert_eq!(names(&app)[0], "run-06-running", "name descending");
    press(&mut app, "4");
    assert_eq!(
        names(&app)[0],
        "run-06-running",
        "longest (still running) first"
    );
    press(&mut app, "4");
    assert_eq!(names(&app)[0], "run-04-no-face", "shortest first");
    press(&mut app, "1");
    assert_eq!(
        names(&app)[0],
        "run-06-running",
        "RUNNING sorts before SUCCEEDED"
    );
}

/// Finished runs `run-<i>` for `i` in `numbers`, newest first.
fn numbered_rows(
    numbers: std::ops::Range<i64>,
) -> Vec<stepdeck::domain::execution::ExecutionSummary> {
    numbers
        .map(|i| {
            execution(
                &format!("run-{i:03}"),
                ExecutionStatus::Succeeded,
                NOW - i * 1000,
                Some(500),
            )
        })
        .collect()
}

#[test]
fn a_filter_after_scrolling_to_the_end_shows_every_matching_row() {
    let mut app = app_with(&["RiderPhotoProcessing"], numbered_rows(0..64), None);
    press(&mut app, "G");
    assert!(app.executions.list.offset > 0);
    press(&mut app, "/");
    type_text(&mut app, "9");
    press(&mut app, "Enter");
    let shown = names(&app);
    assert_eq!(
        shown,
        [
            "run-009", "run-019", "run-029", "run-039", "run-049", "run-059"
        ]
    );
    assert_eq!(app.executions.list.offset, 0, "no row hidden above");
    let drawn = screen(&app, 120, 32);
    assert!(drawn.contains("6 of 64"), "{drawn}");
    for name in &shown {
        assert!(
            drawn.contains(name.as_str()),
            "{name} is not drawn:\n{drawn}"
        );
    }
}

#[test]
fn a_taller_terminal_shows_a_full_page_again() {
    let mut app = app_with(&["RiderPhotoProcessing"], numbered_rows(0..64), None);
    press(&mut app, "G");
    let tall_page = app.page_rows();
    // Shrunk: the list scrolls to keep the cursor's row (a refresh arrives meanwhile).
    update(&mut app, Msg::Resize(120, 10));
    refresh_with(&mut app, numbered_rows(0..64));
    assert_eq!(app.executions.list.cursor, 63);
    // Enlarged: the last page is full, not the few rows that fitted the small window.
    update(&mut app, Msg::Resize(120, 32));
    assert_eq!(app.executions.list.offset, 64 - tall_page);
    let drawn = screen(&app, 120, 32);
    let first = format!("run-{:03}", 64 - tall_page);
    assert!(drawn.contains(&first), "{first} is not drawn:\n{drawn}");
    assert!(drawn.contains("run-063"), "{drawn}");
}

/// "sunglass" then `x` up to `length` characters.
fn long_text(length: usize) -> String {
    "sunglass"
        .chars()
        .chain(std::iter::repeat('x'))
        .take(length)
        .collect()
}

/// The text of the one-line input on screen.
fn input_text(app: &App) -> String {
    match &app.overlay {
        Some(Overlay::Input(input)) => input.text.clone(),
        other => panic!("no input open: {other:?}"),
    }
}

#[test]
fn a_300_k_character_filter_is_cut_and_every_key_still_answers() {
    let mut app = seed_app();
    press(&mut app, "/");
    let typed = long_text(300_000);
    type_text(&mut app, &typed);
    // What is kept is the first MAX_FILTER_CHARS characters, in the list and in the input
    // (so the next key works on that, not on 300 K); nothing holds them.
    let kept: String = typed.chars().take(MAX_FILTER_CHARS).collect();
    assert_eq!(app.executions.list.filter, kept);
    assert_eq!(input_text(&app), kept);
    assert!(names(&app).is_empty());
    assert_eq!(
        notice(&app),
        format!("the filter is cut to its first {MAX_FILTER_CHARS} characters")
    );
    // Deleting the junk key by key is answered at once: back to the matching row.
    for _ in 0..MAX_FILTER_CHARS - "sunglass".len() {
        press(&mut app, "Backspace");
    }
    assert_eq!(app.executions.list.filter, "sunglass");
    assert_eq!(names(&app), ["run-02-sunglass"]);
    press(&mut app, "Enter");
    assert!(screen(&app, 120, 32).contains("1 of 6"));
}

#[test]
fn a_long_text_reaching_the_filter_at_once_is_cut_too() {
    // As a paste would bring it: the input already holds 300 K characters when a key edits it.
    let mut app = seed_app();
    let typed = long_text(300_000);
    app.overlay = Some(Overlay::Input(TextInput::new(
        InputPurpose::ListFilter,
        typed.clone(),
    )));
    press(&mut app, "Backspace");
    let kept: String = typed.chars().take(MAX_FILTER_CHARS).collect();
    assert_eq!(app.executions.list.filter, kept);
    assert_eq!(input_text(&app), kept);
    assert!(names(&app).is_empty());
}

#[test]
fn a_300_k_character_events_search_is_cut() {
    let mut app = seed_app();
    press(&mut app, "G");
    let detail = detail_of(&seed_rows()[5], None, None);
    open_with(&mut app, detail, fixture("happy_path.json"));
    press(&mut app, "Tab");
    press(&mut app, "/");
    type_text(&mut app, "TaskStateEntered");
    let matches = app.execution.as_ref().unwrap().events_view.matches.clone();
    assert!(matches.len() >= 3, "{matches:?}");
    type_text(&mut app, &long_text(300_000));
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.events_view.search.chars().count(), MAX_FILTER_CHARS);
    assert!(
        view.events_view
            .search
            .starts_with("TaskStateEnteredsunglassxxx")
    );
    assert!(view.events_view.matches.is_empty());
    assert_eq!(input_text(&app).chars().count(), MAX_FILTER_CHARS);
    assert_eq!(
        notice(&app),
        format!("the search is cut to its first {MAX_FILTER_CHARS} characters")
    );
    // ctrl-u clears it at once; the search is typed again from nothing.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "TaskStateEntered");
    assert_eq!(app.execution.as_ref().unwrap().events_view.matches, matches);
}

#[test]
fn pagination_appends_the_next_page_when_the_cursor_nears_the_end() {
    let rows = numbered_rows(0..100);
    let mut app = app_with(&["RiderPhotoProcessing"], rows, Some("page-2"));
    assert!(
        press(&mut app, "j").is_empty(),
        "far from the end: no page yet"
    );
    let effects = press(&mut app, "G");
    let (generation, append) = list_request(&effects);
    assert!(append);
    match &effects[0] {
        Effect::LoadExecutions { request, .. } => {
            assert_eq!(request.next_token.as_deref(), Some("page-2"))
        }
        _ => unreachable!(),
    }
    // Only one page request at a time.
    assert!(press(&mut app, "k G").is_empty());
    let more = numbered_rows(100..150);
    update(
        &mut app,
        Msg::Executions {
            generation,
            append: true,
            result: Ok(Page {
                items: more,
                next_token: None,
            }),
        },
    );
    assert_eq!(app.executions.list.rows.len(), 150);
    assert_eq!(
        selected_name(&app),
        "run-149",
        "G goes to the real end: the cursor follows the page loaded"
    );
    assert!(app.executions.next_token.is_none());
    assert!(press(&mut app, "G").is_empty(), "last page reached");
}

#[test]
fn status_filter_starts_a_new_listing_and_drops_stale_pages() {
    let mut app = seed_app();
    let effects = update(&mut app, Msg::Tick(NOW + 2_000));
    let (stale, _) = list_request(&effects);
    let effects = press(&mut app, "f");
    match effects.as_slice() {
        [
            Effect::LoadExecutions {
                request,
                append: false,
                ..
            },
        ] => {
            assert_eq!(request.status, Some(ExecutionStatus::Running));
        }
        other => panic!("{other:#?}"),
    }
    let (fresh, _) = list_request(&effects);
    assert!(app.executions.list.rows.is_empty(), "the list reloads");
    // The answer to the request made before the filter changed is dropped.
    update(
        &mut app,
        Msg::Executions {
            generation: stale,
            append: false,
            result: Ok(Page {
                items: seed_rows(),
                next_token: None,
            }),
        },
    );
    assert!(app.executions.list.rows.is_empty());
    let running = vec![seed_rows()[0].clone()];
    update(
        &mut app,
        Msg::Executions {
            generation: fresh,
            append: false,
            result: Ok(Page {
                items: running,
                next_token: None,
            }),
        },
    );
    assert_eq!(names(&app), ["run-06-running"]);
    // Cycling on through every status comes back to "all".
    for _ in 0..ExecutionStatus::ALL.len() {
        press(&mut app, "f");
    }
    assert_eq!(app.executions.status_filter, None);
}

#[test]
fn opening_an_execution_describes_it_and_loads_its_history() {
    let mut app = seed_app();
    press(&mut app, "G");
    let effects = press(&mut app, "Enter");
    let arn = exec_arn("run-01-happy");
    assert_eq!(effects.len(), 2, "{effects:#?}");
    assert!(
        matches!(&effects[0], Effect::LoadExecution { execution_arn, .. } if *execution_arn == arn)
    );
    match &effects[1] {
        Effect::LoadHistory { request, .. } => assert_eq!(
            request,
            &HistoryRequest {
                execution_arn: arn.clone(),
                after_event_id: None,
                include_data: false
            }
        ),
        other => panic!("{other:?}"),
    }
    let o = opened(&effects);
    let detail = detail_of(&seed_rows()[5], Some(r#"{"userId":"user_a"}"#), Some("{}"));
    update(
        &mut app,
        Msg::Execution {
            generation: o.detail_generation,
            result: Ok(detail),
        },
    );
    update(
        &mut app,
        Msg::History {
            generation: o.history_generation,
            include_data: false,
            result: Ok(fixture("happy_path.json")),
        },
    );
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.events.len(), 33);
    assert!(!view.timeline.rows.is_empty());
    assert_eq!(view.status(), ExecutionStatus::Succeeded);
    // A finished execution on its own asks for nothing: the console is idle.
    assert_eq!(app.next_wakeup(), None);
    // Esc goes back to the list with the cursor where it was.
    press(&mut app, "Esc");
    assert!(app.execution.is_none());
    assert_eq!(selected_name(&app), "run-01-happy");
    assert!(app.next_wakeup().is_some(), "the list refresh resumes");
}

#[test]
fn a_running_execution_is_polled_for_new_events_only_one_request_at_a_time() {
    let mut app = seed_app();
    let all = fixture("running.json");
    let (first, rest) = all.split_at(10);
    let effects = press(&mut app, "Enter");
    let o = opened(&effects);
    update(
        &mut app,
        Msg::History {
            generation: o.history_generation,
            include_data: false,
            result: Ok(first.to_vec()),
        },
    );
    // Hidden list: no refresh; the history poll is due a second after the first request.
    let wake = app.next_wakeup().unwrap();
    assert_eq!(wake, NOW + ANIMATION_MS, "bars grow: animation tick");
    let effects = update(&mut app, Msg::Tick(NOW + 1_000));
    let generation = match effects.as_slice() {
        [
            Effect::LoadHistory {
                generation,
                request,
            },
        ] => {
            assert_eq!(request.after_event_id, Some(10));
            assert!(!request.include_data);
            *generation
        }
        other => panic!("{other:#?}"),
    };
    assert!(
        update(&mut app, Msg::Tick(NOW + 2_500)).is_empty(),
        "coalesced while in flight"
    );
    update(
        &mut app,
        Msg::History {
            generation,
            include_data: false,
            result: Ok(rest.to_vec()),
        },
    );
    assert_eq!(app.execution.as_ref().unwrap().events.len(), all.len());
    let effects = update(&mut app, Msg::Tick(NOW + 3_500));
    match effects.as_slice() {
        [Effect::LoadHistory { request, .. }] => {
            assert_eq!(request.after_event_id, Some(all.len() as i64))
        }
        other => panic!("{other:#?}"),
    }
}

#[test]
fn results_for_an_execution_left_behind_are_dropped() {
    let mut app = seed_app();
    let a = opened(&press(&mut app, "Enter"));
    press(&mut app, "Esc j");
    let b = opened(&press(&mut app, "Enter"));
    assert_ne!(a.history_generation, b.history_generation);
    update(
        &mut app,
        Msg::History {
            generation: a.history_generation,
            include_data: false,
            result: Ok(fixture("running.json")),
        },
    );
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.summary.name, "run-05-failed");
    assert!(view.events.is_empty(), "stale history ignored");
    update(
        &mut app,
        Msg::History {
            generation: b.history_generation,
            include_data: false,
            result: Ok(fixture("failed.json")),
        },
    );
    assert_eq!(app.execution.as_ref().unwrap().events.len(), 32);
}

#[test]
fn state_details_fetch_payloads_once() {
    let mut app = seed_app();
    press(&mut app, "G");
    let mut events = fixture("happy_path.json");
    let with_data = events.clone();
    for e in &mut events {
        e.details.input = None;
        e.details.output = None;
    }
    open_with(&mut app, detail_of(&seed_rows()[5], None, None), events);
    press(&mut app, "j");
    let effects = press(&mut app, "Enter");
    // The pane shows the state's definition too: asked once, beside the payloads.
    let generation = match effects.as_slice() {
        [
            Effect::LoadDefinition { execution_arn, .. },
            Effect::LoadHistory {
                generation,
                request,
            },
        ] if execution_arn.ends_with(":run-01-happy") => {
            assert!(request.include_data);
            assert_eq!(request.after_event_id, None);
            *generation
        }
        other => panic!("{other:#?}"),
    };
    assert!(app.execution.as_ref().unwrap().timeline.details);
    update(
        &mut app,
        Msg::History {
            generation,
            include_data: true,
            result: Ok(with_data),
        },
    );
    let view = app.execution.as_ref().unwrap();
    let span = view.selected_span().unwrap();
    assert!(
        view.span_input(span).is_some(),
        "input filled from the payload fetch"
    );
    // Closing and opening again, or on another state, does not fetch again.
    assert!(press(&mut app, "Esc j Enter").is_empty());
    assert!(
        app.execution.is_some(),
        "Esc closed the details, not the view"
    );
}

#[test]
fn stopping_asks_first_and_defaults_to_no() {
    let mut app = seed_app();
    // The cursor is on the running execution.
    press(&mut app, "S");
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    assert!(
        press(&mut app, "Enter").is_empty(),
        "Enter on the default No does nothing"
    );
    assert!(app.overlay.is_none());
    press(&mut app, "ctrl-k");
    assert!(
        press(&mut app, "q").is_empty(),
        "q does not quit from the dialog"
    );
    assert!(!app.should_quit);
    let effects = press(&mut app, "y");
    assert_eq!(
        effects,
        vec![Effect::StopExecution {
            execution_arn: exec_arn("run-06-running")
        }]
    );
    // Tab to Yes then Enter also confirms.
    press(&mut app, "S Tab");
    let effects = press(&mut app, "Enter");
    assert_eq!(effects.len(), 1);
    // A finished execution cannot be stopped: a notice, no dialog.
    press(&mut app, "j S");
    assert!(app.overlay.is_none());
    assert_eq!(app.notice.as_ref().unwrap().level, NoticeLevel::Error);
    // The result of the stop is reported and the list refreshes soon.
    update(
        &mut app,
        Msg::Stopped {
            execution_arn: exec_arn("run-06-running"),
            result: Ok(()),
        },
    );
    assert!(app.notice.as_ref().unwrap().text.contains("run-06-running"));
    assert_eq!(app.next_wakeup(), Some(NOW));
}

#[test]
fn redrive_is_offered_for_unsuccessful_executions_after_a_confirmation() {
    let mut app = seed_app();
    // The cursor is on the running execution: nothing to redrive.
    press(&mut app, "R");
    assert!(app.overlay.is_none());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("only failed, aborted or timed-out")
    );
    // The failed one: a dialog defaulting to No, then the effect on yes.
    press(&mut app, "j R");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("a confirm dialog: {:?}", app.overlay);
    };
    // From the list the history is not read: what re-runs is not known yet.
    assert!(
        confirm.message.contains("(open it to see which)"),
        "{}",
        confirm.message
    );
    assert!(press(&mut app, "Enter").is_empty(), "default No");
    press(&mut app, "R");
    assert_eq!(
        press(&mut app, "y"),
        vec![Effect::RedriveExecution {
            execution_arn: exec_arn("run-05-failed")
        }]
    );
    // The service's refusal is the eligibility answer: shown as it is.
    update(
        &mut app,
        Msg::Redriven {
            execution_arn: exec_arn("run-05-failed"),
            result: Err(BackendError::Invalid(
                "Execution is not redrivable: redrive count limit reached".into(),
            )),
        },
    );
    let notice = app.notice.clone().unwrap();
    assert_eq!(notice.level, NoticeLevel::Error);
    assert!(
        notice.text.contains("redrive count limit reached"),
        "{notice:?}"
    );
    update(
        &mut app,
        Msg::Redriven {
            execution_arn: exec_arn("run-05-failed"),
            result: Ok(()),
        },
    );
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("redrive started")
    );
    assert_eq!(app.next_wakeup(), Some(NOW), "the list refreshes at once");
}

#[test]
fn a_throttled_backend_says_so_and_the_rows_stay() {
    let mut app = seed_app();
    let rows = names(&app);
    update(
        &mut app,
        Msg::BackendNotice(stepdeck::backend::BackendNotice::Throttled {
            operation: "ListExecutions".into(),
            attempt: 2,
            retry_in_ms: 1_600,
        }),
    );
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "ListExecutions throttled (attempt 2), retrying in 1.6 s"
    );
    assert_eq!(names(&app), rows);
}

#[test]
fn a_paused_api_says_until_when_and_the_notice_goes_when_it_answers_again() {
    use stepdeck::backend::BackendNotice;
    let mut app = seed_app();
    let resumed = |operation: &str| {
        Msg::BackendNotice(BackendNotice::Resumed {
            operation: operation.into(),
        })
    };
    update(
        &mut app,
        Msg::BackendNotice(BackendNotice::Paused {
            operation: "DescribeExecution".into(),
            until: 1_764_067_327_000,
        }),
    );
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "DescribeExecution paused after repeated throttling; trying again at 10:42:07"
    );
    // Another API answering again does not end this pause.
    update(&mut app, resumed("ListExecutions"));
    assert!(app.notice.is_some());
    update(&mut app, resumed("DescribeExecution"));
    assert_eq!(app.notice, None);
    // A notice about something else is not taken away by it.
    app.notify(stepdeck::app::NoticeLevel::Info, "3 faces deleted");
    update(&mut app, resumed("DescribeExecution"));
    assert_eq!(app.notice.as_ref().unwrap().text, "3 faces deleted");
}

#[test]
fn palette_commands() {
    let mut app = app_with(&["RiderPhotoProcessing", "Other"], seed_rows(), None);
    press(&mut app, ":");
    type_text(&mut app, "nonsense");
    assert!(press(&mut app, "Enter").is_empty());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("unknown command `nonsense`")
    );

    press(&mut app, ":");
    type_text(&mut app, "events");
    press(&mut app, "Enter");
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("no execution open")
    );

    press(&mut app, "Enter");
    press(&mut app, ":");
    type_text(&mut app, "ev");
    press(&mut app, "Tab");
    press(&mut app, "Enter");
    assert_eq!(app.execution.as_ref().unwrap().tab, Tab::Events);
    press(&mut app, ":");
    type_text(&mut app, "io");
    press(&mut app, "Enter");
    assert_eq!(app.execution.as_ref().unwrap().tab, Tab::Io);
    press(&mut app, ":");
    type_text(&mut app, "executions");
    press(&mut app, "Enter");
    assert!(app.execution.is_none());

    press(&mut app, ":");
    type_text(&mut app, "filter failed");
    let effects = press(&mut app, "Enter");
    match effects.as_slice() {
        [Effect::LoadExecutions { request, .. }] => {
            assert_eq!(request.status, Some(ExecutionStatus::Failed))
        }
        other => panic!("{other:#?}"),
    }

    press(&mut app, ":");
    type_text(&mut app, "sm Other");
    let effects = press(&mut app, "Enter");
    match effects.as_slice() {
        [Effect::LoadExecutions { request, .. }] => {
            assert!(request.state_machine_arn.ends_with(":Other"))
        }
        other => panic!("{other:#?}"),
    }
    assert_eq!(app.state_machine().unwrap().name, "Other");

    press(&mut app, ":");
    type_text(&mut app, "q");
    assert!(!app.should_quit, "typing q in the palette is text");
    assert_eq!(press(&mut app, "Enter"), vec![Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn state_machine_picker() {
    let mut app = app_with(&["RiderPhotoProcessing", "Other"], seed_rows(), None);
    press(&mut app, "m");
    assert!(matches!(app.overlay, Some(Overlay::Picker { cursor: 0 })));
    let effects = press(&mut app, "j Enter");
    let _ = list_request(&effects);
    assert_eq!(app.state_machine().unwrap().name, "Other");
    let mut single = seed_app();
    press(&mut single, "m");
    assert!(single.overlay.is_none());
    assert!(single.notice.is_some());
}

#[test]
fn help_toggles_and_keys_quit_and_suspend() {
    let mut app = seed_app();
    press(&mut app, "?");
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    press(&mut app, "j");
    assert_eq!(
        app.executions.list.cursor, 0,
        "keys scroll the help, not the list"
    );
    press(&mut app, "?");
    assert!(app.overlay.is_none());
    assert_eq!(press(&mut app, "ctrl-z"), vec![Effect::Suspend]);
    assert!(!app.should_quit);
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn key_sequences_and_paging() {
    let rows = numbered_rows(0..60);
    let mut app = app_with(&["RiderPhotoProcessing"], rows, None);
    press(&mut app, "G");
    assert_eq!(app.executions.list.cursor, 59);
    press(&mut app, "g");
    assert_eq!(app.pending_keys.len(), 1);
    press(&mut app, "g");
    assert_eq!(app.executions.list.cursor, 0);
    press(&mut app, "PageDown");
    assert_eq!(app.executions.list.cursor, app.page_rows());
    // A broken sequence is read again from its last key: `g j` moves down.
    press(&mut app, "g g g j");
    assert_eq!(app.executions.list.cursor, 1);
    assert!(app.pending_keys.is_empty());
}

#[test]
fn timeline_zoom_pan_fit_and_follow() {
    let mut app = seed_app();
    let all = fixture("running.json");
    let o = opened(&press(&mut app, "Enter"));
    update(
        &mut app,
        Msg::History {
            generation: o.history_generation,
            include_data: false,
            result: Ok(all),
        },
    );
    let view = app.execution.as_ref().unwrap();
    assert!(view.timeline.follow, "follow is on for a running execution");
    let total = view.duration(NOW);
    assert_eq!(view.window(NOW), (0, total));
    press(&mut app, "+");
    let view = app.execution.as_ref().unwrap();
    let (from, to) = view.window(NOW);
    assert_eq!(
        (to, to - from),
        (total, total / 2),
        "following keeps the right edge at now"
    );
    press(&mut app, "h");
    let view = app.execution.as_ref().unwrap();
    assert!(!view.timeline.follow, "panning stops following");
    assert!(view.window(NOW).1 < total);
    press(&mut app, "F");
    assert!(app.execution.as_ref().unwrap().timeline.follow);
    press(&mut app, "0");
    assert_eq!(app.execution.as_ref().unwrap().window(NOW), (0, total));
    press(&mut app, "- -");
    assert_eq!(
        app.execution.as_ref().unwrap().timeline.window,
        None,
        "zoomed out past fit = fit"
    );
}

#[test]
fn events_search_and_copy() {
    let mut app = seed_app();
    press(&mut app, "G");
    let detail = detail_of(
        &seed_rows()[5],
        Some(r#"{"userId":"user_a"}"#),
        Some(r#"{"ok":true}"#),
    );
    open_with(&mut app, detail, fixture("happy_path.json"));
    press(&mut app, "Tab");
    assert_eq!(app.execution.as_ref().unwrap().tab, Tab::Events);
    press(&mut app, "/");
    type_text(&mut app, "TaskStateEntered");
    press(&mut app, "Enter");
    let view = app.execution.as_ref().unwrap();
    let matches = view.events_view.matches.clone();
    assert!(matches.len() >= 3, "{matches:?}");
    assert_eq!(view.events_view.cursor, matches[0]);
    press(&mut app, "n");
    assert_eq!(
        app.execution.as_ref().unwrap().events_view.cursor,
        matches[1]
    );
    press(&mut app, "N N");
    assert_eq!(
        app.execution.as_ref().unwrap().events_view.cursor,
        *matches.last().unwrap(),
        "wraps"
    );
    press(&mut app, "Tab");
    assert_eq!(
        press(&mut app, "y"),
        vec![Effect::CopyToClipboard(r#"{"userId":"user_a"}"#.into())]
    );
    assert_eq!(
        press(&mut app, "Y"),
        vec![Effect::CopyToClipboard(r#"{"ok":true}"#.into())]
    );
    press(&mut app, "BackTab BackTab");
    assert_eq!(app.execution.as_ref().unwrap().tab, Tab::Timeline);
}

#[test]
fn keymap_problems_are_shown_at_start() {
    let options = AppOptions {
        keymap_problems: vec![
            "keymap.toml:3: unknown action `x`".into(),
            "keymap.toml:9: other".into(),
        ],
        ..AppOptions::default()
    };
    let app = App::new(options, Keymap::defaults(), NOW);
    let notice = app.notice.clone().unwrap();
    assert_eq!(notice.level, NoticeLevel::Error);
    assert!(notice.text.starts_with("keymap.toml:3: unknown action `x`"));
    assert!(notice.text.contains("+1 more"));
}
