//! Carrying out a suite's requests against the backend: start a run and follow it to its
//! end, clear the faces a photo would match, delete an object (both journaled like every
//! deletion of the console: the intent before the call, the outcome after), wait.

use super::plan::Plan;
use crate::backend::{Backend, BackendError, HistoryRequest, StartExecutionRequest};
use crate::domain::Millis;
use crate::domain::execution::{StateMachineSummary, execution_arn_of};
use crate::domain::faces::Face;
use crate::domain::journal::{DeletionStatus, JournalContext, face_line, object_line};
use crate::domain::suites::runner::{Answer, Request};
use crate::domain::suites::verdict::Observed;
use crate::domain::test_case::execution_name;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The similarity at which a face counts as the photo's: the pipeline's own
/// `CheckFaceDuplicate` threshold, so what is cleared is what would reject the photo.
pub const CLEAR_THRESHOLD: f32 = 70.0;
/// How long a run without a time limit is followed before it is judged as still running.
const DEFAULT_FOLLOW_MS: Millis = 10 * 60 * 1000;
/// Extra time given past a run's own limit to see how it ends.
const LIMIT_GRACE_MS: Millis = 30 * 1000;

/// What every request of one `stepdeck test` shares.
pub struct Performer {
    pub backend: Arc<dyn Backend>,
    pub plan: Arc<Plan>,
    pub machines: Vec<StateMachineSummary>,
    pub journal_context: JournalContext,
    pub sequence: AtomicU64,
}

impl Performer {
    pub async fn perform(&self, suite: &str, request: Request) -> Answer {
        let outcome = match request {
            Request::Run {
                case,
                state_machine,
                input,
                time_limit,
                ..
            } => {
                self.run(suite, &case, state_machine.as_deref(), input, time_limit)
                    .await
            }
            Request::ClearFaces { bucket, key, .. } => self.clear_faces(&bucket, &key).await,
            Request::DeleteObject { bucket, key, .. } => self.delete_object(&bucket, &key).await,
            Request::Wait { ms, .. } => {
                tokio::time::sleep(Duration::from_millis(ms.max(0) as u64)).await;
                Ok(Answer::Done(format!(
                    "waited {}",
                    crate::domain::time::format_duration(ms)
                )))
            }
        };
        outcome.unwrap_or_else(Answer::Problem)
    }

    fn machine(&self, wanted: Option<&str>) -> Result<&StateMachineSummary, String> {
        let wanted = wanted.or(self.plan.state_machine.as_deref());
        let found = match wanted {
            Some(name) => self
                .machines
                .iter()
                .find(|m| m.name == name || m.arn == name),
            // As the console: the only machine, else the rider-photo pipeline's.
            None if self.machines.len() == 1 => self.machines.first(),
            None => self
                .machines
                .iter()
                .find(|m| m.name.contains("RiderPhotoProcessing")),
        };
        found.ok_or_else(|| match wanted {
            Some(name) => format!("no state machine named {name}"),
            None => "no state machine chosen: name one with --state-machine, `state_machine` \
                     in the settings, or in the step"
                .to_string(),
        })
    }

    async fn run(
        &self,
        suite: &str,
        case: &str,
        state_machine: Option<&str>,
        input: String,
        time_limit: Option<Millis>,
    ) -> Result<Answer, String> {
        let machine = self.machine(state_machine)?;
        let seq = self.sequence.fetch_add(1, Ordering::Relaxed) + 1;
        let name = execution_name("test", &format!("{suite}-{case}"), (self.plan.now)(), seq);
        let request = StartExecutionRequest {
            state_machine_arn: machine.arn.clone(),
            name: Some(name.clone()),
            input,
        };
        let arn = match self.backend.start_execution(request).await {
            Ok(started) => started.arn,
            // The answer was lost: the named start may have happened; reading it back tells.
            Err(BackendError::NoAnswer { .. }) => {
                let arn = execution_arn_of(&machine.arn, &name)
                    .ok_or_else(|| format!("cannot tell whether {name} started"))?;
                self.backend
                    .describe_execution(&arn)
                    .await
                    .map_err(|e| format!("start of {name}: answer lost, and {e}"))?;
                arn
            }
            Err(error) => return Err(format!("start: {error}")),
        };
        let follow = time_limit.map_or(DEFAULT_FOLLOW_MS, |limit| limit + LIMIT_GRACE_MS);
        let began = (self.plan.now)();
        let detail = loop {
            let detail = self
                .backend
                .describe_execution(&arn)
                .await
                .map_err(|e| format!("describe {name}: {e}"))?;
            if detail.summary.status.is_terminal() || (self.plan.now)() - began > follow {
                break detail;
            }
            tokio::time::sleep(Duration::from_millis(self.plan.poll_ms)).await;
        };
        // With its data: a rejection's reason is in the caught error's cause, which AWS
        // leaves out of a history read without execution data.
        let history = self
            .backend
            .get_execution_history(HistoryRequest {
                execution_arn: arn.clone(),
                after_event_id: None,
                include_data: true,
            })
            .await
            .map_err(|e| format!("history of {name}: {e}"))?;
        Ok(Answer::Ran(Observed::from_execution(&detail, &history)))
    }

