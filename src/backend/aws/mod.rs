//! The AWS backend: Step Functions, Rekognition and S3 (and STS for who we are) through the AWS SDK for Rust, behind the
//! same `Backend` trait as the local sandbox. SDK types never leave this module: callers see
//! domain types and `BackendError`s. Every call waits for its API's budget (`governor`, sized
//! from `quotas`), is counted (`ApiCallStats`), and is retried with backoff when throttled (and,
//! for reads, after a server error or a lost connection); histories of running executions are
//! read incrementally.

mod connect;
mod convert;
pub mod errors;
mod faces;
pub mod governor;
pub mod history;
mod objects;
pub mod profiles;
pub mod quotas;
pub mod retry;
pub mod stats;

use crate::backend::{
    Backend, BackendError, BackendInfo, BackendNotice, BackendResult, CallerIdentity,
    HistoryRequest, ListExecutionsRequest, NoticeSink, Page, StartExecutionRequest,
};
use crate::domain::execution::{
    ExecutionDefinition, ExecutionDetail, ExecutionStatus, ExecutionSummary, StateMachineSummary,
    input_label,
};
use crate::domain::faces::{CollectionInfo, DeleteFacesResult, Face, FaceMatch};
use crate::domain::history::HistoryEvent;
use crate::domain::objects::{BucketInfo, ObjectBody, ObjectInfo};
use async_trait::async_trait;
use aws_sdk_sfn::config::http::HttpResponse;
use aws_sdk_sfn::error::{ProvideErrorMetadata, SdkError};
pub use connect::{AwsOptions, ENDPOINT_VARIABLES, check_endpoint_url, check_region_name, quoted};
use errors::{ApiCall, CallFailure};
use governor::{BreakerChange, Governor, Outcome};
use history::{HistoryPage, HistoryPageRequest, HistoryPaging};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use retry::RetryPolicy;
use stats::ApiCallStats;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// The AWS backend. Cheap to share (`Arc`); all methods take `&self`.
pub struct AwsBackend {
    sfn: aws_sdk_sfn::Client,
    rekognition: aws_sdk_rekognition::Client,
    s3: aws_sdk_s3::Client,
    sts: aws_sdk_sts::Client,
    info: BackendInfo,
    stats: Arc<ApiCallStats>,
    governor: Governor,
    retry: RetryPolicy,
    paging: HistoryPaging,
    jitter: Mutex<SmallRng>,
    notices: Mutex<Option<NoticeSink>>,
}

