//! Guide chapter 2, signalling between threads with PAIR sockets ("mtrelay"):
//! three steps run on three threads; each step binds an inproc PAIR socket, starts
//! the step before it, and waits for that step's "ready" signal before it passes
//! its own signal on. PAIR over inproc is the tight, one-to-one link that makes
//! such a relay reliable.
//!
//! Run: `cargo run --example mt_relay`

use std::thread;

/// Runs step `n`: starts step `n - 1` (if any), waits for its signal, then tells
/// step `n + 1` it is ready.
fn step(ctx: zmq::Context, n: u32) -> Result<(), zmq::Error> {
    if n > 1 {
        // Bind before starting the step before, so its connect finds us.
        let receiver = ctx.socket(zmq::PAIR)?;
        receiver.set_rcvtimeo(5_000)?;
        receiver.bind(&format!("inproc://relay-step{n}"))?;
        let earlier = {
            let ctx = ctx.clone();
            thread::spawn(move || step(ctx, n - 1))
        };
        let signal = receiver.recv_string(0)?.unwrap_or_default();
        println!("step {n}: got \"{signal}\"");
        earlier.join().expect("step thread")?;
    } else {
        println!("step 1: working");
    }
    if n < 3 {
        let sender = ctx.socket(zmq::PAIR)?;
        sender.connect(&format!("inproc://relay-step{}", n + 1))?;
        println!("step {n}: ready, signalling step {}", n + 1);
        sender.send(format!("step {n} ready").as_str(), 0)?;
    }
    Ok(())
}

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    step(ctx, 3)?;
    println!("test successful: all three steps ran in order");
    Ok(())
}
