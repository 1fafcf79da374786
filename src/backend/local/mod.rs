//! The embedded local sandbox: runs the rider-photo pipeline in-process (an Amazon States
//! Language interpreter with stand-ins for Rekognition, S3, DynamoDB and SNS) and serves it
//! through the `Backend` trait, so a first run needs no account and no network. This file
//! holds the sandbox itself (machines, executions, seed runs, driving a run); `backend.rs`
//! serves it through the trait.

pub mod asl;
mod backend;
pub mod backfill;
pub mod cancel;
pub mod clock;
mod executions;
mod options;
pub mod photos;
pub mod pipeline;
pub mod stores;
mod trickle;

pub use executions::MAX_RETAINED_EXECUTIONS;
pub use options::{MAX_TRICKLE_INTERVAL, MIN_TRICKLE_INTERVAL, SandboxOptions, trickle_interval};
pub use stores::{
    BoundingBox, FaceMatch, FaceRecord, ImageSearchError, MetadataItem, Notification, StoredObject,
};

use crate::backend::{BackendError, BackendResult};
use crate::domain::Millis;
use crate::domain::execution::{
    ExecutionStatus, ExecutionSummary, Outcome, StateMachineKind, StateMachineSummary,
    error_message_from_cause, input_label,
};
use crate::domain::test_case::MAX_INPUT_BYTES;
use asl::definition::{DefinitionError, StateMachine};
use asl::interpreter::{EventLog, ExecutionEnd, Run, RunSpec, TaskExecutor, random_uuid};
use clock::Clock;
use executions::ExecutionTable;
use photos::PhotoDeclarations;
use pipeline::Pipeline;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use stores::Stores;
use tokio::task::JoinHandle;

pub const REGION: &str = "us-east-1";
pub const ACCOUNT_ID: &str = "123456789012";
pub const PHOTO_BUCKET: &str = "stepdeck-sandbox-riderphotos3bucket";
pub const THUMBNAIL_BUCKET: &str = "stepdeck-sandbox-thumbnails3bucket";
pub const COLLECTION_ID: &str = "rider-photos";
pub const METADATA_TABLE: &str = "stepdeck-sandbox-RiderPhotoDDBTable";
pub const NOTIFICATION_TOPIC_ARN: &str =
    "arn:aws:sns:us-east-1:123456789012:stepdeck-sandbox-RiderPhotoNotifications";
pub const RIDER_PHOTO_PROCESSING: &str = "RiderPhotoProcessing";
pub const THUMBNAIL_BACKFILL: &str = "ThumbnailBackfill";
/// The workshop's four test cases, run for `user_a` at start.
pub const SEED_PHOTOS: [&str; 4] = [
    "1_happy_face.jpg",
    "2_sunglass_face.jpg",
    "3_multiple_faces.jpg",
    "4_no_face.jpg",
];

const RIDER_PHOTO_DEFINITION: &str =
    include_str!("../../../assets/state-machines/rider-photo-processing.asl.json");
const THUMBNAIL_BACKFILL_DEFINITION: &str =
    include_str!("../../../assets/state-machines/thumbnail-backfill.asl.json");
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/stepdeck-sandbox-StateMachineRole";

/// Checks a definition the way the sandbox loads its own: every state supported, every
/// task resource one the built-in pipeline can call.
pub fn load_definition(text: &str) -> Result<StateMachine, DefinitionError> {
    StateMachine::parse(text, &pipeline::supports)
}

pub fn state_machine_arn(name: &str) -> String {
    format!("arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:{name}")
}

struct Machine {
    summary: StateMachineSummary,
    definition: Arc<StateMachine>,
    /// The ASL text the definition was parsed from (DescribeStateMachineForExecution).
    text: &'static str,
}

/// What the sandbox knows about one execution; the run itself writes its history.
struct ExecutionEntry {
    arn: String,
    name: String,
    machine_arn: String,
    input: String,
    /// The run in progress or the last one (a redrive starts another on the same history).
    run: Mutex<Arc<Run>>,
    state: Mutex<EntryState>,
}

impl ExecutionEntry {
    fn run(&self) -> Arc<Run> {
        Arc::clone(&self.run.lock().expect("run lock"))
    }
}

struct EntryState {
    status: ExecutionStatus,
    stop: Option<Millis>,
    output: Option<String>,
    error: Option<String>,
    cause: Option<String>,
    task: Option<JoinHandle<()>>,
    redrive_count: u32,
}

