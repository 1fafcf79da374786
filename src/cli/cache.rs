//! `stepdeck cache`: what the on-disk store holds (path, size, counts), and `stepdeck cache
//! clear [--all | --region R]` to empty it. Works on the file alone: no AWS call, no terminal.

use crate::store::{Store, StoreStats};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: Option<CacheAction>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum CacheAction {
    /// Remove what the store holds: everything (`--all`) or one region's executions.
    Clear {
        /// Everything, every account and region.
        #[arg(long, conflicts_with = "region", required_unless_present = "region")]
        all: bool,
        /// Only executions and state machines of this region (e.g. eu-west-1).
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
    },
}

/// The store's figures as `stepdeck cache` prints them.
pub fn describe(stats: &StoreStats) -> String {
    let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
    format!(
        "store        {}\nsize         {:.1} MB of {:.0} MB\ndescriptions {}\nhistories    {} ({} events)\njournal      {} entries indexed\n",
        stats.path.display(),
        mb(stats.bytes),
        mb(stats.limit_bytes),
        stats.descriptions,
        stats.histories,
        stats.history_events,
        stats.journal_entries,
    )
}

/// Runs `stepdeck cache …` on the store at `path` (None: there is no data directory).
pub fn main(args: &CacheArgs, path: Option<PathBuf>, limit_bytes: u64, now: i64) -> ExitCode {
    let Some(path) = path else {
        eprintln!(
            "stepdeck: no data directory to keep a store in (set store_path in the settings)"
        );
        return ExitCode::FAILURE;
    };
    match run(args, &path, limit_bytes, now) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("stepdeck: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What `stepdeck cache` prints, or why it cannot.
pub fn run(args: &CacheArgs, path: &Path, limit_bytes: u64, now: i64) -> Result<String, String> {
    if !path.exists() {
        return Ok(format!("no store yet at {}\n", path.display()));
    }
    let (store, note) = Store::open(path, limit_bytes, now).map_err(|e| e.to_string())?;
    let mut text = note.map(|n| format!("{n}\n")).unwrap_or_default();
    match &args.action {
        None => {}
        Some(CacheAction::Clear { region, .. }) => {
            let removed = store.clear(region.as_deref()).map_err(|e| e.to_string())?;
            let what = region
                .as_deref()
                .map_or("everything".to_string(), |r| format!("region {r}"));
            text.push_str(&format!("cleared {what}: {removed} rows removed\n"));
        }
    }
    let stats = store.stats().map_err(|e| e.to_string())?;
    text.push_str(&describe(&stats));
    Ok(text)
}
