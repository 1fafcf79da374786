//! Writes one recorded run's history as the interpreter would have: the rider-photo pipeline's
//! states with AWS-shaped events, `previousEventId` chains per flow of control (each Parallel
//! branch chains to `ParallelStateStarted`, interleaved in time), retries with the definition's
//! backoff (2 s, ×2), a Catch to the notification, or a failure, timeout or stop.

use crate::domain::Millis;
use crate::domain::history::{EventDetails, EventType, HistoryEvent};
use rand::Rng;
use rand::rngs::SmallRng;
use serde_json::json;

/// How a recorded run ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fate {
    Accepted,
    /// `FaceDetection` turns the photo down with this message (caught).
    Rejected(&'static str),
    /// The object is gone: `InvalidS3ObjectException` at `FaceDetection` (caught).
    MissingObject,
    /// `CheckFaceDuplicate` finds the face indexed already (caught).
    Duplicate,
    /// `PersistMetadata` fails, uncaught: the execution fails.
    Failed,
    /// The execution times out while `Thumbnail` runs.
    TimedOut,
    /// An operator stops it while `Thumbnail` runs.
    Aborted,
}

/// How a state ended when it was not a success.
pub struct CaughtAt {
    pub state: &'static str,
    pub error: &'static str,
    pub cause: String,
}

pub struct Written {
    pub events: Vec<HistoryEvent>,
    pub end: Millis,
    pub caught: Option<CaughtAt>,
    /// The execution's error and cause (failed, timed out, aborted).
    pub error: Option<(String, String)>,
}

/// An event as written: when, what, and the index of the event it follows.
type Drafted = (Millis, EventType, EventDetails, Option<usize>);

/// Events in the order they were written; sorted by time and numbered at the end.
struct Draft {
    events: Vec<Drafted>,
}

impl Draft {
    fn push(
        &mut self,
        at: Millis,
        kind: EventType,
        details: EventDetails,
        prev: Option<usize>,
    ) -> usize {
        self.events.push((at, kind, details, prev));
        self.events.len() - 1
    }

    fn finish(self) -> Vec<HistoryEvent> {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        // Stable: of two events at one instant, the one written first comes first, so an
        // event never precedes the event it follows.
        order.sort_by_key(|&i| self.events[i].0);
        let mut id_of = vec![0i64; order.len()];
        for (position, &i) in order.iter().enumerate() {
            id_of[i] = position as i64 + 1;
        }
        let mut events: Vec<Option<Drafted>> = self.events.into_iter().map(Some).collect();
        order
            .iter()
            .map(|&i| {
                let (at, kind, details, prev) = events[i].take().expect("each once");
                HistoryEvent::new(id_of[i], prev.map_or(0, |p| id_of[p]), at, kind)
                    .with_details(details)
            })
            .collect()
    }
}

fn named(name: &str) -> EventDetails {
    EventDetails {
        name: Some(name.to_string()),
        ..EventDetails::default()
    }
}

fn resource(resource_type: &str, resource: &str) -> EventDetails {
    EventDetails {
        resource_type: Some(resource_type.to_string()),
        resource: Some(resource.to_string()),
        ..EventDetails::default()
    }
}

fn lambda_cause(error: &str, message: &str) -> String {
    json!({"errorMessage": message, "errorType": error}).to_string()
}

