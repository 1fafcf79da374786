//! The face collection through Rekognition: list (paginated), search by face or by an S3
//! photo, delete in
//! batches (the `Backend` trait delegates here), and index/create for setting up a sandbox
//! account or a test server.

use super::AwsBackend;
use super::convert;
use super::errors::ApiCall;
use crate::backend::{BackendResult, Page};
use crate::domain::faces::{
    CollectionInfo, DeleteFacesResult, Face, FaceMatch, UnsuccessfulFaceDeletion, delete_batches,
};
use aws_sdk_rekognition::primitives::Blob;
use aws_sdk_rekognition::types::{Image, S3Object};

/// `SearchFaces` / `SearchFacesByImage` return at most this many matches (the API's maximum).
const MAX_SEARCH_MATCHES: i32 = 4096;

/// A search's matches as domain values (a match without its face says nothing: skipped).
fn matches(found: &[aws_sdk_rekognition::types::FaceMatch]) -> Vec<FaceMatch> {
    found
        .iter()
        .filter_map(|m| {
            Some(FaceMatch {
                face: convert::face(m.face()?),
                similarity: m.similarity().unwrap_or(0.0),
            })
        })
        .collect()
}

impl AwsBackend {
    /// One page of the collection's faces (`ListFaces`, at most 4,096 per page).
    pub async fn list_faces(
        &self,
        collection: &str,
        next_token: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<Face>> {
        let call = ApiCall::new(
            "rekognition",
            "ListFaces",
            format!("collection {collection}"),
        );
        let output = self
            .call(&call, || {
                self.rekognition
                    .list_faces()
                    .collection_id(collection)
                    .set_next_token(next_token.clone())
                    .max_results(page_size.clamp(1, 4096) as i32)
                    .send()
            })
            .await?;
        Ok(Page {
            items: output.faces().iter().map(convert::face).collect(),
            next_token: output.next_token().map(str::to_string),
        })
    }

    /// The collection's face count (`DescribeCollection`).
    pub async fn describe_collection(&self, collection: &str) -> BackendResult<CollectionInfo> {
        let call = ApiCall::new(
            "rekognition",
            "DescribeCollection",
            format!("collection {collection}"),
        );
        let output = self
            .call(&call, || {
                self.rekognition
                    .describe_collection()
                    .collection_id(collection)
                    .send()
            })
            .await?;
        Ok(CollectionInfo {
            face_count: output.face_count().unwrap_or(0).max(0) as u64,
        })
    }

    /// Faces of the collection similar to `face_id` (itself excluded), most similar first.
    pub async fn search_faces(
        &self,
        collection: &str,
        face_id: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>> {
        let call = ApiCall::new(
            "rekognition",
            "SearchFaces",
            format!("face {face_id} in collection {collection}"),
        );
        let output = self
            .call(&call, || {
                self.rekognition
                    .search_faces()
                    .collection_id(collection)
                    .face_id(face_id)
                    .face_match_threshold(threshold)
                    .max_faces(MAX_SEARCH_MATCHES)
                    .send()
            })
            .await?;
        Ok(matches(output.face_matches()))
    }

    /// Faces of the collection like the (largest) face in the photo at `s3://bucket/key`,
    /// most similar first: `SearchFacesByImage` with `Image.S3Object`, Rekognition reading
    /// the photo itself, as the pipeline's `CheckFaceDuplicate` does.
    pub async fn search_faces_by_image(
        &self,
        collection: &str,
        bucket: &str,
        key: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>> {
        let call = ApiCall::new(
            "rekognition",
            "SearchFacesByImage",
            format!("s3://{bucket}/{key} in collection {collection}"),
        );
        let image = Image::builder()
            .s3_object(S3Object::builder().bucket(bucket).name(key).build())
            .build();
        let output = self
            .call(&call, || {
                self.rekognition
                    .search_faces_by_image()
                    .collection_id(collection)
                    .image(image.clone())
                    .face_match_threshold(threshold)
                    .max_faces(MAX_SEARCH_MATCHES)
                    .send()
            })
            .await?;
        Ok(matches(output.face_matches()))
    }

    /// Deletes faces in batches of at most 4,096 ids (one call each). Ids the service could
    /// not delete come back in `unsuccessful` with its reasons. A call that fails stops the
    /// deletion: on the first batch, or when its outcome is unknown, with the error; after
    /// earlier batches deleted faces and certainly not carried out, with what they deleted
    /// and the rest as unsuccessful (so a journal never records a deleted face as kept).
    pub async fn delete_faces(
        &self,
        collection: &str,
        face_ids: &[String],
    ) -> BackendResult<DeleteFacesResult> {
        let call = ApiCall::new(
            "rekognition",
            "DeleteFaces",
            format!("collection {collection}"),
        );
        let mut result = DeleteFacesResult::default();
        let batches = delete_batches(face_ids);
        for (sent, batch) in batches.iter().enumerate() {
            let answer = self
                .call(&call, || {
                    self.rekognition
                        .delete_faces()
                        .collection_id(collection)
                        .set_face_ids(Some(batch.clone()))
                        .send()
                })
                .await;
            let output = match answer {
                Ok(output) => output,
                Err(error) if sent > 0 && error.certainly_not_done() => {
                    result.merge(DeleteFacesResult::not_attempted(
                        batches[sent..].iter().flatten(),
                        &format!(
                            "not deleted: batch {} of {} failed: {error}",
                            sent + 1,
                            batches.len()
                        ),
                    ));
                    return Ok(result);
                }
                Err(error) => return Err(error),
            };
            result.merge(DeleteFacesResult {
                deleted: output.deleted_faces().to_vec(),
                unsuccessful: output
                    .unsuccessful_face_deletions()
                    .iter()
                    .map(|u| UnsuccessfulFaceDeletion {
                        face_id: u.face_id().unwrap_or_default().to_string(),
                        reasons: u.reasons().iter().map(|r| r.as_str().to_string()).collect(),
                    })
                    .collect(),
            });
        }
        Ok(result)
    }

    /// Indexes the faces of an image (the pipeline's AddFaceToIndex step does this).
    pub async fn index_faces(
        &self,
        collection: &str,
        image: &[u8],
        external_image_id: Option<&str>,
    ) -> BackendResult<Vec<Face>> {
        let call = ApiCall::new(
            "rekognition",
            "IndexFaces",
            format!("collection {collection}"),
        );
        let output = self
            .call(&call, || {
                self.rekognition
                    .index_faces()
                    .collection_id(collection)
                    .image(Image::builder().bytes(Blob::new(image)).build())
                    .set_external_image_id(external_image_id.map(str::to_string))
                    .max_faces(1)
                    .send()
            })
            .await?;
        Ok(output
            .face_records()
            .iter()
            .filter_map(|record| record.face().map(convert::face))
            .collect())
    }

    /// Creates a face collection.
    pub async fn create_collection(&self, collection: &str) -> BackendResult<()> {
        let call = ApiCall::new(
            "rekognition",
            "CreateCollection",
            format!("collection {collection}"),
        );
        self.call(&call, || {
            self.rekognition
                .create_collection()
                .collection_id(collection)
                .send()
        })
        .await?;
        Ok(())
    }
}
