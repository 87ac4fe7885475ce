//! Port of libzmq's `inproc_lat`: a REP thread echoes, over inproc, the
//! `roundtrip-count` messages of `message-size` bytes that a REQ socket sends;
//! prints the average one-way latency.
//!
//! `cargo run --release --example inproc_lat -- 64 100000`

#[path = "perf/mod.rs"]
mod perf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        perf::usage("inproc_lat <message-size> <roundtrip-count>");
    }
    let (message_size, roundtrip_count) = (perf::atoi(&args[1]), perf::atoi(&args[2]));

    let ctx = zmq::Context::try_new().unwrap_or_else(|e| perf::fail("zmq_init", e.kind()));
    let s = ctx
        .socket(zmq::REQ)
        .unwrap_or_else(|e| perf::fail("zmq_socket", e));
    s.bind("inproc://lat_test")
        .unwrap_or_else(|e| perf::fail("zmq_bind", e));

    let worker_ctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = worker_ctx
            .socket(zmq::REP)
            .unwrap_or_else(|e| perf::fail("zmq_socket", e));
        s.connect("inproc://lat_test")
            .unwrap_or_else(|e| perf::fail("zmq_connect", e));
        let mut msg = zmq::Message::new();
        for _ in 0..roundtrip_count {
            s.recv(&mut msg, 0)
                .unwrap_or_else(|e| perf::fail("zmq_recvmsg", e));
            s.send(&mut msg, 0)
                .unwrap_or_else(|e| perf::fail("zmq_sendmsg", e));
        }
    });

    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");
    let elapsed = perf::timed_roundtrips(&s, message_size, roundtrip_count);
    worker
        .join()
        .unwrap_or_else(|_| perf::fail("pthread_join", zmq::Error::EFAULT));
    perf::print_latency(roundtrip_count, elapsed);
}
