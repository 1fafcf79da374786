//! Edits of the settings file that keep the user's comments and layout: `remember_choice`
//! (a choice per profile and region, through toml_edit) and `append_test_case` (a
//! `[[test_cases]]` table appended as text). Each edit is parsed back and refused unless it
//! reads as intended, and written through a temporary file.

use super::model::{RememberedChoice, Settings};
use crate::backend::AwsTarget;
use crate::domain::test_case::TestCase;
use std::path::Path;

/// A TOML string for `value`: a literal `'…'` when that needs no escaping (JSON reads best
/// that way), else a basic string with escapes.
fn toml_string(value: &str) -> String {
    if value.contains('\'') || value.chars().any(char::is_control) {
        toml::Value::String(value.to_string()).to_string()
    } else {
        format!("'{value}'")
    }
}

/// The settings text with `case` appended as a `[[test_cases]]` table. Everything already in
/// the file (comments, order, formatting) stays byte for byte; the result is parsed back and
/// refused unless it reads as before plus the new case.
pub fn settings_with_test_case(existing: &str, case: &TestCase) -> Result<String, String> {
    let before = toml::from_str::<Settings>(existing).map_err(|e| {
        format!(
            "the settings file does not parse ({}), so it was left alone",
            e.message().trim()
        )
    })?;
    let mut text = existing.to_string();
    if !text.is_empty() {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
    }
    text.push_str("[[test_cases]]\n");
    text.push_str(&format!("name = {}\n", toml_string(&case.name)));
    text.push_str(&format!("input = {}\n", toml_string(&case.input)));
    if let Some(machine) = &case.state_machine {
        text.push_str(&format!("state_machine = {}\n", toml_string(machine)));
    }
    let after = toml::from_str::<Settings>(&text).map_err(|e| {
        format!(
            "appending the test case would break the settings file ({})",
            e.message().trim()
        )
    })?;
    let added = after.user_test_cases();
    let kept = Settings {
        test_cases: Vec::new(),
        ..after.clone()
    } == Settings {
        test_cases: Vec::new(),
        ..before.clone()
    };
    if !kept || added.len() != before.test_cases.len() + 1 || added.last() != Some(case) {
        return Err("appending the test case would change other settings; not saved".into());
    }
    Ok(text)
}

/// Appends `case` to the settings file at `path` (created with its directory if missing),
/// writing a temporary file first and renaming it over the old one.
pub fn append_test_case(path: &Path, case: &TestCase) -> Result<(), String> {
    let existing = read_existing(path)?;
    let text =
        settings_with_test_case(&existing, case).map_err(|e| format!("{}: {e}", path.display()))?;
    write_settings(path, &text)
}

/// Records `value` as the `choice` for `target` in the settings file at `path` (created if
/// missing), in the `[[aws]]` table naming exactly that profile and region.
pub fn remember_choice(
    path: &Path,
    target: &AwsTarget,
    choice: RememberedChoice,
    value: &str,
) -> Result<(), String> {
    let existing = read_existing(path)?;
    let text = settings_remembering(&existing, target, choice, value)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    write_settings(path, &text)
}

/// The settings text with `choice = value` in the `[[aws]]` table of `target` (added at the
/// end when there is none). Comments and layout elsewhere are kept; the result is parsed back
/// and refused unless the choice now applies on `target`.
pub fn settings_remembering(
    existing: &str,
    target: &AwsTarget,
    choice: RememberedChoice,
    value: &str,
) -> Result<String, String> {
    toml::from_str::<Settings>(existing).map_err(|e| {
        format!(
            "the settings file does not parse ({}), so it was left alone",
            e.message().trim()
        )
    })?;
    let mut document = existing
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| format!("the settings file does not parse ({e})"))?;
    let tables = document
        .entry("aws")
        .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or("`aws` is not a list of [[aws]] tables; not saved")?;
    let names = |table: &toml_edit::Table, key: &str, wanted: &str| {
        table.get(key).and_then(|v| v.as_str()) == Some(wanted)
    };
    let existing_table = tables
        .iter_mut()
        .filter(|t| names(t, "profile", &target.profile) && names(t, "region", &target.region))
        .last();
    match existing_table {
        Some(table) => {
            table[choice.key()] = toml_edit::value(value);
        }
        None => {
            let mut table = toml_edit::Table::new();
            table["profile"] = toml_edit::value(target.profile.as_str());
            table["region"] = toml_edit::value(target.region.as_str());
            table[choice.key()] = toml_edit::value(value);
            tables.push(table);
        }
    }
    let text = document.to_string();
    let after = toml::from_str::<Settings>(&text)
        .map_err(|e| {
            format!(
                "saving would break the settings file ({})",
                e.message().trim()
            )
        })?
        .for_target(target);
    let saved = match choice {
        RememberedChoice::StateMachine => after.state_machine,
        RememberedChoice::Collection => after.collection,
        RememberedChoice::ThumbnailBucket => after.thumbnail_bucket,
    };
    if saved.as_deref() != Some(value) {
        return Err(format!(
            "a later [[aws]] table overrides `{}`; not saved",
            choice.key()
        ));
    }
    Ok(text)
}

/// The file's text, empty when it does not exist yet.
fn read_existing(path: &Path) -> Result<String, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(error) => Err(format!("{}: {error}", path.display())),
    }
}

