//! Entry point: parses the command line, loads settings and keymap, picks the backend and
//! starts the console (or runs a headless subcommand). The options and AWS connections of a
//! session, for a profile and region, are `runtime::session`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::app::App;
use stepdeck::backend::Backend;
use stepdeck::backend::local::{LocalSandbox, SandboxOptions};
use stepdeck::cli::timeline::TimelineArgs;
use stepdeck::keymap::Keymap;
use stepdeck::runtime;
use stepdeck::runtime::session::{Picks, Session};
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
        return stepdeck::cli::timeline::main(args);
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
    let (settings, problems) = match &settings_path {
        Some(path) => settings::load_settings(path, cli.config.is_some()),
        None => (Settings::default(), Vec::new()),
    };
    let keymap_path = cli
        .keymap
        .clone()
        .or_else(|| config_dir.as_ref().map(|d| d.join("keymap.toml")));
    let (keymap, keymap_problems) = load_keymap(keymap_path, cli.keymap.is_some());

    let session = Session {
        refresh: cli.refresh,
        read_only: cli.read_only,
        endpoint_url: cli.endpoint_url.clone(),
        settings_path: settings_path.clone(),
        settings_named: cli.config.is_some(),
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
        let mut options = options;
        options.keymap_problems = keymap_problems;
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
