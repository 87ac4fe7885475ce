//! Guide chapter 2, node coordination with a synchronised publisher ("syncpub",
//! "syncsub"): the publisher knows it expects three subscribers and does not
//! start until each has signalled readiness on a REQ/REP socket, so none of them
//! misses the start of the stream. A PUB drops what it sends before a
//! subscription arrives, so a subscriber first waits until its subscription is
//! live (it sees a `WARMUP` message) and only then sends its "ready" request.
//! Every subscriber then gets all updates, checked by count.
//!
//! Run: `cargo run --example sync_pub`

use std::thread;
use std::time::{Duration, Instant};

const SUBSCRIBERS: usize = 3;
const UPDATES: usize = 1_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB)?;
    publisher.set_linger(0)?;
    publisher.set_sndhwm(0)?; // no high-water mark: no update is dropped
    publisher.bind("tcp://127.0.0.1:*")?;
    let pub_endpoint = publisher.get_last_endpoint()?.unwrap_or_default();
    let sync = ctx.socket(zmq::REP)?;
    sync.set_linger(0)?;
    sync.bind("tcp://127.0.0.1:*")?;
    let sync_endpoint = sync.get_last_endpoint()?.unwrap_or_default();

    let subscribers: Vec<_> = (1..=SUBSCRIBERS)
        .map(|id| {
            let (ctx, pub_endpoint, sync_endpoint) =
                (ctx.clone(), pub_endpoint.clone(), sync_endpoint.clone());
            thread::spawn(move || -> Result<usize, zmq::Error> {
                let subscriber = ctx.socket(zmq::SUB)?;
                subscriber.set_rcvhwm(0)?;
                subscriber.set_rcvtimeo(5_000)?;
                subscriber.connect(&pub_endpoint)?;
                subscriber.set_subscribe(b"")?;
                while subscriber.recv_bytes(0)? != b"WARMUP" {}
                let ready = ctx.socket(zmq::REQ)?;
                ready.set_linger(0)?;
                ready.set_rcvtimeo(5_000)?;
                ready.connect(&sync_endpoint)?;
                ready.send(format!("subscriber {id} ready").as_str(), 0)?;
                ready.recv_bytes(0)?;
                let mut updates = 0;
                loop {
                    match subscriber.recv_bytes(0)?.as_slice() {
                        b"END" => return Ok(updates),
                        b"WARMUP" => {} // still in flight from before the start
                        _ => updates += 1,
                    }
                }
            })
        })
        .collect();

    // Until everyone is ready: keep warm-up messages flowing, answer each "ready".
    let mut ready = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while ready < SUBSCRIBERS {
        if Instant::now() > deadline {
            return Err("the subscribers did not all become ready".into());
        }
        publisher.send("WARMUP", 0)?;
        if sync.poll(zmq::POLLIN, 10)? > 0 {
            println!("publisher: {}", sync.recv_string(0)?.unwrap_or_default());
            sync.send("", 0)?;
            ready += 1;
        }
    }
    println!("publisher: all {SUBSCRIBERS} subscribers ready, broadcasting {UPDATES} updates");
    for n in 0..UPDATES {
        publisher.send(format!("update {n}").as_str(), 0)?;
    }
    publisher.send("END", 0)?;
    for (id, subscriber) in subscribers.into_iter().enumerate() {
        let got = subscriber.join().expect("subscriber thread")?;
        println!("subscriber {} received {got} updates", id + 1);
        if got != UPDATES {
            return Err(format!("subscriber {} missed updates", id + 1).into());
        }
    }
    Ok(())
}
