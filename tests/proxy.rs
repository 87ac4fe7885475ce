//! Steerable proxies: pause, resume, exact statistics, clean stop.

mod common;

use common::socket;

#[test]
fn a_proxy_pauses_resumes_counts_exactly_and_stops_on_drop() {
    let ctx = zmq::Context::new();
    let (input_ep, output_ep) = (common::inproc("proxy-in"), common::inproc("proxy-out"));
    let frontend = socket(&ctx, zmq::PULL);
    frontend.bind(&input_ep).unwrap();
    let backend = socket(&ctx, zmq::PUSH);
    backend.bind(&output_ep).unwrap();
    let proxy = zmq::ProxyHandle::spawn(&ctx, frontend, backend, None).unwrap();

    let input = socket(&ctx, zmq::PUSH);
    input.connect(&input_ep).unwrap();
    let output = socket(&ctx, zmq::PULL);
    output.connect(&output_ep).unwrap();

    for i in 0..10 {
        input.send(format!("msg-{i}").as_str(), 0).unwrap();
    }
    for i in 0..10 {
        assert_eq!(output.recv_string(0).unwrap().unwrap(), format!("msg-{i}"));
    }
    let stats = proxy.statistics().unwrap();
    let expected = zmq::SideStatistics {
        messages_received: 10,
        bytes_received: 50,
        messages_sent: 0,
        bytes_sent: 0,
    };
    assert_eq!(stats.frontend, expected);
    assert_eq!(stats.backend.messages_sent, 10);
    assert_eq!(stats.backend.bytes_sent, 50);

    proxy.pause().unwrap();
    for i in 10..15 {
        input.send(format!("msg-{i}").as_str(), 0).unwrap();
    }
    assert_eq!(
        output.poll(zmq::POLLIN, 300).unwrap(),
        0,
        "a paused proxy forwarded"
    );
    assert_eq!(proxy.statistics().unwrap().frontend.messages_received, 10);

    proxy.resume().unwrap();
    for i in 10..15 {
        assert_eq!(output.recv_string(0).unwrap().unwrap(), format!("msg-{i}"));
    }
    let stats = proxy.statistics().unwrap();
    assert_eq!(
        (
            stats.frontend.messages_received,
            stats.frontend.bytes_received
        ),
        (15, 80)
    );
    assert_eq!(
        (stats.backend.messages_sent, stats.backend.bytes_sent),
        (15, 80)
    );
    proxy.terminate().unwrap();
}

#[test]
fn statistics_replies_of_the_wrong_shape_are_errors() {
    assert_eq!(
        zmq::ProxyStatistics::parse(&[[0u8; 8]; 7]).unwrap_err(),
        zmq::Error::EPROTO
    );
    let mut frames = vec![vec![0u8; 8]; 8];
    frames[3] = vec![1, 2, 3];
    assert_eq!(
        zmq::ProxyStatistics::parse(&frames).unwrap_err(),
        zmq::Error::EPROTO
    );
    frames[3] = 7u64.to_ne_bytes().to_vec();
    assert_eq!(
        zmq::ProxyStatistics::parse(&frames)
            .unwrap()
            .frontend
            .bytes_sent,
        7
    );
}

#[test]
fn dropping_a_proxy_handle_ends_its_thread() {
    let ctx = zmq::Context::new();
    let frontend = socket(&ctx, zmq::ROUTER);
    frontend.bind(&common::inproc("drop-front")).unwrap();
    let backend = socket(&ctx, zmq::DEALER);
    backend.bind(&common::inproc("drop-back")).unwrap();
    let capture = socket(&ctx, zmq::PUB); // PUB never blocks on a missing peer
    capture.bind(&common::inproc("drop-capture")).unwrap();
    let proxy = zmq::ProxyHandle::spawn(&ctx, frontend, backend, Some(capture)).unwrap();
    drop(proxy);
    // The proxy's sockets are closed with its thread, so the context ends.
    drop(ctx);
}

/// A proxy between two inproc endpoints, already running.
fn running_proxy(ctx: &zmq::Context) -> zmq::ProxyHandle {
    let frontend = socket(ctx, zmq::PULL);
    frontend.bind(&common::inproc("stopped-in")).unwrap();
    let backend = socket(ctx, zmq::PUSH);
    backend.bind(&common::inproc("stopped-out")).unwrap();
    let proxy = zmq::ProxyHandle::spawn(ctx, frontend, backend, None).unwrap();
    proxy.statistics().unwrap();
    proxy
}

