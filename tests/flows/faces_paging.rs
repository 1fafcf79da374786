//! Faces paging driven by the user's intent only: a re-sort never asks for a page, a filter
//! reads a bounded number of further pages (Esc stops), `G` reads to the end with progress,
//! and the title says what the filter and the sort cover.

use crate::app_support::*;
use crate::faces_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Generation;
use stepdeck::app::screens::faces::FACES_FILTER_PAGES;
use stepdeck::domain::faces::Face;

/// `count` faces numbered from `from`, each its own rider (`rider_<n>`) and image.
fn page(from: u32, count: u32) -> Vec<Face> {
    (from..from + count)
        .map(|n| face(n, &format!("rider_{n:06}"), &format!("i{n:07}"), None))
        .collect()
}

fn loads(effects: &[Effect]) -> Vec<(Generation, Option<String>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadFaces {
                generation,
                next_token,
                ..
            } => Some((*generation, next_token.clone())),
            _ => None,
        })
        .collect()
}

/// The faces screen with a first page of 100 faces loaded and more to come.
fn first_page_app() -> App {
    let mut app = base_app();
    let (generation, _) = faces_request(&press(&mut app, "g f"));
    let effects = answer_faces(&mut app, generation, page(0, 100), Some("p1"));
    assert!(loads(&effects).is_empty(), "the cursor is far from the end");
    app
}

