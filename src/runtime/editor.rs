//! `$EDITOR` for a run's input: writes the text to a temporary file, hands the terminal to
//! `$VISUAL`/`$EDITOR` (leaving raw mode and the alternate screen like Ctrl-Z does), and
//! reads the file back when the editor exits.

use super::terminal::TerminalGuard;
use crate::app::msg::ExternalEdit;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// The editor command line from `$VISUAL`, else `$EDITOR` (either may carry arguments, e.g.
/// `code --wait`); None when neither is set to something.
pub fn editor_command(visual: Option<&str>, editor: Option<&str>) -> Option<Vec<String>> {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(|line| {
            line.split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find(|words| !words.is_empty())
}

/// A temporary file name unique to this process and call.
fn temporary_path() -> PathBuf {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("stepdeck-input-{}-{n}.json", std::process::id()))
}

/// Runs `command` (program and arguments, the file appended) on a temporary file holding
/// `text` and returns the file's content afterwards. No terminal handling: the caller gives
/// the editor the terminal.
pub fn edit_file_with(command: &[String], text: &str) -> ExternalEdit {
    let Some((program, args)) = command.split_first() else {
        return ExternalEdit::NoEditor;
    };
    let path = temporary_path();
    let outcome = run_on_file(program, args, &path, text);
    let _ = std::fs::remove_file(&path);
    outcome
}

fn run_on_file(program: &str, args: &[String], path: &Path, text: &str) -> ExternalEdit {
    if let Err(e) = std::fs::write(path, format!("{text}\n")) {
        return ExternalEdit::Failed(format!("writing {}: {e}", path.display()));
    }
    match Command::new(program).args(args).arg(path).status() {
        Ok(status) if status.success() => match std::fs::read_to_string(path) {
            Ok(edited) => ExternalEdit::Edited(edited),
            Err(e) => ExternalEdit::Failed(format!("reading {}: {e}", path.display())),
        },
        Ok(status) => ExternalEdit::Failed(format!("{program} exited with {status}")),
        Err(e) => ExternalEdit::Failed(format!("cannot run {program}: {e}")),
    }
}

/// Edits `text` in the user's editor with the console's terminal modes left meanwhile.
pub fn edit_in_terminal(guard: &mut TerminalGuard, text: &str) -> ExternalEdit {
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    let Some(command) = editor_command(visual.as_deref(), editor.as_deref()) else {
        return ExternalEdit::NoEditor;
    };
    match guard.outside(|| edit_file_with(&command, text)) {
        Ok(outcome) => outcome,
        Err(e) => ExternalEdit::Failed(format!("terminal: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Option<Vec<String>> {
        Some(list.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn visual_wins_over_editor_and_blank_ones_are_skipped() {
        assert_eq!(
            editor_command(Some("code --wait"), Some("vi")),
            words(&["code", "--wait"])
        );
        assert_eq!(editor_command(Some("  "), Some("vi")), words(&["vi"]));
        assert_eq!(editor_command(None, None), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_edited_file_comes_back() {
        // A scripted "editor": replaces user_a with user_b in the file it is given.
        let script = words(&[
            "sh",
            "-c",
            "sed -i.bak 's/user_a/user_b/' \"$0\" && rm -f \"$0.bak\"",
        ])
        .unwrap();
        let outcome = edit_file_with(&script, r#"{"userId": "user_a"}"#);
        assert_eq!(
            outcome,
            ExternalEdit::Edited("{\"userId\": \"user_b\"}\n".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_editor_is_reported() {
        let outcome = edit_file_with(&words(&["false"]).unwrap(), "{}");
        assert!(
            matches!(outcome, ExternalEdit::Failed(ref m) if m.contains("exited")),
            "{outcome:?}"
        );
        let missing = edit_file_with(&words(&["/nonexistent/editor"]).unwrap(), "{}");
        assert!(
            matches!(missing, ExternalEdit::Failed(ref m) if m.contains("cannot run")),
            "{missing:?}"
        );
    }
}
