//! The store's decorator (`store::remembering::Remembering`) over the sandbox, its calls to the
//! sandbox counted: a second "start" (the store opened afresh, as a new process would) makes
//! no describe and no history call for stored finished executions; a running execution is
//! never served as final; a redrive forgets; with the service unreachable the lists and the
//! executions the store holds are served and the change is said once each way. In front of
//! the sandbox (`verdicts_only`) it keeps suites' verdicts and nothing else.

use crate::sandbox_support::{quiet_options, run_photo, wait_until_done};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use stepdeck::backend::local::{
    COLLECTION_ID, LocalSandbox, RIDER_PHOTO_PROCESSING, state_machine_arn,
};
use stepdeck::backend::{
    Backend, BackendError, BackendInfo, BackendNotice, BackendResult, CallerIdentity,
    HistoryRequest, ListExecutionsRequest, NoticeSink, Page, StartExecutionRequest,
};
use stepdeck::domain::execution::{
    ExecutionDefinition, ExecutionDetail, ExecutionStatus, ExecutionSummary, StateMachineSummary,
};
use stepdeck::domain::faces::{
    CollectionInfo, DeleteFacesResult, Face, FaceMatch, LookalikeSearch,
};
use stepdeck::domain::history::HistoryEvent;
use stepdeck::domain::objects::{BucketInfo, ObjectBody, ObjectInfo};
use stepdeck::store::Store;
use stepdeck::store::remembering::Remembering;

/// The sandbox as AWS answers (a listing without inputs or outcomes), its calls counted per
/// method, and a switch that makes it unreachable.
struct Counted {
    inner: Arc<dyn Backend>,
    calls: Mutex<BTreeMap<&'static str, usize>>,
    down: AtomicBool,
    /// Down by not answering (a connection retried for long) rather than by refusing.
    hangs: AtomicBool,
}

impl Counted {
    fn new(inner: Arc<dyn Backend>) -> Arc<Counted> {
        Arc::new(Counted {
            inner,
            calls: Mutex::new(BTreeMap::new()),
            down: AtomicBool::new(false),
            hangs: AtomicBool::new(false),
        })
    }

    fn count(&self, method: &'static str) -> usize {
        self.calls.lock().unwrap().get(method).copied().unwrap_or(0)
    }

    fn reset(&self) {
        self.calls.lock().unwrap().clear();
    }

    async fn call(&self, method: &'static str) -> BackendResult<()> {
        *self.calls.lock().unwrap().entry(method).or_default() += 1;
        if self.hangs.load(Ordering::SeqCst) {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            return Err(BackendError::Network("timed out".into()));
        }
        if self.down.load(Ordering::SeqCst) {
            return Err(BackendError::Network("connection refused".into()));
        }
        Ok(())
    }
}

