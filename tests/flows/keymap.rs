//! Key dispatch per context and the user-file override rules of `keymap.toml`.

use std::path::Path;
use stepdeck::keymap::action::Action;
use stepdeck::keymap::{Context, Key, Keymap, Resolution};

fn key(s: &str) -> Key {
    s.parse().unwrap()
}

fn resolve(map: &Keymap, context: Context, keys: &str) -> Resolution {
    let keys: Vec<Key> = keys.split_whitespace().map(key).collect();
    let (last, pending) = keys.split_last().unwrap();
    map.resolve(context, pending, *last)
}

fn act(map: &Keymap, context: Context, keys: &str) -> Option<Action> {
    match resolve(map, context, keys) {
        Resolution::Action(a) => Some(a),
        _ => None,
    }
}

fn user(text: &str) -> (Keymap, Vec<String>) {
    Keymap::load(Some((
        Path::new("/home/u/.config/stepdeck/keymap.toml"),
        text,
    )))
}

#[test]
fn the_built_in_keymap_has_no_problems() {
    let (map, problems) = Keymap::load(None);
    assert!(problems.is_empty(), "{problems:#?}");
    for context in Context::ALL {
        for b in map.bindings(context) {
            assert!(
                !b.desc.is_empty(),
                "{context:?} {:?} has no description",
                b.keys
            );
        }
    }
}

#[test]
fn executions_keys() {
    let map = Keymap::defaults();
    let c = Context::Executions;
    assert_eq!(act(&map, c, "Enter"), Some(Action::Open));
    assert_eq!(act(&map, c, "j"), Some(Action::Down));
    assert_eq!(act(&map, c, "Down"), Some(Action::Down));
    assert_eq!(act(&map, c, "k"), Some(Action::Up));
    assert_eq!(act(&map, c, "/"), Some(Action::Filter));
    assert_eq!(act(&map, c, "f"), Some(Action::CycleStatusFilter));
    assert_eq!(act(&map, c, "s"), Some(Action::StartTestCase));
    assert_eq!(act(&map, c, "r"), Some(Action::Rerun));
    assert_eq!(act(&map, c, "u"), Some(Action::RerunAsUser));
    assert_eq!(act(&map, c, "e"), Some(Action::EditAndRun));
    assert_eq!(act(&map, c, "ctrl-r"), Some(Action::Refresh));
    assert_eq!(act(&map, c, "2"), Some(Action::SortByName));
    assert_eq!(act(&map, c, "S"), Some(Action::StopExecution));
    assert_eq!(act(&map, c, "ctrl-k"), Some(Action::StopExecution));
    assert_eq!(act(&map, c, "J"), Some(Action::JumpToFace));
    assert_eq!(act(&map, c, "q"), Some(Action::Quit));
    assert_eq!(act(&map, c, "ctrl-c"), Some(Action::Quit));
    assert_eq!(act(&map, c, "ctrl-z"), Some(Action::Suspend));
    assert_eq!(act(&map, c, "?"), Some(Action::Help));
    assert_eq!(act(&map, c, ":"), Some(Action::Palette));
    assert_eq!(act(&map, c, "G"), Some(Action::Bottom));
    assert_eq!(act(&map, c, "PageDown"), Some(Action::PageDown));
    assert_eq!(resolve(&map, c, "g"), Resolution::Pending);
    assert_eq!(act(&map, c, "g g"), Some(Action::Top));
    assert_eq!(resolve(&map, c, "g x"), Resolution::Unbound);
    assert_eq!(resolve(&map, c, "x"), Resolution::Unbound);
}

