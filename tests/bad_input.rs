//! Bad input from peers: garbage bytes on a bound tcp port, messages over
//! MAXMSGSIZE. Errors stay clean and the socket keeps serving good peers.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::socket;

/// Sends requests from a fresh REQ until one is answered (bounded).
fn good_client_is_served(ctx: &zmq::Context, endpoint: &str) {
    let client = socket(ctx, zmq::REQ);
    client.connect(endpoint).unwrap();
    client.send("good request", 0).unwrap();
    assert_eq!(client.recv_bytes(0).unwrap(), b"good request");
}

#[test]
fn garbage_bytes_on_the_port_do_not_stop_the_server() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::ROUTER);
    let endpoint = common::bind_tcp(&server);
    let address = endpoint.trim_start_matches("tcp://").to_owned();
    let echo = std::thread::spawn(move || {
        let mut served = 0;
        while served < 2 {
            let frames = server.recv_multipart(0).unwrap();
            // Only well-formed requests ([id, "", body]) are answered.
            if frames.len() == 3 && frames[1].is_empty() {
                server.send_multipart(frames, 0).unwrap();
                served += 1;
            }
        }
    });
    let mut state = 0x9e37_79b9_u32;
    for round in 0..20 {
        let mut raw = std::net::TcpStream::connect(&address).unwrap();
        let garbage: Vec<u8> = (0..64 + round * 37)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        // The server may hang up mid-write: that is its right.
        let _ = raw.write_all(&garbage);
        if round % 5 == 0 {
            // A valid ZMTP greeting start followed by nonsense.
            let mut stream = std::net::TcpStream::connect(&address).unwrap();
            let _ = stream.write_all(&[0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0]);
            let _ = stream.write_all(b"NOT A MECHANISM AT ALL............");
        }
    }
    good_client_is_served(&ctx, &endpoint);
    good_client_is_served(&ctx, &endpoint);
    echo.join().unwrap();
}

#[test]
fn a_message_over_maxmsgsize_is_refused_and_the_peer_can_come_back() {
    let ctx = zmq::Context::new();
    let server = socket(&ctx, zmq::PULL);
    server.set_maxmsgsize(100).unwrap();
    let endpoint = common::bind_tcp(&server);
    let client = socket(&ctx, zmq::PUSH);
    client.set_reconnect_ivl(50).unwrap();
    client.connect(&endpoint).unwrap();
    client.send(vec![1u8; 1000], 0).unwrap();
    server.set_rcvtimeo(300).unwrap();
    assert_eq!(
        server.recv_bytes(0).unwrap_err(),
        zmq::Error::EAGAIN,
        "an oversized message arrived"
    );
    // The connection was dropped; the client reconnects and small messages pass.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        client.send("small", zmq::DONTWAIT).ok();
        if let Ok(msg) = server.recv_bytes(0) {
            assert_eq!(msg, b"small");
            break;
        }
        assert!(Instant::now() < deadline, "the client never got back in");
    }
}

#[test]
fn oversized_routing_ids_and_bad_option_values_are_errors() {
    let ctx = zmq::Context::new();
    let s = socket(&ctx, zmq::DEALER);
    assert_eq!(s.set_identity(&[7u8; 256]).unwrap_err(), zmq::Error::EINVAL);
    assert_eq!(s.set_identity(&[]).unwrap_err(), zmq::Error::EINVAL);
    assert_eq!(s.set_linger(-2).unwrap_err(), zmq::Error::EINVAL);
    assert_eq!(s.set_sndhwm(-1).unwrap_err(), zmq::Error::EINVAL);
    assert_eq!(
        s.set_subscribe(b"x").unwrap_err(),
        zmq::Error::EINVAL,
        "not a SUB socket"
    );
    assert_eq!(
        s.set_raw_option(9999, Some(&[0; 4])).unwrap_err(),
        zmq::Error::EINVAL
    );
    let mut buf = [0u8; 2];
    assert_eq!(
        s.get_raw_option(zmq_sys::ZMQ_LINGER as i32, &mut buf)
            .unwrap_err(),
        zmq::Error::EINVAL
    );
    s.set_identity(&[7u8; 255]).unwrap();
    assert_eq!(s.get_identity().unwrap().len(), 255);
}
