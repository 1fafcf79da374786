//! keymap.toml → bindings per context: key sequences, known actions, no sequence starting
//! another; a user file's entries replace or unbind the defaults. Every problem is reported
//! as `file:line: message` and the entry skipped.

use super::action::Action;
use super::binding::{Binding, clashes};
use super::context::Context;
use super::key::{Key, format_keys};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A user entry replaces the default with the same keys, `noop` removes it; an entry whose
/// keys would start (or be started by) another binding is refused and reported.
pub(super) fn apply_override(
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

pub(super) struct Entry {
    pub(super) binding: Binding,
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
pub(super) fn parse_file(
    file: &str,
    text: &str,
    problems: &mut Vec<String>,
) -> Vec<(Context, Vec<Entry>)> {
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

    #[test]
    fn line_numbers_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
