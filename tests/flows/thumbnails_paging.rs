//! The thumbnails screen reads further pages only by the user's intent: a key bringing the
//! cursor near the end, `G` to the end, Enter on a filter (bounded); a re-sort, a filter being
//! typed or a page arriving never asks for one. Titles say what filter and sort cover.

use crate::app_support::*;
use crate::faces_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::{Generation, Msg};
use stepdeck::app::screens::thumbnails::Seek;
use stepdeck::app::screens::thumbnails::paging::FILTER_PAGES;
use stepdeck::app::update::update;
use stepdeck::backend::Page;
use stepdeck::domain::objects::ObjectInfo;

/// Page `n` of a bucket of 1,000-object pages: keys `resized-p<n>-<i>.jpg`, sizes spread so
/// that a sort by size interleaves pages; `every` of them is a `selfie` (0: none).
fn page_of(n: usize, selfie_every: usize) -> Vec<ObjectInfo> {
    (0..1000)
        .map(|i| {
            let name = if selfie_every > 0 && i % selfie_every == 0 {
                "selfie"
            } else {
                "photo"
            };
            object(
                &format!("resized-p{n:03}-{i:04}-{name}.jpg"),
                ((i * 7919 + n * 31) % 50_000) as u64,
                (i % 60) as i64,
            )
        })
        .collect()
}

/// The single request for the thumbnail bucket's objects in `effects`, if any.
fn thumbs_request(effects: &[Effect]) -> Option<(Generation, Option<String>)> {
    let found: Vec<_> = objects_requests(effects)
        .into_iter()
        .filter(|(_, bucket, _)| bucket == THUMBS)
        .map(|(generation, _, token)| (generation, token))
        .collect();
    assert!(found.len() <= 1, "{effects:#?}");
    found.into_iter().next()
}

/// Answers the objects request `generation` with page `n` (more follow while `more`).
fn answer(app: &mut App, generation: Generation, n: usize, selfie_every: usize) -> Vec<Effect> {
    update(
        app,
        Msg::Objects {
            generation,
            result: Ok(Page {
                items: page_of(n, selfie_every),
                next_token: Some(format!("after-page-{n}")),
            }),
        },
    )
}

/// The thumbnails screen with the first of many pages listed.
fn many_pages_app(selfie_every: usize) -> App {
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
    let (generation, token) = thumbs_request(&effects).expect("the first page");
    assert_eq!(token, None);
    let effects = answer(&mut app, generation, 0, selfie_every);
    assert_eq!(
        thumbs_request(&effects),
        None,
        "a first page reads no second"
    );
    app
}

