//! The governor's rules on made-up instants (`ApiState`), and its waiting on tokio's paused
//! clock (`Governor`): nothing here sleeps for real.

use super::*;
use crate::backend::aws::quotas::{DEFAULT_SHARE, QUOTAS};

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

fn budget(burst: f64, rate: f64) -> Budget {
    Budget { burst, rate }
}

/// A caller that sends as fast as it is allowed from `start` until `calls` went out, and
/// reports the send times; `throttle_every` > 0 makes every n-th answer a throttle.
fn greedy(
    state: &mut ApiState,
    start: Instant,
    calls: usize,
    throttle_every: usize,
) -> Vec<Instant> {
    let mut now = start;
    let mut sent = Vec::new();
    while sent.len() < calls {
        match state.poll(now) {
            Decision::Go { probe } => {
                sent.push(now);
                let throttled = throttle_every > 0 && sent.len() % throttle_every == 0;
                let outcome = if throttled {
                    Outcome::Throttled
                } else {
                    Outcome::Answered
                };
                state.on_outcome(now, probe, outcome);
            }
            Decision::WaitUntil(at) => {
                assert!(at > now, "a wait moves time forward");
                now = at;
            }
            Decision::WaitForProbe => panic!("no probe is left out"),
        }
    }
    sent
}

/// The most calls in any window of `width` among `sent` (sorted).
fn most_in_window(sent: &[Instant], width: Duration) -> usize {
    let mut most = 0;
    let mut first = 0;
    for (last, at) in sent.iter().enumerate() {
        while at.duration_since(sent[first]) > width {
            first += 1;
        }
        most = most.max(last - first + 1);
    }
    most
}

#[test]
fn a_full_bucket_allows_the_burst_then_the_rate() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(3.0, 1.5), t0);
    for _ in 0..3 {
        assert_eq!(state.poll(t0), Decision::Go { probe: false });
    }
    let Decision::WaitUntil(at) = state.poll(t0) else {
        panic!("the burst is spent")
    };
    assert!((at.duration_since(t0).as_secs_f64() - 1.0 / 1.5).abs() < 1e-6);
    assert_eq!(state.poll(at), Decision::Go { probe: false });
}

#[test]
fn the_rate_never_exceeds_the_budget_over_any_window_and_bursts_stay_within_it() {
    let t0 = Instant::now();
    let mut checked = 0;
    for quota in QUOTAS {
        for region in ["us-east-1", "ca-central-1"] {
            for throttle_every in [0, 7] {
                let budget = quota.budget(region, DEFAULT_SHARE);
                let bucket = quota.bucket_in(region);
                let mut state = ApiState::new(budget, t0);
                let sent = greedy(&mut state, t0, 400, throttle_every);
                let burst = most_in_window(&sent, Duration::ZERO);
                assert!(burst as f64 <= budget.burst + 1e-9, "{quota:?}: {burst}");
                if let quotas::Allowance::Shared { .. } = quota.allowance {
                    assert!(burst as f64 <= (DEFAULT_SHARE * bucket.size).max(1.0));
                }
                for width in [0.5, 1.0, 10.0, 60.0] {
                    let most = most_in_window(&sent, secs(width));
                    let allowed = budget.burst + budget.rate * width;
                    assert!(
                        most as f64 <= allowed + 1e-6,
                        "{} in {region}: {most} calls in {width} s, budget {allowed}",
                        quota.operation
                    );
                }
                // Unthrottled, it does use its budget (the bound above is not vacuous).
                if throttle_every == 0 {
                    let span = sent.last().unwrap().duration_since(t0).as_secs_f64();
                    let expected = (400.0 - budget.burst) / budget.rate;
                    assert!(
                        (span - expected).abs() < 0.01 + expected * 1e-6,
                        "{span} {expected}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, QUOTAS.len() * 4);
}

#[test]
fn a_throttle_halves_the_rate_empties_the_bucket_and_the_rate_recovers() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(4.5, 1.5), t0);
    assert_eq!(state.poll(t0), Decision::Go { probe: false });
    assert_eq!(state.on_outcome(t0, false, Outcome::Throttled), None);
    assert!((state.rate_at(t0) - 0.75).abs() < 1e-9);
    // Tokens were left, but the next call (a retry or another) waits for a new one.
    let Decision::WaitUntil(at) = state.poll(t0) else {
        panic!("the bucket was emptied")
    };
    assert!(at > t0);
    // Half of `RECOVERY` later the rate is whole again, never more.
    let half = t0 + RECOVERY / 2;
    assert!((state.rate_at(half) - 1.5).abs() < 1e-9);
    assert!((state.rate_at(t0 + RECOVERY * 3) - 1.5).abs() < 1e-9);
    assert!(state.rate_at(t0 + RECOVERY / 4) < 1.5);
}

#[test]
fn throttles_do_not_bring_the_rate_below_the_floor() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(4.5, 1.6), t0);
    for _ in 0..4 {
        state.on_outcome(t0, false, Outcome::Throttled);
    }
    assert!((state.rate_at(t0) - 1.6 / FLOOR_DIVISOR).abs() < 1e-9);
    // Failures that are not throttling change nothing.
    let mut other = ApiState::new(budget(4.5, 1.6), t0);
    other.on_outcome(t0, false, Outcome::NoAnswer);
    other.on_outcome(t0, false, Outcome::Answered);
    assert!((other.rate_at(t0) - 1.6).abs() < 1e-9);
    assert_eq!(other.poll(t0), Decision::Go { probe: false });
}

#[test]
fn repeated_throttling_opens_the_breaker_then_one_probe_closes_it() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(4.5, 1.5), t0);
    for i in 0..THROTTLES_TO_OPEN - 1 {
        assert_eq!(
            state.on_outcome(t0 + secs(i as f64), false, Outcome::Throttled),
            None
        );
    }
    let fifth = t0 + secs(6.0);
    let until = fifth + OPEN_FOR;
    assert_eq!(
        state.on_outcome(fifth, false, Outcome::Throttled),
        Some(BreakerChange::Opened { until })
    );
    // Paused: nobody goes before `until`, whatever the bucket holds.
    assert_eq!(state.poll(fifth + secs(9.0)), Decision::WaitUntil(until));
    // Half-open: one probe, the others wait for its answer.
    assert_eq!(state.poll(until), Decision::Go { probe: true });
    assert_eq!(state.poll(until + secs(5.0)), Decision::WaitForProbe);
    // A throttled probe opens it again at once.
    let again = until + secs(1.0);
    assert_eq!(
        state.on_outcome(again, true, Outcome::Throttled),
        Some(BreakerChange::Opened {
            until: again + OPEN_FOR
        })
    );
    let reopened = again + OPEN_FOR;
    assert_eq!(state.poll(again), Decision::WaitUntil(reopened));
    assert_eq!(state.poll(reopened), Decision::Go { probe: true });
    // An answered probe closes it; calls go out again at the (reduced, recovering) rate.
    assert_eq!(
        state.on_outcome(reopened, true, Outcome::Answered),
        Some(BreakerChange::Closed)
    );
    let later = reopened + RECOVERY;
    assert_eq!(state.poll(later), Decision::Go { probe: false });
    // Closed means closed: it takes five new throttles to open it again.
    for i in 0..THROTTLES_TO_OPEN - 1 {
        assert_eq!(
            state.on_outcome(later + secs(i as f64), false, Outcome::Throttled),
            None
        );
    }
}

