//! The effects runner: performs `Effect`s requested by `update` (backend calls on spawned
//! tasks, answering with `Msg`s), cancelling a superseded request of the same kind.

use crate::app::effect::Effect;
use crate::app::msg::Msg;
use crate::backend::Backend;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// What the runtime itself must do after an effect (things only the loop can do).
#[derive(Debug, Clone, PartialEq)]
pub enum LoopAction {
    None,
    Quit,
    Suspend,
    Copy(String),
    /// Hand the terminal to `$EDITOR` with this text, answer with `Msg::EditedExternally`.
    EditExternally(String),
}

/// Requests that supersede each other: a newer one of the same kind cancels the older one
/// still in flight (the app would drop its stale answer anyway; this saves the API call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RequestKind {
    ExecutionsRefresh,
    Execution,
    History,
}

pub struct EffectRunner {
    backend: Arc<dyn Backend>,
    inbox: UnboundedSender<Msg>,
    in_flight: HashMap<RequestKind, JoinHandle<()>>,
}

impl EffectRunner {
    pub fn new(backend: Arc<dyn Backend>, inbox: UnboundedSender<Msg>) -> Self {
        EffectRunner {
            backend,
            inbox,
            in_flight: HashMap::new(),
        }
    }

    /// Starts the effect; backend calls run concurrently and report through the inbox.
    pub fn run(&mut self, effect: Effect) -> LoopAction {
        let backend = Arc::clone(&self.backend);
        let inbox = self.inbox.clone();
        match effect {
            Effect::Quit => return LoopAction::Quit,
            Effect::Suspend => return LoopAction::Suspend,
            Effect::CopyToClipboard(text) => return LoopAction::Copy(text),
            Effect::EditExternally { text } => return LoopAction::EditExternally(text),
            Effect::LoadInput {
                generation,
                execution_arn,
            } => {
                tokio::spawn(async move {
                    let result = backend.describe_execution(&execution_arn).await;
                    let _ = inbox.send(Msg::InputLoaded { generation, result });
                });
            }
            Effect::SaveTestCase { path, test_case } => {
                // A few hundred bytes appended to a local file: done at once.
                let result = crate::config::append_test_case(&path, &test_case)
                    .map(|()| (test_case, path.display().to_string()));
                let _ = inbox.send(Msg::TestCaseSaved(result));
            }
            Effect::LoadStateMachines => {
                tokio::spawn(async move {
                    let result = backend.list_state_machines().await;
                    let _ = inbox.send(Msg::StateMachines(result));
                });
            }
            Effect::LoadExecutions {
                generation,
                append,
                request,
            } => {
                let task = tokio::spawn(async move {
                    let result = backend.list_executions(request).await;
                    let _ = inbox.send(Msg::Executions {
                        generation,
                        append,
                        result,
                    });
                });
                // Appending a page must not cancel the refresh of the first page and vice versa.
                if !append {
                    self.replace(RequestKind::ExecutionsRefresh, task);
                }
            }
            Effect::LoadExecution {
                generation,
                execution_arn,
            } => {
                let task = tokio::spawn(async move {
                    let result = backend.describe_execution(&execution_arn).await;
                    let _ = inbox.send(Msg::Execution { generation, result });
                });
                self.replace(RequestKind::Execution, task);
            }
            Effect::LoadHistory {
                generation,
                request,
            } => {
                let include_data = request.include_data;
                let task = tokio::spawn(async move {
                    let result = backend.get_execution_history(request).await;
                    let _ = inbox.send(Msg::History {
                        generation,
                        include_data,
                        result,
                    });
                });
                // A payload fetch (include_data) must not cancel the incremental poll.
                if !include_data {
                    self.replace(RequestKind::History, task);
                }
            }
            Effect::StartExecution(request) => {
                tokio::spawn(async move {
                    let result = backend.start_execution(request).await;
                    let _ = inbox.send(Msg::Started(result));
                });
            }
            Effect::StopExecution { execution_arn } => {
                tokio::spawn(async move {
                    let result = backend
                        .stop_execution(
                            &execution_arn,
                            Some("stepdeck.Stopped".into()),
                            Some("Stopped from the stepdeck console".into()),
                        )
                        .await;
                    let _ = inbox.send(Msg::Stopped {
                        execution_arn,
                        result,
                    });
                });
            }
        }
        LoopAction::None
    }

    fn replace(&mut self, kind: RequestKind, task: JoinHandle<()>) {
        if let Some(previous) = self.in_flight.insert(kind, task) {
            previous.abort();
        }
    }
}
