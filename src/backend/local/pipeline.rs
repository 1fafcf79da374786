//! The rider-photo pipeline's functions, built in: the four Lambda functions (face
//! detection, duplicate check, indexing, thumbnail) and the SNS and DynamoDB integrations,
//! working against the in-process stores. Each call takes a realistic random time and a Lambda
//! call may throw a transient `Lambda.ServiceException` (random, or forced by a test).

use super::asl::StateError;
use super::asl::definition::TaskResource;
use super::asl::interpreter::{TaskCall, TaskExecutor, random_uuid};
use super::clock::Clock;
use super::stores::{ImageSearchError, Notification, Stores};
use async_trait::async_trait;
use image::imageops::FilterType;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const FACE_DETECTION: &str = "rider-photo-FaceDetection";
pub const CHECK_FACE_DUPLICATE: &str = "rider-photo-CheckFaceDuplicate";
pub const ADD_FACE_TO_INDEX: &str = "rider-photo-AddFaceToIndex";
pub const THUMBNAIL: &str = "rider-photo-Thumbnail";

/// Faces at or above this similarity are the same person (the workshop's threshold).
pub const SIMILARITY_THRESHOLD: f64 = 70.0;
/// Thumbnails fit in a square of this side, keeping the photo's aspect ratio.
pub const THUMBNAIL_MAX_SIDE: u32 = 300;

/// An error thrown by a Lambda function: its `errorType` and `errorMessage`.
#[derive(Debug)]
struct FunctionError {
    error_type: &'static str,
    message: String,
}

impl FunctionError {
    fn new(error_type: &'static str, message: impl Into<String>) -> FunctionError {
        FunctionError {
            error_type,
            message: message.into(),
        }
    }

    fn invalid_object() -> FunctionError {
        let error = ImageSearchError::NoObject;
        FunctionError::new(error.code(), error.message())
    }

    /// How Step Functions reports a Lambda function error: the error is the `errorType`,
    /// the cause the function's error as JSON.
    fn into_state_error(self, function: &str) -> StateError {
        let cause = json!({
            "errorMessage": self.message,
            "errorType": self.error_type,
            "stackTrace": [
                format!("{}: {}", self.error_type, self.message),
                format!("    at Runtime.handler (/var/task/{function}.js:42:11)"),
                "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
            ],
        });
        StateError::new(self.error_type, cause.to_string())
    }
}

pub(crate) struct Pipeline {
    stores: Arc<Mutex<Stores>>,
    clock: Clock,
    thumbnail_bucket: String,
    failure_rate: f64,
    rng: Mutex<SmallRng>,
    /// Function name -> number of upcoming invocations that throw a transient error.
    forced_failures: Mutex<HashMap<String, u32>>,
}

impl Pipeline {
    pub fn new(
        stores: Arc<Mutex<Stores>>,
        clock: Clock,
        thumbnail_bucket: &str,
        failure_rate: f64,
        seed: u64,
    ) -> Pipeline {
        Pipeline {
            stores,
            clock,
            thumbnail_bucket: thumbnail_bucket.to_string(),
            failure_rate: failure_rate.clamp(0.0, 1.0),
            rng: Mutex::new(SmallRng::seed_from_u64(seed)),
            forced_failures: Mutex::new(HashMap::new()),
        }
    }

    pub fn fail_next_invocations(&self, function: &str, count: u32) {
        *self
            .forced_failures
            .lock()
            .expect("faults lock")
            .entry(function.to_string())
            .or_default() += count;
    }

    fn random_ms(&self, low: u64, high: u64) -> Duration {
        Duration::from_millis(self.rng.lock().expect("rng lock").random_range(low..=high))
    }

    fn uuid(&self) -> String {
        random_uuid(&mut *self.rng.lock().expect("rng lock"))
    }

    fn throws_transient_error(&self, function: &str) -> bool {
        let mut forced = self.forced_failures.lock().expect("faults lock");
        if let Some(count) = forced.get_mut(function).filter(|c| **c > 0) {
            *count -= 1;
            return true;
        }
        drop(forced);
        self.failure_rate > 0.0
            && self
                .rng
                .lock()
                .expect("rng lock")
                .random_bool(self.failure_rate)
    }

    fn sdk_metadata(&self) -> Value {
        json!({
            "SdkHttpMetadata": {"HttpStatusCode": 200},
            "SdkResponseMetadata": {"RequestId": self.uuid()},
        })
    }

