//! Contexts and sockets: thread-safety markers, termination, errors for bad
//! input, linger.

mod common;

use std::time::{Duration, Instant};

use common::socket;
use static_assertions::{assert_impl_all, assert_not_impl_any};

assert_impl_all!(zmq::Context: Send, Sync, Clone);
assert_impl_all!(zmq::Socket: Send);
assert_not_impl_any!(zmq::Socket: Sync);
assert_impl_all!(zmq::Message: Send, Sync);
assert_impl_all!(zmq::Error: Send, Sync, Copy, std::error::Error);
assert_impl_all!(zmq::OpError: Send, Sync, std::error::Error);

#[test]
fn ctx_shutdown_unblocks_a_recv_in_another_thread_with_eterm() {
    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind(&common::inproc("eterm")).unwrap();
    let waiter = std::thread::spawn(move || {
        let started = Instant::now();
        let result = pull.recv_bytes(0);
        (result, started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(100));
    ctx.shutdown().unwrap();
    let (result, waited) = waiter.join().unwrap();
    assert_eq!(result.unwrap_err(), zmq::Error::ETERM);
    assert!(waited < Duration::from_secs(5));
}

#[test]
fn destroy_unblocks_sockets_and_terminates_only_once() {
    let mut ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind(&common::inproc("destroy")).unwrap();
    let waiter = std::thread::spawn(move || {
        let result = pull.recv_bytes(0);
        drop(pull); // closing it lets destroy() finish
        result
    });
    std::thread::sleep(Duration::from_millis(50));
    ctx.destroy().unwrap();
    assert_eq!(waiter.join().unwrap().unwrap_err(), zmq::Error::ETERM);
    // A second destroy, new sockets and the final drop are all safe.
    ctx.destroy().unwrap();
    assert_eq!(ctx.socket(zmq::PUSH).unwrap_err(), zmq::Error::ETERM);
    assert_eq!(ctx.get_io_threads().unwrap_err(), zmq::Error::ETERM);
    let clone = ctx.clone();
    drop(ctx);
    drop(clone);
}

#[test]
fn dropping_the_context_before_its_sockets_does_not_block() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUSH).unwrap();
    drop(ctx);
    s.bind(&common::inproc("outlive")).unwrap();
    drop(s);
}

#[test]
fn bad_endpoints_are_errors_not_panics() {
    let ctx = zmq::Context::new();
    let s = socket(&ctx, zmq::PUSH);
    assert_eq!(s.bind("not an endpoint").unwrap_err(), zmq::Error::EINVAL);
    assert_eq!(
        s.bind("nosuch://x").unwrap_err(),
        zmq::Error::EPROTONOSUPPORT
    );
    assert_eq!(
        s.bind("tcp://no-such-interface:5555").unwrap_err(),
        zmq::Error::ENODEV
    );
    assert_eq!(
        s.bind("inproc://with\0nul").unwrap_err(),
        zmq::Error::EINVAL
    );
    assert_eq!(
        s.monitor("inproc://mon\0", 0).unwrap_err(),
        zmq::Error::EINVAL
    );
    assert_eq!(
        s.disconnect("tcp://127.0.0.1:1").unwrap_err(),
        zmq::Error::ENOENT
    );
    let err = s.bind_to("bogus").unwrap_err();
    assert_eq!(err.kind(), zmq::Error::EINVAL);
    #[allow(deprecated)]
    let old_name = s.try_bind("bogus").unwrap_err();
    assert_eq!(old_name, err);
    assert_eq!(
        err.to_string(),
        format!("zmq_bind bogus: {}", zmq::Error::EINVAL)
    );
    // The socket still works after all that.
    let endpoint = common::bind_tcp(&s);
    let pull = socket(&ctx, zmq::PULL);
    pull.connect(&endpoint).unwrap();
    s.send("still fine", 0).unwrap();
    assert_eq!(pull.recv_bytes(0).unwrap(), b"still fine");
}

#[test]
fn draft_socket_types_are_created_or_refused_cleanly() {
    let ctx = zmq::Context::new();
    let result = ctx.socket(zmq::SERVER);
    // libzmq 4.3.5 builds the draft socket types into every library; a library
    // without them (older, or trimmed) refuses the number.
    if cfg!(zmq_vendored) || zmq::has("draft") == Some(true) {
        assert_eq!(result.unwrap().get_socket_type().unwrap(), zmq::SERVER);
    } else if let Err(e) = result {
        assert_eq!(e, zmq::Error::EINVAL);
    }
}

