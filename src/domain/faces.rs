//! Faces of a Rekognition face collection as the console shows and deletes them, independent of
//! the backend: the face record, search matches and the result of a (batched) deletion.

use super::Millis;

/// Rekognition's `DeleteFaces` accepts at most this many face ids per call.
pub const MAX_FACE_IDS_PER_DELETE: usize = 4096;

/// Where the face is in its image, as fractions of the image's width and height.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BoundingBox {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub top: f32,
}

/// One indexed face (`ListFaces`' `Face`).
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    pub face_id: String,
    /// In the rider-photo pipeline: the rider's user id.
    pub external_image_id: Option<String>,
    /// The image the face was indexed from (assigned by Rekognition per indexing call).
    pub image_id: Option<String>,
    /// Detection confidence in percent.
    pub confidence: Option<f32>,
    pub bounding_box: Option<BoundingBox>,
    /// When the face was indexed, where the backend knows it (Rekognition does not say).
    pub indexed_at: Option<Millis>,
}

/// What `DescribeCollection` says of a collection: how many faces it holds (Rekognition
/// updates the count after a delay, so it is an estimate while faces come and go).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollectionInfo {
    pub face_count: u64,
}

/// A face found by a similarity search, with its similarity in percent.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceMatch {
    pub face: Face,
    pub similarity: f32,
}

/// One lookalike search as kept between sessions: the face searched (`SearchFaces`) and the
/// ids of the faces it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookalikeSearch {
    pub face_id: String,
    pub matched: Vec<String>,
}

/// A face id that could not be deleted and why (e.g. `FACE_NOT_FOUND`).
#[derive(Debug, Clone, PartialEq)]
pub struct UnsuccessfulFaceDeletion {
    pub face_id: String,
    pub reasons: Vec<String>,
}

/// What a deletion did, over all the batches it took.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeleteFacesResult {
    pub deleted: Vec<String>,
    pub unsuccessful: Vec<UnsuccessfulFaceDeletion>,
}

impl DeleteFacesResult {
    /// `face_ids` certainly left in place, each for `reason`.
    pub fn not_attempted<'a>(
        face_ids: impl IntoIterator<Item = &'a String>,
        reason: &str,
    ) -> DeleteFacesResult {
        DeleteFacesResult {
            deleted: Vec::new(),
            unsuccessful: face_ids
                .into_iter()
                .map(|id| UnsuccessfulFaceDeletion {
                    face_id: id.clone(),
                    reasons: vec![reason.to_string()],
                })
                .collect(),
        }
    }

    /// Adds the result of one more batch.
    pub fn merge(&mut self, other: DeleteFacesResult) {
        self.deleted.extend(other.deleted);
        self.unsuccessful.extend(other.unsuccessful);
    }
}

/// Splits face ids into batches `DeleteFaces` accepts, keeping their order and dropping
/// repeated ids (a face deleted in one batch would come back as "not found" in the next).
pub fn delete_batches(face_ids: &[String]) -> Vec<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<String> = face_ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect();
    unique
        .chunks(MAX_FACE_IDS_PER_DELETE)
        .map(<[String]>::to_vec)
        .collect()
}

/// Why faces are grouped as possible duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DuplicateKind {
    /// One user id (ExternalImageId) with more than one face: the rider was indexed twice.
    SameUser,
    /// One image with more than one indexed face: the image was indexed twice (or held
    /// several faces, which the pipeline rejects).
    SameImage,
    /// Faces that face search says are one person, under different user ids.
    Lookalike,
}

impl DuplicateKind {
    pub fn label(self) -> &'static str {
        match self {
            DuplicateKind::SameUser => "same user",
            DuplicateKind::SameImage => "same image",
            DuplicateKind::Lookalike => "lookalike",
        }
    }
}

/// Faces that may be duplicates of each other.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateGroup {
    pub kind: DuplicateKind,
    /// The shared user id or image id; for lookalikes, the user ids joined with `+`.
    pub key: String,
    /// Face ids in the order of the face list.
    pub face_ids: Vec<String>,
}

