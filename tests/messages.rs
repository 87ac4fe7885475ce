//! Messages: zero-copy buffers freed exactly once, sharing, copy-on-write,
//! properties, and multipart messages sent whole or not at all.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::socket;

/// A buffer that counts how often it is dropped.
struct Counted {
    bytes: Vec<u8>,
    drops: Arc<AtomicUsize>,
}

impl AsRef<[u8]> for Counted {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

fn counted(len: usize) -> (zmq::Message, Arc<AtomicUsize>) {
    let drops = Arc::new(AtomicUsize::new(0));
    let msg = zmq::Message::from_owned(Counted {
        bytes: vec![42; len],
        drops: drops.clone(),
    });
    (msg, drops)
}

/// libzmq frees a sent buffer on its I/O thread, shortly after delivery.
fn wait_for(count: &AtomicUsize, expected: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while count.load(Ordering::SeqCst) != expected && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(count.load(Ordering::SeqCst), expected);
}

#[test]
fn a_zero_copy_buffer_is_sent_without_copying_and_freed_once() {
    let ctx = zmq::Context::new();
    let pull = socket(&ctx, zmq::PULL);
    let endpoint = common::bind_tcp(&pull);
    let push = socket(&ctx, zmq::PUSH);
    push.connect(&endpoint).unwrap();
    let (msg, drops) = counted(1000);
    push.send(msg, 0).unwrap();
    let got = pull.recv_msg(0).unwrap();
    assert_eq!(&got[..], &[42; 1000][..]);
    wait_for(&drops, 1);
    drop(got);
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(drops.load(Ordering::SeqCst), 1, "freed more than once");
}

#[test]
fn a_zero_copy_buffer_dropped_unsent_is_freed_once() {
    let (msg, drops) = counted(100);
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(msg);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn a_zero_copy_buffer_queued_when_the_context_ends_is_freed_once() {
    let (msg, drops) = counted(500);
    {
        let ctx = zmq::Context::new();
        let push = socket(&ctx, zmq::PUSH);
        // Nobody listens: the message stays queued until linger 0 drops it.
        push.connect("tcp://127.0.0.1:9").unwrap();
        push.send(msg, 0).unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 0);
    }
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn vec_and_box_become_messages_without_copying_their_bytes() {
    let v = vec![1u8, 2, 3, 4];
    let ptr = v.as_ptr();
    let msg = zmq::Message::from(v);
    assert_eq!(msg.as_ptr(), ptr);
    let mut v = Vec::with_capacity(64);
    v.extend_from_slice(b"spare capacity");
    let ptr = v.as_ptr();
    let msg = zmq::Message::from(v);
    assert_eq!(msg.as_ptr(), ptr);
    assert_eq!(&msg[..], b"spare capacity");
    let b: Box<[u8]> = vec![9u8; 40].into_boxed_slice();
    let ptr = b.as_ptr();
    assert_eq!(zmq::Message::from(b).as_ptr(), ptr);
}

#[test]
fn share_does_not_copy_and_writing_copies_first() {
    let mut a = zmq::Message::from(vec![5u8; 200]);
    let b = a.share();
    assert_eq!(a.as_ptr(), b.as_ptr(), "share copied the bytes");
    let c = b.clone();
    assert_eq!(
        c.as_ptr(),
        b.as_ptr(),
        "clone of shared content copied the bytes"
    );
    a[0] = 6;
    assert_eq!(a[0], 6);
    assert_eq!(b[0], 5, "a write through one message changed another");
    assert_eq!(c[0], 5);
}

#[test]
fn static_content_is_not_written_through() {
    static DATA: [u8; 8] = *b"constant";
    let mut msg = zmq::Message::from_static(&DATA);
    assert_eq!(msg.as_ptr(), DATA.as_ptr());
    msg[0] = b'C';
    assert_eq!(&msg[..], b"Constant");
    assert_eq!(&DATA, b"constant");
}

#[test]
fn a_message_can_be_reused_for_sending_and_receiving() {
    let ctx = zmq::Context::new();
    let a = socket(&ctx, zmq::PAIR);
    let endpoint = common::inproc("reuse");
    a.bind(&endpoint).unwrap();
    let b = socket(&ctx, zmq::PAIR);
    b.connect(&endpoint).unwrap();
    let mut msg = zmq::Message::from("first");
    a.send(&mut msg, 0).unwrap();
    assert!(msg.is_empty(), "a sent message is left empty");
    b.recv(&mut msg, 0).unwrap();
    assert_eq!(&msg[..], b"first");
    b.send(&mut msg, 0).unwrap();
    assert_eq!(a.try_recv(&mut msg, 0).map(|_| ()).ok(), Some(()));
    assert_eq!(
        a.try_recv(&mut msg, 0).unwrap(),
        None,
        "nothing more to receive"
    );
}

#[test]
fn received_messages_carry_their_properties() {
    let ctx = zmq::Context::new();
    let rep = socket(&ctx, zmq::REP);
    let endpoint = common::bind_tcp(&rep);
    let req = socket(&ctx, zmq::REQ);
    req.connect(&endpoint).unwrap();
    req.send("hi", 0).unwrap();
    let mut msg = rep.recv_msg(0).unwrap();
    assert_eq!(msg.gets("Socket-Type"), Some("REQ"));
    assert_eq!(msg.property("Peer-Address"), Some("127.0.0.1"));
    assert_eq!(msg.property("No-Such-Property"), None);
    assert_eq!(msg.property("nul\0"), None);
}

#[test]
fn a_multipart_send_that_would_block_sends_nothing() {
    let ctx = zmq::Context::new();
    let push = socket(&ctx, zmq::PUSH);
    push.set_sndhwm(1).unwrap();
    let endpoint = common::inproc("hwm");
    push.bind(&endpoint).unwrap();
    let pull = socket(&ctx, zmq::PULL);
    pull.set_rcvhwm(1).unwrap();
    pull.connect(&endpoint).unwrap();
    // Fill the pipe until a whole-message send would block.
    let mut sent = 0;
    loop {
        let mut parts: zmq::Multipart = vec!["a", "b", "c"].into();
        match push.send_multipart_msg(&mut parts, zmq::DONTWAIT) {
            Ok(()) => {
                assert!(parts.is_empty());
                sent += 1;
            }
            Err(zmq::Error::EAGAIN) => {
                assert_eq!(parts.len(), 3, "EAGAIN must leave the message intact");
                break;
            }
            Err(e) => panic!("{e}"),
        }
        assert!(sent < 1000, "the high-water mark never blocked");
    }
    // Every message that arrives is whole.
    let mut parts = zmq::Multipart::new();
    for _ in 0..sent {
        pull.recv_multipart_msg(&mut parts, 0).unwrap();
        let frames: Vec<&[u8]> = parts.iter().map(|m| &m[..]).collect();
        assert_eq!(frames, [b"a", b"b", b"c"]);
    }
    assert_eq!(pull.try_recv_multipart_msg(&mut parts, 0).unwrap(), None);
    #[allow(deprecated)]
    let old_name = pull.try_recv_multipart().unwrap();
    assert_eq!(old_name, None);
}

#[test]
fn debug_prints_bytes_and_equality_compares_content() {
    let msg = zmq::Message::from(&[1u8, 2, 3][..]);
    assert_eq!(format!("{msg:?}"), "[1, 2, 3]");
    assert_eq!(msg, zmq::Message::from(vec![1u8, 2, 3]));
    assert_ne!(msg, zmq::Message::new());
    let filled = zmq::Message::with_size(3);
    assert_eq!(&filled[..], &[0, 0, 0]);
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_become_messages_without_copying() {
    let data = bytes::Bytes::from(vec![3u8; 100]);
    let ptr = data.as_ptr();
    let mut msg = zmq::Message::from(data.clone());
    assert_eq!(msg.as_ptr(), ptr);
    msg[0] = 4; // copies first: the Bytes is shared and read-only
    assert_eq!(data[0], 3);
    assert_eq!(msg[0], 4);
}

#[test]
#[allow(clippy::incompatible_msrv)] // the test uses a newer helper than the crate needs
fn with_size_init_keeps_what_init_wrote_and_zero_fills_otherwise() {
    let msg = zmq::Message::with_size_init(3, |buf| buf.write_copy_of_slice(b"xyz"));
    assert_eq!(&msg[..], b"xyz");
    // Returning other memory does not count as initialising the message.
    let msg = zmq::Message::with_size_init(3, |_| &mut []);
    assert_eq!(&msg[..], &[0, 0, 0]);
}