#[test]
fn errors_print_libzmq_messages_and_convert_to_io_errors() {
    assert_eq!(format!("{:?}", zmq::Error::ETERM), "Context was terminated");
    assert_eq!(
        zmq::Error::EFSM.to_string(),
        "Operation cannot be accomplished in current state"
    );
    let io: std::io::Error = zmq::Error::EAGAIN.into();
    assert_eq!(io.kind(), std::io::ErrorKind::WouldBlock);
    let io: std::io::Error = zmq::Error::ECONNREFUSED.into();
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    assert_eq!(
        zmq::Error::from_raw(zmq::Error::EINVAL.to_raw()),
        zmq::Error::EINVAL
    );
}

#[test]
fn linger_zero_drops_unsent_messages_on_close() {
    let ctx = zmq::Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_linger(0).unwrap();
    push.connect("tcp://127.0.0.1:9").unwrap();
    push.send("never delivered", 0).unwrap();
    drop(push);
    let started = Instant::now();
    drop(ctx); // would wait forever with the default infinite linger
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn linger_delivers_queued_messages_after_close() {
    let ctx = zmq::Context::new();
    let pull = socket(&ctx, zmq::PULL);
    let endpoint = common::bind_tcp(&pull);
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_linger(2_000).unwrap();
    push.connect(&endpoint).unwrap();
    for i in 0..100u32 {
        push.send(i.to_le_bytes().to_vec(), 0).unwrap();
    }
    drop(push); // close right away: lingering delivers the rest
    for i in 0..100u32 {
        assert_eq!(pull.recv_bytes(0).unwrap(), i.to_le_bytes());
    }
}

#[test]
fn raw_handles_round_trip() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PAIR).unwrap();
    let raw = s.into_raw();
    // SAFETY: raw comes from into_raw just above and is used only here.
    let mut s = unsafe { zmq::Socket::from_raw(raw) };
    assert_eq!(s.as_mut_ptr(), raw);
    assert_eq!(s.get_socket_type().unwrap(), zmq::PAIR);
    drop(s);
    // SAFETY: a null socket is rejected by libzmq on every call.
    let null = unsafe { zmq::Socket::from_raw(std::ptr::null_mut()) };
    assert_eq!(
        null.bind("inproc://null").unwrap_err(),
        zmq::Error::ENOTSOCK
    );
    drop(null);

    // SAFETY: a null context is refused.
    assert!(unsafe { zmq::Context::from_raw(std::ptr::null_mut()) }.is_none());
    let owner = zmq::Context::new();
    // SAFETY: `owner` outlives the borrowed wrapper and its socket.
    let borrowed = unsafe { zmq::Context::from_raw_borrowed(owner.as_raw()) }.unwrap();
    let a = socket(&borrowed, zmq::PAIR);
    let b = socket(&owner, zmq::PAIR);
    a.bind("inproc://shared-context").unwrap();
    b.connect("inproc://shared-context").unwrap();
    b.send("same context", 0).unwrap();
    assert_eq!(a.recv_bytes(0).unwrap(), b"same context");
    drop((a, b, borrowed));
    let raw_ctx = owner.into_raw();
    // SAFETY: into_raw gave up ownership; nothing else uses the context now.
    assert_eq!(unsafe { zmq_sys::zmq_ctx_term(raw_ctx) }, 0);
}

#[test]
fn bind_to_says_where_it_bound_whatever_the_endpoints_length() {
    let ctx = zmq::Context::new();
    let s = socket(&ctx, zmq::PULL);
    // Longer than the 512 bytes ZMQ_LAST_ENDPOINT was read into before the
    // fix: bind_to failed although the socket was bound.
    let long = format!("{}-{}", common::inproc("long"), "a".repeat(600));
    assert_eq!(s.bind_to(&long).unwrap().as_str(), long);
    let tcp = s.bind_to("tcp://127.0.0.1:*").unwrap();
    assert!(tcp.port().is_some_and(|p| p > 0), "{tcp:?}");
    // One that could not be read back is refused, and binds nothing.
    let too_long = format!("{}-{}", common::inproc("too-long"), "a".repeat(70_000));
    assert_eq!(s.bind_to(&too_long).unwrap_err().kind(), zmq::Error::EINVAL);
    let peer = socket(&ctx, zmq::PUSH);
    assert_eq!(peer.connect(&too_long), Err(zmq::Error::EINVAL));
    peer.connect(&long).unwrap();
    peer.send("through the long name", 0).unwrap();
    assert_eq!(s.recv_bytes(0).unwrap(), b"through the long name");
}
