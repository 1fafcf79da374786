//! The command palette's commands (`:`): a registry (one entry each: words, argument and its
//! completions, the `Command` it builds), parsing of the typed line, completion over what the
//! app holds, and running a command. The palette overlay itself only edits the line.

use crate::app::effect::Effect;
use crate::app::flows::{runs, target};
use crate::app::overlays::Overlay;
use crate::app::screen::Screen;
use crate::app::screens::execution::Tab;
use crate::app::screens::{execution, executions};
use crate::app::{App, NoticeLevel, lend};
use crate::domain::execution::ExecutionStatus;

/// A command typed in the palette.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Executions,
    Timeline,
    Events,
    Io,
    /// The face collection view (another screen; not in every build yet).
    Faces,
    /// The thumbnail bucket view (another screen; not in every build yet).
    Thumbnails,
    /// The test suites.
    Tests,
    /// Outcomes, reasons and durations over a window.
    Dashboard,
    StateMachine(String),
    /// None = all statuses.
    Filter(Option<ExecutionStatus>),
    /// Start the test case with this name.
    Run(String),
    /// Reconnect with this AWS profile.
    Profile(String),
    /// Reconnect in this AWS region.
    Region(String),
    /// Show this face collection.
    Collection(String),
    /// Show this bucket in the thumbnails screen.
    Bucket(String),
    Refresh,
    Help,
    Messages,
    /// What the on-disk store holds.
    Cache,
    Quit,
}

/// What follows a command's word.
pub enum Argument {
    None,
    /// Required; completed over the values the app holds.
    Required {
        usage: &'static str,
        values: fn(&App) -> Vec<String>,
    },
    /// May be left out; completed over the values.
    Optional {
        values: fn(&App) -> Vec<String>,
    },
}

/// One palette command.
pub struct CommandSpec {
    pub word: &'static str,
    /// Other words accepted (not offered as completions).
    pub aliases: &'static [&'static str],
    pub argument: Argument,
    /// Changes the account (hidden in read-only mode, where the effect gate refuses it).
    pub mutating: bool,
    /// Builds the command from the (trimmed) argument.
    pub build: fn(&str) -> Result<Command, String>,
}

const fn simple(
    word: &'static str,
    aliases: &'static [&'static str],
    build: fn(&str) -> Result<Command, String>,
) -> CommandSpec {
    CommandSpec {
        word,
        aliases,
        argument: Argument::None,
        mutating: false,
        build,
    }
}

/// A non-mutating command taking one required argument.
const fn required(
    word: &'static str,
    usage: &'static str,
    values: fn(&App) -> Vec<String>,
    build: fn(&str) -> Result<Command, String>,
) -> CommandSpec {
    CommandSpec {
        word,
        aliases: &[],
        argument: Argument::Required { usage, values },
        mutating: false,
        build,
    }
}

/// Every palette command, in completion order. Adding one is adding a line here (and
/// handling its `Command` in `run_command`).
pub const COMMANDS: &[CommandSpec] = &[
    simple("executions", &["exec", "list"], |_| Ok(Command::Executions)),
    simple("timeline", &[], |_| Ok(Command::Timeline)),
    simple("events", &[], |_| Ok(Command::Events)),
    simple("io", &[], |_| Ok(Command::Io)),
    simple("faces", &[], |_| Ok(Command::Faces)),
    simple("thumbnails", &["thumbs"], |_| Ok(Command::Thumbnails)),
    simple("tests", &["suites"], |_| Ok(Command::Tests)),
    simple("dashboard", &["dash", "stats"], |_| Ok(Command::Dashboard)),
    CommandSpec {
        word: "run",
        aliases: &[],
        argument: Argument::Required {
            usage: "run <test case>",
            values: test_case_names,
        },
        mutating: true,
        build: |name| Ok(Command::Run(name.to_string())),
    },
    CommandSpec {
        word: "sm",
        aliases: &[],
        argument: Argument::Required {
            usage: "sm <state machine name>",
            values: state_machine_names,
        },
        mutating: false,
        build: |name| Ok(Command::StateMachine(name.to_string())),
    },
    CommandSpec {
        word: "filter",
        aliases: &[],
        argument: Argument::Optional {
            values: |_| status_filter_words(),
        },
        mutating: false,
        build: parse_filter,
    },
    required(
        "profile",
        "profile <AWS profile>",
        target::profile_names,
        |name| Ok(Command::Profile(name.to_string())),
    ),
    required(
        "region",
        "region <AWS region>",
        target::region_names,
        |name| Ok(Command::Region(name.to_string())),
    ),
    required(
        "collection",
        "collection <face collection id>",
        target::collection_names,
        |name| Ok(Command::Collection(name.to_string())),
    ),
    required(
        "bucket",
        "bucket <thumbnail bucket>",
        target::bucket_names,
        |name| Ok(Command::Bucket(name.to_string())),
    ),
    simple("refresh", &[], |_| Ok(Command::Refresh)),
    simple("help", &[], |_| Ok(Command::Help)),
    simple("messages", &["log"], |_| Ok(Command::Messages)),
    simple("cache", &["store"], |_| Ok(Command::Cache)),
    simple("quit", &["q"], |_| Ok(Command::Quit)),
];

