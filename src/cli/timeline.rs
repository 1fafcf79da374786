//! `stepdeck timeline --history FILE|- [--format text|json] [--max-history-mb N]`: the
//! timeline of a history saved with `aws stepfunctions get-execution-history`, as JSON for
//! tools or as a text Gantt for a ticket or a CI log. Pure functions over a `Timeline`; only
//! `run` reads the history (bounded in size) and only `main` writes to the standard streams.

use crate::domain::Millis;
use crate::domain::history::HistoryEvent;
use crate::domain::history_json::{ReadError, read_history};
use crate::domain::text::escape_control;
use crate::domain::time::{format_duration, format_rfc3339};
use crate::domain::timeline::chart::{BarPart, TimeAxis, bar_cells_on, lane_label, ruler};
use crate::domain::timeline::{RowKind, SpanStatus, Timeline, build_from, build_from_json};
use serde_json::{Value, json};
use std::io::{BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct TimelineArgs {
    /// JSON printed by `aws stepfunctions get-execution-history` (timestamps as ISO-8601
    /// strings or epoch seconds); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub history: PathBuf,
    /// `text`: a Gantt chart for a ticket or CI log; `json`: spans for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Refuse a history larger than this many MiB, reading no further. The default fits
    /// Step Functions' largest history (25,000 events) at 40 KiB of data per event.
    #[arg(
        long,
        value_name = "MIB",
        default_value_t = DEFAULT_MAX_HISTORY_MB,
        value_parser = clap::value_parser!(u64).range(1..=MAX_HISTORY_MB_ALLOWED)
    )]
    pub max_history_mb: u64,
}

/// Default of `--max-history-mb`. Each event may carry up to 256 KiB of data, so a genuine
/// history can in theory reach 6 GiB; real ones stay far below a GiB, and memory follows the
/// file's size, so the default keeps a stray file (or `/dev/zero`) from eating the machine.
pub const DEFAULT_MAX_HISTORY_MB: u64 = 1024;

/// Largest `--max-history-mb` (1 TiB): keeps the byte count far from overflowing.
const MAX_HISTORY_MB_ALLOWED: u64 = 1 << 20;

const MIB: u64 = 1 << 20;

/// Width of the text chart: fits a CI log or a ticket without wrapping.
const TEXT_WIDTH: usize = 100;

/// The subcommand as a process: the timeline on stdout, problems on stderr, and the exit
/// status (1 when the history cannot be read or the output cannot be written).
///
/// A reader that stops early (`stepdeck timeline … | head -1`) is not an error: like most Unix
/// filters, this exits quietly with status 0 when stdout is a closed pipe. Status 0 rather
/// than 141 (what dying of SIGPIPE looks like) because the reader chose to stop and what was
/// written was right, so scripts under `set -o pipefail` do not fail on a `| head`.
pub fn main(args: &TimelineArgs) -> ExitCode {
    let rendered = match render(args) {
        Ok((rendered, scratch)) => {
            // The process ends once this is printed: freeing every event and span one by
            // one would only delay the exit (it was a tenth of the run on a 25,000-event
            // history); the system takes the memory back whole.
            std::mem::forget(scratch);
            rendered
        }
        Err(message) => {
            report(&message);
            return ExitCode::FAILURE;
        }
    };
    for caveat in &rendered.caveats {
        report(&format!("warning: {caveat}"));
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(rendered.text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            report(&format!("cannot write the timeline: {error}"));
            ExitCode::FAILURE
        }
    }
}

/// One line on stderr. Messages quote the file (event types, field names, the path), so they
/// are escaped like the output; a failing stderr has nowhere left to be reported.
fn report(message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "stepdeck timeline: {}",
        escape_control(message)
    );
}

/// What `stepdeck timeline` prints: the timeline for stdout, and what it shows with a caveat
/// (one sentence each, for stderr).
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub caveats: Vec<String>,
}

/// Reads the history and returns what to print; errors name the file (or stdin).
pub fn run(args: &TimelineArgs) -> Result<Rendered, String> {
    render(args).map(|(rendered, _)| rendered)
}

/// What was built to render the timeline: what was read (the file's text, or the events of
/// a stream) and the timeline itself.
type Scratch = (History, Timeline);

