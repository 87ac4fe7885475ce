//! Port of libzmq's `local_thr`: binds a PULL socket and measures how fast
//! `message-count` messages of `message-size` bytes arrive (from `remote_thr`).
//!
//! `cargo run --release --example local_thr -- tcp://127.0.0.1:5555 64 1000000`

#[path = "perf/mod.rs"]
mod perf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        perf::usage("local_thr <bind-to> <message-size> <message-count> [<enable_curve>]");
    }
    let (bind_to, message_size, message_count) =
        (&args[1], perf::atoi(&args[2]), perf::atoi(&args[3]));
    let curve = args.len() == 5 && perf::atoi(&args[4]) != 0;

    let ctx = zmq::Context::try_new().unwrap_or_else(|e| perf::fail("zmq_init", e.kind()));
    let s = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| perf::fail("zmq_socket", e));
    if curve {
        perf::curve_server(&s);
    }
    s.bind(bind_to)
        .unwrap_or_else(|e| perf::fail("zmq_bind", e));

    let mut msg = zmq::Message::new();
    receive(&s, &mut msg, message_size);
    let watch = perf::Stopwatch::start();
    for _ in 1..message_count {
        receive(&s, &mut msg, message_size);
    }
    let elapsed = watch.stop();

    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");
    perf::print_throughput(message_size, message_count, elapsed);
}

fn receive(s: &zmq::Socket, msg: &mut zmq::Message, message_size: usize) {
    s.recv(msg, 0)
        .unwrap_or_else(|e| perf::fail("zmq_recvmsg", e));
    if msg.size() != message_size {
        println!("message of incorrect size received");
        std::process::exit(1);
    }
}