#[test]
fn execution_tab_keys() {
    let map = Keymap::defaults();
    for c in [Context::Timeline, Context::Events, Context::Io] {
        assert_eq!(act(&map, c, "Tab"), Some(Action::NextTab), "{c:?}");
        assert_eq!(act(&map, c, "BackTab"), Some(Action::PrevTab), "{c:?}");
        assert_eq!(act(&map, c, "Esc"), Some(Action::Back), "{c:?}");
        assert_eq!(act(&map, c, "S"), Some(Action::StopExecution), "{c:?}");
        assert_eq!(act(&map, c, "J"), Some(Action::JumpToFace), "{c:?}");
    }
    let t = Context::Timeline;
    assert_eq!(act(&map, t, "Enter"), Some(Action::ToggleDetails));
    assert_eq!(act(&map, t, "+"), Some(Action::ZoomIn));
    assert_eq!(act(&map, t, "-"), Some(Action::ZoomOut));
    assert_eq!(act(&map, t, "h"), Some(Action::PanLeft));
    assert_eq!(act(&map, t, "l"), Some(Action::PanRight));
    assert_eq!(act(&map, t, "0"), Some(Action::Fit));
    assert_eq!(act(&map, t, "f"), Some(Action::Fit));
    assert_eq!(act(&map, t, "F"), Some(Action::Follow));
    let e = Context::Events;
    assert_eq!(act(&map, e, "/"), Some(Action::Search));
    assert_eq!(act(&map, e, "n"), Some(Action::NextMatch));
    assert_eq!(act(&map, e, "N"), Some(Action::PrevMatch));
    assert_eq!(act(&map, e, "g g"), Some(Action::Top));
    let io = Context::Io;
    assert_eq!(act(&map, io, "y"), Some(Action::CopyInput));
    assert_eq!(act(&map, io, "Y"), Some(Action::CopyOutput));
    assert_eq!(act(&map, io, "j"), Some(Action::Down));
}

#[test]
fn dialog_and_text_keys_do_not_fall_through_to_plain_globals() {
    let map = Keymap::defaults();
    let c = Context::Confirm;
    assert_eq!(act(&map, c, "y"), Some(Action::ConfirmYes));
    assert_eq!(act(&map, c, "n"), Some(Action::ConfirmNo));
    assert_eq!(act(&map, c, "Esc"), Some(Action::ConfirmNo));
    assert_eq!(act(&map, c, "Enter"), Some(Action::ConfirmAccept));
    assert_eq!(act(&map, c, "Tab"), Some(Action::ConfirmToggle));
    assert_eq!(act(&map, c, "q"), None, "q must not quit from a dialog");
    assert_eq!(act(&map, c, "ctrl-c"), Some(Action::Quit));

    for c in [Context::Input, Context::Palette] {
        assert_eq!(act(&map, c, "Enter"), Some(Action::Submit), "{c:?}");
        assert_eq!(act(&map, c, "Esc"), Some(Action::Cancel), "{c:?}");
        assert_eq!(act(&map, c, "Backspace"), Some(Action::DeleteChar), "{c:?}");
        assert_eq!(act(&map, c, "ctrl-u"), Some(Action::ClearInput), "{c:?}");
        // Letters are text: `q`, `j`, `g` reach the input instead of quitting or moving.
        for typed in ["q", "j", "g", "?", ":"] {
            assert_eq!(
                resolve(&map, c, typed),
                Resolution::Unbound,
                "{c:?} {typed}"
            );
        }
        assert_eq!(act(&map, c, "ctrl-c"), Some(Action::Quit), "{c:?}");
    }
    assert_eq!(act(&map, Context::Palette, "Tab"), Some(Action::Complete));

    let h = Context::Help;
    assert_eq!(act(&map, h, "?"), Some(Action::Back));
    assert_eq!(act(&map, h, "Esc"), Some(Action::Back));
    assert_eq!(act(&map, h, "j"), Some(Action::Down));
    assert_eq!(act(&map, h, ":"), None);

    let p = Context::Picker;
    assert_eq!(act(&map, p, "Enter"), Some(Action::Open));
    assert_eq!(act(&map, p, "Esc"), Some(Action::Cancel));
}

#[test]
fn a_context_binding_shadows_the_global_one_for_the_same_key() {
    let map = Keymap::defaults();
    // Global Enter is unbound but Esc is `back`; the confirm dialog's Esc answers No.
    assert_eq!(act(&map, Context::Executions, "Esc"), Some(Action::Back));
    assert_eq!(act(&map, Context::Confirm, "Esc"), Some(Action::ConfirmNo));
    // Global ctrl-u pages up, the input's ctrl-u clears.
    assert_eq!(act(&map, Context::Events, "ctrl-u"), Some(Action::PageUp));
    assert_eq!(
        act(&map, Context::Input, "ctrl-u"),
        Some(Action::ClearInput)
    );
}

