//! The faces screen at production scale (issue 17), on a synthetic collection of 1,000,000
//! faces where one rider in ten was indexed twice and one image in fifty holds two faces:
//! grouping from scratch (goal ≤ 500 ms), a page of 4,096 added to 1,000,000 (≤ 5 ms), one
//! SearchFaces answer into 1,000,000 (≤ 1 ms) and a 200×50 frame with 1,000,000 loaded
//! (≤ 2 ms).

#[path = "../tests/flows/app_support.rs"]
mod app_support;
#[path = "../tests/flows/faces_support.rs"]
mod faces_support;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::{Duration, Instant};
use stepdeck::app::msg::Msg;
use stepdeck::app::screens::faces::State;
use stepdeck::app::update::update;
use stepdeck::domain::face_groups::FaceGroups;
use stepdeck::domain::faces::{Face, FaceMatch, LookalikeClusters};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;
const FACES: u32 = 1_000_000;
const PAGE: u32 = 4_096;

/// Face `n`: rider `n / 10 * 9 + n % 10` folds every tenth face onto its neighbour's rider,
/// and every fiftieth face shares its image with the one before.
fn face(n: u32) -> Face {
    let mut face = faces_support::face(
        n,
        &format!("rider_{:07}", n - n / 10),
        &format!("{:08x}", n - u32::from(n % 50 == 1)),
        Some(i64::from(n % 600)),
    );
    face.confidence = Some(99.0 + (n % 1_000) as f32 / 1_000.0);
    face
}

fn collection(from: u32, count: u32) -> Vec<Face> {
    (from..from + count).map(face).collect()
}

fn loaded(faces: &[Face]) -> State {
    let mut state = State::new("riders".into());
    for page in faces.chunks(PAGE as usize) {
        state.append_rows(page.to_vec());
    }
    state
}

fn bench(c: &mut Criterion) {
    let faces = collection(0, FACES);
    let mut slow = c.benchmark_group("faces at a million");
    // Each iteration of the first takes a good part of a second: the fewest samples.
    slow.sample_size(10);
    slow.bench_function("faces: group 1,000,000 from scratch", |b| {
        let clusters = LookalikeClusters::default();
        b.iter(|| black_box(FaceGroups::build(black_box(&faces), &clusters)))
    });
    slow.finish();

    let base = loaded(&faces);
    assert_eq!(base.list.rows.len(), FACES as usize);
    let mut state = base.clone();
    let mut next = FACES;
    c.bench_function("faces: add a page of 4,096 to 1,000,000", |b| {
        // Pages of new faces go on until 1,100,000, then the state starts again from
        // 1,000,000 (untimed): each page lands on at least a million.
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if next >= FACES + 100_000 {
                    state = base.clone();
                    next = FACES;
                }
                let page = collection(next, PAGE);
                next += PAGE;
                let start = Instant::now();
                state.append_rows(page);
                total += start.elapsed();
            }
            black_box(&state);
            total
        })
    });
    drop(state);

    c.bench_function("faces: one SearchFaces answer into 1,000,000", |b| {
        let mut state = base.clone();
        let mut n = 0u32;
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Face n looks like three others under other riders.
                let searched = (n * 7_919) % FACES;
                let matches: Vec<FaceMatch> = [1u32, 2, 3]
                    .iter()
                    .map(|d| FaceMatch {
                        face: face((searched + d * 104_729) % FACES),
                        similarity: 91.0,
                    })
                    .collect();
                let id = face(searched).face_id;
                n += 1;
                let start = Instant::now();
                state.lookalikes.add(&id, &matches);
                state
                    .index
                    .update_lookalike(&state.list.rows, &state.lookalikes, &id);
                total += start.elapsed();
            }
            total
        })
    });

    let mut app = faces_support::faces_app();
    update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    app.faces.set_rows(faces);
    let page_rows = app.page_rows();
    app.faces.list.set_cursor(500_000, page_rows);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    c.bench_function("faces: render 200x50 with 1,000,000 loaded", |b| {
        b.iter(|| {
            terminal
                .draw(|f| stepdeck::app::frame::render(black_box(&app), f))
                .unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
