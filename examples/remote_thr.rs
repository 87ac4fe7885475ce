//! Port of libzmq's `remote_thr`: connects a PUSH socket and sends
//! `message-count` messages of `message-size` bytes (to `local_thr`).
//!
//! `cargo run --release --example remote_thr -- tcp://127.0.0.1:5555 64 1000000`

#[path = "perf/mod.rs"]
mod perf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        perf::usage("remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]");
    }
    let (connect_to, message_size, message_count) =
        (&args[1], perf::atoi(&args[2]), perf::atoi(&args[3]));
    let curve = args.len() == 5 && perf::atoi(&args[4]) != 0;

    let ctx = zmq::Context::try_new().unwrap_or_else(|e| perf::fail("zmq_init", e.kind()));
    let s = ctx
        .socket(zmq::PUSH)
        .unwrap_or_else(|e| perf::fail("zmq_socket", e));
    if curve {
        perf::curve_client(&s);
    }
    s.connect(connect_to)
        .unwrap_or_else(|e| perf::fail("zmq_connect", e));
    for _ in 0..message_count {
        s.send(perf::message(message_size), 0)
            .unwrap_or_else(|e| perf::fail("zmq_sendmsg", e));
    }
    // Closing the socket (default linger) and the context waits until every
    // message is delivered, as in the C tool.
}
