//! Reading an execution history within the API budget. A full read pages forward; following a
//! running execution pages *backwards* (`reverseOrder=true`) from the newest event and stops at
//! the first page that reaches an event already seen, so each poll costs one
//! `GetExecutionHistory` call while fewer than a page of events happened since the last one.
//!
//! The logic trusts nothing about the endpoint's paging: events are deduplicated by id and
//! sorted, never assumed to be ordered (moto ignores `reverseOrder`, `maxResults` and
//! `nextToken`), a page that brings no new event or a token seen before ends the paging, and
//! the number of pages is bounded. Pages come from an injected fetch function: the adapter's
//! SDK call, or a fake AWS in the tests below.

use crate::backend::{BackendError, BackendResult};
use crate::domain::history::HistoryEvent;
use std::collections::{BTreeMap, HashSet};
use std::future::Future;

/// One `GetExecutionHistory` request, as the paging logic asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPageRequest {
    pub reverse_order: bool,
    pub next_token: Option<String>,
    pub max_results: i32,
    pub include_data: bool,
}

/// One page as returned by the API.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryPage {
    pub events: Vec<HistoryEvent>,
    pub next_token: Option<String>,
}

/// Page sizes and the runaway guard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryPaging {
    /// Full reads: the API's maximum, fewest calls (a history has at most 25,000 events).
    pub forward_page_size: i32,
    /// Polls of a running execution: small responses, since a poll usually finds a handful of
    /// new events; more than this many since the last poll costs one more call.
    pub reverse_page_size: i32,
    /// No read takes more pages than this, whatever the endpoint answers.
    pub max_pages: usize,
}

impl Default for HistoryPaging {
    fn default() -> Self {
        HistoryPaging {
            forward_page_size: 1000,
            reverse_page_size: 100,
            max_pages: 1000,
        }
    }
}

