//! What the build of libzmq claims, checked on the library this test links:
//! version, capabilities, and the platform configuration (eventfd, keepalive,
//! ifaddrs, SO_PEERCRED) observed on real file descriptors.

mod common;

fn expected_version() -> (i32, i32, i32) {
    let mut parts = zmq_sys::BUILD_VERSION
        .split('.')
        .map(|p| p.parse::<i32>().unwrap());
    (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    )
}

#[test]
fn version_is_the_one_the_build_found() {
    assert_eq!(zmq::version(), expected_version());
    if cfg!(zmq_vendored) {
        assert_eq!(zmq::version(), (4, 3, 5));
    }
}

#[test]
fn capabilities_match_the_build_features() {
    assert_eq!(zmq::has("ipc"), Some(true));
    assert_eq!(zmq::has("curve"), Some(cfg!(zmq_curve)));
    assert_eq!(zmq::has("draft"), Some(cfg!(zmq_draft)));
    assert_eq!(zmq::has("pgm"), Some(cfg!(zmq_pgm)));
    assert_eq!(zmq::has("norm"), Some(cfg!(zmq_norm)));
    // zmq_has is case-sensitive.
    assert_eq!(zmq::has("CURVE"), Some(false));
    assert_eq!(zmq::has("nul\0byte"), Some(false));
    if cfg!(zmq_vendored) {
        assert_eq!(
            zmq::has("curve"),
            Some(true),
            "the vendored build has CURVE"
        );
        assert_eq!(zmq::has("tipc"), Some(cfg!(target_os = "linux")));
    }
}

#[test]
fn a_tcp_endpoint_can_name_an_interface() {
    // Resolving `lo` needs getifaddrs (ZMQ_HAVE_IFADDRS).
    let ctx = zmq::Context::new();
    let server = common::socket(&ctx, zmq::PULL);
    server.bind("tcp://lo:*").expect("bind on the lo interface");
    let endpoint = server.get_last_endpoint().unwrap().unwrap();
    assert!(endpoint.starts_with("tcp://127.0.0.1:"), "{endpoint}");
    let client = common::socket(&ctx, zmq::PUSH);
    client.connect(&endpoint).unwrap();
    client.send("via lo", 0).unwrap();
    assert_eq!(server.recv_bytes(0).unwrap(), b"via lo");
}

#[cfg(target_os = "linux")]
fn fd_target(fd: i32) -> String {
    std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

#[cfg(target_os = "linux")]
#[test]
fn the_mailbox_signaler_is_a_close_on_exec_eventfd() {
    let ctx = zmq::Context::new();
    let socket = common::socket(&ctx, zmq::DEALER);
    // ZMQ_FD is the socket's mailbox signaler.
    let fd = socket.get_fd().unwrap();
    assert_eq!(fd_target(fd), "anon_inode:[eventfd]");
    // SAFETY: fcntl on a descriptor this process owns only reads its flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    assert!(
        flags & libc::FD_CLOEXEC != 0,
        "the eventfd is not close-on-exec"
    );
}

/// Connects `client` to a bound ROUTER over tcp and returns the file
/// descriptor of the connection, taken from the monitor's CONNECTED event, with
/// the server that keeps the connection up.
#[cfg(target_os = "linux")]
fn connected_fd(ctx: &zmq::Context, client: &zmq::Socket) -> (i32, zmq::Socket) {
    let server = common::socket(ctx, zmq::ROUTER);
    let endpoint = common::bind_tcp(&server);
    let monitor_endpoint = common::inproc("keepalive-monitor");
    client
        .monitor(
            &monitor_endpoint,
            zmq::SocketEvent::CONNECTED.to_raw() as i32,
        )
        .unwrap();
    let monitor = common::socket(ctx, zmq::PAIR);
    monitor.connect(&monitor_endpoint).unwrap();
    client.connect(&endpoint).unwrap();
    let event = monitor.recv_bytes(0).expect("a CONNECTED event");
    let _endpoint = monitor.recv_bytes(0).unwrap();
    assert_eq!(
        u16::from_ne_bytes([event[0], event[1]]),
        zmq::SocketEvent::CONNECTED.to_raw()
    );
    let fd = i32::from_ne_bytes([event[2], event[3], event[4], event[5]]);
    (fd, server)
}

#[cfg(target_os = "linux")]
fn int_sockopt(fd: i32, level: i32, name: i32) -> i32 {
    let mut value: libc::c_int = -1;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: value and len are valid for writing an int; fd is a socket of
    // this process (a failure leaves -1, which the assertions catch).
    let rc = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    assert_eq!(rc, 0, "getsockopt({fd}, {level}, {name})");
    value
}

#[cfg(target_os = "linux")]
#[test]
fn tcp_keepalive_options_reach_the_os_socket() {
    let ctx = zmq::Context::new();
    let plain = common::socket(&ctx, zmq::DEALER);
    let (fd, _server) = connected_fd(&ctx, &plain);
    assert_eq!(
        int_sockopt(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE),
        0,
        "keepalive is off by default"
    );

    let tuned = common::socket(&ctx, zmq::DEALER);
    tuned.set_tcp_keepalive(1).unwrap();
    tuned.set_tcp_keepalive_idle(77).unwrap();
    tuned.set_tcp_keepalive_intvl(11).unwrap();
    tuned.set_tcp_keepalive_cnt(5).unwrap();
    let (fd, _server2) = connected_fd(&ctx, &tuned);
    assert_ne!(int_sockopt(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE), 0);
    assert_eq!(int_sockopt(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE), 77);
    assert_eq!(int_sockopt(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL), 11);
    assert_eq!(int_sockopt(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT), 5);
}

#[cfg(target_os = "linux")]
#[test]
fn ipc_filter_uid_admits_only_the_named_user() {
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    let ctx = zmq::Context::new();
    for (filter, admitted) in [(uid, true), (uid.wrapping_add(4242), false)] {
        let server = common::socket(&ctx, zmq::PULL);
        server
            .set(zmq::sockopt::IpcFilterUid, filter)
            .expect("ZMQ_IPC_FILTER_UID is accepted");
        // Long enough for a connection that is admitted (under valgrind too);
        // a refused one never delivers, so its wait only bounds the test.
        server
            .set_rcvtimeo(if admitted { 10_000 } else { 300 })
            .unwrap();
        let endpoint = common::ipc("uid-filter");
        server.bind(&endpoint).unwrap();
        let client = common::socket(&ctx, zmq::PUSH);
        client.connect(&endpoint).unwrap();
        // PUSH queues the message at once; it arrives only if the connection is admitted.
        client.send("hello", 0).unwrap();
        let got = server.recv_bytes(0);
        assert_eq!(
            got.is_ok(),
            admitted,
            "filter {filter} for uid {uid}: {got:?}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn libzmq_is_linked_statically_when_vendored_and_shared_otherwise() {
    let ctx = zmq::Context::new(); // make sure libzmq is in use
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let shared = maps.lines().any(|l| l.contains("/libzmq.so"));
    assert_eq!(shared, !cfg!(zmq_vendored), "libzmq.so mapped: {shared}");
    drop(ctx);
}
