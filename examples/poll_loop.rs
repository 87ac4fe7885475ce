//! Guide chapter 2, handling multiple sockets, with the newer API: a poll loop
//! over several sockets and a timer. One thread serves a PULL socket and a SUB
//! socket with `zmq::Poller`, and `zmq::Timers` ticks in between.
//!
//! Run: `cargo run --example poll_loop`

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let tasks = ctx.socket(zmq::PULL)?;
    tasks.bind("inproc://poll-tasks")?;
    let updates = ctx.socket(zmq::SUB)?;
    updates.set_subscribe(b"")?;
    updates.bind("inproc://poll-updates")?;

    let producer = {
        let ctx = ctx.clone();
        std::thread::spawn(move || -> Result<(), zmq::Error> {
            let push = ctx.socket(zmq::PUSH)?;
            push.connect("inproc://poll-tasks")?;
            let publisher = ctx.socket(zmq::PUB)?;
            publisher.connect("inproc://poll-updates")?;
            std::thread::sleep(Duration::from_millis(50)); // let the subscription arrive
            for i in 0..5 {
                push.send(format!("task {i}").as_str(), 0)?;
                publisher.send(format!("update {i}").as_str(), 0)?;
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(())
        })
    };

    let ticks = Rc::new(Cell::new(0));
    let mut timers = zmq::Timers::new()?;
    let counter = ticks.clone();
    timers.add(Duration::from_millis(15), move |_| {
        counter.set(counter.get() + 1)
    })?;

    let mut poller = zmq::Poller::new();
    poller.add(&tasks, "task", zmq::POLLIN)?;
    poller.add(&updates, "update", zmq::POLLIN)?;
    let (mut got_tasks, mut got_updates) = (0, 0);
    while got_tasks < 5 || got_updates < 5 {
        let timeout = timers.timeout().unwrap_or(Duration::from_millis(100));
        let ready: Vec<&str> = poller.wait(Some(timeout))?.map(|(t, _)| *t).collect();
        for which in ready {
            let socket = if which == "task" { &tasks } else { &updates };
            let text = socket.recv_string(0)?.unwrap_or_default();
            println!("{which:>6}: {text}");
            if which == "task" {
                got_tasks += 1;
            } else {
                got_updates += 1;
            }
        }
        timers.execute()?;
    }
    producer.join().expect("producer thread")?;
    println!(
        "{got_tasks} tasks, {got_updates} updates, {} timer ticks",
        ticks.get()
    );
    Ok(())
}
