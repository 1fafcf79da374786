//! The faces screen's jump flags: the faces a jump from a rejected run found (flagged in the
//! list) and the jump still waiting for the backend. The journey itself — execution → search
//! → faces — is `flows/face_jump.rs`; this is only what the faces state keeps of it.

use crate::app::msg::Generation;
use crate::domain::faces::FaceMatch;
use serde_json::Value;

/// A run rejected because its face is already indexed: the photo it searched with and the
/// rider it ran for.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateRejection {
    pub s3_bucket: Option<String>,
    pub s3_key: Option<String>,
    pub user_id: Option<String>,
}

impl DuplicateRejection {
    /// The photo and rider of a pipeline input: `{userId, s3Bucket, s3Key}`, or the S3
    /// `Object Created` event the pipeline transforms (the rider is the key's first segment).
    pub fn from_input(input: &str) -> Option<DuplicateRejection> {
        let input: Value = serde_json::from_str(input).ok()?;
        let text = |pointer: &str| {
            input
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let s3_key = text("/s3Key").or_else(|| text("/detail/object/key"));
        let user_id = text("/userId").or_else(|| {
            let key = text("/detail/object/key")?;
            key.split_once('/').map(|(user, _)| user.to_string())
        });
        Some(DuplicateRejection {
            s3_bucket: text("/s3Bucket").or_else(|| text("/detail/bucket/name")),
            s3_key,
            user_id,
        })
    }

    /// `1_happy_face.jpg (user_b)`: what the notices call the run.
    pub fn describe(&self) -> String {
        let photo = self.s3_key.as_deref().unwrap_or("the photo");
        match &self.user_id {
            Some(user) => format!("{photo} ({user})"),
            None => photo.to_string(),
        }
    }
}

/// The faces a jump found, kept to flag them in the faces list.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceJump {
    /// The photo searched with (its key) and the rider of the rejected run.
    pub photo: String,
    pub rider: Option<String>,
    /// The matching faces, most similar first.
    pub matches: Vec<FaceMatch>,
    /// Still bringing them into the list (a reload or further pages on the way).
    pub pending: bool,
}

impl FaceJump {
    /// The similarity of `face_id` to the photo, when it is one of the matches.
    pub fn similarity(&self, face_id: &str) -> Option<f32> {
        self.matches
            .iter()
            .find(|m| m.face.face_id == face_id)
            .map(|m| m.similarity)
    }
}

/// A jump waiting for the backend: the run's input (from the list, which does not carry
/// it), then the search.
#[derive(Debug, Clone, PartialEq)]
pub struct JumpRequest {
    pub generation: Generation,
    /// The execution's name, for notices.
    pub execution: String,
    pub stage: JumpStage,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JumpStage {
    ReadingInput,
    Searching(DuplicateRejection),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_event_input_names_the_photo_and_the_rider_of_its_key() {
        let event =
            r#"{"detail":{"bucket":{"name":"photos"},"object":{"key":"user_c/selfie.jpg"}}}"#;
        assert_eq!(
            DuplicateRejection::from_input(event),
            Some(DuplicateRejection {
                s3_bucket: Some("photos".into()),
                s3_key: Some("user_c/selfie.jpg".into()),
                user_id: Some("user_c".into()),
            })
        );
        assert_eq!(DuplicateRejection::from_input("not json"), None);
    }
}
