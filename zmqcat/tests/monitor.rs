//! `zmqcat monitor`: the events of a socket that pyzmq peers come to and leave,
//! and the ways a monitor run stops.

mod common;

use common::{assert_fails_with, pyzmq, zmqcat, Proc};

/// A pyzmq socket that connects to `argv[1]`, waits until its own monitor
/// reports the handshake (or a failed one), then closes.
const PY_VISITOR: &str = "\
import sys, zmq, zmq.utils.monitor as m
ctx = zmq.Context()
s = ctx.socket(zmq.DEALER)
s.linger = 0
exec(sys.argv[2])
events = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH)
events.rcvtimeo = 15000
s.connect(sys.argv[1])
print(m.recv_monitor_message(events)['event'], flush=True)
s.disable_monitor()
events.close()
s.close()
ctx.term()
";

fn visit(endpoint: &str, setup: &str) {
    let out = Proc::python(PY_VISITOR, &[endpoint, setup]).finish();
    assert!(out.status.success(), "{}", out.err());
}

#[test]
fn monitor_shows_a_pyzmq_peer_connecting_and_leaving() {
    if !pyzmq() {
        return;
    }
    let mut monitor = Proc::zmqcat(&[
        "monitor",
        "router",
        "tcp://127.0.0.1:*",
        "--bind",
        "--events",
        "listening,accepted,disconnected",
        "--count",
        "3",
        "--timeout",
        "15000",
    ]);
    let endpoint = monitor.bound();
    let listening = monitor.stdout_line();
    assert!(
        listening.starts_with(&format!("listening {endpoint} fd=")),
        "{listening}"
    );
    visit(&endpoint, "");
    let out = monitor.finish();
    assert!(out.status.success(), "{}", out.err());
    let [first, accepted, disconnected] = &out.stdout[..] else {
        panic!("{:?}", out.stdout)
    };
    assert_eq!(first, &listening);
    let prefix = |name: &str| format!("{name} {endpoint} fd=");
    assert!(accepted.starts_with(&prefix("accepted")), "{accepted}");
    assert!(
        disconnected.starts_with(&prefix("disconnected")),
        "{disconnected}"
    );
    assert_eq!(
        accepted.rsplit_once('=').unwrap().1,
        disconnected.rsplit_once('=').unwrap().1,
        "the same connection"
    );
}

#[test]
fn monitor_shows_handshakes_of_a_plain_server_passing_and_failing() {
    if !pyzmq() {
        return;
    }
    let mut monitor = Proc::zmqcat(&[
        "monitor",
        "router",
        "tcp://127.0.0.1:*",
        "--bind",
        "--plain-server",
        "ann=one",
        "--events",
        "handshake-succeeded,handshake-failed-auth",
        "--count",
        "2",
        "--timeout",
        "15000",
    ]);
    let endpoint = monitor.bound();
    visit(
        &endpoint,
        "s.plain_username = b'ann'; s.plain_password = b'one'",
    );
    visit(
        &endpoint,
        "s.plain_username = b'ann'; s.plain_password = b'two'",
    );
    let out = monitor.finish();
    assert!(out.status.success(), "{}", out.err());
    assert_eq!(
        out.stdout,
        [
            format!("handshake-succeeded {endpoint}"),
            format!("handshake-failed-auth {endpoint} status=400"),
        ]
    );
}

#[cfg(unix)]
#[test]
fn monitor_stops_on_its_limits_and_on_ctrl_c() {
    let endpoint = "tcp://127.0.0.1:*";
    // Only `listening` comes: an idle time-out before --count is an error.
    let out = zmqcat(&[
        "monitor",
        "pull",
        endpoint,
        "--bind",
        "--count",
        "5",
        "--timeout",
        "300",
    ]);
    assert_fails_with(&out, "timed out after 1 of 5 events");
    assert!(
        out.stdout[0].starts_with("listening tcp://127.0.0.1:"),
        "{:?}",
        out.stdout
    );

    let out = zmqcat(&["monitor", "pull", endpoint, "--bind", "--duration", "300"]);
    assert!(out.status.success(), "{}", out.err());
    assert_eq!(out.stdout.len(), 1, "{:?}", out.stdout);

    // A connecting monitor with no peer retries; Ctrl-C ends it cleanly.
    let mut monitor = Proc::zmqcat(&[
        "monitor",
        "push",
        "tcp://127.0.0.1:1",
        "--events",
        "connect-retried",
    ]);
    let retried = monitor.stdout_line();
    assert!(
        retried.starts_with("connect-retried tcp://127.0.0.1:1 interval="),
        "{retried}"
    );
    monitor.interrupt();
    let out = monitor.finish();
    assert!(out.status.success(), "{}", out.err());
}
