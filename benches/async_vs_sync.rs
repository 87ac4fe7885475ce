//! Async (tokio) against sync throughput: PUSH/PULL, 64-byte messages, over
//! inproc and tcp; prints messages per second and the async/sync ratio.
//! `cargo bench --bench async_vs_sync --features tokio`

use std::time::Instant;

const COUNT: u32 = 300_000;
const SIZE: usize = 64;
const REPS: usize = 5;

fn endpoints(ctx: &zmq::Context, transport: &str, rep: usize) -> (zmq::Socket, zmq::Socket) {
    let pull = ctx.socket(zmq::PULL).unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    let endpoint = if transport == "inproc" {
        let e = format!("inproc://bench-{rep}");
        pull.bind(&e).unwrap();
        e
    } else {
        pull.bind("tcp://127.0.0.1:*").unwrap();
        pull.get_last_endpoint().unwrap().unwrap()
    };
    push.connect(&endpoint).unwrap();
    (push, pull)
}

fn sync_run(transport: &str, rep: usize) -> f64 {
    let ctx = zmq::Context::new();
    let (push, pull) = endpoints(&ctx, transport, rep);
    let started = Instant::now();
    let sender = std::thread::spawn(move || {
        for _ in 0..COUNT {
            push.send(zmq::Message::with_size(SIZE), 0).unwrap();
        }
    });
    let mut msg = zmq::Message::new();
    for _ in 0..COUNT {
        pull.recv(&mut msg, 0).unwrap();
    }
    sender.join().unwrap();
    f64::from(COUNT) / started.elapsed().as_secs_f64()
}

fn async_run(rt: &tokio::runtime::Runtime, transport: &str, rep: usize) -> f64 {
    rt.block_on(async {
        let ctx = zmq::Context::new();
        let (push, pull) = endpoints(&ctx, transport, rep + 1000);
        let push = zmq::AsyncSocket::new(push).unwrap();
        let pull = zmq::AsyncSocket::new(pull).unwrap();
        let started = Instant::now();
        let sender = tokio::spawn(async move {
            for _ in 0..COUNT {
                push.send(zmq::Message::with_size(SIZE)).await.unwrap();
            }
        });
        for _ in 0..COUNT {
            pull.recv().await.unwrap();
        }
        sender.await.unwrap();
        f64::from(COUNT) / started.elapsed().as_secs_f64()
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // cargo test --benches runs bench binaries in test mode
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("{COUNT} messages of {SIZE} bytes, PUSH -> PULL, median of {REPS} (interleaved)");
    for transport in ["inproc", "tcp"] {
        let (mut sync, mut asynch) = (Vec::new(), Vec::new());
        for rep in 0..REPS {
            sync.push(sync_run(transport, rep));
            asynch.push(async_run(&rt, transport, rep));
        }
        let (s, a) = (median(sync), median(asynch));
        println!(
            "{transport:>6}: sync {s:>12.0} msg/s   async {a:>12.0} msg/s   async/sync {:.2}",
            a / s
        );
    }
}
