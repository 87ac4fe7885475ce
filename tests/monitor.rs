//! Socket monitors: typed event sequences for connect, accept, disconnect and a
//! failed CURVE handshake; parsing that never panics.

mod common;

use std::time::{Duration, Instant};

use common::socket;
use zmq::monitor::{Event, EventKind, Monitor, ProtocolError};

const ALL: u64 = 0xFFFF;

/// Collects events until `done` says the sequence is complete (bounded: 5 s).
fn events_until(monitor: &Monitor, done: impl Fn(&[EventKind]) -> bool) -> Vec<EventKind> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while !done(&seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "timed out; events so far: {seen:?}");
        if let Some(event) = monitor.recv_timeout(left).unwrap() {
            seen.push(event.kind);
        }
    }
    seen
}

fn position(seen: &[EventKind], want: impl Fn(&EventKind) -> bool) -> usize {
    seen.iter()
        .position(want)
        .unwrap_or_else(|| panic!("missing in {seen:?}"))
}

#[test]
fn connect_accept_and_disconnect_arrive_in_order() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::ROUTER);
    let server_events = Monitor::new(&ctx, &server, ALL).unwrap();
    let endpoint = common::bind_tcp(&server);
    let client = socket(&ctx, zmq::DEALER);
    let client_events = Monitor::new(&ctx, &client, ALL).unwrap();
    client.connect(&endpoint).unwrap();

    let first = server_events.recv().unwrap();
    assert!(
        matches!(first.kind, EventKind::Listening { fd } if fd >= 0),
        "{first:?}"
    );
    assert_eq!(first.endpoint, endpoint);

    let client_seen = events_until(&client_events, |s| {
        s.contains(&EventKind::HandshakeSucceeded)
    });
    let connected = position(&client_seen, |e| matches!(e, EventKind::Connected { .. }));
    let handshake = position(&client_seen, |e| *e == EventKind::HandshakeSucceeded);
    assert!(connected < handshake, "{client_seen:?}");

    let server_seen = events_until(&server_events, |s| {
        s.contains(&EventKind::HandshakeSucceeded)
    });
    let accepted = position(&server_seen, |e| matches!(e, EventKind::Accepted { .. }));
    assert!(accepted < position(&server_seen, |e| *e == EventKind::HandshakeSucceeded));

    drop(client);
    let after = events_until(&server_events, |s| {
        s.iter()
            .any(|e| matches!(e, EventKind::Disconnected { .. }))
    });
    assert!(!after.is_empty());
}

#[test]
fn a_wrong_curve_server_key_fails_the_handshake_with_a_cryptographic_error() {
    if zmq::has("curve") != Some(true) {
        return common::skip_or_fail("libzmq without CURVE");
    }
    let ctx = zmq::Context::new();
    let server_keys = zmq::CurveKeyPair::new().unwrap();
    let server = socket(&ctx, zmq::REP);
    server.set_curve_server(true).unwrap();
    server.set_curve_secretkey(&server_keys.secret_key).unwrap();
    let server_events = Monitor::new(&ctx, &server, ALL).unwrap();
    let endpoint = common::bind_tcp(&server);

    let client_keys = zmq::CurveKeyPair::new().unwrap();
    let impostor = zmq::CurveKeyPair::new().unwrap();
    let client = socket(&ctx, zmq::REQ);
    client.set_curve_serverkey(&impostor.public_key).unwrap();
    client.set_curve_publickey(&client_keys.public_key).unwrap();
    client.set_curve_secretkey(&client_keys.secret_key).unwrap();
    client.connect(&endpoint).unwrap();
    client.send("secret", 0).unwrap();

    let seen = events_until(&server_events, |s| {
        s.iter()
            .any(|e| matches!(e, EventKind::HandshakeFailedProtocol { .. }))
    });
    let failure = seen
        .iter()
        .find(|e| matches!(e, EventKind::HandshakeFailedProtocol { .. }))
        .unwrap();
    assert_eq!(
        *failure,
        EventKind::HandshakeFailedProtocol {
            error: ProtocolError::ZmtpCryptographic
        }
    );
    assert!(!seen.contains(&EventKind::HandshakeSucceeded));
    server.set_rcvtimeo(200).unwrap();
    assert_eq!(
        server.recv_bytes(0).unwrap_err(),
        zmq::Error::EAGAIN,
        "a message got through"
    );
}

