//! Shared by the perf tools (`local_thr`, `remote_thr`, `local_lat`,
//! `remote_lat`, `inproc_thr`, `inproc_lat`): Rust ports of libzmq's perf tools
//! with the same arguments, socket types, output lines and timing method (a
//! monotonic stopwatch in microseconds around the measured loop), so their
//! output compares line by line with the C tools'.
#![allow(dead_code)]

use std::time::Instant;

/// Prints libzmq's usage line and exits like the C tools.
pub fn usage(text: &str) -> ! {
    println!("usage: {text}");
    std::process::exit(1);
}

/// Parses a decimal argument the way `atoi` does (0 when not a number).
pub fn atoi(text: &str) -> usize {
    let digits: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().unwrap_or(0)
}

/// Prints `error in <what>: <message>` and exits, as the C tools do.
pub fn fail(what: &str, e: zmq::Error) -> ! {
    println!("error in {what}: {e}");
    std::process::exit(1);
}

/// A stopwatch with microsecond resolution, like `zmq_stopwatch_*`.
pub struct Stopwatch(Instant);

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    /// Elapsed microseconds, at least 1.
    pub fn stop(self) -> u64 {
        (self.0.elapsed().as_micros() as u64).max(1)
    }
}

/// A new uninitialised message of `size` bytes, as `zmq_msg_init_size` gives
/// the C tools (they never write the content either).
pub fn message(size: usize) -> zmq::Message {
    // SAFETY: the content is only sent, never read by Rust code.
    unsafe { zmq::Message::with_size_uninit(size) }
}

/// The fixed CURVE key pairs of the `enable_curve` option, the same in every
/// tool so a local and a remote one can talk: derived from constant secrets.
pub fn curve_pairs() -> (zmq::CurveKeyPair, zmq::CurveKeyPair) {
    let server = zmq::CurveKeyPair::from_secret_key([0x5e; 32])
        .unwrap_or_else(|e| fail("zmq_curve_public", e));
    let client = zmq::CurveKeyPair::from_secret_key([0xc1; 32])
        .unwrap_or_else(|e| fail("zmq_curve_public", e));
    (server, client)
}

/// Makes `s` the CURVE server of the perf tools.
pub fn curve_server(s: &zmq::Socket) {
    let (server, _) = curve_pairs();
    s.set_curve_secretkey(&server.secret_key)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    s.set_curve_server(true)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
}

/// Makes `s` the CURVE client of the perf tools.
pub fn curve_client(s: &zmq::Socket) {
    let (server, client) = curve_pairs();
    s.set_curve_secretkey(&client.secret_key)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    s.set_curve_publickey(&client.public_key)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    s.set_curve_serverkey(&server.public_key)
        .unwrap_or_else(|e| fail("zmq_setsockopt", e));
}

/// Sends a message of `message_size` bytes and receives its echo
/// `roundtrip_count` times on a REQ socket; returns the elapsed microseconds
/// (the measured loop of `remote_lat` and `inproc_lat`).
pub fn timed_roundtrips(s: &zmq::Socket, message_size: usize, roundtrip_count: usize) -> u64 {
    let mut msg = message(message_size);
    let watch = Stopwatch::start();
    for _ in 0..roundtrip_count {
        s.send(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.size() != message_size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
    }
    watch.stop()
}

/// Prints the throughput lines of `local_thr` and `inproc_thr`.
pub fn print_throughput(message_size: usize, message_count: usize, elapsed_us: u64) {
    let throughput = message_count as f64 / elapsed_us as f64 * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;
    println!("mean throughput: {} [msg/s]", throughput as i64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

/// Prints the latency line of `remote_lat` and `inproc_lat`.
pub fn print_latency(roundtrip_count: usize, elapsed_us: u64) {
    let latency = elapsed_us as f64 / (roundtrip_count as f64 * 2.0);
    println!("average latency: {latency:.3} [us]");
}