#[test]
fn an_answer_between_throttles_starts_the_count_again() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(4.5, 1.5), t0);
    for i in 0..20 {
        let at = t0 + secs(i as f64);
        let outcome = if i % THROTTLES_TO_OPEN == THROTTLES_TO_OPEN - 1 {
            Outcome::Answered
        } else {
            Outcome::Throttled
        };
        assert_eq!(state.on_outcome(at, false, outcome), None);
    }
    // A call that got no answer says nothing either way: the count goes on.
    let mut state = ApiState::new(budget(4.5, 1.5), t0);
    for _ in 0..THROTTLES_TO_OPEN - 1 {
        state.on_outcome(t0, false, Outcome::Throttled);
    }
    assert_eq!(state.on_outcome(t0, false, Outcome::NoAnswer), None);
    assert!(state.on_outcome(t0, false, Outcome::Throttled).is_some());
}

#[test]
fn late_answers_of_calls_sent_before_the_pause_do_not_move_the_breaker() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(4.5, 1.5), t0);
    for _ in 0..THROTTLES_TO_OPEN - 1 {
        state.on_outcome(t0, false, Outcome::Throttled);
    }
    let Some(BreakerChange::Opened { until }) = state.on_outcome(t0, false, Outcome::Throttled)
    else {
        panic!("five throttles open it")
    };
    for _ in 0..THROTTLES_TO_OPEN {
        assert_eq!(
            state.on_outcome(t0 + secs(1.0), false, Outcome::Throttled),
            None
        );
    }
    assert_eq!(
        state.on_outcome(t0 + secs(2.0), false, Outcome::Answered),
        None
    );
    assert_eq!(state.poll(t0 + secs(2.0)), Decision::WaitUntil(until));
}

#[test]
fn an_abandoned_probe_lets_another_probe_go() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(4.5, 1.5), t0);
    for _ in 0..THROTTLES_TO_OPEN {
        state.on_outcome(t0, false, Outcome::Throttled);
    }
    let until = t0 + OPEN_FOR;
    assert_eq!(state.poll(until), Decision::Go { probe: true });
    assert_eq!(state.poll(until), Decision::WaitForProbe);
    state.on_abandoned_probe();
    let next = state.poll(until + secs(30.0));
    assert_eq!(next, Decision::Go { probe: true });
}

#[test]
fn the_earliest_time_accounts_for_the_pause_and_changes_nothing() {
    let t0 = Instant::now();
    let mut state = ApiState::new(budget(1.0, 1.0), t0);
    assert_eq!(state.earliest(t0), t0);
    assert_eq!(state.poll(t0), Decision::Go { probe: false });
    assert_eq!(state.earliest(t0), t0 + secs(1.0));
    // Asking about the future does not hand out tokens now.
    state.earliest(t0 + secs(100.0));
    assert_eq!(state.poll(t0), Decision::WaitUntil(t0 + secs(1.0)));
    for _ in 0..THROTTLES_TO_OPEN {
        state.on_outcome(t0, false, Outcome::Throttled);
    }
    assert!(state.earliest(t0) >= t0 + OPEN_FOR);
}

