//! Guide chapter 3, DEALER to REP: a DEALER client talks to two REP servers. A
//! REP expects the envelope REQ would have made, so the client sends the empty
//! delimiter frame before each body and finds it again in front of each reply.
//! Being a DEALER, the client sends all its requests at once (spread round-robin
//! over the two connections) and then collects the replies, which REQ cannot do.
//!
//! Run: `cargo run --example dealer_rep`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

const REQUESTS: usize = 6;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let stop = Arc::new(AtomicBool::new(false));
    let mut endpoints = Vec::new();
    let mut servers = Vec::new();
    for id in 1..=2 {
        let server = ctx.socket(zmq::REP)?;
        server.set_linger(0)?;
        server.set_rcvtimeo(100)?;
        server.bind("tcp://127.0.0.1:*")?;
        endpoints.push(server.get_last_endpoint()?.unwrap_or_default());
        let stop = stop.clone();
        servers.push(thread::spawn(move || -> Result<usize, zmq::Error> {
            let mut served = 0;
            while !stop.load(Ordering::Relaxed) {
                let request = match server.recv_string(0) {
                    Err(zmq::Error::EAGAIN) => continue,
                    other => other?.unwrap_or_default(),
                };
                server.send(format!("server {id} did {request}").as_str(), 0)?;
                served += 1;
            }
            Ok(served)
        }));
    }

    let client = ctx.socket(zmq::DEALER)?;
    client.set_linger(0)?;
    client.set_rcvtimeo(5_000)?;
    // connect() makes the outgoing queue at once, so the round-robin covers both
    // servers even before the tcp connections are up.
    for endpoint in &endpoints {
        client.connect(endpoint)?;
    }
    for n in 1..=REQUESTS {
        client.send_multipart(["", &format!("job {n}")], 0)?;
    }
    println!("client: {REQUESTS} requests sent without waiting");
    for _ in 0..REQUESTS {
        let frames = client.recv_multipart(0)?;
        match frames.as_slice() {
            [delimiter, body] if delimiter.is_empty() => {
                println!("client: {}", String::from_utf8_lossy(body))
            }
            _ => return Err("a reply without the empty delimiter".into()),
        }
    }
    stop.store(true, Ordering::Relaxed);
    for (id, server) in servers.into_iter().enumerate() {
        println!(
            "server {} served {}",
            id + 1,
            server.join().expect("server thread")?
        );
    }
    Ok(())
}