    async fn invoke_lambda(&self, parameters: &Value) -> Result<Value, StateError> {
        let function = parameters
            .get("FunctionName")
            .and_then(Value::as_str)
            .map(function_name)
            .ok_or_else(|| {
                StateError::new(
                    "Lambda.InvalidParameterValueException",
                    "FunctionName is required (a function name or ARN)",
                )
            })?;
        let payload = parameters.get("Payload").cloned().unwrap_or(json!({}));
        let duration = match function {
            FACE_DETECTION => self.random_ms(800, 2_500),
            CHECK_FACE_DUPLICATE => self.random_ms(300, 1_000),
            ADD_FACE_TO_INDEX => self.random_ms(500, 1_500),
            THUMBNAIL => self.random_ms(1_000, 3_000),
            _ => self.random_ms(50, 150),
        };
        tokio::time::sleep(duration).await;
        if self.throws_transient_error(function) {
            return Err(StateError::new(
                "Lambda.ServiceException",
                format!(
                    "Lambda.ServiceException: The Lambda service encountered an internal error. \
                     (Service: Lambda, Status Code: 500, Request ID: {})",
                    self.uuid()
                ),
            ));
        }
        let result = match function {
            FACE_DETECTION => self.detect_faces(&payload),
            CHECK_FACE_DUPLICATE => self.check_duplicate(&payload),
            ADD_FACE_TO_INDEX => self.add_face(&payload),
            THUMBNAIL => self.thumbnail(&payload).await,
            other => {
                return Err(StateError::new(
                    "Lambda.ResourceNotFoundException",
                    format!(
                        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:{other} \
                         (Service: Lambda, Status Code: 404)"
                    ),
                ));
            }
        };
        match result {
            Ok(response) => {
                let mut output =
                    json!({"ExecutedVersion": "$LATEST", "Payload": response, "StatusCode": 200});
                merge(&mut output, self.sdk_metadata());
                Ok(output)
            }
            Err(error) => Err(error.into_state_error(function)),
        }
    }

    /// The declared faces of the photo named by the payload's `s3Bucket`/`s3Key`.
    fn photo_faces(
        &self,
        payload: &Value,
    ) -> Result<Vec<super::photos::DeclaredFace>, FunctionError> {
        let (bucket, key) = photo_location(payload).ok_or_else(FunctionError::invalid_object)?;
        let stores = self.stores.lock().expect("stores lock");
        let object = stores
            .object(bucket, key)
            .ok_or_else(FunctionError::invalid_object)?;
        Ok(object.faces.clone())
    }

    fn detect_faces(&self, payload: &Value) -> Result<Value, FunctionError> {
        let faces = self.photo_faces(payload)?;
        if faces.len() != 1 {
            return Err(FunctionError::new(
                "PhotoDoesNotMeetRequirementError",
                format!("Detected {} faces in the photo.", faces.len()),
            ));
        }
        let face = &faces[0];
        if face.sunglasses {
            return Err(FunctionError::new(
                "PhotoDoesNotMeetRequirementError",
                "Face is wearing sunglasses",
            ));
        }
        let [left, top, width, height] = face.bounding_box;
        let mut rng = self.rng.lock().expect("rng lock");
        Ok(json!({
            "BoundingBox": {"Width": width, "Height": height, "Left": left, "Top": top},
            "Confidence": 99.9 + rng.random_range(0.0..0.0999),
            "Sunglasses": {"Value": false, "Confidence": 97.0 + rng.random_range(0.0..2.9)},
            "EyesOpen": {"Value": true, "Confidence": 98.0 + rng.random_range(0.0..1.9)},
            "Smile": {"Value": true, "Confidence": 95.0 + rng.random_range(0.0..4.9)},
            "Pose": {"Roll": rng.random_range(-4.0..4.0), "Yaw": rng.random_range(-6.0..6.0), "Pitch": rng.random_range(-5.0..5.0)},
            "Quality": {"Brightness": 80.0 + rng.random_range(0.0..15.0), "Sharpness": 89.0 + rng.random_range(0.0..9.0)},
        }))
    }

    fn check_duplicate(&self, payload: &Value) -> Result<Value, FunctionError> {
        let (bucket, key) = photo_location(payload).ok_or_else(FunctionError::invalid_object)?;
        let stores = self.stores.lock().expect("stores lock");
        let matches = stores
            .search_by_image(bucket, key, SIMILARITY_THRESHOLD)
            .map_err(|e| FunctionError::new(e.code(), e.message()))?;
        if !matches.is_empty() {
            return Err(FunctionError::new(
                "FaceAlreadyExistsError",
                "Face in the picture is already in the system.",
            ));
        }
        Ok(Value::Null)
    }

