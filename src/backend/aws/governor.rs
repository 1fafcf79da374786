//! The API budget governor: every call of an API waits here for a token of that API's bucket
//! (a share of the account's, `quotas.rs`) before it is sent. Throttled answers lower the
//! API's rate for every later call (AIMD: halved at once, recovered linearly), and repeated
//! throttling opens a circuit breaker that pauses the API, then lets one probe through.
//!
//! The bookkeeping (`ApiState`) is synchronous and takes the time as an argument, so its rules
//! are tested on made-up instants; the waiting around it uses tokio's clock, so tests with a
//! paused clock run it exactly and at once.

use super::quotas::{self, Budget};
use crate::domain::Millis;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// Throttled answers in a row (no answered call between them) that open the breaker. Counted
/// in calls, not per time window: the governor itself spaces a throttled API's calls out (to
/// one per 16 s for ListExecutions), so a slow API would never see five within 30 s.
pub const THROTTLES_TO_OPEN: usize = 5;
/// How long an open breaker pauses the API before one probe goes out. Short enough that the
/// console is live again within ~15 s of a throttling storm's end; a probe every 10 s is
/// below every budget in the table.
pub const OPEN_FOR: Duration = Duration::from_secs(10);
/// A throttle never brings the rate below the budget divided by this.
pub const FLOOR_DIVISOR: f64 = 8.0;
/// After a throttle the rate climbs back linearly: from zero to the full budget in this long
/// (a halved rate is whole again after half of it).
pub const RECOVERY: Duration = Duration::from_secs(30);

/// Tolerance for float sums of token fractions.
const EPSILON: f64 = 1e-6;

/// How a sent call ended, as far as the budget is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The service answered (success or an error that is not throttling).
    Answered,
    /// The service throttled the call.
    Throttled,
    /// No answer (timeout, connection): says nothing about throttling.
    NoAnswer,
}

/// A change of an API's breaker, for the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerChange {
    /// The API is paused until then (one probe goes out at that time).
    Opened { until: Instant },
    /// The probe was answered without throttling: calls go out again.
    Closed,
}

/// What a call at the head of an API's queue does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send it (a token was taken); `probe` when it tests a breaker that was open.
    Go { probe: bool },
    /// Look again at this time (a token will have refilled, or the breaker half-opens).
    WaitUntil(Instant),
    /// The breaker's probe is out: look again when it ends.
    WaitForProbe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaker {
    Closed,
    Open { until: Instant },
    HalfOpen { probing: bool },
}

/// One API's bucket, rate and breaker.
#[derive(Debug, Clone)]
pub struct ApiState {
    budget: Budget,
    tokens: f64,
    /// The rate is `base_rate` at `rate_since`, climbing by `budget.rate / RECOVERY` per
    /// second up to `budget.rate`.
    base_rate: f64,
    rate_since: Instant,
    /// When `tokens` was last brought up to date.
    updated: Instant,
    /// Throttled answers since the last answered call.
    throttles_in_a_row: usize,
    breaker: Breaker,
}

impl ApiState {
    /// A full bucket at `now`.
    pub fn new(budget: Budget, now: Instant) -> ApiState {
        ApiState {
            budget,
            tokens: budget.burst,
            base_rate: budget.rate,
            rate_since: now,
            updated: now,
            throttles_in_a_row: 0,
            breaker: Breaker::Closed,
        }
    }

    pub fn budget(&self) -> Budget {
        self.budget
    }

    fn slope(&self) -> f64 {
        self.budget.rate / RECOVERY.as_secs_f64()
    }

    fn since(&self, t: Instant) -> f64 {
        t.saturating_duration_since(self.rate_since).as_secs_f64()
    }

    /// The rate (calls per second) allowed at `t`.
    pub fn rate_at(&self, t: Instant) -> f64 {
        (self.base_rate + self.slope() * self.since(t)).min(self.budget.rate)
    }

    /// The most tokens held at `t`: the burst shrinks with the rate, so a throttled API
    /// cannot make up for it at once when it recovers.
    fn capacity_at(&self, t: Instant) -> f64 {
        (self.budget.burst * self.rate_at(t) / self.budget.rate).max(1.0)
    }

