//! Guide chapter 4, brokerless reliability, the Freelance pattern model two
//! ("flclient2", "flserver2"): the shotgun. The client's DEALER is connected to
//! every server and sends each request to all of them at once, tagged with a
//! sequence number; the first reply with the current number wins and the
//! others are dropped as stale. Dead or slow servers cost nothing but traffic:
//! here server A is down, B is slow and C is fast.
//!
//! Run: `cargo run --example freelance_shotgun`

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const REQUESTS: u32 = 5;
const REQUEST_TIMEOUT: Duration = Duration::from_millis(1_000);

/// A REP server: [sequence, body] in, [sequence, "OK from NAME"] out, after
/// `delay`.
fn server(
    socket: zmq::Socket,
    name: &'static str,
    delay: Duration,
    stop: Arc<AtomicBool>,
) -> Result<(), zmq::Error> {
    while !stop.load(Ordering::Relaxed) {
        let mut frames = match socket.recv_multipart(0) {
            Err(zmq::Error::EAGAIN) => continue,
            other => other?,
        };
        thread::sleep(delay);
        frames.truncate(1);
        frames.push(format!("OK from server {name}").into_bytes());
        socket.send_multipart(frames, 0)?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let stop = Arc::new(AtomicBool::new(false));
    let client = ctx.socket(zmq::DEALER)?;
    client.set_linger(0)?;

    // Server A is down: a port that was free a moment ago, with nobody on it.
    let probe = ctx.socket(zmq::REP)?;
    probe.bind("tcp://127.0.0.1:*")?;
    client.connect(&probe.get_last_endpoint()?.unwrap_or_default())?;
    drop(probe);

    let mut servers = Vec::new();
    for (name, delay_ms) in [("B", 10), ("C", 1)] {
        let socket = ctx.socket(zmq::REP)?;
        socket.set_linger(0)?;
        socket.set_rcvtimeo(100)?;
        socket.bind("tcp://127.0.0.1:*")?;
        client.connect(&socket.get_last_endpoint()?.unwrap_or_default())?;
        let stop = stop.clone();
        servers.push(thread::spawn(move || {
            server(socket, name, Duration::from_millis(delay_ms), stop)
        }));
    }
    let connections = 3;

    let mut stale = 0;
    let mut outcome = Ok(());
    for sequence in 1..=REQUESTS {
        // One copy per connection: the DEALER deals them out round-robin.
        let tag = sequence.to_string();
        for _ in 0..connections {
            client.send_multipart(["", tag.as_str(), "request"], 0)?;
        }
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        let mut answer = None;
        while answer.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || client.poll(zmq::POLLIN, left.as_millis() as i64)? == 0 {
                break;
            }
            // ["", sequence, reply]
            let frames = client.recv_multipart(0)?;
            match frames.as_slice() {
                [_, seq, reply] if *seq == tag.as_bytes() => {
                    answer = Some(String::from_utf8_lossy(reply).into_owned())
                }
                _ => stale += 1,
            }
        }
        match answer {
            Some(reply) => println!("client: request {sequence}: {reply}"),
            None => {
                outcome = Err("no server answered in time");
                break;
            }
        }
        thread::sleep(Duration::from_millis(20)); // the client's own work
    }
    println!("{stale} slower replies dropped as stale");
    stop.store(true, Ordering::Relaxed);
    for server in servers {
        server.join().expect("server thread")?;
    }
    Ok(outcome?)
}
