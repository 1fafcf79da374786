//! `stepdeck stats [--since 24h] [--format text|json]`: the dashboard's figures for a report
//! or a chat message — outcomes per bucket, rates, top reasons, per-state percentiles and the
//! end-to-end spread — from the backend (the store first, on AWS), no terminal needed.

use crate::backend::{Backend, HistoryRequest, ListExecutionsRequest};
use crate::domain::Millis;
use crate::domain::execution::{ExecutionSummary, StateMachineSummary};
use crate::domain::stats::{
    Figures, HistoryDigest, OutcomeKind, ReasonKind, ReasonTally, Window, thousands,
};
use crate::domain::text::escape_control;
use crate::domain::time::{format_date_time, format_duration};
use crate::domain::timeline::TimelineBuilder;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::io::Write;
use std::process::ExitCode;

/// Histories read at once (the AWS adapter's governor paces them further).
const HISTORIES_AT_ONCE: usize = 8;
/// The machine a report is about when none is named: the pipeline's.
const DEFAULT_MACHINE: &str = "RiderPhotoProcessing";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// The window: 1h, 24h, 7d or 30d.
    #[arg(long, default_value = "24h", value_parser = parse_window)]
    pub since: Window,
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatsFormat,
}

fn parse_window(text: &str) -> Result<Window, String> {
    Window::parse(text).ok_or_else(|| "a window of 1h, 24h, 7d or 30d".to_string())
}

/// The figures and what they are of.
pub struct Report {
    pub machine: StateMachineSummary,
    pub figures: Figures,
    /// Histories that could not be read.
    pub unreadable: usize,
}

/// Lists `machine`'s executions back to the window's start and reads every finished one's
/// history.
pub async fn gather(
    backend: &dyn Backend,
    machine: Option<&str>,
    window: Window,
    now: Millis,
) -> Result<Report, String> {
    let machines = backend
        .list_state_machines()
        .await
        .map_err(|e| format!("state machines could not be listed: {e}"))?;
    let wanted = machine.unwrap_or(DEFAULT_MACHINE);
    let machine = machines
        .iter()
        .find(|m| m.name == wanted || m.arn == wanted)
        // Unnamed and not there: the first machine listed.
        .or(if machine.is_none() {
            machines.first()
        } else {
            None
        })
        .cloned()
        .ok_or_else(|| format!("no state machine {wanted}"))?;
    let start = window.first_bucket_start(now);
    let mut executions: Vec<ExecutionSummary> = Vec::new();
    let mut next_token = None;
    loop {
        let page = backend
            .list_executions(ListExecutionsRequest {
                state_machine_arn: machine.arn.clone(),
                status: None,
                next_token,
                page_size: 1_000,
            })
            .await
            .map_err(|e| format!("executions could not be listed: {e}"))?;
        let reached = page.items.last().is_none_or(|e| e.start < start);
        executions.extend(page.items);
        match page.next_token {
            Some(token) if !reached => next_token = Some(token),
            _ => break,
        }
    }
    let mut figures = Figures::compute(window, now, &executions, []);
    let lacking: Vec<String> = figures.lacking_history().map(str::to_string).collect();
    let digests: Vec<(String, Option<HistoryDigest>)> = futures_util::stream::iter(lacking)
        .map(|arn| async move {
            let events = backend
                .get_execution_history(HistoryRequest {
                    execution_arn: arn.clone(),
                    after_event_id: None,
                    include_data: false,
                })
                .await
                .ok();
            let digest = events.map(|events| {
                let mut builder = TimelineBuilder::new();
                builder.extend(&events);
                HistoryDigest::of(builder.timeline())
            });
            (arn, digest)
        })
        .buffer_unordered(HISTORIES_AT_ONCE)
        .collect()
        .await;
    let mut unreadable = 0;
    for (arn, digest) in digests {
        match digest {
            Some(digest) if digest.outcome.is_some() => {
                figures.observe_history(&arn, &digest);
            }
            _ => unreadable += 1,
        }
    }
    Ok(Report {
        machine,
        figures,
        unreadable,
    })
}

/// Runs `stepdeck stats` against `backend` and prints the report.
pub async fn main(
    backend: &dyn Backend,
    args: &StatsArgs,
    machine: Option<&str>,
    now: Millis,
) -> ExitCode {
    match gather(backend, machine, args.since, now).await {
        Ok(report) => {
            let text = match args.format {
                StatsFormat::Text => text(&report, now),
                StatsFormat::Json => {
                    let mut text =
                        serde_json::to_string_pretty(&to_json(&report, now)).unwrap_or_default();
                    text.push('\n');
                    text
                }
            };
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("stepdeck: {message}");
            ExitCode::FAILURE
        }
    }
}

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values
        .iter()
        .map(|&v| {
            if v == 0 {
                ' '
            } else {
                SPARK[((v * 7 + max / 2) / max) as usize]
            }
        })
        .collect()
}

fn reason_lines(out: &mut String, title: &str, reasons: &[&ReasonTally]) {
    out.push_str(&format!("\n{title}\n"));
    if reasons.is_empty() {
        out.push_str("  none\n");
    }
    for tally in reasons {
        out.push_str(&format!(
            "  {:>7} {:<4} {}\n",
            thousands(u64::from(tally.count)),
            tally.trend().arrow(),
            escape_control(&tally.reason.text)
        ));
    }
}

