//! Guide chapter 4, service discovery ("mmiecho"): the Majordomo Management
//! Interface (ZeroMQ RFC 8) over the `majordomo` broker. A request to the
//! reserved service `mmi.service` asks whether a service has workers; the broker
//! answers it itself with "200" (yes) or "404" (no), and "501" for an `mmi.`
//! service it does not implement. The client checks before it sends real work.
//!
//! Run: `cargo run --example mmi_discovery`

#[path = "../majordomo/broker.rs"]
mod broker;
#[path = "../majordomo/client.rs"]
mod client;
#[path = "../majordomo/mdp.rs"]
mod mdp;
#[path = "../majordomo/worker.rs"]
mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let (broker, endpoint) = broker::Broker::bind(&ctx)?;
    let broker_stop = Arc::new(AtomicBool::new(false));
    let broker = {
        let stop = broker_stop.clone();
        thread::spawn(move || broker.run(&stop, Duration::from_secs(20)))
    };
    let worker_stop = Arc::new(AtomicBool::new(false));
    let echo = {
        let (ctx, endpoint, stop) = (ctx.clone(), endpoint.clone(), worker_stop.clone());
        thread::spawn(move || -> Result<(), zmq::Error> {
            let mut worker = worker::Worker::new(&ctx, &endpoint, "echo", "echo-1")?;
            while let Some(request) = worker.recv(&stop)? {
                worker.reply(request)?;
            }
            Ok(())
        })
    };

    let mut client = client::Client::new(&ctx, &endpoint, 1_000, 3)?;
    let mut ask = |service: &str, body: &str| -> Result<String, Box<dyn std::error::Error>> {
        let reply = client.send(service, vec![body.as_bytes().to_vec()])?;
        let reply = reply.ok_or("no reply from the broker")?;
        Ok(String::from_utf8_lossy(&reply.concat()).into_owned())
    };

    // The worker may not have said READY yet: ask until it has (bounded).
    let mut answer = ask("mmi.service", "echo")?;
    for _ in 0..50 {
        if answer == "200" {
            break;
        }
        thread::sleep(Duration::from_millis(20));
        answer = ask("mmi.service", "echo")?;
    }
    println!("mmi.service echo    -> {answer}");
    let missing = ask("mmi.service", "titanic")?;
    println!("mmi.service titanic -> {missing}");
    let unknown = ask("mmi.nonsense", "")?;
    println!("mmi.nonsense        -> {unknown}");
    let echoed = if answer == "200" {
        ask("echo", "hello")?
    } else {
        String::new()
    };
    println!("echo hello          -> {echoed}");

    worker_stop.store(true, Ordering::Relaxed);
    echo.join().expect("worker thread")?;
    thread::sleep(mdp::HEARTBEAT_INTERVAL);
    broker_stop.store(true, Ordering::Relaxed);
    broker.join().expect("broker thread")?;
    if (
        answer.as_str(),
        missing.as_str(),
        unknown.as_str(),
        echoed.as_str(),
    ) != ("200", "404", "501", "hello")
    {
        return Err("unexpected answers".into());
    }
    Ok(())
}