/// A proxy that stopped on its own while the context of its control socket
/// still runs: its frontend and backend live in another context, which is shut
/// down, so `zmq_proxy_steerable` returns `ETERM` and the thread ends.
fn stopped_proxy(ctx: &zmq::Context) -> zmq::ProxyHandle {
    let other = zmq::Context::new();
    let frontend = socket(&other, zmq::PULL);
    frontend.bind(&common::inproc("other-in")).unwrap();
    let backend = socket(&other, zmq::PUSH);
    backend.bind(&common::inproc("other-out")).unwrap();
    let proxy = zmq::ProxyHandle::spawn(ctx, frontend, backend, None).unwrap();
    proxy.statistics().unwrap();
    other.shutdown().unwrap();
    // Until the proxy has stopped (bounded: 5 s).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while proxy.statistics().is_ok() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    proxy
}

/// Runs `f` on another thread; whether it returned within `secs` seconds
/// (well under the proxy's 10-second control timeout).
fn returns_within<T: Send + 'static>(
    secs: u64,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs)).ok()
}

#[test]
fn dropping_a_proxy_handle_whose_proxy_has_stopped_does_not_wait_for_it() {
    let ctx = zmq::Context::new();
    let proxy = stopped_proxy(&ctx);
    assert!(
        returns_within(3, move || drop(proxy)).is_some(),
        "drop waited"
    );
}

#[test]
fn terminating_a_stopped_proxy_returns_why_it_stopped_at_once() {
    let ctx = zmq::Context::new();
    let proxy = stopped_proxy(&ctx);
    let result = returns_within(3, move || proxy.terminate()).expect("terminate waited");
    assert_eq!(result, Err(zmq::Error::ETERM));
}

#[test]
fn commands_to_a_proxy_that_stopped_fail_at_once() {
    let ctx = zmq::Context::new();
    let proxy = stopped_proxy(&ctx);
    let result = returns_within(3, move || proxy.statistics()).expect("statistics waited");
    assert!(result.is_err());
}

#[test]
fn a_proxy_stopped_by_a_context_shutdown_is_dropped_at_once() {
    let ctx = zmq::Context::new();
    let proxy = running_proxy(&ctx);
    ctx.shutdown().unwrap();
    let result = returns_within(3, move || proxy.terminate()).expect("terminate waited");
    assert_eq!(result, Err(zmq::Error::ETERM));
}

#[test]
fn dropping_a_proxy_handle_stuck_on_its_capture_neither_waits_nor_stalls_the_context() {
    let ctx = zmq::Context::new();
    let (input_endpoint, output_endpoint) =
        (common::inproc("stuck-in"), common::inproc("stuck-out"));
    let frontend = socket(&ctx, zmq::PULL);
    frontend.bind(&input_endpoint).unwrap();
    let backend = socket(&ctx, zmq::PUSH);
    backend.bind(&output_endpoint).unwrap();
    let output = socket(&ctx, zmq::PULL);
    output.connect(&output_endpoint).unwrap();
    // A PUSH capture that nobody reads, without a send time-out: the proxy
    // blocks on its first copy, before it forwards the message.
    let capture = ctx.socket(zmq::PUSH).unwrap();
    capture.set_linger(0).unwrap();
    capture.bind(&common::inproc("stuck-capture")).unwrap();
    let proxy = zmq::ProxyHandle::spawn(&ctx, frontend, backend, Some(capture)).unwrap();
    let input = socket(&ctx, zmq::PUSH);
    input.connect(&input_endpoint).unwrap();
    input.send("one", 0).unwrap();
    // Nothing comes out: the proxy is stuck on the capture.
    assert_eq!(output.poll(zmq::POLLIN, 300), Ok(0));
    // It took 10 s before the fix (the command's time-out).
    let started = std::time::Instant::now();
    drop(proxy);
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(2),
        "drop took {took:?}"
    );
    // The proxy's sockets get ETERM when the context ends, so it ends.
    drop((input, output));
    assert!(
        returns_within(20, move || drop(ctx)).is_some(),
        "the context did not end"
    );
}
