//! Guide chapter 2, a multithreaded server ("mtserver"): a ROUTER socket takes
//! client connections over tcp, a DEALER socket hands the requests to a pool of
//! REP worker threads over inproc, and the main thread runs the proxy between the
//! two. Clients see one server; the work runs on three threads. When the
//! clients are done, `TERMINATE` on the proxy's control socket stops it.
//!
//! Run: `cargo run --example mt_server`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

const WORKERS: usize = 3;
const CLIENTS: usize = 2;
const REQUESTS: usize = 4;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let mut clients_side = ctx.socket(zmq::ROUTER)?;
    clients_side.set_linger(0)?;
    clients_side.bind("tcp://127.0.0.1:*")?;
    let endpoint = clients_side.get_last_endpoint()?.unwrap_or_default();
    let mut workers_side = ctx.socket(zmq::DEALER)?;
    workers_side.set_linger(0)?;
    workers_side.bind("inproc://mt-server-workers")?;
    let mut control = ctx.socket(zmq::PAIR)?;
    control.bind("inproc://mt-server-control")?;

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (1..=WORKERS)
        .map(|id| {
            let (ctx, stop) = (ctx.clone(), stop.clone());
            thread::spawn(move || -> Result<usize, zmq::Error> {
                let worker = ctx.socket(zmq::REP)?;
                worker.set_linger(0)?;
                worker.set_rcvtimeo(100)?;
                worker.connect("inproc://mt-server-workers")?;
                let mut served = 0;
                while !stop.load(Ordering::Relaxed) {
                    let request = match worker.recv_string(0) {
                        Err(zmq::Error::EAGAIN) => continue,
                        other => other?.unwrap_or_default(),
                    };
                    thread::sleep(Duration::from_millis(10)); // "work"
                    worker.send(format!("World (thread {id}, re: {request})").as_str(), 0)?;
                    served += 1;
                }
                Ok(served)
            })
        })
        .collect();

    let clients = {
        let ctx = ctx.clone();
        thread::spawn(
            move || -> Result<(zmq::Socket, Result<(), zmq::Error>), zmq::Error> {
                let handles: Vec<_> = (1..=CLIENTS)
                    .map(|id| {
                        let (ctx, endpoint) = (ctx.clone(), endpoint.clone());
                        thread::spawn(move || -> Result<(), zmq::Error> {
                            let client = ctx.socket(zmq::REQ)?;
                            client.set_linger(0)?;
                            client.set_rcvtimeo(5_000)?;
                            client.connect(&endpoint)?;
                            for n in 1..=REQUESTS {
                                client.send(format!("Hello {n} from client {id}").as_str(), 0)?;
                                println!(
                                    "client {id}: {}",
                                    client.recv_string(0)?.unwrap_or_default()
                                );
                            }
                            Ok(())
                        })
                    })
                    .collect();
                let mut outcome = Ok(());
                for handle in handles {
                    outcome = outcome.and(handle.join().expect("client thread"));
                }
                // Whatever happened, stop the proxy so main can finish. The proxy
                // may answer on the control socket, so keep it open until the proxy
                // has returned: main drops it after the join.
                let stopper = ctx.socket(zmq::PAIR)?;
                stopper.set_linger(0)?;
                stopper.connect("inproc://mt-server-control")?;
                stopper.send("TERMINATE", 0)?;
                Ok((stopper, outcome))
            },
        )
    };

    zmq::proxy_steerable(&mut clients_side, &mut workers_side, &mut control)?;
    println!("proxy terminated");
    let (_stopper, outcome) = clients.join().expect("clients thread")?;
    outcome?;
    stop.store(true, Ordering::Relaxed);
    for (id, worker) in workers.into_iter().enumerate() {
        println!(
            "worker thread {} served {}",
            id + 1,
            worker.join().expect("worker thread")?
        );
    }
    Ok(())
}
