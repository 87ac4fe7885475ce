//! Guide chapter 3, DEALER to ROUTER ("rtdealer"): the load-balancing boss of
//! `req_router`, now with DEALER workers. A DEALER adds no envelope of its own,
//! so each worker sends the empty delimiter frame itself, to look like a REQ to
//! the ROUTER, and strips it from each reply. Unlike REQ, a DEALER could also
//! send several requests without waiting.
//!
//! Run: `cargo run --example dealer_router`

use std::thread;
use std::time::Duration;

const WORKERS: usize = 3;
const TASKS: usize = 15;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let broker = ctx.socket(zmq::ROUTER)?;
    broker.set_linger(0)?;
    broker.set_rcvtimeo(5_000)?;
    broker.bind("tcp://127.0.0.1:*")?;
    let endpoint = broker.get_last_endpoint()?.unwrap_or_default();

    let workers: Vec<_> = (1..=WORKERS)
        .map(|id| {
            let (ctx, endpoint) = (ctx.clone(), endpoint.clone());
            thread::spawn(move || -> Result<usize, zmq::Error> {
                let worker = ctx.socket(zmq::DEALER)?;
                worker.set_linger(0)?;
                worker.set_rcvtimeo(5_000)?;
                worker.set_identity(format!("dealer-{id}").as_bytes())?;
                worker.connect(&endpoint)?;
                let mut done = 0;
                loop {
                    worker.send_multipart(["", "Hi Boss"], 0)?;
                    // The reply is ["", body]: the delimiter, then the content.
                    let frames = worker.recv_multipart(0)?;
                    if frames.last().map(Vec::as_slice) == Some(b"Fired!") {
                        return Ok(done);
                    }
                    thread::sleep(Duration::from_millis(1 + (done as u64 + id as u64) % 4));
                    done += 1;
                }
            })
        })
        .collect();

    let mut fired = 0;
    let mut handed_out = 0;
    while fired < WORKERS {
        // [worker address, "", "Hi Boss"]
        let frames = broker.recv_multipart(0)?;
        let address = frames.first().cloned().unwrap_or_default();
        let answer = if handed_out < TASKS {
            handed_out += 1;
            "Work harder"
        } else {
            fired += 1;
            "Fired!"
        };
        broker.send_multipart([address, Vec::new(), answer.as_bytes().to_vec()], 0)?;
    }
    for (id, worker) in workers.into_iter().enumerate() {
        println!(
            "dealer-{} completed {} tasks",
            id + 1,
            worker.join().expect("worker thread")?
        );
    }
    Ok(())
}
