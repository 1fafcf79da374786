//! The deletion journal's index: lines found by face id or object key, bad lines skipped.

use super::Store;
use super::support::{LIMIT, T0, TempDir};
use crate::domain::faces::Face;
use crate::domain::journal::{DeletionStatus, JournalContext, face_line, object_line};
use crate::domain::objects::ObjectInfo;
use std::path::Path;

fn context(time: i64) -> JournalContext {
    JournalContext {
        time,
        profile: "default".into(),
        region: "eu-west-1".into(),
        account: Some("123456789012".into()),
        principal: None,
    }
}

#[test]
fn journal_lines_are_indexed_by_face_id_or_object_key_and_bad_lines_skipped() {
    let dir = TempDir::new("journal");
    let (store, _) = Store::open(&dir.store_path(), LIMIT, T0).unwrap();
    let journal = dir.path().join("deletions.jsonl");
    let face = Face {
        face_id: "f-1".into(),
        external_image_id: Some("user_a".into()),
        image_id: None,
        confidence: None,
        bounding_box: None,
        indexed_at: None,
    };
    let object = ObjectInfo {
        key: "resized-1.jpg".into(),
        size: 10,
        last_modified: None,
        content_type: None,
        etag: None,
    };
    let lines = [
        face_line(
            &context(T0 + 2_000),
            "riders",
            &face,
            DeletionStatus::Deleted,
        ),
        "{\"torn\": ".to_string(),
        face_line(&context(T0), "riders", &face, DeletionStatus::Intended),
        object_line(&context(T0), "thumbs", &object, DeletionStatus::Unknown),
        r#"{"status":"deleted"}"#.to_string(),
        "[1, 2]".to_string(),
    ];
    let mut offset = 0u64;
    for line in &lines {
        store
            .index_journal_line(&journal, offset, &format!("{line}\n"))
            .unwrap();
        offset += line.len() as u64 + 1;
    }
    // Indexing the file again changes nothing.
    store.index_journal_line(&journal, 0, &lines[0]).unwrap();
    assert_eq!(store.stats().unwrap().journal_entries, 3);
    let entries = store.journal_entries_for("f-1").unwrap();
    assert_eq!(
        entries,
        [
            (T0, "intended".to_string(), lines[2].clone()),
            (T0 + 2_000, "deleted".to_string(), lines[0].clone()),
        ]
    );
    let entries = store.journal_entries_for("resized-1.jpg").unwrap();
    assert_eq!(entries, [(T0, "unknown".to_string(), lines[3].clone())]);
    assert!(store.journal_entries_for("riders").unwrap().is_empty());
    let (container, kind, region): (String, String, String) = store
        .lock()
        .query_row(
            "SELECT container, record_kind, region FROM journal_lines WHERE target = 'f-1' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (container.as_str(), kind.as_str(), region.as_str()),
        ("riders", "face", "eu-west-1")
    );
    // A journal elsewhere is another file: its offsets do not collide.
    store
        .index_journal_line(Path::new("/elsewhere/deletions.jsonl"), 0, &lines[0])
        .unwrap();
    assert_eq!(store.journal_entries_for("f-1").unwrap().len(), 3);
    // Clearing a region takes its journal index rows.
    assert_eq!(store.clear(Some("eu-west-1")).unwrap(), 4);
    assert!(store.journal_entries_for("f-1").unwrap().is_empty());
}