#[async_trait]
impl Backend for Counted {
    fn info(&self) -> BackendInfo {
        self.inner.info()
    }
    fn set_notice_sink(&self, sink: NoticeSink) {
        self.inner.set_notice_sink(sink)
    }
    async fn caller_identity(&self) -> BackendResult<Option<CallerIdentity>> {
        self.call("caller_identity").await?;
        Ok(Some(CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/ops".into(),
        }))
    }
    async fn list_state_machines(&self) -> BackendResult<Vec<StateMachineSummary>> {
        self.call("list_state_machines").await?;
        self.inner.list_state_machines().await
    }
    async fn list_executions(
        &self,
        request: ListExecutionsRequest,
    ) -> BackendResult<Page<ExecutionSummary>> {
        self.call("list_executions").await?;
        // As AWS's ListExecutions: neither input nor outcome (the sandbox knows them).
        let mut page = self.inner.list_executions(request).await?;
        for row in &mut page.items {
            row.input_label = None;
            row.outcome = None;
        }
        Ok(page)
    }
    async fn describe_execution(&self, arn: &str) -> BackendResult<ExecutionDetail> {
        self.call("describe_execution").await?;
        self.inner.describe_execution(arn).await
    }
    async fn describe_state_machine_for_execution(
        &self,
        arn: &str,
    ) -> BackendResult<ExecutionDefinition> {
        self.call("describe_state_machine_for_execution").await?;
        self.inner.describe_state_machine_for_execution(arn).await
    }
    async fn get_execution_history(&self, r: HistoryRequest) -> BackendResult<Vec<HistoryEvent>> {
        self.call("get_execution_history").await?;
        self.inner.get_execution_history(r).await
    }
    async fn start_execution(&self, r: StartExecutionRequest) -> BackendResult<ExecutionSummary> {
        self.call("start_execution").await?;
        self.inner.start_execution(r).await
    }
    async fn stop_execution(
        &self,
        arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> BackendResult<()> {
        self.call("stop_execution").await?;
        self.inner.stop_execution(arn, error, cause).await
    }
    async fn redrive_execution(&self, arn: &str) -> BackendResult<()> {
        self.call("redrive_execution").await?;
        self.inner.redrive_execution(arn).await
    }
    async fn describe_collection(&self, collection: &str) -> BackendResult<CollectionInfo> {
        self.inner.describe_collection(collection).await
    }
    async fn list_faces(
        &self,
        collection: &str,
        token: Option<String>,
        size: u32,
    ) -> BackendResult<Page<Face>> {
        self.inner.list_faces(collection, token, size).await
    }
    async fn search_faces(&self, c: &str, f: &str, t: f32) -> BackendResult<Vec<FaceMatch>> {
        self.inner.search_faces(c, f, t).await
    }
    async fn search_faces_by_image(
        &self,
        c: &str,
        b: &str,
        k: &str,
        t: f32,
    ) -> BackendResult<Vec<FaceMatch>> {
        self.inner.search_faces_by_image(c, b, k, t).await
    }
    async fn delete_faces(&self, c: &str, ids: &[String]) -> BackendResult<DeleteFacesResult> {
        self.inner.delete_faces(c, ids).await
    }
    async fn list_buckets(&self) -> BackendResult<Vec<BucketInfo>> {
        self.inner.list_buckets().await
    }
    async fn list_objects(
        &self,
        b: &str,
        p: Option<&str>,
        c: Option<String>,
        s: u32,
    ) -> BackendResult<Page<ObjectInfo>> {
        self.inner.list_objects(b, p, c, s).await
    }
    async fn get_object(&self, b: &str, k: &str) -> BackendResult<ObjectBody> {
        self.inner.get_object(b, k).await
    }
    async fn delete_object(&self, b: &str, k: &str) -> BackendResult<()> {
        self.inner.delete_object(b, k).await
    }
}

/// A store file of the test's own, removed when dropped.
struct StoreFile(PathBuf);

