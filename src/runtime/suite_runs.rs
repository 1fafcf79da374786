//! `stepdeck test`'s wiring: picks the backend (the sandbox on a paused clock, or AWS), makes
//! the plan (suites, test cases, buckets, the journal writer) and hands both to `cli::test`,
//! then prints and writes what came of it. `main.rs` parses the flags.

use super::session::Session;
use crate::backend::Backend;
use crate::backend::local::{
    COLLECTION_ID, LocalSandbox, PHOTO_BUCKET, SandboxOptions, THUMBNAIL_BUCKET,
};
use crate::cli::test::{self as headless, Format, JournalWriter, Plan, TestArgs};
use crate::domain::journal::JournalContext;
use crate::domain::objects::{find_photo_bucket, find_thumbnail_bucket};
use crate::domain::suites::builtin::builtin_suites;
use crate::domain::suites::file::{Source, parse_suites};
use crate::domain::suites::runner::Defaults;
use crate::domain::suites::suite_library;
use crate::settings::Settings;
use std::sync::Arc;

/// The backend flags `stepdeck test` shares with the console.
pub struct Target {
    pub local: bool,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub state_machine: Option<String>,
    pub collection: Option<String>,
    pub thumbnail_bucket: Option<String>,
    pub seed: Option<u64>,
}

/// Runs `stepdeck test` to its exit status. Usage and connection problems are 2.
pub fn main(args: &TestArgs, target: Target, session: Session, settings: Settings) -> u8 {
    let mut user_suites = settings.suites.clone();
    if let Some(path) = &args.suites_file {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("stepdeck: {}: {error}", path.display());
                return 2;
            }
        };
        let (suites, problems) =
            parse_suites(&path.display().to_string(), &text, Source::SuitesFile);
        if !problems.is_empty() {
            for problem in problems {
                eprintln!("stepdeck: {problem}");
            }
            return 2;
        }
        // The file's suite wins over the settings' of the same name.
        user_suites = suite_library(user_suites, suites);
    }
    // The sandbox runs on a paused tokio clock that jumps to the next timer whenever nothing
    // is ready: runs keep their realistic timings and take no real minutes.
    let runtime = if target.local {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("stepdeck: cannot start the async runtime: {error}");
            return 2;
        }
    };
    let status = runtime.block_on(async {
        let (backend, plan) = match connect(args, &target, &session, &settings, user_suites).await {
            Ok(connected) => connected,
            Err(message) => {
                eprintln!("stepdeck: {message}");
                return 2;
            }
        };
        let mut progress = |line: String| eprintln!("{line}");
        let outcomes = match headless::run_suites(backend, plan, &mut progress).await {
            Ok(outcomes) => outcomes,
            Err(message) => {
                eprintln!("stepdeck: {message}");
                return 2;
            }
        };
        match args.format {
            Format::Text => print!("{}", headless::report::text(&outcomes)),
            Format::Json => println!("{}", headless::report::json(&outcomes)),
        }
        if let Some(path) = &args.junit {
            let written = headless::report::junit(&outcomes)
                .and_then(|xml| std::fs::write(path, xml).map_err(|e| e.to_string()));
            if let Err(error) = written {
                eprintln!("stepdeck: cannot write {}: {error}", path.display());
                return 2;
            }
        }
        headless::exit_status(&outcomes)
    });
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    status
}

/// What connecting found out: the backend and what the plan takes from the account.
struct Connected {
    backend: Arc<dyn Backend>,
    /// For the account's profile and region.
    settings: Settings,
    context: JournalContext,
    photo_bucket: Option<String>,
    thumbnail_bucket: Option<String>,
    collection: String,
    now: Arc<dyn Fn() -> i64 + Send + Sync>,
}

