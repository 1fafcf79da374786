//! The tests' side of the fault-injecting proxy (scripts/faultproxy/proxy.py): finding it,
//! setting fault rules, reading the calls it counted.
//!
//! The proxy sits between the SDK and moto; `scripts/test.sh` starts it after moto and sets
//! `STEPDECK_TEST_PROXY`. Without the variable the same rules as `common::test_endpoint()`
//! apply: FAIL under `CI`, print why and skip on a plain `cargo test`. By hand:
//! `scripts/moto/start.sh; scripts/faultproxy/start.sh`, then
//! `STEPDECK_TEST_ENDPOINT=$(cat target/moto.endpoint) STEPDECK_TEST_PROXY=$(cat
//! target/faultproxy.endpoint) cargo test --test aws`.
//!
//! The proxy's rules and counts are global to the process it runs in, and the tests of this
//! binary run on parallel threads: a `Proxy` holds a process-wide lock for as long as it lives,
//! so tests through the proxy take turns (tests talking to moto directly are not held up), and
//! each starts from a proxy without rules or counts.

#![allow(dead_code)] // the fault kinds and readings are for the tests of issue #12 as they come

use crate::common;

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

pub const PROXY_VARIABLE: &str = "STEPDECK_TEST_PROXY";

/// Held by the one test that uses the proxy at a time.
static EXCLUSIVE: Mutex<()> = Mutex::new(());

/// The proxy, reserved for the calling test until dropped.
pub struct Proxy {
    pub endpoint: String,
    _turn: MutexGuard<'static, ()>,
}

/// What the proxy does to a matching call.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// The service's throttling error (JSON `ThrottlingException` 400; S3 `SlowDown` 503).
    Throttle,
    /// The service's access denial (JSON `AccessDeniedException` 400; S3 `AccessDenied` 403).
    Deny,
    /// A server error, 500 (`InternalFailure`, S3 `InternalError`) or 503.
    ServerError(u16),
    /// Carried out by moto, then the connection ends without an answer: a lost answer.
    /// `reset`: with a TCP reset (as a load balancer may) rather than an orderly close; the
    /// SDK reports the two differently.
    DropAnswer { reset: bool },
    /// Carried out at once, answered after this long.
    Delay(Duration),
    /// The connection is reset before the request reaches moto: certainly not carried out.
    Reset,
}

/// A fault rule: a kind, for an API, for the next `times` calls and/or a duration.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// An API name as AWS's references name operations (`DescribeExecution`, `DeleteFaces`,
    /// `ListObjectsV2`), or `states:*`, `rekognition:*`, `s3:*`, `*`.
    pub api: String,
    pub kind: FaultKind,
    /// None: every matching call while the rule is in force.
    pub times: Option<u32>,
    /// None: until cleared.
    pub duration: Option<Duration>,
    /// The first this many matching calls go through untouched.
    pub after: u32,
}

impl Fault {
    pub fn new(api: &str, kind: FaultKind) -> Fault {
        Fault {
            api: api.to_string(),
            kind,
            times: None,
            duration: None,
            after: 0,
        }
    }

    pub fn throttle(api: &str) -> Fault {
        Fault::new(api, FaultKind::Throttle)
    }

    pub fn deny(api: &str) -> Fault {
        Fault::new(api, FaultKind::Deny)
    }

    pub fn server_error(api: &str, status: u16) -> Fault {
        Fault::new(api, FaultKind::ServerError(status))
    }

    pub fn drop_answer(api: &str) -> Fault {
        Fault::new(api, FaultKind::DropAnswer { reset: false })
    }

    pub fn drop_answer_with_reset(api: &str) -> Fault {
        Fault::new(api, FaultKind::DropAnswer { reset: true })
    }

    pub fn delay(api: &str, delay: Duration) -> Fault {
        Fault::new(api, FaultKind::Delay(delay))
    }

    pub fn reset(api: &str) -> Fault {
        Fault::new(api, FaultKind::Reset)
    }

    /// Only the next `n` matching calls.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }

    /// Only once `n` matching calls went through untouched.
    pub fn after(mut self, n: u32) -> Fault {
        self.after = n;
        self
    }

    /// Only for `duration` from when the rule is set.
    pub fn for_duration(mut self, duration: Duration) -> Fault {
        self.duration = Some(duration);
        self
    }

    fn to_json(&self) -> serde_json::Value {
        let mut rule = serde_json::json!({ "api": self.api });
        let fault = match &self.kind {
            FaultKind::Throttle => "throttle",
            FaultKind::Deny => "deny",
            FaultKind::ServerError(status) => {
                rule["status"] = (*status).into();
                "5xx"
            }
            FaultKind::DropAnswer { reset } => {
                rule["close"] = if *reset { "reset" } else { "fin" }.into();
                "drop_answer"
            }
            FaultKind::Delay(delay) => {
                rule["delay"] = delay.as_secs_f64().into();
                "delay"
            }
            FaultKind::Reset => "reset",
        };
        rule["fault"] = fault.into();
        if let Some(times) = self.times {
            rule["times"] = times.into();
        }
        if self.after > 0 {
            rule["after"] = self.after.into();
        }
        if let Some(duration) = self.duration {
            rule["seconds"] = duration.as_secs_f64().into();
        }
        rule
    }
}

