//! The tokio event loop: terminal setup/teardown with panic and signal safety, the effects
//! runner (backend calls, stale-response drop) and the wake-up timer. The only place that reads
//! the wall clock and the terminal.

pub mod clipboard;
pub mod editor;
pub mod effects;
pub mod journal;
pub mod preview;
pub mod session;
mod signals;
pub mod suite_runs;
pub mod suite_steps;
pub mod terminal;

use crate::app::frame;
use crate::app::msg::Msg;
use crate::app::{self, App, AppOptions};
use crate::backend::Backend;
use crate::domain::Millis;
use crossterm::event::{Event, EventStream, KeyEventKind};
use effects::{EffectRunner, LoopAction};
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use signals::{SignalEvent, Signals};
use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use terminal::{Suspension, TerminalGuard};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// At most one frame per this interval: bursts of messages (a page of results, key repeat)
/// coalesce into one draw.
const FRAME_INTERVAL: Duration = Duration::from_millis(10);

/// Wall-clock now in epoch milliseconds.
pub fn wall_clock_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

/// A backend for another AWS profile and region, with the app's options there.
pub struct Connected {
    pub backend: Arc<dyn Backend>,
    pub options: AppOptions,
}

/// Builds what `:profile` / `:region` switch to: connects with the profile (and region; None:
/// the profile's own) and reads the settings for that target, or says why it cannot.
pub type Connector = Arc<
    dyn Fn(String, Option<String>) -> BoxFuture<'static, Result<Connected, String>> + Send + Sync,
>;

/// The channel backend answers and notices arrive on. Each connection gets its own: switching
/// drops the old receiver, so nothing from the previous account can reach the app.
fn answers_channel(
    backend: &Arc<dyn Backend>,
) -> (mpsc::UnboundedSender<Msg>, mpsc::UnboundedReceiver<Msg>) {
    let (answers, receiver) = mpsc::unbounded_channel::<Msg>();
    let notices = answers.clone();
    backend.set_notice_sink(Arc::new(move |notice| {
        let _ = notices.send(Msg::BackendNotice(notice));
    }));
    (answers, receiver)
}

/// How the console ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The user quit.
    Quit,
    /// A terminating signal (its number) arrived; the terminal was restored all the same.
    Signal(i32),
}

impl Ending {
    /// The exit status: 0 for a quit, 128 + the signal's number as shells report a process
    /// ended by a signal (130 for SIGINT, 131 for SIGQUIT, 143 for SIGTERM).
    pub fn exit_status(self) -> u8 {
        match self {
            Ending::Quit => 0,
            Ending::Signal(number) => u8::try_from(128 + number).unwrap_or(u8::MAX),
        }
    }
}