    fn add_face(&self, payload: &Value) -> Result<Value, FunctionError> {
        let faces = self.photo_faces(payload)?;
        let user_id = payload
            .get("userId")
            .and_then(Value::as_str)
            .ok_or_else(|| FunctionError::new("InvalidParameterException", "userId is required"))?;
        let Some(face) = faces.first() else {
            return Err(FunctionError::new(
                "InvalidParameterException",
                "There are no faces in the image.",
            ));
        };
        let (face_id, image_id) = (self.uuid(), self.uuid());
        let confidence = 99.9 + self.rng.lock().expect("rng lock").random_range(0.0..0.0999);
        let now = self.clock.now_ms();
        let record = self
            .stores
            .lock()
            .expect("stores lock")
            .index_face(face, user_id, face_id, image_id, confidence, now);
        Ok(Value::String(record.face_id))
    }

    async fn thumbnail(&self, payload: &Value) -> Result<Value, FunctionError> {
        let no_such_key = || FunctionError::new("NoSuchKey", "The specified key does not exist.");
        let (bucket, key) = photo_location(payload).ok_or_else(no_such_key)?;
        let bytes = {
            let stores = self.stores.lock().expect("stores lock");
            stores
                .object(bucket, key)
                .ok_or_else(no_such_key)?
                .bytes
                .clone()
        };
        // Decoding and resizing is CPU work: keep it off the async worker threads.
        let resized = tokio::task::spawn_blocking(move || resize_to_thumbnail(&bytes))
            .await
            .map_err(|e| FunctionError::new("Error", format!("thumbnail worker failed: {e}")))?
            .map_err(|e| {
                FunctionError::new(
                    "Error",
                    format!("Input buffer contains unsupported image format: {e}"),
                )
            })?;
        let thumbnail_key = format!("resized-{key}");
        let now = self.clock.now_ms();
        let stored = self.stores.lock().expect("stores lock").put_object(
            &self.thumbnail_bucket,
            &thumbnail_key,
            Arc::new(resized),
            "image/jpeg",
            Vec::new(),
            now,
        );
        if !stored {
            return Err(FunctionError::new(
                "NoSuchBucket",
                "The specified bucket does not exist",
            ));
        }
        Ok(json!({"thumbnail": {"s3key": thumbnail_key, "s3bucket": self.thumbnail_bucket}}))
    }

    fn publish(&self, parameters: &Value) -> Result<Value, StateError> {
        let topic_arn = parameters
            .get("TopicArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let message = match parameters.get("Message") {
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
            None => {
                return Err(StateError::new(
                    "SNS.InvalidParameterException",
                    "Invalid parameter: Message (Service: Sns, Status Code: 400)",
                ));
            }
        };
        let message_id = self.uuid();
        let notification = Notification {
            topic_arn: topic_arn.to_string(),
            message_id: message_id.clone(),
            subject: parameters
                .get("Subject")
                .and_then(Value::as_str)
                .map(str::to_string),
            message,
            published_at: self.clock.now_ms(),
        };
        if !self
            .stores
            .lock()
            .expect("stores lock")
            .publish(notification)
        {
            return Err(StateError::new(
                "SNS.NotFoundException",
                "Topic does not exist (Service: Sns, Status Code: 404)",
            ));
        }
        let mut output = json!({"MessageId": message_id});
        merge(&mut output, self.sdk_metadata());
        Ok(output)
    }

    fn put_item(&self, parameters: &Value) -> Result<Value, StateError> {
        let table = parameters
            .get("TableName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let item = parameters.get("Item").cloned().unwrap_or(Value::Null);
        let Value::Object(attributes) = &item else {
            return Err(StateError::new(
                "DynamoDB.ValidationException",
                "Item is required (Service: DynamoDb, Status Code: 400)",
            ));
        };
        if let Some((name, _)) = attributes.iter().find(|(_, v)| !is_attribute_value(v)) {
            return Err(StateError::new(
                "DynamoDB.ValidationException",
                format!(
                    "Supplied AttributeValue of '{name}' is empty or has an unknown type \
                     (Service: DynamoDb, Status Code: 400)"
                ),
            ));
        }
        let now = self.clock.now_ms();
        self.stores
            .lock()
            .expect("stores lock")
            .put_item(table, item, now)
            .map_err(|message| {
                let error = if message.contains("not found") {
                    "DynamoDB.ResourceNotFoundException"
                } else {
                    "DynamoDB.ValidationException"
                };
                StateError::new(
                    error,
                    format!("{message} (Service: DynamoDb, Status Code: 400)"),
                )
            })?;
        Ok(self.sdk_metadata())
    }
}

/// The service integrations the built-in pipeline can perform.
pub fn supports(resource: &TaskResource) -> bool {
    matches!(
        (resource.service.as_str(), resource.action.as_str()),
        ("lambda", "invoke") | ("sns", "publish") | ("dynamodb", "putItem")
    )
}

#[async_trait]
impl TaskExecutor for Pipeline {
    fn supports(&self, resource: &TaskResource) -> bool {
        supports(resource)
    }

