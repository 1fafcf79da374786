//! keymap.toml → bindings per context: key sequences, known actions, no sequence starting
//! another; a user file's entries replace or unbind the defaults. Every problem is reported
//! as `file:line: message` and the entry skipped. Linear in the file's size: lines come from a
//! `LineIndex`, duplicates and clashes from hashed sequences and prefixes, and the list of
//! problems is bounded, so a multi-megabyte file loads in about the time it takes to parse.

use super::action::Action;
use super::binding::Binding;
use super::context::Context;
use super::key::{Key, format_keys};
use crate::domain::lines::LineIndex;
use std::borrow::Cow;
use std::collections::HashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The longest key sequence a binding may have: longer ones are refused (nobody types them,
/// and hashing every prefix of a huge one would cost its length squared).
pub(super) const MAX_SEQUENCE: usize = 4;
/// Problems kept across the keymap files; the rest are counted.
const MAX_PROBLEMS: usize = 100;

/// Problems found while loading, bounded.
#[derive(Default)]
pub(super) struct Problems {
    list: Vec<String>,
    dropped: usize,
}

impl Problems {
    /// Whether another problem would still be listed (building its message may cost a scan).
    fn listing(&self) -> bool {
        self.list.len() < MAX_PROBLEMS
    }

    pub(super) fn push(&mut self, message: String) {
        if self.listing() {
            self.list.push(message);
        } else {
            self.dropped += 1;
        }
    }

    pub(super) fn into_vec(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.list
                .push(format!("{} more keymap problems not listed", self.dropped));
        }
        self.list
    }
}

/// One context's bindings with the indexes that make a clash a hash lookup: sequence → slot,
/// and every proper prefix of a bound sequence → how many bindings extend it.
#[derive(Default)]
pub(super) struct ContextBindings {
    slots: Vec<Option<Binding>>,
    by_keys: HashMap<Vec<Key>, usize>,
    prefixes: HashMap<Vec<Key>, usize>,
}

impl ContextBindings {
    pub(super) fn from_bindings(bindings: Vec<Binding>) -> ContextBindings {
        let mut context = ContextBindings::default();
        for binding in bindings {
            context.insert(binding);
        }
        context
    }

    /// The bindings in file order (a replaced one keeps its place).
    pub(super) fn into_bindings(self) -> Vec<Binding> {
        self.slots.into_iter().flatten().collect()
    }

    fn insert(&mut self, binding: Binding) {
        for end in 1..binding.keys.len() {
            *self
                .prefixes
                .entry(binding.keys[..end].to_vec())
                .or_default() += 1;
        }
        self.by_keys.insert(binding.keys.clone(), self.slots.len());
        self.slots.push(Some(binding));
    }

    fn remove(&mut self, keys: &[Key]) -> Option<Binding> {
        let slot = self.by_keys.remove(keys)?;
        for end in 1..keys.len() {
            if let Some(count) = self.prefixes.get_mut(&keys[..end]) {
                *count -= 1;
                if *count == 0 {
                    self.prefixes.remove(&keys[..end]);
                }
            }
        }
        self.slots[slot].take()
    }

    fn get(&self, keys: &[Key]) -> Option<&Binding> {
        self.by_keys
            .get(keys)
            .and_then(|&slot| self.slots[slot].as_ref())
    }

    /// Whether `keys` (not bound itself) would start or be started by a binding.
    fn clashes(&self, keys: &[Key]) -> bool {
        self.prefixes.contains_key(keys)
            || (1..keys.len()).any(|end| self.by_keys.contains_key(&keys[..end]))
    }

    /// The binding `keys` clashes with, for the message (a scan: only while listing).
    fn clashing(&self, keys: &[Key]) -> Option<&Binding> {
        self.slots
            .iter()
            .flatten()
            .find(|b| b.keys != keys && super::binding::clashes(&b.keys, keys))
    }

    /// A user entry replaces the default with the same keys, `noop` removes it; an entry whose
    /// keys would start (or be started by) another binding is refused and reported.
    pub(super) fn apply_override(
        &mut self,
        entry: Entry,
        file: &str,
        context: Context,
        problems: &mut Problems,
    ) {
        let keys = entry.binding.keys.clone();
        if entry.binding.action == Action::Noop {
            self.remove(&keys);
            return;
        }
        if self.get(&keys).is_none() && self.clashes(&keys) {
            let (line, section, shown) = (entry.line, context.name(), format_keys(&keys));
            let other = match self.clashing(&keys).filter(|_| problems.listing()) {
                Some(other) => format!(
                    "the binding `{}` ({})",
                    format_keys(&other.keys),
                    other.action
                ),
                None => "another binding".to_string(),
            };
            problems.push(format!(
                "{file}:{line}: [{section}] `{shown}` conflicts with {other}: one starts the \
                 other; unbind it with run = \"noop\" first"
            ));
            return;
        }
        match self.by_keys.get(&keys) {
            Some(&slot) => self.slots[slot] = Some(entry.binding),
            None => self.insert(entry.binding),
        }
    }
}

