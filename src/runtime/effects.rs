//! The effects runner: performs `Effect`s requested by `update` (backend calls on spawned
//! tasks, answering with `Msg`s), cancelling a superseded request of the same kind.

use crate::app::effect::Effect;
use crate::app::msg::Msg;
use crate::backend::Backend;
use ratatui_image::picker::Picker;
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
    /// Connect with this AWS profile (and region), then switch the console over.
    Reconnect {
        profile: String,
        region: Option<String>,
    },
}

/// Requests that supersede each other: a newer one of the same kind cancels the older one
/// still in flight (the app would drop its stale answer anyway; this saves the API call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RequestKind {
    ExecutionsRefresh,
    Execution,
    History,
    /// The preview of the object under the cursor: a newer one replaces it.
    Preview,
}

pub struct EffectRunner {
    backend: Arc<dyn Backend>,
    inbox: UnboundedSender<Msg>,
    in_flight: HashMap<RequestKind, JoinHandle<()>>,
    /// Encodes previews for the terminal's graphics protocol (half-blocks until told).
    picker: Arc<Picker>,
}

impl EffectRunner {
    pub fn new(backend: Arc<dyn Backend>, inbox: UnboundedSender<Msg>) -> Self {
        EffectRunner {
            backend,
            inbox,
            in_flight: HashMap::new(),
            picker: Arc::new(Picker::halfblocks()),
        }
    }

    /// Sends every later effect to `backend` and its answers to `inbox`, abandoning the
    /// requests in flight (their answers, from the old connection, must not reach the app).
    pub fn replace_backend(&mut self, backend: Arc<dyn Backend>, inbox: UnboundedSender<Msg>) {
        for (_, task) in self.in_flight.drain() {
            task.abort();
        }
        self.backend = backend;
        self.inbox = inbox;
    }

    /// Uses the picker detected for the terminal (kitty, sixel, iTerm2 or half-blocks).
    pub fn set_picker(&mut self, picker: Picker) {
        self.picker = Arc::new(picker);
    }

