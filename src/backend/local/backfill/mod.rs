//! The backfill: a day of recorded rider-photo runs in place before the sandbox starts, so a
//! first start has history worth a dashboard — mostly accepted photos, rejections for the
//! usual reasons, a few failures, timeouts and stops, and a slow, often throttled `Thumbnail`
//! step that got worse for two hours in the afternoon. Deterministic for a seed; written as
//! events directly (no interpreter, no sleeping), so a day takes milliseconds.

mod history;

use super::asl::interpreter::{CaughtError, EventLog, Run, RunSpec, TaskExecutor, random_uuid};
use super::{
    ACCOUNT_ID, EntryState, ExecutionEntry, LocalSandbox, PHOTO_BUCKET, REGION,
    RIDER_PHOTO_PROCESSING, ROLE_ARN, state_machine_arn,
};
use crate::domain::Millis;
use crate::domain::execution::ExecutionStatus;
use crate::domain::history::EventType;
use history::Fate;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::sync::{Arc, Mutex};

/// Runs in the recorded day (the sandbox keeps 2,000, so live runs have room).
pub const BACKFILL_RUNS: usize = 1_200;
const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

const SAMPLES: [&str; 6] = [
    "1_happy_face.jpg",
    "5_rider_farah.jpg",
    "6_rider_gus.jpg",
    "7_rider_hana.jpg",
    "2_sunglass_face.jpg",
    "3_multiple_faces.jpg",
];

/// A day's mix, per thousand runs.
fn fate(rng: &mut SmallRng, slow: bool) -> Fate {
    if slow && rng.random_bool(0.08) {
        return Fate::TimedOut;
    }
    match rng.random_range(0..1000) {
        0..600 => Fate::Accepted,
        600..710 => Fate::Rejected("Face is wearing sunglasses"),
        710..770 => Fate::Rejected("Detected 2 faces in the photo."),
        770..810 => Fate::Rejected("Detected 0 faces in the photo."),
        810..835 => Fate::MissingObject,
        835..945 => Fate::Duplicate,
        945..970 => Fate::Failed,
        970..985 => Fate::TimedOut,
        _ => Fate::Aborted,
    }
}

/// Start times over the day before `now`, busier in the afternoon than at night (UTC),
/// ascending.
fn start_times(rng: &mut SmallRng, now: Millis, count: usize) -> Vec<Millis> {
    let from = now - DAY;
    let mut starts = Vec::with_capacity(count);
    while starts.len() < count {
        let at = rng.random_range(from..now - 90_000);
        let hour = (at.rem_euclid(DAY) / HOUR) as f64;
        let busy = 0.5 - 0.5 * ((hour - 4.0) / 24.0 * std::f64::consts::TAU).cos();
        if rng.random_bool(0.25 + 0.75 * busy) {
            starts.push(at);
        }
    }
    starts.sort_unstable();
    starts
}

impl LocalSandbox {
    /// Records the day before now. A method for the same reason as the trickle's: this file
    /// extends the sandbox, the sandbox does not know the file.
    pub(super) fn backfill(&self, seed: u64) {
        let mut rng = SmallRng::seed_from_u64(seed ^ 0xbac_f111);
        let now = self.clock.now_ms();
        let machine = state_machine_arn(RIDER_PHOTO_PROCESSING);
        let executor: Arc<dyn TaskExecutor> = self.pipeline.clone();
        let incident = (now - 7 * HOUR)..(now - 5 * HOUR);
        let mut executions = self.executions.lock().expect("executions lock");
        for (n, start) in start_times(&mut rng, now, BACKFILL_RUNS)
            .into_iter()
            .enumerate()
        {
            let slow = incident.contains(&start);
            let fate = fate(&mut rng, slow);
            let key = match fate {
                Fate::MissingObject => format!("uploads/gone-{n:04}.jpg"),
                _ => SAMPLES[rng.random_range(0..SAMPLES.len())].to_string(),
            };
            let input =
                json!({"userId": format!("user_b{n:04}"), "s3Bucket": PHOTO_BUCKET, "s3Key": key})
                    .to_string();
            let written = history::write(&mut rng, start, &input, fate, slow);
            let name = random_uuid(&mut rng);
            let arn = format!(
                "arn:aws:states:{REGION}:{ACCOUNT_ID}:execution:{RIDER_PHOTO_PROCESSING}:{name}"
            );
            let status = match fate {
                Fate::Failed => ExecutionStatus::Failed,
                Fate::TimedOut => ExecutionStatus::TimedOut,
                Fate::Aborted => ExecutionStatus::Aborted,
                _ => ExecutionStatus::Succeeded,
            };
            let output = written
                .events
                .iter()
                .rev()
                .find(|e| e.event_type == EventType::ExecutionSucceeded)
                .and_then(|e| e.details.output.clone());
            let (error, cause) = written
                .error
                .map_or((None, None), |(e, c)| (Some(e), Some(c)));
            let spec = RunSpec {
                execution_arn: arn.clone(),
                execution_name: name.clone(),
                state_machine_arn: machine.clone(),
                state_machine_name: RIDER_PHOTO_PROCESSING.to_string(),
                role_arn: ROLE_ARN.to_string(),
                input: serde_json::from_str(&input).expect("written as JSON"),
                seed: rng.random(),
            };
            let caught = written.caught.map(|c| CaughtError {
                state: c.state.to_string(),
                error: c.error.to_string(),
                cause: c.cause,
            });
            let log = Arc::new(EventLog::recorded(self.clock, written.events));
            let run = Run::recorded(spec, self.clock, log, executor.clone(), start, caught);
            let entry = Arc::new(ExecutionEntry {
                arn: arn.clone(),
                name,
                machine_arn: machine.clone(),
                input,
                run: Mutex::new(run),
                state: Mutex::new(EntryState {
                    status,
                    stop: Some(written.end),
                    output,
                    error,
                    cause,
                    task: None,
                    redrive_count: 0,
                }),
            });
            executions.insert(arn, entry, |_| true);
        }
    }
}
