//! Text keys (ARNs, face ids, user ids) mapped to numbers without a copy of each key: a fast
//! hash of service-generated ids and `KeyMap`, which keeps only the hash and asks the caller
//! for the text behind a number. Shared by the face groups and the dashboard's figures, which
//! each hold up to a million such keys.

use rustc_hash::FxBuildHasher;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// Text → value with rustc's fast hash: the keys here are ids the service generated (not
/// chosen by an attacker) or state names from a definition.
pub type Map<V> = HashMap<Box<str>, V, FxBuildHasher>;

/// Passes a hash already computed through (`KeyMap`'s keys are hashes).
#[derive(Default, Clone, Copy)]
pub struct PassHasher {
    hash: u64,
}

impl Hasher for PassHasher {
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }

    fn write_u64(&mut self, i: u64) {
        self.hash = i;
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `key`'s hash, its entropy in the low bits hash tables index by (ARNs differ only in their
/// last bytes: a plain multiply-rotate hash of them would put them all in one bucket).
pub fn hash_of(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

/// Text → number without a copy of the text: keyed by the text's hash, each hit checked
/// against the text where the caller keeps it (`key_of`); the rare key whose hash another
/// key already holds is kept whole aside. A million ids then cost no allocation each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyMap {
    pub(crate) by_hash: HashMap<u64, u32, BuildHasherDefault<PassHasher>>,
    pub(crate) spilled: Map<u32>,
}

impl KeyMap {
    pub fn get<'a>(&self, key: &str, key_of: impl Fn(u32) -> Option<&'a str>) -> Option<u32> {
        self.get_hashed(hash_of(key), key, key_of)
    }

    /// `get` with `key`'s `hash_of` already computed (one hash, several maps).
    pub fn get_hashed<'a>(
        &self,
        hash: u64,
        key: &str,
        key_of: impl Fn(u32) -> Option<&'a str>,
    ) -> Option<u32> {
        match self.by_hash.get(&hash) {
            Some(&value) if key_of(value) == Some(key) => Some(value),
            Some(_) => self.spilled.get(key).copied(),
            None => None,
        }
    }

    /// The value `key` holds, or `value` put in for it (then `None`): one hash and one probe,
    /// the common case when a million keys are added.
    pub fn get_or_insert<'a>(
        &mut self,
        key: &str,
        value: u32,
        key_of: impl Fn(u32) -> Option<&'a str>,
    ) -> Option<u32> {
        self.get_or_insert_hashed(hash_of(key), key, value, key_of)
    }

    /// `get_or_insert` with `key`'s `hash_of` already computed.
    pub fn get_or_insert_hashed<'a>(
        &mut self,
        hash: u64,
        key: &str,
        value: u32,
        key_of: impl Fn(u32) -> Option<&'a str>,
    ) -> Option<u32> {
        match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(value);
                None
            }
            std::collections::hash_map::Entry::Occupied(held) => {
                let held = *held.get();
                if key_of(held) == Some(key) {
                    return Some(held);
                }
                // Another key has this hash: the spill map holds `key` whole.
                if let Some(&spilled) = self.spilled.get(key) {
                    return Some(spilled);
                }
                self.spilled.insert(key.into(), value);
                None
            }
        }
    }

    /// Holds nothing, keeping its memory.
    pub fn clear(&mut self) {
        self.by_hash.clear();
        self.spilled.clear();
    }

    pub fn reserve(&mut self, more: usize) {
        self.by_hash.reserve(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_whose_hash_is_taken_is_kept_aside_and_found() {
        let keys = ["a", "b"];
        let key_of = |v: u32| keys.get(v as usize).copied();
        let mut map = KeyMap::default();
        assert_eq!(map.get_or_insert("a", 0, key_of), None);
        // As if "b" hashed like "a": its hash already names "a".
        map.by_hash.insert(hash_of("b"), 0);
        assert_eq!(map.get_or_insert("b", 1, key_of), None);
        // Held keys answer what they hold, whichever map keeps them.
        assert_eq!(map.get_or_insert("b", 7, key_of), Some(1));
        assert_eq!(map.get_or_insert("a", 7, key_of), Some(0));
        assert_eq!(map.get("a", key_of), Some(0));
        assert_eq!(map.get("b", key_of), Some(1));
        assert_eq!(map.get("c", key_of), None);
        assert_eq!(map.spilled.len(), 1);
    }
}
