//! Snapshots of the faces and thumbnails screens on a `TestBackend` with a fixed clock (the
//! faces list, duplicates only, the delete confirmation, the report after a partial deletion,
//! the thumbnails with a half-blocks preview, a missing bucket), and every one at tiny and odd
//! sizes without panicking.

use crate::app_support;
use crate::faces_support;

use app_support::*;
use faces_support::*;
use ratatui_image::picker::Picker;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};
use stepdeck::domain::faces::{DeleteFacesResult, UnsuccessfulFaceDeletion};

/// Answers the pending preview request with `bytes` encoded as half-blocks (deterministic,
/// whatever terminal runs the tests).
fn answer_preview(app: &mut App, effects: &[Effect], bytes: &[u8]) {
    let [
        Effect::LoadPreview {
            generation,
            key,
            cells,
            ..
        },
    ] = effects
    else {
        panic!("{effects:#?}");
    };
    let result = stepdeck::runtime::preview::encode(&Picker::halfblocks(), bytes, *cells);
    update(
        app,
        Msg::Preview {
            generation: *generation,
            key: key.clone(),
            result,
        },
    );
}

fn scenarios(width: u16, height: u16) -> Vec<(&'static str, App)> {
    let mut out = Vec::new();
    let sized = |mut app: App| {
        update(&mut app, Msg::Resize(width, height));
        app
    };

    out.push(("faces", sized(faces_app())));

    let mut duplicates = sized(faces_app());
    press(&mut duplicates, "D ] Space");
    out.push(("faces_duplicates", duplicates));

    let mut confirm = sized(faces_app());
    press(&mut confirm, "Space j j Space d");
    out.push(("faces_confirm", confirm));

    let mut report = sized(faces_app());
    press(&mut report, "Space j j Space d");
    let effects = press(&mut report, "y");
    let effects = record_intent(&mut report, effects);
    let [Effect::DeleteFaces { generation, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    let effects = update(
        &mut report,
        Msg::FacesDeleted {
            generation: *generation,
            result: Ok(DeleteFacesResult {
                deleted: vec![face_id(1)],
                unsuccessful: vec![UnsuccessfulFaceDeletion {
                    face_id: face_id(3),
                    reasons: vec!["FACE_NOT_FOUND".into()],
                }],
            }),
        },
    );
    let [Effect::AppendJournal { generation, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    // The deleted face is taken out of the list (no re-listing); face 3, which the service
    // did not find, stays until a reload says otherwise.
    update(
        &mut report,
        Msg::JournalWritten {
            generation: *generation,
            result: Ok(JOURNAL.into()),
        },
    );
    out.push(("faces_after_delete", report));

    // `J` on a run rejected as a duplicate: the closest match selected, the other flagged.
    out.push(("faces_after_jump", sized(jumped_app())));

    let mut loading = sized(base_app());
    press(&mut loading, "g f");
    out.push(("faces_loading", loading));

    let mut thumbs = sized(thumbnails_app());
    let effects = update(&mut thumbs, Msg::Tick(NOW));
    if !effects.is_empty() {
        answer_preview(&mut thumbs, &effects, &test_png());
    }
    out.push(("thumbnails", thumbs));

    let mut not_an_image = sized(thumbnails_app());
    press(&mut not_an_image, "G");
    let effects = update(&mut not_an_image, Msg::Tick(NOW + 1_000));
    if !effects.is_empty() {
        answer_preview(&mut not_an_image, &effects, b"meeting notes");
    }
    out.push(("thumbnails_not_an_image", not_an_image));

    let mut no_bucket = sized(base_app());
    let effects = press(&mut no_bucket, "g t");
    if let [Effect::LoadBuckets { generation }] = effects.as_slice() {
        update(
            &mut no_bucket,
            Msg::Buckets {
                generation: *generation,
                result: Ok(vec![]),
            },
        );
    }
    out.push(("thumbnails_no_bucket", no_bucket));

    let mut confirm_object = sized(thumbnails_app());
    press(&mut confirm_object, "d");
    out.push(("thumbnails_confirm", confirm_object));
    out
}

#[test]
fn snapshots_of_the_faces_and_thumbnails_screens() {
    for (width, height) in [(120, 32), (80, 24)] {
        for (name, app) in scenarios(width, height) {
            insta::assert_snapshot!(
                format!("{name}_{width}x{height}"),
                screen(&app, width, height)
            );
        }
    }
}

#[test]
fn the_preview_is_drawn_with_half_blocks_in_the_image_colours() {
    let (_, app) = scenarios(120, 32)
        .into_iter()
        .find(|(name, _)| *name == "thumbnails")
        .unwrap();
    let terminal = draw(&app, 120, 32);
    let buffer = terminal.backend().buffer();
    // Half-block cells carry the image's colours (a uniform area is drawn as spaces on a
    // coloured background, edges as ▀/▄).
    let blocks: Vec<_> = buffer
        .content()
        .iter()
        .filter(|cell| {
            [cell.fg, cell.bg]
                .iter()
                .any(|c| matches!(c, ratatui::style::Color::Rgb(..)))
                && matches!(cell.symbol(), " " | "▀" | "▄" | "█")
        })
        .collect();
    // 300×225 scaled into 46×22 cells of 10×20 px: 46 columns × 17 rows.
    assert!(blocks.len() >= 46 * 17, "{} image cells", blocks.len());
    assert!(
        blocks
            .iter()
            .any(|c| c.symbol() == "▀" || c.symbol() == "▄")
    );
    // The sky's blue and the ground's green are both there.
    let has = |r: u8, g: u8, b: u8| {
        blocks.iter().any(|c| {
            [c.fg, c.bg].iter().any(|colour| {
                matches!(colour, ratatui::style::Color::Rgb(cr, cg, cb)
                    if cr.abs_diff(r) < 24 && cg.abs_diff(g) < 24 && cb.abs_diff(b) < 24)
            })
        })
    };
    assert!(has(90, 150, 230), "sky");
    assert!(has(40, 140, 60), "ground");
}

#[test]
fn every_faces_and_thumbnails_view_renders_at_odd_sizes_without_panicking() {
    let sizes = [
        (1, 1),
        (20, 5),
        (39, 7),
        (40, 8),
        (57, 13),
        (63, 40),
        (89, 17),
        (90, 12),
        (99, 17),
        (150, 20),
        (300, 8),
        (30, 100),
    ];
    for (width, height) in sizes {
        for (name, app) in scenarios(width, height) {
            let text = screen(&app, width, height);
            assert_eq!(
                text.lines().count(),
                height as usize,
                "{name} at {width}×{height}"
            );
        }
    }
    let (_, app) = scenarios(20, 5).remove(0);
    insta::assert_snapshot!("faces_too_small_20x5", screen(&app, 20, 5));
}
