//! Port of libzmq's `local_lat`: a REP socket that echoes `roundtrip-count`
//! messages of `message-size` bytes (for `remote_lat`).
//!
//! `cargo run --release --example local_lat -- tcp://127.0.0.1:5555 64 10000`

#[path = "perf/mod.rs"]
mod perf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        perf::usage("local_lat <bind-to> <message-size> <roundtrip-count>");
    }
    let (bind_to, message_size, roundtrip_count) =
        (&args[1], perf::atoi(&args[2]), perf::atoi(&args[3]));

    let ctx = zmq::Context::try_new().unwrap_or_else(|e| perf::fail("zmq_init", e.kind()));
    let s = ctx
        .socket(zmq::REP)
        .unwrap_or_else(|e| perf::fail("zmq_socket", e));
    s.bind(bind_to)
        .unwrap_or_else(|e| perf::fail("zmq_bind", e));

    let mut msg = zmq::Message::new();
    for _ in 0..roundtrip_count {
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| perf::fail("zmq_recvmsg", e));
        if msg.size() != message_size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
        s.send(&mut msg, 0)
            .unwrap_or_else(|e| perf::fail("zmq_sendmsg", e));
    }
}