    /// Starts the effect; backend calls run concurrently and report through the inbox.
    pub fn run(&mut self, effect: Effect) -> LoopAction {
        let backend = Arc::clone(&self.backend);
        match effect {
            Effect::Quit => return LoopAction::Quit,
            Effect::Suspend => return LoopAction::Suspend,
            Effect::CopyToClipboard(text) => return LoopAction::Copy(text),
            Effect::EditExternally { text } => return LoopAction::EditExternally(text),
            Effect::Reconnect { profile, region } => {
                return LoopAction::Reconnect { profile, region };
            }
            Effect::RememberChoice {
                path,
                target,
                choice,
                value,
            } => {
                // A few lines of a local file: done at once.
                let result = crate::settings::remember_choice(&path, &target, choice, &value);
                let _ = self.inbox.send(Msg::ChoiceRemembered(result));
            }
            Effect::SuiteStep {
                generation,
                suite,
                request,
                target,
            } => self.spawn(
                None,
                super::suite_steps::perform(backend, generation, suite, request, target),
            ),
            Effect::LoadInput {
                generation,
                execution_arn,
            } => self.spawn(None, async move {
                let result = backend.describe_execution(&execution_arn).await;
                Msg::InputLoaded { generation, result }
            }),
            Effect::SaveTestCase { path, test_case } => {
                // A few hundred bytes appended to a local file: done at once.
                let result = crate::settings::append_test_case(&path, &test_case)
                    .map(|()| (test_case, path.display().to_string()));
                let _ = self.inbox.send(Msg::TestCaseSaved(result));
            }
            Effect::WriteFile {
                path,
                contents,
                what,
            } => {
                // A local file of at most a few MB: written at once.
                let result = write_new_file(&path, &contents);
                let _ = self.inbox.send(Msg::FileWritten { what, result });
            }
            Effect::DescribeRow {
                execution_arn,
                listed_status,
            } => self.spawn(None, async move {
                let result = backend.describe_execution(&execution_arn).await;
                Msg::RowDescribed {
                    execution_arn,
                    listed_status,
                    result,
                }
            }),
            Effect::LoadCallerIdentity => self.spawn(None, async move {
                Msg::CallerIdentity(backend.caller_identity().await)
            }),
            Effect::RecordVerdict(verdict) => {
                tokio::spawn(async move { backend.record_verdict(verdict).await });
            }
            Effect::LoadVerdictHistory { suites } => self.spawn(None, async move {
                let mut kept = Vec::new();
                for suite in suites {
                    match backend.verdict_history(&suite).await {
                        Ok(verdicts) => kept.extend(verdicts),
                        Err(error) => return Msg::VerdictHistory(Err(error)),
                    }
                }
                Msg::VerdictHistory(Ok(kept))
            }),
            Effect::LoadStoreReport => self.spawn(None, async move {
                Msg::StoreReport(backend.store_report().await)
            }),
            Effect::LoadStateMachines => self.spawn(None, async move {
                Msg::StateMachines(backend.list_state_machines().await)
            }),
            Effect::LoadExecutions {
                generation,
                append,
                request,
            } => {
                // Appending a page must not cancel the refresh of the first page and vice versa.
                let kind = (!append).then_some(RequestKind::ExecutionsRefresh);
                self.spawn(kind, async move {
                    let result = backend.list_executions(request).await;
                    Msg::Executions {
                        generation,
                        append,
                        result,
                    }
                })
            }
            Effect::LoadExecution {
                generation,
                execution_arn,
            } => self.spawn(Some(RequestKind::Execution), async move {
                let result = backend.describe_execution(&execution_arn).await;
                Msg::Execution { generation, result }
            }),
            Effect::LoadDefinition {
                generation,
                execution_arn,
            } => self.spawn(None, async move {
                let result = backend
                    .describe_state_machine_for_execution(&execution_arn)
                    .await;
                Msg::Definition { generation, result }
            }),
            Effect::LoadHistory {
                generation,
                request,
            } => {
                let include_data = request.include_data;
                // A payload fetch (include_data) must not cancel the incremental poll.
                let kind = (!include_data).then_some(RequestKind::History);
                self.spawn(kind, async move {
                    let result = backend.get_execution_history(request).await;
                    Msg::History {
                        generation,
                        include_data,
                        result,
                    }
                })
            }
            Effect::LoadStatsHistory {
                generation,
                execution_arn,
            } => self.spawn(None, async move {
                let result = backend
                    .get_execution_history(crate::backend::HistoryRequest {
                        execution_arn: execution_arn.clone(),
                        after_event_id: None,
                        include_data: false,
                    })
                    .await;
                Msg::StatsHistory {
                    generation,
                    execution_arn,
                    result,
                }
            }),
            Effect::StartExecution(request) => self.spawn(None, async move {
                let result = backend.start_execution(request.clone()).await;
                Msg::Started { request, result }
            }),
            Effect::ReconcileStart {
                execution_arn,
                request,
            } => self.spawn(None, async move {
                let result = backend.describe_execution(&execution_arn).await;
                Msg::StartReconciled { request, result }
            }),
            Effect::ReconcileControl {
                control,
                execution_arn,
                redrives_before,
            } => self.spawn(None, async move {
                let result = backend.describe_execution(&execution_arn).await;
                Msg::ControlReconciled {
                    control,
                    execution_arn,
                    redrives_before,
                    result,
                }
            }),
            Effect::LoadFaces {
                generation,
                collection,
                next_token,
                page_size,
            } => self.spawn(None, async move {
                let result = backend.list_faces(&collection, next_token, page_size).await;
                Msg::Faces { generation, result }
            }),
            Effect::LoadLookalikeSearches { collection } => self.spawn(None, async move {
                let result = backend.lookalike_searches(&collection).await;
                Msg::KeptLookalikeSearches { collection, result }
            }),
            Effect::KeepLookalikeSearch { collection, search } => {
                tokio::spawn(
                    async move { backend.record_lookalike_search(&collection, search).await },
                );
            }
            Effect::DescribeCollection {
                generation,
                collection,
            } => self.spawn(None, async move {
                let result = backend.describe_collection(&collection).await;
                Msg::CollectionDescribed { generation, result }
            }),
            Effect::SearchFacesByImage {
                generation,
                collection,
                bucket,
                key,
                threshold,
            } => self.spawn(None, async move {
                let result = backend
                    .search_faces_by_image(&collection, &bucket, &key, threshold)
                    .await;
                Msg::FacesByImage { generation, result }
            }),
            Effect::SearchFaces {
                generation,
                collection,
                face_id,
                threshold,
            } => self.spawn(None, async move {
                let result = backend.search_faces(&collection, &face_id, threshold).await;
                Msg::FaceMatches {
                    generation,
                    face_id,
                    result,
                }
            }),
            Effect::DeleteFaces {
                generation,
                collection,
                face_ids,
            } => self.spawn(None, async move {
                let result = backend.delete_faces(&collection, &face_ids).await;
                Msg::FacesDeleted { generation, result }
            }),
            Effect::AppendJournal {
                generation,
                path,
                lines,
            } => {
                let inbox = self.inbox.clone();
                tokio::spawn(async move {
                    let written = {
                        let (path, lines) = (path.clone(), lines.clone());
                        tokio::task::spawn_blocking(move || {
                            super::journal::append_lines(&path, &lines)
                        })
                        .await
                        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
                    };
                    let result = match written {
                        Ok(offset) => {
                            // The file is the record; its index in the store is a help.
                            backend.index_journal(&path, offset, &lines).await;
                            Ok(path.display().to_string())
                        }
                        Err(e) => Err(format!("{}: {e}", path.display())),
                    };
                    let _ = inbox.send(Msg::JournalWritten { generation, result });
                });
            }
            Effect::LoadBuckets { generation } => self.spawn(None, async move {
                let result = backend.list_buckets().await;
                Msg::Buckets { generation, result }
            }),
            Effect::LoadObjects {
                generation,
                bucket,
                continuation,
                page_size,
            } => self.spawn(None, async move {
                let result = backend
                    .list_objects(&bucket, None, continuation, page_size)
                    .await;
                Msg::Objects { generation, result }
            }),
            Effect::LoadPreview {
                generation,
                bucket,
                key,
                cells,
            } => {
                let picker = Arc::clone(&self.picker);
                self.spawn(Some(RequestKind::Preview), async move {
                    let result = match backend.get_object(&bucket, &key).await {
                        Ok(body) => tokio::task::spawn_blocking(move || {
                            super::preview::encode(&picker, &body.bytes, cells)
                        })
                        .await
                        .unwrap_or_else(|e| {
                            Err(crate::app::msg::PreviewFailure {
                                message: format!("preview task failed: {e}"),
                            })
                        }),
                        Err(e) => Err(crate::app::msg::PreviewFailure {
                            message: format!("cannot fetch: {e}"),
                        }),
                    };
                    Msg::Preview {
                        generation,
                        key,
                        result,
                    }
                })
            }
            Effect::DeleteObject {
                generation,
                bucket,
                key,
            } => self.spawn(None, async move {
                let result = backend.delete_object(&bucket, &key).await;
                Msg::ObjectDeleted { generation, result }
            }),
            Effect::ReconcileFaces {
                generation,
                collection,
                face_ids,
            } => self.spawn(None, async move {
                let result = still_present(backend.as_ref(), &collection, face_ids).await;
                Msg::FacesReconciled { generation, result }
            }),
            Effect::ReconcileObject {
                generation,
                bucket,
                key,
            } => self.spawn(None, async move {
                // In key order, the key itself comes first among those it prefixes.
                let result = backend
                    .list_objects(&bucket, Some(&key), None, 1)
                    .await
                    .map(|page| page.items.iter().any(|o| o.key == key));
                Msg::ObjectReconciled { generation, result }
            }),
            Effect::RedriveExecution { execution_arn } => self.spawn(None, async move {
                let result = backend.redrive_execution(&execution_arn).await;
                Msg::Redriven {
                    execution_arn,
                    result,
                }
            }),
            Effect::StopExecution { execution_arn } => self.spawn(None, async move {
                let result = backend
                    .stop_execution(
                        &execution_arn,
                        Some("stepdeck.Stopped".into()),
                        Some("Stopped from the stepdeck console".into()),
                    )
                    .await;
                Msg::Stopped {
                    execution_arn,
                    result,
                }
            }),
        }
        LoopAction::None
    }

