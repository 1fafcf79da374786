//! In-process stand-ins for the services the pipeline touches: the Rekognition face
//! collection, the S3 buckets, the DynamoDB metadata table and the SNS topic. The public
//! structs are what later views read (faces, objects, metadata items, notifications).

use super::photos::DeclaredFace;
use crate::domain::Millis;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Rekognition's `BoundingBox`: fractions of the image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
}

impl BoundingBox {
    pub fn from_declared(face: &DeclaredFace) -> BoundingBox {
        let [left, top, width, height] = face.bounding_box;
        BoundingBox {
            width,
            height,
            left,
            top,
        }
    }
}

/// A face in the collection, as `ListFaces` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceRecord {
    pub face_id: String,
    /// The rider's user id in the pipeline.
    pub external_image_id: String,
    pub image_id: String,
    pub confidence: f64,
    pub bounding_box: BoundingBox,
    pub indexed_at: Millis,
    /// Declared identity of the face: what face search matches on. Not part of what
    /// Rekognition shows, hence private.
    identity: String,
}

/// A face found by a search, with its similarity (0–100).
#[derive(Debug, Clone, PartialEq)]
pub struct FaceMatch {
    pub face: FaceRecord,
    pub similarity: f64,
}

/// Why `SearchFacesByImage` found no face to search with: Rekognition's errors for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSearchError {
    /// The object does not exist (or is not readable).
    NoObject,
    /// The image shows no face.
    NoFace,
}

impl ImageSearchError {
    /// Rekognition's error code.
    pub fn code(self) -> &'static str {
        match self {
            ImageSearchError::NoObject => "InvalidS3ObjectException",
            ImageSearchError::NoFace => "InvalidParameterException",
        }
    }

    /// Rekognition's message.
    pub fn message(self) -> &'static str {
        match self {
            ImageSearchError::NoObject => {
                "Unable to get object metadata from S3. Check object key, region and/or access permissions."
            }
            ImageSearchError::NoFace => "There are no faces in the image. Should be at least 1.",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    pub bucket: String,
    pub key: String,
    pub size: u64,
    pub content_type: String,
    pub last_modified: Millis,
    pub etag: String,
}

/// A DynamoDB item (attribute values in the typed JSON form, `{"S": "…"}`).
#[derive(Debug, Clone, PartialEq)]
pub struct MetadataItem {
    pub table: String,
    pub item: Value,
    pub written_at: Millis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub topic_arn: String,
    pub message_id: String,
    pub subject: Option<String>,
    pub message: String,
    pub published_at: Millis,
}

#[derive(Debug, Clone)]
pub(crate) struct Object {
    pub meta: StoredObject,
    pub bytes: Arc<Vec<u8>>,
    /// The photo's declared faces (empty for thumbnails and other files).
    pub faces: Vec<DeclaredFace>,
}

/// Bound on the records kept for metadata items and notifications (oldest dropped first),
/// so a long-running sandbox does not grow without limit.
pub const MAX_RECORDS: usize = 2_000;

#[derive(Debug, Default)]
pub(crate) struct Stores {
    /// The `rider-photos` collection (the sandbox has one).
    faces: Vec<FaceRecord>,
    buckets: BTreeMap<String, BTreeMap<String, Object>>,
    /// Table name -> (hash key attribute, items).
    tables: BTreeMap<String, (String, Vec<MetadataItem>)>,
    topics: BTreeMap<String, Vec<Notification>>,
}

impl Stores {
    pub fn create_bucket(&mut self, name: &str) {
        self.buckets.entry(name.to_string()).or_default();
    }

    pub fn create_table(&mut self, name: &str, hash_key: &str) {
        self.tables
            .entry(name.to_string())
            .or_insert_with(|| (hash_key.to_string(), Vec::new()));
    }

    pub fn create_topic(&mut self, arn: &str) {
        self.topics.entry(arn.to_string()).or_default();
    }

    pub fn bucket_names(&self) -> Vec<String> {
        self.buckets.keys().cloned().collect()
    }

    /// Stores an object; false when the bucket does not exist.
    pub fn put_object(
        &mut self,
        bucket: &str,
        key: &str,
        bytes: Arc<Vec<u8>>,
        content_type: &str,
        faces: Vec<DeclaredFace>,
        now: Millis,
    ) -> bool {
        let Some(objects) = self.buckets.get_mut(bucket) else {
            return false;
        };
        let meta = StoredObject {
            bucket: bucket.to_string(),
            key: key.to_string(),
            size: bytes.len() as u64,
            content_type: content_type.to_string(),
            last_modified: now,
            etag: format!("\"{:016x}\"", fnv1a(&bytes)),
        };
        objects.insert(key.to_string(), Object { meta, bytes, faces });
        true
    }

    pub fn object(&self, bucket: &str, key: &str) -> Option<&Object> {
        self.buckets.get(bucket)?.get(key)
    }