const BASE_MS: Millis = 1_764_064_800_000; // 2025-11-25 10:00:00 UTC

#[tokio::test(start_paused = true)]
async fn fifty_calls_at_once_go_out_at_the_budgeted_rate_in_order() {
    let governor = Arc::new(Governor::with_wall_clock("us-east-1", None, BASE_MS));
    let budget = governor.budget("DescribeExecution");
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let governor = Arc::clone(&governor);
        tasks.push(tokio::spawn(async move {
            let permit = governor.acquire("DescribeExecution").await;
            let sent = Instant::now();
            governor.settle(permit, Outcome::Answered);
            (i, sent)
        }));
        // Queued in this order (each spawned task reaches the queue before the next).
        tokio::task::yield_now().await;
    }
    let mut sent = Vec::new();
    for task in tasks {
        sent.push(task.await.unwrap());
    }
    let order: Vec<usize> = {
        let mut by_time = sent.clone();
        by_time.sort_by_key(|(i, at)| (*at, *i));
        by_time.iter().map(|(i, _)| *i).collect()
    };
    assert_eq!(
        order,
        (0..50).collect::<Vec<_>>(),
        "first come, first served"
    );
    let times: Vec<Instant> = sent.iter().map(|(_, at)| *at).collect();
    assert_eq!(
        most_in_window(&times, Duration::ZERO),
        4,
        "a burst of 4.5 tokens"
    );
    for width in [1.0, 10.0] {
        let most = most_in_window(&times, secs(width));
        assert!(most as f64 <= budget.burst + budget.rate * width + 1e-6);
    }
    let span = times[49].duration_since(t0).as_secs_f64();
    let expected = (50.0 - budget.burst) / budget.rate;
    assert!((span - expected).abs() < 0.01, "{span} vs {expected}");
}

#[tokio::test(start_paused = true)]
async fn a_paused_api_says_until_when_and_lets_one_probe_through() {
    let governor = Arc::new(Governor::with_wall_clock("us-east-1", None, BASE_MS));
    let mut opened = None;
    for _ in 0..THROTTLES_TO_OPEN {
        let permit = governor.acquire("ListExecutions").await;
        opened = governor.settle(permit, Outcome::Throttled);
    }
    let Some(BreakerChange::Opened { until }) = opened else {
        panic!("five throttles in a row open the breaker")
    };
    let paused_at = Instant::now();
    assert_eq!(
        governor.wall_ms(until),
        BASE_MS + paused_at.duration_since(governor.origin).as_millis() as Millis + 10_000
    );
    assert!(governor.wait_estimate("ListExecutions", Duration::ZERO) >= OPEN_FOR);

    let probe = governor.acquire("ListExecutions").await;
    assert!(probe.is_probe());
    assert!(Instant::now() >= until, "nothing goes out while paused");
    // The next call waits for the probe's answer, however long it takes.
    let waiting = {
        let governor = Arc::clone(&governor);
        tokio::spawn(async move {
            let permit = governor.acquire("ListExecutions").await;
            let at = Instant::now();
            governor.settle(permit, Outcome::Answered);
            at
        })
    };
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert!(!waiting.is_finished(), "held behind the probe");
    let answered = Instant::now();
    assert_eq!(
        governor.settle(probe, Outcome::Answered),
        Some(BreakerChange::Closed)
    );
    let went = waiting.await.unwrap();
    assert!(went >= answered);
}

#[tokio::test(start_paused = true)]
async fn a_dropped_probe_frees_the_way_for_the_next() {
    let governor = Arc::new(Governor::with_wall_clock("eu-west-1", None, BASE_MS));
    for _ in 0..THROTTLES_TO_OPEN {
        let permit = governor.acquire("GetExecutionHistory").await;
        governor.settle(permit, Outcome::Throttled);
    }
    let probe = governor.acquire("GetExecutionHistory").await;
    assert!(probe.is_probe());
    let next = {
        let governor = Arc::clone(&governor);
        tokio::spawn(async move { governor.acquire("GetExecutionHistory").await.is_probe() })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!next.is_finished());
    drop(probe);
    assert!(next.await.unwrap(), "the next call is the probe now");
}

#[tokio::test(start_paused = true)]
async fn apis_have_separate_budgets() {
    let governor = Governor::with_wall_clock("us-east-1", Some(0.1), BASE_MS);
    for _ in 0..THROTTLES_TO_OPEN {
        let permit = governor.acquire("ListExecutions").await;
        governor.settle(permit, Outcome::Throttled);
    }
    let t0 = Instant::now();
    let permit = governor.acquire("DescribeExecution").await;
    assert_eq!(
        Instant::now(),
        t0,
        "another API's pause does not hold this one"
    );
    assert!(!permit.is_probe());
    assert_eq!(governor.share(), 0.1);
}