    /// Runs `answer` (a backend call and the `Msg` it becomes) on a task of its own and sends
    /// that message to the inbox. With a `kind`, the task supersedes the one of that kind still
    /// in flight.
    fn spawn(
        &mut self,
        kind: Option<RequestKind>,
        answer: impl Future<Output = Msg> + Send + 'static,
    ) {
        let inbox = self.inbox.clone();
        let task = tokio::spawn(async move {
            let _ = inbox.send(answer.await);
        });
        if let Some(kind) = kind {
            self.replace(kind, task);
        }
    }

    fn replace(&mut self, kind: RequestKind, task: JoinHandle<()>) {
        if let Some(previous) = self.in_flight.insert(kind, task) {
            previous.abort();
        }
    }
}

/// Which of `face_ids` are still in `collection`: the whole collection listed in the largest
/// pages ListFaces allows (each page spends the governed budget like any other call).
/// Writes `contents` to a file that must not exist yet; answers its absolute path, or why
/// not (naming the path as typed).
fn write_new_file(path: &std::path::Path, contents: &str) -> Result<String, String> {
    use std::io::Write;
    let shown = path.display();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{shown} exists (not overwritten; choose another name)")
            }
            _ => format!("cannot create {shown}: {e}"),
        })?;
    if let Err(e) = file
        .write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
    {
        // A half-written history would read as a shorter one: none is better.
        let _ = std::fs::remove_file(path);
        return Err(format!("cannot write {shown}: {e}"));
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(absolute.display().to_string())
}

async fn still_present(
    backend: &dyn crate::backend::Backend,
    collection: &str,
    face_ids: Vec<String>,
) -> Result<Vec<String>, crate::backend::BackendError> {
    let wanted: std::collections::HashSet<String> = face_ids.into_iter().collect();
    let mut present = Vec::new();
    let mut token = None;
    loop {
        let page = backend.list_faces(collection, token, 4096).await?;
        present.extend(
            page.items
                .into_iter()
                .map(|face| face.face_id)
                .filter(|id| wanted.contains(id)),
        );
        match page.next_token {
            Some(next) => token = Some(next),
            None => return Ok(present),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_written_once_and_never_over_another() {
        let dir = std::env::temp_dir().join(format!("stepdeck-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("run.history.json");
        let _ = std::fs::remove_file(&path);
        let written = write_new_file(&path, "{\"events\": []}\n").unwrap();
        assert_eq!(written, path.display().to_string());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"events\": []}\n"
        );
        let refused = write_new_file(&path, "other").unwrap_err();
        assert!(refused.contains("exists (not overwritten"), "{refused}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"events\": []}\n"
        );
        let missing = dir.join("no/such/dir/run.json");
        let refused = write_new_file(&missing, "x").unwrap_err();
        assert!(refused.starts_with("cannot create "), "{refused}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
