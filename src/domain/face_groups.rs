//! Duplicate groups of a large, growing face list kept incrementally: adding a face costs a
//! few hash look-ups, a search answer costs its cluster's size, and counts (faces, users,
//! groups, faces in a group) are kept, never recounted — so a page of n faces costs O(n)
//! whatever is loaded, and key handling and drawing ask O(1) questions. Rows are the
//! positions of faces in the list they were added in; a removal rebuilds (`build`).

use super::faces::{DuplicateGroup, DuplicateKind, Face, LookalikeClusters};
use super::text_keys::KeyMap;
use std::collections::{BTreeSet, HashMap};

const NONE: u32 = u32::MAX;

/// The user ids of `rows` (`?` for a face without one), sorted, each once: a lookalike
/// cluster is a duplicate when there is more than one, and its group is named by them.
fn distinct_users<'a>(faces: &'a [Face], rows: &[u32]) -> Vec<&'a str> {
    let mut users: Vec<&str> = rows
        .iter()
        .map(|&r| {
            faces[r as usize]
                .external_image_id
                .as_deref()
                .unwrap_or("?")
        })
        .collect();
    users.sort_unstable();
    users.dedup();
    users
}

/// Faces sharing one key (a user id, an image id), chained through `RowLinks` in row order.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Slot {
    first: u32,
    last: u32,
    count: u32,
}

/// One kind of key: its slots in the order their first face appeared.
#[derive(Debug, Clone, Default, PartialEq)]
struct Slots {
    by_key: KeyMap,
    slots: Vec<Slot>,
    /// Slots of more than one face, in slot order.
    duplicates: BTreeSet<u32>,
}

impl Slots {
    /// The slot of `key`; `key_of` reads a row's key (a slot's key is its first row's).
    fn slot_for<'a>(&mut self, key: &str, key_of: impl Fn(u32) -> Option<&'a str>) -> u32 {
        let slot = self.slots.len() as u32;
        let slots = &self.slots;
        let first_key = |held: u32| key_of(slots[held as usize].first);
        if let Some(held) = self.by_key.get_or_insert(key, slot, first_key) {
            return held;
        }
        self.slots.push(Slot {
            first: NONE,
            last: NONE,
            count: 0,
        });
        slot
    }

    /// Chains `row` after the last row of `slot`; the row it now follows, which the caller
    /// links to it (None: the slot's first row).
    fn append(&mut self, slot: u32, row: u32) -> Option<u32> {
        let held = &mut self.slots[slot as usize];
        let previous = (held.last != NONE).then_some(held.last);
        if previous.is_none() {
            held.first = row;
        }
        held.last = row;
        held.count += 1;
        if held.count == 2 {
            self.duplicates.insert(slot);
        }
        previous
    }

    fn count(&self, slot: u32) -> u32 {
        self.slots.get(slot as usize).map_or(0, |s| s.count)
    }
}

/// Where a row is: its user and image slots and the next row of each.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RowLinks {
    user: u32,
    image: u32,
    next_user: u32,
    next_image: u32,
}

/// Faces search found to be one person, restricted to the loaded rows.
#[derive(Debug, Clone, Default, PartialEq)]
struct Lookalike {
    /// Rows in row order; empty once merged into another cluster.
    rows: Vec<u32>,
    /// More than one distinct user id among them.
    duplicate: bool,
}

/// Which duplicate groups a row belongs to: equal for the faces of one group (what `]`
/// jumps between).
pub type GroupKey = [u32; 3];

/// The duplicate groups of a face list, kept as faces are added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaceGroups {
    ids: KeyMap,
    links: Vec<RowLinks>,
    users: Slots,
    images: Slots,
    lookalikes: Vec<Lookalike>,
    row_lookalike: HashMap<u32, u32>,
    lookalike_duplicates: usize,
    duplicate_faces: usize,
}

impl FaceGroups {
    /// The groups of `faces` (repeated ids after the first are skipped) and of the lookalike
    /// clusters found so far.
    pub fn build(faces: &[Face], clusters: &LookalikeClusters) -> FaceGroups {
        let mut groups = FaceGroups::default();
        groups.ids.reserve(faces.len());
        groups.links.reserve(faces.len());
        groups.users.by_key.reserve(faces.len());
        groups.images.by_key.reserve(faces.len());
        for (row, face) in faces.iter().enumerate() {
            groups.add(face, &faces[..row]);
        }
        groups.add_known_lookalikes(faces, clusters, 0);
        groups
    }

    /// Faces added so far.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The row of a face id.
    /// The row of a face id; `faces` are the rows added so far (the index keeps no copy of
    /// their texts).
    pub fn row_of(&self, face_id: &str, faces: &[Face]) -> Option<usize> {
        self.ids
            .get(face_id, |r| {
                faces.get(r as usize).map(|f| f.face_id.as_str())
            })
            .map(|r| r as usize)
    }

