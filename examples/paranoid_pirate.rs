//! Guide chapter 4, robust reliable queuing, the Paranoid Pirate pattern
//! ("ppqueue", "ppworker"): the queue and its DEALER workers heartbeat each other.
//! The queue sends HEARTBEAT to idle workers every interval and forgets a worker
//! it has not heard from for LIVENESS intervals; a worker counts down its own
//! liveness when the queue is silent, and at zero reconnects with a fresh
//! socket after a back-off that doubles each time (up to a maximum). Clients are
//! Lazy Pirates. On a fixed schedule, worker-1 hangs for a while (the queue
//! expires it) and later the queue itself stalls (the workers reconnect with
//! back-off and announce themselves again).
//!
//! Run: `cargo run --example paranoid_pirate`

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const HEARTBEAT_LIVENESS: u32 = 3;
const HEARTBEAT_INTERVAL: Duration = Duration::from_millis(100);
const RECONNECT_INITIAL: Duration = Duration::from_millis(100);
const RECONNECT_MAX: Duration = Duration::from_millis(800);
const READY: &[u8] = b"\x01";
const HEARTBEAT: &[u8] = b"\x02";

const REQUEST_TIMEOUT_MS: i64 = 400;
const RETRIES: u32 = 8;
const REQUESTS: u32 = 12;
/// The queue stalls after forwarding this many requests.
const QUEUE_STALL_AFTER: u32 = 8;
const QUEUE_STALL: Duration = Duration::from_millis(700);

fn millis(duration: Duration) -> i64 {
    duration.as_millis() as i64
}

struct Idle {
    address: Vec<u8>,
    expiry: Instant,
}

/// The queue: load balancing as in `simple_pirate`, plus heartbeats both ways.
fn queue(
    frontend: zmq::Socket,
    backend: zmq::Socket,
    stop: Arc<AtomicBool>,
) -> Result<(), zmq::Error> {
    let mut idle: VecDeque<Idle> = VecDeque::new();
    let mut heartbeat_at = Instant::now() + HEARTBEAT_INTERVAL;
    let mut forwarded = 0;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        let frontend_events = if idle.is_empty() {
            zmq::PollEvents::empty()
        } else {
            zmq::POLLIN
        };
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(frontend_events),
        ];
        zmq::poll(&mut items, millis(HEARTBEAT_INTERVAL))?;
        if items[0].is_readable() {
            let mut frames = backend.recv_multipart(0)?;
            let address = frames.remove(0);
            // Any message from a worker means it is alive and idle.
            let known = idle.iter().any(|w| w.address == address);
            idle.retain(|w| w.address != address);
            idle.push_back(Idle {
                address: address.clone(),
                expiry: Instant::now() + HEARTBEAT_INTERVAL * HEARTBEAT_LIVENESS,
            });
            match frames.as_slice() {
                [command] if command == READY => {
                    println!("queue: {} ready", String::from_utf8_lossy(&address));
                }
                [command] if command == HEARTBEAT => {
                    if !known {
                        println!("queue: {} is back", String::from_utf8_lossy(&address));
                    }
                }
                [_, _, _] => frontend.send_multipart(frames, 0)?, // [client, "", reply]
                _ => println!(
                    "queue: invalid message from {}",
                    String::from_utf8_lossy(&address)
                ),
            }
        }
        if items[1].is_readable() {
            let request = frontend.recv_multipart(0)?; // [client, "", request]
                                                       // ROUTER_MANDATORY: a worker that is gone fails the send; try the next.
            while let Some(worker) = idle.pop_front() {
                let mut frames = vec![worker.address];
                frames.extend(request.iter().cloned());
                match backend.send_multipart(frames, 0) {
                    Ok(()) => {
                        forwarded += 1;
                        break;
                    }
                    Err(zmq::Error::EHOSTUNREACH) => continue,
                    Err(e) => return Err(e),
                }
            }
            if forwarded == QUEUE_STALL_AFTER {
                forwarded += 1;
                println!(
                    "queue: simulating a stall of {} ms",
                    QUEUE_STALL.as_millis()
                );
                thread::sleep(QUEUE_STALL);
                heartbeat_at = Instant::now();
            }
        }
        if Instant::now() >= heartbeat_at {
            for worker in &idle {
                match backend.send_multipart([worker.address.as_slice(), HEARTBEAT], 0) {
                    Ok(()) | Err(zmq::Error::EHOSTUNREACH) => {}
                    Err(e) => return Err(e),
                }
            }
            heartbeat_at = Instant::now() + HEARTBEAT_INTERVAL;
        }
        let now = Instant::now();
        for worker in idle.iter().filter(|w| w.expiry < now) {
            println!(
                "queue: {} expired",
                String::from_utf8_lossy(&worker.address)
            );
        }
        idle.retain(|w| w.expiry >= now);
    }
    Ok(())
}

