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
pub fn skip_or_fail(why: &str) {
    if require_all() {
        panic!("required but unavailable: {why}");
    }
    eprintln!("SKIPPED: {why}");
}
