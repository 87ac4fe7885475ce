//! Guide chapter 2, handling errors and a kill signal ("taskvent", "taskwork2",
//! "tasksink2"): the ventilator PUSHes a batch of tasks (each a workload in
//! milliseconds) to three workers, which PUSH results to the sink. Once the sink
//! has every result it publishes `KILL` on a PUB socket; the workers poll their
//! task socket and a SUB control socket together, and exit when `KILL` comes.
//!
//! Run: `cargo run --example pipeline_kill`

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

const WORKERS: usize = 3;
const TASKS: usize = 30;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let ventilator = ctx.socket(zmq::PUSH)?;
    ventilator.set_linger(0)?;
    ventilator.bind("inproc://pipeline-tasks")?;
    let sink = ctx.socket(zmq::PULL)?;
    sink.set_rcvtimeo(5_000)?;
    sink.bind("inproc://pipeline-results")?;
    let controller = ctx.socket(zmq::PUB)?;
    controller.set_linger(0)?;
    controller.bind("inproc://pipeline-control")?;

    // Every worker is connected (and subscribed) before the first task leaves, or
    // the first one to connect would get the whole batch.
    let connected = Arc::new(Barrier::new(WORKERS + 1));
    let workers: Vec<_> = (1..=WORKERS)
        .map(|id| {
            let (ctx, connected) = (ctx.clone(), connected.clone());
            thread::spawn(move || -> Result<(), zmq::Error> {
                let tasks = ctx.socket(zmq::PULL)?;
                tasks.connect("inproc://pipeline-tasks")?;
                let results = ctx.socket(zmq::PUSH)?;
                results.set_linger(0)?;
                results.connect("inproc://pipeline-results")?;
                let control = ctx.socket(zmq::SUB)?;
                control.connect("inproc://pipeline-control")?;
                control.set_subscribe(b"")?;
                connected.wait();
                let deadline = Instant::now() + Duration::from_secs(10);
                while Instant::now() < deadline {
                    let mut items = [
                        tasks.as_poll_item(zmq::POLLIN),
                        control.as_poll_item(zmq::POLLIN),
                    ];
                    zmq::poll(&mut items, 100)?;
                    if items[0].is_readable() {
                        let workload = tasks.recv_string(0)?.unwrap_or_default();
                        thread::sleep(Duration::from_millis(workload.parse().unwrap_or(0)));
                        results.send(format!("{id}").as_str(), 0)?;
                    }
                    if items[1].is_readable() && control.recv_bytes(0)? == b"KILL" {
                        results.send(format!("bye from worker {id}").as_str(), 0)?;
                        return Ok(());
                    }
                }
                Err(zmq::Error::EAGAIN) // no KILL in time
            })
        })
        .collect();
    connected.wait();

    // The ventilator: first the start-of-batch signal to the sink, then the tasks.
    let start = Instant::now();
    let sink_input = ctx.socket(zmq::PUSH)?;
    sink_input.connect("inproc://pipeline-results")?;
    sink_input.send("0", 0)?;
    let mut expected_ms = 0;
    for n in 0..TASKS {
        let workload = 1 + (n * 7) % 10; // 1..10 ms, the same every run
        expected_ms += workload;
        ventilator.send(workload.to_string().as_str(), 0)?;
    }
    println!("ventilator: {TASKS} tasks, {expected_ms} ms of work in all");

    // The sink: the start signal, then one result per task.
    sink.recv_bytes(0)?;
    let mut per_worker = BTreeMap::new();
    for _ in 0..TASKS {
        let worker = sink.recv_string(0)?.unwrap_or_default();
        *per_worker.entry(worker).or_insert(0) += 1;
    }
    println!(
        "sink: all results in {} ms with {WORKERS} workers",
        start.elapsed().as_millis()
    );
    for (worker, count) in &per_worker {
        println!("  worker {worker} did {count} tasks");
    }

    // The kill signal. A PUB drops messages for a subscription still on its way,
    // so repeat KILL until every worker has said goodbye.
    let mut goodbyes = 0;
    let deadline = Instant::now() + Duration::from_secs(5);
    while goodbyes < WORKERS && Instant::now() < deadline {
        controller.send("KILL", 0)?;
        if sink.poll(zmq::POLLIN, 50)? > 0 {
            println!("sink: {}", sink.recv_string(0)?.unwrap_or_default());
            goodbyes += 1;
        }
    }
    for worker in workers {
        worker.join().expect("worker thread")?;
    }
    Ok(())
}
