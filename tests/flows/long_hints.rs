//! What to do about an error is often at its end (`aws sso login` for expired credentials):
//! the places that show such an error wrap it rather than cut it off.

use crate::app_support::*;
use crate::faces_support::*;
use stepdeck::app::msg::Msg;
use stepdeck::app::update::update;
use stepdeck::backend::{BackendError, Page};

/// As the AWS adapter words an expired session.
fn expired() -> BackendError {
    BackendError::Credentials(
        "ExpiredTokenException: The security token included in the request is expired \
         (refresh or renew the credentials, e.g. `aws sso login`)"
            .into(),
    )
}

/// The screen's text with its lines joined, so that a wrapped hint reads as one.
fn joined(app: &stepdeck::app::App, width: u16, height: u16) -> String {
    screen(app, width, height)
        .lines()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn an_expired_session_on_the_list_refresh_shows_the_whole_sso_login_hint() {
    let mut app = seed_app();
    let refresh = press(&mut app, "ctrl-r");
    answer_listing(&mut app, &refresh, Err(expired()));
    let text = joined(&app, 80, 24);
    assert!(text.contains("e.g. `aws sso login`)"), "{text}");
}

#[test]
fn an_expired_session_on_the_first_faces_page_shows_the_whole_sso_login_hint() {
    let mut app = base_app();
    let (generation, _) = faces_request(&press(&mut app, "g f"));
    update(
        &mut app,
        Msg::Faces {
            generation,
            result: Err::<Page<_>, _>(expired()),
        },
    );
    let text = joined(&app, 80, 24);
    assert!(text.contains("e.g. `aws sso login`)"), "{text}");
}
