//! Guide chapter 2, a message queuing broker ("msgqueue"): REQ clients talk to
//! a ROUTER frontend, REP workers to a DEALER backend, and `zmq::proxy` shuttles
//! the envelopes between them on its own thread ([`zmq::ProxyHandle`] stops it
//! at the end).
//!
//! Run: `cargo run --example broker`

use std::thread;

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let frontend = ctx.socket(zmq::ROUTER)?;
    frontend.bind("inproc://frontend")?;
    let backend = ctx.socket(zmq::DEALER)?;
    backend.bind("inproc://backend")?;
    let proxy = zmq::ProxyHandle::spawn(&ctx, frontend, backend, None)?;

    let workers: Vec<_> = (0..2)
        .map(|id| {
            let ctx = ctx.clone();
            thread::spawn(move || -> Result<u32, zmq::Error> {
                let worker = ctx.socket(zmq::REP)?;
                worker.set_rcvtimeo(500)?;
                worker.connect("inproc://backend")?;
                let mut served = 0;
                while let Ok(request) = worker.recv_string(0) {
                    worker.send(
                        format!("worker {id} answers {}", request.unwrap_or_default()).as_str(),
                        0,
                    )?;
                    served += 1;
                }
                Ok(served)
            })
        })
        .collect();

    let clients: Vec<_> = (0..3)
        .map(|id| {
            let ctx = ctx.clone();
            thread::spawn(move || -> Result<(), zmq::Error> {
                let client = ctx.socket(zmq::REQ)?;
                client.set_rcvtimeo(5_000)?;
                client.connect("inproc://frontend")?;
                for n in 0..4 {
                    client.send(format!("client {id} request {n}").as_str(), 0)?;
                    println!("{}", client.recv_string(0)?.unwrap_or_default());
                }
                Ok(())
            })
        })
        .collect();
    for c in clients {
        c.join().expect("client thread")?;
    }
    let stats = proxy.statistics()?;
    println!(
        "the broker forwarded {} requests and {} replies",
        stats.frontend.messages_received / 3,
        stats.backend.messages_received / 3
    );
    proxy.terminate()?;
    let served: u32 = workers
        .into_iter()
        .map(|w| w.join().expect("worker thread").unwrap_or(0))
        .sum();
    println!("workers served {served} requests");
    Ok(())
}
