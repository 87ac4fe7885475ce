//! Guide chapter 1, divide and conquer ("taskvent", "taskwork", "tasksink"):
//! a parallel pipeline. A ventilator PUSHes tasks to three workers, which PUSH
//! their results to a sink; the sink tells how the work was spread. Workers
//! stop when no task has come for a while.
//!
//! Run: `cargo run --example pipeline`

use std::collections::BTreeMap;
use std::thread;

const TASKS: u32 = 60;

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let ventilator = ctx.socket(zmq::PUSH)?;
    ventilator.bind("inproc://tasks")?;
    let sink = ctx.socket(zmq::PULL)?;
    sink.set_rcvtimeo(5_000)?;
    sink.bind("inproc://results")?;

    let workers: Vec<_> = (0..3)
        .map(|id| {
            let ctx = ctx.clone();
            thread::spawn(move || -> Result<(), zmq::Error> {
                let tasks = ctx.socket(zmq::PULL)?;
                tasks.set_rcvtimeo(300)?; // no task for 300 ms: the work is done
                tasks.connect("inproc://tasks")?;
                let results = ctx.socket(zmq::PUSH)?;
                results.connect("inproc://results")?;
                results.send_multipart([vec![id], b"ready".to_vec()], 0)?;
                loop {
                    let task = match tasks.recv_bytes(0) {
                        Err(zmq::Error::EAGAIN) => return Ok(()),
                        other => other?,
                    };
                    let n = u32::from_le_bytes(task[..4].try_into().unwrap_or_default());
                    results.send_multipart([vec![id], (n * n).to_le_bytes().to_vec()], 0)?;
                }
            })
        })
        .collect();

    // Wait for every worker, or the first one would get all the work.
    for _ in 0..3 {
        sink.recv_multipart(0)?;
    }
    for n in 0..TASKS {
        ventilator.send(n.to_le_bytes().to_vec(), 0)?;
    }
    let mut per_worker = BTreeMap::new();
    let mut sum: u64 = 0;
    for _ in 0..TASKS {
        let frames = sink.recv_multipart(0)?;
        *per_worker.entry(frames[0][0]).or_insert(0) += 1;
        sum += u64::from(u32::from_le_bytes(
            frames[1][..4].try_into().unwrap_or_default(),
        ));
    }
    for w in workers {
        w.join().expect("worker thread")?;
    }
    println!("sum of squares of 0..{TASKS}: {sum}");
    for (worker, count) in per_worker {
        println!("worker {worker} did {count} tasks");
    }
    Ok(())
}