/// Runs the console until the user quits or a terminating signal arrives. `connector` makes
/// `:profile` / `:region` work (None: the backend cannot be switched, e.g. the sandbox).
pub async fn run(
    backend: Arc<dyn Backend>,
    mut app: App,
    connector: Option<Connector>,
) -> io::Result<Ending> {
    let mut guard = TerminalGuard::enter()?;
    // Ask the terminal for its graphics protocol before the input reader owns stdin.
    let picker = preview::detect_picker();
    let (inbox, mut messages) = mpsc::unbounded_channel::<Msg>();
    let mut input_reader = spawn_input_reader(inbox.clone());
    let (answers, mut answers_received) = answers_channel(&backend);
    let mut runner = EffectRunner::new(Arc::clone(&backend), answers);
    runner.set_picker(picker);
    let _ = inbox.send(Msg::BackendInfo(backend.info()));
    // Switches in progress report here, tagged so only the latest one counts.
    let (connected_tx, mut connections) =
        mpsc::unbounded_channel::<(u64, Result<Connected, String>)>();
    let mut latest_connect: u64 = 0;

    let mut signals = Signals::listen()?;

    let size = guard.terminal.size()?;
    let mut pending = vec![
        Msg::Tick(wall_clock_ms()),
        Msg::Resize(size.width, size.height),
    ];
    let init_effects = app.init();
    let mut ending = Ending::Quit;
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    let mut actions: Vec<LoopAction> = init_effects.into_iter().map(|e| runner.run(e)).collect();

    loop {
        // Apply everything that arrived, with one fresh clock reading per batch.
        if !pending.is_empty() {
            for effect in apply_batch(&mut app, &mut pending, wall_clock_ms()) {
                actions.push(runner.run(effect));
            }
            dirty = true;
        }
        for action in actions.drain(..) {
            match action {
                LoopAction::None => {}
                LoopAction::Quit => app.should_quit = true,
                LoopAction::Suspend => match guard.suspend()? {
                    Suspension::Resumed => {
                        // The window may have changed size while the console was stopped.
                        let size = guard.terminal.size()?;
                        pending.push(Msg::Resize(size.width, size.height));
                        dirty = true;
                    }
                    Suspension::NoJobControl => pending.push(Msg::Notice(
                        "ctrl-z: no job control here (no shell to resume a stopped console), \
                         so it keeps running"
                            .into(),
                    )),
                },
                LoopAction::EditExternally(text) => {
                    // The editor owns the keyboard meanwhile: stop reading input (dropping the
                    // event stream stops crossterm's reader thread), then read again.
                    input_reader.abort();
                    let _ = (&mut input_reader).await;
                    let outcome = editor::edit_in_terminal(&mut guard, &text);
                    input_reader = spawn_input_reader(inbox.clone());
                    pending.push(Msg::EditedExternally(outcome));
                    dirty = true;
                }
                LoopAction::Copy(text) => {
                    let result = clipboard::copy(&text)
                        .map(|_| text)
                        .map_err(|e| e.to_string());
                    pending.push(Msg::Copied(result));
                }
                LoopAction::Reconnect { profile, region } => match &connector {
                    Some(connect) => {
                        latest_connect += 1;
                        let sequence = latest_connect;
                        let connecting = connect(profile, region);
                        let report = connected_tx.clone();
                        tokio::spawn(async move {
                            let _ = report.send((sequence, connecting.await));
                        });
                    }
                    None => pending.push(Msg::Reconnected(Err(
                        "this backend cannot switch profile or region".into(),
                    ))),
                },
            }
        }
        if app.should_quit {
            break;
        }
        if !pending.is_empty() {
            continue;
        }

        // Draw when something changed, but not more often than the frame interval.
        let draw_due = last_draw.map_or(Instant::now(), |t| t + FRAME_INTERVAL);
        if dirty && Instant::now() >= draw_due {
            guard.terminal.draw(|frame| frame::render(&app, frame))?;
            #[cfg(debug_assertions)]
            if last_draw.is_none() {
                debug_panic_after_first_frame();
            }
            last_draw = Some(Instant::now());
            dirty = false;
        }

        // Sleep until input, a backend answer, a signal, the app's next wake-up, or a due frame.
        let wakeup = app.next_wakeup().map(|at| {
            let wait = (at - wall_clock_ms()).max(0) as u64;
            Instant::now() + Duration::from_millis(wait)
        });
        let frame = dirty.then_some(draw_due);
        let deadline = match (wakeup, frame) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tokio::select! {
            msg = messages.recv() => {
                match msg {
                    Some(msg) => {
                        pending.push(msg);
                        while let Ok(more) = messages.try_recv() {
                            pending.push(more);
                        }
                    }
                    None => break,
                }
            }
            // The runner holds a sender for as long as this receiver is current: never closed.
            Some(answer) = answers_received.recv() => {
                pending.push(answer);
                while let Ok(more) = answers_received.try_recv() {
                    pending.push(more);
                }
            }
            Some((sequence, result)) = connections.recv() => {
                if sequence == latest_connect {
                    match result {
                        Ok(Connected { backend, options }) => {
                            let (answers, received) = answers_channel(&backend);
                            answers_received = received;
                            pending.push(Msg::BackendInfo(backend.info()));
                            runner.replace_backend(backend, answers);
                            pending.push(Msg::Reconnected(Ok(Box::new(options))));
                        }
                        Err(message) => pending.push(Msg::Reconnected(Err(message))),
                    }
                }
            }
            _ = sleep_until(deadline) => {
                if wakeup.is_some_and(|w| Instant::now() >= w) {
                    pending.push(Msg::Tick(wall_clock_ms()));
                }
            }
            event = signals.next() => match event {
                SignalEvent::Continued => {
                    // Stopped by someone else (`kill -STOP`, `kill -TSTP`) and resumed, or the
                    // tail of our own Ctrl-Z: the screen may be the shell's; take it back.
                    guard.resume()?;
                    let size = guard.terminal.size()?;
                    pending.push(Msg::Resize(size.width, size.height));
                    dirty = true;
                }
                SignalEvent::Terminate(number) => {
                    ending = Ending::Signal(number);
                    break;
                }
            },
        }
    }
    drop(guard);
    Ok(ending)
}