/// `run`, handing back what it built, for a caller that would rather not free it.
fn render(args: &TimelineArgs) -> Result<(Rendered, Scratch), String> {
    let (name, mut history) = read_history_of(args)?;
    let (timeline, caveats, count) = match &mut history {
        History::Text(text) => build_from_json(text).map_err(|error| read_error(&name, error))?,
        History::Mapped(text) => build_from_json(text).map_err(|error| read_error(&name, error))?,
        History::Events(events) => {
            let (timeline, caveats) = build_from(events);
            (timeline, caveats, events.len())
        }
    };
    if count == 0 {
        return Err(format!("{name}: the history has no events"));
    }
    let caveats = caveats
        .into_iter()
        .map(|caveat| format!("{name}: {caveat}"))
        .collect();
    let text = match args.format {
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&to_json(&timeline))
                .map_err(|e| format!("cannot write JSON: {e}"))?;
            out.push('\n');
            out
        }
        Format::Text => to_text(&timeline, TEXT_WIDTH),
    };
    Ok((Rendered { text, caveats }, (history, timeline)))
}

/// A history as read: a regular file's text (built from as it is parsed), or the events of
/// a stream.
enum History {
    Text(Vec<u8>),
    /// A regular file mapped into memory, pages filled in one call: reading it into a fresh
    /// buffer faulted in and copied 6 MB, a tenth of the run on a 25,000-event history.
    Mapped(memmap2::Mmap),
    Events(Vec<HistoryEvent>),
}

fn read_error(name: &str, error: ReadError) -> String {
    match error {
        ReadError::Io(error) => format!("cannot read {name}: {error}"),
        ReadError::Invalid(message) => format!("{name}: {message}"),
    }
}

/// `--history`: at most `--max-history-mb` of it (plus one byte, to tell a source that is too
/// large, such as a pipe or `/dev/zero`, from one that fits). A regular file is read whole,
/// to be parsed from memory (scanning a slice is several times faster than a stream; its size
/// was checked first); anything else is parsed as a stream, so garbage is refused at its first
/// bytes. Returns the name to use in messages with it.
fn read_history_of(args: &TimelineArgs) -> Result<(String, History), String> {
    let from_stdin = args.history.as_os_str() == "-";
    let name = if from_stdin {
        "stdin".to_string()
    } else {
        args.history.display().to_string()
    };
    let limit = args.max_history_mb.saturating_mul(MIB);
    let too_large = || {
        format!(
            "{name} is larger than {} MiB, the most --max-history-mb lets stepdeck read; \
             raise it if this is a genuine history",
            args.max_history_mb
        )
    };
    let mut file_size = None;
    let mut mapped = None;
    let source: Box<dyn Read> = if from_stdin {
        Box::new(std::io::stdin().lock())
    } else {
        let file =
            std::fs::File::open(&args.history).map_err(|e| format!("cannot read {name}: {e}"))?;
        // A regular file tells its size: a big one is refused before any of it is read.
        if let Ok(metadata) = file.metadata()
            && metadata.is_file()
        {
            if metadata.len() > limit {
                return Err(too_large());
            }
            file_size = Some(metadata.len());
            if metadata.len() > 0 {
                // SAFETY: the map is only read, and lives as long as the text borrowed from it
                // (`History::Mapped`). Another process rewriting or truncating the file during
                // the few milliseconds of the read could tear it, as for ripgrep, which maps
                // files the same way; a saved history is not rewritten in place. Where the
                // system cannot map the file, it is read as before.
                mapped = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok();
            }
        }
        Box::new(file)
    };
    if let Some(map) = mapped {
        return Ok((name, History::Mapped(map)));
    }
    let mut bounded = source.take(limit.saturating_add(1));
    let read = match file_size {
        Some(size) => {
            let mut text = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
            match bounded.read_to_end(&mut text) {
                Ok(_) => Ok(History::Text(text)),
                Err(error) => Err(ReadError::Io(error)),
            }
        }
        None => {
            read_history(BufReader::with_capacity(64 * 1024, &mut bounded)).map(History::Events)
        }
    };
    if bounded.limit() == 0 {
        return Err(too_large());
    }
    match read {
        Ok(history) => Ok((name, history)),
        Err(error) => Err(read_error(&name, error)),
    }
}

