//! Owns the terminal's modes: entering raw mode, the alternate screen and bracketed paste,
//! leaving them on every exit path (normal return, error, signals, and any panic on any thread,
//! which ends the process), Ctrl-Z suspension and the repaint after a resume.

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::DefaultTerminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Position, Rect};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the console's modes are on, so the panic hook restores a terminal only when there
/// is one to restore (and never writes escape codes into a redirected stdout).
static MODES_ON: AtomicBool = AtomicBool::new(false);

/// Makes every panic, on any thread, end the process: restore the terminal, print the panic
/// message, say what happened, exit 101 (Rust's panic status). Without it a panic inside a
/// tokio task is caught by tokio and the console keeps running on a terminal already handed
/// back to the shell, deaf to `q`.
pub fn end_process_on_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Holding stdout until the exit: a frame being drawn on another thread cannot land
        // after the restore (the lock is re-entrant, so the restore below can still write).
        let stdout = io::stdout();
        let _held = stdout.lock();
        if MODES_ON.load(Ordering::SeqCst) {
            let _ = leave_modes();
        }
        report(info);
        eprintln!(
            "stepdeck: internal error: the console stopped (a bug; the message above says where)"
        );
        std::process::exit(101);
    }));
}

fn enter_modes() -> io::Result<()> {
    // After a stop the shell may have reset the terminal while crossterm still believes raw
    // mode is on (and would skip enabling it): then forget and enable again. Only then: a
    // round trip through cooked mode while raw is intact would turn a ctrl-z typed meanwhile
    // into a signal or drop it.
    if !input_is_raw() {
        let _ = crossterm::terminal::disable_raw_mode();
        crossterm::terminal::enable_raw_mode()?;
    }
    MODES_ON.store(true, Ordering::SeqCst);
    // Bracketed paste: a paste arrives as one event, never as keys.
    crossterm::execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        Hide
    )
}

/// Gives the terminal back in the shell's modes. Every step is tried even when one fails.
fn leave_modes() -> io::Result<()> {
    // Raw mode first: it has more side effects than leaving the alternate screen.
    let raw = crossterm::terminal::disable_raw_mode();
    let mut stdout = io::stdout();
    let screen = crossterm::execute!(stdout, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = stdout.flush();
    MODES_ON.store(false, Ordering::SeqCst);
    raw.and(screen)
}

/// What came of Ctrl-Z.
#[derive(Debug, Clone, PartialEq)]
pub enum Suspension {
    /// The process was stopped and has been resumed (or the stop was discarded by the kernel,
    /// for a process group no shell watches); the terminal is the console's again.
    Resumed,
    /// No job control: SIGTSTP is ignored (e.g. under `nohup`), or no shell could resume the
    /// console (it runs in its session leader's process group, as under `tmux new
    /// 'stepdeck'`, and the kernel discards the stop). The console keeps the terminal and
    /// says why.
    NoJobControl,
}

/// Restores the terminal when dropped, so an early `?` return cannot leave it broken.
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        enter_modes()?;
        // Built by hand rather than with `ratatui::try_init`: that installs a panic hook which
        // restores the terminal but lets the process run on, and it knows no bracketed paste.
        let terminal = ratatui::Terminal::new(CrosstermBackend::new(io::stdout()));
        match terminal {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(error) => {
                let _ = leave_modes();
                Err(error)
            }
        }
    }

    /// Ctrl-Z: give the shell back a sane terminal, stop the process with SIGTSTP (what the
    /// shell's job control expects), and re-enter the console when resumed with `fg`.
    pub fn suspend(&mut self) -> io::Result<Suspension> {
        if stop_signal_ignored() || in_session_leaders_group() {
            return Ok(Suspension::NoJobControl);
        }
        leave_modes()?;
        #[cfg(unix)]
        // SAFETY: raising a signal for our own process has no memory-safety preconditions;
        // execution continues here after SIGCONT.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        self.resume()?;
        Ok(Suspension::Resumed)
    }

    /// After a stop (ours or anyone's `kill -STOP`) the screen and the modes were the shell's:
    /// take them back and make the next draw repaint every cell.
    pub fn resume(&mut self) -> io::Result<()> {
        enter_modes()?;
        self.repaint_all()
    }

    /// Clears the screen and forgets the last frame, so the next draw writes every cell.
    /// Not `Terminal::clear`: that asks the terminal for the cursor position, and the answer
    /// is read by the input reader's thread instead, so the query times out ("The cursor
    /// position could not be read within a normal duration") and ended the console.
    fn repaint_all(&mut self) -> io::Result<()> {
        let size = self.terminal.size()?;
        self.terminal.resize(Rect::from((Position::ORIGIN, size)))
    }

    /// Runs `work` (an external program such as `$EDITOR`) with the terminal given back to
    /// the shell's modes, then re-enters and repaints.
    pub fn outside<R>(&mut self, work: impl FnOnce() -> R) -> io::Result<R> {
        leave_modes()?;
        let result = work();
        self.resume()?;
        Ok(result)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = leave_modes();
    }
}

/// Whether the terminal on stdin (the one crossterm puts in raw mode) is in raw mode now:
/// no line editing, no echo, no signals from keys.
#[cfg(unix)]
fn input_is_raw() -> bool {
    // SAFETY: a zeroed termios is valid; tcgetattr only fills it.
    unsafe {
        let mut modes: libc::termios = std::mem::zeroed();
        libc::tcgetattr(libc::STDIN_FILENO, &mut modes) == 0
            && modes.c_lflag & (libc::ICANON | libc::ECHO | libc::ISIG) == 0
    }
}

#[cfg(not(unix))]
fn input_is_raw() -> bool {
    false
}

/// Whether SIGTSTP is set to be ignored, in which case raising it cannot stop the process.
#[cfg(unix)]
fn stop_signal_ignored() -> bool {
    // SAFETY: a null new action only reads the current disposition into `current`, a zeroed
    // (valid) sigaction owned by this frame.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGTSTP, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction == libc::SIG_IGN
    }
}

/// Whether this process is in its session leader's process group: leading the session itself
/// (`exec stepdeck`, `setsid`), or a child of a shell without job control (`tmux new 'cmd; …'`
/// runs `sh -c`). A job-control shell gives every job a group of its own; in the leader's
/// group no member's parent is in another group of the session, so the group is "orphaned",
/// the kernel discards SIGTSTP, and nobody could resume the console anyway.
#[cfg(unix)]
fn in_session_leaders_group() -> bool {
    // SAFETY: getpgrp() and getsid(0) only read this process's ids.
    unsafe { libc::getpgrp() == libc::getsid(0) }
}

#[cfg(not(unix))]
fn stop_signal_ignored() -> bool {
    true
}

#[cfg(not(unix))]
fn in_session_leaders_group() -> bool {
    true
}
