//! Writes through the fault-injecting proxy, driven as the console drives them: the app's
//! update() with its effects performed by the AWS backend against moto. A rerun whose
//! StartExecution answer is lost (carried out, or not) makes exactly one execution.
//!
//! Needs `STEPDECK_TEST_ENDPOINT` and `STEPDECK_TEST_PROXY` (both set by `scripts/test.sh`);
//! without them these tests FAIL under `CI` and skip on a plain `cargo test`.

use crate::common;
use crate::proxy::{Fault, Proxy};

use common::{ROLE_ARN, backend, pipeline_definition, pipeline_input, test_endpoint, unique};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, AppOptions, update::update};
use stepdeck::backend::aws::AwsBackend;
use stepdeck::backend::{Backend, ListExecutionsRequest, StartExecutionRequest};
use stepdeck::domain::execution::ExecutionSummary;
use stepdeck::keymap::Keymap;

fn endpoints() -> Option<(String, Proxy)> {
    let endpoint = test_endpoint()?;
    let proxy = Proxy::from_env()?;
    Some((endpoint, proxy))
}

/// Performs the backend effects the run flows ask for, as the runtime's effects runner
/// does, feeding each answer back, until none are left; returns the StartExecution requests
/// sent (what a user's key press cost).
async fn drive(app: &mut App, backend: &AwsBackend, effects: Vec<Effect>) -> usize {
    drive_journaled(app, backend, effects, &mut Vec::new()).await
}

/// `drive`, with the journal lines the app appends gathered in `journal`.
async fn drive_journaled(
    app: &mut App,
    backend: &AwsBackend,
    effects: Vec<Effect>,
    journal: &mut Vec<String>,
) -> usize {
    let mut starts = 0;
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        let msg = match effect {
            Effect::LoadStateMachines => Msg::StateMachines(backend.list_state_machines().await),
            Effect::LoadExecutions {
                generation,
                append,
                request,
            } => Msg::Executions {
                generation,
                append,
                result: backend.list_executions(request).await,
            },
            Effect::LoadExecution {
                generation,
                execution_arn,
            } => Msg::Execution {
                generation,
                result: backend.describe_execution(&execution_arn).await,
            },
            Effect::LoadInput {
                generation,
                execution_arn,
            } => Msg::InputLoaded {
                generation,
                result: backend.describe_execution(&execution_arn).await,
            },
            Effect::StartExecution(request) => {
                starts += 1;
                Msg::Started {
                    result: backend.start_execution(request.clone()).await,
                    request,
                }
            }
            Effect::ReconcileStart {
                execution_arn,
                request,
            } => Msg::StartReconciled {
                request,
                result: backend.describe_execution(&execution_arn).await,
            },
            Effect::LoadBuckets { generation } => Msg::Buckets {
                generation,
                result: backend.list_buckets().await,
            },
            Effect::LoadObjects {
                generation,
                bucket,
                continuation,
                page_size,
            } => Msg::Objects {
                generation,
                result: backend
                    .list_objects(&bucket, None, continuation, page_size)
                    .await,
            },
            Effect::DeleteObject {
                generation,
                bucket,
                key,
            } => Msg::ObjectDeleted {
                generation,
                result: backend.delete_object(&bucket, &key).await,
            },
            Effect::ReconcileObject {
                generation,
                bucket,
                key,
            } => Msg::ObjectReconciled {
                generation,
                result: backend
                    .list_objects(&bucket, Some(&key), None, 1)
                    .await
                    .map(|page| page.items.iter().any(|o| o.key == key)),
            },
            Effect::LoadFaces {
                generation,
                collection,
                next_token,
                page_size,
            } => Msg::Faces {
                generation,
                result: backend.list_faces(&collection, next_token, page_size).await,
            },
            Effect::DeleteFaces {
                generation,
                collection,
                face_ids,
            } => Msg::FacesDeleted {
                generation,
                result: backend.delete_faces(&collection, &face_ids).await,
            },
            Effect::ReconcileFaces {
                generation,
                collection,
                face_ids,
            } => {
                let page = backend.list_faces(&collection, None, 4096).await;
                Msg::FacesReconciled {
                    generation,
                    result: page.map(|page| {
                        page.items
                            .into_iter()
                            .map(|f| f.face_id)
                            .filter(|id| face_ids.contains(id))
                            .collect()
                    }),
                }
            }
            Effect::AppendJournal {
                generation,
                path,
                lines,
            } => {
                journal.extend(lines);
                Msg::JournalWritten {
                    generation,
                    result: Ok(path.display().to_string()),
                }
            }
            // Histories, row descriptions, the caller: not what these tests look at.
            _ => continue,
        };
        queue.extend(update(app, msg));
    }
    starts
}