/// `{"execution": {status, start, duration_ms, redrive_count, segments}, "spans": [{name,
/// type, status, start_ms, end_ms, attempts, path}]}`, times in ms since the execution started
/// (wall-clock: a redrive's idle gap included), spans in entry order. A redriven execution's
/// `segments` are its runs (`redrive_count`, `start_ms`, `end_ms`, `status`); a span a redrive
/// resumed has `before_redrive`: how it ended before (`status`, `end_ms`).
pub fn to_json(timeline: &Timeline) -> Value {
    let exec = &timeline.execution;
    let relative = |t: Millis| t.saturating_sub(exec.start);
    let spans: Vec<Value> = timeline
        .spans
        .iter()
        .map(|s| {
            let mut span = json!({
                "name": s.name,
                "type": s.state_type.as_str(),
                "status": s.status.as_str(),
                "start_ms": relative(s.start),
                "end_ms": s.end.map(relative),
                "attempts": s.attempt_count(),
                "path": s.path.iter().map(|p| p.label()).collect::<Vec<_>>(),
            });
            if !s.before_redrive.is_empty() {
                span["before_redrive"] = s
                    .before_redrive
                    .iter()
                    .map(|e| json!({"status": e.status.as_str(), "end_ms": relative(e.at)}))
                    .collect();
            }
            span
        })
        .collect();
    let mut execution = json!({
        "status": exec.status.as_str(),
        "start": format_rfc3339(exec.start),
        "duration_ms": exec.end.map(relative),
    });
    if !timeline.redrives.is_empty() {
        execution["redrive_count"] = json!(exec.redrive_count);
        execution["segments"] = timeline
            .segments()
            .iter()
            .map(|segment| {
                json!({
                    "redrive_count": segment.redrive_count,
                    "start_ms": relative(segment.start),
                    "end_ms": segment.end.map(relative),
                    "status": segment.status.as_str(),
                })
            })
            .collect();
    }
    json!({
        "execution": execution,
        "spans": spans,
    })
}

/// The latest instant the history tells about: where running bars stop (no clock is read).
fn latest_time(timeline: &Timeline) -> Millis {
    let mut latest = timeline.execution.end.unwrap_or(timeline.execution.start);
    for s in &timeline.spans {
        latest = latest.max(s.end.unwrap_or(s.start));
        for a in &s.attempts {
            latest = latest.max(a.end.or(a.started).unwrap_or(a.scheduled));
        }
    }
    latest
}