/// Groups of more than one face sharing a user id, then sharing an image id, each kind in
/// the order its first face appears in `faces`. Faces without the id are not grouped.
pub fn duplicate_groups(faces: &[Face]) -> Vec<DuplicateGroup> {
    let mut groups = group_by(faces, DuplicateKind::SameUser, |f| {
        f.external_image_id.as_deref()
    });
    groups.extend(group_by(faces, DuplicateKind::SameImage, |f| {
        f.image_id.as_deref()
    }));
    groups
}

fn group_by<'a>(
    faces: &'a [Face],
    kind: DuplicateKind,
    key: impl Fn(&'a Face) -> Option<&'a str>,
) -> Vec<DuplicateGroup> {
    let mut order: Vec<&str> = Vec::new();
    let mut members: std::collections::HashMap<&str, Vec<String>> = Default::default();
    for face in faces {
        let Some(k) = key(face) else { continue };
        let ids = members.entry(k).or_default();
        if ids.is_empty() {
            order.push(k);
        }
        ids.push(face.face_id.clone());
    }
    order
        .into_iter()
        .filter_map(|k| {
            let face_ids = members.remove(k)?;
            (face_ids.len() > 1).then(|| DuplicateGroup {
                kind,
                key: k.to_string(),
                face_ids,
            })
        })
        .collect()
}

/// Faces of one person found with `SearchFaces`, merged transitively (if A looks like B and
/// B like C, all three are one cluster): a union-find over face ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LookalikeClusters {
    parent: std::collections::HashMap<String, String>,
    /// The members of each cluster, by its root: what one answer changed is read from here
    /// without walking every clustered face.
    members: std::collections::HashMap<String, Vec<String>>,
    searched: std::collections::HashSet<String>,
}

impl LookalikeClusters {
    fn root(&self, id: &str) -> String {
        let mut current = id.to_string();
        while let Some(parent) = self.parent.get(&current) {
            if *parent == current {
                break;
            }
            current = parent.clone();
        }
        current
    }

    fn union(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.root(a), self.root(b));
        self.parent.entry(ra.clone()).or_insert_with(|| ra.clone());
        self.parent.entry(rb.clone()).or_insert_with(|| rb.clone());
        if ra == rb {
            return;
        }
        // The smaller cluster joins the larger: each face moves O(log n) times at most.
        let size = |r: &str| self.members.get(r).map_or(1, Vec::len);
        let (keep, join) = if size(&ra) >= size(&rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let joined = self
            .members
            .remove(&join)
            .unwrap_or_else(|| vec![join.clone()]);
        self.members
            .entry(keep.clone())
            .or_insert_with(|| vec![keep.clone()])
            .extend(joined);
        self.parent.insert(join, keep);
    }

    /// Every face of `face_id`'s cluster (itself alone when it is in none).
    pub fn cluster(&self, face_id: &str) -> Vec<String> {
        match self.members.get(&self.root(face_id)) {
            Some(members) => members.clone(),
            None => vec![face_id.to_string()],
        }
    }

    /// No search answered yet (most collections, and every one on the first page).
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Whether any search answer named `face_id` (searched, or found by a search).
    pub fn knows(&self, face_id: &str) -> bool {
        self.parent.contains_key(face_id)
    }

    /// Records the answer of a search for `face_id`.
    pub fn add(&mut self, face_id: &str, matches: &[FaceMatch]) {
        self.record(face_id, matches.iter().map(|m| m.face.face_id.as_str()));
    }

    /// A search kept from an earlier session: the same as its answer arriving now.
    pub fn add_kept(&mut self, search: &LookalikeSearch) {
        self.record(&search.face_id, search.matched.iter().map(String::as_str));
    }