/// Writes the settings file (and its directory) through a temporary file renamed over the old
/// one, so an interrupted write never leaves half a file.
fn write_settings(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let temporary = path.with_extension("toml.saving");
    std::fs::write(&temporary, text).map_err(|e| format!("{}: {e}", temporary.display()))?;
    std::fs::rename(&temporary, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{load_settings, parse_settings};

    fn target(profile: &str, region: &str) -> AwsTarget {
        AwsTarget {
            profile: profile.into(),
            region: region.into(),
        }
    }

    #[test]
    fn a_saved_test_case_is_appended_and_everything_else_kept() {
        let existing = "# my settings\nstate_machine = \"RiderPhotoProcessing\"  # the main one\n\n[sandbox]\ntrickle_seconds = 0";
        let case = TestCase::new(
            "1_happy_face user_b",
            r#"{"userId":"user_b","s3Key":"1_happy_face.jpg"}"#,
        );
        let text = settings_with_test_case(existing, &case).unwrap();
        assert!(text.starts_with(existing), "the file is kept byte for byte");
        assert_eq!(
            &text[existing.len()..],
            "\n\n[[test_cases]]\nname = '1_happy_face user_b'\ninput = '{\"userId\":\"user_b\",\"s3Key\":\"1_happy_face.jpg\"}'\n"
        );
        let (settings, problems) = parse_settings(Path::new("c.toml"), &text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.user_test_cases(), vec![case.clone()]);
        assert_eq!(settings.sandbox.trickle_seconds, Some(0.0));

        let quoted = TestCase::new("it's", "{\"note\":\"it's\"}");
        let text = settings_with_test_case("", &quoted).unwrap();
        assert_eq!(
            parse_settings(Path::new("c.toml"), &text)
                .0
                .user_test_cases(),
            vec![quoted]
        );
    }

    #[test]
    fn a_file_that_cannot_take_the_case_is_left_alone() {
        let case = TestCase::new("x", "{}");
        assert!(settings_with_test_case("refresh_seconds = \n", &case).is_err());
        // An inline array of test cases cannot be followed by a `[[test_cases]]` table.
        let inline = "test_cases = [{ name = \"a\", input = '{}' }]\n";
        assert!(parse_settings(Path::new("c.toml"), inline).1.is_empty());
        assert!(settings_with_test_case(inline, &case).is_err());
    }

    #[test]
    fn appending_writes_the_file_and_creates_it_when_missing() {
        let dir = std::env::temp_dir().join(format!("stepdeck-config-test-{}", std::process::id()));
        let path = dir.join("nested").join("config.toml");
        let _ = std::fs::remove_dir_all(&dir);
        let case = TestCase::new("a", "{\"userId\":\"u\"}");
        append_test_case(&path, &case).unwrap();
        append_test_case(&path, &TestCase::new("b", "[]")).unwrap();
        let (settings, problems) = load_settings(&path, false);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<String> = settings
            .user_test_cases()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn remembering_a_choice_updates_its_table_and_keeps_the_rest() {
        let text = "# my settings\nrefresh_seconds = 3 # fast\n\n[[aws]]\nprofile = \"prod\"\nregion = \"eu-west-1\"\nstate_machine = \"Old\"\n";
        let prod = target("prod", "eu-west-1");
        let updated =
            settings_remembering(text, &prod, RememberedChoice::StateMachine, "New").unwrap();
        assert!(
            updated.starts_with("# my settings\nrefresh_seconds = 3 # fast\n"),
            "{updated}"
        );
        assert_eq!(updated.matches("[[aws]]").count(), 1, "{updated}");
        let (settings, problems) = parse_settings(Path::new("c.toml"), &updated);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings.for_target(&prod).state_machine.as_deref(),
            Some("New")
        );

        // Another region gets a table of its own; prod in Ireland keeps its choice.
        let virginia = target("prod", "us-east-1");
        let more = settings_remembering(
            &updated,
            &virginia,
            RememberedChoice::ThumbnailBucket,
            "thumbs-use1",
        )
        .unwrap();
        let (settings, _) = parse_settings(Path::new("c.toml"), &more);
        assert_eq!(settings.aws.len(), 2);
        assert_eq!(
            settings.for_target(&virginia).thumbnail_bucket.as_deref(),
            Some("thumbs-use1")
        );
        assert_eq!(settings.for_target(&prod).thumbnail_bucket, None);
        assert_eq!(
            settings.for_target(&prod).state_machine.as_deref(),
            Some("New")
        );
    }

    #[test]
    fn remembering_refuses_a_file_it_cannot_edit_safely() {
        let prod = target("prod", "eu-west-1");
        let choice = RememberedChoice::Collection;
        assert!(settings_remembering("refresh_seconds = [", &prod, choice, "c").is_err());
        assert!(settings_remembering("aws = 3\n", &prod, choice, "c").is_err());
    }

    #[test]
    fn remembering_writes_the_file_and_creates_it_when_missing() {
        let dir = std::env::temp_dir().join(format!("stepdeck-remember-{}", std::process::id()));
        let path = dir.join("config.toml");
        let _ = std::fs::remove_dir_all(&dir);
        let prod = target("prod", "eu-west-1");
        remember_choice(&path, &prod, RememberedChoice::Collection, "faces").unwrap();
        let (settings, problems) = load_settings(&path, false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.for_target(&prod).collection(), "faces");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
