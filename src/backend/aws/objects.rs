//! The thumbnail bucket through S3: buckets, paginated listings, object content for the
//! preview, put and delete (the `Backend` trait delegates here).

use super::AwsBackend;
use super::convert;
use super::errors::ApiCall;
use crate::backend::{BackendError, BackendResult, Page};
use crate::domain::objects::{BucketInfo, ObjectBody, ObjectInfo};
use aws_sdk_s3::primitives::ByteStream;

impl AwsBackend {
    pub async fn list_buckets(&self) -> BackendResult<Vec<BucketInfo>> {
        let call = ApiCall::new("s3", "ListAllMyBuckets", "");
        let mut buckets = Vec::new();
        let mut continuation: Option<String> = None;
        let mut tokens_seen = std::collections::HashSet::new();
        loop {
            let output = self
                .call(&call, || {
                    self.s3
                        .list_buckets()
                        .set_continuation_token(continuation.clone())
                        .send()
                })
                .await?;
            buckets.extend(output.buckets().iter().map(convert::bucket));
            match output.continuation_token() {
                Some(token) if tokens_seen.insert(token.to_string()) => {
                    continuation = Some(token.to_string())
                }
                _ => break,
            }
        }
        Ok(buckets)
    }

    /// One page of the bucket's objects under `prefix` (`ListObjectsV2`, key order).
    pub async fn list_objects(
        &self,
        bucket: &str,
        prefix: Option<&str>,
        continuation: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<ObjectInfo>> {
        let call = ApiCall::new("s3", "ListBucket", format!("bucket {bucket}"));
        let output = self
            .call(&call, || {
                self.s3
                    .list_objects_v2()
                    .bucket(bucket)
                    .set_prefix(prefix.map(str::to_string))
                    .set_continuation_token(continuation.clone())
                    .max_keys(page_size.clamp(1, 1000) as i32)
                    .send()
            })
            .await?;
        Ok(Page {
            items: output.contents().iter().map(convert::object).collect(),
            next_token: output
                .next_continuation_token()
                .filter(|_| output.is_truncated().unwrap_or(false))
                .map(str::to_string),
        })
    }

    /// The object's content and content type (for the preview).
    pub async fn get_object(&self, bucket: &str, key: &str) -> BackendResult<ObjectBody> {
        let call = ApiCall::new("s3", "GetObject", format!("s3://{bucket}/{key}"));
        let output = self
            .call(&call, || {
                self.s3.get_object().bucket(bucket).key(key).send()
            })
            .await?;
        let content_type = output.content_type().map(str::to_string);
        let bytes = output.body.collect().await.map_err(|e| {
            BackendError::Network(format!("reading s3://{bucket}/{key} failed: {e}"))
        })?;
        Ok(ObjectBody {
            bytes: bytes.into_bytes().to_vec(),
            content_type,
        })
    }

    pub async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        bytes: Vec<u8>,
        content_type: Option<&str>,
    ) -> BackendResult<()> {
        let call = ApiCall::new("s3", "PutObject", format!("s3://{bucket}/{key}"));
        self.call(&call, || {
            self.s3
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(ByteStream::from(bytes.clone()))
                .set_content_type(content_type.map(str::to_string))
                .send()
        })
        .await?;
        Ok(())
    }

    pub async fn delete_object(&self, bucket: &str, key: &str) -> BackendResult<()> {
        let call = ApiCall::new("s3", "DeleteObject", format!("s3://{bucket}/{key}"));
        self.call(&call, || {
            self.s3.delete_object().bucket(bucket).key(key).send()
        })
        .await?;
        Ok(())
    }

    /// Creates a bucket in the backend's region (for setting up a sandbox or a test server).
    pub async fn create_bucket(&self, bucket: &str) -> BackendResult<()> {
        use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
        let call = ApiCall::new("s3", "CreateBucket", format!("bucket {bucket}"));
        // us-east-1 is the one region that refuses an explicit location constraint.
        let location = (self.info.region != "us-east-1").then(|| {
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(self.info.region.as_str()))
                .build()
        });
        self.call(&call, || {
            self.s3
                .create_bucket()
                .bucket(bucket)
                .set_create_bucket_configuration(location.clone())
                .send()
        })
        .await?;
        Ok(())
    }
}