/// A new DEALER socket for `name`, connected, with "READY" sent. Each connection
/// gets a new routing id: the queue's ROUTER would refuse a duplicate.
fn connect_worker(
    ctx: &zmq::Context,
    endpoint: &str,
    name: &str,
    generation: u32,
) -> Result<zmq::Socket, zmq::Error> {
    let socket = ctx.socket(zmq::DEALER)?;
    socket.set_linger(0)?;
    socket.set_identity(format!("{name}.{generation}").as_bytes())?;
    socket.connect(endpoint)?;
    socket.send(READY, 0)?;
    Ok(socket)
}

fn worker(
    ctx: zmq::Context,
    endpoint: String,
    name: &str,
    hang_after: Option<u32>,
    stop: Arc<AtomicBool>,
) -> Result<u32, zmq::Error> {
    let mut generation = 0;
    let mut socket = connect_worker(&ctx, &endpoint, name, generation)?;
    let mut liveness = HEARTBEAT_LIVENESS;
    let mut reconnect = RECONNECT_INITIAL;
    let mut heartbeat_at = Instant::now() + HEARTBEAT_INTERVAL;
    let mut served = 0;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        if socket.poll(zmq::POLLIN, millis(HEARTBEAT_INTERVAL))? > 0 {
            let frames = socket.recv_multipart(0)?;
            match frames.len() {
                3 => {
                    // [client, "", request]: echo it back.
                    socket.send_multipart(frames, 0)?;
                    served += 1;
                    if hang_after == Some(served) {
                        println!("{name}: simulating a hang of 600 ms");
                        thread::sleep(Duration::from_millis(600));
                    }
                }
                1 if frames[0] == HEARTBEAT => {}
                _ => println!("{name}: invalid message"),
            }
            liveness = HEARTBEAT_LIVENESS;
            reconnect = RECONNECT_INITIAL;
        } else {
            liveness -= 1;
            if liveness == 0 {
                println!(
                    "{name}: heartbeat failure, reconnecting in {} ms",
                    reconnect.as_millis()
                );
                thread::sleep(reconnect);
                reconnect = (reconnect * 2).min(RECONNECT_MAX);
                generation += 1;
                socket = connect_worker(&ctx, &endpoint, name, generation)?;
                liveness = HEARTBEAT_LIVENESS;
            }
        }
        if Instant::now() >= heartbeat_at {
            heartbeat_at = Instant::now() + HEARTBEAT_INTERVAL;
            socket.send(HEARTBEAT, 0)?;
        }
    }
    Ok(served)
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
    backend.set_router_mandatory(true)?;
    backend.bind("tcp://127.0.0.1:*")?;
    let backend_endpoint = backend.get_last_endpoint()?.unwrap_or_default();

    let stop = Arc::new(AtomicBool::new(false));
    let queue = {
        let stop = stop.clone();
        thread::spawn(move || queue(frontend, backend, stop))
    };
    let workers: Vec<_> = [("worker-1", Some(2)), ("worker-2", None)]
        .into_iter()
        .map(|(name, hang_after)| {
            let (ctx, endpoint, stop) = (ctx.clone(), backend_endpoint.clone(), stop.clone());
            thread::spawn(move || worker(ctx, endpoint, name, hang_after, stop))
        })
        .collect();

    let mut client = connect_client(&ctx, &frontend_endpoint)?;
    let mut retries = 0;
    let mut outcome = Ok(());
    'requests: for sequence in 1..=REQUESTS {
        let request = format!("request {sequence}");
        client.send(request.as_str(), 0)?;
        let mut retries_left = RETRIES;
        loop {
            if client.poll(zmq::POLLIN, REQUEST_TIMEOUT_MS)? > 0 {
                let reply = client.recv_string(0)?.unwrap_or_default();
                if reply == request {
                    println!("client: reply to {reply}");
                    break;
                }
                println!("client: unexpected reply {reply}");
                continue;
            }
            retries_left -= 1;
            if retries_left == 0 {
                outcome = Err("the queue seems to be offline, abandoning");
                break 'requests;
            }
            println!("client: no response, retrying {request}");
            retries += 1;
            client = connect_client(&ctx, &frontend_endpoint)?;
            client.send(request.as_str(), 0)?;
        }
    }
    stop.store(true, Ordering::Relaxed);
    queue.join().expect("queue thread")?;
    for (id, worker) in workers.into_iter().enumerate() {
        println!(
            "worker-{} served {} requests",
            id + 1,
            worker.join().expect("worker thread")?
        );
    }
    outcome?;
    println!("all {REQUESTS} requests answered, with {retries} retries");
    Ok(())
}
