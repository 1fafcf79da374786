//! The sandbox's face collection and buckets through the `Backend` trait, as the faces and
//! thumbnails views use them: pagination, search, partial deletion failures, missing
//! resources, and a real thumbnail image.

use crate::sandbox_support;

use sandbox_support::{quiet_options, run_photo};
use std::sync::Arc;
use stepdeck::backend::local::{COLLECTION_ID, LocalSandbox, PHOTO_BUCKET, THUMBNAIL_BUCKET};
use stepdeck::backend::{Backend, BackendError};
use stepdeck::domain::execution::ExecutionStatus;

/// Runs `1_happy_face.jpg` for `user` to its end and returns the final status.
async fn run_happy_face(sandbox: &dyn Backend, user: &str) -> ExecutionStatus {
    run_photo(sandbox, user, "1_happy_face.jpg").await.status
}

#[tokio::test(start_paused = true)]
async fn faces_page_search_and_delete_with_per_face_failures() {
    // Through the trait, as the views see it (the sandbox's inherent helpers differ).
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    assert_eq!(
        run_happy_face(sandbox.as_ref(), "user_a").await,
        ExecutionStatus::Succeeded
    );
    let first = sandbox.list_faces(COLLECTION_ID, None, 1).await.unwrap();
    assert_eq!(first.items.len(), 1);
    let face = first.items[0].clone();
    assert_eq!(face.external_image_id.as_deref(), Some("user_a"));
    assert!(first.next_token.is_none(), "one face, one page");

    // Nothing else looks like this face yet; an unknown face id is a NotFound.
    let matches = sandbox
        .search_faces(COLLECTION_ID, &face.face_id, 70.0)
        .await
        .unwrap();
    assert!(matches.is_empty());
    assert!(matches!(
        sandbox
            .search_faces(COLLECTION_ID, "no-such-face", 70.0)
            .await,
        Err(BackendError::NotFound { .. })
    ));

    let result = sandbox
        .delete_faces(
            COLLECTION_ID,
            &[face.face_id.clone(), "no-such-face".to_string()],
        )
        .await
        .unwrap();
    assert_eq!(result.deleted, vec![face.face_id.clone()]);
    assert_eq!(result.unsuccessful.len(), 1);
    assert_eq!(result.unsuccessful[0].face_id, "no-such-face");
    assert_eq!(result.unsuccessful[0].reasons, vec!["FACE_NOT_FOUND"]);
    assert!(
        sandbox
            .list_faces(COLLECTION_ID, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(matches!(
        sandbox.list_faces("other-collection", None, 10).await,
        Err(BackendError::NotFound { .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn thumbnails_are_listed_in_pages_and_are_real_images() {
    // Through the trait, as the views see it (the sandbox's inherent helpers differ).
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    assert_eq!(
        run_happy_face(sandbox.as_ref(), "user_a").await,
        ExecutionStatus::Succeeded
    );
    let buckets = sandbox.list_buckets().await.unwrap();
    assert!(buckets.iter().any(|b| b.name == THUMBNAIL_BUCKET));
    let found = stepdeck::domain::objects::find_thumbnail_bucket(&buckets).unwrap();
    assert_eq!(found.name, THUMBNAIL_BUCKET);

    let photos_page = sandbox
        .list_objects(PHOTO_BUCKET, None, None, 2)
        .await
        .unwrap();
    assert_eq!(photos_page.items.len(), 2);
    let token = photos_page.next_token.expect("more than two photos");
    let rest = sandbox
        .list_objects(PHOTO_BUCKET, None, Some(token), 1000)
        .await
        .unwrap();
    assert!(!rest.items.is_empty());
    assert!(rest.items[0].key > photos_page.items[1].key, "key order");

    let thumbnails = sandbox
        .list_objects(THUMBNAIL_BUCKET, Some("resized-1_"), None, 100)
        .await
        .unwrap();
    let keys: Vec<&str> = thumbnails.items.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, vec!["resized-1_happy_face.jpg"]);
    let body = sandbox
        .get_object(THUMBNAIL_BUCKET, "resized-1_happy_face.jpg")
        .await
        .unwrap();
    assert_eq!(body.bytes.len() as u64, thumbnails.items[0].size);
    let image = image::load_from_memory(&body.bytes).expect("a decodable image");
    assert!(image.width() <= 300 && image.height() <= 300);

    assert!(matches!(
        sandbox.get_object(THUMBNAIL_BUCKET, "missing.jpg").await,
        Err(BackendError::NotFound { .. })
    ));
    assert!(matches!(
        sandbox.list_objects("no-such-bucket", None, None, 10).await,
        Err(BackendError::NotFound { .. })
    ));
    sandbox
        .delete_object(THUMBNAIL_BUCKET, "resized-1_happy_face.jpg")
        .await
        .unwrap();
    assert!(matches!(
        sandbox
            .get_object(THUMBNAIL_BUCKET, "resized-1_happy_face.jpg")
            .await,
        Err(BackendError::NotFound { .. })
    ));
}