/// Debug builds only: `STEPDECK_DEBUG_PANIC=task` panics inside a tokio task once the console
/// is on screen, so the process tests can check that a panic anywhere (tokio would otherwise
/// swallow this one) restores the terminal and ends the process. Nothing in the console
/// panics on purpose, so the tests need this door; release builds do not have it.
#[cfg(debug_assertions)]
fn debug_panic_after_first_frame() {
    if std::env::var("STEPDECK_DEBUG_PANIC").as_deref() == Ok("task") {
        tokio::spawn(async { panic!("STEPDECK_DEBUG_PANIC=task: a panic inside a tokio task") });
    }
}

/// Applies a batch of messages after a clock tick at `now`, returning every effect. The tick
/// goes first so keys and results see a fresh `now`; its effects (due polls) are returned like
/// any other's, or the poll would stay marked in flight forever and the list would freeze.
fn apply_batch(app: &mut App, pending: &mut Vec<Msg>, now: Millis) -> Vec<app::effect::Effect> {
    let mut effects = app::update::update(app, Msg::Tick(now));
    for msg in pending.drain(..) {
        effects.extend(app::update::update(app, msg));
    }
    effects
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Forwards key presses, pastes and resizes; key releases/repeats (kitty protocol) are not
/// intents.
fn spawn_input_reader(inbox: mpsc::UnboundedSender<Msg>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(event) = events.next().await {
            let msg = match event {
                Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => Msg::Key(key),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                // Bracketed paste: the whole paste as one message, never as keys.
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(_) => continue,
                Err(_) => break,
            };
            if inbox.send(msg).is_err() {
                break;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::AppOptions;
    use crate::app::effect::Effect;
    use crate::domain::execution::{StateMachineKind, StateMachineSummary};
    use crate::keymap::Keymap;

    #[test]
    fn the_batch_tick_runs_a_due_refresh_alongside_other_messages() {
        let start = 1_764_064_800_000;
        let mut app = App::new(AppOptions::default(), Keymap::defaults(), start);
        let machine = StateMachineSummary {
            arn: "arn:aws:states:us-east-1:123456789012:stateMachine:M".into(),
            name: "M".into(),
            kind: StateMachineKind::Standard,
            created: start,
        };
        let first = apply_batch(
            &mut app,
            &mut vec![Msg::StateMachines(Ok(vec![machine]))],
            start,
        );
        let Some(Effect::LoadExecutions { generation, .. }) = first
            .iter()
            .find(|e| matches!(e, Effect::LoadExecutions { .. }))
            .cloned()
        else {
            panic!("the first listing is requested: {first:?}");
        };
        app::update::update(
            &mut app,
            Msg::Executions {
                generation,
                append: false,
                result: Ok(crate::backend::Page {
                    items: vec![],
                    next_token: None,
                }),
            },
        );
        // Later, a batch holding only a resize: the tick in front of it finds the refresh due.
        let later = start + app.options.refresh_interval_ms;
        let effects = apply_batch(&mut app, &mut vec![Msg::Resize(100, 30)], later);
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::LoadExecutions { append: false, .. })),
            "{effects:?}"
        );
        assert_eq!(app.now, later);
        assert_eq!(app.viewport, (100, 30));
    }
}
