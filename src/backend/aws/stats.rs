//! Counting the API calls the console makes, per operation (every attempt, retries included),
//! so the budget it spends on the user's account can be shown and tested.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Calls per operation since the backend was created. Shared with whoever displays it.
#[derive(Debug, Default)]
pub struct ApiCallStats {
    calls: Mutex<BTreeMap<&'static str, u64>>,
}

impl ApiCallStats {
    pub fn new() -> Self {
        ApiCallStats::default()
    }

    /// One request of `operation` (e.g. `GetExecutionHistory`) is about to be sent.
    pub fn record(&self, operation: &'static str) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        *calls.entry(operation).or_insert(0) += 1;
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
}