pub struct LocalSandbox {
    clock: Clock,
    machines: Vec<Machine>,
    stores: Arc<Mutex<Stores>>,
    pipeline: Arc<Pipeline>,
    photos: PhotoDeclarations,
    executions: Mutex<ExecutionTable<Arc<ExecutionEntry>>>,
    rng: Mutex<SmallRng>,
}

impl LocalSandbox {
    /// Builds the sandbox (stores, drawn sample photos, state machines), starts the seed runs
    /// and the trickle as asked. Spawns its tasks on the current tokio runtime.
    pub fn start(options: SandboxOptions) -> Arc<LocalSandbox> {
        let options = options.bounded();
        let clock = Clock::start(options.epoch_base_ms);
        let mut stores = Stores::default();
        stores.create_bucket(PHOTO_BUCKET);
        stores.create_bucket(THUMBNAIL_BUCKET);
        stores.create_table(METADATA_TABLE, "Username");
        stores.create_topic(NOTIFICATION_TOPIC_ARN);
        let photos = PhotoDeclarations::shipped();
        for ((key, bytes), photo) in photos::shipped_sample_jpegs().iter().zip(&photos.photos) {
            stores.put_object(
                PHOTO_BUCKET,
                key,
                bytes.clone(),
                "image/jpeg",
                photo.faces.clone(),
                clock.now_ms(),
            );
        }
        let stores = Arc::new(Mutex::new(stores));
        let pipeline = Arc::new(Pipeline::new(
            stores.clone(),
            clock,
            THUMBNAIL_BUCKET,
            options.transient_failure_rate,
            options.rng_seed,
        ));
        let machines = [
            (RIDER_PHOTO_PROCESSING, RIDER_PHOTO_DEFINITION),
            (THUMBNAIL_BACKFILL, THUMBNAIL_BACKFILL_DEFINITION),
        ]
        .into_iter()
        .map(|(name, text)| Machine {
            summary: StateMachineSummary {
                arn: state_machine_arn(name),
                name: name.to_string(),
                kind: StateMachineKind::Standard,
                created: options.epoch_base_ms,
            },
            definition: Arc::new(
                load_definition(text).unwrap_or_else(|e| panic!("shipped {name} is invalid: {e}")),
            ),
            text,
        })
        .collect();
        let sandbox = Arc::new(LocalSandbox {
            clock,
            machines,
            stores,
            pipeline,
            photos,
            executions: Mutex::new(ExecutionTable::new(MAX_RETAINED_EXECUTIONS)),
            rng: Mutex::new(SmallRng::seed_from_u64(
                options.rng_seed.rotate_left(17) ^ 0x51,
            )),
        });
        if options.backfill {
            sandbox.backfill(options.rng_seed);
        }
        if options.seed_runs {
            sandbox.start_seed_runs();
        }
        if let Some(every) = options.trickle_every {
            sandbox.start_trickle(every);
        }
        sandbox
    }

    fn start_seed_runs(&self) {
        let riders = state_machine_arn(RIDER_PHOTO_PROCESSING);
        for key in SEED_PHOTOS {
            let input = json!({"userId": "user_a", "s3Bucket": PHOTO_BUCKET, "s3Key": key});
            self.start_run(&riders, None, input.to_string())
                .expect("seed input is valid");
        }
        let keys: Vec<&str> = self.photos.photos.iter().map(|p| p.key.as_str()).collect();
        let backfill = json!({"s3Bucket": PHOTO_BUCKET, "s3Keys": keys});
        self.start_run(
            &state_machine_arn(THUMBNAIL_BACKFILL),
            None,
            backfill.to_string(),
        )
        .expect("backfill input is valid");
    }

    fn machine(&self, arn: &str) -> BackendResult<&Machine> {
        self.machines
            .iter()
            .find(|m| m.summary.arn == arn)
            .ok_or_else(|| BackendError::NotFound {
                what: format!("state machine {arn}"),
            })
    }

    fn entry(&self, arn: &str) -> BackendResult<Arc<ExecutionEntry>> {
        self.executions
            .lock()
            .expect("executions lock")
            .get(arn)
            .cloned()
            .ok_or_else(|| BackendError::NotFound {
                what: format!("execution {arn}"),
            })
    }

    fn new_uuid(&self) -> String {
        random_uuid(&mut *self.rng.lock().expect("rng lock"))
    }

