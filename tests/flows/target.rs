//! Switching AWS profile and region inside the console, and the choices remembered per profile
//! and region: `:profile`, `:region`, `:bucket`, `:collection`, `:sm`, in update() terms.

use crate::app_support;

use app_support::*;
use std::path::PathBuf;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screen::Screen;
use stepdeck::app::{App, AppOptions, NoticeLevel, update::update};
use stepdeck::backend::{AwsTarget, BackendInfo};
use stepdeck::keymap::Keymap;
use stepdeck::settings::RememberedChoice;

fn dev() -> AwsTarget {
    AwsTarget {
        profile: "dev".into(),
        region: "us-east-1".into(),
    }
}

fn aws_options(target: AwsTarget, state_machine: Option<&str>) -> AppOptions {
    AppOptions {
        aws_target: Some(target),
        aws_profiles: vec!["dev".into(), "prod".into()],
        settings_path: Some(PathBuf::from("/home/u/.config/stepdeck/config.toml")),
        state_machine: state_machine.map(str::to_string),
        ..AppOptions::default()
    }
}

fn aws_info(target: &AwsTarget) -> BackendInfo {
    BackendInfo {
        kind: "aws".into(),
        identity: format!("profile {}", target.profile),
        region: target.region.clone(),
        endpoint: None,
    }
}

/// An app on AWS (profile dev in us-east-1) with two state machines and the seed rows.
fn aws_app() -> App {
    let mut app = App::new(aws_options(dev(), None), Keymap::defaults(), NOW);
    update(&mut app, Msg::Resize(120, 32));
    update(&mut app, Msg::BackendInfo(aws_info(&dev())));
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![
            state_machine("RiderPhotoProcessing"),
            state_machine("Other"),
        ])),
    );
    answer_listing(
        &mut app,
        &effects,
        Ok(stepdeck::backend::Page {
            items: seed_rows(),
            next_token: None,
        }),
    );
    app
}

fn command(app: &mut App, line: &str) -> Vec<Effect> {
    press(app, ":");
    type_text(app, line);
    press(app, "Enter")
}

fn notice(app: &App) -> (NoticeLevel, String) {
    let notice = app.notice.as_ref().expect("a notice");
    (notice.level, notice.text.clone())
}

#[test]
fn switching_region_reconnects_and_starts_over_with_the_new_targets_settings() {
    let mut app = aws_app();
    press(&mut app, "Enter");
    assert!(app.execution.is_some());

    let effects = command(&mut app, "region eu-west-1");
    assert_eq!(
        effects,
        [Effect::Reconnect {
            profile: "dev".into(),
            region: Some("eu-west-1".into()),
        }]
    );
    assert!(
        notice(&app)
            .1
            .contains("connecting with profile dev in eu-west-1")
    );
    // Until the answer comes, the old account's data stays on screen.
    assert!(app.execution.is_some());

    let ireland = AwsTarget {
        profile: "dev".into(),
        region: "eu-west-1".into(),
    };
    update(&mut app, Msg::BackendInfo(aws_info(&ireland)));
    let effects = update(
        &mut app,
        Msg::Reconnected(Ok(Box::new(aws_options(
            ireland.clone(),
            Some("IrelandPipeline"),
        )))),
    );
    assert_eq!(
        effects,
        [Effect::LoadStateMachines, Effect::LoadCallerIdentity]
    );
    assert_eq!(app.options.aws_target, Some(ireland));
    assert_eq!(
        app.options.state_machine.as_deref(),
        Some("IrelandPipeline")
    );
    assert!(app.execution.is_none());
    assert!(app.executions.machines.all.is_empty());
    assert!(app.executions.list.rows.is_empty());
    assert_eq!(app.backend.as_ref().unwrap().region, "eu-west-1");
    assert_eq!(app.viewport, (120, 32));
    assert_eq!(
        notice(&app),
        (
            NoticeLevel::Info,
            "connected: profile dev in eu-west-1".into()
        )
    );
}

#[test]
fn switching_profile_uses_the_profiles_own_region() {
    let mut app = aws_app();
    let effects = command(&mut app, "profile prod");
    assert_eq!(
        effects,
        [Effect::Reconnect {
            profile: "prod".into(),
            region: None,
        }]
    );
}

#[test]
fn a_failed_switch_keeps_the_current_connection_and_says_so() {
    let mut app = aws_app();
    let rows_before = app.executions.list.rows.len();
    command(&mut app, "profile prod");
    let effects = update(
        &mut app,
        Msg::Reconnected(Err("no AWS region: pass --region".into())),
    );
    assert!(effects.is_empty());
    let (level, text) = notice(&app);
    assert_eq!(level, NoticeLevel::Error);
    assert!(text.contains("cannot switch to profile prod"), "{text}");
    assert!(text.contains("still on profile dev in us-east-1"), "{text}");
    assert_eq!(app.options.aws_target, Some(dev()));
    assert_eq!(app.executions.list.rows.len(), rows_before);
    assert_eq!(app.executions.machines.all.len(), 2);
}

