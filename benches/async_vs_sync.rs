//! Async (tokio) against sync throughput: PUSH to PULL, over inproc and tcp,
//! for 1, 64 and 1024-byte messages. Sync runs a sending and a receiving
//! thread; async a sending and a receiving task on a multi-thread runtime with
//! two workers. Each configuration is run `--reps` times, sync and async
//! interleaved; the medians and the async/sync ratio are printed.
//!
//! `cargo bench --bench async_vs_sync --features tokio`
//! `cargo bench --bench async_vs_sync --features tokio -- --reps 9 --count 200000`
//! One run of one configuration, for `valgrind --tool=callgrind` (instructions
//! per message = total / count):
//! `target/release/deps/async_vs_sync-* --only async tcp 64 --count 100000`

use std::time::Instant;

const SIZES: [usize; 3] = [1, 64, 1024];
const TRANSPORTS: [&str; 2] = ["inproc", "tcp"];

struct Options {
    count: u32,
    reps: usize,
    only: Option<(String, String, usize)>,
}

fn options() -> Options {
    let mut options = Options {
        count: 300_000,
        reps: 5,
        only: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let arg = |k: usize| args.get(i + k).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--count" => {
                options.count = arg(1).parse().expect("--count N");
                i += 1;
            }
            "--reps" => {
                options.reps = arg(1).parse().expect("--reps N");
                i += 1;
            }
            "--only" => {
                let size = arg(3).parse().expect("--only MODE TRANSPORT SIZE");
                options.only = Some((arg(1), arg(2), size));
                i += 3;
            }
            _ => {} // cargo bench passes --bench
        }
        i += 1;
    }
    options
}

fn endpoints(ctx: &zmq::Context, transport: &str) -> (zmq::Socket, zmq::Socket) {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let pull = ctx.socket(zmq::PULL).unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    let endpoint = if transport == "inproc" {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let e = format!("inproc://bench-{n}");
        pull.bind(&e).unwrap();
        e
    } else {
        pull.bind("tcp://127.0.0.1:*").unwrap();
        pull.get_last_endpoint().unwrap().unwrap()
    };
    push.connect(&endpoint).unwrap();
    (push, pull)
}

/// Messages per second, sync: a sending thread, a receiving thread.
fn sync_run(transport: &str, size: usize, count: u32) -> f64 {
    let ctx = zmq::Context::new();
    let (push, pull) = endpoints(&ctx, transport);
    let started = Instant::now();
    let sender = std::thread::spawn(move || {
        for _ in 0..count {
            push.send(zmq::Message::with_size(size), 0).unwrap();
        }
    });
    let mut msg = zmq::Message::new();
    for _ in 0..count {
        pull.recv(&mut msg, 0).unwrap();
    }
    sender.join().unwrap();
    f64::from(count) / started.elapsed().as_secs_f64()
}

/// Messages per second, async: a sending task, a receiving task.
fn async_run(rt: &tokio::runtime::Runtime, transport: &str, size: usize, count: u32) -> f64 {
    rt.block_on(async {
        let ctx = zmq::Context::new();
        let (push, pull) = endpoints(&ctx, transport);
        let push = zmq::AsyncSocket::new(push).unwrap();
        let pull = zmq::AsyncSocket::new(pull).unwrap();
        let started = Instant::now();
        let sender = tokio::spawn(async move {
            for _ in 0..count {
                push.send(zmq::Message::with_size(size)).await.unwrap();
            }
        });
        let receiver = tokio::spawn(async move {
            for _ in 0..count {
                pull.recv().await.unwrap();
            }
        });
        sender.await.unwrap();
        receiver.await.unwrap();
        f64::from(count) / started.elapsed().as_secs_f64()
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
    let options = options();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if let Some((mode, transport, size)) = &options.only {
        let rate = match mode.as_str() {
            "sync" => sync_run(transport, *size, options.count),
            _ => async_run(&rt, transport, *size, options.count),
        };
        println!("{mode} {transport} {size} B: {rate:.0} msg/s");
        return;
    }
    println!(
        "{} messages per run, PUSH -> PULL, medians of {} interleaved runs",
        options.count, options.reps
    );
    println!("transport  bytes      sync msg/s     async msg/s  async/sync");
    for transport in TRANSPORTS {
        for size in SIZES {
            let (mut sync, mut asynch) = (Vec::new(), Vec::new());
            for _ in 0..options.reps {
                sync.push(sync_run(transport, size, options.count));
                asynch.push(async_run(&rt, transport, size, options.count));
            }
            let (s, a) = (median(sync), median(asynch));
            println!(
                "{transport:>9} {size:>6} {s:>15.0} {a:>15.0} {:>11.2}",
                a / s
            );
        }
    }
}
