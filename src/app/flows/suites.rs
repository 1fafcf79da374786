//! Running a test suite from the tests screen takes what other screens know: the test cases
//! (runs), the photo and thumbnail buckets (thumbnails).

use crate::app::App;
use crate::domain::suites::runner::Defaults;

/// What a suite's steps leave unsaid, from what the console knows: the test cases, the photo
/// bucket (found among the buckets, else the one the test cases read from) and the
/// thumbnail bucket.
pub fn suite_defaults(app: &App) -> Defaults {
    let from_cases = || {
        app.runs.test_cases.iter().find_map(|case| {
            let input: serde_json::Value = serde_json::from_str(&case.input).ok()?;
            input.get("s3Bucket")?.as_str().map(str::to_string)
        })
    };
    Defaults {
        cases: app.runs.test_cases.clone(),
        photo_bucket: app.thumbnails.photo_bucket.clone().or_else(from_cases),
        thumbnail_bucket: app.thumbnails.bucket.clone(),
    }
}
