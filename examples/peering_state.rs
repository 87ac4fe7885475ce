//! Guide chapter 3, inter-broker routing, the state flow prototype
//! ("peering1"): three brokers form a cluster. Each publishes its number of idle
//! workers on a PUB socket as [broker name, count] every 50 ms, and subscribes to the two
//! others, so each knows its peers' capacity without asking. Updates are
//! fire-and-forget: a missed one is soon replaced by the next.
//!
//! Run: `cargo run --example peering_state`

use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

const BROKERS: [&str; 3] = ["DC1", "DC2", "DC3"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    // Bind every state publisher first, so every broker knows where its peers are.
    let mut publishers = Vec::new();
    let mut endpoints = Vec::new();
    for _ in BROKERS {
        let publisher = ctx.socket(zmq::PUB)?;
        publisher.set_linger(0)?;
        publisher.bind("tcp://127.0.0.1:*")?;
        endpoints.push(publisher.get_last_endpoint()?.unwrap_or_default());
        publishers.push(publisher);
    }

    let brokers: Vec<_> = publishers
        .into_iter()
        .enumerate()
        .map(|(me, publisher)| {
            let (ctx, endpoints) = (ctx.clone(), endpoints.clone());
            thread::spawn(
                move || -> Result<(usize, BTreeMap<String, u32>), zmq::Error> {
                    let peers = ctx.socket(zmq::SUB)?;
                    peers.set_subscribe(b"")?;
                    for (other, endpoint) in endpoints.iter().enumerate() {
                        if other != me {
                            peers.connect(endpoint)?;
                        }
                    }
                    let mut heard = BTreeMap::new();
                    let mut updates = 0;
                    let mut tick = 0u32;
                    let mut next_update = Instant::now();
                    let end = Instant::now() + Duration::from_millis(600);
                    while Instant::now() < end {
                        if Instant::now() >= next_update {
                            tick += 1;
                            let idle = (tick * 7 + me as u32 * 3) % 10; // our made-up capacity
                            publisher.send_multipart([BROKERS[me], &idle.to_string()], 0)?;
                            next_update += Duration::from_millis(50);
                        }
                        // Listen to the peers until our next update is due.
                        let wait = next_update.saturating_duration_since(Instant::now());
                        if peers.poll(zmq::POLLIN, wait.as_millis() as i64)? > 0 {
                            let frames = peers.recv_multipart(0)?;
                            if let [name, count] = frames.as_slice() {
                                let count = String::from_utf8_lossy(count).parse().unwrap_or(0);
                                heard.insert(String::from_utf8_lossy(name).into_owned(), count);
                                updates += 1;
                            }
                        }
                    }
                    Ok((updates, heard))
                },
            )
        })
        .collect();

    for (me, broker) in brokers.into_iter().enumerate() {
        let (updates, heard) = broker.join().expect("broker thread")?;
        let view: Vec<String> = heard
            .iter()
            .map(|(name, n)| format!("{name} has {n} idle"))
            .collect();
        println!(
            "{}: {updates} state updates; last heard: {}",
            BROKERS[me],
            view.join(", ")
        );
        if heard.len() != BROKERS.len() - 1 {
            return Err(format!("{} did not hear from every peer", BROKERS[me]).into());
        }
    }
    Ok(())
}