impl AwsBackend {
    /// Resolves configuration and credentials providers the standard way (nothing is sent
    /// yet: credentials are fetched on the first call). Fails only when no region is known.
    pub async fn connect(options: AwsOptions) -> BackendResult<AwsBackend> {
        let clients = connect::clients(&options).await?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x5eed);
        let governor = Governor::new(&clients.info.region, options.api_budget_share);
        Ok(AwsBackend {
            sfn: clients.sfn,
            rekognition: clients.rekognition,
            s3: clients.s3,
            sts: clients.sts,
            info: clients.info,
            stats: Arc::new(ApiCallStats::new()),
            governor,
            retry: RetryPolicy::default(),
            paging: HistoryPaging::default(),
            jitter: Mutex::new(SmallRng::seed_from_u64(seed)),
            notices: Mutex::new(None),
        })
    }

    /// Replaces the throttling retry policy (e.g. fewer attempts for a one-shot CLI command).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The API calls made so far, per operation; shared, so a view can keep it.
    pub fn api_calls(&self) -> Arc<ApiCallStats> {
        Arc::clone(&self.stats)
    }

    fn notify(&self, notice: BackendNotice) {
        let sink = self
            .notices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(sink) = sink {
            sink(notice);
        }
    }

    fn unit_random(&self) -> f64 {
        let mut rng = self.jitter.lock().unwrap_or_else(|p| p.into_inner());
        rng.random::<f64>()
    }

    /// Sends one operation: each attempt waits for a token of the API's budget, is counted,
    /// and its outcome feeds the governor; throttling is retried with backoff and jitter (and,
    /// for reads, server errors and lost connections), and SDK errors become `BackendError`s.
    /// `send` builds the request anew for each attempt; it goes out once the governor allows.
    async fn call<T, E, SendRequest, SendFut>(
        &self,
        call: &ApiCall,
        mut send: SendRequest,
    ) -> BackendResult<T>
    where
        SendRequest: FnMut() -> SendFut,
        SendFut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let outcome = retry::retry(
            &self.retry,
            || self.unit_random(),
            |failure: &CallFailure, attempt, backoff| {
                // The API's budget may hold the retry longer than the backoff: say the whole wait.
                let wait = self.governor.wait_estimate(call.operation, backoff);
                let retry_in_ms = wait.max(backoff).as_millis() as u64;
                let operation = call.operation.to_string();
                let notice = if failure.is_throttling() {
                    BackendNotice::Throttled {
                        operation,
                        attempt,
                        retry_in_ms,
                    }
                } else {
                    BackendNotice::Retrying {
                        operation,
                        why: failure.short_reason(),
                        attempt,
                        retry_in_ms,
                    }
                };
                tracing::warn!(operation = call.operation, retry_in_ms, "{notice}");
                self.notify(notice);
                tokio::time::sleep(backoff)
            },
            |failure| failure.is_retryable_for(call),
            || {
                let request = send();
                async move {
                    let permit = self.governor.acquire(call.operation).await;
                    self.stats.record(call.operation);
                    let result = request.await.map_err(|e| CallFailure::from_sdk(&e));
                    let outcome = match &result {
                        Ok(_) => Outcome::Answered,
                        Err(failure) if failure.is_throttling() => Outcome::Throttled,
                        Err(CallFailure::Service { .. }) => Outcome::Answered,
                        Err(_) => Outcome::NoAnswer,
                    };
                    if let Some(change) = self.governor.settle(permit, outcome) {
                        self.on_breaker(call, change);
                    }
                    result
                }
            },
        )
        .await;
        outcome.map_err(|gave_up| gave_up.error.into_backend_error(call, gave_up.attempts))
    }

    /// Tells the operator that an API was paused (and until when) or answers again.
    fn on_breaker(&self, call: &ApiCall, change: BreakerChange) {
        let operation = call.operation.to_string();
        let notice = match change {
            BreakerChange::Opened { until } => BackendNotice::Paused {
                operation,
                until: self.governor.wall_ms(until),
            },
            BreakerChange::Closed => BackendNotice::Resumed { operation },
        };
        tracing::warn!(operation = call.operation, "{notice}");
        self.notify(notice);
    }

    async fn history_page(
        &self,
        call: &ApiCall,
        execution_arn: &str,
        request: HistoryPageRequest,
    ) -> BackendResult<HistoryPage> {
        let output = self
            .call(call, || {
                self.sfn
                    .get_execution_history()
                    .execution_arn(execution_arn)
                    .reverse_order(request.reverse_order)
                    .max_results(request.max_results)
                    .include_execution_data(request.include_data)
                    .set_next_token(request.next_token.clone())
                    .send()
            })
            .await?;
        Ok(HistoryPage {
            events: output.events().iter().map(convert::history_event).collect(),
            next_token: output.next_token().map(str::to_string),
        })
    }

    /// Creates a state machine (for setting up a sandbox account or a test server).
    pub async fn create_state_machine(
        &self,
        name: &str,
        definition: &str,
        role_arn: &str,
    ) -> BackendResult<String> {
        let call = ApiCall::new(
            "states",
            "CreateStateMachine",
            format!("state machine {name}"),
        );
        let output = self
            .call(&call, || {
                self.sfn
                    .create_state_machine()
                    .name(name)
                    .definition(definition)
                    .role_arn(role_arn)
                    .send()
            })
            .await?;
        Ok(output.state_machine_arn().to_string())
    }
}

/// Express executions have ARNs of the form `arn:aws:states:REGION:ACCOUNT:express:…`.
fn is_express_execution(execution_arn: &str) -> bool {
    execution_arn.split(':').nth(5) == Some("express")
}