    pub fn objects(&self, bucket: &str) -> Vec<StoredObject> {
        self.buckets
            .get(bucket)
            .map(|objects| objects.values().map(|o| o.meta.clone()).collect())
            .unwrap_or_default()
    }

    pub fn delete_object(&mut self, bucket: &str, key: &str) -> bool {
        self.buckets
            .get_mut(bucket)
            .is_some_and(|objects| objects.remove(key).is_some())
    }

    pub fn faces(&self) -> Vec<FaceRecord> {
        self.faces.clone()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn index_face(
        &mut self,
        face: &DeclaredFace,
        external_image_id: &str,
        face_id: String,
        image_id: String,
        confidence: f64,
        now: Millis,
    ) -> FaceRecord {
        let record = FaceRecord {
            face_id,
            external_image_id: external_image_id.to_string(),
            image_id,
            confidence,
            bounding_box: BoundingBox::from_declared(face),
            indexed_at: now,
            identity: face.identity.clone(),
        };
        self.faces.push(record.clone());
        record
    }

    /// Faces similar to a face of `identity`, best first, at or above `threshold`.
    pub fn search_by_identity(&self, identity: &str, threshold: f64) -> Vec<FaceMatch> {
        let mut matches: Vec<FaceMatch> = self
            .faces
            .iter()
            .map(|face| FaceMatch {
                similarity: similarity(identity, face),
                face: face.clone(),
            })
            .filter(|m| m.similarity >= threshold)
            .collect();
        matches.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        matches
    }

    /// `SearchFacesByImage` with an S3 object: the faces like the photo's face (its first
    /// declared one, as Rekognition searches with the largest), best first. This is the one
    /// search the pipeline's `CheckFaceDuplicate` makes, and the console's jump from a
    /// rejected run to the face it ran into: both match faces, never user ids.
    pub fn search_by_image(
        &self,
        bucket: &str,
        key: &str,
        threshold: f64,
    ) -> Result<Vec<FaceMatch>, ImageSearchError> {
        let object = self.object(bucket, key).ok_or(ImageSearchError::NoObject)?;
        let face = object.faces.first().ok_or(ImageSearchError::NoFace)?;
        Ok(self.search_by_identity(&face.identity, threshold))
    }

    /// `SearchFaces` by FaceId: the other faces like it (the face itself excluded).
    pub fn search_by_face_id(&self, face_id: &str, threshold: f64) -> Option<Vec<FaceMatch>> {
        let face = self.faces.iter().find(|f| f.face_id == face_id)?;
        Some(
            self.search_by_identity(&face.identity, threshold)
                .into_iter()
                .filter(|m| m.face.face_id != face_id)
                .collect(),
        )
    }

    /// Deletes faces; returns the ids that were deleted (unknown ids are left out, like
    /// `UnsuccessfulFaceDeletions`).
    pub fn delete_faces(&mut self, face_ids: &[String]) -> Vec<String> {
        let mut deleted = Vec::new();
        self.faces.retain(|face| {
            let remove = face_ids.contains(&face.face_id);
            if remove {
                deleted.push(face.face_id.clone());
            }
            !remove
        });
        deleted
    }

    /// `PutItem`: replaces the item with the same hash key. Err names what is wrong.
    pub fn put_item(&mut self, table: &str, item: Value, now: Millis) -> Result<(), String> {
        let (hash_key, items) = self
            .tables
            .get_mut(table)
            .ok_or_else(|| format!("Requested resource not found: Table: {table} not found"))?;
        let key = item
            .get(hash_key.as_str())
            .cloned()
            .ok_or_else(|| format!("One of the required keys was not given a value: {hash_key}"))?;
        items.retain(|existing| existing.item.get(hash_key.as_str()) != Some(&key));
        items.push(MetadataItem {
            table: table.to_string(),
            item,
            written_at: now,
        });
        trim_front(items);
        Ok(())
    }

    pub fn items(&self) -> Vec<MetadataItem> {
        self.tables
            .values()
            .flat_map(|(_, items)| items.iter().cloned())
            .collect()
    }

    pub fn publish(&mut self, notification: Notification) -> bool {
        let Some(messages) = self.topics.get_mut(&notification.topic_arn) else {
            return false;
        };
        messages.push(notification);
        trim_front(messages);
        true
    }

    pub fn notifications(&self) -> Vec<Notification> {
        let mut all: Vec<Notification> = self.topics.values().flatten().cloned().collect();
        all.sort_by_key(|n| n.published_at);
        all
    }
}

fn trim_front<T>(records: &mut Vec<T>) {
    if records.len() > MAX_RECORDS {
        let excess = records.len() - MAX_RECORDS;
        records.drain(..excess);
    }
}

/// Similarity of a face of `identity` to an indexed face: the same person scores ~99, other
/// people a stable low score (a hash of the pair), well under the pipeline's threshold of 70.
fn similarity(identity: &str, face: &FaceRecord) -> f64 {
    if face.identity == identity {
        99.0 + (fnv1a(face.face_id.as_bytes()) % 90) as f64 / 100.0
    } else {
        let pair = format!("{identity}|{}", face.identity);
        5.0 + (fnv1a(pair.as_bytes()) % 3000) as f64 / 100.0
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ *b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn face(identity: &str) -> DeclaredFace {
        DeclaredFace {
            identity: identity.into(),
            sunglasses: false,
            bounding_box: [0.1, 0.2, 0.3, 0.4],
            skin: "#000000".into(),
            hair: "#000000".into(),
            shirt: "#000000".into(),
        }
    }

    #[test]
    fn face_search_matches_identities_not_user_ids() {
        let mut stores = Stores::default();
        stores.index_face(&face("ana"), "user_a", "f1".into(), "i1".into(), 99.9, 5);
        stores.index_face(&face("ben"), "user_b", "f2".into(), "i2".into(), 99.9, 6);
        let found = stores.search_by_identity("ana", 70.0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].face.external_image_id, "user_a");
        assert!(found[0].similarity >= 99.0);
        assert!(stores.search_by_identity("cleo", 70.0).is_empty());
        assert!(
            !stores.search_by_identity("cleo", 0.0).is_empty(),
            "low scores exist below the threshold"
        );
        stores.index_face(&face("ana"), "user_z", "f3".into(), "i3".into(), 99.9, 7);
        let lookalikes = stores.search_by_face_id("f1", 70.0).unwrap();
        assert_eq!(
            lookalikes
                .iter()
                .map(|m| m.face.face_id.as_str())
                .collect::<Vec<_>>(),
            vec!["f3"]
        );
        assert_eq!(
            stores.delete_faces(&["f1".into(), "nope".into()]),
            vec!["f1".to_string()]
        );
        assert_eq!(stores.faces().len(), 2);
    }

    #[test]
    fn search_by_image_finds_the_photo_s_person_under_any_user_id() {
        let mut stores = Stores::default();
        stores.create_bucket("photos");
        let bytes = Arc::new(vec![0xff, 0xd8, 0xff]);
        stores.put_object(
            "photos",
            "ana.jpg",
            bytes.clone(),
            "image/jpeg",
            vec![face("ana")],
            1,
        );
        stores.put_object("photos", "empty.jpg", bytes, "image/jpeg", vec![], 1);
        stores.index_face(&face("ana"), "user_a", "f1".into(), "i1".into(), 99.9, 5);
        stores.index_face(&face("ben"), "user_b", "f2".into(), "i2".into(), 99.9, 6);
        let found = stores.search_by_image("photos", "ana.jpg", 70.0).unwrap();
        assert_eq!(
            found
                .iter()
                .map(|m| m.face.face_id.as_str())
                .collect::<Vec<_>>(),
            vec!["f1"],
            "the photo's person, whoever runs it"
        );
        assert_eq!(
            stores.search_by_image("photos", "nope.jpg", 70.0),
            Err(ImageSearchError::NoObject)
        );
        assert_eq!(
            stores.search_by_image("photos", "empty.jpg", 70.0),
            Err(ImageSearchError::NoFace)
        );
        stores.delete_faces(&["f1".into()]);
        assert!(
            stores
                .search_by_image("photos", "ana.jpg", 70.0)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn put_item_replaces_by_hash_key_and_needs_the_table() {
        let mut stores = Stores::default();
        stores.create_table("t", "Username");
        stores
            .put_item("t", json!({"Username": {"S": "u"}, "v": {"N": "1"}}), 1)
            .unwrap();
        stores
            .put_item("t", json!({"Username": {"S": "u"}, "v": {"N": "2"}}), 2)
            .unwrap();
        assert_eq!(stores.items().len(), 1);
        assert_eq!(stores.items()[0].item["v"], json!({"N": "2"}));
        assert!(
            stores
                .put_item("nope", json!({}), 3)
                .unwrap_err()
                .contains("not found")
        );
        assert!(
            stores
                .put_item("t", json!({"x": 1}), 3)
                .unwrap_err()
                .contains("Username")
        );
    }

    #[test]
    fn objects_live_in_existing_buckets_only() {
        let mut stores = Stores::default();
        stores.create_bucket("b");
        assert!(stores.put_object("b", "k", Arc::new(vec![1, 2, 3]), "image/jpeg", vec![], 9));
        assert!(!stores.put_object("missing", "k", Arc::new(vec![]), "image/jpeg", vec![], 9));
        let listed = stores.objects("b");
        assert_eq!((listed[0].size, listed[0].last_modified), (3, 9));
        assert!(stores.delete_object("b", "k"));
        assert!(stores.object("b", "k").is_none());
    }
}
