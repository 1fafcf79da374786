//! What the sandbox is started with (seed, trickle, failure rate) and the bounds those
//! options are held to, whoever passes them: the flags, the settings file or a test.

use crate::domain::Millis;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Wall-clock ms at sandbox start; tests pass a fixed value.
    pub epoch_base_ms: Millis,
    pub rng_seed: u64,
    /// Run the four seed test cases (and one thumbnail backfill) at start.
    pub seed_runs: bool,
    /// Record a day of runs before the start (see `backfill`), so there is history to look at.
    pub backfill: bool,
    /// Start a new run periodically; None = off.
    pub trickle_every: Option<Duration>,
    /// Chance that a Lambda call throws `Lambda.ServiceException` (absorbed by the retry).
    pub transient_failure_rate: f64,
}

/// The shortest time between two trickle runs. Each run is a pipeline of several tasks; much
/// faster (`--trickle 0.001`) and the sandbox keeps a core busy for a demo nobody can follow.
pub const MIN_TRICKLE_INTERVAL: Duration = Duration::from_secs(1);
/// The longest: a day (a longer wait is a trickle turned off, which 0 says).
pub const MAX_TRICKLE_INTERVAL: Duration = Duration::from_secs(86_400);

/// The trickle interval for `seconds` between runs: 0 turns it off; else a finite number from
/// the floor to a day. The error says why not, in words for a flag or a setting.
pub fn trickle_interval(seconds: f64) -> Result<Option<Duration>, String> {
    let (min, max) = (
        MIN_TRICKLE_INTERVAL.as_secs_f64(),
        MAX_TRICKLE_INTERVAL.as_secs_f64(),
    );
    if seconds == 0.0 {
        Ok(None)
    } else if seconds.is_finite() && (min..=max).contains(&seconds) {
        Ok(Some(Duration::from_secs_f64(seconds)))
    } else {
        Err(format!(
            "seconds between runs: 0 (no trickle) or a number from {min} to {max}"
        ))
    }
}

impl SandboxOptions {
    /// These options made safe to run whatever the caller passed: a trickle between the floor
    /// and a day, a failure rate in 0..=1 (NaN: no failures). `random_bool` panics outside
    /// 0..=1 and a zero interval panics `tokio::time::interval`.
    pub fn bounded(self) -> SandboxOptions {
        let rate = self.transient_failure_rate;
        SandboxOptions {
            trickle_every: self
                .trickle_every
                .map(|every| every.clamp(MIN_TRICKLE_INTERVAL, MAX_TRICKLE_INTERVAL)),
            transient_failure_rate: if rate.is_nan() {
                0.0
            } else {
                rate.clamp(0.0, 1.0)
            },
            ..self
        }
    }
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            epoch_base_ms: chrono::Utc::now().timestamp_millis(),
            rng_seed: 0x5eed_5a1d_b0c5,
            seed_runs: true,
            backfill: true,
            trickle_every: Some(Duration::from_secs(8)),
            transient_failure_rate: 0.1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trickle_is_off_or_between_the_floor_and_a_day() {
        assert_eq!(trickle_interval(0.0), Ok(None));
        assert_eq!(
            trickle_interval(2.5),
            Ok(Some(Duration::from_millis(2_500)))
        );
        assert_eq!(trickle_interval(86_400.0), Ok(Some(MAX_TRICKLE_INTERVAL)));
        for refused in [f64::NAN, f64::INFINITY, -1.0, 0.001, 0.5, 1e20, 86_401.0] {
            let why = trickle_interval(refused).expect_err("refused");
            assert!(
                why.contains("0 (no trickle) or a number from 1 to 86400"),
                "{why}"
            );
        }
    }

    #[test]
    fn options_passed_in_are_held_to_their_bounds() {
        let bounded = |trickle_every, transient_failure_rate| {
            SandboxOptions {
                trickle_every,
                transient_failure_rate,
                ..SandboxOptions::default()
            }
            .bounded()
        };
        let fast = bounded(Some(Duration::ZERO), f64::NAN);
        assert_eq!(fast.trickle_every, Some(MIN_TRICKLE_INTERVAL));
        assert_eq!(fast.transient_failure_rate, 0.0);
        let slow = bounded(Some(Duration::MAX), 7.0);
        assert_eq!(slow.trickle_every, Some(MAX_TRICKLE_INTERVAL));
        assert_eq!(slow.transient_failure_rate, 1.0);
        let off = bounded(None, -0.5);
        assert_eq!(off.trickle_every, None);
        assert_eq!(off.transient_failure_rate, 0.0);
    }
}
