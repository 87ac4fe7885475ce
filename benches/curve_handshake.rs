//! CURVE handshakes over tcp loopback, one after another: each a new DEALER
//! that connects to a CURVE ROUTER, sends one message and closes once the
//! ROUTER has it (which needs the whole HELLO, WELCOME, INITIATE, READY
//! exchange). A workload for counting instructions per handshake under
//! callgrind (`benches/instructions.sh`), not a timed benchmark.
//!
//! `cargo bench --bench curve_handshake -- 20` (default 10 handshakes)

use std::process::exit;

/// Every wait is bounded: a lost handshake fails the run instead of hanging it.
const TIMEOUT_MS: i32 = 10_000;

fn main() {
    // `cargo bench` adds `--bench`; the first number is the count.
    let count = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse::<u32>().ok())
        .unwrap_or(10);

    let ctx = zmq::Context::new();
    let server_keys = zmq::CurveKeyPair::new().unwrap_or_else(|e| fail("zmq_curve_keypair", e));
    let client_keys = zmq::CurveKeyPair::new().unwrap_or_else(|e| fail("zmq_curve_keypair", e));

    let server = ctx
        .socket(zmq::ROUTER)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    server
        .set_curve_server(true)
        .and_then(|()| server.set_curve_secretkey(&server_keys.secret_key))
        .and_then(|()| server.set_rcvtimeo(TIMEOUT_MS))
        .and_then(|()| server.set_linger(0))
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    server
        .bind("tcp://127.0.0.1:*")
        .unwrap_or_else(|e| fail("zmq_bind", e));
    let endpoint = match server.get_last_endpoint() {
        Ok(Ok(endpoint)) => endpoint,
        _ => fail("zmq_getsockopt", zmq::Error::EINVAL),
    };

    for _ in 0..count {
        let client = ctx
            .socket(zmq::DEALER)
            .unwrap_or_else(|e| fail("zmq_socket", e));
        client
            .set_curve_serverkey(&server_keys.public_key)
            .and_then(|()| client.set_curve_publickey(&client_keys.public_key))
            .and_then(|()| client.set_curve_secretkey(&client_keys.secret_key))
            .and_then(|()| client.set_sndtimeo(TIMEOUT_MS))
            .and_then(|()| client.set_linger(0))
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        client
            .connect(&endpoint)
            .unwrap_or_else(|e| fail("zmq_connect", e));
        client
            .send("hello", 0)
            .unwrap_or_else(|e| fail("zmq_send", e));
        let parts = server
            .recv_multipart(0)
            .unwrap_or_else(|e| fail("zmq_recv", e));
        if parts.last().map(Vec::as_slice) != Some(&b"hello"[..]) {
            eprintln!("unexpected message: {parts:?}");
            exit(1);
        }
    }
    println!("{count} CURVE handshakes over {endpoint}");
}

fn fail(what: &str, e: zmq::Error) -> ! {
    eprintln!("error in {what}: {e}");
    exit(1);
}
