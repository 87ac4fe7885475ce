//! End-to-end run of bitcoincore-zmq against this crate, added by `.ci/dropin`
//! beside the crate's own unit tests (which do not open a socket). A PUB socket
//! of the patched `zmq` plays Bitcoin Core on loopback; the crate subscribes
//! through its blocking and async APIs. Its monitor events are decoded with
//! `zmq_sys::ZMQ_EVENT_*` constants, so these runs also prove the patched
//! `zmq-sys` carries them with the values libzmq sends. Every wait is bounded.

use std::time::{Duration, Instant};

use bitcoincore_zmq::{Message, SocketEvent, SocketMessage};
use futures::StreamExt;

const LIMIT: Duration = Duration::from_secs(10);

/// A bound PUB socket and its `tcp://127.0.0.1:port` endpoint.
fn publisher(ctx: &zmq::Context) -> (zmq::Socket, String) {
    let publisher = ctx.socket(zmq::PUB).expect("PUB socket");
    publisher.set_linger(0).expect("linger");
    publisher.bind("tcp://127.0.0.1:*").expect("bind");
    let endpoint = publisher
        .get_last_endpoint()
        .expect("last endpoint")
        .expect("UTF-8 endpoint");
    (publisher, endpoint)
}

fn publish(publisher: &zmq::Socket, msg: &Message) {
    publisher
        .send_multipart(msg.serialize_to_vecs(), 0)
        .expect("publish");
}

#[test]
fn blocking_receiver_gets_a_published_hashtx() {
    let ctx = zmq::Context::new();
    let (publisher, endpoint) = publisher(&ctx);
    let expected = Message::from_parts(b"hashtx", &[0x5a; 32], 41u32.to_le_bytes()).unwrap();
    let rx = bitcoincore_zmq::subscribe_receiver(&[&endpoint]).expect("subscribe");
    // A subscription reaches the publisher a moment after the connection:
    // publish until the first message arrives.
    let deadline = Instant::now() + LIMIT;
    let received = loop {
        publish(&publisher, &expected);
        if let Ok(msg) = rx.recv_timeout(Duration::from_millis(50)) {
            break msg.expect("a well-formed message");
        }
        assert!(Instant::now() < deadline, "nothing received in {LIMIT:?}");
    };
    assert_eq!(received, expected);
    assert_eq!(received.sequence(), 41);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_stream_gets_a_hashblock_after_the_monitored_handshake() {
    let ctx = zmq::Context::new();
    let (publisher, endpoint) = publisher(&ctx);
    let expected = Message::from_parts(b"hashblock", &[0xab; 32], 7u32.to_le_bytes()).unwrap();
    // Returns once a ZMQ_EVENT_HANDSHAKE_SUCCEEDED event was seen on the monitor.
    let mut stream = tokio::time::timeout(
        LIMIT,
        bitcoincore_zmq::subscribe_async_wait_handshake(&[&endpoint]),
    )
    .await
    .expect("handshake event within the limit")
    .expect("subscribe");
    let deadline = Instant::now() + LIMIT;
    loop {
        publish(&publisher, &expected);
        match tokio::time::timeout(Duration::from_millis(50), stream.next()).await {
            Ok(Some(Ok(SocketMessage::Message(msg)))) => {
                assert_eq!(msg, expected);
                break;
            }
            Ok(Some(Ok(SocketMessage::Event(_)))) | Err(_) => {}
            Ok(Some(Err(e))) => panic!("stream error: {e}"),
            Ok(None) => panic!("stream ended"),
        }
        assert!(Instant::now() < deadline, "nothing received in {LIMIT:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitor_reports_connect_retried_with_the_reconnect_interval() {
    // A port that was free a moment ago: connecting to it is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let mut stream = bitcoincore_zmq::subscribe_async_monitor(&[&endpoint]).expect("subscribe");
    let deadline = Instant::now() + LIMIT;
    loop {
        match tokio::time::timeout(Duration::from_millis(100), stream.next()).await {
            Ok(Some(Ok(SocketMessage::Event(event)))) => {
                assert_eq!(event.source_url, endpoint);
                if let SocketEvent::ConnectRetried { interval } = event.event {
                    // libzmq's default ZMQ_RECONNECT_IVL (100 ms) plus a jitter below it.
                    assert!((100..200).contains(&interval), "interval {interval}");
                    break;
                }
                assert!(
                    !matches!(event.event, SocketEvent::Unknown { .. }),
                    "an event zmq_sys's constants do not name: {event:?}"
                );
            }
            Ok(Some(Ok(SocketMessage::Message(msg)))) => panic!("unexpected message {msg:?}"),
            Ok(Some(Err(e))) => panic!("stream error: {e}"),
            Ok(None) => panic!("stream ended"),
            Err(_) => {}
        }
        assert!(Instant::now() < deadline, "no ConnectRetried in {LIMIT:?}");
    }
}
