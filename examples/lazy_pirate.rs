//! Guide chapter 4, client-side reliability, the Lazy Pirate pattern
//! ("lpclient", "lpserver"): the client sends a request on a REQ socket and
//! polls for the reply with a timeout; on timeout it closes the socket, opens a
//! fresh one, and resends, up to three times before it gives up. The server
//! fails on purpose, on a fixed schedule so every run tells the same story: it
//! is overloaded once (answers too late), crashes and restarts once, and then
//! crashes for good, at which point the client abandons.
//!
//! Run: `cargo run --example lazy_pirate`

use std::thread;
use std::time::{Duration, Instant};

const REQUEST_TIMEOUT_MS: i64 = 300;
const RETRIES: u32 = 3;

/// What the server does with its `n`-th request.
enum Fate {
    Answer,
    /// Answer after sleeping longer than the client waits.
    Overload,
    /// Close the socket, stay down for a while, bind again.
    CrashAndRestart,
    /// Close the socket and stop.
    CrashForGood,
}

fn fate(n: u32) -> Fate {
    match n {
        3 => Fate::Overload,
        6 => Fate::CrashAndRestart,
        10 => Fate::CrashForGood,
        _ => Fate::Answer,
    }
}

fn bind_server(ctx: &zmq::Context, endpoint: &str) -> Result<zmq::Socket, zmq::Error> {
    let server = ctx.socket(zmq::REP)?;
    server.set_linger(0)?;
    server.set_rcvtimeo(100)?;
    // The port was ours a moment ago; give the OS a few tries to hand it back.
    let mut tries = 0;
    loop {
        match server.bind(endpoint) {
            Err(zmq::Error::EADDRINUSE) if tries < 20 => {
                tries += 1;
                thread::sleep(Duration::from_millis(50));
            }
            other => return other.map(|()| server),
        }
    }
}

fn server(ctx: zmq::Context, mut socket: zmq::Socket, endpoint: String) -> Result<(), zmq::Error> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut cycles = 0;
    while Instant::now() < deadline {
        let request = match socket.recv_string(0) {
            Err(zmq::Error::EAGAIN) => continue,
            other => other?.unwrap_or_default(),
        };
        cycles += 1;
        match fate(cycles) {
            Fate::Answer => {}
            Fate::Overload => {
                println!("server: overloaded, answering request {request} late");
                thread::sleep(Duration::from_millis(400));
            }
            Fate::CrashAndRestart => {
                println!("server: simulating a crash");
                drop(socket);
                thread::sleep(Duration::from_millis(400));
                socket = bind_server(&ctx, &endpoint)?;
                println!("server: restarted");
                continue;
            }
            Fate::CrashForGood => {
                println!("server: simulating a crash, for good this time");
                return Ok(());
            }
        }
        socket.send(request.as_str(), 0)?;
    }
    Ok(())
}

fn connect_client(ctx: &zmq::Context, endpoint: &str) -> Result<zmq::Socket, zmq::Error> {
    let client = ctx.socket(zmq::REQ)?;
    client.set_linger(0)?; // a request nobody took dies with the socket
    client.set_reconnect_ivl(50)?;
    client.connect(endpoint)?;
    Ok(client)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let socket = bind_server(&ctx, "tcp://127.0.0.1:*")?;
    let endpoint = socket.get_last_endpoint()?.unwrap_or_default();
    let server = {
        let (ctx, endpoint) = (ctx.clone(), endpoint.clone());
        thread::spawn(move || server(ctx, socket, endpoint))
    };

    let mut client = connect_client(&ctx, &endpoint)?;
    let (mut answered, mut retried) = (0, 0);
    let mut abandoned = false;
    for sequence in 1..=20u32 {
        let request = sequence.to_string();
        client.send(request.as_str(), 0)?;
        let mut retries_left = RETRIES;
        loop {
            if client.poll(zmq::POLLIN, REQUEST_TIMEOUT_MS)? > 0 {
                let reply = client.recv_string(0)?.unwrap_or_default();
                if reply == request {
                    println!("client: server replied OK ({reply})");
                    answered += 1;
                    break;
                }
                println!("client: malformed reply from server: {reply}");
                continue;
            }
            retries_left -= 1;
            if retries_left == 0 {
                println!("client: server seems to be offline, abandoning");
                abandoned = true;
                break;
            }
            // The REQ socket is stuck waiting for a reply: throw it away.
            println!("client: no response from server, retrying");
            retried += 1;
            client = connect_client(&ctx, &endpoint)?;
            client.send(request.as_str(), 0)?;
        }
        if abandoned {
            break;
        }
    }
    server.join().expect("server thread")?;
    println!("{answered} requests answered, {retried} retries, abandoned: {abandoned}");
    // Late answer, restart and final crash each cost the client a retry or more.
    if !abandoned || retried < 3 {
        return Err("the client did not see the story the server played".into());
    }
    Ok(())
}
