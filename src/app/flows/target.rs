//! Where the console works: switching AWS profile and region without a restart (`:profile`,
//! `:region`), choosing the collection and thumbnail bucket (`:collection`, `:bucket`), and
//! remembering the user's choices per profile and region in the settings file.

use super::state::Reconnecting;
use crate::app::effect::Effect;
use crate::app::screen::Screen;
use crate::app::screens::{faces, thumbnails};
use crate::app::{App, AppOptions, NoticeLevel, lend};
use crate::settings::RememberedChoice;

/// Regions offered by `:region` completion (any other name is accepted as typed).
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "sa-east-1",
];

/// `:profile NAME`: reconnect with that profile (and its region).
pub fn switch_profile(app: &mut App, profile: &str) -> Vec<Effect> {
    let known = &app.options.aws_profiles;
    // The SDK's answer to an unknown profile is a puzzling "no region"; say what is wrong.
    if app.options.aws_target.is_some() && !known.is_empty() && !known.iter().any(|p| p == profile)
    {
        let text = format!(
            "no profile `{profile}` in the AWS config files (known: {})",
            known.join(", ")
        );
        app.notify(NoticeLevel::Error, text);
        return Vec::new();
    }
    reconnect(
        app,
        Reconnecting {
            profile: profile.to_string(),
            region: None,
        },
    )
}

/// `:region NAME`: reconnect with the current profile in that region.
pub fn switch_region(app: &mut App, region: &str) -> Vec<Effect> {
    let Some(current) = app.options.aws_target.clone() else {
        return refuse_on_sandbox(app);
    };
    reconnect(
        app,
        Reconnecting {
            profile: current.profile,
            region: Some(region.to_string()),
        },
    )
}

fn refuse_on_sandbox(app: &mut App) -> Vec<Effect> {
    app.notify(
        NoticeLevel::Error,
        "the local sandbox has no AWS profiles or regions: start stepdeck without --local",
    );
    Vec::new()
}

fn reconnect(app: &mut App, wanted: Reconnecting) -> Vec<Effect> {
    if app.options.aws_target.is_none() {
        return refuse_on_sandbox(app);
    }
    // The answers of these would be dropped with the old connection, and with them the
    // journal record of a deletion or the news of a started run.
    let busy = if app.faces.deletion.is_some() {
        Some("faces are being deleted")
    } else if app.thumbnails.deletion.is_some() {
        Some("an object is being deleted")
    } else if !app.runs.pending_starts.is_empty() {
        Some("a run is being started")
    } else {
        None
    };
    if let Some(busy) = busy {
        app.notify(
            NoticeLevel::Error,
            format!("{busy}: switch once it is done"),
        );
        return Vec::new();
    }
    app.notify(
        NoticeLevel::Info,
        format!("connecting with {}…", wanted.describe()),
    );
    app.reconnecting = Some(wanted.clone());
    vec![Effect::Reconnect {
        profile: wanted.profile,
        region: wanted.region,
    }]
}

/// The runtime's answer to `Effect::Reconnect`: the options for the new profile and region
/// (the runtime already talks to the new backend), or why the switch failed (the old
/// connection stays).
pub fn on_reconnected(app: &mut App, result: Result<Box<AppOptions>, String>) -> Vec<Effect> {
    let Some(wanted) = app.reconnecting.take() else {
        return Vec::new();
    };
    let options = match result {
        Ok(options) => *options,
        Err(message) => {
            let still = match &app.options.aws_target {
                Some(current) => format!("; still on {current}"),
                None => String::new(),
            };
            app.notify(
                NoticeLevel::Error,
                format!("cannot switch to {}: {message}{still}", wanted.describe()),
            );
            return Vec::new();
        }
    };
    // Everything shown belonged to the other account or region: start over, keeping only
    // what is the user's rather than the account's (keys, terminal size, the clock).
    let mut fresh = App::new(options, app.keymap.clone(), app.now);
    fresh.viewport = app.viewport;
    fresh.backend = app.backend.take();
    fresh.last_generation = app.last_generation;
    let problems = fresh.notice.take();
    *app = fresh;
    match problems {
        // Problems in the settings file matter more than the greeting.
        Some(notice) => app.notice = Some(notice),
        None => {
            let target = app
                .options
                .aws_target
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            app.notify(NoticeLevel::Info, format!("connected: {target}"));
        }
    }
    app.init()
}