    /// Registers and starts an execution (the body of `start_execution`).
    fn start_run(
        &self,
        machine_arn: &str,
        name: Option<String>,
        input: String,
    ) -> BackendResult<ExecutionSummary> {
        // As AWS: the request's lengths are validated before anything else is looked at, and
        // an input over the limit is never read.
        if input.len() > MAX_INPUT_BYTES {
            return Err(BackendError::Invalid(format!(
                "ValidationException: 1 validation error detected: Value at 'input' failed to \
                 satisfy constraint: Member must have length less than or equal to \
                 {MAX_INPUT_BYTES}"
            )));
        }
        let machine = self.machine(machine_arn)?;
        let input_value: Value = serde_json::from_str(&input)
            .map_err(|e| BackendError::Invalid(format!("input is not valid JSON: {e}")))?;
        let name = match name {
            Some(name) => {
                validate_execution_name(&name).map_err(BackendError::Invalid)?;
                name
            }
            None => self.new_uuid(),
        };
        let arn = format!(
            "arn:aws:states:{REGION}:{ACCOUNT_ID}:execution:{}:{name}",
            machine.summary.name
        );
        let mut executions = self.executions.lock().expect("executions lock");
        if let Some(existing) = executions.get(&arn) {
            // As AWS does for a Standard machine: the same name and input while that
            // execution runs is the same start (its answer again, nothing new started), so a
            // start sent again after a lost answer cannot start twice; otherwise the name is
            // taken.
            let running =
                existing.state.lock().expect("entry lock").status == ExecutionStatus::Running;
            if running && existing.input == input {
                return Ok(summarize(existing));
            }
            return Err(BackendError::AlreadyExists(format!(
                "ExecutionAlreadyExists: Execution Already Exists: '{arn}'"
            )));
        }
        let seed = self.rng.lock().expect("rng lock").random();
        let executor: Arc<dyn TaskExecutor> = self.pipeline.clone();
        let run = Run::begin(
            RunSpec {
                execution_arn: arn.clone(),
                execution_name: name.clone(),
                state_machine_arn: machine.summary.arn.clone(),
                state_machine_name: machine.summary.name.clone(),
                role_arn: ROLE_ARN.to_string(),
                input: input_value,
                seed,
            },
            self.clock,
            Arc::new(EventLog::new(self.clock)),
            executor,
        );
        let entry = Arc::new(ExecutionEntry {
            arn: arn.clone(),
            name,
            machine_arn: machine.summary.arn.clone(),
            input,
            run: Mutex::new(run),
            state: Mutex::new(EntryState {
                status: ExecutionStatus::Running,
                stop: None,
                output: None,
                error: None,
                cause: None,
                task: None,
                redrive_count: 0,
            }),
        });
        let task = tokio::spawn(drive(
            entry.clone(),
            machine.definition.clone(),
            self.clock,
            None,
        ));
        entry.state.lock().expect("entry lock").task = Some(task);
        executions.insert(arn, entry.clone(), |e| {
            e.state.lock().expect("entry lock").status.is_terminal()
        });
        Ok(summarize(&entry))
    }

    // --- Read accessors for the views (faces, buckets, metadata, notifications) ---

    pub fn collection_id(&self) -> &str {
        COLLECTION_ID
    }

    pub fn photo_bucket(&self) -> &str {
        PHOTO_BUCKET
    }

    pub fn thumbnail_bucket(&self) -> &str {
        THUMBNAIL_BUCKET
    }

    /// Faces in the `rider-photos` collection, in indexing order.
    pub fn faces(&self) -> Vec<FaceRecord> {
        self.stores.lock().expect("stores lock").faces()
    }

    /// `SearchFaces` by FaceId: other faces of the same person at or above `threshold`;
    /// None when the face id is unknown.
    pub fn search_faces(&self, face_id: &str, threshold: f64) -> Option<Vec<FaceMatch>> {
        self.stores
            .lock()
            .expect("stores lock")
            .search_by_face_id(face_id, threshold)
    }

    /// `SearchFacesByImage` on an object: faces of the photo's person at or above
    /// `threshold`, matched exactly as the pipeline's `CheckFaceDuplicate` matches them.
    pub fn search_faces_by_image(
        &self,
        bucket: &str,
        key: &str,
        threshold: f64,
    ) -> Result<Vec<FaceMatch>, ImageSearchError> {
        self.stores
            .lock()
            .expect("stores lock")
            .search_by_image(bucket, key, threshold)
    }

    /// `DeleteFaces`: returns the ids actually deleted.
    pub fn delete_faces(&self, face_ids: &[String]) -> Vec<String> {
        self.stores
            .lock()
            .expect("stores lock")
            .delete_faces(face_ids)
    }

    pub fn buckets(&self) -> Vec<String> {
        self.stores.lock().expect("stores lock").bucket_names()
    }

