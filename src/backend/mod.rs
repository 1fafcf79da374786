//! `Backend`: the only door to the outside world. The AWS adapter and the embedded local
//! sandbox implement it and speak only domain types.

pub mod aws;
pub mod local;

use crate::domain::Millis;
use crate::domain::execution::{
    ExecutionDefinition, ExecutionDetail, ExecutionStatus, ExecutionSummary, StateMachineSummary,
};
use crate::domain::faces::{CollectionInfo, DeleteFacesResult, Face, FaceMatch, LookalikeSearch};
use crate::domain::history::HistoryEvent;
use crate::domain::objects::{BucketInfo, ObjectBody, ObjectInfo};
use crate::domain::suites::recorded::VerdictRecord;
use async_trait::async_trait;
use std::fmt;
use std::sync::Arc;

/// `BackendInfo::identity` when the credentials come from environment variables.
pub const ENVIRONMENT_CREDENTIALS: &str = "environment credentials";

/// What the header shows about where the console is connected.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendInfo {
    /// `local sandbox` or `aws`.
    pub kind: String,
    /// Profile or account, e.g. `default (123456789012)`; `sandbox` for the sandbox.
    pub identity: String,
    pub region: String,
    /// Custom endpoint (moto, LocalStack) when one is set.
    pub endpoint: Option<String>,
}

/// The AWS profile and region the console works in: the key of the per-account settings and
/// what `:profile` / `:region` change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsTarget {
    /// The profile name (`default` when none is named).
    pub profile: String,
    pub region: String,
}

impl fmt::Display for AwsTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "profile {} in {}", self.profile, self.region)
    }
}

/// Who the credentials belong to (`sts:GetCallerIdentity`), for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    /// The 12-digit account id.
    pub account: String,
    /// The principal's ARN (user, assumed role, …).
    pub arn: String,
}

/// Something the backend did on its own that the operator should see (it is not a result).
#[derive(Debug, Clone, PartialEq)]
pub enum BackendNotice {
    /// An API call was throttled; the backend waits `retry_in_ms` and tries again.
    Throttled {
        operation: String,
        attempt: u32,
        retry_in_ms: u64,
    },
    /// A read failed in a way that may pass (`why`: a server error, no answer); the backend
    /// waits `retry_in_ms` and tries again.
    Retrying {
        operation: String,
        why: String,
        attempt: u32,
        retry_in_ms: u64,
    },
    /// Throttled again and again, the API is paused: no call of it goes out before `until`
    /// (wall-clock epoch milliseconds), when one tries again.
    Paused { operation: String, until: Millis },
    /// The paused API answered again: its calls go out again.
    Resumed { operation: String },
    /// The service cannot be reached (`why`); what is shown comes from the store, last
    /// confirmed by the service at `confirmed_at`.
    Offline {
        why: String,
        confirmed_at: Option<Millis>,
    },
    /// The service answers again after `Offline`.
    Online,
}

impl BackendNotice {
    /// Whether this notice ends the condition `shown` (a notice's text) reported: an API that
    /// resumed ends its pause and its throttling. The console clears such a notice.
    pub fn resolves(&self, shown: &str) -> bool {
        match self {
            BackendNotice::Resumed { operation } => {
                shown.starts_with(&format!("{operation} paused "))
                    || shown.starts_with(&format!("{operation} throttled "))
            }
            // The service answers again: its retries and the offline notice are over.
            BackendNotice::Online => {
                shown.starts_with("offline: ") || shown.contains(", retrying in ")
            }
            _ => false,
        }
    }
}

