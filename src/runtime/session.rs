//! A session's connection logic, from `main`: the app's options for a profile and region
//! (settings resolved for that target, overridden by the command line's picks) and the AWS
//! backend for them, including the connector `:profile` / `:region` call to switch.

use super::{Connected, Connector};
use crate::app::AppOptions;
use crate::backend::aws::{AwsBackend, AwsOptions};
use crate::backend::{AwsTarget, Backend, BackendError};
use crate::settings::{self, Settings};
use std::path::PathBuf;
use std::sync::Arc;

/// What the command line fixes for the whole session, whatever the profile and region.
#[derive(Clone)]
pub struct Session {
    pub refresh: Option<f64>,
    pub read_only: bool,
    pub endpoint_url: Option<String>,
    pub settings_path: Option<PathBuf>,
}

/// Names given on the command line for the starting profile and region only (after `:profile`
/// or `:region` the settings for the new target apply).
#[derive(Default)]
pub struct Picks {
    pub state_machine: Option<String>,
    pub collection: Option<String>,
    pub thumbnail_bucket: Option<String>,
}

impl Session {
    /// The app's options from `settings` (already resolved for the target) and the picks.
    pub fn app_options(
        &self,
        settings: &Settings,
        picks: &Picks,
        startup_problems: Vec<String>,
        aws_target: Option<AwsTarget>,
        default_photo_bucket: Option<&str>,
    ) -> AppOptions {
        let refresh = Settings {
            refresh_seconds: self.refresh.or(settings.refresh_seconds),
            ..Settings::default()
        };
        AppOptions {
            state_machine: picks
                .state_machine
                .clone()
                .or(settings.state_machine.clone()),
            refresh_interval_ms: refresh.refresh_interval_ms(),
            startup_problems,
            collection: picks
                .collection
                .clone()
                .unwrap_or_else(|| settings.collection()),
            thumbnail_bucket: picks
                .thumbnail_bucket
                .clone()
                .or(settings.thumbnail_bucket.clone()),
            journal_path: settings.journal_path(),
            read_only: self.read_only || settings.read_only.unwrap_or(false),
            test_cases: settings.test_case_library(default_photo_bucket),
            settings_path: self.settings_path.clone(),
            // On AWS the built-in cases name the photo bucket, found by its name unless set.
            find_photo_bucket: aws_target.is_some()
                && settings.photo_bucket.is_none()
                && settings.builtin_test_cases.unwrap_or(true),
            aws_target,
            aws_profiles: Vec::new(),
        }
    }

    /// Connects to AWS with `profile` and `region` (None: the standard chain's).
    pub async fn connect(
        &self,
        profile: Option<String>,
        region: Option<String>,
    ) -> Result<(Arc<dyn Backend>, AwsTarget), String> {
        let options = AwsOptions {
            profile: profile.clone(),
            region,
            endpoint_url: self.endpoint_url.clone(),
        };
        let backend = AwsBackend::connect(options)
            .await
            .map_err(|e| e.to_string())?;
        // The profile the SDK uses when none is named: $AWS_PROFILE, else `default`.
        let profile = profile
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".into());
        let target = AwsTarget {
            profile,
            region: backend.info().region,
        };
        Ok((Arc::new(backend), target))
    }

    /// What `:profile` and `:region` call: connect, then read the settings file again (the
    /// console may have remembered choices since the start) for the new target.
    pub fn connector(&self) -> Connector {
        let session = self.clone();
        Arc::new(move |profile, region| {
            let session = session.clone();
            Box::pin(async move {
                let (backend, target) = session.connect(Some(profile), region).await?;
                // Credentials that do not work (expired SSO, a typo in the profile) keep the
                // current connection instead of replacing it with one that only shows errors.
                backend.caller_identity().await.map_err(|e| match e {
                    BackendError::Credentials(_) => format!("the credentials do not work ({e})"),
                    BackendError::Network(_) => {
                        format!("AWS cannot be reached there (unknown region or endpoint? {e})")
                    }
                    e => format!("sts:GetCallerIdentity failed ({e})"),
                })?;
                let (settings, problems) = match &session.settings_path {
                    Some(path) => settings::load_settings(path),
                    None => (Settings::default(), Vec::new()),
                };
                let mut options = session.app_options(
                    &settings.for_target(&target),
                    &Picks::default(),
                    problems,
                    Some(target),
                    None,
                );
                options.aws_profiles = crate::backend::aws::profiles::profile_names().await;
                Ok(Connected { backend, options })
            })
        })
    }
}
