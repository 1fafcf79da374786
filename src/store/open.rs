//! Opening the store: creating it, checking it is sound and ours, migrating it, and moving a
//! corrupt file aside (renamed with a UTC timestamp, never deleted) to start afresh.

use super::schema::{self, APPLICATION_ID, MIGRATIONS, MigrateError};
use super::{OpenNote, Store, StoreError};
use crate::domain::Millis;
use rusqlite::{Connection, ErrorCode};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How long a call waits for another console's write before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a connection could not be made ready.
enum Failure {
    /// The file is damaged or not a database: moved aside.
    Corrupt(String),
    /// Anything else: the console runs without a store.
    Refused(String),
}

impl Store {
    /// Opens or creates the store at `path` (creating its folders). A corrupt file (not a
    /// database, an integrity check that fails, a malformed page) is renamed aside with a UTC
    /// timestamp suffix, never deleted, and a fresh store is created: `Ok` with a note for the
    /// user. A newer schema (written by a later stepdeck), an unwritable place, or any other
    /// failure: `Err` with a sentence saying so (the console then runs without a store).
    pub fn open(
        path: &Path,
        limit_bytes: u64,
        now: Millis,
    ) -> Result<(Store, OpenNote), StoreError> {
        let shown = path.display();
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError(format!(
                    "the store at {shown} cannot be created: its folder {}: {e}",
                    dir.display()
                ))
            })?;
        }
        let store = |conn| Store {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            limit: limit_bytes,
        };
        match connect(path) {
            Ok(conn) => Ok((store(conn), None)),
            Err(Failure::Refused(why)) => Err(StoreError(format!("the store at {shown} {why}"))),
            Err(Failure::Corrupt(why)) => {
                let aside = move_aside(path, now).map_err(|e| {
                    StoreError(format!(
                        "the store at {shown} is corrupt ({why}) and cannot be moved aside: {e}"
                    ))
                })?;
                let conn = connect(path).map_err(|failure| {
                    let again = match failure {
                        Failure::Corrupt(why) => format!("is corrupt too: {why}"),
                        Failure::Refused(why) => why,
                    };
                    StoreError(format!(
                        "the store at {shown} was corrupt and moved aside to {}, but a fresh one {again}",
                        aside.display()
                    ))
                })?;
                let note = format!(
                    "the store at {shown} was corrupt ({why}): moved aside to {}; starting afresh",
                    aside.display()
                );
                Ok((store(conn), Some(note)))
            }
        }
    }
}

/// Opens `path`, checks it, sets it up (WAL, busy timeout) and migrates it to our schema.
fn connect(path: &Path) -> Result<Connection, Failure> {
    let refused = |e: rusqlite::Error| classify(e, "cannot be opened");
    let mut conn = Connection::open(path).map_err(refused)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(refused)?;
    // The first read of the file: a file that is not a database fails here, before anything
    // is written to it.
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| classify(e, "cannot be read"))?;
    if tables == 0 {
        // Only a database without tables can take incremental vacuum, which lets eviction give
        // pages back to the file system.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .map_err(refused)?;
    }
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(|e| classify(e, "cannot be written"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Failure::Refused(format!(
            "cannot be shared by two consoles (journal mode {mode}, not WAL)"
        )));
    }
    // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last writes, which
    // for a cache of what AWS still holds is no loss.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(refused)?;
    check_integrity(&conn)?;
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(refused)?;
    match id {
        APPLICATION_ID => {}
        0 => conn
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| classify(e, "cannot be written"))?,
        other => {
            return Err(Failure::Refused(format!(
                "belongs to another program (application id {other:#x}): left alone"
            )));
        }
    }
    match schema::migrate(&mut conn, MIGRATIONS) {
        Ok(()) => Ok(conn),
        Err(MigrateError::Newer(version)) => Err(Failure::Refused(format!(
            "was written by a newer stepdeck (schema version {version}; this one knows up to \
             {}): left as it is",
            MIGRATIONS.len()
        ))),
        Err(MigrateError::Sql(e)) => Err(classify(e, "cannot be brought to this version")),
    }
}

/// `PRAGMA quick_check`: the b-tree structure of every page (not the index contents, which is
/// the slow half of `integrity_check`).
fn check_integrity(conn: &Connection) -> Result<(), Failure> {
    let problems: Vec<String> = conn
        .prepare("PRAGMA quick_check(3)")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get::<_, String>(0))?.collect())
        .map_err(|e| classify(e, "cannot be checked"))?;
    match problems.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        _ => Err(Failure::Corrupt(format!(
            "integrity check: {}",
            problems.join("; ")
        ))),
    }
}

/// A damaged file is corrupt; anything else refuses the store, saying `what` failed.
fn classify(error: rusqlite::Error, what: &str) -> Failure {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Failure::Corrupt(error.to_string())
        }
        _ => Failure::Refused(format!("{what}: {error}")),
    }
}

/// Renames `path` (and its `-wal`/`-shm`/`-journal` companions, which belong to it) to
/// `path.corrupt-<UTC time>` (with `-2`, `-3`, … when that name is taken). Returns the new
/// name of the database file.
fn move_aside(path: &Path, now: Millis) -> std::io::Result<PathBuf> {
    let stamp = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ");
    let with = |suffix: &str| with_suffix(path, suffix);
    let free = |aside: &PathBuf| {
        ["", "-wal", "-shm", "-journal"]
            .iter()
            .all(|companion| !with_suffix(aside, companion).exists())
    };
    let mut aside = with(&format!(".corrupt-{stamp}"));
    let mut n = 2;
    while !free(&aside) {
        aside = with(&format!(".corrupt-{stamp}-{n}"));
        n += 1;
    }
    std::fs::rename(path, &aside)?;
    for companion in ["-wal", "-shm", "-journal"] {
        let from = with(companion);
        if from.exists() {
            std::fs::rename(&from, with_suffix(&aside, companion))?;
        }
    }
    Ok(aside)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}
