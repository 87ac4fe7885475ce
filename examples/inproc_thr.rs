//! Port of libzmq's `inproc_thr`: a PUSH thread sends `message-count` messages
//! of `message-size` bytes over inproc to a PULL socket that measures throughput.
//!
//! `cargo run --release --example inproc_thr -- 64 1000000`

#[path = "perf/mod.rs"]
mod perf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        perf::usage("inproc_thr <message-size> <message-count>");
    }
    let (message_size, message_count) = (perf::atoi(&args[1]), perf::atoi(&args[2]));

    let ctx = zmq::Context::try_new().unwrap_or_else(|e| perf::fail("zmq_init", e.kind()));
    let s = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| perf::fail("zmq_socket", e));
    s.bind("inproc://thr_test")
        .unwrap_or_else(|e| perf::fail("zmq_bind", e));

    let worker_ctx = ctx.clone();
    let worker = std::thread::spawn(move || {
        let s = worker_ctx
            .socket(zmq::PUSH)
            .unwrap_or_else(|e| perf::fail("zmq_socket", e));
        s.connect("inproc://thr_test")
            .unwrap_or_else(|e| perf::fail("zmq_connect", e));
        for _ in 0..message_count {
            s.send(perf::message(message_size), 0)
                .unwrap_or_else(|e| perf::fail("zmq_sendmsg", e));
        }
    });

    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");

    let mut msg = zmq::Message::new();
    let receive = |msg: &mut zmq::Message| {
        s.recv(msg, 0)
            .unwrap_or_else(|e| perf::fail("zmq_recvmsg", e));
        if msg.size() != message_size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
    };
    receive(&mut msg);
    let watch = perf::Stopwatch::start();
    for _ in 1..message_count {
        receive(&mut msg);
    }
    let elapsed = watch.stop();
    worker
        .join()
        .unwrap_or_else(|_| perf::fail("pthread_join", zmq::Error::EFAULT));
    perf::print_throughput(message_size, message_count, elapsed);
}
