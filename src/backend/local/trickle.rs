//! The trickle: a new rider-photo run every few seconds so the console stays alive — mostly
//! new riders (accepted), some photos that break the rules, missing objects and duplicates
//! (rejected), and now and then an S3 "Object Created" event instead of a direct input.

use super::{
    ACCOUNT_ID, LocalSandbox, PHOTO_BUCKET, REGION, RIDER_PHOTO_PROCESSING, THUMBNAIL_BUCKET,
    photos, state_machine_arn,
};
use crate::domain::time::format_rfc3339;
use rand::Rng;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::time::MissedTickBehavior;

/// Photos the trickle keeps uploaded; older ones are deleted with their thumbnails so a
/// sandbox left running for days stays bounded (their runs and faces remain).
const MAX_TRICKLE_UPLOADS: usize = 500;

impl LocalSandbox {
    /// Starts the trickle: a run at once and then every `every`, until the sandbox is dropped.
    /// A method rather than a function the parent names, so the dependency points one way: this
    /// file extends the sandbox, the sandbox does not know the file.
    pub(super) fn start_trickle(self: &Arc<Self>, every: Duration) {
        tokio::spawn(run(Arc::downgrade(self), every));
    }
}

async fn run(sandbox: Weak<LocalSandbox>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut rider_number = 0u64;
    let mut uploads: VecDeque<String> = VecDeque::new();
    loop {
        ticks.tick().await;
        let Some(sandbox) = sandbox.upgrade() else {
            return;
        };
        rider_number += 1;
        uploads.extend(sandbox.start_trickle_run(rider_number).await);
        while uploads.len() > MAX_TRICKLE_UPLOADS {
            let key = uploads.pop_front().expect("non-empty");
            sandbox.delete_object(PHOTO_BUCKET, &key);
            sandbox.delete_object(THUMBNAIL_BUCKET, &format!("resized-{key}"));
        }
    }
}

/// What a trickle run is about.
enum Plan {
    /// A rider never seen before: a freshly drawn photo uploaded under `<user>/selfie.jpg`.
    NewRider,
    /// One of the declared riders' photos uploaded for a new user: accepted the first time,
    /// a duplicate face afterwards.
    KnownRider(&'static str),
    /// A test photo that breaks a rule (sunglasses, several faces, no face).
    RuleBreaker(&'static str),
    /// A key that was never uploaded.
    MissingObject,
}

impl LocalSandbox {
    /// Starts one run; returns the key of the photo it uploaded, if it uploaded one.
    async fn start_trickle_run(&self, n: u64) -> Option<String> {
        let user = format!("user_{n:04}");
        let (plan, as_event) = {
            let mut rng = self.rng.lock().expect("rng lock");
            let plan = match rng.random_range(0..100) {
                0..55 => Plan::NewRider,
                // Not the workshop's photos: the built-in test suites clear and index
                // 1_happy_face.jpg themselves, and a trickle run indexing it between a
                // suite's clear and its run would turn "accepted" into a duplicate.
                55..70 => Plan::KnownRider(
                    ["5_rider_farah.jpg", "6_rider_gus.jpg", "7_rider_hana.jpg"]
                        [rng.random_range(0..3)],
                ),
                70..92 => Plan::RuleBreaker(
                    [
                        "2_sunglass_face.jpg",
                        "3_multiple_faces.jpg",
                        "4_no_face.jpg",
                    ][rng.random_range(0..3)],
                ),
                _ => Plan::MissingObject,
            };
            (plan, rng.random_bool(0.3))
        };
        let uploads_photo = matches!(plan, Plan::NewRider | Plan::KnownRider(_));
        let key = match plan {
            Plan::NewRider => {
                let key = format!("{user}/selfie.jpg");
                let photo = self.photos.generated_rider(n, &key);
                // Drawing and encoding is CPU work: keep it off the async worker threads.
                let (declarations, declared) = (self.photos.clone(), photo.clone());
                let drawn = tokio::task::spawn_blocking(move || {
                    photos::encode_jpeg(&declarations.draw(&declared))
                })
                .await;
                let Ok(bytes) = drawn else {
                    tracing::warn!("sandbox trickle could not draw a rider photo");
                    return None;
                };
                let now = self.clock.now_ms();
                self.stores.lock().expect("stores lock").put_object(
                    PHOTO_BUCKET,
                    &key,
                    Arc::new(bytes),
                    "image/jpeg",
                    photo.faces,
                    now,
                );
                key
            }
            Plan::KnownRider(sample) => {
                let key = format!("{user}/{sample}");
                self.upload_photo(&key, sample);
                key
            }
            Plan::RuleBreaker(sample) => sample.to_string(),
            Plan::MissingObject => format!("{user}/never-uploaded.jpg"),
        };
        // An S3 event names the user only through the key's first segment.
        let input = if as_event && key.starts_with(&format!("{user}/")) {
            self.object_created_event(&key, self.clock.now_ms())
        } else {
            json!({"userId": user, "s3Bucket": PHOTO_BUCKET, "s3Key": key})
        };
        if let Err(error) = self.start_run(
            &state_machine_arn(RIDER_PHOTO_PROCESSING),
            None,
            input.to_string(),
        ) {
            tracing::warn!("sandbox trickle could not start a run: {error}");
        }
        uploads_photo.then_some(key)
    }

    /// An EventBridge "Object Created" event for a photo in the photo bucket.
    fn object_created_event(&self, key: &str, now: crate::domain::Millis) -> Value {
        let size = self
            .stores
            .lock()
            .expect("stores lock")
            .object(PHOTO_BUCKET, key)
            .map_or(0, |o| o.meta.size);
        json!({
            "version": "0",
            "id": self.new_uuid(),
            "detail-type": "Object Created",
            "source": "aws.s3",
            "account": ACCOUNT_ID,
            "time": format_rfc3339(now),
            "region": REGION,
            "resources": [format!("arn:aws:s3:::{PHOTO_BUCKET}")],
            "detail": {
                "version": "0",
                "bucket": {"name": PHOTO_BUCKET},
                "object": {"key": key, "size": size},
                "request-id": self.new_uuid(),
                "requester": ACCOUNT_ID,
                "reason": "PutObject"
            }
        })
    }
}
