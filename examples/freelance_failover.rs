//! Guide chapter 4, brokerless reliability, the Freelance pattern model one
//! ("flclient1", "flserver1"): simple retry and failover. The client knows
//! several servers and no broker; for each request it tries the servers in
//! turn, each on a fresh REQ socket with a timeout, and takes the first answer,
//! starting with the server that answered last time. Here server A is down from
//! the start and server B crashes after three requests, so the client moves on
//! to C.
//!
//! Run: `cargo run --example freelance_failover`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

const REQUEST_TIMEOUT_MS: i64 = 250;
const REQUESTS: usize = 6;

/// A REP server that echoes `requests` requests (or until `stop`), then exits.
fn server(
    socket: zmq::Socket,
    name: &'static str,
    requests: Option<usize>,
    stop: Arc<AtomicBool>,
) -> Result<(), zmq::Error> {
    let mut served = 0;
    while !stop.load(Ordering::Relaxed) && requests != Some(served) {
        let request = match socket.recv_string(0) {
            Err(zmq::Error::EAGAIN) => continue,
            other => other?.unwrap_or_default(),
        };
        socket.send(format!("{request} (from server {name})").as_str(), 0)?;
        served += 1;
    }
    if requests == Some(served) {
        println!("server {name}: simulating a crash");
    }
    Ok(())
}

/// Tries each endpoint in turn, from `*first` on; returns the first reply and
/// leaves `*first` at the server that gave it.
fn request(
    ctx: &zmq::Context,
    endpoints: &[(String, &str)],
    first: &mut usize,
    body: &str,
) -> Result<Option<String>, zmq::Error> {
    for attempt in 0..endpoints.len() {
        let index = (*first + attempt) % endpoints.len();
        let (endpoint, name) = &endpoints[index];
        let client = ctx.socket(zmq::REQ)?;
        client.set_linger(0)?;
        client.connect(endpoint)?;
        client.send(body, 0)?;
        if client.poll(zmq::POLLIN, REQUEST_TIMEOUT_MS)? > 0 {
            *first = index;
            return Ok(Some(client.recv_string(0)?.unwrap_or_default()));
        }
        println!(
            "client: no answer from server {name} in {REQUEST_TIMEOUT_MS} ms, trying the next"
        );
    }
    Ok(None)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let stop = Arc::new(AtomicBool::new(false));

    // Server A is down: a port that was free a moment ago, with nobody on it.
    let probe = ctx.socket(zmq::REP)?;
    probe.bind("tcp://127.0.0.1:*")?;
    let down = probe.get_last_endpoint()?.unwrap_or_default();
    drop(probe);

    let mut endpoints = vec![(down, "A")];
    let mut servers = Vec::new();
    for (name, requests) in [("B", Some(3)), ("C", None)] {
        let socket = ctx.socket(zmq::REP)?;
        socket.set_linger(0)?;
        socket.set_rcvtimeo(100)?;
        socket.bind("tcp://127.0.0.1:*")?;
        endpoints.push((socket.get_last_endpoint()?.unwrap_or_default(), name));
        let stop = stop.clone();
        servers.push(thread::spawn(move || server(socket, name, requests, stop)));
    }

    let start = Instant::now();
    let mut outcome = Ok(());
    let mut first = 0;
    for n in 1..=REQUESTS {
        match request(&ctx, &endpoints, &mut first, &format!("request {n}"))? {
            Some(reply) => println!("client: {reply}"),
            None => {
                outcome = Err("no server answered");
                break;
            }
        }
    }
    println!("{REQUESTS} requests in {} ms", start.elapsed().as_millis());
    stop.store(true, Ordering::Relaxed);
    for server in servers {
        server.join().expect("server thread")?;
    }
    Ok(outcome?)
}
