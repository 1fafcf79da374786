//! Snapshots of every view on a `TestBackend` with a fixed clock at 120×32 and 80×24, and
//! every view at tiny and odd sizes without panicking.

use crate::app_support;

use app_support::*;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};
use stepdeck::backend::BackendError;

pub(crate) fn open_fixture(app: &mut App, row: &str, fixture_name: &str) {
    let index = app
        .executions
        .list
        .visible
        .iter()
        .position(|&i| app.executions.list.rows[i].name == row)
        .unwrap();
    let page = app.page_rows();
    app.executions.list.set_cursor(index, page);
    let summary = app.executions.selected().unwrap().clone();
    let events = fixture(fixture_name);
    let input = events[0].details.input.clone();
    let output = events.last().and_then(|e| e.details.output.clone());
    let mut detail = detail_of(&summary, input.as_deref(), output.as_deref());
    detail.error = events.last().and_then(|e| e.details.error.clone());
    detail.cause = events.last().and_then(|e| e.details.cause.clone());
    open_with(app, detail, events);
}

/// Every view and overlay, in a state worth looking at.
fn scenarios() -> Vec<(&'static str, App)> {
    let mut out = Vec::new();
    out.push(("executions", seed_app()));

    let mut filtered = seed_app();
    press(&mut filtered, "3 /");
    type_text(&mut filtered, "rej");
    out.push(("executions_filter_input", filtered));

    let mut timeline = seed_app();
    open_fixture(&mut timeline, "run-01-happy", "happy_path.json");
    out.push(("timeline", timeline));

    let mut details = seed_app();
    open_fixture(&mut details, "run-01-happy", "retry_absorbed.json");
    let effects = press(&mut details, "j Enter");
    let payload_generation = match effects.as_slice() {
        [
            stepdeck::app::effect::Effect::LoadDefinition { .. },
            stepdeck::app::effect::Effect::LoadHistory { generation, .. },
        ] => *generation,
        other => panic!("{other:#?}"),
    };
    // The fixture was captured without execution data: give every state a payload.
    let mut with_data = fixture("retry_absorbed.json");
    for e in &mut with_data {
        if e.event_type.is_state_entered() {
            e.details.input = Some(r#"{"userId":"user_a","s3Key":"1_happy_face.jpg"}"#.into());
        }
        if e.event_type.is_state_exited() {
            e.details.output = Some(r#"{"FaceDetails":[{"Sunglasses":{"Value":false}}]}"#.into());
        }
    }
    update(
        &mut details,
        Msg::History {
            generation: payload_generation,
            include_data: true,
            result: Ok(with_data),
        },
    );
    out.push(("timeline_details", details));

    let mut running = seed_app();
    open_fixture(&mut running, "run-06-running", "running.json");
    out.push(("timeline_running", running));

    let mut rejected = seed_app();
    open_fixture(&mut rejected, "run-02-sunglass", "rejected_sunglasses.json");
    out.push(("timeline_rejected", rejected));

    let mut events = seed_app();
    open_fixture(&mut events, "run-01-happy", "happy_path.json");
    press(&mut events, "Tab /");
    type_text(&mut events, "Lambda");
    press(&mut events, "Enter n");
    out.push(("events", events));

    let mut io = seed_app();
    open_fixture(&mut io, "run-01-happy", "happy_path.json");
    press(&mut io, "Tab Tab");
    out.push(("io", io));

    let mut io_failed = seed_app();
    open_fixture(&mut io_failed, "run-05-failed", "failed.json");
    press(&mut io_failed, "BackTab");
    out.push(("io_failed", io_failed));

    let mut help = seed_app();
    press(&mut help, "?");
    out.push(("help", help));

    let mut help_timeline = seed_app();
    open_fixture(&mut help_timeline, "run-01-happy", "happy_path.json");
    press(&mut help_timeline, "?");
    out.push(("help_timeline", help_timeline));

    let mut palette = seed_app();
    press(&mut palette, ":");
    type_text(&mut palette, "f");
    out.push(("palette", palette));

    let mut confirm = seed_app();
    press(&mut confirm, "S");
    out.push(("confirm", confirm));

    let mut error = seed_app();
    let effects = update(&mut error, Msg::Tick(NOW + 2_000));
    let (generation, _) = list_request(&effects);
    let result = Err(BackendError::Throttled {
        api: "ListExecutions".into(),
        attempts: 3,
    });
    update(
        &mut error,
        Msg::Executions {
            generation,
            append: false,
            result,
        },
    );
    update(&mut error, Msg::Tick(NOW + 14_000));
    let failed = Err(BackendError::AccessDenied {
        action: "states:StopExecution".into(),
        message: "not authorized".into(),
    });
    update(
        &mut error,
        Msg::Stopped {
            execution_arn: exec_arn("run-06-running"),
            result: failed,
        },
    );
    out.push(("error_notice", error));

    let mut picker = app_with(
        &["RiderPhotoProcessing", "ImageResizer", "Nightly"],
        seed_rows(),
        None,
    );
    press(&mut picker, "m j");
    out.push(("picker", picker));

    let mut empty = new_app();
    update(
        &mut empty,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    out.push(("loading", empty));
    out
}

#[test]
fn snapshots_of_every_view() {
    for (name, mut app) in scenarios() {
        for (width, height) in [(120, 32), (80, 24)] {
            update(&mut app, Msg::Resize(width, height));
            insta::assert_snapshot!(
                format!("{name}_{width}x{height}"),
                screen(&app, width, height)
            );
        }
    }
}

#[test]
fn tiny_terminals_say_they_are_too_small() {
    let (_, app) = scenarios().remove(0);
    insta::assert_snapshot!("too_small_20x5", screen(&app, 20, 5));
}

#[test]
fn every_view_renders_at_odd_sizes_without_panicking() {
    let sizes = [
        (1, 1),
        (20, 5),
        (39, 7),
        (40, 8),
        (41, 9),
        (44, 10),
        (57, 13),
        (63, 40),
        (99, 17),
        (109, 20),
        (111, 21),
        (200, 50),
        (300, 8),
        (30, 100),
    ];
    for (name, mut app) in scenarios() {
        for (width, height) in sizes {
            update(&mut app, Msg::Resize(width, height));
            let text = screen(&app, width, height);
            assert_eq!(
                text.lines().count(),
                height as usize,
                "{name} at {width}×{height}"
            );
        }
    }
}

/// The header's first line.
fn header(app: &App) -> String {
    screen(app, 120, 30).lines().next().unwrap().to_string()
}

#[test]
fn a_hanging_refresh_turns_live_into_stale_with_the_data_age() {
    let mut app = seed_app();
    assert!(header(&app).contains("● LIVE"), "{}", header(&app));
    // The refresh goes out and no answer comes back.
    let effects = update(&mut app, Msg::Tick(NOW + 2_000));
    let (generation, _) = list_request(&effects);
    update(&mut app, Msg::Tick(NOW + 3_000));
    assert!(header(&app).contains("● LIVE"), "within twice the interval");
    update(&mut app, Msg::Tick(NOW + 30_000));
    let line = header(&app);
    assert!(line.contains("◌ STALE"), "{line}");
    assert!(line.contains("data 30.0s old"), "{line}");
    assert!(!line.contains("LIVE"), "{line}");
    // The answer arrives: live again.
    let rows = app.executions.list.rows.clone();
    update(
        &mut app,
        Msg::Executions {
            generation,
            append: false,
            result: Ok(stepdeck::backend::Page {
                items: rows,
                next_token: None,
            }),
        },
    );
    assert!(header(&app).contains("● LIVE"), "{}", header(&app));
}

#[test]
fn a_follow_whose_history_polls_go_unanswered_turns_stale() {
    let mut app = seed_app();
    open_fixture(&mut app, "run-06-running", "running.json");
    let chart = |app: &App| screen(app, 160, 45);
    assert!(chart(&app).contains("▶ FOLLOW"), "{}", chart(&app));
    // Polls go out; none is answered.
    update(&mut app, Msg::Tick(NOW + 1_500));
    update(&mut app, Msg::Tick(NOW + 12_000));
    let text = chart(&app);
    assert!(text.contains("◌ STALE · events 12.0s old"), "{text}");
    assert!(!text.contains("FOLLOW"), "{text}");
}

#[test]
fn messages_keeps_every_notice_newest_first_with_its_time() {
    let mut app = seed_app();
    app.notify(stepdeck::app::NoticeLevel::Info, "first notice");
    update(&mut app, Msg::Tick(NOW + 1_000));
    app.now = NOW + 5_000;
    app.notify(
        stepdeck::app::NoticeLevel::Error,
        "second notice, which replaced the first",
    );
    update(&mut app, Msg::Tick(NOW + 5_000));
    press(&mut app, ":");
    type_text(&mut app, "messages");
    press(&mut app, "Enter");
    let text = screen(&app, 120, 30);
    let second = text.find("10:06:05 ⚠ second notice").expect(&text);
    let first = text.find("10:06:00 ℹ first notice").expect(&text);
    assert!(second < first, "newest first:\n{text}");
    assert!(text.contains("messages — 2"), "{text}");
    press(&mut app, "Esc");
    assert!(app.overlay.is_none());
}
