//! Reading suites from TOML: a suites file a team keeps beside its pipeline (`--suites FILE`),
//! or the `[[suites]]` tables of the settings file. Every problem names the file and line;
//! a suite with a problem is left out, the others are kept.
//!
//! ```toml
//! [[suites]]
//! name = "duplicates"
//! independent = false          # true: the runs between two set-up steps may go at once
//!
//! [[suites.steps]]
//! clear_faces = "1_happy_face.jpg"     # bucket = "…" (default: the photo bucket)
//!
//! [[suites.steps]]
//! run = "1_happy_face"                 # a test case, or give `input = '{…}'` here
//! as_user = "user_b"
//! expect = "rejected"                  # accepted | rejected | failed | timed_out
//! reason = "already in the system"     # text, or /regex/; `error = …` for failed
//! within_seconds = 60
//! entered = ["CheckFaceDuplicate"]
//! not_entered = ["ParallelProcessing"]
//! output = [{ path = "$.errorInfo.Error", equals = "FaceAlreadyExistsError" }]
//!
//! [[suites.steps]]
//! delete_thumbnail = "resized-1_happy_face.jpg"
//!
//! [[suites.steps]]
//! wait_seconds = 5
//! ```

use super::{Expectation, Expected, OutputAssertion, OutputCheck, Pattern, RunStep, Step, Suite};
use crate::domain::Millis;
use crate::domain::lines::LineIndex;
use crate::domain::test_case::validate_input;
use serde::Deserialize;
use toml::Spanned;

/// Where the text comes from: a suites file holds only `[[suites]]`; a settings file holds
/// other keys too, which its own reader checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    SuitesFile,
    SettingsFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuitesFile {
    #[serde(default)]
    suites: Vec<Spanned<SuiteSpec>>,
}

