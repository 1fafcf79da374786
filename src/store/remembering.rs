//! `Remembering`: a `Backend` in front of another that keeps what never changes in the store
//! and serves it from there: finished executions' descriptions (a stored row costs no
//! DescribeExecution), their whole histories (a stored run opens with no
//! GetExecutionHistory), the state machines and the account last listed. When the service
//! cannot be reached (network, lost answers, expired credentials) it lists and opens what the
//! store holds, says so once, and says so again when the service answers. Writes pass through;
//! a redrive forgets the run (its history grows again). A store that fails is never a reason to
//! fail a call: the call goes to the service, and the store's error is logged.

use super::{Store, StoreError};
use crate::backend::{
    Backend, BackendError, BackendInfo, BackendNotice, BackendResult, CallerIdentity,
    HistoryRequest, ListExecutionsRequest, NoticeSink, Page, StartExecutionRequest, StoreReport,
};
use crate::domain::Millis;
use crate::domain::execution::{
    ExecutionDefinition, ExecutionDetail, ExecutionStatus, ExecutionSummary, StateMachineSummary,
    outcome_from_description,
};
use crate::domain::faces::{CollectionInfo, DeleteFacesResult, Face, FaceMatch, LookalikeSearch};
use crate::domain::history::HistoryEvent;
use crate::domain::objects::{BucketInfo, ObjectBody, ObjectInfo};
use crate::domain::suites::recorded::VerdictRecord;
use async_trait::async_trait;
use std::sync::{Arc, Mutex};

/// Offline, how long a listing may take before the stored rows are shown instead.
const OFFLINE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

/// The clock the store's times are read from (the wall clock at run time, fixed in tests).
pub type Clock = Arc<dyn Fn() -> Millis + Send + Sync>;

pub struct Remembering {
    inner: Arc<dyn Backend>,
    store: Arc<Store>,
    /// The endpoint the inner backend talks to ("" for AWS): moto's data never mixes with AWS's.
    scope: String,
    /// The profile (or "environment") and region the console connected with: offline, whose
    /// account's data to show.
    identity: String,
    region: String,
    clock: Clock,
    sink: Mutex<Option<NoticeSink>>,
    /// Whether the last call found the service unreachable (said once per change).
    offline: Mutex<bool>,
    /// Whether executions, state machines and accounts are remembered: not for the sandbox,
    /// which starts afresh every time (only its suites' verdicts are kept).
    executions: bool,
    /// Definitions executions ran, by execution ARN, for this session: one never changes, so
    /// reopening an execution does not ask again (the oldest is forgotten past the bound).
    definitions: Mutex<std::collections::VecDeque<(String, ExecutionDefinition)>>,
}

/// How many executions' definitions `Remembering` keeps in memory.
const DEFINITIONS_KEPT: usize = 32;

/// The scope of the sandbox's verdicts: never mixed with AWS's or an emulator's.
pub const SANDBOX_SCOPE: &str = "sandbox";

/// A failure that means the service could not be asked (rather than that it said no).
fn unreachable(error: &BackendError) -> bool {
    matches!(
        error,
        BackendError::Network(_) | BackendError::NoAnswer { .. } | BackendError::Credentials(_)
    )
}

