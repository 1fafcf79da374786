//! `impl Backend for LocalSandbox`: the sandbox served through the `Backend` trait, with
//! AWS-like paging tokens and the conversions of its records into domain types.

use super::asl::interpreter::Run;
use super::{
    COLLECTION_ID, FaceMatch, FaceRecord, LocalSandbox, REGION, StoredObject, drive, summarize,
};
use crate::backend::{
    Backend, BackendError, BackendInfo, BackendResult, HistoryRequest, ListExecutionsRequest, Page,
    StartExecutionRequest,
};
use crate::domain::execution::{
    ExecutionDefinition, ExecutionDetail, ExecutionStatus, ExecutionSummary, StateMachineSummary,
};
use crate::domain::faces::{
    BoundingBox as DomainBoundingBox, CollectionInfo, DeleteFacesResult, Face,
    FaceMatch as DomainFaceMatch, UnsuccessfulFaceDeletion, delete_batches,
};
use crate::domain::history::HistoryEvent;
use crate::domain::objects::{BucketInfo, ObjectBody, ObjectInfo};
use async_trait::async_trait;
use std::sync::Arc;

const PAGE_TOKEN_PREFIX: &str = "sandbox-page-v1:";

#[async_trait]
impl Backend for LocalSandbox {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            kind: "local sandbox".into(),
            identity: "sandbox".into(),
            region: REGION.into(),
            endpoint: None,
        }
    }

    async fn list_state_machines(&self) -> BackendResult<Vec<StateMachineSummary>> {
        Ok(self.machines.iter().map(|m| m.summary.clone()).collect())
    }

    async fn list_executions(
        &self,
        request: ListExecutionsRequest,
    ) -> BackendResult<Page<ExecutionSummary>> {
        self.machine(&request.state_machine_arn)?;
        let before = match &request.next_token {
            None => None,
            Some(token) => Some(
                token
                    .strip_prefix(PAGE_TOKEN_PREFIX)
                    .and_then(|position| position.parse::<u64>().ok())
                    .ok_or_else(|| BackendError::Invalid(format!("Invalid Token: '{token}'")))?,
            ),
        };
        let page_size = match request.page_size {
            0 => 100,
            n => n.min(1_000) as usize,
        };
        let executions = self.executions.lock().expect("executions lock");
        let mut matching = executions
            .newest_first(before)
            .filter(|(_, entry)| entry.machine_arn == request.state_machine_arn)
            .map(|(position, entry)| (position, summarize(entry)))
            .filter(|(_, summary)| request.status.is_none_or(|s| summary.status == s));
        let mut items = Vec::with_capacity(page_size);
        let mut last_position = None;
        for (position, summary) in matching.by_ref().take(page_size) {
            items.push(summary);
            last_position = Some(position);
        }
        let next_token = match (matching.next(), last_position) {
            (Some(_), Some(position)) => Some(format!("{PAGE_TOKEN_PREFIX}{position}")),
            _ => None,
        };
        Ok(Page { items, next_token })
    }

    async fn describe_execution(&self, execution_arn: &str) -> BackendResult<ExecutionDetail> {
        let entry = self.entry(execution_arn)?;
        let summary = summarize(&entry);
        let state = entry.state.lock().expect("entry lock");
        Ok(ExecutionDetail {
            summary,
            input: Some(entry.input.clone()),
            output: state.output.clone(),
            error: state.error.clone(),
            cause: state.cause.clone(),
            redrive_count: state.redrive_count,
        })
    }

    async fn describe_state_machine_for_execution(
        &self,
        execution_arn: &str,
    ) -> BackendResult<ExecutionDefinition> {
        let entry = self.entry(execution_arn)?;
        let machine = self.machine(&entry.machine_arn)?;
        Ok(ExecutionDefinition {
            state_machine_arn: machine.summary.arn.clone(),
            name: machine.summary.name.clone(),
            definition: machine.text.to_string(),
            revision_id: None,
            updated: Some(machine.summary.created),
        })
    }

    async fn get_execution_history(
        &self,
        request: HistoryRequest,
    ) -> BackendResult<Vec<HistoryEvent>> {
        let entry = self.entry(&request.execution_arn)?;
        let mut events = entry
            .run()
            .log()
            .events_after(request.after_event_id.unwrap_or(0));
        if !request.include_data {
            for event in &mut events {
                event.details.input = None;
                event.details.output = None;
                event.details.parameters = None;
            }
        }
        Ok(events)
    }

    async fn start_execution(
        &self,
        request: StartExecutionRequest,
    ) -> BackendResult<ExecutionSummary> {
        self.start_run(&request.state_machine_arn, request.name, request.input)
    }

    async fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> BackendResult<()> {
        let entry = self.entry(execution_arn)?;
        let task = {
            let mut state = entry.state.lock().expect("entry lock");
            if state.status != ExecutionStatus::Running {
                return Err(BackendError::Invalid(format!(
                    "execution {} is not running (status {})",
                    entry.name,
                    state.status.as_str()
                )));
            }
            state.status = ExecutionStatus::Aborted;
            state.stop = Some(self.clock.now_ms());
            state.error = error.clone();
            state.cause = cause.clone();
            state.task.take()
        };
        entry.run().request_stop(error, cause);
        // The run unwinds at once, writing the abort events; wait so the history is complete
        // when the caller looks.
        if let Some(task) = task {
            let _ = task.await;
        }
        Ok(())
    }

    /// As AWS: only a failed, aborted or timed-out execution; the same execution goes on
    /// from what did not succeed (`Run::redriven`), its history continued after an
    /// `ExecutionRedriven` event.
    async fn redrive_execution(&self, execution_arn: &str) -> BackendResult<()> {
        let entry = self.entry(execution_arn)?;
        let machine = self.machine(&entry.machine_arn)?.definition.clone();
        let mut state = entry.state.lock().expect("entry lock");
        if !matches!(
            state.status,
            ExecutionStatus::Failed | ExecutionStatus::Aborted | ExecutionStatus::TimedOut
        ) {
            return Err(BackendError::Invalid(format!(
                "Execution is not redrivable: {} is {}; only failed, aborted or timed-out \
                 executions can be redriven",
                entry.name,
                state.status.as_str()
            )));
        }
        let previous = entry.run();
        if !previous.can_resume() {
            return Err(BackendError::Invalid(format!(
                "Execution is not redrivable here: {} is part of the sandbox's backfilled \
                 history and never ran in this process",
                entry.name
            )));
        }
        let last_event_id = previous.log().len() as i64;
        *entry.run.lock().expect("run lock") = Run::redriven(&previous);
        state.redrive_count += 1;
        state.status = ExecutionStatus::Running;
        state.stop = None;
        state.output = None;
        state.error = None;
        state.cause = None;
        let redrive = Some((last_event_id, state.redrive_count));
        state.task = Some(tokio::spawn(drive(
            Arc::clone(&entry),
            machine,
            self.clock,
            redrive,
        )));
        Ok(())
    }

    async fn describe_collection(&self, collection: &str) -> BackendResult<CollectionInfo> {
        self.collection(collection)?;
        Ok(CollectionInfo {
            face_count: self.faces().len() as u64,
        })
    }

    async fn list_faces(
        &self,
        collection: &str,
        next_token: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<Face>> {
        self.collection(collection)?;
        let faces = self.faces();
        let start = parse_offset_token(next_token.as_deref())?;
        let page_size = page_size.clamp(1, 4096) as usize;
        let end = (start + page_size).min(faces.len());
        let items = faces
            .get(start.min(end)..end)
            .unwrap_or_default()
            .iter()
            .map(domain_face)
            .collect();
        Ok(Page {
            items,
            next_token: (end < faces.len()).then(|| format!("{PAGE_TOKEN_PREFIX}{end}")),
        })
    }

    async fn search_faces(
        &self,
        collection: &str,
        face_id: &str,
        threshold: f32,
    ) -> BackendResult<Vec<DomainFaceMatch>> {
        self.collection(collection)?;
        let matches =
            LocalSandbox::search_faces(self, face_id, f64::from(threshold)).ok_or_else(|| {
                BackendError::NotFound {
                    what: format!("face {face_id} in collection {collection}"),
                }
            })?;
        Ok(matches.iter().map(domain_match).collect())
    }

    async fn search_faces_by_image(
        &self,
        collection: &str,
        bucket: &str,
        key: &str,
        threshold: f32,
    ) -> BackendResult<Vec<DomainFaceMatch>> {
        self.collection(collection)?;
        let matches = LocalSandbox::search_faces_by_image(self, bucket, key, f64::from(threshold))
            .map_err(|e| {
                // As the AWS adapter words a refused call.
                BackendError::Invalid(format!(
                    "rekognition:SearchFacesByImage: {}: {}",
                    e.code(),
                    e.message()
                ))
            })?;
        Ok(matches.iter().map(domain_match).collect())
    }

    async fn delete_faces(
        &self,
        collection: &str,
        face_ids: &[String],
    ) -> BackendResult<DeleteFacesResult> {
        self.collection(collection)?;
        let mut result = DeleteFacesResult::default();
        for batch in delete_batches(face_ids) {
            let deleted = LocalSandbox::delete_faces(self, &batch);
            let unsuccessful = batch
                .iter()
                .filter(|id| !deleted.contains(id))
                .map(|id| UnsuccessfulFaceDeletion {
                    face_id: id.clone(),
                    reasons: vec!["FACE_NOT_FOUND".into()],
                })
                .collect();
            result.merge(DeleteFacesResult {
                deleted,
                unsuccessful,
            });
        }
        Ok(result)
    }

    async fn list_buckets(&self) -> BackendResult<Vec<BucketInfo>> {
        Ok(self
            .buckets()
            .into_iter()
            .map(|name| BucketInfo {
                name,
                created: None,
            })
            .collect())
    }

    async fn list_objects(
        &self,
        bucket: &str,
        prefix: Option<&str>,
        continuation: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<ObjectInfo>> {
        self.bucket(bucket)?;
        let objects: Vec<StoredObject> = self
            .objects(bucket)
            .into_iter()
            .filter(|o| prefix.is_none_or(|p| o.key.starts_with(p)))
            .collect();
        let start = parse_offset_token(continuation.as_deref())?;
        let page_size = page_size.clamp(1, 1000) as usize;
        let end = (start + page_size).min(objects.len());
        let items = objects
            .get(start.min(end)..end)
            .unwrap_or_default()
            .iter()
            .map(|o| ObjectInfo {
                key: o.key.clone(),
                size: o.size,
                last_modified: Some(o.last_modified),
                content_type: Some(o.content_type.clone()),
                etag: Some(o.etag.clone()),
            })
            .collect();
        Ok(Page {
            items,
            next_token: (end < objects.len()).then(|| format!("{PAGE_TOKEN_PREFIX}{end}")),
        })
    }

    async fn get_object(&self, bucket: &str, key: &str) -> BackendResult<ObjectBody> {
        self.bucket(bucket)?;
        let content_type = self
            .objects(bucket)
            .into_iter()
            .find(|o| o.key == key)
            .map(|o| o.content_type);
        let bytes = self
            .object_bytes(bucket, key)
            .ok_or_else(|| BackendError::NotFound {
                what: format!("s3://{bucket}/{key}"),
            })?;
        Ok(ObjectBody {
            bytes: bytes.as_ref().clone(),
            content_type,
        })
    }

    async fn delete_object(&self, bucket: &str, key: &str) -> BackendResult<()> {
        self.bucket(bucket)?;
        // S3 answers a delete of a missing key with success; so does the sandbox.
        LocalSandbox::delete_object(self, bucket, key);
        Ok(())
    }
}

impl LocalSandbox {
    fn collection(&self, collection: &str) -> BackendResult<()> {
        if collection == COLLECTION_ID {
            Ok(())
        } else {
            Err(BackendError::NotFound {
                what: format!(
                    "collection {collection} (the sandbox has one collection, {COLLECTION_ID})"
                ),
            })
        }
    }

    fn bucket(&self, bucket: &str) -> BackendResult<()> {
        if self.buckets().iter().any(|b| b == bucket) {
            Ok(())
        } else {
            Err(BackendError::NotFound {
                what: format!("bucket {bucket}"),
            })
        }
    }
}

/// Page tokens of the sandbox's face and object listings: the offset of the next item.
fn parse_offset_token(token: Option<&str>) -> BackendResult<usize> {
    match token {
        None => Ok(0),
        Some(token) => token
            .strip_prefix(PAGE_TOKEN_PREFIX)
            .and_then(|offset| offset.parse::<usize>().ok())
            .ok_or_else(|| BackendError::Invalid(format!("Invalid Token: '{token}'"))),
    }
}

fn domain_match(m: &FaceMatch) -> DomainFaceMatch {
    DomainFaceMatch {
        face: domain_face(&m.face),
        similarity: m.similarity as f32,
    }
}

fn domain_face(record: &FaceRecord) -> Face {
    Face {
        face_id: record.face_id.clone(),
        external_image_id: Some(record.external_image_id.clone()),
        image_id: Some(record.image_id.clone()),
        confidence: Some(record.confidence as f32),
        bounding_box: Some(DomainBoundingBox {
            width: record.bounding_box.width as f32,
            height: record.bounding_box.height as f32,
            left: record.bounding_box.left as f32,
            top: record.bounding_box.top as f32,
        }),
        indexed_at: Some(record.indexed_at),
    }
}
