//! Guide chapter 4, basic reliable queuing, the Simple Pirate pattern
//! ("spqueue", "spworker"): Lazy Pirate clients talk to a load-balancing queue
//! (ROUTER frontend, ROUTER backend), and REQ workers announce themselves with
//! "READY" and then serve. Workers fail on purpose: worker-1 crashes in the
//! middle of a request and is replaced by a restarted worker-3; worker-2 is
//! overloaded once and answers too late. The client's timeout and retry hide
//! both failures; the queue itself needs no special code.
//!
//! Run: `cargo run --example simple_pirate`

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const REQUEST_TIMEOUT_MS: i64 = 300;
const RETRIES: u32 = 3;
const REQUESTS: u32 = 10;

/// How a worker misbehaves: (crash on request number, overload on request number).
#[derive(Clone, Copy)]
struct Faults {
    crash_at: Option<u32>,
    overload_at: Option<u32>,
}

fn worker(
    ctx: zmq::Context,
    endpoint: String,
    name: String,
    faults: Faults,
    stop: Arc<AtomicBool>,
) -> Result<(), zmq::Error> {
    let worker = ctx.socket(zmq::REQ)?;
    worker.set_linger(0)?;
    worker.set_rcvtimeo(100)?;
    worker.set_identity(name.as_bytes())?;
    worker.connect(&endpoint)?;
    println!("{name}: ready");
    worker.send("READY", 0)?;
    let mut cycles = 0;
    while !stop.load(Ordering::Relaxed) {
        // [client address, "", request]
        let mut frames = match worker.recv_multipart(0) {
            Err(zmq::Error::EAGAIN) => continue,
            other => other?,
        };
        cycles += 1;
        if faults.crash_at == Some(cycles) {
            println!("{name}: simulating a crash");
            return Ok(());
        }
        if faults.overload_at == Some(cycles) {
            println!("{name}: simulating CPU overload");
            thread::sleep(Duration::from_millis(500));
        }
        let request = frames.pop().unwrap_or_default();
        let mut reply = request.clone();
        reply.extend_from_slice(format!(" done by {name}").as_bytes());
        frames.push(reply);
        worker.send_multipart(frames, 0)?;
    }
    Ok(())
}

/// The queue: hands each client request to the least recently used idle worker.
fn queue(
    frontend: zmq::Socket,
    backend: zmq::Socket,
    stop: Arc<AtomicBool>,
) -> Result<(), zmq::Error> {
    let mut idle: VecDeque<Vec<u8>> = VecDeque::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        // Take client requests only while some worker is idle.
        let frontend_events = if idle.is_empty() {
            zmq::PollEvents::empty()
        } else {
            zmq::POLLIN
        };
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(frontend_events),
        ];
        zmq::poll(&mut items, 100)?;
        if items[0].is_readable() {
            // [worker, "", "READY"] or [worker, "", client, "", reply]
            let mut frames = backend.recv_multipart(0)?;
            idle.push_back(frames.remove(0));
            if frames.len() == 4 {
                frontend.send_multipart(frames.split_off(1), 0)?;
            }
        }
        if items[1].is_readable() {
            if let Some(worker) = idle.pop_front() {
                let request = frontend.recv_multipart(0)?;
                let mut frames = vec![worker, Vec::new()];
                frames.extend(request);
                backend.send_multipart(frames, 0)?;
            }
        }
    }
    Ok(())
}

fn connect_client(ctx: &zmq::Context, endpoint: &str) -> Result<zmq::Socket, zmq::Error> {
    let client = ctx.socket(zmq::REQ)?;
    client.set_linger(0)?;
    client.connect(endpoint)?;
    Ok(client)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let frontend = ctx.socket(zmq::ROUTER)?;
    frontend.set_linger(0)?;
    frontend.bind("tcp://127.0.0.1:*")?;
    let frontend_endpoint = frontend.get_last_endpoint()?.unwrap_or_default();
    let backend = ctx.socket(zmq::ROUTER)?;
    backend.set_linger(0)?;
    backend.bind("tcp://127.0.0.1:*")?;
    let backend_endpoint = backend.get_last_endpoint()?.unwrap_or_default();

    let stop = Arc::new(AtomicBool::new(false));
    let queue = {
        let stop = stop.clone();
        thread::spawn(move || queue(frontend, backend, stop))
    };
    let start_worker = |name: &str, faults: Faults| {
        let (ctx, endpoint, name, stop) = (
            ctx.clone(),
            backend_endpoint.clone(),
            name.to_owned(),
            stop.clone(),
        );
        thread::spawn(move || worker(ctx, endpoint, name, faults, stop))
    };
    let mut workers = vec![
        start_worker(
            "worker-1",
            Faults {
                crash_at: Some(3),
                overload_at: None,
            },
        ),
        start_worker(
            "worker-2",
            Faults {
                crash_at: None,
                overload_at: Some(4),
            },
        ),
    ];

    let mut client = connect_client(&ctx, &frontend_endpoint)?;
    let mut retries = 0;
    for sequence in 1..=REQUESTS {
        let request = format!("request {sequence}");
        client.send(request.as_str(), 0)?;
        let mut retries_left = RETRIES;
        loop {
            if client.poll(zmq::POLLIN, REQUEST_TIMEOUT_MS)? > 0 {
                let reply = client.recv_string(0)?.unwrap_or_default();
                println!("client: {reply}");
                if reply.starts_with(&format!("{request} ")) {
                    break;
                }
                continue;
            }
            retries_left -= 1;
            if retries_left == 0 {
                stop.store(true, Ordering::Relaxed);
                return Err("the queue seems to be offline, abandoning".into());
            }
            println!("client: no response, retrying {request}");
            retries += 1;
            client = connect_client(&ctx, &frontend_endpoint)?;
            client.send(request.as_str(), 0)?;
        }
        // A crashed worker is restarted (here: once, as worker-3).
        if workers.len() == 2 && workers[0].is_finished() {
            workers.push(start_worker(
                "worker-3",
                Faults {
                    crash_at: None,
                    overload_at: None,
                },
            ));
        }
    }
    stop.store(true, Ordering::Relaxed);
    queue.join().expect("queue thread")?;
    for worker in workers {
        worker.join().expect("worker thread")?;
    }
    println!("all {REQUESTS} requests answered, with {retries} retries");
    Ok(())
}
