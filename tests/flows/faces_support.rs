//! Shared helpers for the faces and thumbnails flow tests and snapshots: hand-made faces with
//! duplicates, objects, an app on each screen with its first page loaded, and effect lookups.
#![allow(dead_code)]

use crate::app_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::{Generation, Msg};
use stepdeck::app::{App, AppOptions, update::update};
use stepdeck::backend::Page;
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use stepdeck::domain::faces::{BoundingBox, Face, FaceMatch};
use stepdeck::domain::objects::{BucketInfo, ObjectInfo};
use stepdeck::keymap::Keymap;

pub const JOURNAL: &str = "/tmp/stepdeck-tests/deletions.jsonl";
pub const THUMBS: &str = "stack-thumbnails3bucket-1abc";
pub const PHOTOS: &str = "stack-riderphotos3bucket-2def";

/// A face id shaped like Rekognition's (a UUID), readable by its number.
pub fn face_id(n: u32) -> String {
    format!("{n:08x}-0000-4000-8000-{n:012x}")
}

pub fn face(n: u32, user: &str, image: &str, indexed_min: Option<i64>) -> Face {
    Face {
        face_id: face_id(n),
        external_image_id: Some(user.to_string()),
        image_id: Some(format!("{image}-0000-4000-8000-000000000000")),
        confidence: Some(99.0 + n as f32 / 10.0),
        bounding_box: Some(BoundingBox {
            width: 0.28,
            height: 0.44,
            left: 0.36,
            top: 0.16,
        }),
        indexed_at: indexed_min.map(|m| NOW - 3_600_000 + m * 60_000),
    }
}

/// `count` faces of as many riders and images, none a duplicate (numbered from 100): the
/// first page of a longer collection.
pub fn many_faces(count: u32) -> Vec<Face> {
    (0..count)
        .map(|n| {
            face(
                100 + n,
                &format!("user_{n:03}"),
                &format!("img{n:05}"),
                None,
            )
        })
        .collect()
}

/// Seven faces: user_a indexed twice (1 and 3), image `img00004` holding two faces (4 and
/// 5), the rest single.
pub fn collection() -> Vec<Face> {
    vec![
        face(1, "user_a", "img00001", Some(0)),
        face(2, "user_b", "img00002", Some(5)),
        face(3, "user_a", "img00003", Some(9)),
        face(4, "user_c", "img00004", Some(12)),
        face(5, "user_d", "img00004", Some(13)),
        face(6, "user_e", "img00006", Some(20)),
        face(7, "user_f", "img00007", Some(30)),
    ]
}

pub fn options() -> AppOptions {
    AppOptions {
        journal_path: Some(JOURNAL.into()),
        ..AppOptions::default()
    }
}

/// The seed app (executions loaded) with the options above.
pub fn base_app() -> App {
    base_app_with(seed_rows())
}

/// The app with the options above and `rows` listed.
pub fn base_app_with(rows: Vec<ExecutionSummary>) -> App {
    let mut app = App::new(options(), Keymap::defaults(), NOW);
    update(&mut app, Msg::Resize(120, 32));
    update(
        &mut app,
        Msg::BackendInfo(stepdeck::backend::BackendInfo {
            kind: "local sandbox".into(),
            identity: "sandbox".into(),
            region: "us-east-1".into(),
            endpoint: None,
        }),
    );
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    let (generation, _) = list_request(&effects);
    update(
        &mut app,
        Msg::Executions {
            generation,
            append: false,
            result: Ok(Page {
                items: rows,
                next_token: None,
            }),
        },
    );
    app
}

pub fn selected_id(app: &App) -> String {
    app.faces.selected().unwrap().face_id.clone()
}

/// The run `1_happy_face.jpg` for `user_b`, rejected by `CheckFaceDuplicate`: the same photo
/// was indexed for `user_a` first.
pub const REJECTED: &str = "rerun-1_happy_face-user_b";