fn title(app: &App) -> String {
    screen(app, 240, 20)
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_resort_never_requests_a_page_wherever_it_leaves_the_cursor() {
    let mut app = first_page_app();
    let first = selected_id(&app);
    // Sorting by face id twice (descending) takes the cursor's face to the very end.
    for keys in ["2", "2", "1", "3", "4", "3", "u", "M"] {
        let effects = press(&mut app, keys);
        assert!(loads(&effects).is_empty(), "{keys}: {effects:#?}");
    }
    press(&mut app, "2 2");
    assert_eq!(selected_id(&app), first);
    assert!(app.faces.list.near_end(40), "the cursor sits at the end");
    assert!(!app.faces.pages.busy());
    assert!(
        title(&app).contains("sort: face id ↓ of 100 loaded"),
        "{}",
        title(&app)
    );
    // Moving there is asking for more.
    assert_eq!(loads(&press(&mut app, "j")).len(), 1);
}

#[test]
fn a_filter_reads_a_bounded_number_of_pages_and_says_what_it_covered() {
    let mut app = first_page_app();
    press(&mut app, "/");
    // "rider_00009" matches faces 90..=99 on the first page and none further on.
    let mut effects = type_text(&mut app, "rider_00009");
    effects.extend(press(&mut app, "Enter"));
    let mut requested = 0;
    let mut next = 100;
    loop {
        let found = loads(&effects);
        if found.is_empty() {
            break;
        }
        assert_eq!(found.len(), 1, "one page at a time");
        requested += 1;
        assert!(
            title(&app).contains("loading for the filter"),
            "{}",
            title(&app)
        );
        effects = answer_faces(&mut app, found[0].0, page(next, 100), Some("more"));
        next += 100;
        assert!(requested <= FACES_FILTER_PAGES, "unbounded");
    }
    assert_eq!(requested, FACES_FILTER_PAGES);
    let loaded = 100 + 100 * FACES_FILTER_PAGES;
    assert_eq!(app.faces.list.rows.len(), loaded);
    assert_eq!(app.faces.list.visible.len(), 10);
    let title = title(&app);
    assert!(title.contains("10 matches in 1,100 loaded"), "{title}");
    assert!(title.contains("G loads all"), "{title}");
    // Scrolling the matches asks for nothing more: the budget is spent; `G` reads on.
    assert!(loads(&press(&mut app, "j j j k")).is_empty());
    assert_eq!(loads(&press(&mut app, "G")).len(), 1);
}

#[test]
fn esc_stops_a_filter_reading_further_pages() {
    let mut app = first_page_app();
    press(&mut app, "/");
    let mut effects = type_text(&mut app, "nobody");
    effects.extend(press(&mut app, "Enter"));
    let [(generation, Some(_))] = loads(&effects)[..] else {
        panic!("no match on the first page: the filter reads on {effects:#?}");
    };
    let effects = answer_faces(&mut app, generation, page(100, 100), Some("p2"));
    let [(generation, Some(_))] = loads(&effects)[..] else {
        panic!("{effects:#?}");
    };
    // Esc: the page on its way still lands, nothing more is asked for, the filter stays.
    assert!(press(&mut app, "Esc").is_empty());
    assert!(notice(&app).contains("stopped loading: 200 faces loaded"));
    let effects = answer_faces(&mut app, generation, page(200, 100), Some("p3"));
    assert!(loads(&effects).is_empty(), "{effects:#?}");
    assert_eq!(app.faces.list.filter, "nobody");
    assert!(
        title(&app).contains("0 matches in 300 loaded"),
        "{}",
        title(&app)
    );
    // A second Esc clears the filter (and reads nothing).
    assert!(loads(&press(&mut app, "Esc")).is_empty());
    assert!(app.faces.list.filter.is_empty());
}

#[test]
fn g_reads_to_the_end_with_progress_and_the_age_starts_at_its_end() {
    let mut app = first_page_app();
    let [(mut generation, Some(_))] = loads(&press(&mut app, "G"))[..] else {
        panic!("G reads on");
    };
    for n in 1..5u32 {
        assert!(
            title(&app).contains(&format!(
                "loading to the end… {} so far · Esc stops",
                n * 100
            )),
            "{}",
            title(&app)
        );
        let last = n == 4;
        app.now += 1_000;
        let effects = answer_faces(
            &mut app,
            generation,
            page(n * 100, 100),
            (!last).then_some("more"),
        );
        match loads(&effects)[..] {
            [(g, Some(_))] if !last => generation = g,
            [] if last => {}
            _ => panic!("{effects:#?}"),
        }
    }
    assert_eq!(app.faces.list.rows.len(), 500);
    assert!(!app.faces.to_end);
    assert_eq!(
        app.faces.updated_at,
        Some(app.now),
        "confirmed at the end of the load"
    );
    let title = title(&app);
    assert!(title.contains("500 faces"), "{title}");
    assert!(!title.contains('+'), "{title}");
}

#[test]
fn d_reads_every_face_to_group_them_and_esc_leaves_it_grouping_what_is_loaded() {
    let mut app = first_page_app();
    let [(generation, Some(_))] = loads(&press(&mut app, "D"))[..] else {
        panic!("D reads on");
    };
    assert!(
        title(&app).contains("loading to the end… 100 so far"),
        "{}",
        title(&app)
    );
    // Face 100 is rider_000100's second face.
    let mut second = page(100, 100);
    second[0].external_image_id = Some("rider_000001".into());
    let [(generation, Some(_))] = loads(&answer_faces(&mut app, generation, second, Some("m")))[..]
    else {
        panic!("on to the end");
    };
    assert_eq!(app.faces.list.visible.len(), 2, "the pair, side by side");
    assert!(press(&mut app, "Esc").is_empty());
    assert!(
        loads(&answer_faces(
            &mut app,
            generation,
            page(200, 100),
            Some("n")
        ))
        .is_empty()
    );
    assert!(title(&app).contains("G loads all"), "{}", title(&app));
    assert!(app.faces.duplicates_only);
}

/// Opening the faces screen also asks `DescribeCollection` once: while not all faces are
/// loaded the title, a filter and `G`'s progress say "of ~N"; without the count (denied)
/// they say what was loaded, as before.
#[test]
fn the_collection_count_says_of_how_many_while_partial() {
    use stepdeck::app::msg::Msg;
    use stepdeck::app::update::update;
    use stepdeck::backend::BackendError;
    use stepdeck::domain::faces::CollectionInfo;

    let mut app = base_app();
    let effects = press(&mut app, "g f");
    let described: Vec<Generation> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::DescribeCollection { generation, .. } => Some(*generation),
            _ => None,
        })
        .collect();
    assert_eq!(described.len(), 1, "{effects:#?}");
    let (generation, _) = faces_request(&effects);
    answer_faces(&mut app, generation, page(0, 100), Some("p1"));
    assert!(title(&app).contains("100+ faces"), "{}", title(&app));
    update(
        &mut app,
        Msg::CollectionDescribed {
            generation: described[0],
            result: Ok(CollectionInfo { face_count: 40_000 }),
        },
    );
    let shown = title(&app);
    assert!(shown.contains("100 of ~40,000 faces"), "{shown}");
    press(&mut app, "/ r i d e r _ 0 0 0 0 0 Enter");
    let shown = title(&app);
    assert!(shown.contains("in 100 loaded of ~40,000"), "{shown}");
    press(&mut app, "Esc");
    press(&mut app, "G");
    let shown = title(&app);
    assert!(
        shown.contains("loading to the end… 100 of ~40,000 (0%)"),
        "{shown}"
    );

    // Denied: no total, and no second ask until the next reload.
    let mut denied = base_app();
    let effects = press(&mut denied, "g f");
    let (generation, _) = faces_request(&effects);
    let asked = effects
        .iter()
        .find_map(|e| match e {
            Effect::DescribeCollection { generation, .. } => Some(*generation),
            _ => None,
        })
        .unwrap();
    answer_faces(&mut denied, generation, page(0, 100), Some("p1"));
    let more = update(
        &mut denied,
        Msg::CollectionDescribed {
            generation: asked,
            result: Err(BackendError::AccessDenied {
                action: "rekognition:DescribeCollection".into(),
                message: "not allowed".into(),
            }),
        },
    );
    assert!(more.is_empty());
    assert!(title(&denied).contains("100+ faces"), "{}", title(&denied));
    assert!(denied.faces.expected_faces.is_none());
}