#[test]
fn malformed_event_frames_are_errors_never_panics() {
    let mut state = 0x1234_5678_u32;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for _ in 0..2000 {
        let count = (next() % 7) as usize;
        let frames: Vec<Vec<u8>> = (0..count)
            .map(|_| (0..next() % 12).map(|_| next() as u8).collect())
            .collect();
        let frames: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
        let _ = Event::parse_v1(&frames);
        let _ = Event::parse_v2(&frames);
    }
    // A well-formed v2 frame set with a huge value count is refused, not trusted.
    let huge = u64::MAX.to_ne_bytes();
    let frames: [&[u8]; 4] = [&1u64.to_ne_bytes(), &huge, b"a", b"b"];
    assert!(Event::parse_v2(&frames).is_err());
    // Unknown event numbers become Unknown.
    let head = [0x00u8, 0x80, 1, 0, 0, 0];
    let parsed = Event::parse_v1(&[&head, b"tcp://x"]).unwrap();
    assert!(matches!(parsed.kind, EventKind::Unknown { .. }));
    assert_eq!(
        ProtocolError::from_raw(0x7777),
        ProtocolError::Unknown(0x7777)
    );
}

#[cfg(zmq_draft)]
#[test]
fn version_2_monitors_report_both_endpoints_and_pipe_statistics() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::PUSH);
    let events = Monitor::new_v2(&ctx, &server, 0xFFFF | 0x10000).unwrap();
    let endpoint = common::bind_tcp(&server);
    let client = socket(&ctx, zmq::PULL);
    client.connect(&endpoint).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let accepted = loop {
        let e = events
            .recv_timeout(Duration::from_secs(5))
            .unwrap()
            .expect("an event");
        if matches!(e.kind, EventKind::HandshakeSucceeded) {
            break e;
        }
        assert!(Instant::now() < deadline);
    };
    assert_eq!(accepted.endpoint, endpoint);
    assert!(accepted
        .remote_endpoint
        .as_deref()
        .is_some_and(|r| r.starts_with("tcp://127.0.0.1:")));
    for _ in 0..3 {
        server.send("queued", 0).unwrap();
    }
    // SAFETY: the only peer is `client`, alive (and on this thread) until the
    // end of the test.
    unsafe { server.monitor_pipes_stats() }.unwrap();
    // The answer reaches the socket as a command, processed on its next use.
    let deadline = Instant::now() + Duration::from_secs(5);
    let stats = loop {
        server.get_events().unwrap();
        if let Some(e) = events.recv_timeout(Duration::from_millis(20)).unwrap() {
            if let EventKind::PipesStats { .. } = e.kind {
                break e.kind;
            }
        }
        assert!(Instant::now() < deadline, "no pipe statistics");
    };
    assert!(matches!(stats, EventKind::PipesStats { .. }));
}

/// Sends one message from a fresh PUSH to a fresh PULL over tcp on `ctx`, with
/// bounded waits: whether the context's I/O thread still moves traffic.
fn tcp_traffic_flows(ctx: &zmq::Context) -> bool {
    let pull = socket(ctx, zmq::PULL);
    pull.set_rcvtimeo(3_000).unwrap();
    let endpoint = common::bind_tcp(&pull);
    let push = socket(ctx, zmq::PUSH);
    push.connect(&endpoint).unwrap();
    push.send("still moving", zmq::DONTWAIT).ok();
    pull.recv_bytes(0).is_ok_and(|b| b == b"still moving")
}

#[test]
fn a_monitor_dropped_before_its_socket_does_not_stall_the_context() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::REP);
    let monitor = Monitor::new(&ctx, &server, ALL).unwrap();
    let endpoint = common::bind_tcp(&server);
    // Rust drops locals in reverse order: the monitor goes first.
    drop(monitor);
    // Each connection makes events that nobody reads any more.
    let clients: Vec<zmq::Socket> = (0..3)
        .map(|_| {
            let client = socket(&ctx, zmq::REQ);
            client.connect(&endpoint).unwrap();
            client
        })
        .collect();
    assert!(
        tcp_traffic_flows(&ctx),
        "an unrelated socket pair on the same context stopped moving"
    );
    drop(clients);
    assert!(tcp_traffic_flows(&ctx));
}

#[test]
fn a_monitor_dropped_on_another_thread_stops_monitoring_there() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::ROUTER);
    let monitor = Monitor::new(&ctx, &server, ALL).unwrap();
    let endpoint = common::bind_tcp(&server);
    std::thread::spawn(move || {
        monitor.recv_timeout(Duration::from_secs(5)).unwrap();
        drop(monitor);
    })
    .join()
    .unwrap();
    for _ in 0..5 {
        let client = socket(&ctx, zmq::DEALER);
        client.connect(&endpoint).unwrap();
        assert!(tcp_traffic_flows(&ctx));
    }
}

