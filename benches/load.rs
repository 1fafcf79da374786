//! Loading cost of the user's keymap and settings files at 1 MB and 10 MB: both were quadratic
//! in the file's size (a 2 MB keymap took 6.4 s to the first frame, 10 MB never drew); the
//! goal is linear, well under a second for 10 MB.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use stepdeck::keymap::Keymap;
use stepdeck::settings::parse_settings;

const KEYS: [&str; 12] = ["a", "b", "c", "d", "e", "f", "h", "i", "l", "m", "n", "o"];

/// A keymap of `bytes`: distinct three-key sequences under F-keys, with now and then an
/// unknown action and a duplicate, so that every path (kept, reported, counted) is taken.
fn keymap_text(bytes: usize) -> String {
    let mut text = String::from("[global]\nkeymap = [\n");
    let mut i = 0usize;
    while text.len() < bytes {
        let (f, a, b) = (i / 144 % 12 + 1, KEYS[i / 12 % 12], KEYS[i % 12]);
        let run = match i % 50 {
            0 => "no_such_action",
            _ => "help",
        };
        text.push_str(&format!(
            "  {{ on = \"F{f} {a} {b}\", run = \"{run}\", desc = \"entry {i}\" }},\n"
        ));
        i += 1;
    }
    text.push_str("]\n");
    text
}

/// Settings of `bytes`: a test-case library (names repeat after a while: reported).
fn settings_text(bytes: usize) -> String {
    let mut text = String::from("read_only = true\nrefresh_seconds = 5\n");
    let mut i = 0usize;
    while text.len() < bytes {
        text.push_str(&format!(
            "\n[[test_cases]]\nname = \"case {}\"\ninput = '{{\"userId\": \"user_{i}\", \"s3Bucket\": \"photos\", \"s3Key\": \"user_{i}/selfie.jpg\"}}'\n",
            i % 20_000
        ));
        i += 1;
    }
    text
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for mb in [1, 10] {
        let keymap = keymap_text(mb * 1024 * 1024);
        group.bench_function(format!("keymap {mb} MB"), |b| {
            b.iter(|| Keymap::load(Some((Path::new("keymap.toml"), black_box(&keymap)))))
        });
        let settings = settings_text(mb * 1024 * 1024);
        group.bench_function(format!("settings {mb} MB"), |b| {
            b.iter(|| parse_settings(Path::new("config.toml"), black_box(&settings)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
