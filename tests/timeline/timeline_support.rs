//! Test/bench support for the timeline: loading the hand-written fixtures, and generating
//! large AWS-shaped histories (a Map with thousands of concurrent iterations, a Parallel with
//! many interleaved branches) from a seeded generator, with what the builder must recover.
#![allow(dead_code)]

use stepdeck::domain::Millis;
use stepdeck::domain::history::{EventDetails, EventType, HistoryEvent};
use stepdeck::domain::history_json::parse_history;

pub fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/histories/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub fn load_fixture(name: &str) -> Vec<HistoryEvent> {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_history(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Tiny deterministic generator (Knuth's MMIX LCG): no extra crates, same output everywhere.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Appends events with sequential ids.
pub struct HistoryWriter {
    pub events: Vec<HistoryEvent>,
    pub now: Millis,
}

impl HistoryWriter {
    pub fn new(start: Millis) -> Self {
        HistoryWriter {
            events: Vec::new(),
            now: start,
        }
    }

    pub fn emit(&mut self, previous: i64, event_type: EventType, details: EventDetails) -> i64 {
        let id = self.events.len() as i64 + 1;
        self.events
            .push(HistoryEvent::new(id, previous, self.now, event_type).with_details(details));
        id
    }

    pub fn named(name: &str) -> EventDetails {
        EventDetails {
            name: Some(name.to_string()),
            ..EventDetails::default()
        }
    }

    pub fn iteration(map: &str, index: u32) -> EventDetails {
        EventDetails {
            name: Some(map.to_string()),
            index: Some(index),
            ..EventDetails::default()
        }
    }

    pub fn lambda() -> EventDetails {
        EventDetails {
            resource_type: Some("lambda".into()),
            resource: Some("invoke".into()),
            ..EventDetails::default()
        }
    }

    pub fn failure(error: &str) -> EventDetails {
        EventDetails {
            error: Some(error.into()),
            cause: Some("Rate Exceeded.".into()),
            ..HistoryWriter::lambda()
        }
    }
}

/// Something producing events in its own chain: (its key, steps still to emit, id of its
/// last event).
type Worker<K> = (
    K,
    std::collections::VecDeque<(EventType, EventDetails)>,
    i64,
);

/// The steps of one Task state that retries once when `retry` is set.
fn task_steps(name: &str, retry: bool) -> Vec<(EventType, EventDetails)> {
    let mut steps = vec![
        (EventType::TaskStateEntered, HistoryWriter::named(name)),
        (EventType::TaskScheduled, HistoryWriter::lambda()),
        (EventType::TaskStarted, HistoryWriter::lambda()),
    ];
    if retry {
        steps.push((
            EventType::TaskFailed,
            HistoryWriter::failure("Lambda.TooManyRequestsException"),
        ));
        steps.push((EventType::TaskScheduled, HistoryWriter::lambda()));
        steps.push((EventType::TaskStarted, HistoryWriter::lambda()));
    }
    steps.push((EventType::TaskSucceeded, HistoryWriter::lambda()));
    steps.push((EventType::TaskStateExited, HistoryWriter::named(name)));
    steps
}

pub const MAP_NAME: &str = "ProcessPhotos";
pub const ITERATION_TASK: &str = "Resize";

/// Iterations that retry their task once in `map_history`.
pub fn iteration_retries(index: u32) -> bool {
    index % 10 == 3
}

/// A successful execution: `Prepare` (Pass) then Map `ProcessPhotos` over `iterations` items,
/// `concurrency` at a time, each iteration one `Resize` task (every tenth retries once), the
/// events of running iterations interleaved at random.
pub fn map_history(iterations: u32, concurrency: usize, seed: u64) -> Vec<HistoryEvent> {
    let mut rng = Lcg(seed);
    let mut w = HistoryWriter::new(1_764_064_800_000);
    let started = w.emit(0, EventType::ExecutionStarted, EventDetails::default());
    w.now += 10;
    let pass = w.emit(
        started,
        EventType::PassStateEntered,
        HistoryWriter::named("Prepare"),
    );
    w.now += 2;
    let pass_exit = w.emit(
        pass,
        EventType::PassStateExited,
        HistoryWriter::named("Prepare"),
    );
    w.now += 10;
    let map = w.emit(
        pass_exit,
        EventType::MapStateEntered,
        HistoryWriter::named(MAP_NAME),
    );
    let map_started = w.emit(
        map,
        EventType::MapStateStarted,
        EventDetails {
            length: Some(iterations),
            ..EventDetails::default()
        },
    );
    // Each running iteration: (index, remaining steps, id of its last event).
    let mut running: Vec<Worker<u32>> = Vec::new();
    let mut next_index = 0u32;
    let mut last_closed = map_started;
    while next_index < iterations || !running.is_empty() {
        while running.len() < concurrency && next_index < iterations {
            let id = w.emit(
                last_closed,
                EventType::MapIterationStarted,
                HistoryWriter::iteration(MAP_NAME, next_index),
            );
            let steps = task_steps(ITERATION_TASK, iteration_retries(next_index));
            running.push((next_index, steps.into(), id));
            next_index += 1;
        }
        let pick = rng.below(running.len());
        w.now += 1 + rng.below(20) as Millis;
        let (index, steps, last) = &mut running[pick];
        match steps.pop_front() {
            Some((event_type, details)) => *last = w.emit(*last, event_type, details),
            None => {
                let index = *index;
                let last = *last;
                last_closed = w.emit(
                    last,
                    EventType::MapIterationSucceeded,
                    HistoryWriter::iteration(MAP_NAME, index),
                );
                running.swap_remove(pick);
            }
        }
    }
    w.now += 5;
    let closed = w.emit(
        last_closed,
        EventType::MapStateSucceeded,
        EventDetails::default(),
    );
    let exited = w.emit(
        closed,
        EventType::MapStateExited,
        HistoryWriter::named(MAP_NAME),
    );
    w.emit(
        exited,
        EventType::ExecutionSucceeded,
        EventDetails::default(),
    );
    w.events
}

/// A Map history of at least `events` events.
pub fn map_history_with_at_least(events: usize) -> Vec<HistoryEvent> {
    // 7 events per iteration, 10 for the tenth that retries: about 7.3 on average.
    let iterations = (events as f64 / 7.3) as u32 + 1;
    map_history(iterations, 40, 42)
}

pub const PARALLEL_NAME: &str = "FanOut";

/// A Parallel `FanOut` with `branches` branches of `steps` sequential tasks `B<b>S<k>`, all
/// events interleaved at random. Returns the history and, for each branch as defined, the
/// branch number the builder must give it (the order of its first event in the history).
pub fn parallel_history(
    branches: usize,
    steps: usize,
    seed: u64,
) -> (Vec<HistoryEvent>, Vec<usize>) {
    let mut rng = Lcg(seed);
    let mut w = HistoryWriter::new(1_764_064_800_000);
    let started = w.emit(0, EventType::ExecutionStarted, EventDetails::default());
    let entered = w.emit(
        started,
        EventType::ParallelStateEntered,
        HistoryWriter::named(PARALLEL_NAME),
    );
    let fork = w.emit(
        entered,
        EventType::ParallelStateStarted,
        EventDetails::default(),
    );
    let mut pending: Vec<Worker<usize>> = (0..branches)
        .map(|b| {
            let all: Vec<_> = (0..steps)
                .flat_map(|k| task_steps(&format!("B{b}S{k}"), (b + k) % 7 == 0))
                .collect();
            (b, all.into(), fork)
        })
        .collect();
    let mut order = vec![usize::MAX; branches];
    let mut seen = 0;
    let mut last = fork;
    while !pending.is_empty() {
        let pick = rng.below(pending.len());
        w.now += 1 + rng.below(15) as Millis;
        let (branch, queue, previous) = &mut pending[pick];
        if order[*branch] == usize::MAX {
            order[*branch] = seen;
            seen += 1;
        }
        let (event_type, details) = queue.pop_front().expect("non-empty queues only");
        *previous = w.emit(*previous, event_type, details);
        last = *previous;
        if queue.is_empty() {
            pending.swap_remove(pick);
        }
    }
    let closed = w.emit(
        last,
        EventType::ParallelStateSucceeded,
        EventDetails::default(),
    );
    let exited = w.emit(
        closed,
        EventType::ParallelStateExited,
        HistoryWriter::named(PARALLEL_NAME),
    );
    w.emit(
        exited,
        EventType::ExecutionSucceeded,
        EventDetails::default(),
    );
    (w.events, order)
}