#[test]
fn an_unknown_profile_is_named_before_any_connection() {
    let mut app = aws_app();
    assert!(command(&mut app, "profile prdo").is_empty());
    let (level, text) = notice(&app);
    assert_eq!(level, NoticeLevel::Error);
    assert!(text.contains("no profile `prdo`"), "{text}");
    assert!(text.contains("known: dev, prod"), "{text}");
    assert!(app.reconnecting.is_none());
}

#[test]
fn the_sandbox_has_no_profiles_or_regions() {
    let mut app = seed_app();
    for line in ["profile prod", "region eu-west-1"] {
        assert!(command(&mut app, line).is_empty(), "{line}");
        let (level, text) = notice(&app);
        assert_eq!(level, NoticeLevel::Error);
        assert!(text.contains("without --local"), "{text}");
    }
}

#[test]
fn no_switch_while_a_start_waits_for_its_answer() {
    let mut app = aws_app();
    app.runs
        .pending_starts
        .insert("stepdeck-run-1".into(), "1_happy_face.jpg".into());
    assert!(command(&mut app, "region eu-west-1").is_empty());
    assert!(notice(&app).1.contains("a run is being started"));
    assert!(app.reconnecting.is_none());
}

#[test]
fn an_answer_nobody_waits_for_changes_nothing() {
    let mut app = aws_app();
    let effects = update(
        &mut app,
        Msg::Reconnected(Ok(Box::new(aws_options(dev(), Some("X"))))),
    );
    assert!(effects.is_empty());
    assert_eq!(app.executions.machines.all.len(), 2);
}

#[test]
fn choosing_a_state_machine_on_aws_is_remembered_for_the_profile_and_region() {
    let mut app = aws_app();
    let effects = command(&mut app, "sm Other");
    assert!(
        effects.contains(&Effect::RememberChoice {
            path: PathBuf::from("/home/u/.config/stepdeck/config.toml"),
            target: dev(),
            choice: RememberedChoice::StateMachine,
            value: "Other".into(),
        }),
        "{effects:#?}"
    );
    assert_eq!(app.state_machine().unwrap().name, "Other");

    // A file that cannot take it is reported, nothing else changes.
    update(
        &mut app,
        Msg::ChoiceRemembered(Err("config.toml: permission denied".into())),
    );
    assert_eq!(
        notice(&app),
        (
            NoticeLevel::Error,
            "not remembered: config.toml: permission denied".into()
        )
    );
}

#[test]
fn the_sandbox_remembers_nothing() {
    let mut app = app_with(&["RiderPhotoProcessing", "Other"], seed_rows(), None);
    let effects = command(&mut app, "sm Other");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RememberChoice { .. })),
        "{effects:#?}"
    );
}

#[test]
fn choosing_a_bucket_lists_it_and_remembers_it() {
    let mut app = aws_app();
    let effects = command(&mut app, "bucket prod-thumbnails");
    assert_eq!(app.screen, Screen::Thumbnails);
    assert_eq!(app.thumbnails.bucket.as_deref(), Some("prod-thumbnails"));
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::LoadObjects { bucket, .. } if bucket == "prod-thumbnails")
        ),
        "{effects:#?}"
    );
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::RememberChoice { choice: RememberedChoice::ThumbnailBucket, value, .. }
                if value == "prod-thumbnails"
        )),
        "{effects:#?}"
    );
}

#[test]
fn choosing_a_collection_lists_it_and_remembers_it() {
    let mut app = aws_app();
    let effects = command(&mut app, "collection staff-faces");
    assert_eq!(app.screen, Screen::Faces);
    assert_eq!(app.faces.collection, "staff-faces");
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::LoadFaces { collection, .. } if collection == "staff-faces")
        ),
        "{effects:#?}"
    );
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::RememberChoice {
                choice: RememberedChoice::Collection,
                ..
            }
        )),
        "{effects:#?}"
    );
}

#[test]
fn profile_and_region_complete_in_the_palette() {
    let mut app = aws_app();
    press(&mut app, ":");
    type_text(&mut app, "profile pr");
    press(&mut app, "Tab");
    let effects = press(&mut app, "Enter");
    assert_eq!(
        effects,
        [Effect::Reconnect {
            profile: "prod".into(),
            region: None,
        }]
    );
}

#[test]
fn the_header_names_the_account_once_known_and_bad_credentials_are_said() {
    let mut app = aws_app();
    assert!(
        !screen(&app, 120, 32)
            .lines()
            .next()
            .unwrap()
            .contains("123456789012")
    );
    update(
        &mut app,
        Msg::CallerIdentity(Ok(Some(stepdeck::backend::CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/ops".into(),
        }))),
    );
    let header = screen(&app, 120, 32).lines().next().unwrap().to_string();
    assert!(header.contains("profile dev (123456789012)"), "{header}");

    update(
        &mut app,
        Msg::CallerIdentity(Err(stepdeck::backend::BackendError::Credentials(
            "the SSO session has expired: run aws sso login".into(),
        ))),
    );
    let (level, text) = notice(&app);
    assert_eq!(level, NoticeLevel::Error);
    assert!(text.contains("the credentials do not work"), "{text}");
    assert!(text.contains("SSO session has expired"), "{text}");

    update(
        &mut app,
        Msg::CallerIdentity(Err(stepdeck::backend::BackendError::Network(
            "dns error: sts.nowhere-1.amazonaws.com".into(),
        ))),
    );
    let (_, text) = notice(&app);
    assert!(text.contains("unknown region or endpoint?"), "{text}");
}

