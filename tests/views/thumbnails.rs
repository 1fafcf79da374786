//! Snapshots of the thumbnails screen on a large bucket read in part: the title says what the
//! filter and the sort cover ("3 matches in 2,000+ loaded", "of loaded") and the search under
//! way (Enter on the filter, Esc stops).

use crate::app_support::*;
use crate::faces_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::update::update;
use stepdeck::backend::Page;

/// Answers the one thumbnail-bucket request in `effects` with `count` objects from `first`,
/// more to come; returns what that answer asked for.
fn answer_page(app: &mut App, effects: &[Effect], first: usize) -> Vec<Effect> {
    let (generation, _, _) = objects_requests(effects)
        .into_iter()
        .find(|(_, bucket, _)| bucket == THUMBS)
        .expect("a thumbnails page request");
    let items = (first..first + 1_000)
        .map(|i| {
            let name = if i % 700 == 0 { "selfie" } else { "photo" };
            object(
                &format!("resized-{i:06}-{name}.jpg"),
                (i as u64 * 7_919) % 90_000,
                (i % 50) as i64,
            )
        })
        .collect();
    update(
        app,
        Msg::Objects {
            generation,
            result: Ok(Page {
                items,
                next_token: Some(format!("after-{first}")),
            }),
        },
    )
}

/// 2,000 of a larger bucket loaded, sorted by size, filtered on "selfie" with Enter: the
/// search reads its first further page.
fn searching() -> App {
    let mut app = base_app();
    let effects = press(&mut app, "g t");
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadBuckets { generation } => Some(*generation),
            _ => None,
        })
        .unwrap();
    let effects = update(
        &mut app,
        Msg::Buckets {
            generation,
            result: Ok(buckets()),
        },
    );
    answer_page(&mut app, &effects, 0);
    let effects = press(&mut app, "j j G");
    answer_page(&mut app, &effects, 1_000);
    press(&mut app, "Esc 2 /");
    type_text(&mut app, "selfie");
    press(&mut app, "Enter");
    app
}

#[test]
fn snapshots_of_a_bucket_read_in_part() {
    for (width, height) in [(120, 32), (80, 24)] {
        let mut app = searching();
        update(&mut app, Msg::Resize(width, height));
        insta::assert_snapshot!(
            format!("thumbnails_searching_{width}x{height}"),
            screen(&app, width, height)
        );
    }
}