    /// Objects of a bucket in key order (empty for an unknown bucket).
    pub fn objects(&self, bucket: &str) -> Vec<StoredObject> {
        self.stores.lock().expect("stores lock").objects(bucket)
    }

    pub fn object_bytes(&self, bucket: &str, key: &str) -> Option<Arc<Vec<u8>>> {
        self.stores
            .lock()
            .expect("stores lock")
            .object(bucket, key)
            .map(|o| o.bytes.clone())
    }

    /// Uploads a copy of a declared sample photo under a new key of the photo bucket (a
    /// rider's upload, with the sample's declared faces). False when the sample is unknown.
    pub fn upload_photo(&self, key: &str, sample: &str) -> bool {
        let now = self.clock.now_ms();
        let mut stores = self.stores.lock().expect("stores lock");
        let Some(original) = stores.object(PHOTO_BUCKET, sample).cloned() else {
            return false;
        };
        stores.put_object(
            PHOTO_BUCKET,
            key,
            original.bytes,
            "image/jpeg",
            original.faces,
            now,
        )
    }

    pub fn delete_object(&self, bucket: &str, key: &str) -> bool {
        self.stores
            .lock()
            .expect("stores lock")
            .delete_object(bucket, key)
    }

    pub fn metadata_items(&self) -> Vec<MetadataItem> {
        self.stores.lock().expect("stores lock").items()
    }

    pub fn notifications(&self) -> Vec<Notification> {
        self.stores.lock().expect("stores lock").notifications()
    }

    /// Makes the next `count` invocations of a Lambda function (e.g.
    /// `rider-photo-FaceDetection`) throw `Lambda.ServiceException`: for tests and demos of
    /// the retry.
    pub fn fail_next_invocations(&self, function: &str, count: u32) {
        self.pipeline.fail_next_invocations(function, count);
    }
}

/// Runs an execution to its end and records how it ended. The closing event and the status
/// change happen under the entry's lock, so a concurrent stop sees one consistent answer.
/// Runs the execution's run to its end and records how it ended. `redrive`: (the history's
/// last event before it, the redrive's count) when this run is a redrive.
async fn drive(
    entry: Arc<ExecutionEntry>,
    machine: Arc<StateMachine>,
    clock: Clock,
    redrive: Option<(i64, u32)>,
) {
    let run = entry.run();
    let (end, last_event_id) = match redrive {
        None => run.execute(&machine).await,
        Some((after, count)) => run.execute_redrive(&machine, after, count).await,
    };
    let mut state = entry.state.lock().expect("entry lock");
    // A stop that arrived while the last step was completing wins, as in AWS.
    let end = if state.status == ExecutionStatus::Aborted {
        ExecutionEnd::Aborted
    } else {
        end
    };
    run.finish(&end, last_event_id);
    state.stop.get_or_insert(clock.now_ms());
    match end {
        ExecutionEnd::Succeeded { output } => {
            state.status = ExecutionStatus::Succeeded;
            state.output = Some(output.to_string());
        }
        ExecutionEnd::Failed(error) => {
            state.status = ExecutionStatus::Failed;
            state.error = Some(error.error);
            state.cause = Some(error.cause);
        }
        ExecutionEnd::Aborted => state.status = ExecutionStatus::Aborted,
    }
}

fn summarize(entry: &ExecutionEntry) -> ExecutionSummary {
    let state = entry.state.lock().expect("entry lock");
    let outcome = match state.status {
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => None,
        ExecutionStatus::Succeeded => Some(match entry.run().caught() {
            Some(caught) => Outcome::Rejected {
                message: error_message_from_cause(&caught.cause).unwrap_or(caught.cause),
                state: caught.state,
                error: caught.error,
            },
            None => Outcome::Completed,
        }),
        status => Some(Outcome::Error {
            error: state
                .error
                .clone()
                .unwrap_or_else(|| status.as_str().to_string()),
            cause: state.cause.clone().unwrap_or_default(),
        }),
    };
    ExecutionSummary {
        arn: entry.arn.clone(),
        name: entry.name.clone(),
        state_machine_arn: entry.machine_arn.clone(),
        status: state.status,
        start: entry.run().start_time(),
        stop: state.stop,
        input_label: input_label(&entry.input),
        outcome,
    }
}

/// Step Functions' naming rules: 1–80 characters, no whitespace, brackets, wildcards,
/// special or control characters.
fn validate_execution_name(name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if !(1..=80).contains(&length) {
        return Err(format!(
            "execution name must be 1 to 80 characters, got {length}"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c))
    {
        return Err(format!(
            "execution name '{name}' contains the character {bad:?}, which is not allowed"
        ));
    }
    Ok(())
}
