//! Guide chapter 4, service-oriented reliable queuing, the Majordomo pattern
//! ("mdbroker", "mdworker", "mdclient"), following the Majordomo Protocol
//! MDP/0.1 (ZeroMQ RFC 7): clients name a service ("echo", "upper") in each
//! request; the broker queues requests per service and hands them to that
//! service's idle workers; broker and workers heartbeat each other and forget a
//! silent peer. On a fixed schedule, worker echo-2 hangs after its first reply
//! (the broker expires it; a request that went to it is retried by the client),
//! a rogue worker breaks the protocol (the broker answers DISCONNECT), and at
//! the end the workers leave with DISCONNECT.
//!
//! The protocol and the three roles live in the files next to this one; the
//! `majordomo_async` and `mmi_discovery` examples reuse them.
//!
//! Run: `cargo run --example majordomo`

mod broker;
mod client;
mod mdp;
mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

const REQUESTS: usize = 8;

/// Runs a worker for `service` until `stop`. After `hang_after` replies it
/// hangs: connected, but reading and heartbeating no more, as a stuck process
/// would.
fn run_worker(
    ctx: zmq::Context,
    broker: String,
    service: &'static str,
    name: &'static str,
    hang_after: Option<usize>,
    stop: Arc<AtomicBool>,
) -> Result<usize, zmq::Error> {
    let mut worker = worker::Worker::new(&ctx, &broker, service, name)?;
    let mut served = 0;
    while let Some(request) = worker.recv(&stop)? {
        let reply = match service {
            "upper" => request.iter().map(|f| f.to_ascii_uppercase()).collect(),
            _ => request,
        };
        worker.reply(reply)?;
        served += 1;
        if hang_after == Some(served) {
            println!("{name}: simulating a hang");
            while !stop.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(20));
            }
            return Ok(served);
        }
    }
    Ok(served)
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
    let workers: Vec<_> = [
        ("echo", "echo-1", None),
        ("echo", "echo-2", Some(1)),
        ("upper", "upper-1", None),
    ]
    .into_iter()
    .map(|(service, name, hang_after)| {
        let (ctx, endpoint, stop) = (ctx.clone(), endpoint.clone(), workers_stop.clone());
        thread::spawn(move || run_worker(ctx, endpoint, service, name, hang_after, stop))
    })
    .collect();

    // A rogue worker: HEARTBEAT before READY breaks RFC 7, and earns a DISCONNECT.
    let rogue = ctx.socket(zmq::DEALER)?;
    rogue.set_linger(0)?;
    rogue.set_rcvtimeo(5_000)?;
    rogue.set_identity(b"rogue")?;
    rogue.connect(&endpoint)?;
    rogue.send_multipart([&b""[..], mdp::WORKER, &[mdp::HEARTBEAT]], 0)?;
    let answer = rogue.recv_multipart(0)?;
    println!(
        "rogue: the broker answered {}",
        mdp::command_name(answer.last().map(Vec::as_slice).unwrap_or_default())
    );

    let mut client = client::Client::new(&ctx, &endpoint, 500, 3)?;
    let mut outcome = Ok(());
    for n in 1..=REQUESTS {
        let service = if n % 2 == 1 { "echo" } else { "upper" };
        let body = format!("hello {n}");
        match client.send(service, vec![body.clone().into_bytes()])? {
            Some(reply) => {
                let reply = String::from_utf8_lossy(&reply.concat()).into_owned();
                println!("client: {service}({body:?}) = {reply:?}");
                let expected = if service == "upper" {
                    body.to_uppercase()
                } else {
                    body
                };
                if reply != expected {
                    outcome = Err("a wrong reply");
                }
            }
            None => {
                println!("client: {service} did not answer, giving up on it");
                outcome = Err("a request went unanswered");
            }
        }
    }

    workers_stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("worker thread")?;
    }
    thread::sleep(mdp::HEARTBEAT_INTERVAL); // let the broker read the DISCONNECTs
    broker_stop.store(true, Ordering::Relaxed);
    broker.join().expect("broker thread")?;
    outcome?;
    println!("{REQUESTS} requests served by 2 services");
    Ok(())
}