    /// Adds `face` as the next row after `faces` (the rows added so far); false (nothing
    /// added) when its id is already a row.
    pub fn add(&mut self, face: &Face, faces: &[Face]) -> bool {
        debug_assert_eq!(faces.len(), self.links.len(), "the rows so far");
        let row = self.links.len() as u32;
        let row_id = |r: u32| faces.get(r as usize).map(|f| f.face_id.as_str());
        if self.ids.get_or_insert(&face.face_id, row, row_id).is_some() {
            return false;
        }
        let row_user = |r: u32| {
            faces
                .get(r as usize)
                .and_then(|f| f.external_image_id.as_deref())
        };
        let row_image = |r: u32| faces.get(r as usize).and_then(|f| f.image_id.as_deref());
        let user = face
            .external_image_id
            .as_deref()
            .map_or(NONE, |k| self.users.slot_for(k, row_user));
        let image = face
            .image_id
            .as_deref()
            .map_or(NONE, |k| self.images.slot_for(k, row_image));
        // The first face of a key seen once becomes a duplicate with this one.
        let firsts = [
            (user != NONE && self.users.count(user) == 1)
                .then(|| self.users.slots[user as usize].first),
            (image != NONE && self.images.count(image) == 1)
                .then(|| self.images.slots[image as usize].first),
        ];
        let before = firsts.map(|f| f.map(|r| self.is_duplicate(r as usize)));
        self.links.push(RowLinks {
            user,
            image,
            next_user: NONE,
            next_image: NONE,
        });
        if user != NONE
            && let Some(previous) = self.users.append(user, row)
        {
            self.links[previous as usize].next_user = row;
        }
        if image != NONE
            && let Some(previous) = self.images.append(image, row)
        {
            self.links[previous as usize].next_image = row;
        }
        // Both firsts may be one row: counted once (no allocation: this runs per face).
        let mut counted = NONE;
        for (first, was) in firsts.into_iter().zip(before) {
            if let (Some(first), Some(false)) = (first, was)
                && counted != first
                && self.is_duplicate(first as usize)
            {
                counted = first;
                self.duplicate_faces += 1;
            }
        }
        if self.is_duplicate(row as usize) {
            self.duplicate_faces += 1;
        }
        true
    }

    /// After rows from `from` on were added: the lookalike clusters they belong to.
    pub fn add_known_lookalikes(
        &mut self,
        faces: &[Face],
        clusters: &LookalikeClusters,
        from: usize,
    ) {
        if clusters.is_empty() {
            return;
        }
        for face in faces.get(from..).unwrap_or_default() {
            if clusters.knows(&face.face_id) {
                self.update_lookalike(faces, clusters, &face.face_id);
            }
        }
    }

    /// `face_id`'s cluster changed (a search answered, or one of its faces was loaded):
    /// regroups that cluster's loaded faces only.
    /// True when the duplicate groups changed (a cluster under several user ids was made,
    /// grown or undone): only then does a duplicates-only view need rebuilding — most answers
    /// find the rider's own faces.
    pub fn update_lookalike(
        &mut self,
        faces: &[Face],
        clusters: &LookalikeClusters,
        face_id: &str,
    ) -> bool {
        let mut rows: Vec<u32> = clusters
            .cluster(face_id)
            .iter()
            .filter_map(|id| self.row_of(id, faces).map(|r| r as u32))
            .collect();
        rows.sort_unstable();
        rows.dedup();
        // The clusters these rows were in before (merged into this one now).
        let mut old: Vec<u32> = rows
            .iter()
            .filter_map(|r| self.row_lookalike.get(r).copied())
            .collect();
        old.sort_unstable();
        old.dedup();
        let mut touched: Vec<u32> = rows.clone();
        for &c in &old {
            touched.extend(&self.lookalikes[c as usize].rows);
        }
        touched.sort_unstable();
        touched.dedup();
        let before: Vec<bool> = touched
            .iter()
            .map(|&r| self.is_duplicate(r as usize))
            .collect();
        let mut changed = false;
        for &c in &old {
            let cluster = std::mem::take(&mut self.lookalikes[c as usize]);
            if cluster.duplicate {
                self.lookalike_duplicates -= 1;
                changed = true;
            }
            for r in cluster.rows {
                self.row_lookalike.remove(&r);
            }
        }
        if rows.len() > 1 {
            let duplicate = distinct_users(faces, &rows).len() > 1;
            let c = self.lookalikes.len() as u32;
            for &r in &rows {
                self.row_lookalike.insert(r, c);
            }
            if duplicate {
                self.lookalike_duplicates += 1;
                changed = true;
            }
            self.lookalikes.push(Lookalike { rows, duplicate });
        }
        for (&r, was) in touched.iter().zip(before) {
            match (was, self.is_duplicate(r as usize)) {
                (false, true) => self.duplicate_faces += 1,
                (true, false) => self.duplicate_faces -= 1,
                _ => {}
            }
        }
        changed
    }

    fn lookalike_of(&self, row: usize) -> Option<u32> {
        let c = *self.row_lookalike.get(&(row as u32))?;
        self.lookalikes[c as usize].duplicate.then_some(c)
    }