pub fn rejected_input() -> String {
    format!(r#"{{"userId":"user_b","s3Bucket":"{PHOTOS}","s3Key":"1_happy_face.jpg"}}"#)
}

pub fn rejected_row() -> ExecutionSummary {
    let mut row = execution(
        REJECTED,
        ExecutionStatus::Succeeded,
        NOW - 30_000,
        Some(2_600),
    );
    row.input_label = Some("1_happy_face.jpg (user_b)".into());
    row.outcome = Some(Outcome::Rejected {
        state: "CheckFaceDuplicate".into(),
        error: "FaceAlreadyExistsError".into(),
        message: "Face in the picture is already in the system.".into(),
    });
    row
}

/// The seed app with the rejected run listed first (the newest).
pub fn rejected_listed_app() -> App {
    let mut rows = vec![rejected_row()];
    rows.extend(seed_rows());
    base_app_with(rows)
}

/// The rejected run open, its description loaded (its history not yet).
pub fn rejected_open_app() -> App {
    let mut app = rejected_listed_app();
    let row = rejected_row();
    open_with(
        &mut app,
        detail_of(&row, Some(&rejected_input()), None),
        vec![],
    );
    app
}

/// What `SearchFacesByImage` finds for `1_happy_face.jpg`: face `n` at `similarity`.
pub fn photo_match(n: u32, similarity: f32) -> FaceMatch {
    let face = collection()
        .into_iter()
        .find(|f| f.face_id == face_id(n))
        .expect("a face of collection()");
    FaceMatch { face, similarity }
}

/// Answers the only `SearchFacesByImage` in `effects` with `matches`.
pub fn answer_search(app: &mut App, effects: &[Effect], matches: Vec<FaceMatch>) -> Vec<Effect> {
    let [Effect::SearchFacesByImage { generation, .. }] = effects else {
        panic!("expected one SearchFacesByImage: {effects:#?}");
    };
    update(
        app,
        Msg::FacesByImage {
            generation: *generation,
            result: Ok(matches),
        },
    )
}

/// `J` on the open rejected run, answered: user_a's faces 3 and 1 match the photo (the same
/// photo indexed twice), then the faces' first page arrives.
pub fn jumped_app() -> App {
    let mut app = rejected_open_app();
    let effects = press(&mut app, "J");
    let effects = answer_search(
        &mut app,
        &effects,
        vec![photo_match(1, 99.1), photo_match(3, 99.6)],
    );
    let (generation, _) = faces_request(&effects);
    answer_faces(&mut app, generation, collection(), None);
    app
}

/// The generation of the only `LoadFaces` in `effects` and its token.
pub fn faces_request(effects: &[Effect]) -> (Generation, Option<String>) {
    let found: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadFaces {
                generation,
                next_token,
                ..
            } => Some((*generation, next_token.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "expected one LoadFaces in {effects:#?}");
    found[0].clone()
}

pub fn answer_faces(
    app: &mut App,
    generation: Generation,
    items: Vec<Face>,
    next: Option<&str>,
) -> Vec<Effect> {
    update(
        app,
        Msg::Faces {
            generation,
            result: Ok(Page {
                items,
                next_token: next.map(str::to_string),
            }),
        },
    )
}

/// The faces screen with `collection()` loaded.
pub fn faces_app() -> App {
    let mut app = base_app();
    let effects = press(&mut app, "g f");
    let (generation, _) = faces_request(&effects);
    answer_faces(&mut app, generation, collection(), None);
    app
}

pub fn object(key: &str, size: u64, minute: i64) -> ObjectInfo {
    ObjectInfo {
        key: key.to_string(),
        size,
        last_modified: Some(NOW - 600_000 + minute * 60_000),
        content_type: None,
        etag: Some(format!("{:032x}", size)),
    }
}

pub fn thumbnails() -> Vec<ObjectInfo> {
    vec![
        object("resized-1_happy_face.jpg", 7_990, 1),
        object("resized-2_sunglass_face.jpg", 8_704, 2),
        object("resized-5_rider_farah.jpg", 6_963, 3),
        object("resized-user_0002/selfie.jpg", 7_475, 4),
        object("notes.txt", 120, 5),
    ]
}

pub fn buckets() -> Vec<BucketInfo> {
    [PHOTOS, THUMBS, "other-logs"]
        .iter()
        .map(|name| BucketInfo {
            name: name.to_string(),
            created: None,
        })
        .collect()
}

/// (generation, bucket, continuation) of every `LoadObjects` in `effects`.
pub fn objects_requests(effects: &[Effect]) -> Vec<(Generation, String, Option<String>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadObjects {
                generation,
                bucket,
                continuation,
                ..
            } => Some((*generation, bucket.clone(), continuation.clone())),
            _ => None,
        })
        .collect()
}

/// The thumbnails screen with the buckets found, `thumbnails()` listed and the photo bucket
/// holding the sources of the first three.
pub fn thumbnails_app() -> App {
    let mut app = base_app();
    let effects = press(&mut app, "g t");
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadBuckets { generation } => Some(*generation),
            _ => None,
        })
        .expect("LoadBuckets");
    let effects = update(
        &mut app,
        Msg::Buckets {
            generation,
            result: Ok(buckets()),
        },
    );
    for (generation, bucket, _) in objects_requests(&effects) {
        let items = if bucket == THUMBS {
            thumbnails()
        } else {
            vec![
                object("1_happy_face.jpg", 90_000, 0),
                object("2_sunglass_face.jpg", 91_000, 0),
                object("5_rider_farah.jpg", 92_000, 0),
            ]
        };
        update(
            &mut app,
            Msg::Objects {
                generation,
                result: Ok(Page {
                    items,
                    next_token: None,
                }),
            },
        );
    }
    app
}

/// A 300×225 PNG drawn here (no photo): a sky, a sun and ground, for the preview.
pub fn test_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(300, 225, |x, y| {
        let (dx, dy) = (x as i32 - 210, y as i32 - 60);
        if dx * dx + dy * dy < 900 {
            image::Rgb([250, 210, 40])
        } else if y > 160 {
            image::Rgb([40, 140, 60])
        } else {
            image::Rgb([90, 150, 230])
        }
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// The write-ahead step of a confirmed deletion: `effects` (what "y" returned) must be the
/// journal's intent lines alone, every one `intended`; they are answered as written, and what
/// follows (the delete call) is returned.
pub fn record_intent(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let [
        Effect::AppendJournal {
            generation, lines, ..
        },
    ] = effects.as_slice()
    else {
        panic!("the intent is journaled before anything is deleted: {effects:#?}");
    };
    for line in lines {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["status"], "intended", "{line}");
    }
    update(
        app,
        Msg::JournalWritten {
            generation: *generation,
            result: Ok("/tmp/journal.jsonl".into()),
        },
    )
}