/// Events with an id above `after_event_id` (all when None), ascending by id, each once.
pub async fn fetch_history<Fetch, Fut>(
    paging: &HistoryPaging,
    after_event_id: Option<i64>,
    include_data: bool,
    mut fetch_page: Fetch,
) -> BackendResult<Vec<HistoryEvent>>
where
    Fetch: FnMut(HistoryPageRequest) -> Fut,
    Fut: Future<Output = BackendResult<HistoryPage>>,
{
    let reverse_order = after_event_id.is_some();
    let known_up_to = after_event_id.unwrap_or(0);
    let mut collected: BTreeMap<i64, HistoryEvent> = BTreeMap::new();
    let mut tokens_seen: HashSet<String> = HashSet::new();
    let mut next_token: Option<String> = None;

    for _ in 0..paging.max_pages {
        let page = fetch_page(HistoryPageRequest {
            reverse_order,
            next_token: next_token.take(),
            max_results: if reverse_order {
                paging.reverse_page_size
            } else {
                paging.forward_page_size
            },
            include_data,
        })
        .await?;

        let page_was_empty = page.events.is_empty();
        let mut reached_known = false;
        let mut added = 0usize;
        for event in page.events {
            if event.id <= known_up_to {
                reached_known = true;
            } else if let std::collections::btree_map::Entry::Vacant(slot) =
                collected.entry(event.id)
            {
                slot.insert(event);
                added += 1;
            }
        }

        let Some(token) = page.next_token else {
            return Ok(collected.into_values().collect());
        };
        // Newest first: once a page reaches a known event, older pages hold only known ones.
        let done_following = reverse_order && reached_known;
        // An endpoint that ignores nextToken serves the same events again.
        let nothing_new = !page_was_empty && added == 0;
        let token_loop = !tokens_seen.insert(token.clone());
        if done_following || nothing_new || token_loop {
            return Ok(collected.into_values().collect());
        }
        next_token = Some(token);
    }
    Err(BackendError::Other(format!(
        "GetExecutionHistory paging did not end after {} pages",
        paging.max_pages
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::{EventDetails, EventType};
    use std::cell::RefCell;

    /// A recorded rider-photo run, event for event as Step Functions reports it: the Parallel's
    /// two branches interleave and chain back to `ParallelStateStarted` (id 9).
    fn recorded_pipeline_run() -> Vec<HistoryEvent> {
        use EventType::*;
        let rows: &[(i64, i64, EventType, Option<&str>)] = &[
            (1, 0, ExecutionStarted, None),
            (2, 1, TaskStateEntered, Some("FaceDetection")),
            (3, 2, TaskScheduled, None),
            (4, 3, TaskStarted, None),
            (5, 4, TaskSucceeded, None),
            (6, 5, TaskStateExited, Some("FaceDetection")),
            (7, 6, TaskStateEntered, Some("CheckFaceDuplicate")),
            (8, 7, TaskStateExited, Some("CheckFaceDuplicate")),
            (9, 8, ParallelStateEntered, Some("ParallelProcessing")),
            (10, 9, ParallelStateStarted, None),
            (11, 10, TaskStateEntered, Some("AddFaceToIndex")),
            (12, 10, TaskStateEntered, Some("Thumbnail")),
            (13, 11, TaskScheduled, None),
            (14, 12, TaskScheduled, None),
            (15, 13, TaskSucceeded, None),
            (16, 15, TaskStateExited, Some("AddFaceToIndex")),
            (17, 14, TaskSucceeded, None),
            (18, 17, TaskStateExited, Some("Thumbnail")),
            (19, 18, ParallelStateSucceeded, None),
            (20, 18, ParallelStateExited, Some("ParallelProcessing")),
            (21, 20, TaskStateEntered, Some("PersistMetadata")),
            (22, 21, TaskStateExited, Some("PersistMetadata")),
            (23, 22, ExecutionSucceeded, None),
        ];
        rows.iter()
            .map(|(id, previous, event_type, name)| {
                HistoryEvent::new(
                    *id,
                    *previous,
                    1_764_064_800_000 + id * 40,
                    event_type.clone(),
                )
                .with_details(EventDetails {
                    name: name.map(str::to_string),
                    ..EventDetails::default()
                })
            })
            .collect()
    }

    /// A long history (a Map over many items) for paging: `n` events with ids 1..=n.
    fn long_history(n: i64) -> Vec<HistoryEvent> {
        (1..=n)
            .map(|id| HistoryEvent::new(id, id - 1, id * 10, EventType::MapIterationSucceeded))
            .collect()
    }

    /// Paging as AWS does it: honours reverseOrder and maxResults, opaque tokens.
    struct FakeAws {
        events: Vec<HistoryEvent>,
        requests: RefCell<Vec<HistoryPageRequest>>,
    }

    impl FakeAws {
        fn new(events: Vec<HistoryEvent>) -> Self {
            FakeAws {
                events,
                requests: RefCell::new(Vec::new()),
            }
        }

        fn page(&self, request: HistoryPageRequest) -> BackendResult<HistoryPage> {
            self.requests.borrow_mut().push(request.clone());
            let mut ordered = self.events.clone();
            if request.reverse_order {
                ordered.reverse();
            }
            let start = match &request.next_token {
                None => 0,
                Some(token) => token
                    .strip_prefix("opaque-")
                    .and_then(|n| n.parse::<usize>().ok())
                    .ok_or_else(|| BackendError::Invalid("InvalidToken".into()))?,
            };
            let end = (start + request.max_results as usize).min(ordered.len());
            Ok(HistoryPage {
                events: ordered[start..end].to_vec(),
                next_token: (end < ordered.len()).then(|| format!("opaque-{end}")),
            })
        }

        fn calls(&self) -> usize {
            self.requests.borrow().len()
        }
    }

    fn run(
        paging: &HistoryPaging,
        after: Option<i64>,
        fetch: impl FnMut(HistoryPageRequest) -> std::future::Ready<BackendResult<HistoryPage>>,
    ) -> BackendResult<Vec<HistoryEvent>> {
        futures_util::FutureExt::now_or_never(fetch_history(paging, after, false, fetch))
            .expect("the fake answers at once")
    }

    fn ids(events: &[HistoryEvent]) -> Vec<i64> {
        events.iter().map(|e| e.id).collect()
    }

    #[test]
    fn a_full_read_pages_forward_through_every_page() {
        let aws = FakeAws::new(long_history(2_500));
        let events = run(&HistoryPaging::default(), None, |r| {
            std::future::ready(aws.page(r))
        })
        .unwrap();
        assert_eq!(ids(&events), (1..=2_500).collect::<Vec<_>>());
        assert_eq!(aws.calls(), 3);
        assert!(
            aws.requests
                .borrow()
                .iter()
                .all(|r| !r.reverse_order && r.max_results == 1000)
        );
    }

    #[test]
    fn following_costs_one_reverse_call_per_poll_and_returns_only_new_events() {
        let run_events = recorded_pipeline_run();
        // The execution as seen at successive polls: 2, 9, 16, then all 23 events.
        let mut last_seen: Option<i64> = None;
        let mut seen: Vec<i64> = Vec::new();
        for visible in [2usize, 9, 16, 23] {
            let aws = FakeAws::new(run_events[..visible].to_vec());
            let new = run(&HistoryPaging::default(), last_seen, |r| {
                std::future::ready(aws.page(r))
            })
            .unwrap();
            let new_ids = ids(&new);
            if let Some(known) = last_seen {
                assert!(
                    new_ids.iter().all(|id| *id > known),
                    "{new_ids:?} after {known}"
                );
                assert_eq!(aws.calls(), 1, "one call per poll");
                assert!(aws.requests.borrow()[0].reverse_order);
            }
            seen.extend(&new_ids);
            last_seen = seen.last().copied().or(last_seen);
        }
        assert_eq!(seen, (1..=23).collect::<Vec<_>>());
    }

    #[test]
    fn a_burst_larger_than_a_reverse_page_takes_one_more_call() {
        let aws = FakeAws::new(long_history(400));
        let paging = HistoryPaging::default(); // reverse pages of 100
        let events = run(&paging, Some(250), |r| std::future::ready(aws.page(r))).unwrap();
        assert_eq!(ids(&events), (251..=400).collect::<Vec<_>>());
        assert_eq!(aws.calls(), 2);
    }

    #[test]
    fn nothing_new_costs_one_call_and_returns_nothing() {
        let aws = FakeAws::new(recorded_pipeline_run());
        let events = run(&HistoryPaging::default(), Some(23), |r| {
            std::future::ready(aws.page(r))
        })
        .unwrap();
        assert!(events.is_empty());
        assert_eq!(aws.calls(), 1);
    }

    #[test]
    fn an_endpoint_ignoring_paging_parameters_still_yields_only_new_events_in_order() {
        // moto: every request returns the whole history ascending, no token.
        let history = recorded_pipeline_run();
        let calls = RefCell::new(0);
        let events = run(&HistoryPaging::default(), Some(10), |_| {
            *calls.borrow_mut() += 1;
            std::future::ready(Ok(HistoryPage {
                events: history.clone(),
                next_token: None,
            }))
        })
        .unwrap();
        assert_eq!(ids(&events), (11..=23).collect::<Vec<_>>());
        assert_eq!(*calls.borrow(), 1);
    }

    #[test]
    fn an_endpoint_repeating_the_same_page_with_a_token_does_not_loop() {
        let history = recorded_pipeline_run();
        let calls = RefCell::new(0);
        let events = run(&HistoryPaging::default(), None, |_| {
            *calls.borrow_mut() += 1;
            std::future::ready(Ok(HistoryPage {
                events: history.clone(),
                next_token: Some(format!("fresh-token-{}", calls.borrow())),
            }))
        })
        .unwrap();
        assert_eq!(ids(&events), (1..=23).collect::<Vec<_>>());
        assert_eq!(
            *calls.borrow(),
            2,
            "the second, identical page ends the read"
        );
    }

    #[test]
    fn alternating_tokens_are_caught() {
        let history = long_history(6);
        let calls = RefCell::new(0usize);
        let events = run(&HistoryPaging::default(), None, |r| {
            *calls.borrow_mut() += 1;
            // Pages A and B alternate forever: A (ids 1-3) -> token B, B (ids 4-6) -> token A.
            let (events, token) = if r.next_token.as_deref() == Some("B") {
                (history[3..].to_vec(), "A")
            } else {
                (history[..3].to_vec(), "B")
            };
            std::future::ready(Ok(HistoryPage {
                events,
                next_token: Some(token.into()),
            }))
        })
        .unwrap();
        assert_eq!(ids(&events), vec![1, 2, 3, 4, 5, 6]);
        assert!(*calls.borrow() <= 3, "{} calls", calls.borrow());
    }

    #[test]
    fn shuffled_and_duplicated_events_come_back_sorted_once() {
        let mut shuffled = recorded_pipeline_run();
        shuffled.swap(0, 20);
        shuffled.swap(5, 11);
        shuffled.extend(recorded_pipeline_run()[15..].to_vec());
        let events = run(&HistoryPaging::default(), Some(4), |_| {
            std::future::ready(Ok(HistoryPage {
                events: shuffled.clone(),
                next_token: None,
            }))
        })
        .unwrap();
        assert_eq!(ids(&events), (5..=23).collect::<Vec<_>>());
        // Kept intact: the branch events still chain to ParallelStateStarted.
        let thumbnail = events.iter().find(|e| e.id == 12).unwrap();
        assert_eq!(thumbnail.previous_event_id, 10);
        assert_eq!(thumbnail.details.name.as_deref(), Some("Thumbnail"));
    }

    #[test]
    fn empty_pages_with_new_tokens_are_followed_but_bounded() {
        let paging = HistoryPaging {
            max_pages: 5,
            ..HistoryPaging::default()
        };
        let calls = RefCell::new(0usize);
        let result = run(&paging, None, |_| {
            *calls.borrow_mut() += 1;
            std::future::ready(Ok(HistoryPage {
                events: vec![],
                next_token: Some(format!("t{}", calls.borrow())),
            }))
        });
        assert!(matches!(result, Err(BackendError::Other(m)) if m.contains("5 pages")));
        assert_eq!(*calls.borrow(), 5);
    }

    #[test]
    fn errors_of_a_page_are_returned() {
        let result = run(&HistoryPaging::default(), Some(3), |_| {
            std::future::ready(Err(BackendError::AccessDenied {
                action: "states:GetExecutionHistory".into(),
                message: "denied".into(),
            }))
        });
        assert!(matches!(result, Err(BackendError::AccessDenied { .. })));
    }
}
