//! The profiles of the user's AWS config and credentials files (`:profile` completion), read
//! with aws-config's own parser so names match what the SDK accepts.

use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

/// Profile names, sorted; empty when the files are missing or unreadable (completion is a
/// convenience: any name can still be typed).
pub async fn profile_names() -> Vec<String> {
    names_from(&Fs::real(), &Env::real()).await
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
    async fn no_files_no_profiles() {
        let env = Env::from_slice(&[("HOME", "/home/nobody")]);
        assert!(names_from(&Fs::from_slice(&[]), &env).await.is_empty());
    }
}
