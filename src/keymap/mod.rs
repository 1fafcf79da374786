//! Key bindings: `keymap.toml` (compiled in) overridden per context by the user's file;
//! `Keymap::resolve(context, pending, key)` gives a `Resolution`. The contexts are `context.rs`,
//! keys and sequences `key.rs`, reading the files and reporting problems with file and line
//! `parse.rs`, the actions `action.rs`.

pub mod action;
mod binding;
mod context;
mod key;
mod parse;

pub use binding::Binding;
pub use context::Context;
pub use key::{Key, format_keys};

use action::Action;
use binding::clashes;
use parse::{ContextBindings, Problems, parse_file};
use std::collections::HashMap;
use std::path::Path;

/// The repository's `keymap.toml`, the defaults.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymap.toml");
const DEFAULT_KEYMAP_NAME: &str = "keymap.toml (built in)";

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
        let mut problems = Problems::default();
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
            let mut indexed: HashMap<Context, ContextBindings> = HashMap::new();
            for (context, entries) in parse_file(&file, text, &mut problems) {
                let bindings = indexed.entry(context).or_insert_with(|| {
                    ContextBindings::from_bindings(own.remove(&context).unwrap_or_default())
                });
                for entry in entries {
                    bindings.apply_override(entry, &file, context, &mut problems);
                }
            }
            for (context, bindings) in indexed {
                own.insert(context, bindings.into_bindings());
            }
        }
        let effective: HashMap<Context, Vec<Binding>> = Context::ALL
            .into_iter()
            .map(|context| (context, effective_bindings(&own, context)))
            .collect();
        let keymap = Keymap { own, effective };
        let mut problems = problems.into_vec();
        // A user file can unbind every way out; say so rather than trap them.
        if keymap.key_for(Context::Executions, Action::Quit).is_none() {
            let palette = keymap.key_for(Context::Executions, Action::Palette);
            problems.push(match palette {
                Some(keys) => format!(
                    "no key is bound to quit (`q` and `ctrl-c` are unbound): `{} quit` still \
                     quits",
                    format_keys(keys)
                ),
                None => "no key is bound to quit nor to the command palette: the console can \
                         only be ended from outside (kill)"
                    .to_string(),
            });
        }
        (keymap, problems)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load_user(text: &str) -> Vec<String> {
        Keymap::load(Some((Path::new("k.toml"), text))).1
    }

    #[test]
    fn unbinding_every_quit_key_is_reported() {
        let unbind_quit = "[global]\nkeymap = [\n{ on = \"q\", run = \"noop\" },\n\
                           { on = \"ctrl-c\", run = \"noop\" },\n]\n";
        let problems = load_user(unbind_quit);
        assert_eq!(
            problems,
            ["no key is bound to quit (`q` and `ctrl-c` are unbound): `: quit` still quits"]
        );
        let and_the_palette =
            unbind_quit.replace("},\n]\n", "},\n{ on = \":\", run = \"noop\" },\n]\n");
        assert!(load_user(&and_the_palette)[0].contains("only be ended from outside"));
        assert!(load_user("[global]\nkeymap = [{ on = \"q\", run = \"noop\" }]\n").is_empty());
    }

    #[test]
    fn overrides_replace_unbind_and_refuse_clashes_in_place() {
        let text = "[global]\nkeymap = [\n{ on = \"r\", run = \"help\" },\n\
                    { on = \"g\", run = \"help\" },\n]\n";
        let (keymap, problems) = Keymap::load(Some((Path::new("k.toml"), text)));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("k.toml:4: [global] `g` conflicts with the binding `g g`"));
        let r = keymap.resolve(Context::Global, &[], "r".parse().unwrap());
        assert_eq!(r, Resolution::Action(Action::Help));
    }
}