    /// Tokens refilled between `a` and `b` (the integral of the rate).
    fn refilled(&self, a: Instant, b: Instant) -> f64 {
        let (xa, xb) = (self.since(a), self.since(b));
        let (b0, k, full) = (self.base_rate, self.slope(), self.budget.rate);
        let xc = ((full - b0) / k).max(0.0);
        let climbing = |from: f64, to: f64| b0 * (to - from) + k / 2.0 * (to * to - from * from);
        if xa >= xc {
            full * (xb - xa)
        } else if xb <= xc {
            climbing(xa, xb)
        } else {
            climbing(xa, xc) + full * (xb - xc)
        }
    }

    fn refill(&mut self, now: Instant) {
        if now > self.updated {
            self.tokens =
                (self.tokens + self.refilled(self.updated, now)).min(self.capacity_at(now));
            self.updated = now;
        }
    }

    /// When a token will be there, from `now` on (the rate only climbs, so this is never early).
    fn token_at(&self, now: Instant) -> Instant {
        let missing = (1.0 - self.tokens).max(0.0);
        now + Duration::from_secs_f64(missing / self.rate_at(now))
    }

    /// The call at the head of the queue asks at `now`: go (taking a token) or wait.
    pub fn poll(&mut self, now: Instant) -> Decision {
        self.refill(now);
        match self.breaker {
            Breaker::Open { until } if now < until => return Decision::WaitUntil(until),
            Breaker::Open { .. } => self.breaker = Breaker::HalfOpen { probing: false },
            Breaker::HalfOpen { probing: true } => return Decision::WaitForProbe,
            Breaker::HalfOpen { probing: false } | Breaker::Closed => {}
        }
        if self.tokens + EPSILON < 1.0 {
            return Decision::WaitUntil(self.token_at(now));
        }
        self.tokens = (self.tokens - 1.0).max(0.0);
        let probe = self.breaker == Breaker::HalfOpen { probing: false };
        if probe {
            self.breaker = Breaker::HalfOpen { probing: true };
        }
        Decision::Go { probe }
    }

    /// A sent call ended at `now`. A throttle halves the rate (not below the floor) and
    /// empties the bucket, so the next call of this API, a retry or not, waits; repeated
    /// throttles open the breaker; the probe's answer closes or reopens it.
    pub fn on_outcome(
        &mut self,
        now: Instant,
        probe: bool,
        outcome: Outcome,
    ) -> Option<BreakerChange> {
        self.refill(now);
        let throttled = outcome == Outcome::Throttled;
        if throttled {
            let floor = self.budget.rate / FLOOR_DIVISOR;
            self.base_rate = (self.rate_at(now) / 2.0).max(floor);
            self.rate_since = now;
            self.tokens = 0.0;
        }
        if probe {
            return Some(if throttled {
                self.open(now)
            } else {
                self.throttles_in_a_row = 0;
                self.breaker = Breaker::Closed;
                BreakerChange::Closed
            });
        }
        // Answers of calls sent before the breaker opened do not move it again.
        if self.breaker != Breaker::Closed {
            return None;
        }
        match outcome {
            Outcome::Answered => self.throttles_in_a_row = 0,
            Outcome::NoAnswer => {}
            Outcome::Throttled => self.throttles_in_a_row += 1,
        }
        (self.throttles_in_a_row >= THROTTLES_TO_OPEN).then(|| self.open(now))
    }

    fn open(&mut self, now: Instant) -> BreakerChange {
        let until = now + OPEN_FOR;
        self.throttles_in_a_row = 0;
        self.breaker = Breaker::Open { until };
        BreakerChange::Opened { until }
    }

    /// The probe was given up before it ended (its future was dropped): another may go.
    pub fn on_abandoned_probe(&mut self) {
        if self.breaker == (Breaker::HalfOpen { probing: true }) {
            self.breaker = Breaker::HalfOpen { probing: false };
        }
    }

    /// When a call asking at `at` (now or later) could go at the earliest, calls before it
    /// aside (for telling the operator); changes nothing.
    pub fn earliest(&self, at: Instant) -> Instant {
        let start = match self.breaker {
            Breaker::Open { until } => until.max(at),
            _ => at,
        };
        let mut then = self.clone();
        then.refill(start);
        then.token_at(start)
    }
}

