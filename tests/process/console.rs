//! `stepdeck` (the console) as a process: refused flags and environments, signals, the terminal.
//!
//! Refusals happen before any connection or terminal setup, so those tests need neither a
//! network nor a terminal. The rest drive the console in a pseudo-terminal (libc's `openpty`)
//! on the local sandbox, send it keys and signals, and read what it wrote: the terminal it
//! leaves behind must be the shell's (cooked mode, main screen, cursor shown).

use std::borrow::BorrowMut;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Generous: the machine is shared and the binary is a debug build.
const PATIENCE: Duration = Duration::from_secs(30);
const SANDBOX: [&str; 7] = [
    "--local",
    "--seed",
    "7",
    "--config",
    "/dev/null",
    "--trickle",
    "0",
];
const ENTER_SCREEN: &str = "\x1b[?1049h";
const LEAVE_SCREEN: &str = "\x1b[?1049l";
const HIDE_CURSOR: &str = "\x1b[?25l";
const SHOW_CURSOR: &str = "\x1b[?25h";

/// A directory of its own for one test, standing in for `$HOME` so the machine's AWS and
/// stepdeck files play no part. Removed when dropped.
struct Home(PathBuf);

impl Home {
    fn new() -> Home {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "stepdeck-console-test-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(path.join(".aws")).unwrap();
        Home(path)
    }

    /// `~/.aws/config` with `text`.
    fn aws_config(self, text: &str) -> Home {
        fs::write(self.0.join(".aws/config"), text).unwrap();
        self
    }

    /// The console's command with only this home's environment: no AWS variable of the
    /// machine leaks in.
    fn stepdeck(&self, args: &[&str]) -> Command {
        let mut command = self.command(env!("CARGO_BIN_EXE_stepdeck"));
        command.args(args);
        command
    }

