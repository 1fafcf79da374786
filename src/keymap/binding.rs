//! A binding (keys → action, with the words the help shows) and the rule that no two
//! sequences of a context may clash.

use super::action::Action;
use super::key::Key;

/// One entry of a context: the key sequence, the action it fires, its description.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
}

/// Two sequences clash when one is the other or begins it: `g` vs `g g` could never both fire.
pub(super) fn clashes(a: &[Key], b: &[Key]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}
