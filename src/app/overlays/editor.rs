//! The inline input editor: a small multi-line text buffer with a cursor, used to edit a run's
//! JSON input when there is no `$EDITOR` and to review what `$EDITOR` returned; its keys. It
//! validates as you type; nothing is sent from here until the input parses.

use super::outcome::Outcome;
use crate::domain::test_case::{JsonProblem, RunDraft, compact, validate_input};
use crate::keymap::action::Action;

#[derive(Debug, Clone, PartialEq)]
pub struct InputEditor {
    /// What the edited input will run as (state machine, origin); its `input` is the text
    /// before editing.
    pub draft: RunDraft,
    pub lines: Vec<String>,
    /// Cursor line (index into `lines`).
    pub row: usize,
    /// Cursor position in characters within the line.
    pub col: usize,
    /// First line on screen (kept by the renderer's height through `scroll_to`).
    pub scroll: usize,
    /// Why the current text is not JSON; None when it parses.
    pub problem: Option<JsonProblem>,
    /// A remark shown above the text (e.g. why the inline editor is used).
    pub note: Option<String>,
}

impl InputEditor {
    pub fn new(draft: RunDraft, text: &str, note: Option<String>) -> InputEditor {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let mut editor = InputEditor {
            draft,
            lines,
            row: 0,
            col: 0,
            scroll: 0,
            problem: None,
            note,
        };
        editor.revalidate();
        editor
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Re-checks the text; returns whether it is valid JSON.
    pub fn revalidate(&mut self) -> bool {
        self.problem = validate_input(&self.text()).err();
        self.problem.is_none()
    }

    /// Puts the cursor on the problem's position, so the fix starts where the error is.
    pub fn jump_to_problem(&mut self) {
        if let Some(problem) = &self.problem {
            self.row = (problem.line - 1).min(self.lines.len() - 1);
            self.col = (problem.column - 1).min(self.line_len());
        }
    }

    fn line_len(&self) -> usize {
        self.lines[self.row].chars().count()
    }

    fn byte_at(&self, col: usize) -> usize {
        let line = &self.lines[self.row];
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.col);
        self.lines[self.row].insert(at, c);
        self.col += 1;
        self.revalidate();
    }

    /// A paste, inserted at the cursor in one step: the lines are spliced in once and the
    /// text is checked once, so a 300 KB paste costs what reading it costs (typing it
    /// character by character would re-check the whole text after each one). Line breaks
    /// (`\r\n`, `\r`) become lines, a tab four spaces; other control characters are dropped
    /// so none reaches the terminal when the text is drawn.
    pub fn insert_text(&mut self, pasted: &str) {
        let pasted = editable(pasted);
        let at = self.byte_at(self.col);
        let rest = self.lines[self.row].split_off(at);
        let mut pieces = pasted.split('\n');
        let first = pieces.next().unwrap_or_default();
        self.lines[self.row].push_str(first);
        let mut added: Vec<String> = pieces.map(str::to_string).collect();
        match added.last_mut() {
            Some(last) => {
                self.col = last.chars().count();
                last.push_str(&rest);
            }
            None => {
                self.col += first.chars().count();
                self.lines[self.row].push_str(&rest);
            }
        }
        let below = self.row + 1;
        self.row += added.len();
        self.lines.splice(below..below, added);
        self.revalidate();
    }

    pub fn newline(&mut self) {
        let at = self.byte_at(self.col);
        let rest = self.lines[self.row].split_off(at);
        // Keep the indentation of the line being split, as editors do.
        let indent: String = self.lines[self.row]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        self.col = indent.chars().count();
        self.lines.insert(self.row + 1, indent + &rest);
        self.row += 1;
        self.revalidate();
    }

    pub fn backspace(&mut self) {
        if self.col > 0 {
            self.col -= 1;
            let at = self.byte_at(self.col);
            self.lines[self.row].remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_len();
            self.lines[self.row].push_str(&line);
        } else {
            return;
        }
        self.revalidate();
    }

    pub fn delete_forward(&mut self) {
        if self.col < self.line_len() {
            let at = self.byte_at(self.col);
            self.lines[self.row].remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        } else {
            return;
        }
        self.revalidate();
    }

    pub fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line_len();
        }
    }

    pub fn right(&mut self) {
        if self.col < self.line_len() {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    /// Moves the cursor `delta` lines (clamped), keeping the column where the line allows.
    pub fn move_lines(&mut self, delta: isize) {
        self.row = self
            .row
            .saturating_add_signed(delta)
            .min(self.lines.len() - 1);
        self.col = self.col.min(self.line_len());
    }

    pub fn line_start(&mut self) {
        self.col = 0;
    }

    pub fn line_end(&mut self) {
        self.col = self.line_len();
    }
}

/// Pasted text as the editor keeps it: `\n` line breaks only, tabs as four spaces, no other
/// control characters.
fn editable(pasted: &str) -> String {
    let mut text = String::with_capacity(pasted.len());
    let mut chars = pasted.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                text.push('\n');
            }
            '\n' => text.push('\n'),
            '\t' => text.push_str("    "),
            c if c.is_control() => {}
            c => text.push(c),
        }
    }
    text
}

