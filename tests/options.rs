//! Walks the option tables: every readable option reads, every read-write one
//! round-trips, and the typed and the 0.10 accessors agree.

mod common;

use zmq::sockopt::{self, Access};

/// The socket type an option needs to be read or written on.
fn socket_type_for(name: &str) -> zmq::SocketType {
    match name {
        "ZMQ_SUBSCRIBE" | "ZMQ_UNSUBSCRIBE" | "ZMQ_INVERT_MATCHING" => zmq::SUB,
        "ZMQ_XPUB_VERBOSE"
        | "ZMQ_XPUB_NODROP"
        | "ZMQ_XPUB_MANUAL"
        | "ZMQ_XPUB_WELCOME_MSG"
        | "ZMQ_XPUB_VERBOSER"
        | "ZMQ_XPUB_MANUAL_LAST_VALUE"
        | "ZMQ_TOPICS_COUNT"
        | "ZMQ_ONLY_FIRST_SUBSCRIBE" => zmq::XPUB,
        "ZMQ_XSUB_VERBOSE_UNSUBSCRIBE" => zmq::XSUB,
        "ZMQ_REQ_CORRELATE" | "ZMQ_REQ_RELAXED" => zmq::REQ,
        "ZMQ_STREAM_NOTIFY" => zmq::STREAM,
        "ZMQ_ROUTER_MANDATORY"
        | "ZMQ_ROUTER_RAW"
        | "ZMQ_ROUTER_HANDOVER"
        | "ZMQ_PROBE_ROUTER"
        | "ZMQ_CONNECT_ROUTING_ID"
        | "ZMQ_ROUTER_NOTIFY" => zmq::ROUTER,
        _ => zmq::DEALER,
    }
}

/// The buffer size libzmq wants for a value type: exact for numbers and keys.
fn value_size(value: &str) -> usize {
    match value {
        "i64" | "u64" => 8,
        "[u8; 32]" => 32,
        "Vec<u8>" | "String" => 512,
        _ => 4,
    }
}

fn available(info: &sockopt::OptionInfo) -> bool {
    info.requires
        .map_or(true, |cap| zmq::has(cap) == Some(true))
}