/// A name for an execution started without one: sortable by time, unique enough, and valid
/// for Step Functions (at most 80 of `[A-Za-z0-9_-]`).
fn generated_execution_name(now: chrono::DateTime<chrono::Utc>, random: u32) -> String {
    format!("stepdeck-{}-{random:08x}", now.format("%Y%m%dT%H%M%S"))
}

#[async_trait]
impl Backend for AwsBackend {
    fn info(&self) -> BackendInfo {
        self.info.clone()
    }

    fn set_notice_sink(&self, sink: NoticeSink) {
        *self.notices.lock().unwrap_or_else(|p| p.into_inner()) = Some(sink);
    }

    async fn caller_identity(&self) -> BackendResult<Option<CallerIdentity>> {
        let call = ApiCall::new("sts", "GetCallerIdentity", "");
        let output = self
            .call(&call, || self.sts.get_caller_identity().send())
            .await?;
        Ok(Some(CallerIdentity {
            account: output.account().unwrap_or_default().to_string(),
            arn: output.arn().unwrap_or_default().to_string(),
        }))
    }

    async fn list_state_machines(&self) -> BackendResult<Vec<StateMachineSummary>> {
        let call = ApiCall::new("states", "ListStateMachines", "");
        let mut machines = Vec::new();
        let mut next_token: Option<String> = None;
        let mut tokens_seen = std::collections::HashSet::new();
        loop {
            let output = self
                .call(&call, || {
                    self.sfn
                        .list_state_machines()
                        .max_results(1000)
                        .set_next_token(next_token.clone())
                        .send()
                })
                .await?;
            machines.extend(output.state_machines().iter().map(convert::state_machine));
            match output.next_token() {
                Some(token) if tokens_seen.insert(token.to_string()) => {
                    next_token = Some(token.to_string())
                }
                _ => break,
            }
        }
        Ok(machines)
    }

    async fn list_executions(
        &self,
        request: ListExecutionsRequest,
    ) -> BackendResult<Page<ExecutionSummary>> {
        let call = ApiCall::new(
            "states",
            "ListExecutions",
            format!("state machine {}", request.state_machine_arn),
        );
        let output = self
            .call(&call, || {
                self.sfn
                    .list_executions()
                    .state_machine_arn(&request.state_machine_arn)
                    .set_status_filter(request.status.map(convert::sfn_status))
                    .set_next_token(request.next_token.clone())
                    .max_results(request.page_size.clamp(1, 1000) as i32)
                    .send()
            })
            .await?;
        Ok(Page {
            items: output
                .executions()
                .iter()
                .map(convert::execution_summary)
                .collect(),
            next_token: output.next_token().map(str::to_string),
        })
    }

    async fn describe_execution(&self, execution_arn: &str) -> BackendResult<ExecutionDetail> {
        let call = ApiCall::new(
            "states",
            "DescribeExecution",
            format!("execution {execution_arn}"),
        );
        let output = self
            .call(&call, || {
                self.sfn
                    .describe_execution()
                    .execution_arn(execution_arn)
                    .send()
            })
            .await?;
        Ok(convert::execution_detail(&output))
    }

    async fn describe_state_machine_for_execution(
        &self,
        execution_arn: &str,
    ) -> BackendResult<ExecutionDefinition> {
        let call = ApiCall::new(
            "states",
            "DescribeStateMachineForExecution",
            format!("execution {execution_arn}"),
        );
        let output = self
            .call(&call, || {
                self.sfn
                    .describe_state_machine_for_execution()
                    .execution_arn(execution_arn)
                    .send()
            })
            .await?;
        Ok(convert::execution_definition(&output))
    }

    async fn get_execution_history(
        &self,
        request: HistoryRequest,
    ) -> BackendResult<Vec<HistoryEvent>> {
        if is_express_execution(&request.execution_arn) {
            return Err(BackendError::Unsupported(
                "Express state machines keep no execution history in Step Functions; \
                 their runs are logged to CloudWatch Logs if logging is enabled"
                    .into(),
            ));
        }
        let call = ApiCall::new(
            "states",
            "GetExecutionHistory",
            format!("execution {}", request.execution_arn),
        );
        history::fetch_history(
            &self.paging,
            request.after_event_id,
            request.include_data,
            |page_request| self.history_page(&call, &request.execution_arn, page_request),
        )
        .await
    }

