//! `stepdeck --local stats`: the sandbox's recorded day as text and JSON, the same figures in
//! both, the same for the same seed.

use serde_json::Value;
use std::process::{Command, Stdio};

fn stats(extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stepdeck"))
        .args([
            "--local",
            "--seed",
            "7",
            "--config",
            "/nonexistent/stepdeck.toml",
            "stats",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn stats_on_the_sandbox_print_the_days_figures_as_text_and_json() {
    // The window ends at the wall clock and starts at a whole hour, so a recorded run can
    // enter it between two invocations: compare only invocations between which it kept
    // still (the JSON before and after the text agree), trying up to three times.
    let json = || {
        let json = stats(&["--since", "24h", "--format", "json"]);
        assert!(
            json.status.success(),
            "{}",
            String::from_utf8_lossy(&json.stderr)
        );
        serde_json::from_slice::<Value>(&json.stdout).unwrap()
    };
    let (report, text, again) = (0..3)
        .map(|_| {
            let before = json();
            let text = stats(&[]);
            assert!(text.status.success());
            let text = String::from_utf8(text.stdout).unwrap();
            (before, text, json())
        })
        .find(|(before, _, after)| before["outcomes"] == after["outcomes"])
        .expect("the window kept still across one of three tries");
    assert_eq!(report["window"], "24 h");
    let coverage = &report["coverage"];
    let executions = coverage["executions"].as_u64().unwrap();
    // The recorded day (1,200 runs), less those before the window's first full hour.
    assert!((1_000..=1_200).contains(&executions), "{coverage}");
    assert_eq!(coverage["histories_read"], coverage["finished"]);
    let outcomes = report["outcomes"].as_object().unwrap();
    let total: u64 = outcomes.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(total, executions);
    let buckets = report["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 24);
    let states: Vec<&str> = report["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert!(
        states.contains(&"Thumbnail") && states.contains(&"FaceDetection"),
        "{states:?}"
    );
    for state in report["states"].as_array().unwrap() {
        let p = |k: &str| state[k].as_i64().unwrap();
        assert!(
            p("p50_ms") <= p("p95_ms") && p("p95_ms") <= p("p99_ms") && p("p99_ms") <= p("max_ms")
        );
    }

    assert!(
        text.starts_with("RiderPhotoProcessing · last 24 h"),
        "{text}"
    );
    assert!(text.contains("every finished history read"), "{text}");
    let accepted = outcomes["accepted"].as_u64().unwrap();
    let line = text.lines().find(|l| l.starts_with("accepted")).unwrap();
    assert!(
        line.replace(',', "").contains(&accepted.to_string()),
        "{line} vs {accepted}"
    );
    assert!(text.contains("top rejections") && text.contains("Face is wearing sunglasses"));

    // The same seed records the same day.
    assert_eq!(again["outcomes"], report["outcomes"]);
    assert_eq!(again["states"], report["states"]);
}

#[test]
fn a_window_that_is_not_one_of_the_four_is_refused() {
    let output = stats(&["--since", "2h"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("1h, 24h, 7d or 30d"));
}