fn title(app: &App) -> String {
    screen(app, 200, 32)
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_re_sort_never_requests_a_page() {
    let mut app = many_pages_app(0);
    // Sorting (by size, again the other way, by date) with the cursor anywhere.
    for keys in ["2", "2", "3", "G"] {
        let effects = press(&mut app, keys);
        if keys != "G" {
            assert_eq!(thumbs_request(&effects), None, "{keys}");
        }
    }
    // `G` read on; stopped with Esc, the page on its way still arrives and asks for no other.
    let generation = app.thumbnails.pages.in_flight.as_ref().unwrap().0;
    press(&mut app, "Esc");
    assert!(notice(&app).contains("stopped loading: 1,000 objects loaded"));
    let effects = answer(&mut app, generation, 1, 0);
    assert_eq!(thumbs_request(&effects), None);
    assert_eq!(app.thumbnails.list.rows.len(), 2_000);
    // The cursor is near the end after the re-sort: sorting again asks for nothing.
    assert!(app.thumbnails.list.near_end(40));
    for keys in ["2", "2", "1"] {
        assert_eq!(thumbs_request(&press(&mut app, keys)), None, "{keys}");
    }
    // Keys that move the cursor ask for one page once it comes near the end, not before.
    press(&mut app, "g g");
    let mut moves = 0;
    let (generation, token) = loop {
        moves += 1;
        if let Some(request) = thumbs_request(&press(&mut app, "j")) {
            break request;
        }
        assert!(moves < 2_000);
    };
    assert_eq!(app.thumbnails.list.cursor, 2_000 - 40);
    assert_eq!(token.as_deref(), Some("after-page-1"));
    // Its arrival asks for no other, wherever the sort leaves the cursor.
    let effects = answer(&mut app, generation, 2, 0);
    assert_eq!(thumbs_request(&effects), None);
    assert_eq!(app.thumbnails.list.rows.len(), 3_000);
}

#[test]
fn g_reads_to_the_end_with_the_cursor_on_the_last_row_in_sort_order() {
    let mut app = many_pages_app(0);
    press(&mut app, "2");
    let (mut generation, _) = thumbs_request(&press(&mut app, "G")).expect("G reads on");
    for n in 1..5 {
        let effects = answer(&mut app, generation, n, 0);
        generation = thumbs_request(&effects).expect("on to the end").0;
    }
    assert!(title(&app).contains("5,000+ loaded  loading all (Esc stops)  sort size ↓ (loaded)"));
    // The last page.
    let effects = update(
        &mut app,
        Msg::Objects {
            generation,
            result: Ok(Page {
                items: vec![object("resized-last.jpg", 0, 0)],
                next_token: None,
            }),
        },
    );
    assert_eq!(thumbs_request(&effects), None);
    assert_eq!(app.thumbnails.seek, None);
    let s = &app.thumbnails;
    assert_eq!(s.list.rows.len(), 5_001);
    // Merged page by page, the order is the full sort's: largest first, the last 0-byte one
    // (loaded last) last.
    let sizes: Vec<u64> = s
        .list
        .visible
        .iter()
        .map(|&i| s.list.rows[i].size)
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(s.selected().unwrap().key, "resized-last.jpg");
    let title = title(&app);
    assert!(title.contains("5,001 objects"), "{title}");
    assert!(
        title.contains("sort size ↓") && !title.contains("(loaded)"),
        "{title}"
    );
}

#[test]
fn typing_a_filter_reads_no_page_enter_reads_a_bounded_number_and_esc_stops() {
    let mut app = many_pages_app(0);
    press(&mut app, "/");
    let effects = type_text(&mut app, "selfie");
    assert_eq!(thumbs_request(&effects), None, "typing reads no page");
    assert_eq!(app.thumbnails.list.visible.len(), 0);
    let (mut generation, _) = thumbs_request(&press(&mut app, "Enter")).expect("Enter reads on");
    assert_eq!(
        app.thumbnails.seek,
        Some(Seek::Matches {
            left: FILTER_PAGES - 1,
            pages: FILTER_PAGES
        })
    );
    let mut pages = 1;
    loop {
        let effects = answer(&mut app, generation, pages, 0);
        match thumbs_request(&effects) {
            Some((next, _)) => {
                generation = next;
                pages += 1;
            }
            None => break,
        }
        assert!(pages <= FILTER_PAGES, "the search is bounded");
    }
    assert_eq!(pages, FILTER_PAGES);
    assert_eq!(app.thumbnails.seek, None);
    let loaded = 1_000 * (FILTER_PAGES + 1);
    assert_eq!(app.thumbnails.list.rows.len(), loaded);
    assert!(
        title(&app).contains(&format!("0 matches in {},000+ loaded", FILTER_PAGES + 1)),
        "{}",
        title(&app)
    );
    // Enter again reads as many more; Esc stops it, the filter stays.
    press(&mut app, "/");
    let (generation, _) = thumbs_request(&press(&mut app, "Enter")).expect("Enter again");
    assert!(title(&app).contains("searching 1/20 pages (Esc stops)"));
    press(&mut app, "Esc");
    assert_eq!(app.thumbnails.seek, None);
    assert_eq!(app.thumbnails.list.filter, "selfie");
    let effects = answer(&mut app, generation, 99, 0);
    assert_eq!(thumbs_request(&effects), None);
}

#[test]
fn a_filter_search_stops_at_a_screenful_of_matches_and_the_title_says_what_it_covered() {
    // One selfie in 100: 10 a page, a screenful (page_rows at 120×32) after a few pages.
    let mut app = many_pages_app(100);
    press(&mut app, "/");
    type_text(&mut app, "SELFIE");
    assert_eq!(app.thumbnails.list.visible.len(), 10);
    let (mut generation, _) = thumbs_request(&press(&mut app, "Enter")).unwrap();
    let mut pages = 1;
    while let Some((next, _)) = thumbs_request(&answer(&mut app, generation, pages, 100)) {
        generation = next;
        pages += 1;
    }
    let screenful = app.thumbnails.list.visible.len();
    assert!(
        pages < FILTER_PAGES,
        "stopped at a screenful, after {pages}"
    );
    assert_eq!(screenful, 10 * (pages + 1));
    assert_eq!(
        title(&app)
            .split("  ")
            .find(|part| part.contains("matches"))
            .unwrap(),
        format!("{screenful} matches in {},000+ loaded", pages + 1)
    );
    // Typing on narrows what matched and reads nothing; deleting it widens again.
    press(&mut app, "/");
    assert_eq!(thumbs_request(&type_text(&mut app, "x")), None);
    assert_eq!(app.thumbnails.list.visible.len(), 0);
    assert_eq!(thumbs_request(&press(&mut app, "Backspace")), None);
    assert_eq!(app.thumbnails.list.visible.len(), screenful);
}

#[test]
fn a_terminal_too_small_still_counts_the_objects_with_separators() {
    let app = many_pages_app(0);
    let text = screen(&app, 30, 5);
    assert!(text.contains("1,000+ objects"), "{text}");
}
