//! The signals the console handles itself: SIGINT, SIGTERM, SIGHUP and SIGQUIT end it (with
//! the terminal restored by the loop's exit path), SIGCONT makes it take the terminal back
//! after a stop. Ctrl-Z is a key in raw mode, not a signal: `terminal::suspend` raises SIGTSTP.

use std::io;

/// What a signal asks of the loop.
pub(super) enum SignalEvent {
    /// SIGCONT: the process was stopped and is running again.
    Continued,
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT (the number): restore the terminal and end.
    Terminate(i32),
}

/// The signals the console handles itself. SIGQUIT is among them: its default action (a core
/// dump) would leave the terminal raw, on the alternate screen, with the cursor hidden.
#[cfg(unix)]
pub(super) struct Signals {
    watched: Vec<(tokio::signal::unix::Signal, Option<i32>)>,
}

#[cfg(unix)]
impl Signals {
    pub(super) fn listen() -> io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [
            (SignalKind::interrupt(), Some(libc::SIGINT)),
            (SignalKind::terminate(), Some(libc::SIGTERM)),
            (SignalKind::hangup(), Some(libc::SIGHUP)),
            (SignalKind::quit(), Some(libc::SIGQUIT)),
            (SignalKind::from_raw(libc::SIGCONT), None),
        ];
        let watched = kinds
            .into_iter()
            .map(|(kind, ends)| Ok((signal(kind)?, ends)))
            .collect::<io::Result<_>>()?;
        Ok(Signals { watched })
    }

    /// The next signal that arrives.
    pub(super) async fn next(&mut self) -> SignalEvent {
        let arrivals = self.watched.iter_mut().map(|(signal, ends)| {
            let ends = *ends;
            Box::pin(async move {
                signal.recv().await;
                ends
            })
        });
        let (ends, _, _) = futures_util::future::select_all(arrivals).await;
        match ends {
            Some(number) => SignalEvent::Terminate(number),
            None => SignalEvent::Continued,
        }
    }
}

#[cfg(not(unix))]
pub(super) struct Signals;

#[cfg(not(unix))]
impl Signals {
    pub(super) fn listen() -> io::Result<Signals> {
        Ok(Signals)
    }

    pub(super) async fn next(&mut self) -> SignalEvent {
        let _ = tokio::signal::ctrl_c().await;
        SignalEvent::Terminate(2)
    }
}