#[derive(Deserialize)]
struct SettingsFile {
    #[serde(default)]
    suites: Vec<Spanned<SuiteSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteSpec {
    name: String,
    description: Option<String>,
    #[serde(default)]
    independent: bool,
    #[serde(default)]
    steps: Vec<Spanned<StepSpec>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    run: Option<String>,
    as_user: Option<String>,
    input: Option<String>,
    state_machine: Option<String>,
    expect: Option<String>,
    reason: Option<String>,
    error: Option<String>,
    within_seconds: Option<f64>,
    #[serde(default)]
    entered: Vec<String>,
    #[serde(default)]
    not_entered: Vec<String>,
    #[serde(default)]
    output: Vec<OutputSpec>,
    clear_faces: Option<String>,
    delete_thumbnail: Option<String>,
    bucket: Option<String>,
    wait_seconds: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputSpec {
    path: String,
    exists: Option<bool>,
    equals: Option<toml::Value>,
    matches: Option<String>,
}

/// The longest wait or time limit a step may name: a day.
const MAX_SECONDS: f64 = 86_400.0;

/// Reads the suites of `text` (`shown`: the file's name for problems). Returns the suites
/// without a problem and one `file:line: …` text per problem.
pub fn parse_suites(shown: &str, text: &str, source: Source) -> (Vec<Suite>, Vec<String>) {
    let lines = LineIndex::new(text);
    let at = |offset: usize| format!("{shown}:{}", lines.line_of(offset));
    let specs = match source {
        Source::SuitesFile => toml::from_str::<SuitesFile>(text).map(|f| f.suites),
        Source::SettingsFile => toml::from_str::<SettingsFile>(text).map(|f| f.suites),
    };
    let specs = match specs {
        Ok(specs) => specs,
        Err(error) => {
            let offset = error.span().map_or(0, |span| span.start);
            let message = error.message().trim().to_string();
            return (Vec::new(), vec![format!("{}: {message}", at(offset))]);
        }
    };
    let mut suites: Vec<Suite> = Vec::new();
    let mut problems = Vec::new();
    for spec in specs {
        let suite_at = spec.span().start;
        let spec = spec.into_inner();
        if suites.iter().any(|s| s.name == spec.name) {
            problems.push(format!(
                "{}: suite `{}` is defined twice (the first one is kept)",
                at(suite_at),
                spec.name
            ));
            continue;
        }
        if spec.steps.is_empty() {
            problems.push(format!(
                "{}: suite `{}` has no steps ([[suites.steps]]); left out",
                at(suite_at),
                spec.name
            ));
            continue;
        }
        let mut steps = Vec::new();
        let mut broken = false;
        for step in spec.steps {
            let step_at = step.span().start;
            match read_step(step.into_inner()) {
                Ok(step) => steps.push(step),
                Err(problem) => {
                    broken = true;
                    problems.push(format!(
                        "{}: suite `{}`: {problem}; the suite is left out",
                        at(step_at),
                        spec.name
                    ));
                }
            }
        }
        if !broken {
            suites.push(Suite {
                name: spec.name,
                description: spec.description,
                independent: spec.independent,
                steps,
            });
        }
    }
    (suites, problems)
}

fn read_step(spec: StepSpec) -> Result<Step, String> {
    let actions = [
        spec.run.is_some(),
        spec.clear_faces.is_some(),
        spec.delete_thumbnail.is_some(),
        spec.wait_seconds.is_some(),
    ];
    match actions.iter().filter(|a| **a).count() {
        1 => {}
        0 => {
            return Err(
                "a step needs one of `run`, `clear_faces`, `delete_thumbnail`, `wait_seconds`"
                    .into(),
            );
        }
        _ => {
            return Err(
                "a step does one thing: `run`, `clear_faces`, `delete_thumbnail` or \
                 `wait_seconds`, not several"
                    .into(),
            );
        }
    }
    let run_only = spec.as_user.is_some()
        || spec.input.is_some()
        || spec.state_machine.is_some()
        || spec.expect.is_some()
        || spec.reason.is_some()
        || spec.error.is_some()
        || spec.within_seconds.is_some()
        || !spec.entered.is_empty()
        || !spec.not_entered.is_empty()
        || !spec.output.is_empty();
    if spec.run.is_none() && run_only {
        return Err("expectations (`expect`, `reason`, `output`, …) belong to a `run` step".into());
    }
    if spec.bucket.is_some() && spec.clear_faces.is_none() && spec.delete_thumbnail.is_none() {
        return Err("`bucket` belongs to a `clear_faces` or `delete_thumbnail` step".into());
    }
    if let Some(key) = spec.clear_faces {
        return Ok(Step::ClearFaces {
            bucket: spec.bucket,
            key,
        });
    }
    if let Some(key) = spec.delete_thumbnail {
        return Ok(Step::DeleteThumbnail {
            bucket: spec.bucket,
            key,
        });
    }
    if let Some(seconds) = spec.wait_seconds {
        return Ok(Step::Wait {
            ms: milliseconds("wait_seconds", seconds)?,
        });
    }
    let case = spec.run.unwrap_or_default();
    if let Some(input) = &spec.input
        && let Err(problem) = validate_input(input)
    {
        return Err(format!("`input` is not valid JSON ({problem})"));
    }
    let expect = read_expectation(&spec.expect, &spec.reason, &spec.error)?;
    let mut expect = Expectation::outcome(expect);
    expect.within_ms = spec
        .within_seconds
        .map(|s| milliseconds("within_seconds", s))
        .transpose()?;
    expect.entered = spec.entered;
    expect.not_entered = spec.not_entered;
    for output in spec.output {
        expect.output.push(read_output(output)?);
    }
    Ok(Step::Run(RunStep {
        case,
        input: spec.input,
        state_machine: spec.state_machine,
        as_user: spec.as_user,
        expect,
    }))
}

fn read_expectation(
    expect: &Option<String>,
    reason: &Option<String>,
    error: &Option<String>,
) -> Result<Expected, String> {
    let pattern = |text: &Option<String>| text.as_deref().map(Pattern::parse).transpose();
    let Some(expect) = expect else {
        return Err("a `run` step needs `expect` (accepted, rejected, failed or timed_out)".into());
    };
    let expected = match expect.as_str() {
        "accepted" => Expected::Accepted,
        "rejected" => Expected::Rejected(pattern(reason)?),
        "failed" => Expected::Failed(pattern(error)?),
        "timed_out" => Expected::TimedOut,
        other => {
            return Err(format!(
                "expect = \"{}\": one of accepted, rejected, failed, timed_out",
                crate::domain::text::escape_control(other)
            ));
        }
    };
    if reason.is_some() && !matches!(expected, Expected::Rejected(_)) {
        return Err("`reason` goes with expect = \"rejected\"".into());
    }
    if error.is_some() && !matches!(expected, Expected::Failed(_)) {
        return Err("`error` goes with expect = \"failed\"".into());
    }
    Ok(expected)
}

fn read_output(spec: OutputSpec) -> Result<OutputAssertion, String> {
    let check = match (spec.exists, spec.equals, spec.matches) {
        (Some(true), None, None) => OutputCheck::Exists,
        (None, Some(value), None) => {
            OutputCheck::Equals(serde_json::to_value(&value).map_err(|e| format!("`equals`: {e}"))?)
        }
        (None, None, Some(pattern)) => OutputCheck::Matches(Pattern::parse(&pattern)?),
        _ => {
            return Err(format!(
                "output assertion on {}: give one of `exists = true`, `equals = …`, \
                 `matches = \"…\"`",
                spec.path
            ));
        }
    };
    OutputAssertion::new(&spec.path, check)
}

fn milliseconds(key: &str, seconds: f64) -> Result<Millis, String> {
    if seconds.is_finite() && (0.0..=MAX_SECONDS).contains(&seconds) {
        Ok((seconds * 1000.0).round() as Millis)
    } else {
        Err(format!(
            "`{key}` = {seconds}: seconds from 0 to {MAX_SECONDS}"
        ))
    }
}