    /// The console started by `sh -c` as a child (not exec'd: a command follows), in the
    /// shell's process group, as `tmux new 'stepdeck …; echo'` starts it.
    fn stepdeck_under_sh(&self, args: &[&str]) -> Command {
        let mut command = self.command("sh");
        command
            .args([
                "-c",
                "\"$0\" \"$@\"; exit $?",
                env!("CARGO_BIN_EXE_stepdeck"),
            ])
            .args(args);
        command
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.0)
            .env("XDG_CONFIG_HOME", self.0.join(".config"))
            .env("XDG_DATA_HOME", self.0.join(".local/share"))
            .env("AWS_CONFIG_FILE", self.0.join(".aws/config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.0.join(".aws/credentials"),
            )
            .env("TERM", "xterm-256color")
            // No graphics-protocol query: nobody answers it in a test.
            .env("STEPDECK_IMAGES", "halfblocks");
        command
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs the console without a terminal (stdin empty, stdout and stderr captured).
fn run(mut command: impl BorrowMut<Command>) -> Output {
    command.borrow_mut().stdin(Stdio::null()).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit 2 and a message on stderr holding every one of `words`, nothing on stdout (no escape
/// codes), no panic.
fn assert_refused(output: &Output, words: &[&str]) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for word in words {
        assert!(message.contains(word), "`{word}` missing from: {message}");
    }
    assert!(!message.contains("panicked"), "{message}");
    assert!(output.stdout.is_empty(), "stdout: {:?}", output.stdout);
}

#[test]
fn numbers_that_cannot_be_used_are_refused_with_the_flag_named() {
    let home = Home::new();
    let cases = [
        ("--trickle", "NaN"),
        ("--trickle", "inf"),
        ("--trickle", "1e20"),
        ("--trickle", "-1"),
        ("--trickle", "0.001"),
        ("--refresh", "NaN"),
        ("--refresh", "inf"),
        ("--refresh", "1e300"),
        ("--refresh", "0"),
        ("--refresh", "-5"),
    ];
    for (flag, value) in cases {
        let output = run(home.stepdeck(&["--local", &format!("{flag}={value}")]));
        assert_refused(&output, &[flag, "a number from 1 to 86400"]);
    }
    // The bounds themselves pass, and the console stops only for want of a terminal.
    for (flag, value) in [
        ("--trickle", "0"),
        ("--trickle", "1"),
        ("--trickle", "86400"),
        ("--refresh", "1"),
        ("--refresh", "86400"),
    ] {
        let output = run(home.stepdeck(&["--local", flag, value]));
        assert_refused(&output, &["needs a terminal"]);
    }
}

#[test]
fn an_empty_or_malformed_endpoint_is_refused_in_plain_words() {
    let home = Home::new();
    for (value, why) in [("", "empty"), ("notaurl", "http:// or https://")] {
        let flag = format!("--endpoint-url={value}");
        let output = run(home.stepdeck(&["--region", "eu-west-1", &flag]));
        assert_refused(&output, &["--endpoint-url", why]);
    }
    // An unset shell variable: `AWS_ENDPOINT_URL=$ENDPOINT stepdeck`.
    for (variable, value, why) in [
        ("AWS_ENDPOINT_URL", "", "empty"),
        (
            "AWS_ENDPOINT_URL_SFN",
            "localhost:5000",
            "http:// or https://",
        ),
    ] {
        let output = run(home
            .stepdeck(&["--region", "eu-west-1"])
            .env(variable, value));
        assert_refused(&output, &[variable, why]);
    }
}

#[test]
fn an_empty_or_garbage_region_is_refused_wherever_it_comes_from() {
    let home = Home::new().aws_config("[default]\nregion = moon base\n");
    for flag in ["--region=", "--region=garbage", "--region=EU-WEST-1"] {
        let output = run(home.stepdeck(&[flag]));
        assert_refused(&output, &["--region"]);
    }
    let output = run(home.stepdeck(&[]).env("AWS_REGION", "garbage"));
    assert_refused(&output, &["AWS_REGION", "`garbage`", "not shaped like"]);
    // The profile's own region, read by the SDK.
    let output = run(home.stepdeck(&[]));
    assert_refused(&output, &["`moon base`", "region"]);
}

#[test]
fn an_unknown_profile_is_named() {
    let home = Home::new().aws_config("[profile prod]\nregion = eu-west-1\n");
    let output = run(home.stepdeck(&["--profile", "doesnotexist"]));
    assert_refused(
        &output,
        &[
            "profile `doesnotexist` is not in",
            ".aws/config",
            ".aws/credentials",
        ],
    );
    let output = run(home.stepdeck(&[]).env("AWS_PROFILE", "nope"));
    assert_refused(&output, &["profile `nope` (from AWS_PROFILE) is not in"]);
}

#[test]
fn without_a_terminal_the_console_says_it_needs_one() {
    let home = Home::new().aws_config("[profile prod]\nregion = eu-west-1\n");
    let output = run(home.stepdeck(&SANDBOX));
    assert_refused(&output, &["needs a terminal", "stepdeck timeline"]);
    // A known profile and region pass their checks and stop at the same place.
    let output = run(home.stepdeck(&["--profile", "prod"]));
    assert_refused(&output, &["needs a terminal"]);

    // Keys from a terminal but stdout redirected: nothing written there, not even invisibly.
    let pty = Pty::open();
    let output = home
        .stepdeck(&SANDBOX)
        .stdin(pty.slave_stdio())
        .output()
        .unwrap();
    assert_refused(&output, &["needs a terminal"]);
}

/// One pseudo-terminal: the console gets the slave side as its stdin, stdout and stderr; the
/// test reads and writes the master side. The test keeps a slave descriptor too, to read the
/// terminal's modes after the console has gone.
struct Pty {
    master: OwnedFd,
    slave: OwnedFd,
}

impl Pty {
    fn open() -> Pty {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: 30,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: out-pointers to two ints of this frame; null name and termios are allowed.
        let opened = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(opened, 0, "openpty: {}", io::Error::last_os_error());
        // SAFETY: openpty returned two open descriptors that nothing else owns.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        for fd in [master.as_raw_fd(), slave.as_raw_fd()] {
            // SAFETY: fcntl on a descriptor this function owns. Close-on-exec: consoles of
            // other tests must not hold this terminal open.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        // SAFETY: as above; the master is read without blocking, against a deadline.
        unsafe {
            let flags = libc::fcntl(master.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(master.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        Pty { master, slave }
    }

    fn slave_stdio(&self) -> Stdio {
        Stdio::from(self.slave.try_clone().unwrap())
    }

    /// Whether the terminal is in the shell's modes: canonical input and echo.
    fn cooked(&self) -> bool {
        // SAFETY: a zeroed termios is valid; tcgetattr fills it from a descriptor we own.
        let mut modes: libc::termios = unsafe { std::mem::zeroed() };
        let read = unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut modes) };
        assert_eq!(read, 0, "tcgetattr: {}", io::Error::last_os_error());
        modes.c_lflag & (libc::ICANON | libc::ECHO) == (libc::ICANON | libc::ECHO)
    }
}

/// How the console is started in its terminal.
#[derive(Clone, Copy, PartialEq)]
enum JobControl {
    /// SIGTSTP at its default (stop), as under a shell with job control.
    Default,
    /// SIGTSTP ignored, as without job control (`nohup`, some process supervisors).
    Ignored,
    /// Leading a session of its own (`setsid`, `exec stepdeck`): no shell can resume it, and
    /// the kernel discards SIGTSTP for its ("orphaned") process group.
    SessionLeader,
    /// A child of `sh -c` leading the session, in the shell's group (as under `tmux new`):
    /// orphaned too.
    ChildOfPlainSh,
}

/// The console running in a pseudo-terminal, and everything it has written so far.
struct Console {
    pty: Pty,
    child: Child,
    output: Vec<u8>,
}

/// One console at a time: each is a sandbox with a few threads, and the machine has 2 cores.
static ONE_CONSOLE: Mutex<()> = Mutex::new(());

impl Console {
    fn start(home: &Home, job_control: JobControl, extra_env: &[(&str, &str)]) -> Console {
        let pty = Pty::open();
        let mut command = match job_control {
            JobControl::ChildOfPlainSh => home.stepdeck_under_sh(&SANDBOX),
            _ => home.stepdeck(&SANDBOX),
        };
        command
            .envs(
                extra_env
                    .iter()
                    .map(|(k, v)| (OsStr::new(k), OsStr::new(v))),
            )
            .stdin(pty.slave_stdio())
            .stdout(pty.slave_stdio())
            .stderr(pty.slave_stdio());
        // SAFETY: only async-signal-safe calls (setpgid, signal) between fork and exec.
        unsafe {
            command.pre_exec(move || {
                // Otherwise a process group of its own inside this test's session: a stop
                // signal then stops it (a group whose parent is in another session would be
                // "orphaned", and the kernel discards SIGTSTP for those), and the test sees
                // the stop.
                let grouped = match job_control {
                    JobControl::SessionLeader | JobControl::ChildOfPlainSh => libc::setsid(),
                    JobControl::Default | JobControl::Ignored => libc::setpgid(0, 0),
                };
                if grouped == -1 {
                    return Err(io::Error::last_os_error());
                }
                let disposition = match job_control {
                    JobControl::Ignored => libc::SIG_IGN,
                    _ => libc::SIG_DFL,
                };
                libc::signal(libc::SIGTSTP, disposition);
                Ok(())
            });
        }
        let child = command.spawn().unwrap();
        let mut console = Console {
            pty,
            child,
            output: Vec::new(),
        };
        console.wait_for_screen(0);
        console
    }

    fn pid(&self) -> libc::pid_t {
        self.child.id() as libc::pid_t
    }

    /// Reads what the console wrote since the last read (never blocks).
    fn pump(&mut self) {
        let mut buffer = [0u8; 8192];
        loop {
            // SAFETY: reads into a buffer of this frame from a descriptor we own.
            let read = unsafe {
                libc::read(
                    self.pty.master.as_raw_fd(),
                    buffer.as_mut_ptr().cast(),
                    buffer.len(),
                )
            };
            if read <= 0 {
                return;
            }
            self.output.extend_from_slice(&buffer[..read as usize]);
        }
    }

    fn text_since(&self, mark: usize) -> String {
        String::from_utf8_lossy(&self.output[mark..]).into_owned()
    }

    /// Waits until the output after `mark` holds `needle`; panics with the output if it never
    /// does.
    fn wait_for(&mut self, needle: &str, mark: usize) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            self.pump();
            if self.text_since(mark).contains(needle) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                self.pump();
                panic!(
                    "exited ({status}) before writing {needle:?}: {:?}",
                    self.text_since(mark)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "no {needle:?} after {PATIENCE:?}: {:?}",
            self.text_since(mark)
        );
    }

    /// Waits until the console has entered the alternate screen and drawn the list after
    /// `mark`.
    fn wait_for_screen(&mut self, mark: usize) {
        self.wait_for(ENTER_SCREEN, mark);
        let entered = mark + self.text_since(mark).find(ENTER_SCREEN).unwrap();
        self.wait_for("Executions", entered);
    }

    fn type_keys(&mut self, bytes: &[u8]) {
        // SAFETY: writes a slice we own to a descriptor we own.
        let written = unsafe {
            libc::write(
                self.pty.master.as_raw_fd(),
                bytes.as_ptr().cast(),
                bytes.len(),
            )
        };
        assert_eq!(
            written,
            bytes.len() as isize,
            "{}",
            io::Error::last_os_error()
        );
    }

    fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill on our own child's pid.
        assert_eq!(unsafe { libc::kill(self.pid(), signal) }, 0);
    }

    /// Waits until the console is stopped (as a shell sees a job stop).
    fn wait_stopped(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            self.pump();
            let mut status = 0;
            // SAFETY: waitpid on our own child; WUNTRACED reports a stop without reaping.
            let changed =
                unsafe { libc::waitpid(self.pid(), &mut status, libc::WNOHANG | libc::WUNTRACED) };
            if changed == self.pid() {
                assert!(
                    libc::WIFSTOPPED(status),
                    "ended instead of stopping ({status:#x}): {:?}",
                    self.text_since(0)
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("not stopped after {PATIENCE:?}");
    }

    /// Waits for the console to end; the terminal it leaves must be the shell's.
    fn wait_exit(mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            self.pump();
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                panic!("still running after {PATIENCE:?}: {:?}", self.text_since(0));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.pump();
        let text = self.text_since(0);
        assert_terminal_restored(&text);
        assert!(self.pty.cooked(), "raw mode left on: {text:?}");
        (status, text)
    }
}

impl Drop for Console {
    /// A failed test must not leave a console running (or stopped) behind.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The alternate screen was left and the cursor shown after the last time either was
/// entered or hidden.
fn assert_terminal_restored(text: &str) {
    let last = |needle: &str| text.rfind(needle);
    assert!(
        last(LEAVE_SCREEN) > last(ENTER_SCREEN),
        "still on the alternate screen: {:?}",
        tail(text)
    );
    assert!(
        last(SHOW_CURSOR) > last(HIDE_CURSOR),
        "cursor left hidden: {:?}",
        tail(text)
    );
}

fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(600);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    &text[start..]
}

#[test]
fn ctrl_z_then_fg_resumes_the_console_every_time() {
    let _one = ONE_CONSOLE.lock().unwrap_or_else(|e| e.into_inner());
    let home = Home::new();
    let mut console = Console::start(&home, JobControl::Default, &[]);
    for _ in 0..2 {
        let mark = console.output.len();
        console.type_keys(b"\x1a"); // ctrl-z
        console.wait_stopped();
        // Stopped with the terminal handed back, as the shell needs it.
        console.pump();
        assert_terminal_restored(&console.text_since(mark));
        assert!(console.pty.cooked(), "raw mode kept while stopped");
        let resumed = console.output.len();
        console.signal(libc::SIGCONT); // what `fg` sends
        console.wait_for_screen(resumed);
    }
    console.type_keys(b"q");
    let (status, text) = console.wait_exit();
    assert_eq!(status.code(), Some(0), "{:?}", tail(&text));
}

#[test]
fn ctrl_z_without_job_control_keeps_the_console_running() {
    let _one = ONE_CONSOLE.lock().unwrap_or_else(|e| e.into_inner());
    let home = Home::new();
    for job_control in [
        JobControl::Ignored,
        JobControl::SessionLeader,
        JobControl::ChildOfPlainSh,
    ] {
        let mut console = Console::start(&home, job_control, &[]);
        let mark = console.output.len();
        console.type_keys(b"\x1a");
        console.wait_for("no job control", mark);
        console.type_keys(b"q");
        let (status, text) = console.wait_exit();
        assert_eq!(status.code(), Some(0), "{:?}", tail(&text));
    }
}

#[test]
fn terminating_signals_restore_the_terminal_and_exit_non_zero() {
    let _one = ONE_CONSOLE.lock().unwrap_or_else(|e| e.into_inner());
    let home = Home::new();
    for (signal, status) in [(libc::SIGQUIT, 131), (libc::SIGTERM, 143)] {
        let console = Console::start(&home, JobControl::Default, &[]);
        console.signal(signal);
        let (ended, text) = console.wait_exit();
        assert_eq!(
            ended.code(),
            Some(status),
            "signal {signal}: {:?}",
            tail(&text)
        );
        assert_eq!(ended.signal(), None, "handled, not killed by {signal}");
    }
}

/// The panic is set off by `STEPDECK_DEBUG_PANIC=task`, read only by debug builds (nothing in
/// the console panics on purpose): inside a tokio task, where tokio would catch it and let
/// the console run on, deaf, on a terminal already given back.
#[cfg(debug_assertions)]
#[test]
fn a_panic_in_a_background_task_ends_the_console_with_the_terminal_restored() {
    let _one = ONE_CONSOLE.lock().unwrap_or_else(|e| e.into_inner());
    let home = Home::new();
    let console = Console::start(
        &home,
        JobControl::Default,
        &[("STEPDECK_DEBUG_PANIC", "task")],
    );
    let (status, text) = console.wait_exit();
    assert_eq!(status.code(), Some(101), "{:?}", tail(&text));
    assert!(text.contains("panicked"), "{:?}", tail(&text));
    assert!(
        text.contains("stepdeck: internal error"),
        "{:?}",
        tail(&text)
    );
}

#[test]
fn a_paste_is_one_event_never_keys() {
    let _one = ONE_CONSOLE.lock().unwrap_or_else(|e| e.into_inner());
    let home = Home::new();
    let mut console = Console::start(&home, JobControl::Default, &[]);
    assert!(
        console.text_since(0).contains("\x1b[?2004h"),
        "bracketed paste is asked for"
    );
    let mark = console.output.len();
    // What a terminal sends for a pasted `q` (quit, if it were read as a key) and a newline.
    console.type_keys(b"\x1b[200~q\r\x1b[201~");
    console.wait_for("paste ignored", mark);
    console.type_keys(b"q");
    let (status, text) = console.wait_exit();
    assert_eq!(status.code(), Some(0), "{:?}", tail(&text));
    assert!(
        text.rfind("\x1b[?2004l") > text.rfind("\x1b[?2004h"),
        "bracketed paste is turned off on the way out"
    );
}
