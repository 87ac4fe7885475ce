//! Safe code cannot write into memory a message does not own, read text that
//! changes under it, or deadlock a context that is being destroyed.

mod common;

use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use common::socket;

/// A connected inproc PAIR pair.
fn pair(ctx: &zmq::Context) -> (zmq::Socket, zmq::Socket) {
    let endpoint = common::inproc("soundness");
    let a = socket(ctx, zmq::PAIR);
    a.bind(&endpoint).unwrap();
    let b = socket(ctx, zmq::PAIR);
    b.connect(&endpoint).unwrap();
    (a, b)
}

/// Sends `msg` over inproc and writes to the received frame.
fn receive_and_write(msg: zmq::Message) -> zmq::Message {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx);
    a.send(msg, 0).unwrap();
    let mut got = b.recv_msg(0).unwrap();
    got[0] = b'J';
    got
}

#[test]
fn static_content_received_over_inproc_is_copied_before_a_write() {
    static TEXT: &[u8] = b"hello";
    // Before the fix this wrote into read-only memory: SIGSEGV.
    let got = receive_and_write(zmq::Message::from_owned(TEXT));
    assert_eq!(&got[..], b"Jello");
    assert_eq!(TEXT, b"hello");
    let got = receive_and_write(zmq::Message::from_static(TEXT));
    assert_eq!(&got[..], b"Jello");
}

#[test]
fn a_shared_arc_stays_unchanged_when_a_receiver_writes() {
    let arc: Arc<[u8]> = Arc::from(&b"shared arc buffer"[..]);
    let got = receive_and_write(zmq::Message::from_owned(arc.clone()));
    assert_eq!(&got[..], b"Jhared arc buffer");
    assert_eq!(
        &arc[..],
        b"shared arc buffer",
        "the sender's Arc was written"
    );
}

#[test]
fn read_only_content_stays_read_only_through_share_and_clone() {
    let arc: Arc<[u8]> = Arc::from(&b"0123456789abcdef0123456789abcdef0123456789"[..]);
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx);
    let mut original = zmq::Message::from_owned(arc.clone());
    let shared = original.share();
    let cloned = original.clone();
    for msg in [shared, cloned, original] {
        a.send(msg, 0).unwrap();
        b.recv_msg(0).unwrap()[0] = b'X';
    }
    assert_eq!(arc[0], b'0', "a receiver wrote into the sender's Arc");
}

#[test]
fn read_only_content_stays_read_only_in_a_multipart_message() {
    let arc: Arc<[u8]> = Arc::from(&b"0123456789abcdef0123456789abcdef0123456789"[..]);
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx);
    let parts: zmq::Multipart = vec![
        zmq::Message::from("head"),
        zmq::Message::from_owned(arc.clone()),
    ]
    .into();
    a.send(parts, 0).unwrap();
    let mut got = b.recv_multipart_msg_vec();
    got[1][0] = b'X';
    assert_eq!(got[1][0], b'X');
    assert_eq!(arc[0], b'0', "a receiver wrote into the sender's Arc");
}

/// Sends a read-only frame through a proxy (with a capture socket or not) and
/// writes to what comes out at the backend and at the capture.
fn through_a_proxy(with_capture: bool) {
    let ctx = zmq::Context::new();
    let (front_in, back_out, capture_in) = (
        common::inproc("ro-front"),
        common::inproc("ro-back"),
        common::inproc("ro-capture"),
    );
    let frontend = socket(&ctx, zmq::PULL);
    frontend.bind(&front_in).unwrap();
    let backend = socket(&ctx, zmq::PUSH);
    backend.bind(&back_out).unwrap();
    let capture = with_capture.then(|| {
        let capture = socket(&ctx, zmq::PUSH);
        capture.bind(&capture_in).unwrap();
        capture
    });
    let proxy = zmq::ProxyHandle::spawn(&ctx, frontend, backend, capture).unwrap();
    let input = socket(&ctx, zmq::PUSH);
    input.connect(&front_in).unwrap();
    let output = socket(&ctx, zmq::PULL);
    output.connect(&back_out).unwrap();
    let copies = socket(&ctx, zmq::PULL);
    if with_capture {
        copies.connect(&capture_in).unwrap();
    }

    let arc: Arc<[u8]> = Arc::from(&b"through the proxy, zero-copy, read-only"[..]);
    input
        .send(zmq::Message::from_owned(arc.clone()), 0)
        .unwrap();
    let mut forwarded = output.recv_msg(0).unwrap();
    forwarded[0] = b'F';
    assert_eq!(&forwarded[1..], &arc[1..]);
    if with_capture {
        copies.recv_msg(0).unwrap()[0] = b'C';
    }
    assert_eq!(
        arc[0], b't',
        "a write after the proxy reached the sender's Arc"
    );
    drop(proxy);
}