    async fn start_execution(
        &self,
        request: StartExecutionRequest,
    ) -> BackendResult<ExecutionSummary> {
        let name = request.name.clone().unwrap_or_else(|| {
            let random = self.unit_random();
            generated_execution_name(chrono::Utc::now(), (random * f64::from(u32::MAX)) as u32)
        });
        let call = ApiCall::new(
            "states",
            "StartExecution",
            format!("state machine {}", request.state_machine_arn),
        );
        let output = self
            .call(&call, || {
                self.sfn
                    .start_execution()
                    .state_machine_arn(&request.state_machine_arn)
                    .name(&name)
                    .input(&request.input)
                    .send()
            })
            .await?;
        Ok(ExecutionSummary {
            arn: output.execution_arn().to_string(),
            name,
            state_machine_arn: request.state_machine_arn.clone(),
            status: ExecutionStatus::Running,
            start: convert::millis(output.start_date()),
            stop: None,
            input_label: input_label(&request.input),
            outcome: None,
        })
    }

    async fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> BackendResult<()> {
        let call = ApiCall::new(
            "states",
            "StopExecution",
            format!("execution {execution_arn}"),
        );
        self.call(&call, || {
            self.sfn
                .stop_execution()
                .execution_arn(execution_arn)
                .set_error(error.clone())
                .set_cause(cause.clone())
                .send()
        })
        .await?;
        Ok(())
    }

    async fn redrive_execution(&self, execution_arn: &str) -> BackendResult<()> {
        let call = ApiCall::new(
            "states",
            "RedriveExecution",
            format!("execution {execution_arn}"),
        );
        self.call(&call, || {
            self.sfn
                .redrive_execution()
                .execution_arn(execution_arn)
                .send()
        })
        .await?;
        Ok(())
    }

    // The face and bucket operations live beside their SDK clients (faces.rs, objects.rs).

    async fn list_faces(
        &self,
        collection: &str,
        next_token: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<Face>> {
        AwsBackend::list_faces(self, collection, next_token, page_size).await
    }

    async fn describe_collection(&self, collection: &str) -> BackendResult<CollectionInfo> {
        AwsBackend::describe_collection(self, collection).await
    }

    async fn search_faces(
        &self,
        collection: &str,
        face_id: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>> {
        AwsBackend::search_faces(self, collection, face_id, threshold).await
    }

    async fn search_faces_by_image(
        &self,
        collection: &str,
        bucket: &str,
        key: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>> {
        AwsBackend::search_faces_by_image(self, collection, bucket, key, threshold).await
    }

    async fn delete_faces(
        &self,
        collection: &str,
        face_ids: &[String],
    ) -> BackendResult<DeleteFacesResult> {
        AwsBackend::delete_faces(self, collection, face_ids).await
    }

    async fn list_buckets(&self) -> BackendResult<Vec<BucketInfo>> {
        AwsBackend::list_buckets(self).await
    }

    async fn list_objects(
        &self,
        bucket: &str,
        prefix: Option<&str>,
        continuation: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<ObjectInfo>> {
        AwsBackend::list_objects(self, bucket, prefix, continuation, page_size).await
    }

    async fn get_object(&self, bucket: &str, key: &str) -> BackendResult<ObjectBody> {
        AwsBackend::get_object(self, bucket, key).await
    }

    async fn delete_object(&self, bucket: &str, key: &str) -> BackendResult<()> {
        AwsBackend::delete_object(self, bucket, key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn express_executions_are_recognised_by_their_arn() {
        assert!(is_express_execution(
            "arn:aws:states:us-east-1:123456789012:express:Pipeline:run-1:0f3c"
        ));
        assert!(!is_express_execution(
            "arn:aws:states:us-east-1:123456789012:execution:Pipeline:run-1"
        ));
        assert!(!is_express_execution("not-an-arn"));
    }

    #[test]
    fn generated_names_are_valid_execution_names() {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 5)
            .unwrap();
        let name = generated_execution_name(now, 0xabc);
        assert_eq!(name, "stepdeck-20261125T100005-00000abc");
        assert!(name.len() <= 80);
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }
}