pub(super) struct Entry {
    pub(super) binding: Binding,
    line: usize,
}

fn parse_keys(value: &DeValue<'_>) -> Result<Vec<Key>, String> {
    let words: Vec<&str> = match value {
        DeValue::String(s) => s.split_whitespace().collect(),
        DeValue::Array(items) => items
            .iter()
            .map(|v| match v.get_ref() {
                DeValue::String(s) => Ok(s.as_ref()),
                _ => Err("a key sequence array holds strings"),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("`on` must be a key or a sequence of keys".into()),
    };
    if words.is_empty() {
        return Err("`on` is empty".into());
    }
    if words.len() > MAX_SEQUENCE {
        return Err(format!(
            "`on` has {} keys; a sequence has at most {MAX_SEQUENCE}",
            words.len()
        ));
    }
    words.into_iter().map(str::parse).collect()
}

/// Reads one file: syntax errors and bad entries are reported and skipped, the rest kept.
struct FileReader<'a> {
    file: &'a str,
    lines: LineIndex,
    problems: &'a mut Problems,
}

impl FileReader<'_> {
    fn at(&mut self, offset: usize, message: impl std::fmt::Display) {
        if self.problems.listing() {
            let line = self.lines.line_of(offset);
            self.problems
                .push(format!("{}:{line}: {message}", self.file));
        } else {
            self.problems.push(String::new());
        }
    }

    /// One `{ on, run, desc }` table of a section's `keymap` array.
    fn entry(
        &mut self,
        section: &str,
        item: Spanned<DeValue<'_>>,
    ) -> Option<(Vec<Key>, Action, Option<String>)> {
        let start = item.span().start;
        let DeValue::Table(table) = item.into_inner() else {
            self.at(
                start,
                format_args!("[{section}] a binding is a table {{ on = …, run = … }}"),
            );
            return None;
        };
        let (mut on, mut run, mut desc) = (None, None, None);
        for (key, value) in table {
            let at = value.span().start;
            match (key.get_ref().as_ref(), value.into_inner()) {
                ("on", value) => on = Some((at, value)),
                ("run", DeValue::String(s)) => run = Some((at, s)),
                ("desc", DeValue::String(s)) => desc = Some(s.into_owned()),
                ("run" | "desc", _) => {
                    self.at(
                        at,
                        format_args!("[{section}] `{}` must be a string", key.get_ref()),
                    );
                    return None;
                }
                (other, _) => {
                    self.at(
                        key.span().start,
                        format_args!("[{section}] unknown field `{other}` (on, run, desc)"),
                    );
                    return None;
                }
            }
        }
        let (Some((on_at, on)), Some((run_at, run))) = (on, run) else {
            self.at(
                start,
                format_args!("[{section}] a binding needs `on` and `run`"),
            );
            return None;
        };
        let keys = match parse_keys(&on) {
            Ok(keys) => keys,
            Err(e) => {
                self.at(on_at, format_args!("[{section}] {e}"));
                return None;
            }
        };
        match run.parse::<Action>() {
            Ok(action) => Some((keys, action, desc)),
            Err(e) => {
                self.at(run_at, format_args!("[{section}] {e}"));
                None
            }
        }
    }

    fn section(&mut self, name: &str, value: Spanned<DeValue<'_>>) -> Vec<Entry> {
        let section_start = value.span().start;
        let DeValue::Table(table) = value.into_inner() else {
            self.at(
                section_start,
                format_args!("`{name}` must be a section [{name}]"),
            );
            return Vec::new();
        };
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen: HashMap<Vec<Key>, usize> = HashMap::new();
        let mut prefixes: HashMap<Vec<Key>, usize> = HashMap::new();
        for (key, value) in table {
            if key.get_ref().as_ref() != "keymap" {
                self.at(
                    key.span().start,
                    format_args!("[{name}] unknown key `{}` (keymap)", key.get_ref()),
                );
                continue;
            }
            let array_start = value.span().start;
            let DeValue::Array(items) = value.into_inner() else {
                self.at(
                    array_start,
                    format_args!("[{name}] `keymap` must be an array of bindings"),
                );
                continue;
            };
            for item in items {
                let line = self.lines.line_of(item.span().start);
                let item_start = item.span().start;
                let Some((keys, action, desc)) = self.entry(name, item) else {
                    continue;
                };
                let shown = format_keys(&keys);
                if let Some(&first) = seen.get(&keys) {
                    self.at(
                        item_start,
                        format_args!(
                            "[{name}] `{shown}` is bound twice (first at line {})",
                            entries[first].line
                        ),
                    );
                    continue;
                }
                let clash = prefixes
                    .get(&keys)
                    .copied()
                    .or_else(|| (1..keys.len()).find_map(|end| seen.get(&keys[..end]).copied()));
                if let Some(other) = clash {
                    let prev = &entries[other];
                    let message = format!(
                        "[{name}] `{shown}` conflicts with `{}` at line {}: one starts the other",
                        format_keys(&prev.binding.keys),
                        prev.line
                    );
                    self.at(item_start, message);
                    continue;
                }
                for end in 1..keys.len() {
                    prefixes
                        .entry(keys[..end].to_vec())
                        .or_insert(entries.len());
                }
                seen.insert(keys.clone(), entries.len());
                let desc = desc.unwrap_or_else(|| action.name().replace('_', " "));
                entries.push(Entry {
                    binding: Binding { keys, action, desc },
                    line,
                });
            }
        }
        entries
    }
}

