//! Guide chapter 3, REQ to ROUTER and the load-balancing pattern ("rtreq"): a
//! ROUTER "boss" serves several REQ workers. Each worker asks for work, the boss
//! replies to whichever worker asked first, least recently used first, by putting
//! that worker's address and the empty delimiter in front of the reply. After a
//! fixed number of tasks every worker is told it is fired.
//!
//! Run: `cargo run --example req_router`

use std::thread;
use std::time::Duration;

const WORKERS: usize = 4;
const TASKS: usize = 20;

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
                let worker = ctx.socket(zmq::REQ)?;
                worker.set_linger(0)?;
                worker.set_rcvtimeo(5_000)?;
                worker.set_identity(format!("worker-{id}").as_bytes())?;
                worker.connect(&endpoint)?;
                let mut done = 0;
                loop {
                    worker.send("Hi Boss", 0)?;
                    if worker.recv_bytes(0)? == b"Fired!" {
                        return Ok(done);
                    }
                    thread::sleep(Duration::from_millis(1 + (done as u64 * 3 + id as u64) % 5));
                    done += 1;
                }
            })
        })
        .collect();

    // Each request is [worker address, "", "Hi Boss"]; answer the same way.
    let mut fired = 0;
    let mut handed_out = 0;
    while fired < WORKERS {
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
            "worker-{} completed {} tasks",
            id + 1,
            worker.join().expect("worker thread")?
        );
    }
    Ok(())
}
