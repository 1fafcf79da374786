//! `stepdeck timeline` as a process: streams, pipes, limits and untrusted text.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A directory of its own for one test's files, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("stepdeck-headless-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn timeline_command(history: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stepdeck"));
    command.arg("timeline").arg("--history").arg(history);
    command.args(extra);
    command
}

/// Runs `stepdeck timeline --history <history> <extra>` to the end, stdin closed.
fn timeline(history: &Path, extra: &[&str]) -> Output {
    timeline_command(history, extra)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An event in the shape of `aws stepfunctions get-execution-history`.
fn event(
    id: i64,
    previous: i64,
    seconds: f64,
    kind: &str,
    details: Option<(&str, Value)>,
) -> Value {
    let mut event =
        json!({"timestamp": seconds, "type": kind, "id": id, "previousEventId": previous});
    if let Some((key, value)) = details {
        event[key] = value;
    }
    event
}

/// A failed run whose state name, error and Lambda cause carry terminal control sequences.
fn hostile_history() -> Value {
    let cause = json!({"errorMessage": "\u{1b}[31mred\u{9b}2J", "errorType": "Boom"}).to_string();
    json!({"events": [
        event(1, 0, 1764064800.0, "ExecutionStarted", None),
        event(2, 1, 1764064800.1, "TaskStateEntered",
              Some(("stateEnteredEventDetails", json!({"name": "Evil\u{1b}]0;pwned\u{7}"})))),
        event(3, 2, 1764064800.2, "TaskScheduled",
              Some(("taskScheduledEventDetails", json!({"resourceType": "lambda"})))),
        event(4, 3, 1764064800.3, "TaskFailed",
              Some(("taskFailedEventDetails",
                    json!({"error": "\u{1b}[2JBoom\u{202e}", "cause": cause})))),
        event(5, 4, 1764064800.4, "ExecutionFailed",
              Some(("executionFailedEventDetails",
                    json!({"error": "\u{1b}[2JBoom", "cause": cause})))),
    ]})
}

/// Bytes a terminal would act on: C0 controls other than the newline, DEL, C1 controls.
fn terminal_controls(output: &str) -> Vec<char> {
    output
        .chars()
        .filter(|&c| c != '\n' && c.is_control())
        .collect()
}

#[test]
fn untrusted_text_is_escaped_in_the_text_output() {
    let scratch = Scratch::new("escape");
    let history = scratch.file("hostile.json", hostile_history().to_string());
    let output = timeline(&history, &[]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(terminal_controls(&stdout), Vec::<char>::new(), "{stdout}");
    assert!(stdout.contains("Evil\\x1b]0;pwned\\x07"), "{stdout}");
    assert!(stdout.contains("\\x1b[2JBoom\\u{202e}"), "{stdout}");
    assert!(stdout.contains("\\x1b[31mred\\u{9b}2J"), "{stdout}");
}

/// A successful run of `states` Pass states one after another: one output line each.
fn long_history(states: i64) -> Value {
    let mut events = vec![event(1, 0, 1764064800.0, "ExecutionStarted", None)];
    for k in 0..states {
        let (entered, exited) = (2 + 2 * k, 3 + 2 * k);
        let name = json!({"name": format!("Step{k}")});
        let at = 1764064800.0 + k as f64 * 0.01;
        events.push(event(
            entered,
            entered - 1,
            at,
            "PassStateEntered",
            Some(("stateEnteredEventDetails", name.clone())),
        ));
        events.push(event(
            exited,
            entered,
            at + 0.005,
            "PassStateExited",
            Some(("stateExitedEventDetails", name)),
        ));
    }
    let last = 1 + 2 * states;
    events.push(event(
        last + 1,
        last,
        1764064800.0 + states as f64 * 0.01,
        "ExecutionSucceeded",
        None,
    ));
    json!({"events": events})
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    let scratch = Scratch::new("pipe");
    // Far more output than a pipe buffers (64 KiB on Linux): the writer must meet the closed
    // pipe whenever the reader goes away.
    let history = scratch.file("long.json", long_history(4_000).to_string());
    let mut child = timeline_command(&history, &[])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -1`: one line, then the reading end is closed.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("execution SUCCEEDED"), "{first}");
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn a_failing_write_is_reported_with_status_1() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("skipped: no /dev/full on this system");
        return;
    }
    let scratch = Scratch::new("full");
    let history = scratch.file("long.json", long_history(200).to_string());
    let output = timeline_command(&history, &[])
        .stdin(Stdio::null())
        .stdout(std::fs::OpenOptions::new().write(true).open(full).unwrap())
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("stepdeck timeline: cannot write the timeline:")
            && stderr.contains("No space left on device"),
        "{stderr}"
    );
}

#[test]
fn a_dash_reads_the_history_from_stdin() {
    use std::io::Write;
    let mut child = timeline_command(Path::new("-"), &["--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let history = long_history(3).to_string();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(history.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let timeline: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(timeline["execution"]["status"], "SUCCEEDED");
    let names: Vec<&str> = timeline["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Step0", "Step1", "Step2"]);
}

#[test]
fn a_history_over_the_size_limit_is_refused_by_name() {
    let scratch = Scratch::new("limit");
    // About 1.1 MiB of valid history: over a 1 MiB limit, well under the default.
    let history = scratch.file("big.json", long_history(4_000).to_string());
    let size = std::fs::metadata(&history).unwrap().len();
    assert!((1 << 20..2 << 20).contains(&size), "{size} bytes");
    let refused = timeline(&history, &["--max-history-mb", "1"]);
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("big.json is larger than 1 MiB") && stderr.contains("--max-history-mb"),
        "{stderr}"
    );
    assert_eq!(refused.stdout, b"");
    assert!(
        timeline(&history, &["--max-history-mb", "2"])
            .status
            .success()
    );
}

#[test]
fn an_endless_stream_is_read_no_further_than_the_limit() {
    use std::io::Write;
    let mut child = timeline_command(Path::new("-"), &["--max-history-mb", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // JSON whitespace forever (valid so far, so only the limit can stop it), until stepdeck
    // closes its end.
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let spaces = [b' '; 64 * 1024];
        let mut written = 0usize;
        while stdin.write_all(&spaces).is_ok() {
            written += spaces.len();
        }
        written
    });
    let output = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stdin is larger than 1 MiB"), "{stderr}");
    // What a pipe buffers on top of what was read: nowhere near an unbounded read.
    assert!(written < 4 << 20, "{written} bytes were written");
}

#[test]
fn dev_zero_is_refused_at_once() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        eprintln!("skipped: no /dev/zero on this system");
        return;
    }
    // Before, this read until memory ran out; a NUL byte is no JSON, and the limit bounds it.
    let output = timeline(zero, &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("stepdeck timeline: /dev/zero: not valid JSON"),
        "{stderr}"
    );
}

/// Runs `stepdeck timeline` on `history` written to a file of the scratch directory.
fn timeline_of(scratch: &Scratch, history: &Value, extra: &[&str]) -> Output {
    timeline(&scratch.file("history.json", history.to_string()), extra)
}

#[test]
fn impossible_timestamps_are_refused_by_event_and_field() {
    let scratch = Scratch::new("nan");
    for timestamp in [json!("NaN"), json!("-inf"), json!(1e300)] {
        let mut history = long_history(2);
        history["events"][3]["timestamp"] = timestamp.clone();
        let output = timeline_of(&scratch, &history, &["--format", "json"]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{timestamp}: {stderr}");
        assert!(
            stderr.contains("history.json: event #3 (id 4): `timestamp` must be"),
            "{timestamp}: {stderr}"
        );
        assert_eq!(output.stdout, b"", "{timestamp}");
    }
}

#[test]
fn an_event_id_used_twice_is_refused() {
    let scratch = Scratch::new("duplicate");
    let mut history = long_history(2);
    // The exit of Step1 takes the id of its entry: before, the exit was dropped and Step1
    // stayed RUNNING in a SUCCEEDED execution.
    history["events"][4]["id"] = json!(4);
    let output = timeline_of(&scratch, &history, &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("event #4 (id 4): the id is used again (first by event #3)"),
        "{stderr}"
    );
}

#[test]
fn a_history_without_its_start_is_read_with_a_warning() {
    let scratch = Scratch::new("no-start");
    let mut history = long_history(2);
    history["events"].as_array_mut().unwrap().remove(0);
    let output = timeline_of(&scratch, &history, &["--format", "json"]);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("stepdeck timeline: warning: ")
            && first.contains("history.json: the history has no ExecutionStarted event"),
        "{stderr}"
    );
    let timeline: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(timeline["execution"]["start"], "2025-11-25T10:00:00.000Z");
    assert_eq!(timeline["execution"]["duration_ms"], 20);
}

#[test]
fn a_well_formed_history_prints_no_warning() {
    let scratch = Scratch::new("clean");
    let output = timeline_of(&scratch, &long_history(3), &[]);
    assert!(output.status.success());
    assert_eq!(text(&output.stderr), "");
}