/// Parses one keymap file into valid entries per context, reporting every problem.
pub(super) fn parse_file(
    file: &str,
    text: &str,
    problems: &mut Problems,
) -> Vec<(Context, Vec<Entry>)> {
    let mut reader = FileReader {
        file,
        lines: LineIndex::new(text),
        problems,
    };
    let (root, errors) = DeTable::parse_recoverable(text);
    for error in errors {
        let at = error.span().map_or(0, |span| span.start);
        reader.at(at, error.message().trim());
    }
    let mut out = Vec::new();
    for (name, section) in root.into_inner() {
        let name: Spanned<Cow<'_, str>> = name;
        let context = match name.get_ref().parse::<Context>() {
            Ok(c) => c,
            Err(e) => {
                reader.at(name.span().start, e);
                continue;
            }
        };
        let entries = reader.section(name.get_ref(), section);
        out.push((context, entries));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<(Context, Vec<Entry>)>, Vec<String>) {
        let mut problems = Problems::default();
        let parsed = parse_file("k.toml", text, &mut problems);
        (parsed, problems.into_vec())
    }

    #[test]
    fn one_bad_entry_is_skipped_and_the_rest_kept() {
        let text = "[global]\nkeymap = [\n  { on = \"x\", run = \"quit\", dsc = \"typo\" },\n  \
                    { on = \"y\", run = \"help\" },\n]\n";
        let (parsed, problems) = parse(text);
        assert_eq!(
            problems,
            ["k.toml:3: [global] unknown field `dsc` (on, run, desc)"]
        );
        let keys: Vec<String> = parsed[0]
            .1
            .iter()
            .map(|e| format_keys(&e.binding.keys))
            .collect();
        assert_eq!(keys, ["y"]);
    }

    #[test]
    fn duplicates_and_clashes_name_the_first_line() {
        let text = "[global]\nkeymap = [\n{ on = \"g g\", run = \"top\" },\n\
                    { on = \"g g\", run = \"help\" },\n{ on = \"g\", run = \"help\" },\n\
                    { on = \"g g x\", run = \"help\" },\n]\n";
        let (_, problems) = parse(text);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("k.toml:4: ")
                && problems[0].contains("bound twice (first at line 3)")
        );
        assert!(problems[1].starts_with("k.toml:5: ") && problems[1].contains("at line 3"));
        assert!(problems[2].starts_with("k.toml:6: ") && problems[2].contains("at line 3"));
    }

    #[test]
    fn a_long_sequence_is_refused() {
        let (_, problems) = parse("[global]\nkeymap = [{ on = \"a b c d e\", run = \"help\" }]\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("at most 4"), "{problems:?}");
    }

    #[test]
    fn problems_are_bounded() {
        let entry = "{ on = \"x\", run = \"nope\" },\n";
        let text = format!("[global]\nkeymap = [\n{}]\n", entry.repeat(1_000));
        let (_, problems) = parse(&text);
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(
            problems.last().unwrap(),
            "900 more keymap problems not listed"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_without_panicking(text in ".{0,400}") {
            let _ = parse(&text);
        }

        #[test]
        fn keymap_shaped_text_parses_without_panicking(
            entries in proptest::collection::vec(
                ("(g|g g|ctrl-c|q|a b c d e|F99|\\\\[\\\\]|1)", "(quit|help|noop|top|x|1)"),
                0..40,
            ),
            section in "(global|executions|nope|keymap)",
        ) {
            let body: String = entries
                .iter()
                .map(|(on, run)| format!("{{ on = \"{on}\", run = \"{run}\" }},\n"))
                .collect();
            let text = format!("[{section}]\nkeymap = [\n{body}]\n");
            let mut problems = Problems::default();
            let parsed = parse_file("k.toml", &text, &mut problems);
            // Whatever was kept is free of duplicates and clashes.
            for (_, entries) in &parsed {
                for (i, a) in entries.iter().enumerate() {
                    for b in &entries[i + 1..] {
                        proptest::prop_assert!(!super::super::binding::clashes(&a.binding.keys, &b.binding.keys));
                    }
                }
            }
        }
    }
}