#[test]
fn a_monitor_that_outlives_its_socket_ends_cleanly() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::REP);
    let monitor = Monitor::new(&ctx, &server, ALL).unwrap();
    common::bind_tcp(&server);
    drop(server);
    let seen = events_until(&monitor, |seen| {
        seen.iter().any(|e| matches!(e, EventKind::MonitorStopped))
    });
    assert!(matches!(seen[0], EventKind::Listening { .. }), "{seen:?}");
    drop(monitor);
    assert!(tcp_traffic_flows(&ctx));
}

#[test]
fn a_monitor_of_a_socket_from_another_context_reads_that_context() {
    let ctx = zmq::Context::new();
    let other = zmq::Context::new();
    let server = socket(&ctx, zmq::REP);
    // The monitor follows the socket's own context, not the one it is given.
    let monitor = Monitor::new(&other, &server, ALL).unwrap();
    common::bind_tcp(&server);
    let event = monitor.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(matches!(
        event.map(|e| e.kind),
        Some(EventKind::Listening { .. })
    ));
    assert!(tcp_traffic_flows(&ctx));
}

#[test]
fn many_unread_events_neither_block_the_context_nor_a_later_drop() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::ROUTER);
    let monitor = Monitor::new(&ctx, &server, ALL).unwrap();
    let endpoint = common::bind_tcp(&server);
    // Far more events than a default high-water mark of 1000 messages holds.
    for _ in 0..700 {
        let client = socket(&ctx, zmq::DEALER);
        client.connect(&endpoint).unwrap();
        client.send("x", 0).unwrap();
        server.recv_multipart(0).unwrap();
    }
    assert!(tcp_traffic_flows(&ctx));
    drop(monitor);
    assert!(tcp_traffic_flows(&ctx));
}

#[test]
fn a_monitor_dropped_right_after_its_socket_does_not_stall_the_context() {
    // libzmq sends a closed socket's last events later, from its own threads:
    // they must not find the monitor's PAIR gone.
    let ctx = zmq::Context::new();
    // Refused handshakes make the server close connections on its own, so
    // events keep coming while the sockets go away.
    let auth = zmq::Authenticator::start(&ctx).unwrap();
    auth.deny(["127.0.0.0/8".parse().unwrap()]);
    for _ in 0..20 {
        let server = socket(&ctx, zmq::REP);
        server.set_zap_domain("test").unwrap();
        let monitor = Monitor::new(&ctx, &server, ALL).unwrap();
        let endpoint = common::bind_tcp(&server);
        let clients: Vec<zmq::Socket> = (0..3)
            .map(|_| {
                let client = socket(&ctx, zmq::REQ);
                client.connect(&endpoint).unwrap();
                client
            })
            .collect();
        events_until(&monitor, |seen| {
            seen.iter()
                .any(|e| matches!(e, EventKind::HandshakeFailedAuth { .. }))
        });
        drop(server);
        drop(monitor);
        drop(clients);
    }
    drop(auth);
    assert!(tcp_traffic_flows(&ctx), "the context's I/O thread is stuck");
}

#[test]
fn a_monitored_socket_given_away_does_not_stall_the_context_when_the_monitor_goes() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::ROUTER);
    let monitor = Monitor::new(&ctx, &server, ALL).unwrap();
    let endpoint = common::bind_tcp(&server);
    let raw = server.into_raw();
    drop(monitor);
    // Events for a socket nobody reads the monitor of any more.
    let client = socket(&ctx, zmq::DEALER);
    client.connect(&endpoint).unwrap();
    assert!(tcp_traffic_flows(&ctx));
    drop(client);
    // SAFETY: `raw` is the live socket into_raw gave away; closed once here.
    assert_eq!(unsafe { zmq_sys::zmq_close(raw) }, 0);
}

#[test]
fn a_socket_from_c_code_cannot_get_a_monitor_it_would_stall() {
    let ctx = zmq::Context::new();
    let made = socket(&ctx, zmq::REP);
    // SAFETY: `made` gave its live socket away; the new owner closes it on drop.
    let adopted = unsafe { zmq::Socket::from_raw(made.into_raw()) };
    // Its context is unknown: a reader PAIR in another context would never
    // connect, and libzmq would wait for it forever.
    assert_eq!(
        Monitor::new(&zmq::Context::new(), &adopted, ALL).err(),
        Some(zmq::Error::EINVAL)
    );
}
