//! The faces screen's lookalike searches, kept so a second scan of a collection does not repeat
//! the first: per face searched, the ids of the faces `SearchFaces` matched. A face's row goes
//! when the face is deleted from the console (the matches naming it are harmless: groups are
//! drawn over the faces listed).

use super::{Store, StoreError};
use crate::domain::faces::LookalikeSearch;
use rusqlite::params;

impl Store {
    /// Keeps (or replaces) the search of `face_id` in `collection`.
    pub fn put_lookalike_search(
        &self,
        scope: &str,
        region: &str,
        collection: &str,
        search: &LookalikeSearch,
        now: i64,
    ) -> Result<(), StoreError> {
        let matched = search.matched.join("\n");
        self.write("keeping a lookalike search", |tx| {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO lookalike_searches \
                 (scope, region, collection, face_id, matched, searched_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                scope,
                region,
                collection,
                search.face_id,
                matched,
                now
            ])
            .map(drop)
        })
    }

    /// Every kept search of `collection`, oldest first.
    pub fn lookalike_searches(
        &self,
        scope: &str,
        region: &str,
        collection: &str,
    ) -> Result<Vec<LookalikeSearch>, StoreError> {
        self.read("reading lookalike searches", |conn| {
            conn.prepare_cached(
                "SELECT face_id, matched FROM lookalike_searches \
                 WHERE scope = ?1 AND region = ?2 AND collection = ?3 \
                 ORDER BY searched_at, face_id",
            )?
            .query_map(params![scope, region, collection], |r| {
                let matched: String = r.get(1)?;
                Ok(LookalikeSearch {
                    face_id: r.get(0)?,
                    matched: matched
                        .split('\n')
                        .filter(|id| !id.is_empty())
                        .map(str::to_string)
                        .collect(),
                })
            })?
            .collect()
        })
    }

    /// Forgets the searches of faces that were deleted.
    pub fn forget_lookalike_searches(
        &self,
        scope: &str,
        region: &str,
        collection: &str,
        face_ids: &[String],
    ) -> Result<(), StoreError> {
        if face_ids.is_empty() {
            return Ok(());
        }
        self.write("forgetting lookalike searches", |tx| {
            let mut delete = tx.prepare_cached(
                "DELETE FROM lookalike_searches \
                 WHERE scope = ?1 AND region = ?2 AND collection = ?3 AND face_id = ?4",
            )?;
            for face_id in face_ids {
                delete.execute(params![scope, region, collection, face_id])?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::support::{LIMIT, T0, TempDir};

    fn search(face: &str, matched: &[&str]) -> LookalikeSearch {
        LookalikeSearch {
            face_id: face.into(),
            matched: matched.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn searches_are_kept_per_collection_replaced_and_forgotten() {
        let dir = TempDir::new("lookalikes");
        let (store, _) = Store::open(&dir.store_path(), LIMIT, T0).unwrap();
        let put = |collection: &str, s: &LookalikeSearch, at: i64| {
            store
                .put_lookalike_search("", "eu-west-1", collection, s, at)
                .unwrap()
        };
        put("riders", &search("a", &["b", "c"]), T0);
        put("riders", &search("d", &[]), T0 + 1);
        put("others", &search("x", &["y"]), T0);
        put("riders", &search("a", &["b"]), T0 + 2);
        let kept = store.lookalike_searches("", "eu-west-1", "riders").unwrap();
        assert_eq!(kept, vec![search("d", &[]), search("a", &["b"])]);
        assert!(
            store
                .lookalike_searches("http://127.0.0.1:5000", "eu-west-1", "riders")
                .unwrap()
                .is_empty(),
            "another endpoint's searches never mix"
        );
        store
            .forget_lookalike_searches("", "eu-west-1", "riders", &["a".into()])
            .unwrap();
        let kept = store.lookalike_searches("", "eu-west-1", "riders").unwrap();
        assert_eq!(kept, vec![search("d", &[])]);
        assert!(store.clear(Some("eu-west-1")).unwrap() > 0);
        assert!(
            store
                .lookalike_searches("", "eu-west-1", "others")
                .unwrap()
                .is_empty()
        );
    }
}