    async fn schedule(&self, _call: &TaskCall<'_>) {
        tokio::time::sleep(self.random_ms(15, 60)).await;
    }

    async fn invoke(&self, call: &TaskCall<'_>) -> Result<Value, StateError> {
        match call.resource.service.as_str() {
            "lambda" => self.invoke_lambda(call.parameters).await,
            "sns" => {
                tokio::time::sleep(self.random_ms(100, 300)).await;
                self.publish(call.parameters)
            }
            _ => {
                tokio::time::sleep(self.random_ms(100, 400)).await;
                self.put_item(call.parameters)
            }
        }
    }
}

/// `rider-photo-Thumbnail` from a name or `arn:aws:lambda:…:function:rider-photo-Thumbnail[:alias]`.
fn function_name(name_or_arn: &str) -> &str {
    match name_or_arn.split_once(":function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => name_or_arn,
    }
}

fn photo_location(payload: &Value) -> Option<(&str, &str)> {
    Some((
        payload.get("s3Bucket")?.as_str()?,
        payload.get("s3Key")?.as_str()?,
    ))
}

fn merge(target: &mut Value, extra: Value) {
    if let (Value::Object(target), Value::Object(extra)) = (target, extra) {
        target.extend(extra);
    }
}

/// A DynamoDB typed attribute value: `{"S": "…"}`, `{"N": "1"}`, `{"M": {…}}`, …
fn is_attribute_value(value: &Value) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    if map.len() != 1 {
        return false;
    }
    let (kind, inner) = map.iter().next().expect("one entry");
    match kind.as_str() {
        "S" | "N" | "B" => inner.is_string(),
        "BOOL" => inner.is_boolean(),
        "NULL" => inner == &Value::Bool(true),
        "SS" | "NS" | "BS" => inner
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string)),
        "L" => inner
            .as_array()
            .is_some_and(|a| a.iter().all(is_attribute_value)),
        "M" => inner
            .as_object()
            .is_some_and(|m| m.values().all(is_attribute_value)),
        _ => false,
    }
}

/// Decodes a photo, fits it in `THUMBNAIL_MAX_SIDE`² keeping its aspect ratio, encodes JPEG.
pub fn resize_to_thumbnail(bytes: &[u8]) -> Result<Vec<u8>, image::ImageError> {
    let photo = image::load_from_memory(bytes)?;
    let thumbnail = photo.resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, FilterType::Triangle);
    Ok(super::photos::encode_jpeg(&thumbnail.to_rgb8()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_come_from_names_or_arns() {
        assert_eq!(
            function_name("rider-photo-Thumbnail"),
            "rider-photo-Thumbnail"
        );
        assert_eq!(
            function_name(
                "arn:aws:lambda:us-east-1:123456789012:function:rider-photo-Thumbnail:live"
            ),
            "rider-photo-Thumbnail"
        );
    }

    #[test]
    fn attribute_values_must_be_typed() {
        assert!(is_attribute_value(&json!({"S": "x"})));
        assert!(is_attribute_value(
            &json!({"M": {"a": {"N": "1"}, "b": {"L": [{"BOOL": true}]}}})
        ));
        assert!(!is_attribute_value(&json!("x")));
        assert!(!is_attribute_value(&json!({"S": 1})));
        assert!(!is_attribute_value(&json!({"S": "x", "N": "1"})));
        assert!(!is_attribute_value(&json!({"M": {"a": "plain"}})));
    }

    #[test]
    fn thumbnails_fit_the_box_and_keep_the_aspect_ratio() {
        let wide = super::super::photos::encode_jpeg(&image::RgbImage::new(640, 480));
        let thumbnail = image::load_from_memory(&resize_to_thumbnail(&wide).unwrap()).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (300, 225));
        let tall = super::super::photos::encode_jpeg(&image::RgbImage::new(200, 800));
        let thumbnail = image::load_from_memory(&resize_to_thumbnail(&tall).unwrap()).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (75, 300));
        assert!(resize_to_thumbnail(b"not an image").is_err());
    }
}