/// A state machine of its own with one finished execution, listed in an app through the
/// proxy; returns the app, the machine's ARN and that execution.
async fn app_with_one_run(
    direct: &AwsBackend,
    through_proxy: &AwsBackend,
) -> (App, String, ExecutionSummary) {
    let machine_name = unique("RiderPhotoProcessing");
    let machine = direct
        .create_state_machine(&machine_name, &pipeline_definition(), ROLE_ARN)
        .await
        .unwrap();
    let first = direct
        .start_execution(StartExecutionRequest {
            state_machine_arn: machine.clone(),
            name: Some(unique("first")),
            input: pipeline_input("1_happy_face.jpg", "user_a", 0),
        })
        .await
        .unwrap();
    let options = AppOptions {
        state_machine: Some(machine_name),
        ..AppOptions::default()
    };
    let now = chrono::Utc::now().timestamp_millis();
    let mut app = App::new(options, Keymap::defaults(), now);
    update(&mut app, Msg::Resize(120, 32));
    drive(&mut app, through_proxy, vec![Effect::LoadStateMachines]).await;
    assert_eq!(
        app.state_machine().map(|sm| sm.arn.clone()),
        Some(machine.clone())
    );
    assert_eq!(
        app.executions.selected().map(|row| row.arn.clone()),
        Some(first.arn.clone())
    );
    (app, machine, first)
}

