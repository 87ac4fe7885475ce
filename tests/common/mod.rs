//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

/// Receive/send timeout for every test socket: a test that waits longer fails
/// instead of hanging the suite.
pub const TIMEOUT_MS: i32 = 5_000;

/// A socket with linger 0 and bounded send/receive waits.
pub fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
    let s = ctx.socket(kind).expect("socket");
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(TIMEOUT_MS).unwrap();
    s.set_sndtimeo(TIMEOUT_MS).unwrap();
    s
}

/// A unique inproc endpoint for this process.
pub fn inproc(name: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("inproc://{name}-{}", N.fetch_add(1, Ordering::Relaxed))
}

/// A unique ipc endpoint in the temp directory.
pub fn ipc(name: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "zmq-rs-test-{}-{name}-{}.ipc",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    format!("ipc://{}", path.display())
}

/// Binds to `tcp://127.0.0.1:*` and returns the endpoint with the real port.
pub fn bind_tcp(s: &zmq::Socket) -> String {
    s.bind("tcp://127.0.0.1:*").unwrap();
    s.get_last_endpoint().unwrap().unwrap()
}

/// Whether tests must fail instead of skipping when something optional is missing.
pub fn require_all() -> bool {
    std::env::var("ZMQ_TEST_REQUIRE_ALL").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Skips (with a visible message) or, under ZMQ_TEST_REQUIRE_ALL=1, fails.
///
/// The message goes straight to the process's stderr, past the test harness's
/// output capture, so `cargo test` shows it even for a passing test.
pub fn skip_or_fail(why: &str) {
    if require_all() {
        panic!("required but unavailable: {why}");
    }
    skip(why);
}

/// Says visibly that (part of) a test does not run in this build, for what no
/// setting can change (a Cargo feature that is off, say): never a failure.
pub fn skip(why: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("?").to_owned();
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// A Python interpreter with pyzmq (`import zmq.auth.thread` works): the one
/// named by `ZMQ_TEST_PYTHON`, else `python3` on the PATH, else Debian's
/// `/usr/bin/python3` (whose pyzmq is the python3-zmq package). `None`, after
/// a visible skip (or a failure under `ZMQ_TEST_REQUIRE_ALL=1`), when there is
/// none.
pub fn python() -> Option<std::process::Command> {
    static FOUND: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let found = FOUND.get_or_init(|| {
        let candidates = match std::env::var("ZMQ_TEST_PYTHON") {
            Ok(named) => vec![named],
            Err(_) => vec!["python3".to_owned(), "/usr/bin/python3".to_owned()],
        };
        candidates.into_iter().find(|python| {
            std::process::Command::new(python)
                .args(["-c", "import zmq, zmq.auth.thread"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
    });
    if found.is_none() {
        skip_or_fail("no python3 with pyzmq (python3-zmq, or ZMQ_TEST_PYTHON)");
    }
    found.as_deref().map(std::process::Command::new)
}

/// The lines `child` writes to its piped stdout, read on a thread of their own.
pub fn stdout_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// Runs the ignored test `name` of this test binary in a child process, with
/// the environment variable `marker` set (so the child knows it is one), and
/// asserts that it succeeded and printed `CHILD-OK`: for tests that change
/// limits of their own process.
pub fn run_child_test(name: &str, marker: &str) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--ignored", "--nocapture"])
        .env(marker, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("CHILD-OK"),
        "child: {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
