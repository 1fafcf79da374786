//! `stepdeck test` as a process on the sandbox: exit codes 0 / 1 / 2, the summary on stdout
//! and progress on stderr, the JUnit file read back by a JUnit parser, the journal written,
//! the verdicts kept in the store across runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("stepdeck-suites-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// A settings file whose journal and store are in the scratch folder.
    fn config(&self) -> PathBuf {
        let journal = self.path("journal.jsonl");
        let store = self.path("store.sqlite3");
        self.file(
            "config.toml",
            &format!(
                "journal_path = {:?}\nstore_path = {:?}\n",
                journal.display().to_string(),
                store.display().to_string()
            ),
        )
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stepdeck(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepdeck"))
        .arg("test")
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn junit(path: &Path) -> quick_junit::Report {
    let xml = std::fs::read_to_string(path).unwrap();
    quick_junit::Report::deserialize_from_str(&xml).unwrap()
}

#[test]
fn the_built_in_suites_pass_on_the_sandbox_with_exit_0_and_a_junit_file() {
    let scratch = Scratch::new("pass");
    let report = scratch.path("junit.xml");
    let out = stepdeck(
        &scratch.config(),
        &["--local", "--junit", report.to_str().unwrap()],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.ends_with("2 suites, 11 steps: 11 passed, 0 failed, 0 errors\n"),
        "{stdout}"
    );
    assert!(stdout.starts_with("SUITE"), "{stdout}");
    // Progress goes to stderr, one line per step and suite.
    assert!(stderr.contains("suite duplicates\n"), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("  ✓ ")).count(), 11);
    let parsed = junit(&report);
    assert_eq!((parsed.tests, parsed.failures, parsed.errors), (11, 0, 0));
    let names: Vec<&str> = parsed.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["photos", "duplicates"]);
    // The duplicates suite cleared one face twice: intent and outcome for each.
    let journal = std::fs::read_to_string(scratch.path("journal.jsonl")).unwrap();
    assert_eq!(journal.lines().count(), 4, "{journal}");
}

#[test]
fn a_failed_verdict_exits_1_with_the_difference_in_json_and_junit() {
    let scratch = Scratch::new("fail");
    let suites = scratch.file(
        "suites.toml",
        "[[suites]]\nname = \"wrong\"\n\n[[suites.steps]]\nrun = \"2_sunglass_face\"\n\
         expect = \"accepted\"\n",
    );
    let report = scratch.path("junit.xml");
    let out = stepdeck(
        &scratch.config(),
        &[
            "--local",
            "--suites",
            suites.to_str().unwrap(),
            "--suite",
            "wrong",
            "--format",
            "json",
            "--junit",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["passed"], false);
    let step = &summary["suites"][0]["steps"][0];
    assert_eq!(step["verdict"], "failed");
    assert_eq!(
        step["difference"],
        "expected \"accepted\", got \"rejected: Face is wearing sunglasses\""
    );
    let parsed = junit(&report);
    assert_eq!((parsed.tests, parsed.failures, parsed.errors), (1, 1, 0));
}

#[test]
fn usage_problems_exit_2_and_say_why() {
    let scratch = Scratch::new("usage");
    let config = scratch.config();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--local", "--suite", "nope"],
            "no suite named nope (known: photos, duplicates)",
        ),
        (
            &["--local", "--read-only"],
            "suite runs start executions and delete faces",
        ),
        (
            &["--local", "--suites", "/nonexistent/suites.toml"],
            "/nonexistent/suites.toml",
        ),
    ];
    for (args, says) in cases {
        let out = stepdeck(&config, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A suites file with a problem names its file and line.
    let suites = scratch.file(
        "bad.toml",
        "[[suites]]\nname = \"x\"\n[[suites.steps]]\nrun = \"1_happy_face\"\nexpect = \"fine\"\n",
    );
    let out = stepdeck(&config, &["--local", "--suites", suites.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:3: suite `x`: expect = \"fine\"",
            suites.display()
        )),
        "{stderr}"
    );
    // An unknown test case is a problem with the suite, not a failed verdict.
    let suites = scratch.file(
        "unknown.toml",
        "[[suites]]\nname = \"x\"\n[[suites.steps]]\nrun = \"nothing\"\nexpect = \"accepted\"\n",
    );
    let out = stepdeck(
        &config,
        &[
            "--local",
            "--suites",
            suites.to_str().unwrap(),
            "--suite",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("error: no test case named nothing"));
}

#[test]
fn two_runs_with_one_store_keep_both_verdicts_of_each_step() {
    let scratch = Scratch::new("history");
    let suites = scratch.file(
        "suites.toml",
        "[[suites]]\nname = \"wrong\"\n\n[[suites.steps]]\nrun = \"2_sunglass_face\"\n\
         expect = \"accepted\"\n\n[[suites.steps]]\nrun = \"2_sunglass_face\"\n\
         expect = \"rejected\"\n",
    );
    let config = scratch.config();
    let args = [
        "--local",
        "--suites",
        suites.to_str().unwrap(),
        "--suite",
        "wrong",
    ];
    for _ in 0..2 {
        let out = stepdeck(&config, &args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    }
    // Read back as the console reads it: the store, under the sandbox's scope and region.
    let (store, _) =
        stepdeck::store::Store::open(&scratch.path("store.sqlite3"), 1 << 26, 0).unwrap();
    let kept = store
        .verdicts(
            stepdeck::store::remembering::SANDBOX_SCOPE,
            stepdeck::backend::local::REGION,
            "wrong",
        )
        .unwrap();
    let summary: Vec<(usize, bool)> = kept.iter().map(|v| (v.step, v.passed)).collect();
    assert_eq!(summary, [(0, false), (0, false), (1, true), (1, true)]);
    assert!(
        kept[0].detail.contains("expected \"accepted\""),
        "{:?}",
        kept[0]
    );
    assert!(kept.iter().all(|v| v.execution_arn.is_some()), "{kept:?}");
    assert!(kept[0].finished_at <= kept[1].finished_at);
    // Nothing of AWS's scope was written by the sandbox.
    assert!(
        store
            .verdicts("", stepdeck::backend::local::REGION, "wrong")
            .unwrap()
            .is_empty()
    );
}
