//! Things drawn over the current view and taking its keys: help, the command palette (with
//! completion and command parsing), the confirm dialog, the state machine picker and the
//! one-line text inputs (list filter, events search).

use crate::domain::execution::ExecutionStatus;
use crate::keymap::Context;

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Bindings of `context` (the view underneath) and the global ones.
    Help {
        context: Context,
        scroll: usize,
    },
    Palette(Palette),
    Confirm(Confirm),
    Picker {
        cursor: usize,
    },
    Input(TextInput),
}

impl Overlay {
    pub fn context(&self) -> Context {
        match self {
            Overlay::Help { .. } => Context::Help,
            Overlay::Palette(_) => Context::Palette,
            Overlay::Confirm(_) => Context::Confirm,
            Overlay::Picker { .. } => Context::Picker,
            Overlay::Input(_) => Context::Input,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// `/` in the executions list: filters as you type.
    ListFilter,
    /// `/` in the events tab: jumps to matches as you type.
    EventSearch,
    /// `/` in the faces list.
    FacesFilter,
    /// `/` in the thumbnails list.
    ThumbnailsFilter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextInput {
    pub purpose: InputPurpose,
    pub text: String,
    /// The value before editing, restored by Esc.
    pub previous: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    StopExecution {
        execution_arn: String,
        name: String,
    },
    DeleteFaces {
        collection: String,
        faces: Vec<crate::domain::faces::Face>,
    },
    DeleteObject {
        bucket: String,
        object: crate::domain::objects::ObjectInfo,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    /// The highlighted button; No by default so that Enter is the safe answer.
    pub yes_selected: bool,
    pub on_yes: ConfirmAction,
}

impl Confirm {
    pub fn stop_execution(execution_arn: String, name: String) -> Confirm {
        Confirm {
            title: "Stop execution".into(),
            message: format!("Stop execution {name}? It will end as ABORTED."),
            yes_selected: false,
            on_yes: ConfirmAction::StopExecution {
                execution_arn,
                name,
            },
        }
    }
}

/// A command typed in the palette.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Executions,
    Timeline,
    Events,
    Io,
    StateMachine(String),
    /// None = all statuses.
    Filter(Option<ExecutionStatus>),
    Refresh,
    Help,
    Quit,
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

const SIMPLE_COMMANDS: [&str; 8] = [
    "executions",
    "timeline",
    "events",
    "io",
    "refresh",
    "help",
    "quit",
    "q",
];

impl Command {
    pub fn parse(text: &str) -> Result<Command, String> {
        let text = text.trim();
        let (word, rest) = match text.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (text, ""),
        };
        let no_argument = |command: Command| {
            if rest.is_empty() {
                Ok(command)
            } else {
                Err(format!("`{word}` takes no argument"))
            }
        };
        match word {
            "executions" | "exec" | "list" => no_argument(Command::Executions),
            "timeline" => no_argument(Command::Timeline),
            "events" => no_argument(Command::Events),
            "io" => no_argument(Command::Io),
            "refresh" => no_argument(Command::Refresh),
            "help" => no_argument(Command::Help),
            "q" | "quit" => no_argument(Command::Quit),
            "sm" if !rest.is_empty() => Ok(Command::StateMachine(rest.to_string())),
            "sm" => Err("usage: sm <state machine name>".into()),
            "filter" => {
                let wanted = rest.to_uppercase().replace('-', "_");
                if wanted == "ALL" || wanted.is_empty() {
                    Ok(Command::Filter(None))
                } else {
                    ExecutionStatus::parse(&wanted)
                        .map(|s| Command::Filter(Some(s)))
                        .ok_or_else(|| {
                            format!(
                                "unknown status `{rest}` (one of: {})",
                                status_filter_words().join(", ")
                            )
                        })
                }
            }
            "" => Err("type a command".into()),
            other => Err(format!("unknown command `{other}`")),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Palette {
    pub text: String,
    /// Highlighted completion.
    pub selected: usize,
}

impl Palette {
    /// Completions of the text typed so far: commands, `sm <name>` and `filter <status>`.
    pub fn completions(&self, state_machines: &[String]) -> Vec<String> {
        let typed = self.text.trim_start().to_lowercase();
        let all = SIMPLE_COMMANDS
            .iter()
            .map(|c| c.to_string())
            .chain(state_machines.iter().map(|n| format!("sm {n}")))
            .chain(
                status_filter_words()
                    .into_iter()
                    .map(|w| format!("filter {w}")),
            );
        all.filter(|c| c.to_lowercase().starts_with(&typed) && c.to_lowercase() != typed)
            .collect()
    }

    /// The command to run on Enter: the text as typed, or its only completion.
    pub fn command(&self, state_machines: &[String]) -> Result<Command, String> {
        match Command::parse(&self.text) {
            Ok(c) => Ok(c),
            Err(e) => match self.completions(state_machines).as_slice() {
                [only] => Command::parse(only),
                _ => Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(Command::parse("filter sideways").is_err());
        assert!(Command::parse("io now").is_err());
        assert_eq!(
            Command::parse("launch"),
            Err("unknown command `launch`".into())
        );
    }

    #[test]
    fn completion_follows_the_typed_prefix() {
        let sms = vec!["RiderPhotoProcessing".to_string(), "Other".to_string()];
        let p = |t: &str| Palette {
            text: t.into(),
            selected: 0,
        };
        assert_eq!(p("ti").completions(&sms), vec!["timeline"]);
        assert_eq!(
            p("sm ").completions(&sms),
            vec!["sm RiderPhotoProcessing", "sm Other"]
        );
        assert!(
            p("filter r")
                .completions(&sms)
                .contains(&"filter running".into())
        );
        assert_eq!(p("ti").command(&sms), Ok(Command::Timeline));
        assert!(
            p("e").command(&sms).is_err(),
            "ambiguous: executions/events"
        );
    }
}
