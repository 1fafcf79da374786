//! Counting the API calls the console makes, per operation (every attempt, retries included),
//! with the times of the latest ones, so the budget it spends on the user's account can be
//! shown and tested.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use tokio::time::Instant;

/// Send times kept per operation: enough to measure the rate over minutes, bounded in memory.
const TIMES_KEPT: usize = 4096;

/// Calls per operation since the backend was created. Shared with whoever displays it.
#[derive(Debug, Default)]
pub struct ApiCallStats {
    calls: Mutex<BTreeMap<&'static str, u64>>,
    times: Mutex<BTreeMap<&'static str, VecDeque<Instant>>>,
}

impl ApiCallStats {
    pub fn new() -> Self {
        ApiCallStats::default()
    }

    /// One request of `operation` (e.g. `GetExecutionHistory`) is about to be sent.
    pub fn record(&self, operation: &'static str) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        *calls.entry(operation).or_insert(0) += 1;
        let mut times = self.times.lock().unwrap_or_else(|p| p.into_inner());
        let kept = times.entry(operation).or_default();
        if kept.len() == TIMES_KEPT {
            kept.pop_front();
        }
        kept.push_back(Instant::now());
    }

    /// When the latest calls of one operation were sent (at most `TIMES_KEPT`), oldest first.
    pub fn sent_at(&self, operation: &str) -> Vec<Instant> {
        let times = self.times.lock().unwrap_or_else(|p| p.into_inner());
        times
            .get(operation)
            .map(|kept| kept.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Calls of one operation so far.
    pub fn count(&self, operation: &str) -> u64 {
        let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        calls.get(operation).copied().unwrap_or(0)
    }

    /// All operations called so far with their counts, by name.
    pub fn snapshot(&self) -> Vec<(String, u64)> {
        let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        calls.iter().map(|(op, n)| (op.to_string(), *n)).collect()
    }

    pub fn total(&self) -> u64 {
        let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        calls.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_operation() {
        let stats = ApiCallStats::new();
        stats.record("ListExecutions");
        stats.record("GetExecutionHistory");
        stats.record("GetExecutionHistory");
        assert_eq!(stats.count("GetExecutionHistory"), 2);
        assert_eq!(stats.count("DescribeExecution"), 0);
        assert_eq!(stats.total(), 3);
        assert_eq!(
            stats.snapshot(),
            vec![
                ("GetExecutionHistory".to_string(), 2),
                ("ListExecutions".to_string(), 1)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn keeps_the_latest_send_times_per_operation() {
        let stats = ApiCallStats::new();
        let t0 = Instant::now();
        for _ in 0..TIMES_KEPT + 3 {
            stats.record("DescribeExecution");
            tokio::time::advance(std::time::Duration::from_millis(10)).await;
        }
        let times = stats.sent_at("DescribeExecution");
        assert_eq!(times.len(), TIMES_KEPT);
        assert_eq!(times[0], t0 + std::time::Duration::from_millis(30));
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        assert!(stats.sent_at("ListExecutions").is_empty());
        assert_eq!(stats.count("DescribeExecution"), TIMES_KEPT as u64 + 3);
    }
}
