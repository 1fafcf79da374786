//! Key bindings: `keymap.toml` (compiled in) overridden per context by the user's file;
//! resolves (context, key sequence) to an `Action` and reports conflicts with file and line.

/// Placeholder until the keymap loader lands.
#[derive(Debug, Clone, Default)]
pub struct Keymap;

impl Keymap {
    /// The defaults compiled in from the repository's `keymap.toml`.
    pub fn defaults() -> Keymap {
        Keymap
    }
}
