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
use stepdeck::backend::aws::{ENDPOINT_VARIABLES, check_endpoint_url, check_region_name, quoted};
use stepdeck::backend::local::{LocalSandbox, SandboxOptions, trickle_interval};
use stepdeck::cli::cache::CacheArgs;
use stepdeck::cli::stats::StatsArgs;
use stepdeck::cli::test::TestArgs;
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
    #[arg(long, global = true, conflicts_with_all = ["profile", "region", "endpoint_url"])]
    local: bool,

    /// AWS: profile of ~/.aws/config (default: $AWS_PROFILE, else `default`).
    #[arg(long, value_name = "NAME", global = true)]
    profile: Option<String>,

    /// AWS: region (default: $AWS_REGION, else the profile's region).
    #[arg(long, value_name = "REGION", value_parser = parse_region, global = true)]
    region: Option<String>,

    /// AWS: custom endpoint for all services, e.g. http://127.0.0.1:5000 for moto or LocalStack.
    #[arg(long, value_name = "URL", value_parser = parse_endpoint_url, global = true)]
    endpoint_url: Option<String>,

    /// State machine to open first (name or ARN).
    #[arg(long, value_name = "NAME|ARN", global = true)]
    state_machine: Option<String>,

    /// List refresh interval in seconds (1 to 86400).
    #[arg(long, value_name = "SECONDS", value_parser = parse_refresh_seconds)]
    refresh: Option<f64>,

    /// Sandbox: start a new run every N seconds (0 = no trickle, else 1 to 86400).
    #[arg(long, value_name = "SECONDS", value_parser = parse_trickle)]
    trickle: Option<Trickle>,

    /// Sandbox: seed of the random durations and transient failures (for reproducible demos).
    #[arg(long, global = true)]
    seed: Option<u64>,

    /// Face collection of the faces screen (default: settings, else `rider-photos`).
    #[arg(long, value_name = "ID", global = true)]
    collection: Option<String>,

    /// Bucket of the thumbnails screen (default: settings, else found by name).
    #[arg(long, value_name = "BUCKET", global = true)]
    thumbnail_bucket: Option<String>,

    /// Settings file (default: <config dir>/stepdeck/config.toml).
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,

    /// Key bindings file overriding the defaults (default: <config dir>/stepdeck/keymap.toml).
    #[arg(long, value_name = "FILE")]
    keymap: Option<PathBuf>,

    /// Refuse every action that changes the account (start, rerun, stop, redrive, deletes).
    #[arg(long, global = true)]
    read_only: bool,

    /// Write a debug log to this file (the terminal belongs to the console).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the timeline of a history saved with `aws stepfunctions get-execution-history`.
    Timeline(TimelineArgs),
    /// What the on-disk store of finished executions holds; `cache clear` empties it.
    Cache(CacheArgs),
    /// Run test suites headless (`stepdeck test --local`): exit 0 when every verdict passed,
    /// 1 when one failed, 2 for a usage or connection problem.
    Test(TestArgs),
    /// The dashboard's figures (outcomes, reasons, per-state percentiles) as text or JSON;
    /// `--local` for the sandbox's recorded day, `--state-machine` for another machine.
    Stats(StatsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Timeline(args)) => return stepdeck::cli::timeline::main(args),
        Some(Command::Cache(args)) => return cache(&cli, args),
        Some(Command::Test(args)) => return test(&cli, args),
        Some(Command::Stats(_)) | None => {}
    }
    // From here on the console owns the terminal: a panic on any thread must give it back
    // and end the process, not leave a dead screen behind.
    runtime::terminal::end_process_on_panic();
    if !cli.local
        && let Err(message) = check_aws_environment(|name| std::env::var_os(name))
    {
        eprintln!("stepdeck: {message}");
        return ExitCode::from(2);
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
        Some(path) => settings::load_settings(path, cli.config.is_some()),
        None => (Settings::default(), Vec::new()),
    };
    let keymap_path = cli
        .keymap
        .clone()
        .or_else(|| config_dir.as_ref().map(|d| d.join("keymap.toml")));
    let (keymap, keymap_problems) = load_keymap(keymap_path, cli.keymap.is_some());
    // The sandbox starts afresh every time: only AWS connections keep executions in the
    // store; the sandbox keeps its suites' verdicts there.
    let (store, store_note) = runtime::session::open_store(&settings);

    let session = Session {
        refresh: cli.refresh,
        read_only: cli.read_only,
        endpoint_url: cli.endpoint_url.clone(),
        settings_path: settings_path.clone(),
        settings_named: cli.config.is_some(),
        api_budget_share: settings.api_budget_share,
        store,
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
    if let Some(Command::Stats(args)) = &cli.command {
        let code = runtime.block_on(async {
            let backend: Arc<dyn Backend> = if cli.local {
                let (sandbox, _) = sandbox_options(&cli, &settings);
                // The recorded day alone: no seed runs or trickle still running.
                LocalSandbox::start(SandboxOptions {
                    seed_runs: false,
                    trickle_every: None,
                    backfill: true,
                    ..sandbox
                })
            } else {
                match session
                    .connect(cli.profile.clone(), cli.region.clone())
                    .await
                {
                    Ok((backend, _)) => backend,
                    Err(message) => {
                        eprintln!("stepdeck: {message}");
                        return ExitCode::from(2);
                    }
                }
            };
            let machine = cli.state_machine.clone().or(settings.state_machine.clone());
            stepdeck::cli::stats::main(
                backend.as_ref(),
                args,
                machine.as_deref(),
                runtime::wall_clock_ms(),
            )
            .await
        });
        runtime.shutdown_timeout(Duration::from_millis(200));
        return code;
    }
    let result = runtime.block_on(async {
        let (backend, options, connector): (Arc<dyn Backend>, _, _) = if cli.local {
            require_terminal()?;
            let (sandbox, sandbox_problems) = sandbox_options(&cli, &settings);
            problems.extend(sandbox_problems);
            let backend = session.keeping_verdicts(LocalSandbox::start(sandbox));
            // The sandbox's photo bucket backs the built-in test cases.
            let mut options = session.app_options(
                &settings,
                &picks,
                problems,
                None,
                Some(stepdeck::backend::local::PHOTO_BUCKET),
            );
            options.store_problem = store_note;
            (backend, options, None)
        } else {
            // Connecting reads the profile files only (credentials are checked on first use,
            // inside the console): an unknown profile, a missing or malformed region or
            // endpoint are refused here, before any terminal setup.
            let (backend, target) = session
                .connect(cli.profile.clone(), cli.region.clone())
                .await
                .map_err(StartError::Backend)?;
            require_terminal()?;
            let mut options = session.app_options(
                &settings.for_target(&target),
                &picks,
                problems,
                Some(target),
                None,
            );
            options.aws_profiles = stepdeck::backend::aws::profiles::profile_names().await;
            options.store_problem = store_note;
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
        Ok(ending) => ExitCode::from(ending.exit_status()),
        Err(StartError::Backend(message)) => {
            eprintln!("stepdeck: {message}\n(or run `stepdeck --local` for the embedded sandbox)");
            ExitCode::from(2)
        }
        Err(StartError::NotATerminal) => {
            eprintln!(
                "stepdeck: the console needs a terminal (standard input and output both); for \
                 scripts, `stepdeck timeline` prints an execution's timeline as text or JSON"
            );
            ExitCode::from(2)
        }
        Err(StartError::Terminal(message)) => {
            eprintln!("stepdeck: terminal error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `stepdeck cache`: the store the settings name (even with `store = false`: clearing it is
/// still wanted), no terminal and no AWS call.
fn cache(cli: &Cli, args: &CacheArgs) -> ExitCode {
    let settings_path = cli
        .config
        .clone()
        .or_else(|| settings::config_dir().map(|dir| dir.join("config.toml")));
    let (settings, problems) = match &settings_path {
        Some(path) => settings::load_settings(path, cli.config.is_some()),
        None => (Settings::default(), Vec::new()),
    };
    for problem in &problems {
        eprintln!("stepdeck: {problem}");
    }
    let place = runtime::session::store_place(&Settings {
        store: None,
        ..settings
    });
    let (path, limit) = match place {
        Some((path, limit)) => (Some(path), limit),
        None => (None, 0),
    };
    stepdeck::cli::cache::main(args, path, limit, runtime::wall_clock_ms())
}

/// `stepdeck test`: the settings and flags checked here, the rest in `runtime::suite_runs`.
fn test(cli: &Cli, args: &TestArgs) -> ExitCode {
    if !cli.local
        && let Err(message) = check_aws_environment(|name| std::env::var_os(name))
    {
        eprintln!("stepdeck: {message}");
        return ExitCode::from(2);
    }
    let settings_path = cli
        .config
        .clone()
        .or_else(|| settings::config_dir().map(|dir| dir.join("config.toml")));
    let (settings, problems) = match &settings_path {
        Some(path) => settings::load_settings(path, cli.config.is_some()),
        None => (Settings::default(), Vec::new()),
    };
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("stepdeck: {problem}");
        }
        eprintln!("stepdeck: the settings file must read cleanly before suites run");
        return ExitCode::from(2);
    }
    if cli.read_only || settings.read_only == Some(true) {
        eprintln!(
            "stepdeck: read-only ({}): suite runs start executions and delete faces, so none \
             is run",
            if cli.read_only {
                "--read-only"
            } else {
                "read_only = true in the settings"
            }
        );
        return ExitCode::from(2);
    }
    let session = Session {
        refresh: None,
        read_only: false,
        endpoint_url: cli.endpoint_url.clone(),
        settings_path,
        settings_named: cli.config.is_some(),
        api_budget_share: settings.api_budget_share,
        // Verdicts are kept with the console's; a store that cannot be opened costs nothing
        // but their history.
        store: {
            let (store, note) = runtime::session::open_store(&settings);
            if let Some(note) = note {
                eprintln!("stepdeck: {note}");
            }
            store
        },
    };
    let target = runtime::suite_runs::Target {
        local: cli.local,
        profile: cli.profile.clone(),
        region: cli.region.clone(),
        state_machine: cli.state_machine.clone(),
        collection: cli.collection.clone(),
        thumbnail_bucket: cli.thumbnail_bucket.clone(),
        seed: cli.seed,
    };
    ExitCode::from(runtime::suite_runs::main(args, target, session, settings))
}

/// Why the console could not start.
enum StartError {
    Backend(String),
    /// Standard input or output is not a terminal (redirected, piped, or no TTY at all).
    NotATerminal,
    Terminal(String),
}

/// The console draws on standard output and reads keys from standard input: both must be a
/// terminal. Checked before any terminal setup, so a redirected stdout receives no escape
/// codes and a session without a TTY gets words instead of "No such device or address".
fn require_terminal() -> Result<(), StartError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(StartError::NotATerminal)
    }
}

/// `--refresh`: a finite number of seconds from 1 to a day. (A NaN or infinite interval made
/// the list refresh always due.)
fn parse_refresh_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && (1.0..=86_400.0).contains(&seconds) => Ok(seconds),
        _ => Err("seconds between list refreshes: a number from 1 to 86400".into()),
    }
}

