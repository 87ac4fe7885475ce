//! libzmq's six perf tools written against the `zmq` 0.10 API alone, as a
//! program made for rust-zmq would be: each sent message comes from
//! `unsafe { Message::with_capacity_unallocated(size) }` (uninitialised, like
//! `zmq_msg_init_size` in the C tools) and is sent by value; replies come from
//! `recv_msg`. `benches/compare.sh --legacy` runs them beside libzmq's C tools
//! and this crate's own ports (`examples/{local,remote,inproc}_{thr,lat}.rs`).
//!
//! `cargo run --release --example legacy_perf -- inproc_thr 64 1000000`
//!
//! The first argument names the tool; the others and the output are those of
//! libzmq's tool of that name (without the CURVE option).
#![allow(deprecated)] // with_capacity_unallocated is deprecated since zmq 0.9.1.

use std::time::Instant;

const TOOLS: &str = "local_thr <bind-to> <message-size> <message-count>\n  \
     remote_thr <connect-to> <message-size> <message-count>\n  \
     local_lat <bind-to> <message-size> <roundtrip-count>\n  \
     remote_lat <connect-to> <message-size> <roundtrip-count>\n  \
     inproc_thr <message-size> <message-count>\n  \
     inproc_lat <message-size> <roundtrip-count>";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (tool, rest) = match args.split_first() {
        Some((tool, rest)) => (tool.as_str(), rest),
        None => usage(),
    };
    match (tool, rest) {
        ("local_thr", [bind, size, count]) => local_thr(bind, number(size), number(count)),
        ("remote_thr", [connect, size, count]) => remote_thr(connect, number(size), number(count)),
        ("local_lat", [bind, size, count]) => local_lat(bind, number(size), number(count)),
        ("remote_lat", [connect, size, count]) => remote_lat(connect, number(size), number(count)),
        ("inproc_thr", [size, count]) => inproc_thr(number(size), number(count)),
        ("inproc_lat", [size, count]) => inproc_lat(number(size), number(count)),
        _ => usage(),
    }
}

fn usage() -> ! {
    println!("usage: legacy_perf TOOL ARGS, one of:\n  {TOOLS}");
    std::process::exit(1);
}

/// A decimal argument, read the way `atoi` reads it (0 when not a number).
fn number(text: &str) -> usize {
    let digits = text.trim().bytes().take_while(u8::is_ascii_digit).count();
    text.trim()[..digits].parse().unwrap_or(0)
}

/// Unwraps a result or prints `error in <what>: <message>` and exits, as the
/// C tools do.
fn check<T>(result: zmq::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        println!("error in {what}: {e}");
        std::process::exit(1);
    })
}

/// A message of `size` bytes for sending, the rust-zmq 0.10 way.
fn outgoing(size: usize) -> zmq::Message {
    // SAFETY: the content is only sent (libzmq copies or hands over the bytes
    // without reading them), never read through Deref.
    unsafe { zmq::Message::with_capacity_unallocated(size) }
}

fn check_size(msg: &zmq::Message, size: usize) {
    if msg.len() != size {
        println!("message of incorrect size received");
        std::process::exit(1);
    }
}

/// Microseconds since `start`, at least 1 (`zmq_stopwatch_stop`).
fn elapsed_us(start: Instant) -> u64 {
    (start.elapsed().as_micros() as u64).max(1)
}

