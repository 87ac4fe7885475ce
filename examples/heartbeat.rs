//! Guide chapter 4, heartbeating: two peers on a DEALER-DEALER connection each
//! send a HEARTBEAT every interval when they have nothing else to say, and treat
//! any message from the other as proof of life. A peer that hears nothing for
//! LIVENESS intervals declares the other dead, and alive again when traffic
//! resumes. Peer B sends some data, then hangs for a while (a stuck process keeps
//! its connection open, so only heartbeats can tell), then recovers. The same
//! sockets also ask libzmq for ZMTP-level heartbeats (`ZMQ_HEARTBEAT_IVL` and
//! `ZMQ_HEARTBEAT_TIMEOUT`), which check the connection itself, not the peer
//! application.
//!
//! Run: `cargo run --example heartbeat`

use std::thread;
use std::time::{Duration, Instant};

const INTERVAL: Duration = Duration::from_millis(100);
const LIVENESS: u32 = 3;
const HEARTBEAT: &[u8] = b"HEARTBEAT";

fn configure(socket: &zmq::Socket) -> Result<(), zmq::Error> {
    socket.set_linger(0)?;
    socket.set_heartbeat_ivl(INTERVAL.as_millis() as i32)?;
    socket.set_heartbeat_timeout((INTERVAL * LIVENESS).as_millis() as i32)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let peer_a = ctx.socket(zmq::DEALER)?;
    configure(&peer_a)?;
    peer_a.bind("tcp://127.0.0.1:*")?;
    let endpoint = peer_a.get_last_endpoint()?.unwrap_or_default();

    // Peer B: data for 300 ms, heartbeats until 500 ms, then 500 ms of silence
    // (hung), then heartbeats again.
    let peer_b = {
        let ctx = ctx.clone();
        thread::spawn(move || -> Result<(), zmq::Error> {
            let socket = ctx.socket(zmq::DEALER)?;
            configure(&socket)?;
            socket.connect(&endpoint)?;
            let start = Instant::now();
            let mut hung = false;
            while start.elapsed() < Duration::from_millis(1_300) {
                let t = start.elapsed();
                if t < Duration::from_millis(300) {
                    socket.send(format!("data at {} ms", t.as_millis()).as_str(), 0)?;
                } else if t >= Duration::from_millis(500) && !hung {
                    hung = true;
                    println!("B: hanging for 500 ms");
                    thread::sleep(Duration::from_millis(500));
                    println!("B: recovered");
                    continue;
                } else {
                    socket.send(HEARTBEAT, 0)?;
                }
                // Drain A's heartbeats: B does not need them to show the point.
                while socket.recv_bytes(zmq::DONTWAIT).is_ok() {}
                thread::sleep(INTERVAL);
            }
            Ok(())
        })
    };

    // Peer A: a heartbeat out every interval; liveness down on every interval
    // that brought nothing from B.
    let mut liveness = LIVENESS;
    let mut peer_alive = true;
    let mut heard = false;
    let (mut data, mut heartbeats, mut deaths, mut recoveries) = (0, 0, 0, 0);
    let mut heartbeat_at = Instant::now() + INTERVAL;
    let start = Instant::now();
    while !peer_b.is_finished() && start.elapsed() < Duration::from_secs(10) {
        let wait = heartbeat_at.saturating_duration_since(Instant::now());
        if peer_a.poll(zmq::POLLIN, wait.as_millis() as i64)? > 0 {
            if peer_a.recv_bytes(0)? == HEARTBEAT {
                heartbeats += 1;
            } else {
                data += 1;
            }
            heard = true;
            liveness = LIVENESS;
            if !peer_alive {
                peer_alive = true;
                recoveries += 1;
                println!("A: B is alive again ({} ms)", start.elapsed().as_millis());
            }
        }
        if Instant::now() < heartbeat_at {
            continue;
        }
        heartbeat_at += INTERVAL;
        // Never block on a heartbeat: with B gone (its socket closed at the end),
        // A's DEALER has no connection to queue it on.
        match peer_a.send(HEARTBEAT, zmq::DONTWAIT) {
            Ok(()) | Err(zmq::Error::EAGAIN) => {}
            Err(e) => return Err(e.into()),
        }
        if !std::mem::take(&mut heard) && peer_alive {
            liveness -= 1;
            if liveness == 0 {
                peer_alive = false;
                deaths += 1;
                println!(
                    "A: no word from B for {LIVENESS} intervals: B is dead ({} ms)",
                    start.elapsed().as_millis()
                );
            }
        }
    }
    peer_b.join().expect("peer B thread")?;
    println!("A heard {data} data messages and {heartbeats} heartbeats from B");
    if deaths == 0 || recoveries == 0 {
        return Err("A should have seen B die and come back".into());
    }
    Ok(())
}
