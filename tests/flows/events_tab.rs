//! The Events tab's own keys: `Enter` opens an event as its full JSON (fetching the data the
//! listing left out) and `Esc` closes it, `f` shows the failures only, `w` writes the whole
//! history in the AWS CLI's shape through `Effect::WriteFile`, which `stepdeck timeline
//! --history` reads back to the same timeline.

use crate::app_support;

use app_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::overlays::{InputPurpose, Overlay};
use stepdeck::app::update::update;
use stepdeck::cli::timeline::{Format, TimelineArgs, run, to_text};
use stepdeck::domain::history_json::parse_history;
use stepdeck::domain::timeline::TimelineBuilder;

/// The last seed row opened on `fixture_name`, on its Events tab.
fn events_of(fixture_name: &str) -> App {
    opened_on(fixture(fixture_name))
}

fn opened_on(events: Vec<stepdeck::domain::history::HistoryEvent>) -> App {
    let mut app = seed_app();
    press(&mut app, "G");
    let detail = detail_of(&seed_rows()[5], None, None);
    open_with(&mut app, detail, events);
    press(&mut app, "Tab");
    app
}

fn view(app: &App) -> &stepdeck::app::screens::execution::State {
    app.execution.as_ref().unwrap()
}

#[test]
fn enter_opens_the_event_as_its_json_and_esc_closes_it() {
    // Listed as GetExecutionHistory does without execution data: no outputs.
    let mut listed = fixture("redriven.json");
    for e in &mut listed {
        e.details.output = None;
    }
    let mut app = opened_on(listed);
    // Event 22 is the Thumbnail task's failure (index 21).
    press(&mut app, "g g");
    for _ in 0..21 {
        press(&mut app, "j");
    }
    let effects = press(&mut app, "Enter");
    // Listed without data: one fetch with execution data fills in inputs and outputs.
    let generation = match effects.as_slice() {
        [
            Effect::LoadHistory {
                generation,
                request,
            },
        ] if request.include_data => *generation,
        other => panic!("{other:#?}"),
    };
    assert_eq!(view(&app).events_view.expanded, Some(22));
    let json: serde_json::Value =
        serde_json::from_str(&view(&app).expanded_json().unwrap()).unwrap();
    assert_eq!(json["type"], "TaskFailed");
    assert_eq!(json["id"], 22);
    assert_eq!(json["previousEventId"], 21);
    assert_eq!(
        json["taskFailedEventDetails"]["error"],
        "UnidentifiedImageError"
    );
    assert!(
        json["taskFailedEventDetails"]["cause"]
            .as_str()
            .unwrap()
            .contains("cannot identify image file")
    );
    // The data fetch answers: an event that had no output now shows the one fetched.
    let mut with_data = fixture("redriven.json");
    for e in &mut with_data {
        if e.event_type.is_state_exited() {
            e.details.output = Some(format!(r#"{{"exited":{}}}"#, e.id));
        }
    }
    update(
        &mut app,
        Msg::History {
            generation,
            include_data: true,
            result: Ok(with_data),
        },
    );
    press(&mut app, "Esc");
    assert_eq!(view(&app).events_view.expanded, None);
    assert!(
        app.execution.is_some(),
        "the first Esc closes the JSON only"
    );
    // The first state's exit carries the output fetched.
    let exited = view(&app)
        .events
        .iter()
        .position(|e| e.event_type.is_state_exited())
        .unwrap();
    press(&mut app, "g g");
    for _ in 0..exited {
        press(&mut app, "j");
    }
    assert!(press(&mut app, "Enter").is_empty(), "fetched already");
    let id = view(&app).events[exited].id;
    let json: serde_json::Value =
        serde_json::from_str(&view(&app).expanded_json().unwrap()).unwrap();
    assert_eq!(
        json["stateExitedEventDetails"]["output"],
        format!(r#"{{"exited":{id}}}"#)
    );
    // Moving keys scroll the JSON (not the list) while it is open, when it is taller than the
    // page; Enter closes it too.
    update(&mut app, Msg::Resize(40, 12));
    let height = view(&app).expanded_height(38);
    assert!(height > app.page_rows() + 2, "{height}");
    press(&mut app, "j j");
    assert_eq!(view(&app).events_view.expanded_scroll, 2);
    assert_eq!(view(&app).events_view.cursor, exited);
    press(&mut app, "G");
    let scrolled = view(&app).events_view.expanded_scroll;
    assert_eq!(scrolled, height.saturating_sub(app.page_rows()));
    press(&mut app, "Enter");
    assert_eq!(view(&app).events_view.expanded, None);
    press(&mut app, "Esc");
    assert!(app.execution.is_none(), "then Esc leaves the execution");
}

#[test]
fn f_shows_the_failures_only_and_moves_among_them() {
    let mut app = events_of("redriven.json");
    press(&mut app, "f");
    let v = view(&app);
    assert!(v.events_view.failures_only);
    let ids: Vec<i64> = v
        .events_view
        .failures
        .iter()
        .map(|&i| v.events[i].id)
        .collect();
    assert_eq!(ids, [22, 23, 24]);
    assert_eq!(v.shown_len(), 3);
    assert_eq!(v.events[v.events_view.cursor].id, 22);
    press(&mut app, "j");
    assert_eq!(view(&app).events[view(&app).events_view.cursor].id, 23);
    press(&mut app, "G");
    assert_eq!(view(&app).events[view(&app).events_view.cursor].id, 24);
    // A search finds only what is shown.
    press(&mut app, "/");
    type_text(&mut app, "Task");
    press(&mut app, "Enter");
    assert_eq!(view(&app).events[view(&app).events_view.cursor].id, 22);
    // Off again: every event, the cursor still on its event.
    press(&mut app, "f");
    let v = view(&app);
    assert!(!v.events_view.failures_only);
    assert_eq!(v.shown_len(), 41);
    assert_eq!(v.events[v.events_view.cursor].id, 22);
}

#[test]
fn a_history_without_failures_says_so() {
    let mut app = events_of("happy_path.json");
    press(&mut app, "f");
    assert_eq!(view(&app).shown_len(), 0);
    assert_eq!(notice(&app), "no failure in this history");
    assert!(press(&mut app, "Enter").is_empty(), "no event to open");
}

/// A file in the temporary directory that no other test uses.
fn scratch(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("stepdeck-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// The events of `fixture_name` as GetExecutionHistory lists them without execution data.
fn without_data(fixture_name: &str) -> Vec<stepdeck::domain::history::HistoryEvent> {
    let mut events = fixture(fixture_name);
    for e in &mut events {
        e.details.input = None;
        e.details.output = None;
    }
    events
}

/// The single `LoadHistory` with execution data among `effects`: its generation.
fn data_fetch(effects: &[Effect]) -> stepdeck::app::msg::Generation {
    match effects {
        [
            Effect::LoadHistory {
                generation,
                request,
            },
        ] if request.include_data => *generation,
        other => panic!("{other:#?}"),
    }
}

#[test]
fn w_writes_the_history_that_stepdeck_timeline_reads_back_to_the_same_timeline() {
    let mut app = opened_on(without_data("redriven.json"));
    assert!(press(&mut app, "w").is_empty());
    match &app.overlay {
        Some(Overlay::Input(input)) => {
            assert_eq!(input.purpose, InputPurpose::HistoryFile);
            let name = &view(&app).summary.name;
            assert_eq!(input.text, format!("{name}.history.json"));
        }
        other => panic!("{other:?}"),
    }
    let path = scratch("redriven.history.json");
    press(&mut app, "ctrl-u");
    type_text(&mut app, path.to_str().unwrap());
    // Listed without data: the inputs and outputs are read first, as the AWS CLI prints them.
    let generation = data_fetch(&press(&mut app, "Enter"));
    assert!(app.overlay.is_none());
    assert_eq!(
        notice(&app),
        "reading the states' inputs and outputs, then writing the history…"
    );
    let effects = update(
        &mut app,
        Msg::History {
            generation,
            include_data: true,
            result: Ok(fixture("redriven.json")),
        },
    );
    let (written_to, contents, what) = match effects.as_slice() {
        [
            Effect::WriteFile {
                path,
                contents,
                what,
            },
        ] => (path.clone(), contents.clone(), what.clone()),
        other => panic!("{other:#?}"),
    };
    assert_eq!(written_to, path);
    assert_eq!(what, "the history (41 events)");
    // The events with their data, in the AWS CLI's shape…
    assert!(contents.starts_with("{\n    \"events\": ["), "{contents}");
    let written = parse_history(&contents).unwrap();
    assert_eq!(written, fixture("redriven.json"));
    assert!(written[0].details.input.is_some());
    // …which `stepdeck timeline --history` reads to the timeline on screen.
    std::fs::write(&path, &contents).unwrap();
    let args = TimelineArgs {
        history: path.clone(),
        format: Format::Text,
        max_history_mb: 16,
    };
    let rendered = run(&args).unwrap();
    let _ = std::fs::remove_file(&path);
    let on_screen = view(&app).timeline();
    assert_eq!(rendered.text, to_text(on_screen, 100));
    // The same timeline, and more: the data the screen lists without.
    let mut builder = TimelineBuilder::new();
    builder.extend(&written);
    let read_back = builder.timeline();
    assert!(read_back.execution.input.is_some() && on_screen.execution.input.is_none());
    assert_eq!(&without_inputs_and_outputs(read_back), on_screen);
    assert!(rendered.text.contains("redriven 1×"), "{}", rendered.text);
    // The runtime's answer is the notice.
    update(
        &mut app,
        Msg::FileWritten {
            what: what.clone(),
            result: Ok("/tmp/x.history.json".into()),
        },
    );
    assert_eq!(
        notice(&app),
        "wrote the history (41 events) to /tmp/x.history.json"
    );
    update(
        &mut app,
        Msg::FileWritten {
            what,
            result: Err("x.history.json exists (not overwritten; choose another name)".into()),
        },
    );
    assert_eq!(
        notice(&app),
        "the history (41 events) not written: x.history.json exists (not overwritten; choose \
         another name)"
    );
}

fn without_inputs_and_outputs(
    timeline: &stepdeck::domain::timeline::Timeline,
) -> stepdeck::domain::timeline::Timeline {
    let mut timeline = timeline.clone();
    timeline.execution.input = None;
    timeline.execution.output = None;
    for span in &mut timeline.spans {
        span.input = None;
        span.output = None;
    }
    timeline
}

#[test]
fn a_history_whose_data_cannot_be_read_is_written_without_it_and_says_so() {
    let mut app = opened_on(without_data("happy_path.json"));
    press(&mut app, "w");
    let generation = data_fetch(&press(&mut app, "Enter"));
    let refused = Err(stepdeck::backend::BackendError::AccessDenied {
        action: "states:GetExecutionHistory".into(),
        message: "not authorized".into(),
    });
    let effects = update(
        &mut app,
        Msg::History {
            generation,
            include_data: true,
            result: refused,
        },
    );
    match effects.as_slice() {
        [Effect::WriteFile { contents, what, .. }] => {
            assert!(
                what.starts_with("the history (33 events; without inputs and outputs: "),
                "{what}"
            );
            assert_eq!(
                parse_history(contents).unwrap(),
                without_data("happy_path.json")
            );
        }
        other => panic!("{other:#?}"),
    }
    // Once the data is held, w writes at once.
    let mut app = events_of("happy_path.json");
    let generation = data_fetch(&press(&mut app, "Enter"));
    update(
        &mut app,
        Msg::History {
            generation,
            include_data: true,
            result: Ok(fixture("happy_path.json")),
        },
    );
    press(&mut app, "Esc w");
    assert!(matches!(
        press(&mut app, "Enter").as_slice(),
        [Effect::WriteFile { .. }]
    ));
}

#[test]
fn w_with_no_file_name_or_esc_writes_nothing() {
    let mut app = events_of("happy_path.json");
    press(&mut app, "w ctrl-u");
    assert!(press(&mut app, "Enter").is_empty());
    assert_eq!(notice(&app), "no file name: the history is not written");
    press(&mut app, "w");
    assert!(press(&mut app, "Esc").is_empty());
    assert!(app.overlay.is_none());
    assert!(app.execution.is_some());
}