/// The calls the proxy saw, in seconds on its own monotonic clock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// The proxy's clock when the stats were read.
    pub now: f64,
    /// Every call per API (faulted ones included: they reached the service's front door).
    pub calls: BTreeMap<String, Vec<f64>>,
    /// The calls a rule faulted, per API, with the fault's name.
    pub faulted: BTreeMap<String, Vec<(f64, String)>>,
}

impl Stats {
    pub fn calls(&self, api: &str) -> Vec<f64> {
        self.calls.get(api).cloned().unwrap_or_default()
    }

    pub fn count(&self, api: &str) -> usize {
        self.calls.get(api).map_or(0, Vec::len)
    }

    /// Calls of `api` per second over the last `window`.
    pub fn rate(&self, api: &str, window: Duration) -> f64 {
        let since = self.now - window.as_secs_f64();
        let calls = self.calls(api).iter().filter(|t| **t > since).count();
        calls as f64 / window.as_secs_f64()
    }
}

impl Proxy {
    /// The proxy, once no other test uses it, without rules or counts; None (after saying
    /// why) when the tests may be skipped.
    pub fn from_env() -> Option<Proxy> {
        let endpoint = match std::env::var(PROXY_VARIABLE) {
            Ok(endpoint) if !endpoint.trim().is_empty() => endpoint.trim().to_string(),
            _ => {
                let in_ci =
                    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
                if in_ci {
                    panic!(
                        "{PROXY_VARIABLE} is not set but CI is: the fault tests must run \
                         through the fault-injecting proxy; run them through scripts/test.sh"
                    );
                }
                eprintln!(
                    "skipping: {PROXY_VARIABLE} is not set (run ./scripts/test.sh to start \
                     moto server and the fault-injecting proxy)"
                );
                return None;
            }
        };
        // A test that failed while holding the lock poisons it; the next one still runs
        // (the reset below clears whatever the failed one left).
        let turn = EXCLUSIVE.lock().unwrap_or_else(PoisonError::into_inner);
        let proxy = Proxy {
            endpoint,
            _turn: turn,
        };
        proxy.reset();
        Some(proxy)
    }

    /// A control request; panics unless the proxy answers 200. Returns the JSON answer.
    fn control(&self, method: &str, path: &str, body: &str) -> serde_json::Value {
        let (status, answer) = common::moto_api(&self.endpoint, method, path, body);
        assert_eq!(status, 200, "{method} {path}: {answer}");
        serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{path}: {e}: {answer}"))
    }

    /// Replaces the rules in force (the first rule that matches a call decides its fault).
    pub fn set_faults(&self, faults: &[Fault]) {
        let rules: Vec<serde_json::Value> = faults.iter().map(Fault::to_json).collect();
        self.control(
            "POST",
            "/__proxy/faults",
            &serde_json::Value::from(rules).to_string(),
        );
    }

    /// Removes every rule; the counts stay.
    pub fn clear(&self) {
        self.control("DELETE", "/__proxy/faults", "");
    }

    /// Removes every rule and forgets every call counted.
    pub fn reset(&self) {
        self.control("POST", "/__proxy/reset", "");
    }

    pub fn stats(&self) -> Stats {
        let answer = self.control("GET", "/__proxy/stats", "");
        let times = |value: &serde_json::Value| -> Vec<f64> {
            value
                .as_array()
                .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
                .unwrap_or_default()
        };
        let mut stats = Stats {
            now: answer["now"].as_f64().expect("stats: now"),
            ..Stats::default()
        };
        for (api, calls) in answer["calls"].as_object().into_iter().flatten() {
            stats.calls.insert(api.clone(), times(calls));
        }
        for (api, faulted) in answer["faulted"].as_object().into_iter().flatten() {
            let faulted = faulted
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    (
                        f[0].as_f64().unwrap_or_default(),
                        f[1].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            stats.faulted.insert(api.clone(), faulted);
        }
        stats
    }

    /// When each call of `api` arrived, in seconds on the proxy's clock (see `now`).
    pub fn calls(&self, api: &str) -> Vec<f64> {
        self.stats().calls(api)
    }

    pub fn count(&self, api: &str) -> usize {
        self.stats().count(api)
    }

    /// The proxy's clock now, to compare with `calls`.
    pub fn now(&self) -> f64 {
        self.stats().now
    }

    /// Calls of `api` per second over the last `window`.
    pub fn rate(&self, api: &str, window: Duration) -> f64 {
        self.stats().rate(api, window)
    }
}
