//! Lists that are complete and honest about it: a refresh that does not reach the rows held
//! reads on until it does, `G` reads to the real end, a text filter says how much it
//! searched; and an idle list refreshes less often, saying so.

use crate::app_support;

use app_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::backend::Page;
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary};

/// Executions numbered `numbers`, a second apart, the highest number newest.
fn started(numbers: std::ops::Range<i64>) -> Vec<ExecutionSummary> {
    numbers
        .rev()
        .map(|i| {
            execution(
                &format!("exec-{i:04}"),
                ExecutionStatus::Succeeded,
                NOW - 1_000_000 + i * 1_000,
                Some(500),
            )
        })
        .collect()
}

/// The token of the single LoadExecutions in `effects`.
fn token_asked(effects: &[Effect]) -> Option<String> {
    list_request(effects);
    effects.iter().find_map(|e| match e {
        Effect::LoadExecutions { request, .. } => Some(request.next_token.clone()),
        _ => None,
    })?
}

fn page(items: Vec<ExecutionSummary>, next: Option<&str>) -> Page<ExecutionSummary> {
    Page {
        items,
        next_token: next.map(str::to_string),
    }
}

fn names(app: &App) -> Vec<String> {
    app.executions
        .list
        .rows
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

fn title(app: &App) -> String {
    screen(app, 120, 32)
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

/// 600 executions held (0..600), then 150 more start before the next refresh.
fn app_behind_by_150() -> (App, Vec<Effect>) {
    let mut app = app_with(&["RiderPhotoProcessing"], started(500..600), Some("old-2"));
    let all = started(0..600);
    // The pages below, as `G` loads them one after the other.
    let mut effects = press(&mut app, "G");
    for chunk in 1..6 {
        let next = (chunk < 5).then(|| format!("old-{}", chunk + 2));
        effects = answer_listing(
            &mut app,
            &effects,
            Ok(page(
                all[chunk * 100..chunk * 100 + 100].to_vec(),
                next.as_deref(),
            )),
        );
    }
    assert_eq!(app.executions.list.rows.len(), 600);
    assert!(app.executions.next_token.is_none());
    let effects = press(&mut app, "g g ctrl-r");
    (app, effects)
}

#[test]
fn a_refresh_that_does_not_reach_the_held_rows_reads_on_until_it_does() {
    let (mut app, refresh) = app_behind_by_150();
    let newest = started(0..750);
    let effects = answer_listing(
        &mut app,
        &refresh,
        Ok(page(newest[..100].to_vec(), Some("new-2"))),
    );
    // The 50 between the page and the held rows are missing: said, and asked for.
    assert_eq!(app.executions.list.rows.len(), 700);
    let shown = title(&app);
    assert!(shown.contains("700+ rows"), "{shown}");
    assert!(shown.contains("loading missed executions"), "{shown}");
    assert_eq!(token_asked(&effects).as_deref(), Some("new-2"));
    let effects = answer_listing(
        &mut app,
        &effects,
        Ok(page(newest[100..200].to_vec(), Some("new-3"))),
    );
    // That page reached the held rows: nothing more to read, every execution there once.
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::LoadExecutions { .. })),
        "{effects:#?}"
    );
    let expected: Vec<String> = newest.iter().map(|r| r.name.clone()).collect();
    assert_eq!(names(&app), expected);
    let shown = title(&app);
    assert!(
        shown.contains("750 rows") && !shown.contains('+'),
        "{shown}"
    );
}

#[test]
fn rows_started_while_the_list_was_behind_an_open_execution_are_all_listed() {
    let mut app = app_with(&["RiderPhotoProcessing"], started(500..600), Some("old-2"));
    press(&mut app, "Enter");
    assert!(app.execution.is_some());
    // 250 start meanwhile; the list is paused, nothing refreshes it.
    let effects = press(&mut app, "Esc");
    let effects = if effects
        .iter()
        .any(|e| matches!(e, Effect::LoadExecutions { .. }))
    {
        effects
    } else {
        press(&mut app, "ctrl-r")
    };
    let newest = started(500..850);
    let mut effects = answer_listing(
        &mut app,
        &effects,
        Ok(page(newest[..100].to_vec(), Some("n-2"))),
    );
    for (i, next) in [(1, Some("n-3")), (2, Some("n-4"))] {
        assert_eq!(
            token_asked(&effects).as_deref(),
            Some(format!("n-{}", i + 1).as_str())
        );
        effects = answer_listing(
            &mut app,
            &effects,
            Ok(page(newest[i * 100..i * 100 + 100].to_vec(), next)),
        );
    }
    let expected: Vec<String> = newest.iter().map(|r| r.name.clone()).collect();
    assert_eq!(names(&app), expected);
    // The old bottom token is still the one to read further down with.
    assert_eq!(app.executions.next_token.as_deref(), Some("old-2"));
    assert!(app.executions.gaps.is_empty());
}

/// Lets time pass until `until`, waking when the app asks and answering each refresh at
/// once with the same rows; returns when each refresh went out.
fn idle_until(app: &mut App, until: i64, rows: &[ExecutionSummary]) -> Vec<i64> {
    let mut sent = Vec::new();
    while let Some(at) = app.next_wakeup() {
        if at > until {
            break;
        }
        let effects = stepdeck::app::update::update(app, stepdeck::app::msg::Msg::Tick(at));
        if effects
            .iter()
            .any(|e| matches!(e, Effect::LoadExecutions { append: false, .. }))
        {
            sent.push(at);
            answer_listing(app, &effects, Ok(page(rows.to_vec(), None)));
        }
    }
    sent
}