impl StoreFile {
    fn new(name: &str) -> StoreFile {
        let dir = std::env::temp_dir().join(format!(
            "stepdeck-sandbox-store-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        StoreFile(dir.join("store.sqlite3"))
    }

    fn open(&self) -> Arc<Store> {
        Arc::new(
            Store::open(&self.0, Store::DEFAULT_LIMIT_BYTES, 1_764_064_800_000)
                .expect("open")
                .0,
        )
    }
}

impl Drop for StoreFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

type Notices = Arc<Mutex<Vec<BackendNotice>>>;

fn remembering(inner: &Arc<Counted>, store: Arc<Store>) -> (Remembering, Notices) {
    let notices = Arc::new(Mutex::new(Vec::<BackendNotice>::new()));
    let backend = Remembering::new(
        Arc::clone(inner) as Arc<dyn Backend>,
        store,
        "default",
        Arc::new(|| 1_764_064_800_000),
    );
    let sink = Arc::clone(&notices);
    backend.set_notice_sink(Arc::new(move |n| sink.lock().unwrap().push(n)));
    (backend, notices)
}

fn listing() -> ListExecutionsRequest {
    ListExecutionsRequest {
        state_machine_arn: state_machine_arn(RIDER_PHOTO_PROCESSING),
        status: None,
        next_token: None,
        page_size: 100,
    }
}

fn whole(arn: &str) -> HistoryRequest {
    HistoryRequest {
        execution_arn: arn.to_string(),
        after_event_id: None,
        include_data: false,
    }
}

#[tokio::test(start_paused = true)]
async fn a_second_start_asks_nothing_of_what_is_stored_and_offline_serves_it() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    let counted = Counted::new(sandbox);
    let file = StoreFile::new("second-start");
    let run = run_photo(counted.as_ref(), "user_a", "1_happy_face.jpg").await;
    wait_until_done(counted.as_ref(), &run.arn).await;

    // The first start: described and opened once.
    let (first, _) = remembering(&counted, file.open());
    first.caller_identity().await.unwrap();
    first.list_state_machines().await.unwrap();
    let rows = first.list_executions(listing()).await.unwrap().items;
    let finished: Vec<&ExecutionSummary> = rows
        .iter()
        .filter(|r| r.status != ExecutionStatus::Running)
        .collect();
    assert!(!finished.is_empty());
    for row in &finished {
        first.describe_execution(&row.arn).await.unwrap();
    }
    let events = first.get_execution_history(whole(&run.arn)).await.unwrap();
    drop(first);

    // The second start: rows complete from the store, nothing described, the history served.
    counted.reset();
    let (second, notices) = remembering(&counted, file.open());
    let rows = second.list_executions(listing()).await.unwrap().items;
    for row in rows.iter().filter(|r| r.status != ExecutionStatus::Running) {
        assert!(
            row.input_label.is_some() && row.outcome.is_some(),
            "{row:?}"
        );
        second.describe_execution(&row.arn).await.unwrap();
    }
    assert_eq!(
        second.get_execution_history(whole(&run.arn)).await.unwrap(),
        events
    );
    assert_eq!(counted.count("list_executions"), 1);
    assert_eq!(counted.count("describe_execution"), 0);
    assert_eq!(counted.count("get_execution_history"), 0);

    // Offline: the same, served from the store, said once.
    counted.down.store(true, Ordering::SeqCst);
    let machines = second.list_state_machines().await.unwrap();
    assert!(machines.iter().any(|m| m.name == RIDER_PHOTO_PROCESSING));
    let offline_rows = second.list_executions(listing()).await.unwrap().items;
    assert_eq!(
        offline_rows.len(),
        finished.len(),
        "every stored finished run is listed offline, no running one"
    );
    assert_eq!(
        second.get_execution_history(whole(&run.arn)).await.unwrap(),
        events
    );
    // Said once, however many calls found the service down; and once when it answers.
    counted.down.store(false, Ordering::SeqCst);
    second.list_executions(listing()).await.unwrap();
    second.list_executions(listing()).await.unwrap();
    let said: Vec<String> = notices
        .lock()
        .unwrap()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(
        said[0].starts_with("offline: showing what the store holds, last confirmed ")
            && said[0].ends_with("(network: connection refused)"),
        "{said:#?}"
    );
    assert_eq!(said[1], "online again: the service answers");
}

#[tokio::test(start_paused = true)]
async fn a_running_execution_is_never_served_as_final_and_a_redrive_forgets() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    let counted = Counted::new(sandbox);
    let file = StoreFile::new("running");
    let (backend, _) = remembering(&counted, file.open());
    let input = serde_json::json!({
        "userId": "user_a",
        "s3Bucket": stepdeck::backend::local::PHOTO_BUCKET,
        "s3Key": "1_happy_face.jpg"
    });
    let started = backend
        .start_execution(StartExecutionRequest {
            state_machine_arn: state_machine_arn(RIDER_PHOTO_PROCESSING),
            name: None,
            input: input.to_string(),
        })
        .await
        .unwrap();
    let running = backend.describe_execution(&started.arn).await.unwrap();
    assert_eq!(running.summary.status, ExecutionStatus::Running);
    let partial = backend
        .get_execution_history(whole(&started.arn))
        .await
        .unwrap();
    wait_until_done(&backend, &started.arn).await;
    counted.reset();
    // Described and read again: the running answers were not kept as final.
    let done = backend.describe_execution(&started.arn).await.unwrap();
    assert_ne!(done.summary.status, ExecutionStatus::Running);
    let all = backend
        .get_execution_history(whole(&started.arn))
        .await
        .unwrap();
    assert!(all.len() > partial.len());
    assert_eq!(counted.count("get_execution_history"), 1);
    // Now stored: asked again, nothing goes to the service.
    backend.describe_execution(&started.arn).await.unwrap();
    backend
        .get_execution_history(whole(&started.arn))
        .await
        .unwrap();
    assert_eq!(counted.count("get_execution_history"), 1);
    // A redrive (refused here: it succeeded) forgets it all the same.
    let _ = backend.redrive_execution(&started.arn).await;
    backend
        .get_execution_history(whole(&started.arn))
        .await
        .unwrap();
    assert_eq!(counted.count("get_execution_history"), 2);
}