fn test_case_names(app: &App) -> Vec<String> {
    app.runs.test_cases.iter().map(|c| c.name.clone()).collect()
}

fn state_machine_names(app: &App) -> Vec<String> {
    app.executions
        .machines
        .all
        .iter()
        .map(|s| s.name.clone())
        .collect()
}

/// Words accepted after `filter`, in cycling order.
pub fn status_filter_words() -> Vec<String> {
    std::iter::once("all".to_string())
        .chain(
            ExecutionStatus::ALL
                .iter()
                .map(|s| s.as_str().to_lowercase()),
        )
        .collect()
}

fn parse_filter(rest: &str) -> Result<Command, String> {
    let wanted = rest.to_uppercase().replace('-', "_");
    if wanted == "ALL" || wanted.is_empty() {
        return Ok(Command::Filter(None));
    }
    ExecutionStatus::parse(&wanted)
        .map(|s| Command::Filter(Some(s)))
        .ok_or_else(|| {
            format!(
                "unknown status `{rest}` (one of: {})",
                status_filter_words().join(", ")
            )
        })
}

impl Command {
    pub fn parse(text: &str) -> Result<Command, String> {
        let text = text.trim();
        let (word, rest) = match text.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (text, ""),
        };
        if word.is_empty() {
            return Err("type a command".into());
        }
        let spec = COMMANDS
            .iter()
            .find(|c| c.word == word || c.aliases.contains(&word))
            .ok_or_else(|| format!("unknown command `{word}`"))?;
        match (&spec.argument, rest.is_empty()) {
            (Argument::None, false) => Err(format!("`{word}` takes no argument")),
            (Argument::Required { usage, .. }, true) => Err(format!("usage: {usage}")),
            _ => (spec.build)(rest),
        }
    }
}

/// Completions of the text typed so far: command words and `word <value>` for commands with
/// an argument; commands that change the account are left out in read-only mode.
pub fn completions(app: &App, typed: &str) -> Vec<String> {
    let typed = typed.trim_start().to_lowercase();
    let mut all = Vec::new();
    for spec in COMMANDS {
        if spec.mutating && app.options.read_only {
            continue;
        }
        match &spec.argument {
            Argument::None => all.push(spec.word.to_string()),
            Argument::Required { values, .. } | Argument::Optional { values } => all.extend(
                values(app)
                    .into_iter()
                    .map(|v| format!("{} {v}", spec.word)),
            ),
        }
    }
    all.into_iter()
        .filter(|c| c.to_lowercase().starts_with(&typed) && c.to_lowercase() != typed)
        .collect()
}

/// The command to run on Enter: the text as typed, or its only completion.
pub fn command(app: &App, typed: &str) -> Result<Command, String> {
    match Command::parse(typed) {
        Ok(c) => Ok(c),
        Err(e) => match completions(app, typed).as_slice() {
            [only] => Command::parse(only),
            _ => Err(e),
        },
    }
}

/// Runs a palette command.
pub fn run_command(app: &mut App, command: Command) -> Vec<Effect> {
    match command {
        Command::Quit => {
            app.should_quit = true;
            vec![Effect::Quit]
        }
        Command::Messages => {
            app.overlay = Some(Overlay::Messages { scroll: 0 });
            Vec::new()
        }
        Command::Cache => vec![Effect::LoadStoreReport],
        Command::Help => {
            app.overlay = Some(Overlay::Help {
                context: app.view_context(),
                scroll: 0,
            });
            Vec::new()
        }
        Command::Executions => {
            app.execution = None;
            app.switch_screen(Screen::Executions)
        }
        Command::Timeline | Command::Events | Command::Io => {
            let tab = match command {
                Command::Timeline => Tab::Timeline,
                Command::Events => Tab::Events,
                _ => Tab::Io,
            };
            match app.execution.as_mut() {
                Some(view) => view.tab = tab,
                None => app.notify(
                    NoticeLevel::Error,
                    "no execution open: select one and press Enter",
                ),
            }
            Vec::new()
        }
        Command::StateMachine(name) => {
            let found = app
                .executions
                .machines
                .all
                .iter()
                .position(|s| s.name.eq_ignore_ascii_case(&name) || s.arn == name);
            match found {
                Some(i) => target::choose_state_machine(app, i),
                None => {
                    app.notify(
                        NoticeLevel::Error,
                        format!("no state machine named `{name}`"),
                    );
                    Vec::new()
                }
            }
        }
        Command::Filter(status) => {
            app.execution = None;
            let (s, mut cx) = lend!(app, executions);
            executions::update::set_status_filter(s, &mut cx, status)
        }
        Command::Refresh => refresh(app),
        Command::Run(name) => runs::run_test_case_named(app, &name),
        Command::Profile(name) => target::switch_profile(app, &name),
        Command::Region(name) => target::switch_region(app, &name),
        Command::Collection(name) => target::set_collection(app, &name),
        Command::Bucket(name) => target::set_thumbnail_bucket(app, &name),
        Command::Faces => app.switch_screen(Screen::Faces),
        Command::Thumbnails => app.switch_screen(Screen::Thumbnails),
        Command::Tests => app.switch_screen(Screen::Tests),
        Command::Dashboard => app.switch_screen(Screen::Dashboard),
    }
}

