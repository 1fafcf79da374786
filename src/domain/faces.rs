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

/// A face found by a similarity search, with its similarity in percent.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceMatch {
    pub face: Face,
    pub similarity: f32,
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
}
