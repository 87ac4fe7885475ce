//! Helpers for the end-to-end tests: running zmqcat and pyzmq peers as child
//! processes, reading their output line by line with bounded waits.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub const ZMQCAT: &str = env!("CARGO_BIN_EXE_zmqcat");

/// How long any one line or exit is waited for.
pub const WAIT: Duration = Duration::from_secs(20);

/// Whether tests must fail instead of skipping when something optional is missing.
pub fn require_all() -> bool {
    std::env::var("ZMQ_TEST_REQUIRE_ALL").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The Python interpreter with pyzmq: the one `ZMQ_TEST_PYTHON` names, else
/// `python3` on the PATH, else Debian's `/usr/bin/python3` (python3-zmq).
pub fn python() -> Option<&'static str> {
    static FOUND: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let candidates = match std::env::var("ZMQ_TEST_PYTHON") {
                Ok(named) => vec![named],
                Err(_) => vec!["python3".to_owned(), "/usr/bin/python3".to_owned()],
            };
            candidates.into_iter().find(|python| {
                Command::new(python)
                    .args(["-c", "import zmq, zmq.auth, zmq.auth.thread"])
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
        })
        .as_deref()
}

/// Whether pyzmq (with `zmq.auth`) can be imported; skips visibly (straight
/// to stderr, past the test harness's capture), or fails under
/// `ZMQ_TEST_REQUIRE_ALL=1`, when it cannot.
pub fn pyzmq() -> bool {
    let ok = python().is_some();
    if !ok {
        if require_all() {
            panic!("required but unavailable: pyzmq (python3-zmq, or ZMQ_TEST_PYTHON)");
        }
        use std::io::Write;
        let test = std::thread::current().name().unwrap_or("?").to_owned();
        let _ = writeln!(std::io::stderr(), "SKIPPED {test}: no python3 with pyzmq");
    }
    ok
}

/// What a finished process printed.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

impl Finished {
    /// Standard error as one string (for assertion messages).
    pub fn err(&self) -> String {
        self.stderr.join("\n")
    }
}

/// A child process whose output lines arrive on channels; killed on drop.
pub struct Proc {
    name: String,
    child: Child,
    out: Receiver<String>,
    err: Receiver<String>,
    /// Standard error lines read so far (kept for messages and `finish`).
    seen_err: Vec<String>,
    seen_out: Vec<String>,
}

fn lines(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl Proc {
    /// Starts `command` with piped standard output and error.
    pub fn spawn(name: &str, command: &mut Command) -> Proc {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let out = lines(child.stdout.take().unwrap());
        let err = lines(child.stderr.take().unwrap());
        Proc {
            name: name.to_owned(),
            child,
            out,
            err,
            seen_err: Vec::new(),
            seen_out: Vec::new(),
        }
    }

    /// Runs zmqcat with these arguments.
    pub fn zmqcat(args: &[&str]) -> Proc {
        Proc::spawn("zmqcat", Command::new(ZMQCAT).args(args))
    }

    /// Runs a python script (`sys.argv[1:]` are `args`).
    pub fn python(script: &str, args: &[&str]) -> Proc {
        Proc::spawn(
            "python",
            Command::new(python().expect("checked by pyzmq()"))
                .arg("-c")
                .arg(script)
                .args(args),
        )
    }

    fn drain_err(&mut self) {
        while let Ok(line) = self.err.try_recv() {
            self.seen_err.push(line);
        }
    }

    fn next(&mut self, stdout: bool) -> String {
        let rx = if stdout { &self.out } else { &self.err };
        match rx.recv_timeout(WAIT) {
            Ok(line) => {
                if stdout {
                    self.seen_out.push(line.clone());
                } else {
                    self.seen_err.push(line.clone());
                }
                line
            }
            Err(e) => {
                self.drain_err();
                panic!(
                    "{}: no line on {} ({e:?}); stderr so far:\n{}",
                    self.name,
                    if stdout { "stdout" } else { "stderr" },
                    self.seen_err.join("\n")
                )
            }
        }
    }

    /// The next line on standard output (waits at most [`WAIT`]).
    pub fn stdout_line(&mut self) -> String {
        self.next(true)
    }

    /// The endpoint of the next `zmqcat: bound ENDPOINT` line on standard error.
    pub fn bound(&mut self) -> String {
        loop {
            let line = self.next(false);
            if let Some(endpoint) = line.strip_prefix("zmqcat: bound ") {
                return endpoint.to_owned();
            }
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGINT (as Ctrl-C would).
    #[cfg(unix)]
    pub fn interrupt(&self) {
        let pid = libc::pid_t::try_from(self.pid()).expect("a pid");
        // SAFETY: kill has no memory preconditions; pid is our own child, which
        // is still running (it is only reaped by `finish`).
        let rc = unsafe { libc::kill(pid, libc::SIGINT) };
        assert_eq!(rc, 0, "kill(SIGINT) failed");
    }

    /// Waits (at most [`WAIT`]) for the process to end; returns everything it
    /// printed. Kills it and panics if it does not end in time.
    pub fn finish(mut self) -> Finished {
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                self.drain_err();
                panic!(
                    "{} did not finish in {WAIT:?}; stderr:\n{}",
                    self.name,
                    self.seen_err.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stdout = std::mem::take(&mut self.seen_out);
        let mut stderr = std::mem::take(&mut self.seen_err);
        for (rx, into) in [(&self.out, &mut stdout), (&self.err, &mut stderr)] {
            loop {
                match rx.recv_timeout(Duration::from_secs(5)) {
                    Ok(line) => into.push(line),
                    Err(RecvTimeoutError::Disconnected) => break,
                    Err(RecvTimeoutError::Timeout) => panic!("output pipe stayed open"),
                }
            }
        }
        Finished {
            status,
            stdout,
            stderr,
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs zmqcat to completion (bounded) and returns what it printed.
pub fn zmqcat(args: &[&str]) -> Finished {
    Proc::zmqcat(args).finish()
}

/// Asserts a run failed cleanly: non-zero exit, a `zmqcat:` message containing
/// `needle`, no panic.
pub fn assert_fails_with(out: &Finished, needle: &str) {
    let err = out.err();
    assert!(!out.status.success(), "succeeded: {err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("zmqcat: ") && err.contains(needle), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