    /// The groups a row is in, one entry per kind (`u32::MAX`: none of that kind).
    pub fn group_key(&self, row: usize) -> GroupKey {
        let Some(links) = self.links.get(row) else {
            return [NONE; 3];
        };
        let user = if self.users.count(links.user) > 1 {
            links.user
        } else {
            NONE
        };
        let image = if self.images.count(links.image) > 1 {
            links.image
        } else {
            NONE
        };
        [user, image, self.lookalike_of(row).unwrap_or(NONE)]
    }

    /// In at least one duplicate group.
    pub fn is_duplicate(&self, row: usize) -> bool {
        self.group_key(row) != [NONE; 3]
    }

    /// The kinds of group the row is in, in kind order.
    pub fn kinds(&self, row: usize) -> Vec<DuplicateKind> {
        let [user, image, lookalike] = self.group_key(row);
        [
            (user != NONE).then_some(DuplicateKind::SameUser),
            (image != NONE).then_some(DuplicateKind::SameImage),
            (lookalike != NONE).then_some(DuplicateKind::Lookalike),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Distinct user ids among the rows.
    pub fn user_count(&self) -> usize {
        self.users.slots.len()
    }

    /// Duplicate groups of every kind.
    pub fn group_count(&self) -> usize {
        self.users.duplicates.len() + self.images.duplicates.len() + self.lookalike_duplicates
    }

    pub fn lookalike_group_count(&self) -> usize {
        self.lookalike_duplicates
    }

    /// Rows in at least one duplicate group.
    pub fn duplicate_face_count(&self) -> usize {
        self.duplicate_faces
    }

    fn chain(&self, first: u32, user: bool) -> Vec<u32> {
        let mut rows = Vec::new();
        let mut row = first;
        while row != NONE {
            rows.push(row);
            let links = &self.links[row as usize];
            row = if user {
                links.next_user
            } else {
                links.next_image
            };
        }
        rows
    }

    /// The rows of each group `row` is in, by kind.
    fn groups_rows(&self, row: usize) -> Vec<(DuplicateKind, Vec<u32>)> {
        let [user, image, lookalike] = self.group_key(row);
        let mut groups = Vec::new();
        if user != NONE {
            let first = self.users.slots[user as usize].first;
            groups.push((DuplicateKind::SameUser, self.chain(first, true)));
        }
        if image != NONE {
            let first = self.images.slots[image as usize].first;
            groups.push((DuplicateKind::SameImage, self.chain(first, false)));
        }
        if lookalike != NONE {
            let rows = self.lookalikes[lookalike as usize].rows.clone();
            groups.push((DuplicateKind::Lookalike, rows));
        }
        groups
    }

    /// The groups `row` is in, as the console names them.
    pub fn groups_of(&self, row: usize, faces: &[Face]) -> Vec<DuplicateGroup> {
        self.groups_rows(row)
            .into_iter()
            .map(|(kind, rows)| {
                let face = &faces[row];
                let key = match kind {
                    DuplicateKind::SameUser => face.external_image_id.clone().unwrap_or_default(),
                    DuplicateKind::SameImage => face.image_id.clone().unwrap_or_default(),
                    DuplicateKind::Lookalike => distinct_users(faces, &rows).join("+"),
                };
                DuplicateGroup {
                    kind,
                    key,
                    face_ids: rows
                        .iter()
                        .map(|&r| faces[r as usize].face_id.clone())
                        .collect(),
                }
            })
            .collect()
    }

    /// Every row of `row`'s groups (all kinds), in row order.
    pub fn group_members(&self, row: usize) -> Vec<usize> {
        let mut rows: Vec<usize> = self
            .groups_rows(row)
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .map(|r| r as usize)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// The duplicate rows, each group's side by side: same-user groups, then same-image,
    /// then lookalikes, each kind in the order of its first face; a face in several groups
    /// shows at its first. Costs the duplicate faces, not the rows.
    pub fn duplicate_rows_in_order(&self) -> Vec<usize> {
        let mut shown = std::collections::HashSet::with_capacity(self.duplicate_faces);
        let mut order = Vec::with_capacity(self.duplicate_faces);
        let mut emit = |rows: &mut dyn Iterator<Item = u32>| {
            for r in rows {
                if shown.insert(r) {
                    order.push(r as usize);
                }
            }
        };
        for &slot in &self.users.duplicates {
            emit(
                &mut self
                    .chain(self.users.slots[slot as usize].first, true)
                    .into_iter(),
            );
        }
        for &slot in &self.images.duplicates {
            let first = self.images.slots[slot as usize].first;
            emit(&mut self.chain(first, false).into_iter());
        }
        let mut lookalikes: Vec<&Lookalike> =
            self.lookalikes.iter().filter(|c| c.duplicate).collect();
        lookalikes.sort_by_key(|c| c.rows.first().copied());
        for cluster in lookalikes {
            emit(&mut cluster.rows.iter().copied());
        }
        order
    }
}

#[cfg(test)]
#[path = "face_groups_tests.rs"]
mod tests;
