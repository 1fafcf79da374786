//! Key bindings: `keymap.toml` (compiled in) overridden per context by the user's file;
//! resolves (context, key sequence) to an `Action` and reports problems with file and line.

pub mod action;

use action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use toml::Spanned;

/// The repository's `keymap.toml`, the defaults.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymap.toml");
const DEFAULT_KEYMAP_NAME: &str = "keymap.toml (built in)";

/// Where a key press is interpreted: a view, an overlay or a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Executions,
    Picker,
    Timeline,
    Events,
    Io,
    Faces,
    Thumbnails,
    Confirm,
    Input,
    Help,
    Palette,
    TestCases,
    Editor,
}

impl Context {
    pub const ALL: [Context; 14] = [
        Context::Global,
        Context::Executions,
        Context::Picker,
        Context::Timeline,
        Context::Events,
        Context::Io,
        Context::Faces,
        Context::Thumbnails,
        Context::Confirm,
        Context::Input,
        Context::Help,
        Context::Palette,
        Context::TestCases,
        Context::Editor,
    ];

    /// The section name in `keymap.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Executions => "executions",
            Context::Picker => "picker",
            Context::Timeline => "timeline",
            Context::Events => "events",
            Context::Io => "io",
            Context::Faces => "faces",
            Context::Thumbnails => "thumbnails",
            Context::Confirm => "confirm",
            Context::Input => "input",
            Context::Help => "help",
            Context::Palette => "palette",
            Context::TestCases => "test_cases",
            Context::Editor => "editor",
        }
    }

    /// Dialogs and text inputs: plain global keys (`q`, `j`, `:`) must not fire there, only
    /// global keys with ctrl/alt (`ctrl-c`, `ctrl-z`) do.
    pub fn is_modal(self) -> bool {
        matches!(
            self,
            Context::Picker
                | Context::Confirm
                | Context::Input
                | Context::Help
                | Context::Palette
                | Context::TestCases
                | Context::Editor
        )
    }
}

impl FromStr for Context {
    type Err = String;

    fn from_str(name: &str) -> Result<Context, String> {
        Context::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| format!("unknown context `[{name}]`"))
    }
}

/// One key press, normalised: shift is folded into the character (`J`), ctrl/alt kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// A printable character typed without ctrl/alt (text inputs insert these).
    pub fn typed_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }
}

