//! Credentials and profiles the way the AWS CLI resolves them: a profile of the config file
//! selects region and keys; a profile without credentials (and nothing else in the chain)
//! is a clear credentials error before anything is sent; a profile in neither file is named. Its own test binary because it sets
//! the process's AWS environment (config file paths, no credential variables).
//!
//! The credentials-error part needs no server and always runs; the part that calls the
//! test server needs `STEPDECK_TEST_ENDPOINT` (see tests/aws/common.rs for when a missing one fails).

#[path = "aws/common.rs"]
mod common;

use stepdeck::backend::aws::{AwsBackend, AwsOptions};
use stepdeck::backend::{Backend, BackendError};

const CONFIG: &str = "\
[profile stepdeck-static]
region = eu-west-1
aws_access_key_id = AKIASTEPDECKPROFILE
aws_secret_access_key = stepdeck-profile-secret

[profile stepdeck-empty]
region = us-east-1

[profile stepdeck-no-region]
aws_access_key_id = AKIASTEPDECKNOREGION
aws_secret_access_key = stepdeck-no-region-secret
";

fn isolate_from_the_machine_aws_setup(dir: &std::path::Path) {
    let config = dir.join("config");
    std::fs::write(&config, CONFIG).unwrap();
    // SAFETY: the only test of this binary sets these before loading any AWS configuration;
    // nothing else in the process touches the environment meanwhile.
    unsafe {
        for variable in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_ENDPOINT_URL",
        ] {
            std::env::remove_var(variable);
        }
        std::env::set_var("AWS_CONFIG_FILE", &config);
        std::env::set_var(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("no-credentials-file"),
        );
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_select_region_and_credentials() {
    let dir = std::env::temp_dir().join(common::unique("stepdeck-aws-config"));
    std::fs::create_dir_all(&dir).unwrap();
    isolate_from_the_machine_aws_setup(&dir);

    // No credentials anywhere in the chain: a credentials error, nothing sent. A closed
    // loopback port proves no connection was needed to find that out.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let empty = AwsBackend::connect(AwsOptions {
        profile: Some("stepdeck-empty".into()),
        region: None,
        endpoint_url: Some(closed),
        api_budget_share: None,
    })
    .await
    .unwrap();
    assert_eq!(empty.info().region, "us-east-1", "region from the profile");
    assert_eq!(empty.info().identity, "profile stepdeck-empty");
    let result = empty.list_state_machines().await;
    assert!(
        matches!(&result, Err(BackendError::Credentials(m)) if m.contains("states:ListStateMachines")),
        "{result:?}"
    );

    // No region from anywhere: said at connect time, before any call.
    let nowhere = AwsBackend::connect(AwsOptions {
        profile: Some("stepdeck-no-region".into()),
        region: None,
        endpoint_url: None,
        api_budget_share: None,
    })
    .await;
    assert!(
        matches!(&nowhere, Err(BackendError::Other(m)) if m.contains("--region")),
        "{:?}",
        nowhere.err()
    );

    // A profile in neither file is named, not reported as the region it lacks.
    let unknown = AwsBackend::connect(AwsOptions {
        profile: Some("no-such-profile".into()),
        region: Some("eu-west-1".into()),
        endpoint_url: None,
        api_budget_share: None,
    })
    .await;
    assert!(
        matches!(&unknown, Err(BackendError::Other(m))
            if m.starts_with("profile `no-such-profile` is not in")),
        "{:?}",
        unknown.err()
    );

    // `--region` overrides the profile's region.
    let overridden = AwsBackend::connect(AwsOptions {
        profile: Some("stepdeck-static".into()),
        region: Some("ap-southeast-2".into()),
        endpoint_url: None,
        api_budget_share: None,
    })
    .await
    .unwrap();
    assert_eq!(overridden.info().region, "ap-southeast-2");
    assert_eq!(overridden.info().endpoint, None);

    // The profile's static keys sign real requests to the test server.
    if let Some(endpoint) = common::test_endpoint() {
        let backend = AwsBackend::connect(AwsOptions {
            profile: Some("stepdeck-static".into()),
            region: None,
            endpoint_url: Some(endpoint.clone()),
            api_budget_share: None,
        })
        .await
        .unwrap();
        assert_eq!(backend.info().region, "eu-west-1");
        assert_eq!(backend.info().endpoint.as_deref(), Some(endpoint.as_str()));
        backend.list_state_machines().await.unwrap();
        assert_eq!(backend.api_calls().count("ListStateMachines"), 1);
    }
    std::fs::remove_dir_all(&dir).ok();
}
