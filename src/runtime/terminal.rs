//! Owns the terminal's modes: entering raw mode + the alternate screen, leaving them on every
//! exit path (normal return, error, panic via ratatui's hook, signals), and Ctrl-Z suspension.

use ratatui::DefaultTerminal;
use std::io;

/// Restores the terminal when dropped, so an early `?` return cannot leave it broken.
/// (Panics are covered by the hook `ratatui::try_init` installs.)
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        Ok(TerminalGuard { terminal })
    }

    /// Ctrl-Z: give the shell back a sane terminal, stop the process with SIGTSTP (what the
    /// shell's job control expects), and re-enter the console when resumed with `fg`.
    pub fn suspend(&mut self) -> io::Result<()> {
        ratatui::try_restore()?;
        #[cfg(unix)]
        // SAFETY: raising a signal for our own process has no memory-safety preconditions;
        // execution continues here after SIGCONT.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
        // The screen was the shell's while we were stopped: repaint everything.
        self.terminal.clear()
    }
}

impl TerminalGuard {
    /// Runs `work` (an external program such as `$EDITOR`) with the terminal given back to
    /// the shell's modes, then re-enters and repaints.
    pub fn outside<R>(&mut self, work: impl FnOnce() -> R) -> io::Result<R> {
        ratatui::try_restore()?;
        let result = work();
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
        self.terminal.clear()?;
        Ok(result)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = ratatui::try_restore();
    }
}