    /// `face_id` was searched and matched `matched`.
    fn record<'a>(&mut self, face_id: &str, matched: impl Iterator<Item = &'a str>) {
        self.searched.insert(face_id.to_string());
        for other in matched {
            self.union(face_id, other);
        }
    }

    pub fn was_searched(&self, face_id: &str) -> bool {
        self.searched.contains(face_id)
    }

    /// True when the face already belongs to a cluster of several faces: searching it again
    /// would find the same cluster, so a scan can skip it and spare an API call.
    pub fn is_clustered(&self, face_id: &str) -> bool {
        self.members
            .get(&self.root(face_id))
            .is_some_and(|members| members.len() > 1)
    }

    /// Clusters among `faces` with more than one distinct user id (the same person under
    /// different user ids), in the order of their first face in `faces`.
    pub fn groups(&self, faces: &[Face]) -> Vec<DuplicateGroup> {
        let mut order: Vec<String> = Vec::new();
        let mut members: std::collections::HashMap<String, Vec<&Face>> = Default::default();
        for face in faces {
            if !self.parent.contains_key(&face.face_id) {
                continue;
            }
            let root = self.root(&face.face_id);
            let list = members.entry(root.clone()).or_default();
            if list.is_empty() {
                order.push(root);
            }
            list.push(face);
        }
        order
            .into_iter()
            .filter_map(|root| {
                let faces = members.remove(&root)?;
                let mut users: Vec<&str> = faces
                    .iter()
                    .map(|f| f.external_image_id.as_deref().unwrap_or("?"))
                    .collect();
                users.sort_unstable();
                users.dedup();
                (users.len() > 1).then(|| DuplicateGroup {
                    kind: DuplicateKind::Lookalike,
                    key: users.join("+"),
                    face_ids: faces.iter().map(|f| f.face_id.clone()).collect(),
                })
            })
            .collect()
    }
}

