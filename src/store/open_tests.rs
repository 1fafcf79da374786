//! Opening: a fresh store's settings, a corrupt file moved aside, what is refused (a newer
//! schema, another program's database, unwritable places), two consoles writing at once.

use super::Store;
use super::schema::{APPLICATION_ID, MIGRATIONS};
use super::support::{LIMIT, MACHINE, T0, TempDir, finished};
use crate::domain::execution::ExecutionStatus;
use rusqlite::Connection;
use std::sync::{Arc, Barrier};

fn pragma<T: rusqlite::types::FromSql>(conn: &Connection, name: &str) -> T {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

/// Files in `dir` whose name starts with `prefix`, sorted.
fn names_starting(dir: &std::path::Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn a_fresh_store_is_created_with_its_folders_in_wal_mode_at_our_schema() {
    let dir = TempDir::new("fresh");
    let path = dir.path().join("a").join("b").join("store.sqlite3");
    let (store, note) = Store::open(&path, LIMIT, T0).unwrap();
    assert_eq!(note, None);
    assert_eq!(store.path(), path);
    assert!(path.is_file());
    let conn = store.lock();
    assert_eq!(pragma::<String>(&conn, "journal_mode"), "wal");
    assert_eq!(pragma::<i64>(&conn, "auto_vacuum"), 2, "incremental");
    assert_eq!(pragma::<i32>(&conn, "application_id"), APPLICATION_ID);
    assert_eq!(
        pragma::<i64>(&conn, "user_version"),
        MIGRATIONS.len() as i64
    );
    assert_eq!(pragma::<i64>(&conn, "busy_timeout"), 5_000);
}

#[test]
fn a_store_opened_again_keeps_what_it_held() {
    let dir = TempDir::new("reopen");
    let detail = finished(MACHINE, "run-1", ExecutionStatus::Succeeded, T0);
    {
        let (store, _) = Store::open(&dir.store_path(), LIMIT, T0).unwrap();
        assert!(store.put_description("", &detail, T0 + 10).unwrap());
    }
    let (store, note) = Store::open(&dir.store_path(), LIMIT, T0 + 20).unwrap();
    assert_eq!(note, None);
    let stored = store.description("", &detail.summary.arn).unwrap().unwrap();
    assert_eq!(stored.detail, detail);
}

#[test]
fn a_file_that_is_not_a_database_is_moved_aside_with_its_bytes_and_a_fresh_store_made() {
    let dir = TempDir::new("garbage");
    let path = dir.store_path();
    let garbage: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &garbage).unwrap();
    // 2025-11-25T10:00:00Z
    let (store, note) = Store::open(&path, LIMIT, T0 + 1_234).unwrap();
    let aside = dir.path().join("store.sqlite3.corrupt-20251125T100001Z");
    let note = note.expect("a note for the user");
    assert!(
        note.contains("was corrupt")
            && note.contains(&aside.display().to_string())
            && note.contains("starting afresh"),
        "{note}"
    );
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        garbage,
        "kept, byte for byte"
    );
    // The fresh store works.
    let detail = finished(MACHINE, "run-1", ExecutionStatus::Failed, T0);
    assert!(store.put_description("", &detail, T0).unwrap());
    assert_eq!(
        store
            .description("", &detail.summary.arn)
            .unwrap()
            .unwrap()
            .detail,
        detail
    );
    drop(store);
    // Corrupt again in the same second: a second name, the first kept.
    std::fs::write(
        &path,
        b"not a database either, and long enough to have a header......",
    )
    .unwrap();
    let (_store, note) = Store::open(&path, LIMIT, T0 + 1_500).unwrap();
    assert!(note.unwrap().contains("corrupt-20251125T100001Z-2"));
    assert_eq!(
        names_starting(dir.path(), "store.sqlite3.corrupt"),
        [
            "store.sqlite3.corrupt-20251125T100001Z",
            "store.sqlite3.corrupt-20251125T100001Z-2"
        ]
    );
    assert_eq!(std::fs::read(&aside).unwrap(), garbage);
}

