//! Building the SDK clients the way every AWS tool does: aws-config's standard chain
//! (environment, profile files, SSO, assumed roles, IMDS) with the user's `--profile`,
//! `--region` and `--endpoint-url` on top.

use crate::backend::{BackendError, BackendInfo, BackendResult};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use std::time::Duration;

/// Where and as whom to connect; None means "as the AWS CLI would decide" (environment
/// variables, the config and credentials files, SSO, IMDS, …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AwsOptions {
    /// `--profile`: a profile of `~/.aws/config`.
    pub profile: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url`: a custom endpoint for every service (LocalStack, moto).
    pub endpoint_url: Option<String>,
}

pub(super) struct Clients {
    pub sfn: aws_sdk_sfn::Client,
    pub rekognition: aws_sdk_rekognition::Client,
    pub s3: aws_sdk_s3::Client,
    pub sts: aws_sdk_sts::Client,
    pub info: BackendInfo,
}

pub(super) async fn clients(options: &AwsOptions) -> BackendResult<Clients> {
    // rustls on ring: the SDK's default TLS stack (aws-lc) is a long C build for no gain here.
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        // The adapter retries throttling itself, with its own budget and call counting; a
        // second, hidden retry layer would multiply the calls made on the user's account.
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(30))
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &options.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    let config = loader.load().await;
    let region = config.region().map(|r| r.to_string()).ok_or_else(|| {
        BackendError::Invalid(
            "no AWS region: pass --region, set AWS_REGION, or set `region` in the profile".into(),
        )
    })?;

    let s3_config = aws_sdk_s3::config::Builder::from(&config)
        // Custom endpoints (moto, LocalStack) serve buckets by path, not by virtual host.
        .force_path_style(options.endpoint_url.is_some())
        .build();

    Ok(Clients {
        sfn: aws_sdk_sfn::Client::new(&config),
        rekognition: aws_sdk_rekognition::Client::new(&config),
        s3: aws_sdk_s3::Client::from_conf(s3_config),
        sts: aws_sdk_sts::Client::new(&config),
        info: BackendInfo {
            kind: "aws".into(),
            identity: identity_label(options.profile.as_deref(), &EnvVars),
            region,
            endpoint: options.endpoint_url.clone(),
        },
    })
}

/// Reads environment variables; a trait so the label logic is tested without touching the
/// process environment.
pub(super) trait Environment {
    fn var(&self, name: &str) -> Option<String>;
}

struct EnvVars;

impl Environment for EnvVars {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

/// Who the console acts as, for the header: the profile, or where credentials come from.
/// (The account id needs an STS call: `Backend::caller_identity`, asked for separately.)
pub(super) fn identity_label(profile: Option<&str>, env: &dyn Environment) -> String {
    if let Some(profile) = profile {
        return format!("profile {profile}");
    }
    if let Some(profile) = env.var("AWS_PROFILE") {
        return format!("profile {profile}");
    }
    if env.var("AWS_ACCESS_KEY_ID").is_some() {
        return "environment credentials".into();
    }
    "profile default".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct FakeEnv(HashMap<&'static str, &'static str>);

    impl Environment for FakeEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| v.to_string())
        }
    }

    #[test]
    fn identity_prefers_the_explicit_profile_then_the_environment() {
        let env = FakeEnv(HashMap::from([
            ("AWS_PROFILE", "ops"),
            ("AWS_ACCESS_KEY_ID", "AKIA"),
        ]));
        assert_eq!(identity_label(Some("prod"), &env), "profile prod");
        assert_eq!(identity_label(None, &env), "profile ops");
        let keys_only = FakeEnv(HashMap::from([("AWS_ACCESS_KEY_ID", "AKIA")]));
        assert_eq!(identity_label(None, &keys_only), "environment credentials");
        assert_eq!(
            identity_label(None, &FakeEnv(HashMap::new())),
            "profile default"
        );
    }
}
