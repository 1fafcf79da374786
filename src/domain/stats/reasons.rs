//! Why runs were rejected or failed, counted per reason and per bucket, ranked most frequent
//! first, with a trend (the later half of the window against the earlier half).

use crate::domain::execution::{Outcome, error_message_from_cause};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReasonKind {
    /// A photo the pipeline turned down (a caught error).
    Rejection = 0,
    /// A run that failed, timed out or was aborted.
    Failure,
}

/// A reason as the executions list's filter finds it: the text is part of the outcome label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reason {
    pub kind: ReasonKind,
    /// `Face is wearing sunglasses`, `DynamoDB.ResourceNotFoundException: …`.
    pub text: String,
}

impl Reason {
    /// The reason of a rejected or failed run; None for one accepted or running.
    pub fn of(outcome: &Outcome) -> Option<Reason> {
        let (kind, text) = Reason::borrowed(outcome)?;
        Some(Reason {
            kind,
            text: text.into_owned(),
        })
    }

    /// `of` without a copy where the text is the outcome's own (a rejection's message, an
    /// error's name): counting a hundred thousand runs then allocates once per reason.
    pub fn borrowed(outcome: &Outcome) -> Option<(ReasonKind, Cow<'_, str>)> {
        match outcome {
            Outcome::Completed => None,
            Outcome::Rejected {
                state,
                error,
                message,
            } => Some((
                ReasonKind::Rejection,
                match (message.is_empty(), error.is_empty()) {
                    (false, _) => Cow::Borrowed(message),
                    (true, false) => Cow::Borrowed(error),
                    // A catch that kept no error: where it was caught is all there is to say.
                    (true, true) => Cow::Owned(format!("caught in {state}")),
                },
            )),
            Outcome::Error { error, cause } => {
                if cause.is_empty() {
                    return Some((ReasonKind::Failure, Cow::Borrowed(error)));
                }
                let message = error_message_from_cause(cause).unwrap_or_else(|| cause.clone());
                // The error name is the reason; a long free-text cause would split one
                // reason into as many rows as there are request ids.
                let text = if message.is_empty() || message.len() > 80 {
                    Cow::Borrowed(error.as_str())
                } else {
                    Cow::Owned(format!("{error}: {message}"))
                };
                Some((ReasonKind::Failure, text))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// Only in the later half of the window.
    New,
    Rising,
    Steady,
    Falling,
    /// Only in the earlier half: it stopped.
    Gone,
}

impl Trend {
    pub fn arrow(self) -> &'static str {
        match self {
            Trend::New => "new",
            Trend::Rising => "↑",
            Trend::Steady => "→",
            Trend::Falling => "↓",
            Trend::Gone => "gone",
        }
    }

    /// A change counts when it is at least a quarter and at least two runs.
    pub fn of(earlier: u32, later: u32) -> Trend {
        match (earlier, later) {
            (0, 0) => Trend::Steady,
            (0, _) => Trend::New,
            (_, 0) => Trend::Gone,
            (e, l) if l >= e + 2 && l * 4 >= e * 5 => Trend::Rising,
            (e, l) if e >= l + 2 && e * 4 >= l * 5 => Trend::Falling,
            _ => Trend::Steady,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReasonTally {
    pub reason: Reason,
    pub count: u32,
    /// Runs per bucket of the window.
    pub per_bucket: Vec<u32>,
}

impl ReasonTally {
    pub fn trend(&self) -> Trend {
        let half = self.per_bucket.len() / 2;
        let earlier: u32 = self.per_bucket[..half].iter().sum();
        // With an odd count the middle bucket belongs to neither half.
        let later: u32 = self.per_bucket[self.per_bucket.len() - half..].iter().sum();
        Trend::of(earlier, later)
    }
}

/// Most frequent first; ties by text, so the order is stable.
pub(super) fn rank<'a>(
    tallies: impl Iterator<Item = &'a ReasonTally>,
    kind: ReasonKind,
) -> Vec<&'a ReasonTally> {
    let mut ranked: Vec<&ReasonTally> = tallies
        .filter(|t| t.reason.kind == kind && t.count > 0)
        .collect();
    ranked.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.reason.text.cmp(&b.reason.text))
    });
    ranked
}