#[test]
fn every_readable_option_reads_and_every_read_write_option_round_trips() {
    let ctx = zmq::Context::new();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for info in sockopt::all() {
        let socket = common::socket(&ctx, socket_type_for(info.name));
        let mut buf = vec![0u8; value_size(info.value)];
        let read = socket.get_raw_option(info.id, &mut buf);
        if !available(info) {
            if read.is_ok() {
                wrong.push(format!("{} should be unavailable in this build", info.name));
            }
            continue;
        }
        if info.access.readable() {
            let len = match read {
                Ok(len) => len,
                Err(e) => {
                    wrong.push(format!("{} does not read: {e}", info.name));
                    continue;
                }
            };
            if info.access == Access::ReadWrite {
                let value = buf[..len].to_vec();
                // Strings come back with their NUL; libzmq takes them without.
                let mut value = if info.value == "String" && value.last() == Some(&0) {
                    &value[..value.len() - 1]
                } else {
                    &value[..]
                };
                // An empty default (routing id, ZAP domain, ...) cannot always be
                // written back; a short sample can.
                if value.is_empty() {
                    value = b"x1";
                }
                // Likewise a negative "not set" number (-1).
                let one = 1i32.to_ne_bytes();
                if value.len() == 4 && i32::from_ne_bytes(value.try_into().unwrap()) < 0 {
                    value = &one;
                }
                if let Err(e) = socket.set_raw_option(info.id, Some(value)) {
                    wrong.push(format!("{} does not take back its value: {e}", info.name));
                    continue;
                }
                let mut again = vec![0u8; value_size(info.value)];
                let len2 = socket.get_raw_option(info.id, &mut again).unwrap();
                let again = &again[..len2];
                let again = if info.value == "String" {
                    again.strip_suffix(&[0]).unwrap_or(again)
                } else {
                    again
                };
                if again != value {
                    wrong.push(format!("{} changed on a round trip", info.name));
                }
            }
        } else {
            if read.is_ok() {
                wrong.push(format!(
                    "{} is write-only in the table but reads",
                    info.name
                ));
            }
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(checked > 60, "only {checked} options checked");
}

#[test]
fn table_names_match_the_constants_and_are_unique() {
    let mut ids: Vec<_> = sockopt::all().map(|i| i.id).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "an option appears twice");
    for info in sockopt::all() {
        assert!(info.name.starts_with("ZMQ_"), "{}", info.name);
    }
}

#[test]
fn typed_and_legacy_accessors_agree() {
    let ctx = zmq::Context::new();
    let s = common::socket(&ctx, zmq::DEALER);
    s.set(sockopt::SndHwm, 123).unwrap();
    assert_eq!(s.get_sndhwm().unwrap(), 123);
    s.set_rcvhwm(77).unwrap();
    assert_eq!(s.get(sockopt::RcvHwm).unwrap(), 77);
    s.set(sockopt::RoutingId, b"me").unwrap();
    assert_eq!(s.get_identity().unwrap(), b"me");
    s.set_zap_domain("global").unwrap();
    assert_eq!(s.get(sockopt::ZapDomain).unwrap(), "global");
    assert_eq!(s.get_zap_domain().unwrap(), Ok("global".to_string()));
    s.set_plain_username(Some("alice")).unwrap();
    assert_eq!(s.get_plain_username().unwrap(), Ok("alice".to_string()));
    assert_eq!(s.get_mechanism().unwrap(), zmq::Mechanism::ZMQ_PLAIN);
    s.set_plain_username(None).unwrap();
    assert_eq!(s.get_mechanism().unwrap(), zmq::Mechanism::ZMQ_NULL);
    assert_eq!(s.get_socket_type().unwrap(), zmq::DEALER);
    assert_eq!(s.get(sockopt::TypeOfSocket).unwrap(), zmq::DEALER);
    #[allow(deprecated)]
    let old_name = s.get(sockopt::Type).unwrap();
    assert_eq!(old_name, zmq::DEALER, "the old tag name still works");
    s.set_ipv6(true).unwrap();
    assert!(s.is_ipv6().unwrap());
    s.set_maxmsgsize(1 << 20).unwrap();
    assert_eq!(s.get(sockopt::MaxMsgSize).unwrap(), 1 << 20);
}

#[test]
fn curve_keys_are_accepted_binary_or_z85_and_read_back_binary() {
    if zmq::has("curve") != Some(true) {
        return common::skip_or_fail("libzmq without CURVE");
    }
    let pair = zmq::CurveKeyPair::new().unwrap();
    let ctx = zmq::Context::new();
    let s = common::socket(&ctx, zmq::DEALER);
    s.set(sockopt::CurveServerKey, &pair.public_key).unwrap();
    assert_eq!(s.get(sockopt::CurveServerKey).unwrap(), pair.public_key);
    let z85 = zmq::z85_encode(&pair.secret_key).unwrap();
    s.set(sockopt::CurveSecretKey, z85.as_bytes()).unwrap();
    assert_eq!(s.get_curve_secretkey().unwrap(), pair.secret_key.to_vec());
}

#[test]
fn option_values_of_the_wrong_size_are_errors() {
    let ctx = zmq::Context::new();
    let s = common::socket(&ctx, zmq::DEALER);
    let err = s
        .set_raw_option(zmq_sys::ZMQ_LINGER as i32, Some(&[1, 2, 3]))
        .unwrap_err();
    assert_eq!(err, zmq::Error::EINVAL);
    let err = s.set(sockopt::CurveServerKey, b"short").unwrap_err();
    assert_eq!(err.kind(), zmq::Error::EINVAL);
    assert_eq!(err.op, "ZMQ_CURVE_SERVERKEY");
    let err = s.set(sockopt::RoutingId, &[0u8; 300]).unwrap_err();
    assert_eq!(err.kind(), zmq::Error::EINVAL);
}

#[test]
fn every_context_option_reads_or_writes_as_its_row_says() {
    let ctx = zmq::Context::new();
    use zmq::ctxopt;
    // Its default, -1, means "the OS default"; give it a real one to read back.
    ctx.set(ctxopt::ThreadSchedPolicy, 0).unwrap();
    #[allow(deprecated)]
    let old_list = zmq::ctxopt::ALL;
    assert_eq!(old_list.len(), zmq::ctxopt::all().count());
    for info in zmq::ctxopt::all() {
        // SAFETY: the context is live; zmq_ctx_get only reads.
        let value = unsafe { zmq_sys::zmq_ctx_get(ctx.as_raw(), info.id) };
        if info.access.readable() {
            assert!(value >= 0, "{} does not read", info.name);
        }
    }
    assert_eq!(ctx.get(ctxopt::ThreadSchedPolicy).unwrap(), 0);
    ctx.set(ctxopt::IoThreads, 2).unwrap();
    assert_eq!(ctx.get(ctxopt::IoThreads).unwrap(), 2);
    assert_eq!(ctx.get_io_threads().unwrap(), 2);
    ctx.set(ctxopt::Blocky, false).unwrap();
    assert!(!ctx.get(ctxopt::Blocky).unwrap());
    assert_eq!(
        ctx.get(ctxopt::MsgTSize).unwrap() as usize,
        std::mem::size_of::<zmq_sys::zmq_msg_t>()
    );
    assert!(ctx.get(ctxopt::SocketLimit).unwrap() >= ctx.get(ctxopt::MaxSockets).unwrap());
    assert!(ctx.set(ctxopt::MaxSockets, -5).is_err());
}

#[test]
fn options_whose_value_is_minus_one_read_back_as_minus_one() {
    use zmq::{ctxopt, sockopt};
    let ctx = zmq::Context::new();
    // libzmq's default: "the OS default policy", not an error.
    assert_eq!(ctx.get(ctxopt::ThreadSchedPolicy), Ok(-1));
    let s = ctx.socket(zmq::DEALER).unwrap();
    // Defaults of -1.
    assert_eq!(s.get(sockopt::Linger), Ok(-1));
    assert_eq!(s.get(sockopt::RcvTimeo), Ok(-1));
    assert_eq!(s.get(sockopt::SndTimeo), Ok(-1));
    assert_eq!(s.get(sockopt::MaxMsgSize), Ok(-1));
    assert_eq!(s.get(sockopt::TcpKeepalive), Ok(-1));
    assert_eq!(s.get(sockopt::TcpKeepaliveCnt), Ok(-1));
    assert_eq!(s.get(sockopt::TcpKeepaliveIdle), Ok(-1));
    assert_eq!(s.get(sockopt::TcpKeepaliveIntvl), Ok(-1));
    // -1 written and read back ("never", "no limit", "no reconnection").
    s.set(sockopt::Linger, 0).unwrap();
    s.set(sockopt::Linger, -1).unwrap();
    assert_eq!(s.get_linger(), Ok(-1));
    s.set(sockopt::ReconnectIvl, -1).unwrap();
    assert_eq!(s.get(sockopt::ReconnectIvl), Ok(-1));
    s.set(sockopt::MaxMsgSize, 10).unwrap();
    s.set(sockopt::MaxMsgSize, -1).unwrap();
    assert_eq!(s.get_maxmsgsize(), Ok(-1));
    assert_eq!(s.get_duration(sockopt::RcvTimeo).unwrap(), None);
    s.set(sockopt::Linger, 0).unwrap();
    // A refused value is still an error.
    assert!(s.set(sockopt::Linger, -2).is_err());
    assert!(ctx.set(ctxopt::ThreadSchedPolicy, -7).is_err());
}

#[test]
fn socket_defaults_of_a_context_apply_to_its_new_sockets_only() {
    use zmq::sockopt;
    let ctx = zmq::Context::new();
    let before = ctx.socket(zmq::PUSH).unwrap();
    ctx.set_socket_default(sockopt::Linger, 0).unwrap();
    ctx.set_socket_default(sockopt::RcvTimeo, 1234).unwrap();
    ctx.set_socket_default(sockopt::Linger, 5).unwrap();
    for kind in [zmq::PUSH, zmq::SUB, zmq::ROUTER] {
        let socket = ctx.socket(kind).unwrap();
        assert_eq!(
            socket.get_linger().unwrap(),
            5,
            "{kind:?}: the later value wins"
        );
        assert_eq!(socket.get_rcvtimeo().unwrap(), 1234);
    }
    assert_eq!(before.get_linger().unwrap(), -1, "an older socket changed");
    // Refused at once, never at socket creation.
    let refused = ctx.set_socket_default(sockopt::Linger, -7).unwrap_err();
    assert_eq!(
        (refused.op, refused.error),
        ("ZMQ_LINGER", zmq::Error::EINVAL)
    );
    assert!(ctx
        .set_socket_default(sockopt::Subscribe, b"topic")
        .is_err());
    assert!(ctx.socket(zmq::PAIR).is_ok());
    ctx.remove_socket_default(sockopt::Linger);
    assert_eq!(ctx.socket(zmq::PAIR).unwrap().get_linger().unwrap(), -1);
    // Another context is not touched.
    assert_eq!(
        zmq::Context::new()
            .socket(zmq::PAIR)
            .unwrap()
            .get_rcvtimeo()
            .unwrap(),
        -1
    );
}

#[test]
fn thread_and_socket_counts_libzmq_cannot_start_with_are_refused() {
    use zmq::ctxopt;
    let ctx = zmq::Context::new();
    let limit = ctx.get(ctxopt::SocketLimit).unwrap();
    // Accepted by zmq_ctx_set before the fix; the first socket then made
    // libzmq allocate gigabytes, or (past i32::MAX slots) throw a C++
    // exception through the Rust frames.
    for value in [limit + 1, i32::MAX - 10, i32::MAX] {
        assert_eq!(
            ctx.set(ctxopt::MaxSockets, value).map_err(|e| e.kind()),
            Err(zmq::Error::EINVAL),
            "MaxSockets {value}"
        );
    }
    for value in [4097, i32::MAX] {
        assert_eq!(
            ctx.set(ctxopt::IoThreads, value).map_err(|e| e.kind()),
            Err(zmq::Error::EINVAL),
            "IoThreads {value}"
        );
    }
    // The largest accepted values still work, and the context starts.
    ctx.set(ctxopt::MaxSockets, limit).unwrap();
    ctx.set(ctxopt::IoThreads, 2).unwrap();
    let socket = ctx.socket(zmq::PAIR).unwrap();
    socket.bind("inproc://counts").unwrap();
    assert_eq!(ctx.get(ctxopt::MaxSockets), Ok(limit));
    assert_eq!(ctx.get(ctxopt::IoThreads), Ok(2));
}

#[cfg(unix)]
#[test]
fn more_io_threads_than_open_files_allow_are_refused() {
    common::run_child_test("io_threads_limit_child", "ZMQ_IO_THREADS_LIMIT_CHILD");
}

#[cfg(unix)]
#[test]
#[ignore = "runs as a child process of more_io_threads_than_open_files_allow_are_refused"]
fn io_threads_limit_child() {
    use zmq::ctxopt;
    if std::env::var_os("ZMQ_IO_THREADS_LIMIT_CHILD").is_none() {
        return;
    }
    let limit = libc::rlimit {
        rlim_cur: 64,
        rlim_max: 64,
    };
    // SAFETY: a valid rlimit for this (child) process only.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    let ctx = zmq::Context::new();
    // 100 I/O threads need 200 descriptors: libzmq aborted at the first
    // socket ("Too many open files", epoll.cpp) before the fix.
    assert_eq!(
        ctx.set(zmq::ctxopt::IoThreads, 100).map_err(|e| e.kind()),
        Err(zmq::Error::EINVAL)
    );
    ctx.set(ctxopt::IoThreads, 2).unwrap();
    let socket = ctx.socket(zmq::PAIR).unwrap();
    socket.bind("tcp://127.0.0.1:*").unwrap();
    println!("CHILD-OK");
}

#[test]
fn thread_scheduling_values_libzmq_would_abort_on_are_refused() {
    use zmq::ctxopt;
    let ctx = zmq::Context::new();
    // Accepted by zmq_ctx_set, then asserted on (abort) when the first socket
    // starts the I/O threads, before the fix.
    assert!(ctx.set(ctxopt::ThreadSchedPolicy, 12345).is_err());
    assert!(ctx.set(ctxopt::ThreadAffinityCpuAdd, 100_000).is_err());
    // Real values still work.
    ctx.set(ctxopt::ThreadSchedPolicy, 0).unwrap();
    ctx.set(ctxopt::ThreadAffinityCpuAdd, 0).unwrap();
    ctx.set(ctxopt::ThreadAffinityCpuRemove, 0).unwrap();
    let socket = ctx.socket(zmq::PAIR).unwrap();
    socket.bind("inproc://scheduling").unwrap();
    assert_eq!(ctx.get(ctxopt::ThreadSchedPolicy), Ok(0));
}

#[test]
fn a_string_option_is_read_back_whole_or_refused() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::DEALER).unwrap();
    for len in [1_000, 60_000, 100_000] {
        let value = "x".repeat(len);
        // Before the fix 100,000 bytes were accepted, then could not be read.
        match s.set(zmq::sockopt::SocksProxy, value.as_str()) {
            Ok(()) => assert_eq!(
                s.get(zmq::sockopt::SocksProxy).map(|v| v.len()),
                Ok(len),
                "{len} bytes"
            ),
            Err(e) => assert_eq!((len, e.kind()), (100_000, zmq::Error::EINVAL)),
        }
    }
}
