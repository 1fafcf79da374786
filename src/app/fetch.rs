//! `Fetch`: the bookkeeping of one kind of request a screen makes again and again (a list
//! refresh, a page, a history poll): the generation in flight, when it was sent, whether the
//! API was refused. The policy — intervals, what a refusal stops — stays with each screen.

use crate::app::msg::Generation;
use crate::domain::Millis;

/// One kind of request. `T` tags the request in flight with what it is for (e.g. whether a
/// page appends or reloads from the top); `()` when there is nothing to tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetch<T = ()> {
    /// The request out, and its tag. Answers of any other generation are stale.
    pub in_flight: Option<(Generation, T)>,
    /// When the last request went out: the next one is due an interval later.
    pub sent_at: Option<Millis>,
    /// The IAM action refused (`states:GetExecutionHistory`): not asked again on its own.
    pub denied: Option<String>,
}

impl<T> Default for Fetch<T> {
    fn default() -> Self {
        Fetch {
            in_flight: None,
            sent_at: None,
            denied: None,
        }
    }
}

impl<T> Fetch<T> {
    /// A request of `generation` went out at `now`.
    pub fn begin(&mut self, generation: Generation, now: Millis, tag: T) {
        self.in_flight = Some((generation, tag));
        self.sent_at = Some(now);
    }

    pub fn busy(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The generation in flight, if any.
    pub fn generation(&self) -> Option<Generation> {
        self.in_flight.as_ref().map(|(g, _)| *g)
    }

    /// Takes an answer of `generation`: its tag when it is the request in flight (which is
    /// then done), None when it is stale.
    pub fn accept(&mut self, generation: Generation) -> Option<T> {
        match &self.in_flight {
            Some((expected, _)) if *expected == generation => self.in_flight.take().map(|(_, t)| t),
            _ => None,
        }
    }

    /// When the next request is due, `interval` after the last one (now if none went out);
    /// None while one is out or the API was refused. Saturating: a huge interval means "not
    /// for a long time", never a time that wrapped into the past.
    pub fn due(&self, now: Millis, interval: Millis) -> Option<Millis> {
        if self.busy() || self.denied.is_some() {
            return None;
        }
        Some(self.sent_at.map_or(now, |t| t.saturating_add(interval)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_request_in_flight_is_accepted_and_only_once() {
        let mut fetch: Fetch<bool> = Fetch::default();
        assert_eq!(fetch.due(100, 50), Some(100), "never sent: due now");
        fetch.begin(7, 100, true);
        assert_eq!(fetch.due(120, 50), None, "one is out");
        assert_eq!(fetch.accept(6), None, "stale");
        assert_eq!(fetch.accept(7), Some(true));
        assert_eq!(fetch.accept(7), None, "already taken");
        assert_eq!(fetch.due(120, 50), Some(150));
        fetch.denied = Some("states:ListExecutions".into());
        assert_eq!(
            fetch.due(200, 50),
            None,
            "refused: not asked again on its own"
        );
    }

    #[test]
    fn a_huge_interval_is_due_late_not_in_the_past() {
        let mut fetch: Fetch = Fetch::default();
        fetch.begin(1, 100, ());
        fetch.accept(1);
        assert_eq!(fetch.due(200, Millis::MAX), Some(Millis::MAX));
    }
}