#[tokio::test(start_paused = true)]
async fn journal_lines_appended_are_indexed_by_face() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    let counted = Counted::new(sandbox);
    let file = StoreFile::new("journal");
    let (backend, _) = remembering(&counted, file.open());
    let journal = file.0.with_file_name("deletions.jsonl");
    let lines = vec![
        r#"{"time":"2025-11-25T10:00:00Z","status":"intended","face_id":"f-1","collection":"rider-photos"}"#.to_string(),
        r#"{"time":"2025-11-25T10:00:01Z","status":"deleted","face_id":"f-1","collection":"rider-photos"}"#.to_string(),
    ];
    backend.index_journal(&journal, 120, &lines).await;
    let entries = file.open().journal_entries_for("f-1").unwrap();
    let statuses: Vec<&str> = entries
        .iter()
        .map(|(_, status, _)| status.as_str())
        .collect();
    assert_eq!(statuses, ["intended", "deleted"]);
    assert_eq!(entries[1].2, lines[1]);
}

#[tokio::test(start_paused = true)]
async fn once_offline_a_listing_that_hangs_gives_way_to_the_store_within_two_seconds() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    let counted = Counted::new(sandbox);
    let file = StoreFile::new("hangs");
    let run = run_photo(counted.as_ref(), "user_a", "1_happy_face.jpg").await;
    let (backend, _) = remembering(&counted, file.open());
    backend.list_executions(listing()).await.unwrap();
    backend.describe_execution(&run.arn).await.unwrap();
    counted.down.store(true, Ordering::SeqCst);
    assert_eq!(
        backend
            .list_executions(listing())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // Known offline: a call that would retry for a minute is given up after two seconds.
    counted.hangs.store(true, Ordering::SeqCst);
    let asked = tokio::time::Instant::now();
    let rows = backend.list_executions(listing()).await.unwrap().items;
    assert_eq!(rows.len(), 1);
    assert!(
        asked.elapsed() <= std::time::Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    // And the service back: its answer is taken again.
    counted.hangs.store(false, Ordering::SeqCst);
    counted.down.store(false, Ordering::SeqCst);
    counted.reset();
    backend.list_executions(listing()).await.unwrap();
    assert_eq!(counted.count("list_executions"), 1);
}

#[tokio::test(start_paused = true)]
async fn in_front_of_the_sandbox_only_verdicts_are_kept_and_every_call_goes_through() {
    use stepdeck::domain::suites::recorded::VerdictRecord;
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    let counted = Counted::new(sandbox);
    let file = StoreFile::new("verdicts-only");
    let store = file.open();
    let backend = Remembering::verdicts_only(
        Arc::clone(&counted) as Arc<dyn Backend>,
        Arc::clone(&store),
        Arc::new(|| 1_764_064_800_000),
    );
    let run = run_photo(counted.as_ref(), "user_a", "1_happy_face.jpg").await;
    wait_until_done(counted.as_ref(), &run.arn).await;
    counted.reset();
    // A finished run described and opened twice: asked of the sandbox each time, never kept.
    for _ in 0..2 {
        backend.describe_execution(&run.arn).await.unwrap();
        backend
            .get_execution_history(whole(&run.arn))
            .await
            .unwrap();
    }
    assert_eq!(counted.count("describe_execution"), 2);
    assert_eq!(counted.count("get_execution_history"), 2);
    let stats = store.stats().unwrap();
    assert_eq!((stats.descriptions, stats.histories), (0, 0));
    // A verdict is kept, and read back in the sandbox's scope only.
    let verdict = VerdictRecord {
        suite: "photos".into(),
        step: 1,
        label: "1_happy_face as user_a".into(),
        passed: true,
        detail: "passed".into(),
        finished_at: 1_764_064_800_000,
        execution_arn: Some(run.arn.clone()),
    };
    backend.record_verdict(verdict.clone()).await;
    assert_eq!(
        backend.verdict_history("photos").await.unwrap(),
        vec![verdict]
    );
    assert!(
        backend
            .verdict_history("duplicates")
            .await
            .unwrap()
            .is_empty()
    );
    let (aws, _) = remembering(&counted, Arc::clone(&store));
    assert!(aws.verdict_history("photos").await.unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_definition_is_read_once_and_lookalike_answers_outlive_the_console() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    let counted = Counted::new(sandbox);
    let file = StoreFile::new("definition-lookalikes");
    let run = run_photo(counted.as_ref(), "user_a", "1_happy_face.jpg").await;
    wait_until_done(counted.as_ref(), &run.arn).await;

    // The definition the run ran: asked of the service once, however often it is shown.
    let (first, _) = remembering(&counted, file.open());
    let read = first
        .describe_state_machine_for_execution(&run.arn)
        .await
        .unwrap();
    assert_eq!(
        first
            .describe_state_machine_for_execution(&run.arn)
            .await
            .unwrap(),
        read
    );
    assert_eq!(counted.count("describe_state_machine_for_execution"), 1);
    assert_eq!(read.name, RIDER_PHOTO_PROCESSING);
    let parsed = stepdeck::domain::definition::parse_definition(&read.definition).unwrap();
    assert!(parsed.find("ParallelProcessing").unwrap().is_container());

    // A lookalike answer is kept across a restart, and forgotten with its face.
    let faces = first
        .list_faces(COLLECTION_ID, None, 4096)
        .await
        .unwrap()
        .items;
    let face = faces
        .first()
        .expect("the accepted photo's face")
        .face_id
        .clone();
    first
        .record_lookalike_search(
            COLLECTION_ID,
            LookalikeSearch {
                face_id: face.clone(),
                matched: vec!["a-lookalike".into()],
            },
        )
        .await;
    first
        .record_lookalike_search(
            COLLECTION_ID,
            LookalikeSearch {
                face_id: "searched-alone".into(),
                matched: vec![],
            },
        )
        .await;
    drop(first);
    let (second, _) = remembering(&counted, file.open());
    let mut kept = second.lookalike_searches(COLLECTION_ID).await.unwrap();
    kept.sort_by(|a, b| a.face_id.cmp(&b.face_id));
    let mut expected = vec![
        LookalikeSearch {
            face_id: face.clone(),
            matched: vec!["a-lookalike".into()],
        },
        LookalikeSearch {
            face_id: "searched-alone".into(),
            matched: vec![],
        },
    ];
    expected.sort_by(|a, b| a.face_id.cmp(&b.face_id));
    assert_eq!(kept, expected);
    assert!(
        second
            .lookalike_searches("another-collection")
            .await
            .unwrap()
            .is_empty()
    );
    let deleted = second
        .delete_faces(COLLECTION_ID, std::slice::from_ref(&face))
        .await
        .unwrap();
    assert_eq!(deleted.deleted, vec![face.clone()]);
    let kept = second.lookalike_searches(COLLECTION_ID).await.unwrap();
    assert_eq!(
        kept.iter().map(|s| s.face_id.as_str()).collect::<Vec<_>>(),
        ["searched-alone"]
    );
}