fn print_throughput(size: usize, count: usize, elapsed: u64) {
    let throughput = count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * size as f64 * 8.0 / 1_000_000.0;
    println!("mean throughput: {} [msg/s]", throughput as i64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

fn print_latency(count: usize, elapsed: u64) {
    println!(
        "average latency: {:.3} [us]",
        elapsed as f64 / (count as f64 * 2.0)
    );
}

/// Receives `count` messages (the clock starts after the first one).
fn receive_timed(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    let mut msg = zmq::Message::new();
    check(s.recv(&mut msg, 0), "zmq_recvmsg");
    check_size(&msg, size);
    let start = Instant::now();
    for _ in 1..count {
        check(s.recv(&mut msg, 0), "zmq_recvmsg");
        check_size(&msg, size);
    }
    elapsed_us(start)
}

fn send_all(s: &zmq::Socket, size: usize, count: usize) {
    for _ in 0..count {
        check(s.send(outgoing(size), 0), "zmq_sendmsg");
    }
}

/// Sends a message and waits for its echo `count` times.
fn roundtrips_timed(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    let mut msg = outgoing(size);
    let start = Instant::now();
    for _ in 0..count {
        check(s.send(msg, 0), "zmq_sendmsg");
        msg = check(s.recv_msg(0), "zmq_recvmsg");
        check_size(&msg, size);
    }
    elapsed_us(start)
}

/// Echoes `count` messages back.
fn echo(s: &zmq::Socket, size: usize, count: usize) {
    for _ in 0..count {
        let msg = check(s.recv_msg(0), "zmq_recvmsg");
        check_size(&msg, size);
        check(s.send(msg, 0), "zmq_sendmsg");
    }
}

fn local_thr(bind: &str, size: usize, count: usize) {
    let ctx = zmq::Context::new();
    let s = check(ctx.socket(zmq::PULL), "zmq_socket");
    check(s.bind(bind), "zmq_bind");
    let elapsed = receive_timed(&s, size, count);
    println!("message size: {size} [B]");
    println!("message count: {count}");
    print_throughput(size, count, elapsed);
}

fn remote_thr(connect: &str, size: usize, count: usize) {
    let ctx = zmq::Context::new();
    let s = check(ctx.socket(zmq::PUSH), "zmq_socket");
    check(s.connect(connect), "zmq_connect");
    send_all(&s, size, count);
    // Dropping the socket and the context (default linger) waits until every
    // message is delivered, as zmq_close and zmq_ctx_term do in the C tool.
}

fn local_lat(bind: &str, size: usize, count: usize) {
    let ctx = zmq::Context::new();
    let s = check(ctx.socket(zmq::REP), "zmq_socket");
    check(s.bind(bind), "zmq_bind");
    echo(&s, size, count);
}

fn remote_lat(connect: &str, size: usize, count: usize) {
    let ctx = zmq::Context::new();
    let s = check(ctx.socket(zmq::REQ), "zmq_socket");
    check(s.connect(connect), "zmq_connect");
    let elapsed = roundtrips_timed(&s, size, count);
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    print_latency(count, elapsed);
}

fn inproc_thr(size: usize, count: usize) {
    let ctx = zmq::Context::new();
    let s = check(ctx.socket(zmq::PULL), "zmq_socket");
    check(s.bind("inproc://thr_test"), "zmq_bind");
    let worker_ctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = check(worker_ctx.socket(zmq::PUSH), "zmq_socket");
        check(s.connect("inproc://thr_test"), "zmq_connect");
        send_all(&s, size, count);
    });
    println!("message size: {size} [B]");
    println!("message count: {count}");
    let elapsed = receive_timed(&s, size, count);
    if worker.join().is_err() {
        println!("error in pthread_join");
        std::process::exit(1);
    }
    print_throughput(size, count, elapsed);
}

fn inproc_lat(size: usize, count: usize) {
    let ctx = zmq::Context::new();
    let s = check(ctx.socket(zmq::REQ), "zmq_socket");
    check(s.bind("inproc://lat_test"), "zmq_bind");
    let worker_ctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = check(worker_ctx.socket(zmq::REP), "zmq_socket");
        check(s.connect("inproc://lat_test"), "zmq_connect");
        echo(&s, size, count);
    });
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    let elapsed = roundtrips_timed(&s, size, count);
    if worker.join().is_err() {
        println!("error in pthread_join");
        std::process::exit(1);
    }
    print_latency(count, elapsed);
}
