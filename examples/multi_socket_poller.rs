//! Guide chapter 2, reading from several sockets with `zmq_poll` ("mspoller"):
//! the same PULL (tasks) and SUB (weather) sockets as `multi_socket_reader`, but
//! one `zmq::poll` call sleeps until either is readable, so nothing spins and
//! nothing waits for a nap to end.
//!
//! Run: `cargo run --example multi_socket_poller`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const WANTED: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let tasks = ctx.socket(zmq::PULL)?;
    tasks.bind("tcp://127.0.0.1:*")?;
    let task_endpoint = tasks.get_last_endpoint()?.unwrap_or_default();
    let updates = ctx.socket(zmq::SUB)?;
    updates.bind("tcp://127.0.0.1:*")?;
    updates.set_subscribe(b"10001 ")?;
    let update_endpoint = updates.get_last_endpoint()?.unwrap_or_default();

    let done = Arc::new(AtomicBool::new(false));
    let ventilator = {
        let (ctx, done) = (ctx.clone(), done.clone());
        thread::spawn(move || -> Result<(), zmq::Error> {
            let push = ctx.socket(zmq::PUSH)?;
            push.set_linger(0)?;
            push.connect(&task_endpoint)?;
            for n in 0..WANTED {
                push.send(format!("task {n}").as_str(), 0)?;
                thread::sleep(Duration::from_millis(20));
            }
            while !done.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(5));
            }
            Ok(())
        })
    };
    let weather = {
        let (ctx, done) = (ctx.clone(), done.clone());
        thread::spawn(move || -> Result<(), zmq::Error> {
            let publisher = ctx.socket(zmq::PUB)?;
            publisher.set_linger(0)?;
            publisher.connect(&update_endpoint)?;
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut n = 0u32;
            while !done.load(Ordering::Relaxed) && Instant::now() < deadline {
                let zip = if n % 2 == 0 { 10001 } else { 20002 };
                publisher.send(format!("{zip} {}C", 10 + n % 15).as_str(), 0)?;
                n += 1;
                thread::sleep(Duration::from_millis(10));
            }
            Ok(())
        })
    };

    let (mut got_tasks, mut got_updates, mut wakeups) = (0, 0, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    while (got_tasks < WANTED || got_updates < WANTED) && Instant::now() < deadline {
        let mut items = [
            tasks.as_poll_item(zmq::POLLIN),
            updates.as_poll_item(zmq::POLLIN),
        ];
        // Sleep until a socket has a message, or 100 ms pass.
        if zmq::poll(&mut items, 100)? == 0 {
            continue;
        }
        wakeups += 1;
        if items[0].is_readable() {
            println!("task:    {}", tasks.recv_string(0)?.unwrap_or_default());
            got_tasks += 1;
        }
        if items[1].is_readable() {
            let update = updates.recv_string(0)?.unwrap_or_default();
            if got_updates < WANTED {
                println!("weather: {update}");
                got_updates += 1;
            }
        }
    }
    done.store(true, Ordering::Relaxed);
    ventilator.join().expect("ventilator thread")?;
    weather.join().expect("weather thread")?;
    println!("{got_tasks} tasks and {got_updates} updates in {wakeups} wake-ups");
    if got_tasks < WANTED || got_updates < WANTED {
        return Err("timed out before everything arrived".into());
    }
    Ok(())
}