#[test]
fn read_only_content_stays_read_only_through_a_proxy() {
    through_a_proxy(false);
}

#[test]
fn read_only_content_stays_read_only_through_a_proxy_and_its_capture() {
    through_a_proxy(true);
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_content_stays_read_only_across_inproc() {
    let bytes = bytes::Bytes::from_static(b"bytes content, read-only");
    let got = receive_and_write(zmq::Message::from(bytes.clone()));
    assert_eq!(&got[..], b"Jytes content, read-only");
    assert_eq!(&bytes[..], b"bytes content, read-only");
}

/// A received multipart message as messages.
trait RecvFrames {
    fn recv_multipart_msg_vec(&self) -> Vec<zmq::Message>;
}

impl RecvFrames for zmq::Socket {
    fn recv_multipart_msg_vec(&self) -> Vec<zmq::Message> {
        let mut parts = zmq::Multipart::new();
        self.recv_multipart_msg(&mut parts, 0).unwrap();
        parts.into_iter().collect()
    }
}

#[test]
fn a_clone_of_a_received_frame_keeps_more_and_properties() {
    let ctx = zmq::Context::new();
    let router = socket(&ctx, zmq::ROUTER);
    let endpoint = common::bind_tcp(&router);
    let dealer = socket(&ctx, zmq::DEALER);
    dealer.connect(&endpoint).unwrap();
    // Large enough that libzmq keeps the content out of line (not a small
    // message copied inline), so the first clone has to share it.
    let body = vec![7u8; 300];
    dealer.send_multipart([&b"head"[..], &body], 0).unwrap();

    let mut id = zmq::Message::new();
    router.recv(&mut id, 0).unwrap();
    let mut head = router.recv_msg(0).unwrap();
    let mut tail = router.recv_msg(0).unwrap();
    for (frame, more) in [(&mut id, true), (&mut head, true), (&mut tail, false)] {
        let copy = frame.clone();
        assert_eq!(copy, *frame);
        assert_eq!(copy.get_more(), more, "the clone lost MORE");
        assert_eq!(frame.get_more(), more);
        for property in ["Socket-Type", "Peer-Address"] {
            assert_eq!(
                copy.property(property),
                frame.property(property),
                "the clone lost {property}"
            );
        }
        assert_eq!(copy.property("Socket-Type"), Some("DEALER"));
    }
}

#[test]
fn clones_and_reads_of_one_message_from_many_threads_agree() {
    let ctx = zmq::Context::new();
    let pull = socket(&ctx, zmq::PULL);
    let endpoint = common::bind_tcp(&pull);
    let push = socket(&ctx, zmq::PUSH);
    push.connect(&endpoint).unwrap();
    push.send_multipart([vec![1u8; 500], vec![2u8; 10]], 0)
        .unwrap();
    let first = pull.recv_msg(0).unwrap();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..500 {
                    let copy = first.clone();
                    assert!(copy.get_more() && first.get_more());
                    assert_eq!(copy.len(), 500);
                    assert_eq!(copy.property("Socket-Type"), Some("PUSH"));
                }
            });
        }
    });
    assert_eq!(&first[..], &[1u8; 500][..]);
}

#[test]
fn an_earlier_error_message_does_not_change() {
    let first = zmq::Error::from_raw(1000).message();
    let text = first.to_owned();
    for raw in [2222, 3333, 1000, 4444] {
        let _ = zmq::Error::from_raw(raw).message();
        let _ = zmq::Error::from_raw(raw).to_string();
    }
    assert_eq!(first, text, "a message handed out earlier changed");
    assert!(text.contains("1000"), "{text}");
    assert_eq!(
        zmq::Error::from_raw(2222).to_string(),
        zmq::Error::from_raw(2222).message()
    );
    assert_eq!(zmq::Error::ETERM.message(), "Context was terminated");
}