/// The editor's keys at `page` lines a page. Editing stays inside; Enter hands back the run
/// with the edited input (only once it parses: else the cursor goes to the problem),
/// `ctrl-s` the input to save as a test case, `ctrl-e` the draft to edit in `$EDITOR`.
pub fn on_action(editor: &mut InputEditor, action: Action, page: usize) -> Outcome {
    match action {
        Action::Newline => editor.newline(),
        Action::DeleteChar => editor.backspace(),
        Action::DeleteForward => editor.delete_forward(),
        Action::CursorLeft => editor.left(),
        Action::CursorRight => editor.right(),
        Action::Up => editor.move_lines(-1),
        Action::Down => editor.move_lines(1),
        Action::PageUp => editor.move_lines(-(page as isize)),
        Action::PageDown => editor.move_lines(page as isize),
        Action::Top => editor.move_lines(isize::MIN),
        Action::Bottom => editor.move_lines(isize::MAX),
        Action::LineStart => editor.line_start(),
        Action::LineEnd => editor.line_end(),
        Action::Cancel | Action::Back => return Outcome::Close,
        Action::Submit => {
            if !editor.revalidate() {
                editor.jump_to_problem();
                return Outcome::Stay; // the problem is on screen; nothing is sent
            }
            return Outcome::Run(edited_draft(editor));
        }
        Action::SaveTestCase => {
            if !editor.revalidate() {
                editor.jump_to_problem();
                return Outcome::Stay;
            }
            return Outcome::SaveInput(edited_draft(editor).input);
        }
        Action::OpenInEditor => {
            let mut draft = editor.draft.clone();
            draft.input = editor.text();
            return Outcome::EditExternally(draft);
        }
        _ => {}
    }
    Outcome::Stay
}

/// The editor's draft with the edited (valid) text, compacted for sending.
fn edited_draft(editor: &InputEditor) -> RunDraft {
    let text = editor.text();
    let input = validate_input(&text).map_or(text, |v| compact(&v));
    let changed = validate_input(&editor.draft.input).ok() != validate_input(&input).ok();
    RunDraft {
        input,
        note: if changed {
            Some("edited".into())
        } else {
            editor.draft.note.clone()
        },
        ..editor.draft.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_case::Origin;

    fn editor(text: &str) -> InputEditor {
        let draft = RunDraft {
            state_machine_arn: "arn:sm".into(),
            origin: Origin::TestCase("t".into()),
            input: text.into(),
            note: None,
        };
        InputEditor::new(draft, text, None)
    }

    #[test]
    fn typing_edits_at_the_cursor_and_validates() {
        let mut e = editor("{\n  \"userId\": \"user_a\"\n}");
        assert!(e.problem.is_none());
        e.move_lines(1);
        e.line_end();
        e.backspace(); // the closing quote
        assert_eq!(e.lines[1], "  \"userId\": \"user_a");
        let problem = e.problem.clone().expect("broken JSON is reported");
        assert_eq!(problem.line, 3, "{problem}");
        e.insert('"');
        assert!(e.problem.is_none());
        e.newline();
        assert_eq!(e.lines[2], "  ", "the indentation carries over");
        assert_eq!((e.row, e.col), (2, 2));
        e.backspace();
        e.backspace();
        e.backspace();
        assert_eq!(e.text(), "{\n  \"userId\": \"user_a\"\n}");
    }

    #[test]
    fn the_cursor_wraps_between_lines_and_jumps_to_a_problem() {
        let mut e = editor("ab\ncd");
        e.right();
        e.right();
        e.right();
        assert_eq!((e.row, e.col), (1, 0));
        e.left();
        assert_eq!((e.row, e.col), (0, 2));
        e.delete_forward();
        assert_eq!(e.lines, vec!["abcd"]);
        let mut broken = editor("{\n  \"a\": 1,\n}");
        broken.jump_to_problem();
        assert_eq!((broken.row, broken.col), (2, 0));
    }

    #[test]
    fn a_paste_is_spliced_in_at_the_cursor() {
        let mut e = editor("{\"a\": }");
        e.line_end();
        e.left();
        e.insert_text("[1,\r\n\t2]");
        assert_eq!(e.lines, vec!["{\"a\": [1,", "    2]}"]);
        assert_eq!((e.row, e.col), (1, 6), "the cursor ends after the paste");
        assert!(e.problem.is_none());
        e.move_lines(-1);
        e.line_start();
        e.insert_text("é\u{1b}[2J");
        assert_eq!(e.lines[0], "é[2J{\"a\": [1,", "ESC is dropped");
        assert_eq!((e.row, e.col), (0, 4));
    }

    #[test]
    fn multibyte_characters_are_edited_whole() {
        let mut e = editor("\"é\"");
        e.line_end();
        e.left();
        e.backspace();
        assert_eq!(e.text(), "\"\"");
    }
}