/// `--trickle`: seconds between sandbox runs, as the sandbox bounds them.
#[derive(Debug, Clone, Copy)]
struct Trickle(Option<Duration>);

fn parse_trickle(text: &str) -> Result<Trickle, String> {
    let seconds = text.trim().parse::<f64>().map_err(|_| {
        "seconds between runs: 0 (no trickle) or a number from 1 to 86400".to_string()
    })?;
    trickle_interval(seconds).map(Trickle)
}

/// `--region`: non-empty and shaped like a region name.
fn parse_region(text: &str) -> Result<String, String> {
    check_region_name(text)?;
    Ok(text.to_string())
}

/// `--endpoint-url`: an http(s) URL with a host.
fn parse_endpoint_url(text: &str) -> Result<String, String> {
    check_endpoint_url(text)?;
    Ok(text.to_string())
}

/// The environment the AWS SDK reads without asking: endpoint variables that are set but
/// empty or malformed (an empty one panics inside the SDK), and region variables that are set
/// to something that is not a region. An empty region variable is left to the SDK, which
/// treats it as unset.
fn check_aws_environment(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<(), String> {
    let text = |name: &str| var(name).map(|value| value.to_string_lossy().into_owned());
    for name in ENDPOINT_VARIABLES {
        if let Some(value) = text(name) {
            check_endpoint_url(&value).map_err(|why| {
                format!(
                    "{name}={} cannot be used as an endpoint: {why}",
                    quoted(&value)
                )
            })?;
        }
    }
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(value) = text(name).filter(|value| !value.is_empty()) {
            check_region_name(&value)
                .map_err(|why| format!("{name}={} cannot be used: {why}", quoted(&value)))?;
        }
    }
    Ok(())
}

