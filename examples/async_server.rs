//! Guide chapter 3, the asynchronous client/server pattern ("asyncsrv"): DEALER
//! clients send requests whenever they like and take replies as they come; the
//! server is a ROUTER frontend and a DEALER backend joined by a proxy, and its
//! DEALER workers answer each request with any number of replies (here one to
//! three), addressed by the client id the ROUTER put in front. No side waits for
//! the other; the ids route everything.
//!
//! Run: `cargo run --example async_server`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const CLIENTS: usize = 3;
const REQUESTS: usize = 4;
const WORKERS: usize = 2;

/// How many replies a worker sends for request number `n` (1 to 3).
fn replies_for(n: usize) -> usize {
    1 + n % 3
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let mut frontend = ctx.socket(zmq::ROUTER)?;
    frontend.set_linger(0)?;
    frontend.bind("tcp://127.0.0.1:*")?;
    let endpoint = frontend.get_last_endpoint()?.unwrap_or_default();
    let mut backend = ctx.socket(zmq::DEALER)?;
    backend.set_linger(0)?;
    backend.bind("inproc://async-server-backend")?;
    let control = ctx.socket(zmq::PAIR)?;
    control.set_linger(0)?;
    control.bind("inproc://async-server-control")?;
    let proxy = {
        let ctx = ctx.clone();
        thread::spawn(move || -> Result<(), zmq::Error> {
            let mut control = ctx.socket(zmq::PAIR)?;
            control.set_linger(0)?;
            control.connect("inproc://async-server-control")?;
            zmq::proxy_steerable(&mut frontend, &mut backend, &mut control)
        })
    };

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (1..=WORKERS)
        .map(|id| {
            let (ctx, stop) = (ctx.clone(), stop.clone());
            thread::spawn(move || -> Result<(), zmq::Error> {
                let worker = ctx.socket(zmq::DEALER)?;
                worker.set_linger(0)?;
                worker.set_rcvtimeo(100)?;
                worker.connect("inproc://async-server-backend")?;
                while !stop.load(Ordering::Relaxed) {
                    // [client id, request]
                    let frames = match worker.recv_multipart(0) {
                        Err(zmq::Error::EAGAIN) => continue,
                        other => other?,
                    };
                    let [client, request] =
                        <[Vec<u8>; 2]>::try_from(frames).map_err(|_| zmq::Error::EPROTO)?;
                    let request = String::from_utf8_lossy(&request).into_owned();
                    let n: usize = request
                        .rsplit(' ')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    for part in 1..=replies_for(n) {
                        thread::sleep(Duration::from_millis(2));
                        let reply = format!("{request}: part {part} from worker {id}");
                        worker.send_multipart([client.clone(), reply.into_bytes()], 0)?;
                    }
                }
                Ok(())
            })
        })
        .collect();

    let clients: Vec<_> = (1..=CLIENTS)
        .map(|id| {
            let (ctx, endpoint) = (ctx.clone(), endpoint.clone());
            thread::spawn(move || -> Result<usize, zmq::Error> {
                let client = ctx.socket(zmq::DEALER)?;
                client.set_linger(0)?;
                client.set_identity(format!("client-{id}").as_bytes())?;
                client.connect(&endpoint)?;
                let expected: usize = (1..=REQUESTS).map(replies_for).sum();
                let (mut sent, mut received) = (0, 0);
                let mut next_send = Instant::now();
                let deadline = Instant::now() + Duration::from_secs(10);
                // Send a request every 20 ms, and take replies whenever they come.
                while received < expected && Instant::now() < deadline {
                    if sent < REQUESTS && Instant::now() >= next_send {
                        sent += 1;
                        client.send(format!("client-{id} request {sent}").as_str(), 0)?;
                        next_send += Duration::from_millis(20);
                    }
                    if client.poll(zmq::POLLIN, 10)? > 0 {
                        let reply = client.recv_string(0)?.unwrap_or_default();
                        if received < 3 {
                            println!("client-{id} got: {reply}");
                        }
                        received += 1;
                    }
                }
                Ok(received)
            })
        })
        .collect();

    let mut outcome: Result<(), Box<dyn std::error::Error>> = Ok(());
    let expected: usize = (1..=REQUESTS).map(replies_for).sum();
    for (id, client) in clients.into_iter().enumerate() {
        let received = client.join().expect("client thread")?;
        println!(
            "client-{} received {received} of {expected} replies",
            id + 1
        );
        if received != expected {
            outcome = Err("a client missed replies".into());
        }
    }
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("worker thread")?;
    }
    control.send("TERMINATE", 0)?;
    proxy.join().expect("proxy thread")?;
    outcome
}
