//! Exact percentiles by the nearest-rank method over durations kept sorted: the p-th
//! percentile of n values is the value at rank ⌈p·n/100⌉ (1-based). Exact, so a test can check
//! it by hand; cheap, because the tallies keep their durations sorted as they arrive.

use crate::domain::Millis;

/// The value at rank ⌈p·n/100⌉ of `sorted` (ascending); None when empty. `p` is clamped to
/// 0..=100, and p = 0 gives the smallest.
pub fn nearest_rank(sorted: &[Millis], p: f64) -> Option<Millis> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 100.0) };
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, n) - 1])
}

/// p50 / p95 / p99 / max of a set of durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percentiles {
    pub p50: Millis,
    pub p95: Millis,
    pub p99: Millis,
    pub max: Millis,
}

impl Percentiles {
    pub fn of(sorted: &[Millis]) -> Option<Percentiles> {
        Some(Percentiles {
            p50: nearest_rank(sorted, 50.0)?,
            p95: nearest_rank(sorted, 95.0)?,
            p99: nearest_rank(sorted, 99.0)?,
            max: *sorted.last()?,
        })
    }
}

/// Puts `value` into `sorted`, keeping it sorted.
pub(super) fn insert_sorted(sorted: &mut Vec<Millis>, value: Millis) {
    let at = sorted.partition_point(|&v| v <= value);
    sorted.insert(at, value);
}

/// Takes one `value` out of `sorted`; false when it was not there.
pub(super) fn remove_sorted(sorted: &mut Vec<Millis>, value: Millis) -> bool {
    match sorted.binary_search(&value) {
        Ok(at) => {
            sorted.remove(at);
            true
        }
        Err(_) => false,
    }
}