/// `:collection NAME`: show that face collection (remembered for this profile and region).
pub fn set_collection(app: &mut App, collection: &str) -> Vec<Effect> {
    if app.faces.deletion.is_some() {
        app.notify(
            NoticeLevel::Error,
            "faces are being deleted: switch once it is done",
        );
        return Vec::new();
    }
    app.options.collection = collection.to_string();
    app.faces = faces::State::new(collection.to_string());
    let mut effects = remember(app, RememberedChoice::Collection, collection);
    if app.screen == Screen::Faces {
        let (s, mut cx) = lend!(app, faces);
        effects.extend(faces::update::shown(s, &mut cx));
    } else {
        effects.extend(app.switch_screen(Screen::Faces));
    }
    effects
}

/// `:bucket NAME`: show that bucket in the thumbnails screen (remembered for this profile and
/// region).
pub fn set_thumbnail_bucket(app: &mut App, bucket: &str) -> Vec<Effect> {
    if app.thumbnails.deletion.is_some() {
        app.notify(
            NoticeLevel::Error,
            "an object is being deleted: switch once it is done",
        );
        return Vec::new();
    }
    app.options.thumbnail_bucket = Some(bucket.to_string());
    app.thumbnails = thumbnails::State::new(Some(bucket.to_string()));
    let mut effects = remember(app, RememberedChoice::ThumbnailBucket, bucket);
    if app.screen == Screen::Thumbnails {
        let (s, mut cx) = lend!(app, thumbnails);
        effects.extend(thumbnails::update::shown(s, &mut cx));
    } else {
        effects.extend(app.switch_screen(Screen::Thumbnails));
    }
    effects
}

/// The user picked state machine `index` (picker or `:sm`): open it and remember it.
pub fn choose_state_machine(app: &mut App, index: usize) -> Vec<Effect> {
    let Some(name) = app
        .executions
        .machines
        .all
        .get(index)
        .map(|s| s.name.clone())
    else {
        return Vec::new();
    };
    app.options.state_machine = Some(name.clone());
    let mut effects = app.select_state_machine(index);
    effects.extend(remember(app, RememberedChoice::StateMachine, &name));
    effects
}

/// Writes the choice to the settings file for the current profile and region (AWS only: the
/// sandbox's names are always the same).
fn remember(app: &App, choice: RememberedChoice, value: &str) -> Vec<Effect> {
    match (&app.options.aws_target, &app.options.settings_path) {
        (Some(target), Some(path)) => vec![Effect::RememberChoice {
            path: path.clone(),
            target: target.clone(),
            choice,
            value: value.to_string(),
        }],
        _ => Vec::new(),
    }
}

/// The answer to `Effect::RememberChoice`: silent when saved (the choice itself was already
/// announced), a notice when the file could not take it.
pub fn on_choice_remembered(app: &mut App, result: Result<(), String>) -> Vec<Effect> {
    if let Err(message) = result {
        app.notify(NoticeLevel::Error, format!("not remembered: {message}"));
    }
    Vec::new()
}

/// Completion values of `:profile`.
pub fn profile_names(app: &App) -> Vec<String> {
    app.options.aws_profiles.clone()
}

/// Completion values of `:region`.
pub fn region_names(_app: &App) -> Vec<String> {
    REGIONS.iter().map(|r| r.to_string()).collect()
}

/// Completion values of `:bucket`: the buckets listed so far.
pub fn bucket_names(app: &App) -> Vec<String> {
    app.thumbnails.bucket_names.clone()
}

/// Completion values of `:collection`: the one shown and the pipeline's default.
pub fn collection_names(app: &App) -> Vec<String> {
    let mut names = vec![app.faces.collection.clone()];
    if !names
        .iter()
        .any(|n| n == crate::settings::DEFAULT_COLLECTION)
    {
        names.push(crate::settings::DEFAULT_COLLECTION.to_string());
    }
    names
}