impl fmt::Display for BackendNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendNotice::Throttled {
                operation,
                attempt,
                retry_in_ms,
            } => write!(
                f,
                "{operation} throttled (attempt {attempt}), retrying in {:.1} s",
                *retry_in_ms as f64 / 1000.0
            ),
            BackendNotice::Retrying {
                operation,
                why,
                attempt,
                retry_in_ms,
            } => write!(
                f,
                "{operation} failed ({why}, attempt {attempt}), retrying in {:.1} s",
                *retry_in_ms as f64 / 1000.0
            ),
            BackendNotice::Paused { operation, until } => write!(
                f,
                "{operation} paused after repeated throttling; trying again at {}",
                crate::domain::time::format_clock(*until)
            ),
            BackendNotice::Resumed { operation } => write!(f, "{operation} answers again"),
            BackendNotice::Offline { why, confirmed_at } => {
                write!(f, "offline: showing what the store holds")?;
                if let Some(at) = confirmed_at {
                    write!(
                        f,
                        ", last confirmed {}",
                        crate::domain::time::format_date_time(*at)
                    )?;
                }
                write!(f, " ({why})")
            }
            BackendNotice::Online => write!(f, "online again: the service answers"),
        }
    }
}

/// What the on-disk store of finished executions holds (`:cache`, `stepdeck cache`).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreReport {
    pub path: std::path::PathBuf,
    pub bytes: u64,
    pub limit_bytes: u64,
    pub descriptions: u64,
    pub histories: u64,
    pub history_events: u64,
    pub journal_entries: u64,
}

impl fmt::Display for StoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
        write!(
            f,
            "store {}: {:.1} MB of {:.0} MB · {} descriptions · {} histories ({} events) · {} \
             journal entries indexed",
            self.path.display(),
            mb(self.bytes),
            mb(self.limit_bytes),
            self.descriptions,
            self.histories,
            self.history_events,
            self.journal_entries
        )
    }
}

/// Where a backend reports its notices (the runtime forwards them to the app).
pub type NoticeSink = Arc<dyn Fn(BackendNotice) + Send + Sync>;

/// One page of a paginated listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Token for the next page; None on the last page.
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListExecutionsRequest {
    pub state_machine_arn: String,
    /// Server-side status filter.
    pub status: Option<ExecutionStatus>,
    pub next_token: Option<String>,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRequest {
    pub execution_arn: String,
    /// Return only events with an id greater than this (the last one already seen).
    pub after_event_id: Option<i64>,
    /// Include inputs/outputs of states (`includeExecutionData`). The timeline does without;
    /// payloads are fetched when a step is opened.
    pub include_data: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StartExecutionRequest {
    pub state_machine_arn: String,
    /// Execution name; the backend generates one when absent.
    pub name: Option<String>,
    /// Input as JSON text (validated by the caller).
    pub input: String,
}

/// Errors are information for the operator, never a crash: each variant renders as a clear
/// message and the console keeps its last good data.
#[derive(Debug, Clone, PartialEq)]
pub enum BackendError {
    /// The API throttled us; the caller backs off (the adapter already retried `attempts` times).
    Throttled {
        api: String,
        attempts: u32,
    },
    /// The identity lacks a permission, e.g. `states:GetExecutionHistory`.
    AccessDenied {
        action: String,
        message: String,
    },
    /// A named resource does not exist (state machine, execution, bucket, collection).
    NotFound {
        what: String,
    },
    /// Credentials missing, invalid or expired.
    Credentials(String),
    /// The endpoint could not be reached (network down, wrong endpoint, unknown region):
    /// nothing was sent, so nothing was carried out.
    Network(String),
    /// The request went out but its answer never came (the connection closed or was reset
    /// mid-answer, the answer timed out): the request may have been carried out. A write that
    /// ends so is reconciled by reading back the truth, never reported as failed.
    NoAnswer {
        /// The IAM action, e.g. `states:StartExecution`.
        action: String,
        /// What the transport said, for the curious.
        detail: String,
    },
    /// The resource to create exists already (`ExecutionAlreadyExists`: a start whose name was
    /// used before with another input, or by an execution that has ended).
    AlreadyExists(String),
    /// The request was refused as invalid (bad input JSON, name already used, …).
    Invalid(String),
    /// The backend does not support this (e.g. history of an Express state machine).
    Unsupported(String),
    Other(String),
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendError::Throttled { api, attempts } => {
                write!(f, "{api} throttled (gave up after {attempts} tries)")
            }
            BackendError::AccessDenied { action, message } => {
                write!(f, "access denied: missing permission {action} ({message})")
            }
            BackendError::NotFound { what } => write!(f, "not found: {what}"),
            BackendError::Credentials(m) => write!(f, "credentials: {m}"),
            BackendError::Network(m) => write!(f, "network: {m}"),
            BackendError::NoAnswer { action, detail } => write!(
                f,
                "{action}: no answer; the request may have been carried out ({detail})"
            ),
            BackendError::AlreadyExists(m) => write!(f, "already exists: {m}"),
            BackendError::Invalid(m) => write!(f, "invalid request: {m}"),
            BackendError::Unsupported(m) => write!(f, "not supported: {m}"),
            BackendError::Other(m) => write!(f, "{m}"),
        }
    }
}