fn badge(app: &App) -> String {
    screen(app, 120, 32)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn an_idle_list_refreshes_less_often_and_says_so_until_a_key_is_pressed() {
    let rows = started(0..20);
    let mut app = app_with(&["RiderPhotoProcessing"], rows.clone(), None);
    let sent = idle_until(&mut app, NOW + 10 * 60_000, &rows);
    let gaps: Vec<i64> = sent.windows(2).map(|w| w[1] - w[0]).collect();
    // The configured 2 s for two minutes, then slower each minute, 30 s at most.
    assert!(gaps.iter().take(50).all(|&g| g == 2_000), "{gaps:?}");
    assert_eq!(gaps.last(), Some(&30_000), "{gaps:?}");
    assert!(gaps.iter().all(|&g| g <= 30_000), "{gaps:?}");
    assert!(
        sent.len() < 60 + 4 * 15,
        "{} refreshes in 10 min",
        sent.len()
    );
    let shown = badge(&app);
    assert!(
        shown.contains("LIVE") && shown.contains("idle, every 30s"),
        "{shown}"
    );
    // 40 s after the last answer is within twice the slowed interval: not stale.
    app.now = sent.last().unwrap() + 40_000;
    let shown = badge(&app);
    assert!(
        shown.contains("LIVE") && !shown.contains("STALE"),
        "{shown}"
    );

    // A key: the configured pace again, at once.
    press(&mut app, "j");
    assert!(app.next_wakeup().unwrap() <= app.now + 2_000);
    assert!(!badge(&app).contains("idle"), "{}", badge(&app));
}

#[test]
fn a_running_execution_keeps_the_configured_pace() {
    let mut rows = started(0..20);
    rows[0].status = ExecutionStatus::Running;
    rows[0].stop = None;
    let mut app = app_with(&["RiderPhotoProcessing"], rows.clone(), None);
    let sent = idle_until(&mut app, NOW + 6 * 60_000, &rows);
    let gaps: Vec<i64> = sent.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        !gaps.is_empty() && gaps.iter().all(|&g| g == 2_000),
        "{gaps:?}"
    );
    assert!(!badge(&app).contains("idle"), "{}", badge(&app));
}

#[test]
fn g_goes_to_the_real_end_page_by_page_and_esc_stops_it() {
    let all = started(0..500);
    let mut app = app_with(&["RiderPhotoProcessing"], all[..100].to_vec(), Some("p-2"));
    let mut effects = press(&mut app, "G");
    for n in 2..4 {
        assert_eq!(token_asked(&effects), Some(format!("p-{n}")));
        let rows = all[(n - 1) * 100..n * 100].to_vec();
        effects = answer_listing(
            &mut app,
            &effects,
            Ok(page(rows, Some(&format!("p-{}", n + 1)))),
        );
        // The cursor follows the last row; the next page is asked at once, with progress.
        assert_eq!(app.executions.list.cursor, n * 100 - 1);
        let shown = title(&app);
        assert!(
            shown.contains(&format!("loading to the end… {} rows so far", n * 100)),
            "{shown}"
        );
    }
    assert_eq!(token_asked(&effects).as_deref(), Some("p-4"));
    // Esc: the page on its way is taken, nothing more is asked.
    press(&mut app, "Esc");
    assert!(notice(&app).contains("stopped loading"), "{}", notice(&app));
    let after = answer_listing(
        &mut app,
        &effects,
        Ok(page(all[300..400].to_vec(), Some("p-5"))),
    );
    assert!(
        !after
            .iter()
            .any(|e| matches!(e, Effect::LoadExecutions { .. })),
        "{after:#?}"
    );
    assert_eq!(app.executions.list.cursor, 299, "stays where Esc left it");
    // G again reads on to the real end.
    let effects = press(&mut app, "G");
    assert_eq!(token_asked(&effects).as_deref(), Some("p-5"));
    let done = answer_listing(&mut app, &effects, Ok(page(all[400..].to_vec(), None)));
    assert!(
        !done
            .iter()
            .any(|e| matches!(e, Effect::LoadExecutions { .. }))
    );
    assert_eq!(app.executions.list.selected().unwrap().name, "exec-0000");
    let shown = title(&app);
    assert!(
        shown.contains("500 rows") && !shown.contains('+') && !shown.contains("loading"),
        "{shown}"
    );
}

#[test]
fn a_text_filter_says_how_much_it_searched_and_how_many_inputs_it_knows() {
    let mut rows = started(0..200);
    for row in rows.iter_mut().skip(40) {
        row.input_label = None;
    }
    let mut app = app_with(&["RiderPhotoProcessing"], rows[..100].to_vec(), Some("p-2"));
    press(&mut app, "/");
    let effects = type_text(&mut app, "exec-00");
    press(&mut app, "Enter");
    let shown = title(&app);
    assert!(shown.contains("searched 100 · loading…"), "{shown}");
    assert!(shown.contains("input known for 40 of 100"), "{shown}");
    // The filter reads on through every page; then it says it searched all.
    answer_listing(&mut app, &effects, Ok(page(rows[100..].to_vec(), None)));
    let shown = title(&app);
    assert!(shown.contains("searched all 200"), "{shown}");
    assert!(shown.contains("input known for 40 of 200"), "{shown}");
}