/// One API: its state, the queue of calls waiting for it (a fair lock: first come, first
/// served), and a signal for the head of the queue when an answer changed the state.
#[derive(Debug)]
struct Api {
    state: Mutex<ApiState>,
    queue: tokio::sync::Mutex<()>,
    changed: Notify,
}

impl Api {
    fn state(&self) -> std::sync::MutexGuard<'_, ApiState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The right to send one call; hand it back with `Governor::settle` when the call ended.
#[derive(Debug)]
pub struct Permit {
    api: Arc<Api>,
    probe: bool,
    settled: bool,
}

impl Permit {
    pub fn is_probe(&self) -> bool {
        self.probe
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.probe && !self.settled {
            self.api.state().on_abandoned_probe();
            self.api.changed.notify_waiters();
        }
    }
}

/// Every API's budget for one connection (account and region).
#[derive(Debug)]
pub struct Governor {
    region: String,
    share: f64,
    apis: Mutex<HashMap<&'static str, Arc<Api>>>,
    /// Wall-clock milliseconds at `origin`, to tell the operator times of day.
    origin: Instant,
    origin_ms: Millis,
}

impl Governor {
    /// Budgets for `region` with `share` of each bucket (None: the default share).
    pub fn new(region: &str, share: Option<f64>) -> Governor {
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as Millis);
        Governor::with_wall_clock(region, share, now_ms)
    }

    /// As `new`, reading `now_ms` as the wall-clock time now (tests fix it).
    pub fn with_wall_clock(region: &str, share: Option<f64>, now_ms: Millis) -> Governor {
        Governor {
            region: region.to_string(),
            share: quotas::effective_share(share),
            apis: Mutex::new(HashMap::new()),
            origin: Instant::now(),
            origin_ms: now_ms,
        }
    }

    pub fn share(&self) -> f64 {
        self.share
    }

    /// The budget of `operation` here.
    pub fn budget(&self, operation: &str) -> Budget {
        quotas::quota(operation).budget(&self.region, self.share)
    }

    fn api(&self, operation: &'static str) -> Arc<Api> {
        let mut apis = self.apis.lock().unwrap_or_else(|p| p.into_inner());
        let api = apis.entry(operation).or_insert_with(|| {
            Arc::new(Api {
                state: Mutex::new(ApiState::new(self.budget(operation), Instant::now())),
                queue: tokio::sync::Mutex::new(()),
                changed: Notify::new(),
            })
        });
        Arc::clone(api)
    }

    /// Waits, in turn, until a call of `operation` may be sent.
    pub async fn acquire(&self, operation: &'static str) -> Permit {
        let api = self.api(operation);
        let _turn = api.queue.lock().await;
        loop {
            // Registered before looking, so an answer arriving in between is not missed.
            let changed = api.changed.notified();
            let decision = api.state().poll(Instant::now());
            match decision {
                Decision::Go { probe } => {
                    return Permit {
                        api: Arc::clone(&api),
                        probe,
                        settled: false,
                    };
                }
                Decision::WaitUntil(at) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(at) => {}
                        _ = changed => {}
                    }
                }
                Decision::WaitForProbe => changed.await,
            }
        }
    }

    /// The call sent with `permit` ended so.
    pub fn settle(&self, mut permit: Permit, outcome: Outcome) -> Option<BreakerChange> {
        permit.settled = true;
        let change = permit
            .api
            .state()
            .on_outcome(Instant::now(), permit.probe, outcome);
        permit.api.changed.notify_waiters();
        change
    }

    /// How long a call of `operation` asked for `after` from now would wait at least.
    pub fn wait_estimate(&self, operation: &'static str, after: Duration) -> Duration {
        let now = Instant::now();
        let earliest = self.api(operation).state().earliest(now + after);
        earliest.saturating_duration_since(now)
    }

    /// `at` as wall-clock epoch milliseconds.
    pub fn wall_ms(&self, at: Instant) -> Millis {
        let offset = if at >= self.origin {
            at.duration_since(self.origin).as_millis() as Millis
        } else {
            -(self.origin.duration_since(at).as_millis() as Millis)
        };
        self.origin_ms + offset
    }
}

#[cfg(test)]
#[path = "governor_tests.rs"]
mod tests;
