//! Port of libzmq's `remote_lat`: a REQ socket that sends `roundtrip-count`
//! messages of `message-size` bytes to `local_lat` and measures the average
//! one-way latency.
//!
//! `cargo run --release --example remote_lat -- tcp://127.0.0.1:5555 64 10000`

#[path = "perf/mod.rs"]
mod perf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        perf::usage("remote_lat <connect-to> <message-size> <roundtrip-count>");
    }
    let (connect_to, message_size, roundtrip_count) =
        (&args[1], perf::atoi(&args[2]), perf::atoi(&args[3]));

    let ctx = zmq::Context::try_new().unwrap_or_else(|e| perf::fail("zmq_init", e.kind()));
    let s = ctx
        .socket(zmq::REQ)
        .unwrap_or_else(|e| perf::fail("zmq_socket", e));
    s.connect(connect_to)
        .unwrap_or_else(|e| perf::fail("zmq_connect", e));

    let elapsed = perf::timed_roundtrips(&s, message_size, roundtrip_count);

    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");
    perf::print_latency(roundtrip_count, elapsed);
}
