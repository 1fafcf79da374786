//! The profiles of the user's AWS config and credentials files (`:profile` completion, and
//! naming a profile that is not there), read with aws-config's own parser so names match what
//! the SDK accepts.

use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

/// Profile names, sorted; empty when the files are missing or unreadable (completion is a
/// convenience: any name can still be typed).
pub async fn profile_names() -> Vec<String> {
    names_from(&Fs::real(), &Env::real()).await
}

/// Ok when `name` is a profile of the config or credentials file; else why not, in words
/// that name the profile, where it came from (`source`: None for `--profile`/`:profile`, or
/// the environment variable) and the files looked in.
pub async fn check_profile(name: &str, source: Option<&str>) -> Result<(), String> {
    check_profile_in(name, source, &Fs::real(), &Env::real()).await
}

async fn check_profile_in(
    name: &str,
    source: Option<&str>,
    fs: &Fs,
    env: &Env,
) -> Result<(), String> {
    if names_from(fs, env).await.iter().any(|known| known == name) {
        return Ok(());
    }
    let file = |variable: &str, default: &str| {
        env.get(variable)
            .ok()
            .filter(|path| !path.is_empty())
            .map_or_else(
                || default.to_string(),
                |path| format!("{}", path.escape_debug()),
            )
    };
    let from = source
        .map(|variable| format!(" (from {variable})"))
        .unwrap_or_default();
    Err(format!(
        "profile `{}`{from} is not in {} or {}",
        name.escape_debug(),
        file("AWS_CONFIG_FILE", "~/.aws/config"),
        file("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    ))
}

async fn names_from(fs: &Fs, env: &Env) -> Vec<String> {
    match aws_config::profile::load(fs, env, &EnvConfigFiles::default(), None).await {
        Ok(set) => {
            let mut names: Vec<String> = set.profiles().map(str::to_string).collect();
            names.sort();
            names.dedup();
            names
        }
        Err(error) => {
            tracing::info!("AWS profile files not read: {error}");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn profiles_of_both_files_are_listed_once() {
        let fs = Fs::from_slice(&[
            (
                "/home/u/.aws/config",
                "[default]\nregion = eu-west-1\n[profile prod]\nregion = us-east-1\n[sso-session corp]\nsso_region = eu-west-1\n",
            ),
            (
                "/home/u/.aws/credentials",
                "[default]\naws_access_key_id = A\n[ci]\naws_access_key_id = B\n",
            ),
        ]);
        let env = Env::from_slice(&[("HOME", "/home/u")]);
        assert_eq!(names_from(&fs, &env).await, ["ci", "default", "prod"]);
    }

    #[tokio::test]
    async fn an_unknown_profile_is_named_with_the_files_looked_in() {
        let fs = Fs::from_slice(&[(
            "/home/u/.aws/config",
            "[profile prod]\nregion = us-east-1\n",
        )]);
        let env = Env::from_slice(&[("HOME", "/home/u")]);
        assert_eq!(check_profile_in("prod", None, &fs, &env).await, Ok(()));
        assert_eq!(
            check_profile_in("doesnotexist", None, &fs, &env).await,
            Err("profile `doesnotexist` is not in ~/.aws/config or ~/.aws/credentials".into())
        );
        let env = Env::from_slice(&[("HOME", "/home/u"), ("AWS_CONFIG_FILE", "/etc/aws.conf")]);
        assert_eq!(
            check_profile_in("x\u{1b}", Some("AWS_PROFILE"), &fs, &env).await,
            Err("profile `x\\u{1b}` (from AWS_PROFILE) is not in /etc/aws.conf or ~/.aws/credentials".into())
        );
    }

    #[tokio::test]
    async fn no_files_no_profiles() {
        let env = Env::from_slice(&[("HOME", "/home/nobody")]);
        assert!(names_from(&Fs::from_slice(&[]), &env).await.is_empty());
    }
}
