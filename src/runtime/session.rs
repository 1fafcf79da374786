//! A session's connection logic, from `main`: the app's options for a profile and region
//! (settings resolved for that target, overridden by the command line's picks) and the AWS
//! backend for them, including the connector `:profile` / `:region` call to switch.

use super::{Connected, Connector};
use crate::app::AppOptions;
use crate::app::options::ReadOnlyCause;
use crate::backend::aws::{AwsBackend, AwsOptions};
use crate::backend::{AwsTarget, Backend, BackendError};
use crate::settings::{self, Settings};
use crate::store::Store;
use crate::store::remembering::Remembering;
use std::path::PathBuf;
use std::sync::Arc;

/// What the command line fixes for the whole session, whatever the profile and region.
#[derive(Clone)]
pub struct Session {
    pub refresh: Option<f64>,
    pub read_only: bool,
    pub endpoint_url: Option<String>,
    pub settings_path: Option<PathBuf>,
    /// The settings file was named (`--config`): it must exist.
    pub settings_named: bool,
    /// `api_budget_share` of the settings read at start, for every connection.
    pub api_budget_share: Option<f64>,
    /// The on-disk store opened at start (None: `store = false`, or it could not be opened):
    /// every AWS connection remembers finished executions in it.
    pub store: Option<Arc<Store>>,
}

/// Where the store lives and how large it may grow, from the settings (None: `store = false`
/// or no data folder).
pub fn store_place(settings: &Settings) -> Option<(std::path::PathBuf, u64)> {
    if settings.store == Some(false) {
        return None;
    }
    let path = settings.store_path.clone().or_else(Store::default_path)?;
    let limit = settings
        .store_limit_mb
        .map_or(Store::DEFAULT_LIMIT_BYTES, |mb| (mb * 1_048_576.0) as u64);
    Some((path, limit))
}