impl From<KeyEvent> for Key {
    fn from(event: KeyEvent) -> Key {
        let shift = event.modifiers.contains(KeyModifiers::SHIFT);
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let code = match event.code {
            // Some terminals report shift-Tab as Tab + SHIFT rather than BackTab.
            KeyCode::Tab if shift => KeyCode::BackTab,
            // With ctrl, terminals may report the upper-case letter; bindings use lower case.
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            other => other,
        };
        Key {
            code,
            ctrl,
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl FromStr for Key {
    type Err = String;

    fn from_str(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 5 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.len() > 4 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "space" => KeyCode::Char(' '),
                name => match name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key `{text}`")),
                },
            },
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("BackTab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Formats a key sequence as written in the file: `g g`.
pub fn format_keys(keys: &[Key]) -> String {
    keys.iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
}

/// What a key press means in a context, given the keys already pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Action(Action),
    /// The keys so far start a sequence (`g` of `g g`): wait for the next key.
    Pending,
    Unbound,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    /// Each context's own bindings, in file order (the hint bar shows the first ones).
    own: HashMap<Context, Vec<Binding>>,
    /// Own bindings plus the global ones the context does not shadow, for resolution.
    effective: HashMap<Context, Vec<Binding>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::defaults()
    }
}

impl Keymap {
    /// The defaults compiled in from the repository's `keymap.toml`.
    pub fn defaults() -> Keymap {
        Keymap::load(None).0
    }

    /// Loads the defaults, then the user's file `(path, contents)` over them. Every problem
    /// (in either file) comes back as `file:line: message`; bad entries are skipped.
    pub fn load(user: Option<(&Path, &str)>) -> (Keymap, Vec<String>) {
        let mut problems = Vec::new();
        let mut own = parse_file(DEFAULT_KEYMAP_NAME, DEFAULT_KEYMAP, &mut problems)
            .into_iter()
            .map(|(context, entries)| {
                let bindings = entries
                    .into_iter()
                    .filter(|e| e.binding.action != Action::Noop)
                    .map(|e| e.binding)
                    .collect();
                (context, bindings)
            })
            .collect::<HashMap<Context, Vec<Binding>>>();
        if let Some((path, text)) = user {
            let file = path.display().to_string();
            for (context, entries) in parse_file(&file, text, &mut problems) {
                let bindings = own.entry(context).or_default();
                for entry in entries {
                    apply_override(bindings, entry, &file, context, &mut problems);
                }
            }
        }
        let effective = Context::ALL
            .into_iter()
            .map(|context| (context, effective_bindings(&own, context)))
            .collect();
        (Keymap { own, effective }, problems)
    }

    /// Resolves `key` after the `pending` keys of a sequence in `context`.
    pub fn resolve(&self, context: Context, pending: &[Key], key: Key) -> Resolution {
        let mut sequence = pending.to_vec();
        sequence.push(key);
        let bindings = self.effective(context);
        if let Some(b) = bindings.iter().find(|b| b.keys == sequence) {
            return Resolution::Action(b.action);
        }
        if bindings
            .iter()
            .any(|b| b.keys.len() > sequence.len() && b.keys.starts_with(&sequence))
        {
            return Resolution::Pending;
        }
        Resolution::Unbound
    }

    /// The context's own bindings, in file order.
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.own.get(&context).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Bindings that apply in the context (its own, then the unshadowed global ones).
    pub fn effective(&self, context: Context) -> &[Binding] {
        self.effective
            .get(&context)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key bound to `action` in the context (own first, then global), for hints.
    pub fn key_for(&self, context: Context, action: Action) -> Option<&[Key]> {
        self.effective(context)
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.keys.as_slice())
    }
}

/// Two sequences clash when one is the other or begins it: `g` vs `g g` could never both fire.
fn clashes(a: &[Key], b: &[Key]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fn effective_bindings(own: &HashMap<Context, Vec<Binding>>, context: Context) -> Vec<Binding> {
    let mine = own.get(&context).cloned().unwrap_or_default();
    if context == Context::Global {
        return mine;
    }
    let globals = own.get(&Context::Global).into_iter().flatten();
    let inherited = globals
        .filter(|g| !context.is_modal() || g.keys.first().is_some_and(|k| k.ctrl || k.alt))
        .filter(|g| !mine.iter().any(|m| clashes(&m.keys, &g.keys)))
        .cloned()
        .collect::<Vec<_>>();
    mine.into_iter().chain(inherited).collect()
}

/// A user entry replaces the default with the same keys, `noop` removes it; an entry whose
/// keys would start (or be started by) another binding is refused and reported.
fn apply_override(
    bindings: &mut Vec<Binding>,
    entry: Entry,
    file: &str,
    context: Context,
    problems: &mut Vec<String>,
) {
    let same = bindings.iter().position(|b| b.keys == entry.binding.keys);
    if entry.binding.action == Action::Noop {
        if let Some(i) = same {
            bindings.remove(i);
        }
        return;
    }
    let clash = bindings
        .iter()
        .find(|b| b.keys != entry.binding.keys && clashes(&b.keys, &entry.binding.keys));
    if let Some(other) = clash {
        problems.push(format!(
            "{file}:{}: [{}] `{}` conflicts with the binding `{}` ({}): one starts the other; \
             unbind it with run = \"noop\" first",
            entry.line,
            context.name(),
            format_keys(&entry.binding.keys),
            format_keys(&other.keys),
            other.action,
        ));
        return;
    }
    match same {
        Some(i) => bindings[i] = entry.binding,
        None => bindings.push(entry.binding),
    }
}

#[derive(Deserialize)]
struct SectionSpec {
    #[serde(default)]
    keymap: Vec<Spanned<BindingSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BindingSpec {
    on: Spanned<toml::Value>,
    run: Spanned<String>,
    #[serde(default)]
    desc: Option<String>,
}

struct Entry {
    binding: Binding,
    line: usize,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn parse_keys(value: &toml::Value) -> Result<Vec<Key>, String> {
    let words: Vec<&str> = match value {
        toml::Value::String(s) => s.split_whitespace().collect(),
        toml::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().ok_or("a key sequence array holds strings"))
            .collect::<Result<_, _>>()?,
        _ => return Err("`on` must be a key or a sequence of keys".into()),
    };
    if words.is_empty() {
        return Err("`on` is empty".into());
    }
    words.into_iter().map(str::parse).collect()
}

/// Parses one keymap file into valid entries per context, reporting every problem.
fn parse_file(file: &str, text: &str, problems: &mut Vec<String>) -> Vec<(Context, Vec<Entry>)> {
    let sections: BTreeMap<String, Spanned<SectionSpec>> = match toml::from_str(text) {
        Ok(sections) => sections,
        Err(error) => {
            let line = error.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            let message = error.message().trim().to_string();
            problems.push(format!("{file}:{line}: {message}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (name, section) in sections {
        let section_line = line_of(text, section.span().start);
        let context = match name.parse::<Context>() {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("{file}:{section_line}: {e}"));
                continue;
            }
        };
        let mut entries: Vec<Entry> = Vec::new();
        for spec in section.into_inner().keymap {
            let line = line_of(text, spec.span().start);
            let spec = spec.into_inner();
            let keys = match parse_keys(spec.on.get_ref()) {
                Ok(keys) => keys,
                Err(e) => {
                    let line = line_of(text, spec.on.span().start);
                    problems.push(format!("{file}:{line}: [{name}] {e}"));
                    continue;
                }
            };
            let action = match spec.run.get_ref().parse::<Action>() {
                Ok(a) => a,
                Err(e) => {
                    let line = line_of(text, spec.run.span().start);
                    problems.push(format!("{file}:{line}: [{name}] {e}"));
                    continue;
                }
            };
            let shown = format_keys(&keys);
            if let Some(prev) = entries.iter().find(|e| e.binding.keys == keys) {
                problems.push(format!(
                    "{file}:{line}: [{name}] `{shown}` is bound twice (first at line {})",
                    prev.line
                ));
                continue;
            }
            if let Some(prev) = entries.iter().find(|e| clashes(&e.binding.keys, &keys)) {
                problems.push(format!(
                    "{file}:{line}: [{name}] `{shown}` conflicts with `{}` at line {}: one \
                     starts the other",
                    format_keys(&prev.binding.keys),
                    prev.line
                ));
                continue;
            }
            let desc = spec.desc.unwrap_or_else(|| action.name().replace('_', " "));
            entries.push(Entry {
                binding: Binding { keys, action, desc },
                line,
            });
        }
        out.push((context, entries));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        s.parse().unwrap()
    }

    #[test]
    fn keys_parse_and_print_back() {
        for text in [
            "j", "J", "Enter", "Esc", "Tab", "BackTab", "Up", "PageDown", "Home", "End", "Space",
            "ctrl-c", "?", "/", ":", "F5", "-", "+", "alt-x",
        ] {
            assert_eq!(key(text).to_string(), text, "{text}");
        }
        assert_eq!(key("ctrl-C"), Key::ctrl('c'));
        assert_eq!(key("escape").code, KeyCode::Esc);
        assert!("PgDown".parse::<Key>().is_err());
        assert!("F99".parse::<Key>().is_err());
        assert!("".parse::<Key>().is_err());
    }

    #[test]
    fn key_events_normalise_shift_and_ctrl() {
        let shifted = KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(Key::from(shifted), key("J"));
        let shift_tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(Key::from(shift_tab), key("BackTab"));
        let ctrl_c = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::CONTROL);
        assert_eq!(Key::from(ctrl_c), key("ctrl-c"));
    }

    #[test]
    fn line_numbers_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