/// The report as text: what it covers, outcomes with their shares, throughput, reasons, the
/// per-state table and the end-to-end spread.
pub fn text(report: &Report, now: Millis) -> String {
    let f = &report.figures;
    let window = f.window();
    let coverage = f.coverage();
    let mut out = format!(
        "{} · last {} · {} → {} UTC\n{}\n",
        escape_control(&report.machine.name),
        window.label(),
        format_date_time(f.bucket_start(0)),
        format_date_time(now),
        coverage.sentence(window)
    );
    if report.unreadable > 0 {
        out.push_str(&format!(
            "{} histories could not be read\n",
            report.unreadable
        ));
    }
    let totals = f.totals();
    out.push_str("\noutcome        runs   share\n");
    for kind in OutcomeKind::ALL {
        let share = match (kind, f.rate(kind)) {
            (OutcomeKind::Running, _) | (_, None) => String::new(),
            (_, Some(rate)) => format!("{:>6.1}%", rate * 100.0),
        };
        out.push_str(&format!(
            "{:<10} {:>8} {share}\n",
            kind.label(),
            thousands(totals[kind.index()])
        ));
    }
    out.push_str(&format!(
        "\nthroughput per {} (oldest → now)\n  {}\n",
        format_duration(window.bucket()),
        sparkline(&f.throughput())
    ));
    reason_lines(
        &mut out,
        "top rejections",
        &f.top_reasons(ReasonKind::Rejection, 5),
    );
    reason_lines(
        &mut out,
        "top failures",
        &f.top_reasons(ReasonKind::Failure, 5),
    );
    out.push_str(&format!(
        "\n{:<28} {:>7} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8}\n",
        "state", "runs", "p50", "p95", "p99", "max", "retries", "failures"
    ));
    for row in f.state_rows() {
        let p = row.percentiles;
        out.push_str(&format!(
            "{:<28} {:>7} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8}\n",
            escape_control(&row.name),
            thousands(row.samples as u64),
            format_duration(p.p50),
            format_duration(p.p95),
            format_duration(p.p99),
            format_duration(p.max),
            thousands(row.retries),
            thousands(row.failures)
        ));
    }
    if let Some(p) = f.end_to_end() {
        out.push_str(&format!(
            "\nend to end    p50 {} · p95 {} · p99 {} · max {}\n",
            format_duration(p.p50),
            format_duration(p.p95),
            format_duration(p.p99),
            format_duration(p.max)
        ));
    }
    out
}

fn reasons_json(reasons: &[&ReasonTally]) -> Value {
    reasons
        .iter()
        .map(|t| json!({"reason": t.reason.text, "count": t.count, "trend": format!("{:?}", t.trend()).to_lowercase()}))
        .collect()
}

/// The report as JSON (durations in milliseconds, times in epoch milliseconds).
pub fn to_json(report: &Report, now: Millis) -> Value {
    let f = &report.figures;
    let window = f.window();
    let coverage = f.coverage();
    let totals = f.totals();
    let outcomes: serde_json::Map<String, Value> = OutcomeKind::ALL
        .iter()
        .map(|k| (k.label().replace(' ', "_"), json!(totals[k.index()])))
        .collect();
    let buckets: Vec<Value> = f
        .buckets()
        .iter()
        .enumerate()
        .map(|(i, counts)| {
            let mut bucket = serde_json::Map::new();
            bucket.insert("start".into(), json!(f.bucket_start(i)));
            for k in OutcomeKind::ALL {
                bucket.insert(k.label().replace(' ', "_"), json!(counts[k.index()]));
            }
            Value::Object(bucket)
        })
        .collect();
    let states: Vec<Value> = f
        .state_rows()
        .iter()
        .map(|r| {
            json!({
                "state": r.name, "runs": r.samples, "p50_ms": r.percentiles.p50,
                "p95_ms": r.percentiles.p95, "p99_ms": r.percentiles.p99,
                "max_ms": r.percentiles.max, "retries": r.retries, "failures": r.failures,
            })
        })
        .collect();
    let e2e = f
        .end_to_end()
        .map(|p| json!({"p50_ms": p.p50, "p95_ms": p.p95, "p99_ms": p.p99, "max_ms": p.max}));
    json!({
        "state_machine": report.machine.arn,
        "window": window.label(),
        "from": f.bucket_start(0),
        "now": now,
        "bucket_ms": window.bucket(),
        "coverage": {
            "executions": coverage.executions,
            "finished": coverage.finished,
            "histories_read": coverage.histories,
            "histories_unread": coverage.histories_unread(),
            "outcomes_assumed": coverage.outcomes_unknown,
            "unreadable": report.unreadable,
        },
        "outcomes": outcomes,
        "buckets": buckets,
        "top_rejections": reasons_json(&f.top_reasons(ReasonKind::Rejection, 5)),
        "top_failures": reasons_json(&f.top_reasons(ReasonKind::Failure, 5)),
        "states": states,
        "end_to_end": e2e,
    })
}