#[test]
fn a_user_file_overrides_per_context_and_noop_unbinds() {
    let (map, problems) = user(
        r#"
[executions]
keymap = [
  { on = "o", run = "open", desc = "Open" },
  { on = "S", run = "noop" },
  { on = "2", run = "sort_by_duration", desc = "Sort by duration" },
]

[global]
keymap = [{ on = "q", run = "noop" }, { on = "ctrl-q", run = "quit", desc = "Quit" }]
"#,
    );
    assert!(problems.is_empty(), "{problems:#?}");
    let c = Context::Executions;
    assert_eq!(act(&map, c, "o"), Some(Action::Open));
    assert_eq!(act(&map, c, "Enter"), Some(Action::Open), "defaults stay");
    assert_eq!(act(&map, c, "S"), None, "noop unbinds");
    assert_eq!(act(&map, c, "ctrl-k"), Some(Action::StopExecution));
    assert_eq!(act(&map, c, "2"), Some(Action::SortByDuration), "user wins");
    assert_eq!(act(&map, c, "q"), None);
    assert_eq!(act(&map, Context::Timeline, "ctrl-q"), Some(Action::Quit));
    // Other contexts keep their own bindings.
    assert_eq!(
        act(&map, Context::Timeline, "S"),
        Some(Action::StopExecution)
    );
}

#[test]
fn problems_in_a_user_file_are_reported_with_file_and_line() {
    let (map, problems) = user(
        r#"[timeline]
keymap = [
  { on = "x", run = "launch_rockets", desc = "?" },
  { on = "PgDn", run = "page_down", desc = "Page" },
  { on = "z", run = "zoom_in", desc = "Zoom" },
  { on = "z", run = "zoom_out", desc = "Zoom out" },
  { on = "g", run = "top", desc = "Top" },
  { on = ["y", "y"], run = "fit", desc = "Fit" },
  { on = "y", run = "follow", desc = "Follow" },
]

[widgets]
keymap = []
"#,
    );
    let file = "/home/u/.config/stepdeck/keymap.toml";
    let expect = [
        (3, "unknown action `launch_rockets`"),
        (4, "unknown key `PgDn`"),
        (6, "`z` is bound twice (first at line 5)"),
        (9, "`y` conflicts with `y y` at line 8"),
        (12, "unknown context `[widgets]`"),
    ];
    assert_eq!(problems.len(), expect.len(), "{problems:#?}");
    for (line, text) in expect {
        let prefix = format!("{file}:{line}: ");
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&prefix) && p.contains(text)),
            "missing {prefix}{text} in {problems:#?}"
        );
    }
    // Valid entries of the same file still apply; refused ones leave the defaults alone.
    let t = Context::Timeline;
    assert_eq!(act(&map, t, "z"), Some(Action::ZoomIn));
    assert_eq!(act(&map, t, "y y"), Some(Action::Fit));
    // A context key shadows a global sequence it starts: `g` alone now goes to the top here.
    assert_eq!(act(&map, t, "g"), Some(Action::Top));
    assert_eq!(act(&map, Context::Events, "g g"), Some(Action::Top));
}

#[test]
fn a_user_key_that_starts_a_default_sequence_of_its_context_is_refused() {
    let (map, problems) = user("[global]\nkeymap = [\n  { on = \"g\", run = \"bottom\" },\n]\n");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("keymap.toml:3: [global] `g` conflicts with the binding `g g`"));
    assert_eq!(act(&map, Context::Executions, "g g"), Some(Action::Top));
}

#[test]
fn a_file_that_is_not_toml_is_reported_and_the_defaults_stay() {
    let (map, problems) = user("[executions]\nkeymap = [ { on = \"j\" \n");
    // Every syntax error is reported (the parser recovers and goes on), each at its line.
    assert!(!problems.is_empty());
    for problem in &problems {
        assert!(
            problem.starts_with("/home/u/.config/stepdeck/keymap.toml:2: "),
            "{problem}"
        );
    }
    assert_eq!(act(&map, Context::Executions, "j"), Some(Action::Down));
    let (_, problems) = user("[io]\nkeymap = [ { on = \"y\", run = \"copy_input\", what = 1 } ]\n");
    assert!(problems[0].contains(":2: "), "{problems:#?}");
}
