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
    /// The share of each API's published bucket the console may use (`api_budget_share`);
    /// None: `quotas::DEFAULT_SHARE`.
    pub api_budget_share: Option<f64>,
}

pub(super) struct Clients {
    pub sfn: aws_sdk_sfn::Client,
    pub rekognition: aws_sdk_rekognition::Client,
    pub s3: aws_sdk_s3::Client,
    pub sts: aws_sdk_sts::Client,
    pub info: BackendInfo,
}

/// Environment variables that set the endpoint of a service the console calls; the SDK takes
/// any value, and an empty one panics inside its endpoint resolver on the first call.
pub const ENDPOINT_VARIABLES: [&str; 5] = [
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SFN",
    "AWS_ENDPOINT_URL_REKOGNITION",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_STS",
];

/// Why `url` cannot be an endpoint, in plain words; Ok for `http(s)://host[:port][/path]`.
/// Checked before the SDK sees it: an empty endpoint panics inside the SDK, a malformed one
/// comes back from every call as the SDK's dump of the request.
pub fn check_endpoint_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Err("it is empty (an unset shell variable?)".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains spaces or control characters".into());
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = ["http://", "https://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
    else {
        return Err("it must start with http:// or https://".into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = match host_port.strip_prefix('[') {
        // An IPv6 address: `[::1]:5000`.
        Some(bracketed) => match bracketed.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => return Err("its IPv6 address lacks the closing `]`".into()),
        },
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err("it names no host".into());
    }
    if let Some(port) = port
        && port.parse::<u16>().is_err()
    {
        return Err(format!("its port `{port}` is not a number from 0 to 65535"));
    }
    Ok(())
}

/// Why `region` is not shaped like an AWS region name (`eu-west-1`, `us-gov-west-1`,
/// `eusc-de-east-1`): lowercase words joined by `-`, ending in a number. A garbage region
/// otherwise reaches every call as an endpoint the SDK cannot build, retried as if it were
/// the network.
pub fn check_region_name(region: &str) -> Result<(), String> {
    if region.is_empty() {
        return Err("it is empty (an unset shell variable?)".into());
    }
    let parts: Vec<&str> = region.split('-').collect();
    let lowercase_word =
        |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase());
    let shaped = parts.len() >= 3
        && parts[..parts.len() - 1].iter().all(lowercase_word)
        && parts.last().is_some_and(|number| {
            (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
        });
    if shaped {
        Ok(())
    } else {
        Err("it is not shaped like an AWS region name such as `eu-west-1`".into())
    }
}

/// `text` with control characters escaped, for messages quoting what the user or a file
/// gave: it must not reach the terminal raw.
pub fn quoted(text: &str) -> String {
    format!("`{}`", text.escape_debug())
}

pub(super) async fn clients(options: &AwsOptions) -> BackendResult<Clients> {
    // A profile that is not in the files is named here; the SDK would otherwise report the
    // missing region or credentials the unknown profile causes, never the profile itself.
    let profile = match &options.profile {
        Some(name) => Some((name.clone(), None)),
        None => EnvVars
            .var("AWS_PROFILE")
            .map(|name| (name, Some("AWS_PROFILE"))),
    };
    if let Some((name, source)) = profile {
        super::profiles::check_profile(&name, source)
            .await
            .map_err(BackendError::Other)?;
    }
    // rustls on ring: the SDK's default TLS stack (aws-lc) is a long C build for no gain here.
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        // The adapter retries itself, each attempt through the governor (a token of the API's
        // budget) and counted. The SDK's retry modes would retry out of the governor's sight
        // (standard: up to 3 attempts per call; adaptive: a rate limiter per client, not per
        // API, that knows nothing of the account's quotas): a second, hidden retry layer would
        // multiply the calls made on the user's account.
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
        BackendError::Other(
            "no AWS region: pass --region, set AWS_REGION, or set `region` in the profile".into(),
        )
    })?;
    // Wherever they came from (the flags, the environment, the profile), the region and the
    // endpoint are checked before any call is built with them.
    check_region_name(&region).map_err(|why| {
        BackendError::Other(format!(
            "the region {} (from --region, AWS_REGION or the profile) cannot be used: {why}",
            quoted(&region)
        ))
    })?;
    if let Some(endpoint) = config.endpoint_url() {
        check_endpoint_url(endpoint).map_err(|why| {
            BackendError::Other(format!(
                "the endpoint URL {} (from --endpoint-url, AWS_ENDPOINT_URL or the profile's \
                 endpoint_url) cannot be used: {why}",
                quoted(endpoint)
            ))
        })?;
    }

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
        return crate::backend::ENVIRONMENT_CREDENTIALS.into();
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
    fn endpoints_are_http_urls_with_a_host() {
        for good in [
            "http://127.0.0.1:5000",
            "https://localhost.localstack.cloud:4566/",
            "HTTP://[::1]:4566",
            "https://states.eu-west-1.amazonaws.com",
        ] {
            assert_eq!(check_endpoint_url(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("notaurl", "http:// or https://"),
            ("ftp://host", "http:// or https://"),
            ("http://", "no host"),
            ("http://:5000", "no host"),
            ("http://host:50x0", "port `50x0`"),
            ("http://host:99999", "port"),
            ("http://ho st", "spaces"),
            ("http://[::1:5000", "`]`"),
        ] {
            let problem = check_endpoint_url(bad).expect_err(bad);
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }

    #[test]
    fn regions_are_lowercase_words_ending_in_a_number() {
        for good in [
            "eu-west-1",
            "us-gov-west-1",
            "us-isob-east-1",
            "eusc-de-east-1",
            "ap-southeast-4",
        ] {
            assert_eq!(check_region_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "eu",
            "eu-west",
            "EU-WEST-1",
            "eu-west-123",
            "eu--1",
            "eu west 1",
            "eu-west-1\u{1b}",
        ] {
            assert!(check_region_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_region_name("").unwrap_err().contains("empty"));
    }

    #[test]
    fn quoted_text_carries_no_control_characters() {
        assert_eq!(quoted("a\u{1b}]0;x\u{7}"), "`a\\u{1b}]0;x\\u{7}`");
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
