//! Retrying throttled calls: exponential backoff with full jitter, bounded in attempts. The
//! schedule and the loop are pure (randomness and sleeping are injected) so they are tested
//! without a clock; the adapter plugs in tokio's sleep and a seeded generator.

use std::future::Future;
use std::time::Duration;

/// How throttled calls are retried. With the defaults a call is tried at most 6 times and the
/// waits before retries are drawn from [0, 200 ms], [0, 400 ms], … capped at 5 s, so a
/// throttled console backs off in about 6 s at worst before telling the user.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Total tries, the first one included (at least 1).
    pub max_attempts: u32,
    /// Upper bound of the first wait.
    pub base: Duration,
    /// No wait is longer than this.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The upper bound of the wait after the `failed_attempts`-th failure (1 for the first):
    /// `min(cap, base * 2^(failed_attempts-1))`.
    pub fn ceiling(&self, failed_attempts: u32) -> Duration {
        let exponent = failed_attempts.saturating_sub(1).min(31);
        self.base
            .checked_mul(1u32 << exponent)
            .map_or(self.cap, |d| d.min(self.cap))
    }

    /// "Full jitter": a uniformly random wait in [0, ceiling], `unit_random` in [0, 1). Spreads
    /// the retries of many clients sharing one token bucket instead of synchronising them.
    pub fn delay(&self, failed_attempts: u32, unit_random: f64) -> Duration {
        self.ceiling(failed_attempts)
            .mul_f64(unit_random.clamp(0.0, 1.0))
    }

    /// What to do after `failed_attempts` tries all failed, the last one with a retryable error:
    /// wait this long and try again, or give up (None).
    pub fn next_delay(&self, failed_attempts: u32, unit_random: f64) -> Option<Duration> {
        (failed_attempts < self.max_attempts.max(1))
            .then(|| self.delay(failed_attempts, unit_random))
    }
}

/// The last error of a call that was given up on, and how many tries were made.
#[derive(Debug, Clone, PartialEq)]
pub struct GaveUp<E> {
    pub error: E,
    pub attempts: u32,
}

/// Runs `attempt` until it succeeds, fails with an error `is_retryable` refuses, or the policy
/// gives up. `random` yields numbers in [0, 1); `sleep` waits after the `n`-th failed attempt
/// with its error (tokio's sleep in the adapter, which also tells the operator why; a recorder
/// in tests).
pub async fn retry<T, E, Attempt, AttemptFut, Sleep, SleepFut>(
    policy: &RetryPolicy,
    mut random: impl FnMut() -> f64,
    mut sleep: Sleep,
    is_retryable: impl Fn(&E) -> bool,
    mut attempt: Attempt,
) -> Result<T, GaveUp<E>>
where
    Attempt: FnMut() -> AttemptFut,
    AttemptFut: Future<Output = Result<T, E>>,
    Sleep: FnMut(&E, u32, Duration) -> SleepFut,
    SleepFut: Future<Output = ()>,
{
    let mut attempts = 0;
    loop {
        attempts += 1;
        let error = match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if !is_retryable(&error) {
            return Err(GaveUp { error, attempts });
        }
        match policy.next_delay(attempts, random()) {
            Some(delay) => sleep(&error, attempts, delay).await,
            None => return Err(GaveUp { error, attempts }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn ceilings_double_from_the_base_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let ceilings: Vec<Duration> = (1..=7).map(|n| policy.ceiling(n)).collect();
        assert_eq!(
            ceilings,
            vec![
                ms(200),
                ms(400),
                ms(800),
                ms(1600),
                ms(3200),
                ms(5000),
                ms(5000)
            ]
        );
        // Huge attempt numbers neither overflow nor exceed the cap.
        assert_eq!(policy.ceiling(u32::MAX), ms(5000));
    }

    #[test]
    fn full_jitter_spans_zero_to_the_ceiling() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(3, 0.0), Duration::ZERO);
        assert_eq!(policy.delay(3, 0.5), ms(400));
        assert_eq!(policy.delay(3, 0.25), ms(200));
        // Out-of-range randoms are clamped rather than producing waits above the ceiling.
        assert_eq!(policy.delay(3, 7.0), ms(800));
    }

    #[test]
    fn gives_up_after_max_attempts() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        assert!(policy.next_delay(1, 0.5).is_some());
        assert!(policy.next_delay(2, 0.5).is_some());
        assert_eq!(policy.next_delay(3, 0.5), None);
    }

    /// Drives the retry loop with a scripted sequence of outcomes and records the waits.
    fn run_script(
        policy: RetryPolicy,
        outcomes: Vec<Result<&'static str, &'static str>>,
    ) -> (
        Result<&'static str, GaveUp<&'static str>>,
        Vec<Duration>,
        usize,
    ) {
        let outcomes = RefCell::new(outcomes.into_iter());
        let calls = RefCell::new(0usize);
        let sleeps = RefCell::new(Vec::new());
        let randoms = RefCell::new([0.5, 1.0, 0.0, 0.25, 0.75].into_iter().cycle());
        let result = futures_util::FutureExt::now_or_never(retry(
            &policy,
            || randoms.borrow_mut().next().unwrap(),
            |_, _, d| {
                sleeps.borrow_mut().push(d);
                std::future::ready(())
            },
            |e: &&str| *e == "throttled",
            || {
                *calls.borrow_mut() += 1;
                std::future::ready(outcomes.borrow_mut().next().expect("script too short"))
            },
        ))
        .expect("no real waiting in the loop");
        (result, sleeps.into_inner(), calls.into_inner())
    }

    #[test]
    fn retries_throttling_with_growing_jittered_waits_then_succeeds() {
        let (result, sleeps, calls) = run_script(
            RetryPolicy::default(),
            vec![
                Err("throttled"),
                Err("throttled"),
                Err("throttled"),
                Ok("page"),
            ],
        );
        assert_eq!(result, Ok("page"));
        assert_eq!(calls, 4);
        // randoms 0.5, 1.0, 0.0 against ceilings 200, 400, 800 ms
        assert_eq!(sleeps, vec![ms(100), ms(400), ms(0)]);
    }

    #[test]
    fn other_errors_are_not_retried() {
        let (result, sleeps, calls) =
            run_script(RetryPolicy::default(), vec![Err("access denied")]);
        assert_eq!(
            result,
            Err(GaveUp {
                error: "access denied",
                attempts: 1
            })
        );
        assert!(sleeps.is_empty());
        assert_eq!(calls, 1);
    }

    #[test]
    fn persistent_throttling_gives_up_with_the_attempt_count() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        let (result, sleeps, calls) = run_script(policy, vec![Err("throttled"); 5]);
        assert_eq!(
            result,
            Err(GaveUp {
                error: "throttled",
                attempts: 3
            })
        );
        assert_eq!(calls, 3);
        assert_eq!(sleeps.len(), 2);
    }
}