#[test]
fn a_store_with_damaged_pages_fails_its_check_and_is_moved_aside() {
    let dir = TempDir::new("damaged");
    let path = dir.store_path();
    {
        let (store, _) = Store::open(&path, LIMIT, T0).unwrap();
        for i in 0..300 {
            let name = format!("run-{i}");
            let detail = finished(MACHINE, &name, ExecutionStatus::Succeeded, T0 + i);
            store.put_description("", &detail, T0).unwrap();
        }
    }
    // Closing the last connection checkpointed the log into the file and removed it.
    assert!(!dir.path().join("store.sqlite3-wal").exists());
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 40 * 4096, "{} bytes", bytes.len());
    // Scribble over pages 3 to 20, keeping the header page intact.
    for (i, byte) in bytes[2 * 4096..20 * 4096].iter_mut().enumerate() {
        *byte = (i % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let (store, note) = Store::open(&path, LIMIT, T0).unwrap();
    let note = note.expect("damage is noticed");
    assert!(note.contains("was corrupt"), "{note}");
    assert_eq!(store.stats().unwrap().descriptions, 0, "starting afresh");
    let aside = names_starting(dir.path(), "store.sqlite3.corrupt-");
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(dir.path().join(&aside[0])).unwrap(), bytes);
}

#[test]
fn a_newer_schema_is_refused_and_left_as_it_is() {
    let dir = TempDir::new("newer");
    let path = dir.store_path();
    drop(Store::open(&path, LIMIT, T0).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let error = Store::open(&path, LIMIT, T0).err().expect("refused");
    assert!(
        error.0.contains("newer stepdeck") && error.0.contains("99"),
        "{error}"
    );
    assert_eq!(
        names_starting(dir.path(), "store.sqlite3.corrupt"),
        [] as [&str; 0]
    );
    assert_eq!(
        pragma::<i64>(&Connection::open(&path).unwrap(), "user_version"),
        99
    );
}

#[test]
fn another_programs_database_is_refused_not_written() {
    let dir = TempDir::new("foreign");
    let path = dir.store_path();
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT); PRAGMA application_id = 42;")
        .unwrap();
    drop(conn);
    let error = Store::open(&path, LIMIT, T0).err().expect("refused");
    assert!(error.0.contains("another program"), "{error}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(pragma::<i64>(&conn, "user_version"), 0, "not migrated");
}

#[test]
fn a_read_only_folder_is_refused_with_a_sentence() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("read-only");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let opened = Store::open(&locked.join("store.sqlite3"), LIMIT, T0);
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    match opened {
        Err(error) => assert!(
            error.0.contains("locked/store.sqlite3") && error.0.contains("cannot be opened"),
            "{error}"
        ),
        // Root writes whatever the permissions say: nothing to check there.
        Ok(_) => assert!(root, "a read-only folder must refuse the store"),
    }
}

#[test]
fn a_path_under_a_regular_file_or_onto_a_folder_is_refused() {
    let dir = TempDir::new("unwritable");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let error = Store::open(&file.join("store.sqlite3"), LIMIT, T0)
        .err()
        .expect("its folder cannot be made");
    assert!(
        error.0.contains("cannot be created") && error.0.contains("a-file"),
        "{error}"
    );
    let error = Store::open(dir.path(), LIMIT, T0)
        .err()
        .expect("a folder is no database");
    assert!(error.0.starts_with("the store at"), "{error}");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn two_consoles_write_one_store_at_once_and_lose_nothing() {
    let dir = TempDir::new("two-writers");
    let path = dir.store_path();
    drop(Store::open(&path, LIMIT, T0).unwrap());
    let barrier = Arc::new(Barrier::new(2));
    let writers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|console| {
            let (path, barrier) = (path.clone(), barrier.clone());
            std::thread::spawn(move || {
                let (store, note) = Store::open(&path, LIMIT, T0).unwrap();
                assert_eq!(note, None);
                barrier.wait();
                for i in 0..500 {
                    let name = format!("{console}-{i:03}");
                    let detail = finished(MACHINE, &name, ExecutionStatus::Succeeded, T0 + i);
                    assert!(store.put_description("", &detail, T0 + i).unwrap());
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let (store, _) = Store::open(&path, LIMIT, T0).unwrap();
    let all = store.descriptions_of("", MACHINE).unwrap();
    assert_eq!(all.len(), 1_000);
    for console in ["a", "b"] {
        for i in [0, 250, 499] {
            let arn = super::support::execution_arn(MACHINE, &format!("{console}-{i:03}"));
            let stored = store.description("", &arn).unwrap().unwrap();
            assert_eq!(stored.detail.summary.start, T0 + i);
        }
    }
}

#[test]
fn one_store_is_shared_by_threads() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Store>();
}