/// A text Gantt `width` columns wide (longer lines only for error messages): a header with
/// status, start and duration (and for a redriven execution one line per segment), a ruler,
/// then one line per row — indented name, bar, duration, status, attempts, error. `█` time in
/// the state, `░` failed attempts, `·` retry backoff, `─` queue time (scheduled, not started),
/// `┆` a redrive (the idle time before it is collapsed). Text from the history (names, errors,
/// causes) is escaped: it is untrusted and this goes to a terminal.
pub fn to_text(timeline: &Timeline, width: usize) -> String {
    let exec = &timeline.execution;
    let now = latest_time(timeline);
    let axis = TimeAxis::of(timeline);
    let rows = timeline.rows();
    let mut out = String::new();

    let active = axis.span(exec.start, exec.end.unwrap_or(now));
    let duration = match exec.end {
        Some(_) => format_duration(active),
        None => format!("{} so far", format_duration(active)),
    };
    out.push_str(&format!(
        "execution {}  started {}  duration {}",
        exec.status.as_str(),
        format_rfc3339(exec.start),
        duration
    ));
    if exec.redrive_count > 0 {
        out.push_str(&format!("  redriven {}×", exec.redrive_count));
    }
    if let Some(outcome) = timeline.outcome() {
        out.push_str(&format!("  outcome: {}", escape_control(&outcome.label())));
    }
    out.push('\n');
    if !timeline.redrives.is_empty() {
        for (segment, redrive) in timeline
            .segments()
            .iter()
            .zip(std::iter::once(None).chain(timeline.redrives.iter().map(Some)))
        {
            if let Some(redrive) = redrive {
                out.push_str(&format!(
                    "  ┆ idle {} (collapsed)\n",
                    format_duration(redrive.at.saturating_sub(redrive.idle_from))
                ));
            }
            let ran = format_duration(segment.end.unwrap_or(now).saturating_sub(segment.start));
            let how = match segment.end {
                Some(_) => format!("{} after {ran}", segment.status.as_str()),
                None => format!("{} for {ran} so far", segment.status.as_str()),
            };
            match segment.redrive_count {
                0 => out.push_str(&format!(
                    "  segment 0  started {}  {how}\n",
                    format_rfc3339(segment.start)
                )),
                n => out.push_str(&format!(
                    "  segment {n}  redriven {}  {how}\n",
                    format_rfc3339(segment.start)
                )),
            }
        }
    }
    if rows.is_empty() {
        out.push_str("(no states entered)\n");
        return out;
    }

    // Each row's label and its width in characters, worked out once.
    let labels: Vec<(std::borrow::Cow<str>, usize)> = rows
        .iter()
        .map(|row| {
            let label = match &row.kind {
                RowKind::Span(id) => escape_control(&timeline.spans[*id].name),
                RowKind::Lane { segment, .. } => lane_label(segment).into(),
            };
            let chars = label.chars().count();
            (label, chars)
        })
        .collect();
    let name_w = rows
        .iter()
        .zip(&labels)
        .map(|(r, (_, chars))| r.depth * 2 + chars)
        .max()
        .unwrap_or(0)
        .clamp(8, 32);
    // Right of the bar: ` 12.3s  SUCCEEDED  x2` (duration 7, status 9, attempts 3).
    const TAIL: usize = 1 + 7 + 2 + 9 + 2 + 3;
    let bar_w = width.saturating_sub(name_w + 2 + TAIL).max(10);
    // On the axis: times since the start with the idle gaps before redrives left out.
    let window = (0, axis.span(exec.start, now).max(1));
    let origin = axis.fold(exec.start);
    let divider_columns: Vec<usize> = axis
        .dividers()
        .into_iter()
        .map(|d| {
            let column = d.saturating_sub(origin) as f64 * bar_w as f64 / window.1 as f64;
            (column.round() as usize).min(bar_w.saturating_sub(1))
        })
        .collect();
    let put_dividers = |line: &mut [char]| {
        for &c in &divider_columns {
            if line.get(c) == Some(&' ') {
                line[c] = '┆';
            }
        }
    };
    // One buffer for every row's bar, the ruler's first.
    let mut bar: Vec<char> = ruler(window, bar_w).chars().collect();
    put_dividers(&mut bar);
    out.push_str(&format!("{:name_w$} |", ""));
    out.extend(bar.iter());
    out.push_str("|\n");

    let abs_window = (origin, origin.saturating_add(window.1));
    for (row, (label, label_chars)) in rows.iter().zip(&labels) {
        let indent = row.depth * 2;
        let chars = indent + label_chars;
        if chars > name_w {
            let name: String = std::iter::repeat_n(' ', indent)
                .chain(label.chars())
                .take(name_w - 1)
                .chain(['…'])
                .collect();
            out.push_str(&name);
        } else {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(label);
            out.extend(std::iter::repeat_n(' ', name_w - chars));
        }
        out.push_str(" |");
        match &row.kind {
            RowKind::Lane { .. } => {
                bar.clear();
                bar.resize(bar_w, ' ');
                put_dividers(&mut bar);
                out.extend(bar.iter());
                out.push_str("|\n");
            }
            RowKind::Span(id) => {
                let span = &timeline.spans[*id];
                bar.clear();
                bar.extend(
                    bar_cells_on(&axis, span, abs_window, now, bar_w)
                        .into_iter()
                        .map(|(glyph, part)| match part {
                            BarPart::Empty => ' ',
                            BarPart::Body => glyph,
                            BarPart::FailedAttempt => '░',
                            BarPart::Backoff => '·',
                            BarPart::Queued => '─',
                        }),
                );
                put_dividers(&mut bar);
                out.extend(bar.iter());
                let attempts = match span.attempts.len() {
                    0 | 1 => String::new(),
                    n => format!("x{n}"),
                };
                let mut line = format!(
                    "| {:>7}  {:<9}  {:<3}",
                    format_duration(axis.span(span.start, span.end.unwrap_or(now))),
                    span.status.as_str(),
                    attempts
                );
                for earlier in &span.before_redrive {
                    line.push_str(&format!("  (redriven after {})", earlier.status.as_str()));
                }
                let show_error = matches!(
                    span.status,
                    SpanStatus::Failed | SpanStatus::Caught | SpanStatus::TimedOut
                ) || span.attempts.len() > 1;
                if show_error && let Some(error) = &span.error {
                    line.push_str(&format!("  {}", escape_control(error)));
                    let message = span
                        .cause
                        .as_deref()
                        .and_then(crate::domain::execution::error_message_from_cause);
                    if let Some(message) = message {
                        line.push_str(&format!(": {}", escape_control(&message)));
                    }
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::timeline::fixture;

    #[test]
    fn text_of_the_rejected_run() {
        insta::assert_snapshot!(to_text(&fixture("rejected_sunglasses.json"), 100));
    }

    #[test]
    fn text_of_a_retry_inside_parallel_branches() {
        insta::assert_snapshot!(to_text(&fixture("retry_absorbed.json"), 100));
    }

    #[test]
    fn text_of_a_map_with_a_retried_iteration() {
        insta::assert_snapshot!(to_text(&fixture("map_iterations.json"), 80));
    }

    #[test]
    fn text_of_a_running_execution_stops_at_its_latest_event() {
        let text = to_text(&fixture("running.json"), 100);
        insta::assert_snapshot!(text);
        assert!(text.starts_with("execution RUNNING") && text.contains("so far"));
    }

    #[test]
    fn a_redriven_execution_shows_its_segments_with_the_idle_gap_collapsed() {
        let timeline = fixture("redriven.json");
        let text = to_text(&timeline, 100);
        insta::assert_snapshot!(text);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("redriven 1×"), "{}", lines[0]);
        // 2.4 s, then 1.4 s after the redrive: the 3 h 17 m in between are not in the duration.
        assert!(lines[0].contains("duration 3.8s"), "{}", lines[0]);
        assert!(lines[1].starts_with("  segment 0  started") && lines[1].contains("FAILED"));
        assert!(lines[2].contains("idle 3h 17m (collapsed)"), "{}", lines[2]);
        assert!(lines[3].starts_with("  segment 1  redriven") && lines[3].contains("SUCCEEDED"));
        let thumbnail = lines.iter().find(|l| l.contains("Thumbnail")).unwrap();
        assert!(thumbnail.contains("(redriven after FAILED)"), "{thumbnail}");
        // The divider runs down the chart where nothing is drawn, at one column.
        let column = |line: &str| line.chars().position(|c| c == '┆');
        let persist = lines
            .iter()
            .find(|l| l.contains("PersistMetadata"))
            .unwrap();
        assert!(column(persist).is_some(), "{persist}");
        assert_eq!(column(persist), column(lines[4]));

        let json = to_json(&timeline);
        let segments = json["execution"]["segments"].as_array().unwrap();
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0]["status"], "FAILED");
        assert_eq!(segments[0]["end_ms"], 2_425);
        assert_eq!(segments[1]["redrive_count"], 1);
        assert_eq!(segments[1]["status"], "SUCCEEDED");
        assert_eq!(json["execution"]["redrive_count"], 1);
        let parallel = &json["spans"][3];
        assert_eq!(parallel["name"], "ParallelProcessing");
        assert_eq!(parallel["status"], "SUCCEEDED");
        assert_eq!(parallel["attempts"], 2);
        assert_eq!(parallel["before_redrive"][0]["status"], "FAILED");
        // An execution never redriven keeps the JSON it always had.
        let plain = to_json(&fixture("happy_path.json"));
        assert!(plain["execution"].get("segments").is_none());
    }

    #[test]
    fn text_of_an_empty_history_says_so() {
        let empty = crate::domain::timeline::TimelineBuilder::new()
            .timeline()
            .clone();
        assert!(to_text(&empty, 100).contains("(no states entered)"));
    }
}
