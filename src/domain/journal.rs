//! The deletion journal's records: one JSON object per line for every face or object the
//! console deleted (or tried to delete when the outcome is unknown), so that nothing leaves
//! the account without a record. Pure: the runtime appends the lines to the file.

use super::Millis;
use super::faces::Face;
use super::objects::{ObjectInfo, unquote_etag};
use super::time::format_rfc3339;
use serde_json::{Value, json};

/// Where and when a deletion happened: shared by every record of one deletion.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalContext {
    pub time: Millis,
    /// The AWS profile / identity (`sandbox` for the local sandbox).
    pub profile: String,
    pub region: String,
    /// The AWS account the credentials belong to, when known.
    pub account: Option<String>,
    /// Who made the call (the caller's ARN from STS), when known: the profile alone does
    /// not say which role or user deleted.
    pub principal: Option<String>,
}

/// What is known about the deletion of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionStatus {
    /// Written before the delete call is sent: the deletion is about to happen. A deletion
    /// whose intent cannot be recorded is not sent, so nothing leaves without a record.
    Intended,
    /// The service confirmed the deletion.
    Deleted,
    /// The call failed certainly without deleting it (denied, throttled, never sent), or
    /// reading back after a lost answer found it still there.
    NotDeleted,
    /// The outcome could not be told (the answer was lost and reading back failed too):
    /// recorded so that a face or object that is gone is never without a record.
    Unknown,
}

impl DeletionStatus {
    fn as_str(self) -> &'static str {
        match self {
            DeletionStatus::Intended => "intended",
            DeletionStatus::Deleted => "deleted",
            DeletionStatus::NotDeleted => "not_deleted",
            DeletionStatus::Unknown => "unknown",
        }
    }
}

/// One JSON line for a face deleted from `collection`.
pub fn face_line(
    context: &JournalContext,
    collection: &str,
    face: &Face,
    status: DeletionStatus,
) -> String {
    // f32 fractions widened as is print as 0.2800000011920929: keep the 6 digits that mean
    // something.
    let round = |v: f32| (f64::from(v) * 1e6).round() / 1e6;
    let bounding_box = face.bounding_box.map_or(Value::Null, |b| {
        json!({
            "Width": round(b.width),
            "Height": round(b.height),
            "Left": round(b.left),
            "Top": round(b.top),
        })
    });
    json!({
        "time": format_rfc3339(context.time),
        "kind": "face",
        "status": status.as_str(),
        "profile": context.profile,
        "account": context.account,
        "principal": context.principal,
        "region": context.region,
        "collection": collection,
        "face_id": face.face_id,
        "external_image_id": face.external_image_id,
        "image_id": face.image_id,
        "bounding_box": bounding_box,
    })
    .to_string()
}

/// One JSON line for an object deleted from `bucket`.
pub fn object_line(
    context: &JournalContext,
    bucket: &str,
    object: &ObjectInfo,
    status: DeletionStatus,
) -> String {
    json!({
        "time": format_rfc3339(context.time),
        "kind": "object",
        "status": status.as_str(),
        "profile": context.profile,
        "account": context.account,
        "principal": context.principal,
        "region": context.region,
        "bucket": bucket,
        "key": object.key,
        "size": object.size,
        "etag": object.etag.as_deref().map(unquote_etag),
        "last_modified": object.last_modified.map(format_rfc3339),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::faces::BoundingBox;

    fn context() -> JournalContext {
        JournalContext {
            time: 1_764_064_800_000,
            profile: "sandbox".into(),
            region: "us-east-1".into(),
            account: None,
            principal: None,
        }
    }

    #[test]
    fn a_face_line_holds_every_field_in_a_stable_order() {
        let face = Face {
            face_id: "f-1".into(),
            external_image_id: Some("user_a".into()),
            image_id: Some("img-1".into()),
            confidence: Some(99.5),
            bounding_box: Some(BoundingBox {
                width: 0.5,
                height: 0.28,
                left: 0.125,
                top: 0.0,
            }),
            indexed_at: None,
        };
        let line = face_line(&context(), "rider-photos", &face, DeletionStatus::Deleted);
        assert_eq!(
            line,
            r#"{"time":"2025-11-25T10:00:00.000Z","kind":"face","status":"deleted","profile":"sandbox","account":null,"principal":null,"region":"us-east-1","collection":"rider-photos","face_id":"f-1","external_image_id":"user_a","image_id":"img-1","bounding_box":{"Width":0.5,"Height":0.28,"Left":0.125,"Top":0.0}}"#
        );
        assert!(!line.contains('\n'), "one record per line");
        let unknown = Face {
            bounding_box: None,
            external_image_id: None,
            ..face
        };
        let value: Value = serde_json::from_str(&face_line(
            &context(),
            "c",
            &unknown,
            DeletionStatus::Unknown,
        ))
        .unwrap();
        assert_eq!(value["status"], "unknown");
        assert_eq!(value["bounding_box"], Value::Null);
        assert_eq!(value["external_image_id"], Value::Null);
    }

    #[test]
    fn an_object_line_names_bucket_and_key() {
        let object = ObjectInfo {
            key: "resized-1_happy_face.jpg".into(),
            size: 1234,
            last_modified: Some(1_764_064_800_000),
            content_type: Some("image/jpeg".into()),
            etag: Some("\"abc\"".into()),
        };
        let value: Value = serde_json::from_str(&object_line(
            &context(),
            "thumbs",
            &object,
            DeletionStatus::Deleted,
        ))
        .unwrap();
        assert_eq!(value["kind"], "object");
        assert_eq!(value["bucket"], "thumbs");
        assert_eq!(value["key"], "resized-1_happy_face.jpg");
        assert_eq!(value["size"], 1234);
        assert_eq!(value["etag"], "abc", "bare, as S3 users compare it");
        assert_eq!(value["last_modified"], "2025-11-25T10:00:00.000Z");
    }
}