    fn journal(&self, lines: Vec<String>) -> Result<(), String> {
        (self.plan.journal)(&lines).map_err(|e| format!("journal: {e}; nothing deleted"))
    }

    fn context(&self) -> JournalContext {
        JournalContext {
            time: (self.plan.now)(),
            ..self.journal_context.clone()
        }
    }

    async fn clear_faces(&self, bucket: &str, key: &str) -> Result<Answer, String> {
        let collection = &self.plan.collection;
        let matches = self
            .backend
            .search_faces_by_image(collection, bucket, key, CLEAR_THRESHOLD)
            .await
            .map_err(|e| format!("SearchFacesByImage on {key}: {e}"))?;
        let faces: Vec<Face> = matches.into_iter().map(|m| m.face).collect();
        if faces.is_empty() {
            return Ok(Answer::Done(format!("no face of {key} in {collection}")));
        }
        let lines = |status: &dyn Fn(&Face) -> DeletionStatus| -> Vec<String> {
            let context = self.context();
            faces
                .iter()
                .map(|face| face_line(&context, collection, face, status(face)))
                .collect()
        };
        // Nothing leaves the account without a record: no intent written, no delete sent.
        self.journal(lines(&|_| DeletionStatus::Intended))?;
        let ids: Vec<String> = faces.iter().map(|f| f.face_id.clone()).collect();
        match self.backend.delete_faces(collection, &ids).await {
            Ok(result) => {
                let deleted = |face: &Face| {
                    if result.deleted.contains(&face.face_id) {
                        DeletionStatus::Deleted
                    } else {
                        DeletionStatus::NotDeleted
                    }
                };
                self.journal(lines(&deleted))?;
                if result.unsuccessful.is_empty() {
                    Ok(Answer::Done(match result.deleted.len() {
                        1 => "1 face deleted".to_string(),
                        n => format!("{n} faces deleted"),
                    }))
                } else {
                    Err(format!(
                        "{} of {} faces not deleted ({})",
                        result.unsuccessful.len(),
                        ids.len(),
                        result.unsuccessful[0].reasons.join(", ")
                    ))
                }
            }
            Err(error) => {
                let status = if error.certainly_not_done() {
                    DeletionStatus::NotDeleted
                } else {
                    DeletionStatus::Unknown
                };
                self.journal(lines(&|_| status))?;
                Err(format!("DeleteFaces: {error}"))
            }
        }
    }

    async fn delete_object(&self, bucket: &str, key: &str) -> Result<Answer, String> {
        let page = self
            .backend
            .list_objects(bucket, Some(key), None, 10)
            .await
            .map_err(|e| format!("ListObjectsV2 on {bucket}: {e}"))?;
        let Some(object) = page.items.into_iter().find(|o| o.key == key) else {
            return Ok(Answer::Done(format!("{key} was not in {bucket}")));
        };
        let line = |status| vec![object_line(&self.context(), bucket, &object, status)];
        self.journal(line(DeletionStatus::Intended))?;
        match self.backend.delete_object(bucket, key).await {
            Ok(()) => {
                self.journal(line(DeletionStatus::Deleted))?;
                Ok(Answer::Done(format!("{key} deleted")))
            }
            Err(error) => {
                let status = if error.certainly_not_done() {
                    DeletionStatus::NotDeleted
                } else {
                    DeletionStatus::Unknown
                };
                self.journal(line(status))?;
                Err(format!("DeleteObject {key}: {error}"))
            }
        }
    }
}