#[test]
fn on_aws_the_builtin_test_cases_find_the_photo_bucket_by_its_name() {
    let options = AppOptions {
        find_photo_bucket: true,
        ..aws_options(dev(), None)
    };
    let mut app = App::new(options, Keymap::defaults(), NOW);
    assert!(app.runs.test_cases.is_empty());
    press(&mut app, "s");
    assert!(notice(&app).1.contains("need the photo bucket"));

    let effects = app.init();
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadBuckets { generation } => Some(*generation),
            _ => None,
        })
        .unwrap_or_else(|| panic!("buckets are listed at start: {effects:#?}"));
    let bucket = |name: &str| stepdeck::domain::objects::BucketInfo {
        name: name.into(),
        created: None,
    };
    let effects = update(
        &mut app,
        Msg::Buckets {
            generation,
            result: Ok(vec![
                bucket("wildrydes-riderphotos3bucket-abc"),
                bucket("wildrydes-thumbnails3bucket-def"),
            ]),
        },
    );
    // Nothing is listed for a screen that is not shown.
    assert!(effects.is_empty(), "{effects:#?}");
    let names: Vec<&str> = app
        .runs
        .test_cases
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        app.runs.test_cases.iter().all(|c| c
            .input
            .contains("\"s3Bucket\":\"wildrydes-riderphotos3bucket-abc\"")),
        "{:?}",
        app.runs.test_cases
    );

    // The thumbnail bucket found on the way is listed when its screen is entered.
    let effects = press(&mut app, "g t");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadObjects { bucket, .. }
            if bucket == "wildrydes-thumbnails3bucket-def")),
        "{effects:#?}"
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::LoadBuckets { .. })),
        "{effects:#?}"
    );
}

#[test]
fn a_narrow_header_shortens_and_leaves_out_the_least_useful_parts_first() {
    let mut app = aws_app();
    update(
        &mut app,
        Msg::BackendInfo(BackendInfo {
            endpoint: Some("http://127.0.0.1:5000".into()),
            ..aws_info(&dev())
        }),
    );
    update(
        &mut app,
        Msg::CallerIdentity(Ok(Some(stepdeck::backend::CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/ops".into(),
        }))),
    );
    let header = |width: u16| screen(&app, width, 24).lines().next().unwrap().to_string();
    let wide = header(200);
    for part in [
        "aws",
        "profile dev (123456789012)",
        "us-east-1",
        "http://127.0.0.1:5000",
        "RiderPhotoProcessing (1/2)",
    ] {
        assert!(wide.contains(part), "{part} in {wide}");
    }
    // At 120 columns: the kind goes, the rest is shortened but there.
    let narrow = header(120);
    for part in [
        "│ dev (123456789012)",
        "│ us-east-1",
        "│ 127.0.0.1:5000",
        "│ RiderPhotoProcessing",
        "LIVE",
    ] {
        assert!(narrow.contains(part), "{part} in {narrow}");
    }
    assert!(!narrow.contains("│ aws"), "{narrow}");
    // At 100: the identity is left out before the endpoint, region and state machine.
    let tight = header(100);
    assert!(!tight.contains("123456789012"), "{tight}");
    for part in ["│ us-east-1", "│ 127.0.0.1:5000", "│ RiderPhotoProcessing"] {
        assert!(tight.contains(part), "{part} in {tight}");
    }
}

#[test]
fn environment_credentials_are_shortened_to_env_before_they_are_left_out() {
    let mut app = aws_app();
    update(
        &mut app,
        Msg::BackendInfo(BackendInfo {
            identity: stepdeck::backend::ENVIRONMENT_CREDENTIALS.into(),
            endpoint: Some("http://127.0.0.1:42215".into()),
            ..aws_info(&dev())
        }),
    );
    update(
        &mut app,
        Msg::CallerIdentity(Ok(Some(stepdeck::backend::CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/ops".into(),
        }))),
    );
    let header = |width: u16| screen(&app, width, 24).lines().next().unwrap().to_string();
    // Wide enough for every screen's tab and the whole identity.
    assert!(
        header(228).contains("│ environment credentials (123456789012)"),
        "{}",
        header(228)
    );
    let narrow = header(148);
    assert!(narrow.contains("│ env (123456789012)"), "{narrow}");
    assert!(narrow.contains("│ RiderPhotoProcessing"), "{narrow}");
}