async fn executions_of(backend: &AwsBackend, machine: &str) -> Vec<ExecutionSummary> {
    backend
        .list_executions(ListExecutionsRequest {
            state_machine_arn: machine.to_string(),
            status: None,
            next_token: None,
            page_size: 100,
        })
        .await
        .unwrap()
        .items
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// `r` on the listed run with the start's answer lost by `fault`: the executions the rerun
/// made, and the StartExecution requests it sent.
async fn rerun_with(fault: Fault) -> Option<(usize, usize, String)> {
    let (endpoint, proxy) = endpoints()?;
    let direct = backend(&endpoint).await;
    let through_proxy = backend(&proxy.endpoint).await;
    let (mut app, machine, first) = app_with_one_run(&direct, &through_proxy).await;

    proxy.set_faults(&[fault.times(1)]);
    let effects = update(&mut app, key('r'));
    let starts = drive(&mut app, &through_proxy, effects).await;
    assert_eq!(proxy.stats().faulted["StartExecution"].len(), 1);

    let reruns: Vec<ExecutionSummary> = executions_of(&direct, &machine)
        .await
        .into_iter()
        .filter(|e| e.arn != first.arn)
        .collect();
    // The console follows the one it made, whichever way the answer was lost.
    let open = app.execution.as_ref().map(|view| view.summary.arn.clone());
    assert_eq!(open, reruns.first().map(|e| e.arn.clone()));
    let said = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    Some((reruns.len(), starts, said))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_whose_start_answer_was_lost_after_it_started_makes_exactly_one_execution() {
    let Some((executions, starts, said)) = rerun_with(Fault::drop_answer("StartExecution")).await
    else {
        return;
    };
    eprintln!("executions from a rerun whose first answer was lost: {executions}");
    assert_eq!(executions, 1, "one key press, one execution");
    assert_eq!(starts, 1, "it exists: the start is not sent again");
    assert!(
        said.contains("the start's answer was lost; the execution exists"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_whose_start_was_cut_off_before_it_started_is_sent_once_more_and_makes_one() {
    // The connection is reset before moto sees the request: to the console it is the same
    // lost answer, but the read-back finds nothing, so it sends the same start again.
    let Some((executions, starts, said)) = rerun_with(Fault::reset("StartExecution")).await else {
        return;
    };
    eprintln!("executions from a rerun whose first request was cut off: {executions}");
    assert_eq!(executions, 1, "one key press, one execution");
    assert_eq!(starts, 2, "sent again once, under the same name");
    assert!(said.starts_with("started "), "{said}");
}

fn keys(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    // Plain lower-case keys only: no modifiers to work out.
    for c in text.split(' ').filter_map(|k| k.chars().next()) {
        effects.extend(update(app, key(c)));
    }
    effects
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_delete_object_answer_is_read_back_and_journaled_deleted() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let bucket = unique("thumbnails");
    direct.create_bucket(&bucket).await.unwrap();
    let key = "resized-1_happy_face.png";
    direct
        .put_object(&bucket, key, common::generated_png(1), Some("image/png"))
        .await
        .unwrap();
    let through_proxy = backend(&proxy.endpoint).await;
    let options = AppOptions {
        thumbnail_bucket: Some(bucket.clone()),
        journal_path: Some(std::env::temp_dir().join("stepdeck-writes-journal.jsonl")),
        ..AppOptions::default()
    };
    let now = chrono::Utc::now().timestamp_millis();
    let mut app = App::new(options, Keymap::defaults(), now);
    update(&mut app, Msg::Resize(120, 32));
    let mut journal = Vec::new();
    let effects = keys(&mut app, "g t");
    drive_journaled(&mut app, &through_proxy, effects, &mut journal).await;
    assert_eq!(app.thumbnails.selected().map(|o| o.key.as_str()), Some(key));

    proxy.set_faults(&[Fault::drop_answer("DeleteObject").times(1)]);
    let effects = keys(&mut app, "d y");
    drive_journaled(&mut app, &through_proxy, effects, &mut journal).await;
    assert_eq!(proxy.stats().faulted["DeleteObject"].len(), 1);

    let statuses: Vec<String> = journal
        .iter()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["status"].to_string())
        .collect();
    assert_eq!(statuses, [r#""intended""#, r#""deleted""#], "{journal:#?}");
    let said = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        said.contains("the delete's answer was lost; it is gone"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_delete_faces_answer_is_read_back_and_journaled_deleted() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let collection = unique("lost-delete-faces");
    direct.create_collection(&collection).await.unwrap();
    direct
        .index_faces(&collection, &common::generated_png(0), Some("user_a"))
        .await
        .unwrap();
    let through_proxy = backend(&proxy.endpoint).await;
    let options = AppOptions {
        collection: collection.clone(),
        journal_path: Some(std::env::temp_dir().join("stepdeck-writes-faces.jsonl")),
        ..AppOptions::default()
    };
    let now = chrono::Utc::now().timestamp_millis();
    let mut app = App::new(options, Keymap::defaults(), now);
    update(&mut app, Msg::Resize(120, 32));
    let mut journal = Vec::new();
    let effects = keys(&mut app, "g f");
    drive_journaled(&mut app, &through_proxy, effects, &mut journal).await;
    assert_eq!(app.faces.list.rows.len(), 1);

    proxy.set_faults(&[Fault::drop_answer("DeleteFaces").times(1)]);
    let effects = keys(&mut app, "d y");
    drive_journaled(&mut app, &through_proxy, effects, &mut journal).await;
    assert_eq!(proxy.stats().faulted["DeleteFaces"].len(), 1);

    let statuses: Vec<String> = journal
        .iter()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["status"].to_string())
        .collect();
    assert_eq!(statuses, [r#""intended""#, r#""deleted""#], "{journal:#?}");
    let said = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        said.contains("the delete's answer was lost; read back: 1 of 1 face(s) deleted"),
        "{said}"
    );
    let left = direct.list_faces(&collection, None, 100).await.unwrap();
    assert!(
        left.items.is_empty(),
        "the face is gone in the collection too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_150_starts_while_the_list_is_paused_leaves_no_execution_missing() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let through_proxy = backend(&proxy.endpoint).await;
    let (mut app, machine, _first) = app_with_one_run(&direct, &through_proxy).await;
    // Open the run: the list is paused behind it.
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    drive(&mut app, &through_proxy, effects).await;
    assert!(app.execution.is_some());
    for i in 0..150 {
        direct
            .start_execution(StartExecutionRequest {
                state_machine_arn: machine.clone(),
                name: Some(format!("burst-{i:03}")),
                input: pipeline_input("1_happy_face.jpg", &format!("user_{i:03}"), 0),
            })
            .await
            .unwrap();
    }
    // Back to the list: its next refresh must read on until it meets the held row.
    let mut effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    let later = chrono::Utc::now().timestamp_millis() + 5_000;
    effects.extend(update(&mut app, Msg::Tick(later)));
    drive(&mut app, &through_proxy, effects).await;
    let held: std::collections::HashSet<String> = app
        .executions
        .list
        .rows
        .iter()
        .map(|r| r.arn.clone())
        .collect();
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let page = direct
            .list_executions(ListExecutionsRequest {
                state_machine_arn: machine.clone(),
                status: None,
                next_token: token,
                page_size: 1000,
            })
            .await
            .unwrap();
        all.extend(page.items);
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(all.len(), 151);
    let missing = all.iter().filter(|e| !held.contains(&e.arn)).count();
    eprintln!("executions missing after 150 starts while paused: {missing}");
    assert_eq!(missing, 0);
    assert!(
        proxy.count("ListExecutions") >= 3,
        "the first listing, then the refresh read on"
    );
}