/// The backend and the plan for it.
async fn connect(
    args: &TestArgs,
    target: &Target,
    session: &Session,
    settings: &Settings,
    user_suites: Vec<crate::domain::suites::Suite>,
) -> Result<(Arc<dyn Backend>, Plan), String> {
    let Connected {
        backend,
        settings,
        context,
        photo_bucket,
        thumbnail_bucket,
        collection,
        now,
    } = if target.local {
        let base = super::wall_clock_ms();
        let sandbox = LocalSandbox::start(SandboxOptions {
            epoch_base_ms: base,
            rng_seed: target.seed.unwrap_or(base as u64),
            seed_runs: false,
            // A suite's verdicts do not need a recorded day of other runs.
            backfill: false,
            trickle_every: None,
            transient_failure_rate: 0.0,
        });
        let origin = tokio::time::Instant::now();
        let info = sandbox.info();
        let context = JournalContext {
            time: base,
            profile: info.identity,
            region: info.region,
            account: None,
            principal: None,
        };
        Connected {
            backend: session.keeping_verdicts(sandbox),
            settings: settings.clone(),
            context,
            photo_bucket: Some(PHOTO_BUCKET.to_string()),
            thumbnail_bucket: Some(THUMBNAIL_BUCKET.to_string()),
            collection: COLLECTION_ID.to_string(),
            now: Arc::new(move || base + origin.elapsed().as_millis() as i64),
        }
    } else {
        let (backend, aws) = session
            .connect(target.profile.clone(), target.region.clone())
            .await?;
        let settings = settings.for_target(&aws);
        let caller = backend.caller_identity().await.ok().flatten();
        let context = JournalContext {
            time: 0,
            profile: aws.profile.clone(),
            region: aws.region.clone(),
            account: caller.as_ref().map(|c| c.account.clone()),
            principal: caller.map(|c| c.arn),
        };
        let mut photo = settings.photo_bucket.clone();
        let mut thumbnails = target
            .thumbnail_bucket
            .clone()
            .or(settings.thumbnail_bucket.clone());
        if photo.is_none() || thumbnails.is_none() {
            // Found by name, as the console finds them; a listing refused leaves them unknown.
            let buckets = backend.list_buckets().await.unwrap_or_default();
            photo = photo.or(find_photo_bucket(&buckets).map(|b| b.name.clone()));
            thumbnails = thumbnails.or(find_thumbnail_bucket(&buckets).map(|b| b.name.clone()));
        }
        let collection = target
            .collection
            .clone()
            .unwrap_or_else(|| settings.collection());
        Connected {
            backend,
            settings,
            context,
            photo_bucket: photo,
            thumbnail_bucket: thumbnails,
            collection,
            now: Arc::new(super::wall_clock_ms),
        }
    };
    let cases = settings.test_case_library(photo_bucket.as_deref());
    // The built-in suites run the built-in test cases: without them (no photo bucket known,
    // or `builtin_test_cases = false`) they are not offered.
    let builtin_cases = crate::domain::test_case::SEED_PHOTO_KEYS
        .iter()
        .all(|key| cases.iter().any(|c| c.name == key.trim_end_matches(".jpg")));
    let builtin = if builtin_cases {
        builtin_suites()
    } else {
        Vec::new()
    };
    let suites = headless::select(suite_library(builtin, user_suites), &args.suite)?;
    if suites.is_empty() {
        return Err(
            "no suite to run: name a suites file with --suites, or add [[suites]] \
                    to the settings"
                .into(),
        );
    }
    let journal: JournalWriter = match settings.journal_path() {
        Some(path) => Arc::new(move |lines: &[String]| {
            super::journal::append_lines(&path, lines)
                .map(drop)
                .map_err(|e| format!("{}: {e}", path.display()))
        }),
        None => Arc::new(|_: &[String]| Err("no journal file is known".to_string())),
    };
    let plan = Plan {
        suites,
        defaults: Defaults {
            cases,
            photo_bucket,
            thumbnail_bucket,
        },
        state_machine: target
            .state_machine
            .clone()
            .or(settings.state_machine.clone()),
        collection,
        journal,
        journal_context: context,
        concurrency: usize::from(args.concurrency),
        poll_ms: 1_000,
        now,
    };
    Ok((backend, plan))
}