#[test]
fn context_calls_during_destroy_fail_with_eterm_instead_of_deadlocking() {
    let mut ctx = zmq::Context::new();
    let worker_ctx = ctx.clone();
    let (ready_tx, ready_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let rep = worker_ctx.socket(zmq::REP).unwrap();
        rep.set_linger(0).unwrap();
        rep.bind(&common::inproc("destroy")).unwrap();
        ready_tx.send(()).unwrap();
        // Blocks until destroy() starts.
        let recv = rep.recv_msg(0).map(drop);
        // A worker that asks the context for more before closing its socket.
        let again = worker_ctx.socket(zmq::PAIR).map(drop);
        let got = worker_ctx.get_io_threads();
        drop(rep);
        done_tx.send((recv, again, got)).unwrap();
    });
    ready_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    let (destroyed_tx, destroyed_rx) = mpsc::channel();
    std::thread::spawn(move || {
        destroyed_tx.send(ctx.destroy()).unwrap();
        // A second destroy, and the final drop, do nothing.
        destroyed_tx.send(ctx.destroy()).unwrap();
    });
    let (recv, again, got) = done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the worker hung on a terminating context");
    assert_eq!(recv, Err(zmq::Error::ETERM));
    assert_eq!(again, Err(zmq::Error::ETERM));
    assert_eq!(got, Err(zmq::Error::ETERM));
    let destroyed = destroyed_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("destroy() did not return");
    assert_eq!(destroyed, Ok(()));
    assert_eq!(
        destroyed_rx.recv_timeout(Duration::from_secs(5)).unwrap(),
        Ok(())
    );
    worker.join().unwrap();
}

#[test]
fn destroying_a_context_given_away_leaves_it_to_its_owner() {
    let ctx = zmq::Context::new();
    let mut clone = ctx.clone();
    let raw = ctx.into_raw();
    // The clone no longer owns the context: destroy() must not terminate it.
    clone.destroy().unwrap();
    assert_eq!(clone.socket(zmq::PAIR).err(), Some(zmq::Error::ETERM));
    drop(clone);
    // SAFETY: `raw` is a live context that this test now owns (given away by
    // into_raw above, and never terminated by the clones); terminated once here.
    // Before the fix it had been freed already: valgrind/ASan saw a use after free.
    assert_eq!(unsafe { zmq_sys::zmq_ctx_term(raw) }, 0);
}

#[test]
fn giving_away_the_last_socket_of_a_context_returns_at_once() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let ctx = zmq::Context::new();
        let socket = ctx.socket(zmq::PAIR).unwrap();
        drop(ctx);
        // Before the fix, the last hold on the context went with the socket,
        // and terminating it waited for that very socket: forever.
        let raw = socket.into_raw();
        // SAFETY: `raw` is the live socket into_raw gave away; closed once here.
        let closed = unsafe { zmq_sys::zmq_close(raw) };
        let _ = tx.send(closed);
    });
    let closed = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("into_raw waited for the context to terminate");
    assert_eq!(closed, 0);
}

#[test]
fn zmq_use_fd_cannot_be_set_from_safe_code() {
    let ctx = zmq::Context::new();
    let socket = socket(&ctx, zmq::PULL);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&listener);
    // libzmq would adopt the listener's descriptor and close it on unbind.
    let refused = socket.set_raw_option(zmq_sys::ZMQ_USE_FD as i32, Some(&fd.to_ne_bytes()));
    assert_eq!(refused, Err(zmq::Error::EINVAL));
    assert_eq!(socket.get(zmq::sockopt::UseFd), Ok(-1));
    socket.bind("tcp://127.0.0.1:*").unwrap();
    drop(socket);
    assert!(
        listener.local_addr().is_ok(),
        "the listener was closed under us"
    );
}

#[test]
fn a_panic_while_libzmq_frees_an_owned_buffer_does_not_abort() {
    struct PanicsOnDrop(Vec<u8>);
    impl AsRef<[u8]> for PanicsOnDrop {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            panic!("dropping the buffer");
        }
    }
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx);
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    // Freed on this thread (dropped unsent) and on libzmq's (sent, received).
    drop(zmq::Message::from_owned(PanicsOnDrop(vec![1; 100])));
    a.send(zmq::Message::from_owned(PanicsOnDrop(vec![2; 100])), 0)
        .unwrap();
    drop(b.recv_msg(0).unwrap());
    std::panic::set_hook(hook);
    assert!(tcp_round_trip(&ctx), "the process is still fine");
}

/// One message over tcp on `ctx`.
fn tcp_round_trip(ctx: &zmq::Context) -> bool {
    let pull = socket(ctx, zmq::PULL);
    let endpoint = common::bind_tcp(&pull);
    let push = socket(ctx, zmq::PUSH);
    push.connect(&endpoint).unwrap();
    push.send("ping", 0).unwrap();
    pull.recv_bytes(0).is_ok_and(|b| b == b"ping")
}