fn finished(status: ExecutionStatus) -> bool {
    !matches!(
        status,
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive
    )
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:…` → ACCOUNT.
fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// The summary a stored description gives a list row: complete (input and outcome known).
fn stored_row(detail: &ExecutionDetail) -> ExecutionSummary {
    let mut row = detail.summary.clone();
    if row.outcome.is_none() {
        row.outcome = outcome_from_description(detail);
    }
    row
}

impl Remembering {
    pub fn new(
        inner: Arc<dyn Backend>,
        store: Arc<Store>,
        identity: &str,
        clock: Clock,
    ) -> Remembering {
        let info = inner.info();
        Remembering {
            scope: info.endpoint.clone().unwrap_or_default(),
            region: info.region.clone(),
            identity: identity.to_string(),
            inner,
            store,
            clock,
            sink: Mutex::new(None),
            offline: Mutex::new(false),
            executions: true,
            definitions: Mutex::new(std::collections::VecDeque::new()),
        }
    }

    /// In front of the sandbox: keeps test suites' verdicts (scope `SANDBOX_SCOPE`) and
    /// passes every other call through untouched.
    pub fn verdicts_only(inner: Arc<dyn Backend>, store: Arc<Store>, clock: Clock) -> Remembering {
        let mut remembering = Remembering::new(inner, store, "", clock);
        remembering.scope = SANDBOX_SCOPE.to_string();
        remembering.executions = false;
        remembering
    }

    fn now(&self) -> Millis {
        (self.clock)()
    }

    /// A store error costs the user nothing: the call goes on without the store.
    fn quietly<T>(&self, result: Result<T, StoreError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                tracing::warn!("store: {error}");
                None
            }
        }
    }

    fn tell(&self, notice: BackendNotice) {
        let sink = self.sink.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(sink) = sink {
            sink(notice);
        }
    }

    /// Notes whether the service answered; a change is said once.
    fn reached(&self, answered: bool, why: Option<&BackendError>, confirmed_at: Option<Millis>) {
        let mut offline = self.offline.lock().unwrap_or_else(|e| e.into_inner());
        if *offline != answered {
            return;
        }
        *offline = !answered;
        drop(offline);
        self.tell(match why {
            Some(error) if !answered => BackendNotice::Offline {
                why: error.to_string(),
                confirmed_at,
            },
            _ => BackendNotice::Online,
        });
    }

    /// A listing asked of the service. While it is known to be unreachable, a call that takes
    /// longer than `OFFLINE_PATIENCE` (retrying a refused connection) is given up, so that the
    /// stored rows show at once and the next refresh asks again; the first answer ends it.
    async fn ask<T>(
        &self,
        call: impl std::future::Future<Output = BackendResult<T>>,
    ) -> BackendResult<T> {
        if !*self.offline.lock().unwrap_or_else(|e| e.into_inner()) {
            return call.await;
        }
        tokio::time::timeout(OFFLINE_PATIENCE, call)
            .await
            .unwrap_or_else(|_| {
                Err(BackendError::Network(
                    "still unreachable (no answer within 2 s)".into(),
                ))
            })
    }

    fn account(&self) -> Option<String> {
        self.quietly(
            self.store
                .account(&self.scope, &self.identity, &self.region),
        )
        .flatten()
    }
}

#[async_trait]
impl Backend for Remembering {
    fn info(&self) -> BackendInfo {
        self.inner.info()
    }

    fn set_notice_sink(&self, sink: NoticeSink) {
        *self.sink.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&sink));
        self.inner.set_notice_sink(sink);
    }

    async fn caller_identity(&self) -> BackendResult<Option<CallerIdentity>> {
        let answer = self.inner.caller_identity().await;
        if !self.executions {
            return answer;
        }
        if let Ok(Some(caller)) = &answer {
            let now = self.now();
            self.quietly(self.store.put_account(
                &self.scope,
                &self.identity,
                &self.region,
                &caller.account,
                now,
            ));
        }
        answer
    }

    async fn store_report(&self) -> BackendResult<Option<StoreReport>> {
        let stats = self
            .store
            .stats()
            .map_err(|e| BackendError::Other(e.to_string()))?;
        Ok(Some(StoreReport {
            path: stats.path,
            bytes: stats.bytes,
            limit_bytes: stats.limit_bytes,
            descriptions: stats.descriptions,
            histories: stats.histories,
            history_events: stats.history_events,
            journal_entries: stats.journal_entries,
        }))
    }

    async fn index_journal(&self, journal: &std::path::Path, offset: u64, lines: &[String]) {
        if !self.executions {
            return;
        }
        let mut at = offset;
        for line in lines {
            self.quietly(self.store.index_journal_line(journal, at, line));
            at += line.len() as u64 + 1;
        }
    }

    async fn record_verdict(&self, verdict: VerdictRecord) {
        self.quietly(self.store.put_verdict(&self.scope, &self.region, &verdict));
    }

    async fn lookalike_searches(&self, collection: &str) -> BackendResult<Vec<LookalikeSearch>> {
        if !self.executions {
            return Ok(Vec::new());
        }
        self.store
            .lookalike_searches(&self.scope, &self.region, collection)
            .map_err(|e| BackendError::Other(e.to_string()))
    }

    async fn record_lookalike_search(&self, collection: &str, search: LookalikeSearch) {
        if self.executions {
            let now = self.now();
            self.quietly(self.store.put_lookalike_search(
                &self.scope,
                &self.region,
                collection,
                &search,
                now,
            ));
        }
    }

    async fn verdict_history(&self, suite: &str) -> BackendResult<Vec<VerdictRecord>> {
        self.store
            .verdicts(&self.scope, &self.region, suite)
            .map_err(|e| BackendError::Other(e.to_string()))
    }

    async fn list_state_machines(&self) -> BackendResult<Vec<StateMachineSummary>> {
        if !self.executions {
            return self.inner.list_state_machines().await;
        }
        match self.ask(self.inner.list_state_machines()).await {
            Ok(machines) => {
                self.reached(true, None, None);
                let account = machines
                    .first()
                    .and_then(|m| account_of(&m.arn))
                    .map(str::to_string)
                    .or_else(|| self.account());
                if let Some(account) = account {
                    let now = self.now();
                    self.quietly(self.store.put_state_machines(
                        &self.scope,
                        &account,
                        &self.region,
                        &machines,
                        now,
                    ));
                }
                Ok(machines)
            }
            Err(error) if unreachable(&error) => {
                let stored = self.account().and_then(|account| {
                    self.quietly(
                        self.store
                            .state_machines(&self.scope, &account, &self.region),
                    )
                    .flatten()
                });
                match stored {
                    Some((machines, at)) => {
                        self.reached(false, Some(&error), Some(at));
                        Ok(machines)
                    }
                    None => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    }

    async fn list_executions(
        &self,
        request: ListExecutionsRequest,
    ) -> BackendResult<Page<ExecutionSummary>> {
        if !self.executions {
            return self.inner.list_executions(request).await;
        }
        let state_machine = request.state_machine_arn.clone();
        let status = request.status;
        match self.ask(self.inner.list_executions(request)).await {
            Ok(mut page) => {
                self.reached(true, None, None);
                let now = self.now();
                let mut confirmed = Vec::new();
                for row in page.items.iter_mut() {
                    let Some(stored) = self
                        .quietly(self.store.description(&self.scope, &row.arn))
                        .flatten()
                    else {
                        continue;
                    };
                    if stored.detail.summary.status == row.status {
                        // Finished, unchanged: the row is complete without a describe.
                        *row = stored_row(&stored.detail);
                        confirmed.push(row.arn.clone());
                    } else {
                        // Redriven since it was stored: what was stored is no longer true.
                        self.quietly(self.store.forget_execution(&self.scope, &row.arn));
                    }
                }
                self.quietly(self.store.confirm(&self.scope, &confirmed, now));
                Ok(page)
            }
            Err(error) if unreachable(&error) => {
                let stored = self
                    .quietly(self.store.descriptions_of(&self.scope, &state_machine))
                    .unwrap_or_default();
                if stored.is_empty() {
                    return Err(error);
                }
                let confirmed_at = stored.iter().map(|s| s.confirmed_at).max();
                self.reached(false, Some(&error), confirmed_at);
                Ok(Page {
                    items: stored
                        .iter()
                        .map(|s| stored_row(&s.detail))
                        .filter(|row| status.is_none_or(|wanted| row.status == wanted))
                        .collect(),
                    next_token: None,
                })
            }
            Err(error) => Err(error),
        }
    }

    async fn describe_execution(&self, execution_arn: &str) -> BackendResult<ExecutionDetail> {
        if !self.executions {
            return self.inner.describe_execution(execution_arn).await;
        }
        if let Some(stored) = self
            .quietly(self.store.description(&self.scope, execution_arn))
            .flatten()
        {
            return Ok(stored.detail);
        }
        let detail = self.inner.describe_execution(execution_arn).await?;
        if finished(detail.summary.status) {
            let now = self.now();
            self.quietly(self.store.put_description(&self.scope, &detail, now));
        }
        Ok(detail)
    }

    async fn describe_state_machine_for_execution(
        &self,
        execution_arn: &str,
    ) -> BackendResult<ExecutionDefinition> {
        let known = |kept: &std::collections::VecDeque<(String, ExecutionDefinition)>| {
            kept.iter()
                .find(|(arn, _)| arn == execution_arn)
                .map(|(_, definition)| definition.clone())
        };
        if let Some(definition) = known(&self.definitions.lock().expect("definitions lock")) {
            return Ok(definition);
        }
        let definition = self
            .inner
            .describe_state_machine_for_execution(execution_arn)
            .await?;
        let mut kept = self.definitions.lock().expect("definitions lock");
        if known(&kept).is_none() {
            if kept.len() >= DEFINITIONS_KEPT {
                kept.pop_front();
            }
            kept.push_back((execution_arn.to_string(), definition.clone()));
        }
        Ok(definition)
    }

    async fn get_execution_history(
        &self,
        request: HistoryRequest,
    ) -> BackendResult<Vec<HistoryEvent>> {
        if !self.executions {
            return self.inner.get_execution_history(request).await;
        }
        let whole = request.after_event_id.is_none();
        if whole {
            let now = self.now();
            if let Some(events) = self
                .quietly(self.store.history(
                    &self.scope,
                    &request.execution_arn,
                    request.include_data,
                    now,
                ))
                .flatten()
            {
                return Ok(events);
            }
        }
        let arn = request.execution_arn.clone();
        let include_data = request.include_data;
        let events = self.inner.get_execution_history(request).await?;
        // Stored only when read whole and ended: a followed run's last poll holds its tail.
        if whole
            && events
                .last()
                .is_some_and(|e| e.event_type.is_execution_end())
        {
            let now = self.now();
            self.quietly(
                self.store
                    .put_history(&self.scope, &arn, &events, include_data, now),
            );
        }
        Ok(events)
    }

    async fn start_execution(
        &self,
        request: StartExecutionRequest,
    ) -> BackendResult<ExecutionSummary> {
        self.inner.start_execution(request).await
    }

    async fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> BackendResult<()> {
        self.inner.stop_execution(execution_arn, error, cause).await
    }

    async fn redrive_execution(&self, execution_arn: &str) -> BackendResult<()> {
        // Whatever the answer, the stored run may be running again: forget it first.
        if self.executions {
            self.quietly(self.store.forget_execution(&self.scope, execution_arn));
        }
        self.inner.redrive_execution(execution_arn).await
    }

    async fn describe_collection(&self, collection: &str) -> BackendResult<CollectionInfo> {
        self.inner.describe_collection(collection).await
    }

    async fn list_faces(
        &self,
        collection: &str,
        next_token: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<Face>> {
        self.inner
            .list_faces(collection, next_token, page_size)
            .await
    }

    async fn search_faces(
        &self,
        collection: &str,
        face_id: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>> {
        self.inner
            .search_faces(collection, face_id, threshold)
            .await
    }

    async fn search_faces_by_image(
        &self,
        collection: &str,
        bucket: &str,
        key: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>> {
        self.inner
            .search_faces_by_image(collection, bucket, key, threshold)
            .await
    }

    async fn delete_faces(
        &self,
        collection: &str,
        face_ids: &[String],
    ) -> BackendResult<DeleteFacesResult> {
        let result = self.inner.delete_faces(collection, face_ids).await?;
        if self.executions {
            self.quietly(self.store.forget_lookalike_searches(
                &self.scope,
                &self.region,
                collection,
                &result.deleted,
            ));
        }
        Ok(result)
    }

    async fn list_buckets(&self) -> BackendResult<Vec<BucketInfo>> {
        self.inner.list_buckets().await
    }

    async fn list_objects(
        &self,
        bucket: &str,
        prefix: Option<&str>,
        continuation: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<ObjectInfo>> {
        self.inner
            .list_objects(bucket, prefix, continuation, page_size)
            .await
    }

    async fn get_object(&self, bucket: &str, key: &str) -> BackendResult<ObjectBody> {
        self.inner.get_object(bucket, key).await
    }

    async fn delete_object(&self, bucket: &str, key: &str) -> BackendResult<()> {
        self.inner.delete_object(bucket, key).await
    }
}
