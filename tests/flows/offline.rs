//! update() flows of the store standing in for an unreachable service: the backend says it is
//! offline (with when the store's data was last confirmed) and online again; the header says
//! OFFLINE meanwhile instead of LIVE, and the notice goes once the service answers.

use crate::app_support::*;
use stepdeck::app::msg::Msg;
use stepdeck::app::update::update;
use stepdeck::backend::BackendNotice;

#[test]
fn offline_replaces_live_with_the_stores_age_until_the_service_answers() {
    let mut app = seed_app();
    let header =
        |app: &stepdeck::app::App| screen(app, 160, 32).lines().next().unwrap().to_string();
    assert!(header(&app).contains("● LIVE"), "{}", header(&app));

    update(
        &mut app,
        Msg::BackendNotice(BackendNotice::Offline {
            why: "network: connection refused".into(),
            confirmed_at: Some(NOW - 3_600_000),
        }),
    );
    let top = header(&app);
    assert!(top.contains("◌ OFFLINE  stored · confirmed"), "{top}");
    assert!(!top.contains("LIVE"), "{top}");
    assert!(
        notice(&app).starts_with("offline: showing what the store holds, last confirmed ")
            && notice(&app).ends_with("(network: connection refused)"),
        "{}",
        notice(&app)
    );

    update(
        &mut app,
        Msg::BackendNotice(BackendNotice::Retrying {
            operation: "ListExecutions".into(),
            why: "no answer".into(),
            attempt: 1,
            retry_in_ms: 2_000,
        }),
    );
    update(&mut app, Msg::BackendNotice(BackendNotice::Online));
    assert!(header(&app).contains("● LIVE"), "{}", header(&app));
    assert_eq!(
        notice(&app),
        "",
        "the offline notice goes once the service answers"
    );
}

#[test]
fn colon_cache_asks_the_backend_what_the_store_holds_and_says_it() {
    use stepdeck::app::effect::Effect;
    use stepdeck::backend::StoreReport;
    let mut app = seed_app();
    press(&mut app, ":");
    type_text(&mut app, "cache");
    assert_eq!(press(&mut app, "Enter"), vec![Effect::LoadStoreReport]);
    update(
        &mut app,
        Msg::StoreReport(Ok(Some(StoreReport {
            path: "/home/u/.local/share/stepdeck/store.sqlite3".into(),
            bytes: 3 * 1_048_576,
            limit_bytes: 256 * 1_048_576,
            descriptions: 1_000,
            histories: 12,
            history_events: 21_600,
            journal_entries: 4,
        }))),
    );
    assert_eq!(
        notice(&app),
        "store /home/u/.local/share/stepdeck/store.sqlite3: 3.0 MB of 256 MB · 1000 \
         descriptions · 12 histories (21600 events) · 4 journal entries indexed"
    );
    update(&mut app, Msg::StoreReport(Ok(None)));
    assert!(
        notice(&app).starts_with("no store: this connection keeps nothing"),
        "{}",
        notice(&app)
    );
}

#[test]
fn a_store_that_could_not_be_opened_is_said_once_at_start_and_nothing_is_refused() {
    use stepdeck::app::{App, AppOptions};
    use stepdeck::keymap::Keymap;
    let options = AppOptions {
        store_problem: Some(
            "the store at /data/store.sqlite3 cannot be opened (attempt to write a readonly \
             database): running without it"
                .into(),
        ),
        ..AppOptions::default()
    };
    let app = App::new(options, Keymap::defaults(), NOW);
    assert!(
        notice(&app).starts_with("the store at /data/store.sqlite3 cannot be opened"),
        "{}",
        notice(&app)
    );
    assert!(!app.options.read_only, "a store problem refuses nothing");
}
