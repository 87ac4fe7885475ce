//! Guide chapter 4, the asynchronous Majordomo client ("mdclient2"): the same
//! broker and workers as `majordomo` (RFC 7), but the client uses a DEALER
//! socket, so it can send a whole batch of requests before reading any reply,
//! instead of one round trip at a time. The broker queues what the workers
//! cannot take yet. The client adds the empty frame a REQ would have added.
//!
//! Run: `cargo run --example majordomo_async`

#[path = "../majordomo/broker.rs"]
mod broker;
#[path = "../majordomo/mdp.rs"]
mod mdp;
#[path = "../majordomo/worker.rs"]
mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const REQUESTS: usize = 1_000;

/// A reply: the service that answered, and the body frames.
type Reply = (Vec<u8>, Vec<Vec<u8>>);

/// An asynchronous Majordomo client: sends and receives independently.
struct AsyncClient {
    socket: zmq::Socket,
    timeout_ms: i64,
}

impl AsyncClient {
    fn new(ctx: &zmq::Context, broker: &str, timeout_ms: i64) -> Result<AsyncClient, zmq::Error> {
        let socket = ctx.socket(zmq::DEALER)?;
        socket.set_linger(0)?;
        socket.set_sndhwm(0)?;
        socket.connect(broker)?;
        Ok(AsyncClient { socket, timeout_ms })
    }

    /// ["", MDPC01, service, body...]; returns at once.
    fn send(&self, service: &str, body: &[u8]) -> Result<(), zmq::Error> {
        self.socket
            .send_multipart([&b""[..], mdp::CLIENT, service.as_bytes(), body], 0)
    }

    /// The next reply as (service, body), or `None` after the timeout.
    fn recv(&self) -> Result<Option<Reply>, zmq::Error> {
        if self.socket.poll(zmq::POLLIN, self.timeout_ms)? == 0 {
            return Ok(None);
        }
        let mut frames = self.socket.recv_multipart(0)?;
        // ["", MDPC01, service, body...]
        if frames.len() < 3 || !frames[0].is_empty() || frames[1] != mdp::CLIENT {
            return Err(zmq::Error::EPROTO);
        }
        let body = frames.split_off(3);
        Ok(Some((frames.swap_remove(2), body)))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let (broker, endpoint) = broker::Broker::bind(&ctx)?;
    let broker_stop = Arc::new(AtomicBool::new(false));
    let broker = {
        let stop = broker_stop.clone();
        thread::spawn(move || broker.run(&stop, Duration::from_secs(20)))
    };
    let workers_stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = ["echo-1", "echo-2"]
        .into_iter()
        .map(|name| {
            let (ctx, endpoint, stop) = (ctx.clone(), endpoint.clone(), workers_stop.clone());
            thread::spawn(move || -> Result<usize, zmq::Error> {
                let mut worker = worker::Worker::new(&ctx, &endpoint, "echo", name)?;
                let mut served = 0;
                while let Some(request) = worker.recv(&stop)? {
                    worker.reply(request)?;
                    served += 1;
                }
                Ok(served)
            })
        })
        .collect();

    let client = AsyncClient::new(&ctx, &endpoint, 2_000)?;
    let start = Instant::now();
    for n in 0..REQUESTS {
        client.send("echo", format!("request {n}").as_bytes())?;
    }
    println!(
        "client: {REQUESTS} requests sent in {} ms",
        start.elapsed().as_millis()
    );
    let mut received = 0;
    while received < REQUESTS {
        match client.recv()? {
            Some((service, body)) if service == b"echo" && body.len() == 1 => received += 1,
            Some(_) => return Err("a malformed reply".into()),
            None => break,
        }
    }
    println!(
        "client: {received} replies in {} ms",
        start.elapsed().as_millis()
    );

    workers_stop.store(true, Ordering::Relaxed);
    for (name, worker) in ["echo-1", "echo-2"].iter().zip(workers) {
        println!("{name} served {}", worker.join().expect("worker thread")?);
    }
    thread::sleep(mdp::HEARTBEAT_INTERVAL);
    broker_stop.store(true, Ordering::Relaxed);
    broker.join().expect("broker thread")?;
    if received != REQUESTS {
        return Err("replies went missing".into());
    }
    Ok(())
}