/// One try of a task: how long it runs and the error it ends with, if any.
struct Try {
    run: Millis,
    error: Option<(&'static str, String)>,
}

/// How a task state ends.
enum TaskEnd {
    Exited,
    /// The last try's error goes on to the caller (caught or failing the run).
    Failed,
    /// Still running when the execution ends.
    Open,
}

/// Writes a task state: entered, tries (scheduled → started → succeeded/failed) with the
/// retry backoff between them, exited when `end` says so. Returns the last event and when.
#[allow(clippy::too_many_arguments)]
fn task(
    draft: &mut Draft,
    rng: &mut SmallRng,
    prev: usize,
    at: Millis,
    name: &str,
    (resource_type, resource_name): (&str, &str),
    tries: &[Try],
    end: TaskEnd,
) -> (usize, Millis) {
    let mut t = at;
    let mut last = draft.push(t, EventType::TaskStateEntered, named(name), Some(prev));
    for (n, attempt) in tries.iter().enumerate() {
        if n > 0 {
            t += 2_000 << (n - 1);
        }
        t += rng.random_range(10..40);
        last = draft.push(
            t,
            EventType::TaskScheduled,
            resource(resource_type, resource_name),
            Some(last),
        );
        t += rng.random_range(15..60);
        last = draft.push(
            t,
            EventType::TaskStarted,
            resource(resource_type, resource_name),
            Some(last),
        );
        if matches!(end, TaskEnd::Open) && n + 1 == tries.len() {
            return (last, t + attempt.run);
        }
        t += attempt.run;
        last = match &attempt.error {
            None => draft.push(
                t,
                EventType::TaskSucceeded,
                resource(resource_type, resource_name),
                Some(last),
            ),
            Some((error, cause)) => draft.push(
                t,
                EventType::TaskFailed,
                EventDetails {
                    error: Some(error.to_string()),
                    cause: Some(cause.clone()),
                    ..resource(resource_type, resource_name)
                },
                Some(last),
            ),
        };
    }
    if matches!(end, TaskEnd::Exited) {
        t += rng.random_range(5..20);
        last = draft.push(t, EventType::TaskStateExited, named(name), Some(last));
    }
    (last, t)
}

/// Tries of a Lambda task taking `low..high` ms, each throttled first with `throttle` chance
/// (at most twice), then `outcome`.
fn lambda_tries(
    rng: &mut SmallRng,
    low: Millis,
    high: Millis,
    throttle: f64,
    outcome: Option<(&'static str, String)>,
) -> Vec<Try> {
    let mut tries = Vec::new();
    while tries.len() < 2 && rng.random_bool(throttle) {
        tries.push(Try {
            run: rng.random_range(40..200),
            error: Some((
                "Lambda.TooManyRequestsException",
                lambda_cause("TooManyRequestsException", "Rate Exceeded."),
            )),
        });
    }
    tries.push(Try {
        run: rng.random_range(low..high),
        error: outcome,
    });
    tries
}

/// The whole history of one run of the rider-photo pipeline started at `start`. `slow`
/// makes the thumbnail step slower and more often throttled (the day's incident).
pub fn write(rng: &mut SmallRng, start: Millis, input: &str, fate: Fate, slow: bool) -> Written {
    let mut draft = Draft { events: Vec::new() };
    let started = EventDetails {
        input: Some(input.to_string()),
        role_arn: Some(super::super::ROLE_ARN.to_string()),
        ..EventDetails::default()
    };
    let mut last = draft.push(start, EventType::ExecutionStarted, started, None);
    let mut t = start + rng.random_range(20..60);
    last = draft.push(
        t,
        EventType::ChoiceStateEntered,
        named("CheckInputFormat"),
        Some(last),
    );
    t += rng.random_range(5..20);
    last = draft.push(
        t,
        EventType::ChoiceStateExited,
        named("CheckInputFormat"),
        Some(last),
    );
    let caught = |state, error, message: &str| CaughtAt {
        state,
        error,
        cause: lambda_cause(error, message),
    };
    let rejection = match fate {
        Fate::Rejected(message) => Some(caught(
            "FaceDetection",
            "PhotoDoesNotMeetRequirementError",
            message,
        )),
        Fate::MissingObject => Some(caught(
            "FaceDetection",
            "InvalidS3ObjectException",
            "Unable to get object metadata from S3. Check object key, region and/or access permissions.",
        )),
        _ => None,
    };
    let detection = lambda_tries(
        rng,
        300,
        900,
        0.04,
        rejection.as_ref().map(|c| (c.error, c.cause.clone())),
    );
    // Caught or not, the state exits: a Catch routes the error onwards.
    (last, t) = task(
        &mut draft,
        rng,
        last,
        t,
        "FaceDetection",
        ("lambda", "invoke"),
        &detection,
        TaskEnd::Exited,
    );
    let mut caught_at = rejection;
    if caught_at.is_none() && fate == Fate::Duplicate {
        caught_at = Some(caught(
            "CheckFaceDuplicate",
            "FaceAlreadyExistsError",
            "Face in the picture is already in the system.",
        ));
    }
    if caught_at.is_none() || fate == Fate::Duplicate {
        let duplicate = lambda_tries(
            rng,
            200,
            600,
            0.04,
            caught_at.as_ref().map(|c| (c.error, c.cause.clone())),
        );
        (last, t) = task(
            &mut draft,
            rng,
            last,
            t,
            "CheckFaceDuplicate",
            ("lambda", "invoke"),
            &duplicate,
            TaskEnd::Exited,
        );
    }
    if let Some(caught) = caught_at {
        let publish = [Try {
            run: rng.random_range(30..90),
            error: None,
        }];
        (last, t) = task(
            &mut draft,
            rng,
            last,
            t,
            "PhotoDoesNotMeetRequirement",
            ("sns", "publish"),
            &publish,
            TaskEnd::Exited,
        );
        let output = json!({"errorInfo": {"Error": caught.error, "Cause": caught.cause}});
        draft.push(
            t + rng.random_range(5..20),
            EventType::ExecutionSucceeded,
            EventDetails {
                output: Some(output.to_string()),
                ..EventDetails::default()
            },
            Some(last),
        );
        let end = t + 20;
        let events = draft.finish();
        let end = events.last().map_or(end, |e| e.timestamp);
        return Written {
            events,
            end,
            caught: Some(caught),
            error: None,
        };
    }
    // The two branches: AddFaceToIndex, and the slow, often throttled Thumbnail.
    t += rng.random_range(5..20);
    last = draft.push(
        t,
        EventType::ParallelStateEntered,
        named("ParallelProcessing"),
        Some(last),
    );
    t += rng.random_range(5..20);
    let parallel = draft.push(
        t,
        EventType::ParallelStateStarted,
        EventDetails::default(),
        Some(last),
    );
    let index = lambda_tries(rng, 300, 800, 0.03, None);
    let (index_last, index_end) = task(
        &mut draft,
        rng,
        parallel,
        t,
        "AddFaceToIndex",
        ("lambda", "invoke"),
        &index,
        TaskEnd::Exited,
    );
    let (low, high, throttle) = if slow {
        (3_500, 9_000, 0.55)
    } else {
        (1_200, 3_200, 0.18)
    };
    let thumbnail = lambda_tries(rng, low, high, throttle, None);
    let open = matches!(fate, Fate::TimedOut | Fate::Aborted);
    let (thumb_last, thumb_end) = task(
        &mut draft,
        rng,
        parallel,
        t,
        "Thumbnail",
        ("lambda", "invoke"),
        &thumbnail,
        if open { TaskEnd::Open } else { TaskEnd::Exited },
    );
    if open {
        let at = thumb_end.max(index_end) + rng.random_range(1..400);
        let (kind, error, cause) = if fate == Fate::TimedOut {
            (
                EventType::ExecutionTimedOut,
                "States.Timeout",
                "The execution ran longer than its TimeoutSeconds.",
            )
        } else {
            (
                EventType::ExecutionAborted,
                "Operator.Stop",
                "Stopped from the console: stuck thumbnail",
            )
        };
        let mut prev = thumb_last;
        if fate == Fate::Aborted {
            prev = draft.push(
                at,
                EventType::TaskStateAborted,
                named("Thumbnail"),
                Some(prev),
            );
            prev = draft.push(
                at,
                EventType::ParallelStateAborted,
                EventDetails::default(),
                Some(prev),
            );
        }
        draft.push(
            at,
            kind,
            EventDetails {
                error: Some(error.to_string()),
                cause: Some(cause.to_string()),
                ..EventDetails::default()
            },
            Some(prev),
        );
        let events = draft.finish();
        return Written {
            events,
            end: at,
            caught: None,
            error: Some((error.to_string(), cause.to_string())),
        };
    }
    let (branch_last, mut t) = if thumb_end >= index_end {
        (thumb_last, thumb_end)
    } else {
        (index_last, index_end)
    };
    t += rng.random_range(5..20);
    last = draft.push(
        t,
        EventType::ParallelStateSucceeded,
        EventDetails::default(),
        Some(branch_last),
    );
    t += rng.random_range(5..20);
    last = draft.push(
        t,
        EventType::ParallelStateExited,
        named("ParallelProcessing"),
        Some(last),
    );
    let failure = (fate == Fate::Failed).then(|| {
        (
            "DynamoDB.ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded."
                .to_string(),
        )
    });
    let persist = [Try {
        run: rng.random_range(20..80),
        error: failure.clone(),
    }];
    let end_kind = if failure.is_some() {
        TaskEnd::Failed
    } else {
        TaskEnd::Exited
    };
    (last, t) = task(
        &mut draft,
        rng,
        last,
        t,
        "PersistMetadata",
        ("dynamodb", "putItem"),
        &persist,
        end_kind,
    );
    t += rng.random_range(5..20);
    let error = failure.map(|(error, cause)| (error.to_string(), cause));
    match &error {
        Some((e, c)) => draft.push(
            t,
            EventType::ExecutionFailed,
            EventDetails {
                error: Some(e.clone()),
                cause: Some(c.clone()),
                ..EventDetails::default()
            },
            Some(last),
        ),
        None => draft.push(
            t,
            EventType::ExecutionSucceeded,
            EventDetails {
                output: Some(input.to_string()),
                ..EventDetails::default()
            },
            Some(last),
        ),
    };
    Written {
        events: draft.finish(),
        end: t,
        caught: None,
        error,
    }
}
