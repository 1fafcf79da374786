//! `stepdeck` (the console) as a process: refused flags and environments, signals, the terminal.
//!
//! Refusals happen before any connection or terminal setup, so those tests need neither a
//! network nor a terminal.

use std::borrow::BorrowMut;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const SANDBOX: [&str; 7] = [
    "--local",
    "--seed",
    "7",
    "--config",
    "/dev/null",
    "--trickle",
    "0",
];

/// A directory of its own for one test, standing in for `$HOME` so the machine's AWS and
/// stepdeck files play no part. Removed when dropped.
struct Home(PathBuf);

impl Home {
    fn new() -> Home {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "stepdeck-console-test-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(path.join(".aws")).unwrap();
        Home(path)
    }

    /// `~/.aws/config` with `text`.
    fn aws_config(self, text: &str) -> Home {
        fs::write(self.0.join(".aws/config"), text).unwrap();
        self
    }

    /// The console's command with only this home's environment: no AWS variable of the
    /// machine leaks in.
    fn stepdeck(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_stepdeck"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.0)
            .env("XDG_CONFIG_HOME", self.0.join(".config"))
            .env("XDG_DATA_HOME", self.0.join(".local/share"))
            .env("AWS_CONFIG_FILE", self.0.join(".aws/config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.0.join(".aws/credentials"),
            )
            .env("TERM", "xterm-256color")
            // No graphics-protocol query: nobody answers it in a test.
            .env("STEPDECK_IMAGES", "halfblocks");
        command
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs the console without a terminal (stdin empty, stdout and stderr captured).
fn run(mut command: impl BorrowMut<Command>) -> Output {
    command.borrow_mut().stdin(Stdio::null()).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit 2 and a message on stderr holding every one of `words`, nothing on stdout (no escape
/// codes), no panic.
fn assert_refused(output: &Output, words: &[&str]) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for word in words {
        assert!(message.contains(word), "`{word}` missing from: {message}");
    }
    assert!(!message.contains("panicked"), "{message}");
    assert!(output.stdout.is_empty(), "stdout: {:?}", output.stdout);
}

#[test]
fn numbers_that_cannot_be_used_are_refused_with_the_flag_named() {
    let home = Home::new();
    let cases = [
        ("--trickle", "NaN"),
        ("--trickle", "inf"),
        ("--trickle", "1e20"),
        ("--trickle", "-1"),
        ("--trickle", "0.001"),
        ("--refresh", "NaN"),
        ("--refresh", "inf"),
        ("--refresh", "1e300"),
        ("--refresh", "0"),
        ("--refresh", "-5"),
    ];
    for (flag, value) in cases {
        let output = run(home.stepdeck(&["--local", &format!("{flag}={value}")]));
        assert_refused(&output, &[flag, "a number from 1 to 86400"]);
    }
    // The bounds themselves pass, and the console stops only for want of a terminal.
    for (flag, value) in [
        ("--trickle", "0"),
        ("--trickle", "1"),
        ("--trickle", "86400"),
        ("--refresh", "1"),
        ("--refresh", "86400"),
    ] {
        let output = run(home.stepdeck(&["--local", flag, value]));
        assert_refused(&output, &["needs a terminal"]);
    }
}

#[test]
fn an_empty_or_malformed_endpoint_is_refused_in_plain_words() {
    let home = Home::new();
    for (value, why) in [("", "empty"), ("notaurl", "http:// or https://")] {
        let flag = format!("--endpoint-url={value}");
        let output = run(home.stepdeck(&["--region", "eu-west-1", &flag]));
        assert_refused(&output, &["--endpoint-url", why]);
    }
    // An unset shell variable: `AWS_ENDPOINT_URL=$ENDPOINT stepdeck`.
    for (variable, value, why) in [
        ("AWS_ENDPOINT_URL", "", "empty"),
        (
            "AWS_ENDPOINT_URL_SFN",
            "localhost:5000",
            "http:// or https://",
        ),
    ] {
        let output = run(home
            .stepdeck(&["--region", "eu-west-1"])
            .env(variable, value));
        assert_refused(&output, &[variable, why]);
    }
}

#[test]
fn an_empty_or_garbage_region_is_refused_wherever_it_comes_from() {
    let home = Home::new().aws_config("[default]\nregion = moon base\n");
    for flag in ["--region=", "--region=garbage", "--region=EU-WEST-1"] {
        let output = run(home.stepdeck(&[flag]));
        assert_refused(&output, &["--region"]);
    }
    let output = run(home.stepdeck(&[]).env("AWS_REGION", "garbage"));
    assert_refused(&output, &["AWS_REGION", "`garbage`", "not shaped like"]);
    // The profile's own region, read by the SDK.
    let output = run(home.stepdeck(&[]));
    assert_refused(&output, &["`moon base`", "region"]);
}

#[test]
fn an_unknown_profile_is_named() {
    let home = Home::new().aws_config("[profile prod]\nregion = eu-west-1\n");
    let output = run(home.stepdeck(&["--profile", "doesnotexist"]));
    assert_refused(
        &output,
        &[
            "profile `doesnotexist` is not in",
            ".aws/config",
            ".aws/credentials",
        ],
    );
    let output = run(home.stepdeck(&[]).env("AWS_PROFILE", "nope"));
    assert_refused(&output, &["profile `nope` (from AWS_PROFILE) is not in"]);
}

#[test]
fn without_a_terminal_the_console_says_it_needs_one() {
    let home = Home::new().aws_config("[profile prod]\nregion = eu-west-1\n");
    let output = run(home.stepdeck(&SANDBOX));
    assert_refused(&output, &["needs a terminal", "stepdeck timeline"]);
    // A known profile and region pass their checks and stop at the same place.
    let output = run(home.stepdeck(&["--profile", "prod"]));
    assert_refused(&output, &["needs a terminal"]);
}
