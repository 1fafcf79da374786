//! The built-in suites: the workshop's four photos with the outcomes the pipeline gives them,
//! and the workshop's "Checking for duplicates" questions as a clear-and-retest loop.

use super::{Expectation, Expected, OutputAssertion, OutputCheck, Pattern, RunStep, Step, Suite};

pub const PHOTOS_SUITE: &str = "photos";
pub const DUPLICATES_SUITE: &str = "duplicates";

const HAPPY: &str = "1_happy_face";
const HAPPY_PHOTO: &str = "1_happy_face.jpg";
const DUPLICATE_REASON: &str = "already in the system";

fn run(case: &str, as_user: Option<&str>, expect: Expectation) -> Step {
    Step::Run(RunStep {
        case: case.to_string(),
        input: None,
        state_machine: None,
        as_user: as_user.map(str::to_string),
        expect,
    })
}

fn rejected(reason: &str) -> Expectation {
    let mut expect = Expectation::outcome(Expected::Rejected(Some(
        Pattern::parse(reason).expect("built-in reasons are valid"),
    )));
    // A rejected photo is neither indexed nor resized.
    expect.entered = vec!["PhotoDoesNotMeetRequirement".into()];
    expect.not_entered = vec!["ParallelProcessing".into()];
    expect
}

/// Accepted: both branches of `ParallelProcessing` ran and the thumbnail's key is in the
/// output; the rejection route was not taken.
fn accepted() -> Expectation {
    let mut expect = Expectation::outcome(Expected::Accepted);
    expect.entered = vec![
        "ParallelProcessing".into(),
        "AddFaceToIndex".into(),
        "Thumbnail".into(),
    ];
    expect.not_entered = vec!["PhotoDoesNotMeetRequirement".into()];
    expect.output = vec![
        OutputAssertion::new("$.parallelResult[0].FaceId", OutputCheck::Exists)
            .expect("built-in paths are valid"),
        OutputAssertion::new(
            "$.parallelResult[1].thumbnail.s3key",
            OutputCheck::Matches(Pattern::Text(format!("resized-{HAPPY_PHOTO}"))),
        )
        .expect("built-in paths are valid"),
    ];
    expect
}

fn clear_happy_face() -> Step {
    Step::ClearFaces {
        bucket: None,
        key: HAPPY_PHOTO.into(),
    }
}

/// The built-in suites, over the built-in test cases (`test_case::seed_test_cases`).
pub fn builtin_suites() -> Vec<Suite> {
    vec![
        Suite {
            name: PHOTOS_SUITE.into(),
            description: Some(
                "the workshop's four photos: one accepted, three rejected for their reasons".into(),
            ),
            independent: true,
            steps: vec![
                clear_happy_face(),
                run(HAPPY, None, accepted()),
                run(
                    "2_sunglass_face",
                    None,
                    rejected("Face is wearing sunglasses"),
                ),
                run(
                    "3_multiple_faces",
                    None,
                    rejected("/Detected [2-9]\\d* faces/"),
                ),
                run("4_no_face", None, rejected("Detected 0 faces")),
            ],
        },
        Suite {
            name: DUPLICATES_SUITE.into(),
            description: Some(
                "the same photo again, then as another user: rejected as a duplicate until \
                 its face is deleted"
                    .into(),
            ),
            independent: false,
            steps: vec![
                clear_happy_face(),
                run(HAPPY, Some("user_a"), accepted()),
                run(HAPPY, Some("user_a"), rejected(DUPLICATE_REASON)),
                run(HAPPY, Some("user_b"), rejected(DUPLICATE_REASON)),
                clear_happy_face(),
                run(HAPPY, Some("user_a"), accepted()),
            ],
        },
    ]
}