/// `:refresh`: the state machines when there are none to list from (e.g. after a network
/// drop), else the open execution, else the list.
fn refresh(app: &mut App) -> Vec<Effect> {
    if app.state_machine().is_none() {
        app.executions.machines.reload()
    } else if app.execution.is_some() {
        let (open, mut cx) = lend!(app, execution);
        open.as_mut()
            .map_or_else(Vec::new, |s| execution::update::refresh(s, &mut cx))
    } else {
        let (s, mut cx) = lend!(app, executions);
        executions::update::refresh(s, &mut cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::AppOptions;
    use crate::domain::execution::{StateMachineKind, StateMachineSummary};
    use crate::domain::test_case::seed_test_cases;
    use crate::keymap::Keymap;

    fn app(read_only: bool) -> App {
        let options = AppOptions {
            read_only,
            test_cases: seed_test_cases("bucket"),
            ..AppOptions::default()
        };
        let mut app = App::new(options, Keymap::defaults(), 0);
        app.executions.machines.all = ["RiderPhotoProcessing", "Other"]
            .iter()
            .map(|name| StateMachineSummary {
                arn: format!("arn:sm:{name}"),
                name: name.to_string(),
                kind: StateMachineKind::Standard,
                created: 0,
            })
            .collect();
        app
    }

    /// The palette's text, as typed.
    struct Typed(&'static str);

    fn p(text: &'static str) -> Typed {
        Typed(text)
    }

    impl Typed {
        fn completions(&self, app: &App) -> Vec<String> {
            completions(app, self.0)
        }

        fn command(&self, app: &App) -> Result<Command, String> {
            command(app, self.0)
        }
    }

    #[test]
    fn commands_parse() {
        assert_eq!(Command::parse(" timeline "), Ok(Command::Timeline));
        assert_eq!(
            Command::parse("sm RiderPhotoProcessing"),
            Ok(Command::StateMachine("RiderPhotoProcessing".into()))
        );
        assert_eq!(
            Command::parse("filter timed_out"),
            Ok(Command::Filter(Some(ExecutionStatus::TimedOut)))
        );
        assert_eq!(Command::parse("filter all"), Ok(Command::Filter(None)));
        assert_eq!(Command::parse("filter"), Ok(Command::Filter(None)));
        assert!(Command::parse("filter sideways").is_err());
        assert!(Command::parse("io now").is_err());
        assert_eq!(Command::parse("q"), Ok(Command::Quit));
        assert_eq!(Command::parse("faces"), Ok(Command::Faces));
        assert_eq!(Command::parse("thumbnails"), Ok(Command::Thumbnails));
        assert_eq!(
            Command::parse("run 1_happy_face"),
            Ok(Command::Run("1_happy_face".into()))
        );
        assert_eq!(Command::parse("run"), Err("usage: run <test case>".into()));
        assert_eq!(
            Command::parse("launch"),
            Err("unknown command `launch`".into())
        );
    }

    #[test]
    fn completion_follows_the_typed_prefix() {
        let app = app(false);
        assert_eq!(p("ti").completions(&app), vec!["timeline"]);
        assert_eq!(
            p("sm ").completions(&app),
            vec!["sm RiderPhotoProcessing", "sm Other"]
        );
        assert!(
            p("filter r")
                .completions(&app)
                .contains(&"filter running".into())
        );
        assert_eq!(p("ti").command(&app), Ok(Command::Timeline));
        assert!(
            p("e").command(&app).is_err(),
            "ambiguous: executions/events"
        );
        assert_eq!(p("f").completions(&app)[0], "faces");
    }

    #[test]
    fn run_completes_over_the_test_case_names() {
        let app = app(false);
        assert_eq!(
            p("run ").completions(&app),
            vec![
                "run 1_happy_face",
                "run 2_sunglass_face",
                "run 3_multiple_faces",
                "run 4_no_face"
            ]
        );
        // A prefix is resolved to the one test case it begins when the command runs.
        assert_eq!(p("run 3").command(&app), Ok(Command::Run("3".into())));
    }

    #[test]
    fn read_only_mode_offers_no_run() {
        let app = app(true);
        assert!(p("ru").completions(&app).is_empty());
        assert!(!p("").completions(&app).iter().any(|c| c.starts_with("run")));
    }
}
