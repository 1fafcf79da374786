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

/// Sorts durations ascending: a byte-wise radix sort over their spread (max − min), which
/// for a day of runs (a few seconds to minutes) is two or three passes, several times faster
/// than a comparison sort of 100,000 values, which was a seventh of a dashboard recompute.
/// `scratch` is working memory, kept by the caller between calls.
pub fn sort_durations(values: &mut Vec<Millis>, scratch: &mut Vec<Millis>) {
    const SMALL: usize = 256;
    if values.len() <= SMALL {
        values.sort_unstable();
        return;
    }
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return;
    };
    // The spread as an unsigned number: wrapping keeps it right across the whole i64 range.
    let spread = max.wrapping_sub(min) as u64;
    let passes = (u64::BITS - spread.leading_zeros()).div_ceil(8);
    scratch.clear();
    scratch.resize(values.len(), 0);
    for pass in 0..passes {
        let shift = pass * 8;
        let digit = |v: Millis| ((v.wrapping_sub(min) as u64 >> shift) & 0xff) as usize;
        let mut counts = [0usize; 256];
        for &v in values.iter() {
            counts[digit(v)] += 1;
        }
        let mut at = 0;
        for count in counts.iter_mut() {
            let here = *count;
            *count = at;
            at += here;
        }
        for &v in values.iter() {
            let slot = &mut counts[digit(v)];
            scratch[*slot] = v;
            *slot += 1;
        }
        std::mem::swap(values, scratch);
    }
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
