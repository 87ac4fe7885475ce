//! Guide chapter 3, the load-balancing broker ("lbbroker"): workers announce
//! "READY" to a ROUTER backend; the broker hands each client request (from a
//! ROUTER frontend) to the least recently used idle worker, polling both sides
//! with a `zmq::Poller`.
//!
//! Run: `cargo run --example load_balancer`

use std::collections::VecDeque;
use std::thread;
use std::time::Duration;

const CLIENTS: usize = 4;
const WORKERS: usize = 2;

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let frontend = ctx.socket(zmq::ROUTER)?;
    frontend.bind("inproc://lb-frontend")?;
    let backend = ctx.socket(zmq::ROUTER)?;
    backend.bind("inproc://lb-backend")?;

    for id in 0..WORKERS {
        let ctx = ctx.clone();
        thread::spawn(move || -> Result<(), zmq::Error> {
            let worker = ctx.socket(zmq::REQ)?;
            worker.set_identity(format!("worker-{id}").as_bytes())?;
            worker.connect("inproc://lb-backend")?;
            worker.send("READY", 0)?;
            loop {
                // [client id, "", request]
                let mut frames = worker.recv_multipart(0)?;
                let request = frames.pop().unwrap_or_default();
                frames.push(
                    format!("{} done by worker-{id}", String::from_utf8_lossy(&request))
                        .into_bytes(),
                );
                worker.send_multipart(frames, 0)?;
            }
        });
    }
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let ctx = ctx.clone();
            thread::spawn(move || -> Result<String, zmq::Error> {
                let client = ctx.socket(zmq::REQ)?;
                client.set_rcvtimeo(5_000)?;
                client.connect("inproc://lb-frontend")?;
                client.send(format!("job of client {id}").as_str(), 0)?;
                Ok(client.recv_string(0)?.unwrap_or_default())
            })
        })
        .collect();

    let mut idle: VecDeque<Vec<u8>> = VecDeque::new();
    let mut answered = 0;
    let mut poller = zmq::Poller::new();
    poller.add(&backend, "backend", zmq::POLLIN)?;
    poller.add(&frontend, "frontend", zmq::POLLIN)?;
    while answered < CLIENTS {
        // Only take client requests while a worker is idle.
        poller.modify(
            &frontend,
            if idle.is_empty() {
                zmq::PollEvents::empty()
            } else {
                zmq::POLLIN
            },
        )?;
        let ready: Vec<&str> = poller
            .wait(Some(Duration::from_secs(5)))?
            .map(|(t, _)| *t)
            .collect();
        if ready.is_empty() {
            return Err(zmq::Error::EAGAIN);
        }
        if ready.contains(&"backend") {
            // [worker id, "", "READY"] or [worker id, "", client id, "", reply]
            let mut frames = backend.recv_multipart(0)?;
            idle.push_back(frames.remove(0));
            if frames.len() == 4 {
                frontend.send_multipart(frames.split_off(1), 0)?;
                answered += 1;
            }
        }
        if ready.contains(&"frontend") {
            if let Some(worker) = idle.pop_front() {
                let request = frontend.recv_multipart(0)?; // [client id, "", request]
                let mut frames = vec![worker, Vec::new()];
                frames.extend(request);
                backend.send_multipart(frames, 0)?;
            }
        }
    }
    for c in clients {
        println!("{}", c.join().expect("client thread")?);
    }
    Ok(())
}