/// Opens the store the settings ask for. A store that cannot be opened is no reason not to
/// start: None, with the sentence to say once. A corrupt file moved aside opens afresh, with
/// its note.
pub fn open_store(settings: &Settings) -> (Option<Arc<Store>>, Option<String>) {
    let Some((path, limit)) = store_place(settings) else {
        return (None, None);
    };
    match Store::open(&path, limit, super::wall_clock_ms()) {
        Ok((store, note)) => (Some(Arc::new(store)), note),
        Err(error) => (None, Some(format!("{error}: running without it"))),
    }
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
        settings_problems: Vec<String>,
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
            // A settings file that could not be read with certainty fails closed.
            read_only: self.read_only
                || settings.read_only.unwrap_or(false)
                || !settings_problems.is_empty(),
            read_only_cause: if self.read_only {
                ReadOnlyCause::Flag
            } else if settings.read_only == Some(true) {
                ReadOnlyCause::Setting
            } else {
                ReadOnlyCause::SettingsProblems
            },
            settings_problems,
            keymap_problems: Vec::new(),
            collection: picks
                .collection
                .clone()
                .unwrap_or_else(|| settings.collection()),
            thumbnail_bucket: picks
                .thumbnail_bucket
                .clone()
                .or(settings.thumbnail_bucket.clone()),
            journal_problem: settings
                .journal_path()
                .and_then(|path| super::journal::check_writable(&path).err()),
            journal_path: settings.journal_path(),
            // Said at the first start only (main sets it), not on every reconnection.
            store_problem: None,
            test_cases: settings.test_case_library(default_photo_bucket),
            settings_path: self.settings_path.clone(),
            // On AWS the built-in cases name the photo bucket, found by its name unless set.
            find_photo_bucket: aws_target.is_some()
                && settings.photo_bucket.is_none()
                && settings.builtin_test_cases.unwrap_or(true),
            // The built-in suites run the built-in test cases.
            suites: crate::domain::suites::suite_library(
                if settings.builtin_test_cases.unwrap_or(true) {
                    crate::domain::suites::builtin::builtin_suites()
                } else {
                    Vec::new()
                },
                settings.suites.clone(),
            ),
            aws_target,
            aws_profiles: Vec::new(),
            start_dashboard: settings.start_screen.as_deref() == Some("dashboard"),
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
            api_budget_share: self.api_budget_share,
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
        let backend: Arc<dyn Backend> = Arc::new(backend);
        let backend = match &self.store {
            Some(store) => Arc::new(Remembering::new(
                backend,
                Arc::clone(store),
                &target.profile,
                Arc::new(super::wall_clock_ms),
            )),
            None => backend,
        };
        Ok((backend, target))
    }

    /// The sandbox, in front of it the store (when there is one) keeping only its suites'
    /// verdicts: the sandbox itself starts afresh every time.
    pub fn keeping_verdicts(&self, sandbox: Arc<dyn Backend>) -> Arc<dyn Backend> {
        match &self.store {
            Some(store) => Arc::new(Remembering::verdicts_only(
                sandbox,
                Arc::clone(store),
                Arc::new(super::wall_clock_ms),
            )),
            None => sandbox,
        }
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
                    Some(path) => settings::load_settings(path, session.settings_named),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn session(refresh: Option<f64>, read_only: bool) -> Session {
        Session {
            refresh,
            read_only,
            endpoint_url: None,
            settings_path: Some(PathBuf::from("/tmp/stepdeck/config.toml")),
            settings_named: false,
            api_budget_share: None,
            store: None,
        }
    }

    fn settings() -> Settings {
        Settings {
            state_machine: Some("FromSettings".into()),
            refresh_seconds: Some(5.0),
            collection: Some("settings-faces".into()),
            thumbnail_bucket: Some("settings-thumbs".into()),
            read_only: Some(false),
            ..Settings::default()
        }
    }

    #[test]
    fn command_line_picks_and_flags_win_over_the_settings() {
        let picks = Picks {
            state_machine: Some("FromCli".into()),
            collection: Some("cli-faces".into()),
            thumbnail_bucket: None,
        };
        let problems = vec!["a problem".to_string()];
        let options =
            session(Some(3.0), true).app_options(&settings(), &picks, problems, None, None);
        assert_eq!(options.state_machine.as_deref(), Some("FromCli"));
        assert_eq!(options.collection, "cli-faces");
        assert_eq!(options.thumbnail_bucket.as_deref(), Some("settings-thumbs"));
        assert_eq!(options.refresh_interval_ms, 3_000);
        assert!(options.read_only);
        assert_eq!(options.read_only_cause, ReadOnlyCause::Flag);
        assert_eq!(options.settings_problems, ["a problem"]);
        assert_eq!(
            options.settings_path,
            Some(PathBuf::from("/tmp/stepdeck/config.toml"))
        );
    }

    #[test]
    fn without_picks_the_settings_apply() {
        let options =
            session(None, false).app_options(&settings(), &Picks::default(), vec![], None, None);
        assert_eq!(options.state_machine.as_deref(), Some("FromSettings"));
        assert_eq!(options.collection, "settings-faces");
        assert_eq!(options.refresh_interval_ms, 5_000);
        assert!(!options.read_only);
        assert!(!options.find_photo_bucket, "not on the sandbox");
    }

    #[test]
    fn a_settings_problem_fails_closed_and_says_so() {
        let problems = vec!["config.toml:2: unknown key `refresh_secs`; ignored".to_string()];
        let options =
            session(None, false).app_options(&settings(), &Picks::default(), problems, None, None);
        assert!(options.read_only, "read_only = false cannot be trusted");
        assert_eq!(options.read_only_cause, ReadOnlyCause::SettingsProblems);
        let mut read_only_setting = settings();
        read_only_setting.read_only = Some(true);
        let options = session(None, false).app_options(
            &read_only_setting,
            &Picks::default(),
            vec![],
            None,
            None,
        );
        assert_eq!(options.read_only_cause, ReadOnlyCause::Setting);
    }

    #[test]
    fn on_aws_the_photo_bucket_is_found_unless_set_or_the_builtins_are_off() {
        let target = AwsTarget {
            profile: "prod".into(),
            region: "eu-west-1".into(),
        };
        let find = |settings: &Settings| {
            session(None, false)
                .app_options(
                    settings,
                    &Picks::default(),
                    vec![],
                    Some(target.clone()),
                    None,
                )
                .find_photo_bucket
        };
        assert!(find(&Settings::default()));
        assert!(!find(&Settings {
            photo_bucket: Some("photos".into()),
            ..Settings::default()
        }));
        assert!(!find(&Settings {
            builtin_test_cases: Some(false),
            ..Settings::default()
        }));
    }

    #[test]
    fn the_api_budget_share_is_read_from_the_settings_file_and_checked() {
        let dir = std::env::temp_dir().join(format!("stepdeck-share-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let read = |text: &str| {
            let path = dir.join("config.toml");
            std::fs::write(&path, text).unwrap();
            settings::load_settings(&path, true)
        };
        let (settings, problems) = read("api_budget_share = 0.05\n");
        assert_eq!((settings.api_budget_share, problems.len()), (Some(0.05), 0));
        for refused in ["api_budget_share = 0\n", "api_budget_share = 1.5\n"] {
            let (settings, problems) = read(refused);
            assert_eq!(settings.api_budget_share, None, "{refused}");
            assert!(problems[0].contains("api_budget_share"), "{problems:?}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
