//! Key bindings of the screens, faces and thumbnails contexts, and the existing bindings they
//! must not disturb.

use stepdeck::keymap::action::Action;
use stepdeck::keymap::{Context, Key, Keymap, Resolution};

fn act(map: &Keymap, context: Context, keys: &str) -> Option<Action> {
    let keys: Vec<Key> = keys
        .split_whitespace()
        .map(|k| k.parse().unwrap())
        .collect();
    let (last, pending) = keys.split_last().unwrap();
    match map.resolve(context, pending, *last) {
        Resolution::Action(a) => Some(a),
        _ => None,
    }
}

#[test]
fn screens_switch_from_every_view_but_not_from_dialogs() {
    let map = Keymap::defaults();
    for context in [
        Context::Executions,
        Context::Timeline,
        Context::Events,
        Context::Io,
        Context::Faces,
        Context::Thumbnails,
    ] {
        assert_eq!(
            act(&map, context, "g e"),
            Some(Action::ShowExecutions),
            "{context:?}"
        );
        assert_eq!(
            act(&map, context, "g f"),
            Some(Action::ShowFaces),
            "{context:?}"
        );
        assert_eq!(
            act(&map, context, "g t"),
            Some(Action::ShowThumbnails),
            "{context:?}"
        );
        assert_eq!(act(&map, context, "g g"), Some(Action::Top), "{context:?}");
    }
    for context in [Context::Confirm, Context::Input, Context::Palette] {
        assert_eq!(act(&map, context, "g f"), None, "{context:?}");
    }
}

#[test]
fn faces_and_thumbnails_keys() {
    let map = Keymap::defaults();
    let f = Context::Faces;
    assert_eq!(act(&map, f, "Space"), Some(Action::ToggleMark));
    assert_eq!(act(&map, f, "V"), Some(Action::MarkRange));
    assert_eq!(act(&map, f, "M"), Some(Action::MarkGroup));
    assert_eq!(act(&map, f, "n"), Some(Action::KeepNewest));
    assert_eq!(act(&map, f, "o"), Some(Action::KeepOldest));
    assert_eq!(act(&map, f, "]"), Some(Action::NextGroup));
    assert_eq!(act(&map, f, "D"), Some(Action::ToggleDuplicates));
    assert_eq!(act(&map, f, "L"), Some(Action::FindLookalikes));
    assert_eq!(act(&map, f, "d"), Some(Action::Delete));
    assert_eq!(act(&map, f, "/"), Some(Action::Filter));
    assert_eq!(act(&map, f, "j"), Some(Action::Down));
    let t = Context::Thumbnails;
    assert_eq!(act(&map, t, "y"), Some(Action::CopyKey));
    assert_eq!(act(&map, t, "Y"), Some(Action::CopyUri));
    assert_eq!(act(&map, t, "d"), Some(Action::Delete));
    assert_eq!(act(&map, t, "3"), Some(Action::SortByModified));
}

#[test]
fn existing_bindings_keep_working() {
    let map = Keymap::defaults();
    assert_eq!(
        act(&map, Context::Executions, "1"),
        Some(Action::SortByStatus)
    );
    assert_eq!(act(&map, Context::Timeline, "F"), Some(Action::Follow));
    assert_eq!(act(&map, Context::Events, "n"), Some(Action::NextMatch));
    assert_eq!(act(&map, Context::Io, "y"), Some(Action::CopyInput));
}
