//! Guide chapter 2, the extended request-reply pattern ("rrclient", "rrworker",
//! "rrbroker"): REQ clients and REP workers never meet; a broker in the middle
//! polls a ROUTER for clients and a DEALER for workers and moves every multipart
//! message, envelope and all, from one to the other. Clients and workers can come
//! and go without knowing about each other.
//!
//! Run: `cargo run --example request_reply_broker`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const CLIENTS: usize = 3;
const REQUESTS: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let frontend = ctx.socket(zmq::ROUTER)?;
    frontend.set_linger(0)?;
    frontend.bind("tcp://127.0.0.1:*")?;
    let frontend_endpoint = frontend.get_last_endpoint()?.unwrap_or_default();
    let backend = ctx.socket(zmq::DEALER)?;
    backend.set_linger(0)?;
    backend.bind("tcp://127.0.0.1:*")?;
    let backend_endpoint = backend.get_last_endpoint()?.unwrap_or_default();

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (1..=2)
        .map(|id| {
            let (ctx, stop, endpoint) = (ctx.clone(), stop.clone(), backend_endpoint.clone());
            thread::spawn(move || -> Result<usize, zmq::Error> {
                let worker = ctx.socket(zmq::REP)?;
                worker.set_linger(0)?;
                worker.set_rcvtimeo(100)?;
                worker.connect(&endpoint)?;
                let mut served = 0;
                while !stop.load(Ordering::Relaxed) {
                    let request = match worker.recv_string(0) {
                        Err(zmq::Error::EAGAIN) => continue,
                        other => other?.unwrap_or_default(),
                    };
                    worker.send(format!("worker {id} says World to {request}").as_str(), 0)?;
                    served += 1;
                }
                Ok(served)
            })
        })
        .collect();
    let clients: Vec<_> = (1..=CLIENTS)
        .map(|id| {
            let (ctx, endpoint) = (ctx.clone(), frontend_endpoint.clone());
            thread::spawn(move || -> Result<(), zmq::Error> {
                let client = ctx.socket(zmq::REQ)?;
                client.set_linger(0)?;
                client.set_rcvtimeo(5_000)?;
                client.connect(&endpoint)?;
                for n in 1..=REQUESTS {
                    client.send(format!("Hello {n} from client {id}").as_str(), 0)?;
                    println!("{}", client.recv_string(0)?.unwrap_or_default());
                }
                Ok(())
            })
        })
        .collect();

    // The broker: whatever arrives on one side goes out on the other, frame by
    // frame, so the REQ envelope (client address, empty delimiter) survives.
    let mut replies = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while replies < CLIENTS * REQUESTS && Instant::now() < deadline {
        let mut items = [
            frontend.as_poll_item(zmq::POLLIN),
            backend.as_poll_item(zmq::POLLIN),
        ];
        zmq::poll(&mut items, 100)?;
        if items[0].is_readable() {
            backend.send_multipart(frontend.recv_multipart(0)?, 0)?;
        }
        if items[1].is_readable() {
            frontend.send_multipart(backend.recv_multipart(0)?, 0)?;
            replies += 1;
        }
    }
    for client in clients {
        client.join().expect("client thread")?;
    }
    stop.store(true, Ordering::Relaxed);
    for (id, worker) in workers.into_iter().enumerate() {
        println!(
            "worker {} served {} requests",
            id + 1,
            worker.join().expect("worker thread")?
        );
    }
    println!("the broker relayed {replies} replies");
    Ok(())
}