/// The sandbox's options from the flags and the settings, and what was wrong with the
/// settings' numbers (their defaults are used instead). The flags were checked when parsed.
fn sandbox_options(cli: &Cli, settings: &Settings) -> (SandboxOptions, Vec<String>) {
    let defaults = SandboxOptions::default();
    let mut problems = Vec::new();
    let trickle_every = match (cli.trickle, settings.sandbox.trickle_seconds) {
        (Some(Trickle(every)), _) => every,
        (None, Some(seconds)) => trickle_interval(seconds).unwrap_or_else(|why| {
            problems.push(format!(
                "settings: sandbox.trickle_seconds = {seconds}: {why}; the default is used"
            ));
            defaults.trickle_every
        }),
        (None, None) => defaults.trickle_every,
    };
    let transient_failure_rate = match settings.sandbox.transient_failure_rate {
        Some(rate) if (0.0..=1.0).contains(&rate) => rate,
        Some(rate) => {
            problems.push(format!(
                "settings: sandbox.transient_failure_rate = {rate}: a chance from 0 to 1; \
                 the default is used"
            ));
            defaults.transient_failure_rate
        }
        None => defaults.transient_failure_rate,
    };
    let options = SandboxOptions {
        epoch_base_ms: runtime::wall_clock_ms(),
        rng_seed: cli.seed.unwrap_or_else(|| runtime::wall_clock_ms() as u64),
        seed_runs: settings.sandbox.seed_runs.unwrap_or(defaults.seed_runs),
        backfill: settings.sandbox.backfill.unwrap_or(defaults.backfill),
        trickle_every,
        transient_failure_rate,
    };
    (options, problems)
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
