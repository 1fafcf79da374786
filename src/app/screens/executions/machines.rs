//! The state machines the executions screen lists from: the listing, its retry after a
//! failure, the `--state-machine` ARN when listing is refused, and which one is selected.

use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::notice::NoticeLevel;
use crate::backend::BackendError;
use crate::domain::Millis;
use crate::domain::execution::StateMachineSummary;

/// How often a failed `ListStateMachines` is asked again: without it nothing else can load.
pub const STATE_MACHINES_RETRY_MS: Millis = 5_000;

/// Listing the state machines failed (the list area says so).
#[derive(Debug, Clone, PartialEq)]
pub struct StateMachinesProblem {
    pub text: String,
    pub at: Millis,
    /// Asked again every `STATE_MACHINES_RETRY_MS` (a network drop, throttling, an outage).
    pub retried: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Machines {
    pub all: Vec<StateMachineSummary>,
    /// Index into `all`.
    pub selected: Option<usize>,
    pub loaded: bool,
    /// Why there is no state machine to show, since when, and whether it is worth asking
    /// again on its own (not when refused: that needs a change of permissions).
    pub problem: Option<StateMachinesProblem>,
    /// A `ListStateMachines` retry is out.
    pub in_flight: bool,
}

impl Machines {
    pub fn current(&self) -> Option<&StateMachineSummary> {
        self.selected.and_then(|i| self.all.get(i))
    }

    /// When a failed state machine listing is asked again.
    pub fn due_at(&self, refresh_interval: Millis) -> Option<Millis> {
        match &self.problem {
            Some(problem) if problem.retried && !self.in_flight => {
                let wait = STATE_MACHINES_RETRY_MS.max(refresh_interval);
                Some(problem.at.saturating_add(wait))
            }
            _ => None,
        }
    }

    /// Lists the state machines again (after a failure), unless that is under way.
    pub fn reload(&mut self) -> Vec<Effect> {
        if self.in_flight {
            return Vec::new();
        }
        self.in_flight = true;
        vec![Effect::LoadStateMachines]
    }

    fn refused(&mut self, cx: &mut Ctx, text: String) {
        cx.notify(NoticeLevel::Error, text.clone());
        self.problem = Some(StateMachinesProblem {
            text,
            at: cx.now,
            retried: false,
        });
    }
}

/// The state machines arrived (or not): the one to select, if any — the one selected before,
/// else the one named at start, else the first.
pub fn on_listed(
    m: &mut Machines,
    cx: &mut Ctx,
    result: Result<Vec<StateMachineSummary>, BackendError>,
) -> Option<usize> {
    m.in_flight = false;
    let machines = match result {
        Ok(machines) => machines,
        Err(BackendError::AccessDenied { action, .. }) => {
            return without_listing(m, cx, &action);
        }
        Err(e) => {
            let text = format!("listing state machines failed: {e}");
            cx.notify(NoticeLevel::Error, text.clone());
            if m.current().is_none() {
                m.problem = Some(StateMachinesProblem {
                    text,
                    at: cx.now,
                    retried: true,
                });
            }
            return None;
        }
    };
    m.problem = None;
    let current_arn = m.current().map(|s| s.arn.clone());
    m.all = machines;
    m.loaded = true;
    if m.all.is_empty() {
        m.selected = None;
        cx.notify(NoticeLevel::Info, "no state machines found");
        return None;
    }
    let by_arn = current_arn.and_then(|arn| m.all.iter().position(|s| s.arn == arn));
    let wanted = cx.options.state_machine.clone();
    let by_option = wanted
        .as_ref()
        .and_then(|w| m.all.iter().position(|s| &s.name == w || &s.arn == w));
    if let (Some(w), None, None) = (&wanted, by_arn, by_option) {
        cx.notify(
            NoticeLevel::Error,
            format!("state machine `{w}` not found; showing the first one"),
        );
    }
    Some(by_arn.or(by_option).unwrap_or(0))
}

/// `ListStateMachines` is denied: a `--state-machine` ARN is enough to go on (its
/// executions may well be readable); a bare name cannot be resolved without the list.
fn without_listing(m: &mut Machines, cx: &mut Ctx, action: &str) -> Option<usize> {
    let wanted = cx.options.state_machine.clone();
    let from_arn = wanted.as_deref().and_then(StateMachineSummary::from_arn);
    match (wanted, from_arn) {
        (_, Some(summary)) => {
            m.all = vec![summary];
            m.loaded = true;
            m.selected = None;
            cx.notify(
                NoticeLevel::Info,
                format!("{action} denied; using ARN from --state-machine"),
            );
            Some(0)
        }
        (Some(name), None) => {
            m.refused(
                cx,
                format!(
                    "{action} denied: `{name}` cannot be looked up by name; pass the full \
                     ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:{name}) with \
                     --state-machine"
                ),
            );
            None
        }
        (None, None) => {
            m.refused(
                cx,
                format!("{action} denied: pass the state machine's ARN with --state-machine"),
            );
            None
        }
    }
}