/// Number of distinct user ids among `faces` (faces without one are not counted).
pub fn user_count(faces: &[Face]) -> usize {
    faces
        .iter()
        .filter_map(|f| f.external_image_id.as_deref())
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// Which faces of `group` to delete so that only the newest (or oldest) indexed one stays.
/// None when a face's indexed time is unknown (Rekognition does not report it): guessing
/// would risk keeping the wrong face.
pub fn all_but_one(group: &[&Face], keep_newest: bool) -> Option<Vec<String>> {
    let mut timed: Vec<(Millis, &Face)> = group
        .iter()
        .map(|f| f.indexed_at.map(|t| (t, *f)))
        .collect::<Option<_>>()?;
    timed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.face_id.cmp(&b.1.face_id)));
    if keep_newest {
        timed.pop();
    } else if !timed.is_empty() {
        timed.remove(0);
    }
    Some(timed.into_iter().map(|(_, f)| f.face_id.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_hold_at_most_the_api_limit_and_keep_order() {
        let ids: Vec<String> = (0..MAX_FACE_IDS_PER_DELETE * 2 + 3)
            .map(|i| format!("face-{i}"))
            .collect();
        let batches = delete_batches(&ids);
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(
            sizes,
            vec![MAX_FACE_IDS_PER_DELETE, MAX_FACE_IDS_PER_DELETE, 3]
        );
        assert_eq!(batches.concat(), ids);
        assert!(delete_batches(&[]).is_empty());
    }

    #[test]
    fn repeated_ids_are_sent_once() {
        let ids = vec!["a".to_string(), "b".into(), "a".into()];
        assert_eq!(
            delete_batches(&ids),
            vec![vec!["a".to_string(), "b".into()]]
        );
    }

    #[test]
    fn merged_results_keep_every_batch() {
        let mut total = DeleteFacesResult::default();
        total.merge(DeleteFacesResult {
            deleted: vec!["a".into()],
            unsuccessful: vec![],
        });
        total.merge(DeleteFacesResult {
            deleted: vec!["b".into()],
            unsuccessful: vec![UnsuccessfulFaceDeletion {
                face_id: "c".into(),
                reasons: vec!["FACE_NOT_FOUND".into()],
            }],
        });
        assert_eq!(total.deleted, vec!["a".to_string(), "b".into()]);
        assert_eq!(total.unsuccessful.len(), 1);
    }

    fn face(id: &str, user: &str, image: &str, at: Option<Millis>) -> Face {
        Face {
            face_id: id.into(),
            external_image_id: Some(user.into()),
            image_id: Some(image.into()),
            confidence: Some(99.9),
            bounding_box: None,
            indexed_at: at,
        }
    }

    fn matched(f: &Face) -> FaceMatch {
        FaceMatch {
            face: f.clone(),
            similarity: 99.2,
        }
    }

    #[test]
    fn users_with_several_faces_and_images_indexed_twice_are_grouped() {
        let faces = vec![
            face("f1", "user_a", "img1", None),
            face("f2", "user_b", "img2", None),
            face("f3", "user_a", "img3", None),
            face("f4", "user_c", "img2", None),
            face("f5", "user_d", "img5", None),
            face("f6", "user_a", "img6", None),
        ];
        let groups = duplicate_groups(&faces);
        assert_eq!(
            groups,
            vec![
                DuplicateGroup {
                    kind: DuplicateKind::SameUser,
                    key: "user_a".into(),
                    face_ids: vec!["f1".into(), "f3".into(), "f6".into()],
                },
                DuplicateGroup {
                    kind: DuplicateKind::SameImage,
                    key: "img2".into(),
                    face_ids: vec!["f2".into(), "f4".into()],
                },
            ]
        );
        assert_eq!(user_count(&faces), 4);
        assert!(duplicate_groups(&faces[..2]).is_empty());
    }

    #[test]
    fn lookalikes_merge_transitively_and_need_two_user_ids() {
        let faces = vec![
            face("a1", "user_a", "i1", None),
            face("b1", "user_b", "i2", None),
            face("c1", "user_c", "i3", None),
            face("a2", "user_a", "i4", None),
            face("d1", "user_d", "i5", None),
        ];
        let mut clusters = LookalikeClusters::default();
        clusters.add("a1", &[matched(&faces[1])]);
        assert!(clusters.is_clustered("b1"));
        assert!(!clusters.is_clustered("c1"));
        clusters.add("b1", &[matched(&faces[0]), matched(&faces[2])]);
        // Same user twice is a SameUser duplicate, not a lookalike.
        clusters.add("a2", &[]);
        clusters.add("d1", &[]);
        let groups = clusters.groups(&faces);
        assert_eq!(groups.len(), 1, "{groups:#?}");
        assert_eq!(groups[0].kind, DuplicateKind::Lookalike);
        assert_eq!(groups[0].key, "user_a+user_b+user_c");
        assert_eq!(groups[0].face_ids, vec!["a1", "b1", "c1"]);
        assert!(clusters.was_searched("d1"));
        assert!(!clusters.was_searched("c1"));

        let mut same_user = LookalikeClusters::default();
        same_user.add("a1", &[matched(&faces[3])]);
        assert!(same_user.groups(&faces).is_empty());
        // Faces no longer listed (deleted) drop out of the groups.
        assert!(clusters.groups(&faces[2..]).is_empty());
    }

    #[test]
    fn keep_newest_or_oldest_marks_the_others_only_with_known_times() {
        let faces = [
            face("mid", "u", "i1", Some(2_000)),
            face("old", "u", "i2", Some(1_000)),
            face("new", "u", "i3", Some(3_000)),
        ];
        let group: Vec<&Face> = faces.iter().collect();
        assert_eq!(
            all_but_one(&group, true),
            Some(vec!["old".to_string(), "mid".into()])
        );
        assert_eq!(
            all_but_one(&group, false),
            Some(vec!["mid".to_string(), "new".into()])
        );
        let unknown = face("x", "u", "i4", None);
        let mut partly: Vec<&Face> = faces.iter().collect();
        partly.push(&unknown);
        assert_eq!(all_but_one(&partly, true), None);
    }
}
