//! `stepdeck cache` as a process: what the store holds, and `cache clear` by region or whole,
//! on a store file named by the settings (no AWS call, no terminal).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use stepdeck::domain::execution::{ExecutionDetail, ExecutionStatus, ExecutionSummary};
use stepdeck::store::Store;

const T0: i64 = 1_764_064_800_000;

/// A folder with a settings file naming a store inside it; removed when dropped.
struct Place(PathBuf);

impl Place {
    fn new(test: &str) -> Place {
        let dir =
            std::env::temp_dir().join(format!("stepdeck-cache-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = dir.join("store.sqlite3");
        std::fs::write(
            dir.join("config.toml"),
            format!(
                "store_path = {:?}\nstore_limit_mb = 64\n",
                store.display().to_string()
            ),
        )
        .unwrap();
        Place(dir)
    }

    fn store(&self) -> PathBuf {
        self.0.join("store.sqlite3")
    }

    fn cache(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_stepdeck"))
            .arg("cache")
            .args(args)
            .arg("--config")
            .arg(self.0.join("config.toml"))
            .env("HOME", &self.0)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn described(region: &str, name: &str) -> ExecutionDetail {
    let machine = format!("arn:aws:states:{region}:123456789012:stateMachine:RiderPhotoProcessing");
    ExecutionDetail {
        summary: ExecutionSummary {
            arn: format!(
                "arn:aws:states:{region}:123456789012:execution:RiderPhotoProcessing:{name}"
            ),
            name: name.into(),
            state_machine_arn: machine,
            status: ExecutionStatus::Succeeded,
            start: T0,
            stop: Some(T0 + 1_000),
            input_label: None,
            outcome: None,
        },
        input: Some("{}".into()),
        output: Some("{}".into()),
        error: None,
        cause: None,
        redrive_count: 0,
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn cache_says_what_the_store_holds_and_clear_empties_a_region_or_all() {
    let place = Place::new("clear");
    let absent = place.cache(&[]);
    assert!(absent.status.success());
    assert!(
        stdout(&absent).starts_with("no store yet at "),
        "{}",
        stdout(&absent)
    );
    {
        let (store, _) = Store::open(&place.store(), 64 << 20, T0).unwrap();
        for (region, name) in [("eu-west-1", "a"), ("eu-west-1", "b"), ("us-east-1", "c")] {
            assert!(
                store
                    .put_description("", &described(region, name), T0)
                    .unwrap()
            );
        }
    }

    let shown = place.cache(&[]);
    assert!(shown.status.success(), "{shown:?}");
    let text = stdout(&shown);
    assert!(
        text.contains(&format!("store        {}", place.store().display())),
        "{text}"
    );
    assert!(text.contains("of 64 MB"), "{text}");
    assert!(text.contains("descriptions 3\n"), "{text}");

    let one_region = place.cache(&["clear", "--region", "eu-west-1"]);
    assert!(one_region.status.success(), "{one_region:?}");
    let text = stdout(&one_region);
    assert!(
        text.starts_with("cleared region eu-west-1: 2 rows removed\n"),
        "{text}"
    );
    assert!(text.contains("descriptions 1\n"), "{text}");

    let all = place.cache(&["clear", "--all"]);
    assert!(all.status.success(), "{all:?}");
    assert!(
        stdout(&all).contains("descriptions 0\n"),
        "{}",
        stdout(&all)
    );

    // `clear` alone says what it needs.
    let bare = place.cache(&["clear"]);
    assert_eq!(bare.status.code(), Some(2));
    let said = String::from_utf8_lossy(&bare.stderr);
    assert!(
        said.contains("--region") || said.contains("--all"),
        "{said}"
    );
}