impl BackendError {
    /// Whether the failed request was certainly not carried out: refused (denied,
    /// throttled to the end, invalid, not found, no credentials) or never sent (no
    /// connection). A lost answer or a server error leaves it unknown: read back the truth.
    pub fn certainly_not_done(&self) -> bool {
        match self {
            BackendError::Throttled { .. }
            | BackendError::AccessDenied { .. }
            | BackendError::NotFound { .. }
            | BackendError::Credentials(_)
            | BackendError::Network(_)
            | BackendError::Invalid(_)
            | BackendError::AlreadyExists(_)
            | BackendError::Unsupported(_) => true,
            BackendError::NoAnswer { .. } | BackendError::Other(_) => false,
        }
    }
}

impl std::error::Error for BackendError {}

pub type BackendResult<T> = Result<T, BackendError>;

/// Everything the console asks of the outside world. Implementations must be cheap to call
/// concurrently; the runtime calls them from spawned tasks.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    fn info(&self) -> BackendInfo;

    /// Registers where to report notices (throttling and its retries). Backends that never
    /// have anything to report keep the default.
    fn set_notice_sink(&self, _sink: NoticeSink) {}

    /// The account and principal the backend acts as; None where that means nothing (the
    /// sandbox). Asking costs one call, so callers ask once per connection.
    async fn caller_identity(&self) -> BackendResult<Option<CallerIdentity>> {
        Ok(None)
    }

    /// Notes journal `lines` just appended to `journal` from byte `offset` (the store's index
    /// of the deletion journal); nothing where there is no store. Never fails the caller.
    async fn index_journal(&self, _journal: &std::path::Path, _offset: u64, _lines: &[String]) {}

    /// What the on-disk store holds; None where there is none (the sandbox, `store = false`,
    /// a store that could not be opened).
    async fn store_report(&self) -> BackendResult<Option<StoreReport>> {
        Ok(None)
    }

    /// Keeps a test suite step's verdict (the store's last runs of each step); nothing where
    /// there is no store. Never fails the caller.
    async fn record_verdict(&self, _verdict: VerdictRecord) {}

    /// The kept verdicts of `suite`'s steps, each step's oldest first; none where there is
    /// no store.
    async fn verdict_history(&self, _suite: &str) -> BackendResult<Vec<VerdictRecord>> {
        Ok(Vec::new())
    }

    /// The lookalike searches kept for `collection` by a store in front of the service (a
    /// second scan skips what they searched); none without one.
    async fn lookalike_searches(&self, _collection: &str) -> BackendResult<Vec<LookalikeSearch>> {
        Ok(Vec::new())
    }

    /// Keeps one lookalike search (a store in front of the service keeps it; else nothing).
    async fn record_lookalike_search(&self, _collection: &str, _search: LookalikeSearch) {}

    async fn list_state_machines(&self) -> BackendResult<Vec<StateMachineSummary>>;

    /// Newest first, like `ListExecutions`.
    async fn list_executions(
        &self,
        request: ListExecutionsRequest,
    ) -> BackendResult<Page<ExecutionSummary>>;

    async fn describe_execution(&self, execution_arn: &str) -> BackendResult<ExecutionDetail>;

    /// `DescribeStateMachineForExecution`: the definition the execution ran, which never
    /// changes for that execution (a redrive runs the same one).
    async fn describe_state_machine_for_execution(
        &self,
        execution_arn: &str,
    ) -> BackendResult<ExecutionDefinition>;

    /// Events of the execution with ids above `after_event_id`, in ascending id order.
    async fn get_execution_history(
        &self,
        request: HistoryRequest,
    ) -> BackendResult<Vec<HistoryEvent>>;

    async fn start_execution(
        &self,
        request: StartExecutionRequest,
    ) -> BackendResult<ExecutionSummary>;

    async fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> BackendResult<()>;

    /// `RedriveExecution`: restarts a failed, aborted or timed-out Standard execution from
    /// its point of failure. Eligibility is the service's answer (an `Invalid` error says why).
    async fn redrive_execution(&self, execution_arn: &str) -> BackendResult<()>;

    // --- The face collection (Rekognition) ---

    /// One page of the collection's faces (`ListFaces`).
    async fn list_faces(
        &self,
        collection: &str,
        next_token: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<Face>>;

    /// How many faces the collection holds (`DescribeCollection`): what "of ~N" counts.
    async fn describe_collection(&self, collection: &str) -> BackendResult<CollectionInfo>;

    /// Faces similar to `face_id` (itself excluded), most similar first (`SearchFaces`).
    async fn search_faces(
        &self,
        collection: &str,
        face_id: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>>;

    /// Faces similar to the face in an S3 object's image, most similar first
    /// (`SearchFacesByImage` with `Image.S3Object`): what the pipeline's `CheckFaceDuplicate`
    /// asks, so it finds the face a photo was rejected for, whatever user id it was indexed
    /// under.
    async fn search_faces_by_image(
        &self,
        collection: &str,
        bucket: &str,
        key: &str,
        threshold: f32,
    ) -> BackendResult<Vec<FaceMatch>>;

    /// Deletes faces in batches of at most 4,096 ids; per-face failures come back in the
    /// result. An error means the first batch certainly deleted nothing, or the outcome of
    /// some batch is not known (`certainly_not_done()` tells which). A later batch that
    /// certainly failed does not hide the earlier ones: the result holds what they deleted,
    /// and that batch's ids and those never sent as unsuccessful, with the reason.
    async fn delete_faces(
        &self,
        collection: &str,
        face_ids: &[String],
    ) -> BackendResult<DeleteFacesResult>;

    // --- Buckets (S3) ---

    async fn list_buckets(&self) -> BackendResult<Vec<BucketInfo>>;

    /// One page of a bucket's objects under `prefix`, in key order (`ListObjectsV2`).
    async fn list_objects(
        &self,
        bucket: &str,
        prefix: Option<&str>,
        continuation: Option<String>,
        page_size: u32,
    ) -> BackendResult<Page<ObjectInfo>>;

    /// An object's content (for the image preview).
    async fn get_object(&self, bucket: &str, key: &str) -> BackendResult<ObjectBody>;

    async fn delete_object(&self, bucket: &str, key: &str) -> BackendResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_says_when_the_api_tries_again_and_its_end_clears_it() {
        let paused = BackendNotice::Paused {
            operation: "DescribeExecution".into(),
            // 2025-11-25 10:42:07 UTC
            until: 1_764_067_327_000,
        };
        let text = paused.to_string();
        assert_eq!(
            text,
            "DescribeExecution paused after repeated throttling; trying again at 10:42:07"
        );
        let resumed = BackendNotice::Resumed {
            operation: "DescribeExecution".into(),
        };
        assert!(resumed.resolves(&text));
        let throttled = BackendNotice::Throttled {
            operation: "DescribeExecution".into(),
            attempt: 2,
            retry_in_ms: 1_600,
        };
        assert!(resumed.resolves(&throttled.to_string()));
        // Another API's notices, and other notices, stay.
        let other = BackendNotice::Resumed {
            operation: "DescribeExecutions".into(),
        };
        assert!(!other.resolves(&text));
        assert!(!resumed.resolves("DescribeExecution failed (HTTP 500, attempt 1), retrying"));
        assert!(!paused.resolves(&text));
    }

    #[test]
    fn a_retry_after_a_server_error_says_why() {
        let retrying = BackendNotice::Retrying {
            operation: "ListExecutions".into(),
            why: "HTTP 503".into(),
            attempt: 1,
            retry_in_ms: 300,
        };
        assert_eq!(
            retrying.to_string(),
            "ListExecutions failed (HTTP 503, attempt 1), retrying in 0.3 s"
        );
    }
}
