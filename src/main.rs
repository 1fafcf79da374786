//! Entry point: parses the command line, loads settings and keymap, picks the backend and
//! starts the console (or runs a headless subcommand).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::app::{App, AppOptions};
use stepdeck::backend::aws::{AwsBackend, AwsOptions};
use stepdeck::backend::local::{LocalSandbox, SandboxOptions};
use stepdeck::backend::{AwsTarget, Backend, BackendError};
use stepdeck::cli::timeline::TimelineArgs;
use stepdeck::keymap::Keymap;
use stepdeck::runtime;
use stepdeck::settings::{self, Settings};

/// Terminal operations console for the rider-photo Step Functions pipeline.
#[derive(Debug, Parser)]
#[command(name = "stepdeck", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Run on the embedded local sandbox: no AWS account, no network.
    #[arg(long, conflicts_with_all = ["profile", "region", "endpoint_url"])]
    local: bool,

    /// AWS: profile of ~/.aws/config (default: $AWS_PROFILE, else `default`).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,

    /// AWS: region (default: $AWS_REGION, else the profile's region).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,

    /// AWS: custom endpoint for all services, e.g. http://127.0.0.1:5000 for moto or LocalStack.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,

    /// State machine to open first (name or ARN).
    #[arg(long, value_name = "NAME|ARN")]
    state_machine: Option<String>,

    /// List refresh interval in seconds (floor 1).
    #[arg(long, value_name = "SECONDS")]
    refresh: Option<f64>,

    /// Sandbox: start a new run every N seconds (0 = no trickle).
    #[arg(long, value_name = "SECONDS")]
    trickle: Option<f64>,

    /// Sandbox: seed of the random durations and transient failures (for reproducible demos).
    #[arg(long)]
    seed: Option<u64>,

    /// Face collection of the faces screen (default: settings, else `rider-photos`).
    #[arg(long, value_name = "ID")]
    collection: Option<String>,

    /// Bucket of the thumbnails screen (default: settings, else found by name).
    #[arg(long, value_name = "BUCKET")]
    thumbnail_bucket: Option<String>,

    /// Settings file (default: <config dir>/stepdeck/config.toml).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Key bindings file overriding the defaults (default: <config dir>/stepdeck/keymap.toml).
    #[arg(long, value_name = "FILE")]
    keymap: Option<PathBuf>,

    /// Refuse every action that changes the account (start, rerun, stop, redrive, deletes).
    #[arg(long)]
    read_only: bool,

    /// Write a debug log to this file (the terminal belongs to the console).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the timeline of a history saved with `aws stepfunctions get-execution-history`.
    Timeline(TimelineArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Timeline(args)) = &cli.command {
        return match stepdeck::cli::timeline::run(args) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("stepdeck timeline: {message}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(path) = &cli.log
        && let Err(message) = init_log(path)
    {
        eprintln!("stepdeck: cannot open log {}: {message}", path.display());
        return ExitCode::FAILURE;
    }
    let config_dir = settings::config_dir();
    let settings_path = cli
        .config
        .clone()
        .or_else(|| config_dir.as_ref().map(|d| d.join("config.toml")));
    let (settings, mut problems) = match &settings_path {
        Some(path) => settings::load_settings(path),
        None => (Settings::default(), Vec::new()),
    };
    let keymap_path = cli
        .keymap
        .clone()
        .or_else(|| config_dir.as_ref().map(|d| d.join("keymap.toml")));
    let (keymap, keymap_problems) = load_keymap(keymap_path, cli.keymap.is_some());
    problems.extend(keymap_problems);

    let session = Session {
        refresh: cli.refresh,
        read_only: cli.read_only,
        endpoint_url: cli.endpoint_url.clone(),
        settings_path: settings_path.clone(),
    };
    let picks = Picks {
        state_machine: cli.state_machine.clone(),
        collection: cli.collection.clone(),
        thumbnail_bucket: cli.thumbnail_bucket.clone(),
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("stepdeck: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let (backend, options, connector): (Arc<dyn Backend>, _, _) = if cli.local {
            let backend = LocalSandbox::start(sandbox_options(&cli, &settings));
            // The sandbox's photo bucket backs the built-in test cases.
            let options = session.app_options(
                &settings,
                &picks,
                problems,
                None,
                Some(stepdeck::backend::local::PHOTO_BUCKET),
            );
            (backend, options, None)
        } else {
            // Only a missing region fails here (credentials are checked on first use, inside
            // the console); say so before any terminal setup.
            let (backend, target) = session
                .connect(cli.profile.clone(), cli.region.clone())
                .await
                .map_err(StartError::Backend)?;
            let mut options = session.app_options(
                &settings.for_target(&target),
                &picks,
                problems,
                Some(target),
                None,
            );
            options.aws_profiles = stepdeck::backend::aws::profiles::profile_names().await;
            (backend, options, Some(session.connector()))
        };
        let app = App::new(options, keymap, runtime::wall_clock_ms());
        runtime::run(backend, app, connector)
            .await
            .map_err(|e| StartError::Terminal(e.to_string()))
    });
    // Background tasks (sandbox runs, in-flight requests) must not hold the exit hostage.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(StartError::Backend(message)) => {
            eprintln!("stepdeck: {message}\n(or run `stepdeck --local` for the embedded sandbox)");
            ExitCode::from(2)
        }
        Err(StartError::Terminal(message)) => {
            eprintln!("stepdeck: terminal error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What the command line fixes for the whole session, whatever the profile and region.
#[derive(Clone)]
struct Session {
    refresh: Option<f64>,
    read_only: bool,
    endpoint_url: Option<String>,
    settings_path: Option<PathBuf>,
}

/// Names given on the command line for the starting profile and region only (after `:profile`
/// or `:region` the settings for the new target apply).
#[derive(Default)]
struct Picks {
    state_machine: Option<String>,
    collection: Option<String>,
    thumbnail_bucket: Option<String>,
}

impl Session {
    /// The app's options from `settings` (already resolved for the target) and the picks.
    fn app_options(
        &self,
        settings: &Settings,
        picks: &Picks,
        startup_problems: Vec<String>,
        aws_target: Option<AwsTarget>,
        default_photo_bucket: Option<&str>,
    ) -> AppOptions {
        let refresh = Settings {
            refresh_seconds: self.refresh.or(settings.refresh_seconds),
            ..Settings::default()
        };
        AppOptions {
            state_machine: picks
                .state_machine
                .clone()
                .or(settings.state_machine.clone()),
            refresh_interval_ms: refresh.refresh_interval_ms(),
            startup_problems,
            collection: picks
                .collection
                .clone()
                .unwrap_or_else(|| settings.collection()),
            thumbnail_bucket: picks
                .thumbnail_bucket
                .clone()
                .or(settings.thumbnail_bucket.clone()),
            journal_path: settings.journal_path(),
            read_only: self.read_only || settings.read_only.unwrap_or(false),
            test_cases: settings.test_case_library(default_photo_bucket),
            settings_path: self.settings_path.clone(),
            // On AWS the built-in cases name the photo bucket, found by its name unless set.
            find_photo_bucket: aws_target.is_some()
                && settings.photo_bucket.is_none()
                && settings.builtin_test_cases.unwrap_or(true),
            aws_target,
            aws_profiles: Vec::new(),
        }
    }

    /// Connects to AWS with `profile` and `region` (None: the standard chain's).
    async fn connect(
        &self,
        profile: Option<String>,
        region: Option<String>,
    ) -> Result<(Arc<dyn Backend>, AwsTarget), String> {
        let options = AwsOptions {
            profile: profile.clone(),
            region,
            endpoint_url: self.endpoint_url.clone(),
        };
        let backend = AwsBackend::connect(options)
            .await
            .map_err(|e| e.to_string())?;
        // The profile the SDK uses when none is named: $AWS_PROFILE, else `default`.
        let profile = profile
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".into());
        let target = AwsTarget {
            profile,
            region: backend.info().region,
        };
        Ok((Arc::new(backend), target))
    }

    /// What `:profile` and `:region` call: connect, then read the settings file again (the
    /// console may have remembered choices since the start) for the new target.
    fn connector(&self) -> runtime::Connector {
        let session = self.clone();
        Arc::new(move |profile, region| {
            let session = session.clone();
            Box::pin(async move {
                let (backend, target) = session.connect(Some(profile), region).await?;
                // Credentials that do not work (expired SSO, a typo in the profile) keep the
                // current connection instead of replacing it with one that only shows errors.
                backend.caller_identity().await.map_err(|e| match e {
                    BackendError::Credentials(_) => format!("the credentials do not work ({e})"),
                    BackendError::Network(_) => {
                        format!("AWS cannot be reached there (unknown region or endpoint? {e})")
                    }
                    e => format!("sts:GetCallerIdentity failed ({e})"),
                })?;
                let (settings, problems) = match &session.settings_path {
                    Some(path) => settings::load_settings(path),
                    None => (Settings::default(), Vec::new()),
                };
                let mut options = session.app_options(
                    &settings.for_target(&target),
                    &Picks::default(),
                    problems,
                    Some(target),
                    None,
                );
                options.aws_profiles = stepdeck::backend::aws::profiles::profile_names().await;
                Ok(runtime::Connected { backend, options })
            })
        })
    }
}

/// Why the console could not start.
enum StartError {
    Backend(String),
    Terminal(String),
}

fn sandbox_options(cli: &Cli, settings: &Settings) -> SandboxOptions {
    let defaults = SandboxOptions::default();
    let trickle_seconds = cli.trickle.or(settings.sandbox.trickle_seconds);
    SandboxOptions {
        epoch_base_ms: runtime::wall_clock_ms(),
        rng_seed: cli.seed.unwrap_or_else(|| runtime::wall_clock_ms() as u64),
        seed_runs: settings.sandbox.seed_runs.unwrap_or(defaults.seed_runs),
        trickle_every: match trickle_seconds {
            Some(s) if s <= 0.0 => None,
            Some(s) => Some(Duration::from_secs_f64(s)),
            None => defaults.trickle_every,
        },
        transient_failure_rate: settings
            .sandbox
            .transient_failure_rate
            .unwrap_or(defaults.transient_failure_rate),
    }
}

/// The compiled-in keymap, overridden by the user's file. A file named explicitly with
/// `--keymap` must exist; the default location may be absent.
fn load_keymap(path: Option<PathBuf>, explicit: bool) -> (Keymap, Vec<String>) {
    let Some(path) = path else {
        return Keymap::load(None);
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Keymap::load(Some((&path, &text))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Keymap::load(None)
        }
        Err(error) => {
            let (keymap, mut problems) = Keymap::load(None);
            problems.push(format!(
                "{}: {error} (default key bindings used)",
                path.display()
            ));
            (keymap, problems)
        }
    }
}

fn init_log(path: &PathBuf) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| e.to_string())?;
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STEPDECK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init()
        .map_err(|e| e.to_string())
}
