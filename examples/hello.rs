//! Guide chapter 1, Hello World ("hwserver", "hwclient"): REQ to REP, a REP
//! server thread and a REQ client, over tcp on loopback.
//!
//! Run: `cargo run --release --example hello`

use std::thread;

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let (major, minor, patch) = zmq::version();
    println!(
        "libzmq {major}.{minor}.{patch} (curve: {}, draft: {})",
        zmq::has("curve").unwrap_or(false),
        zmq::has("draft").unwrap_or(false)
    );

    let server = ctx.socket(zmq::REP)?;
    server.set_linger(0)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.get_last_endpoint()?.unwrap_or_default();
    println!("server listening on {endpoint}");

    let handle = thread::spawn(move || -> Result<(), zmq::Error> {
        for _ in 0..3 {
            let request = server.recv_string(0)?.unwrap_or_default();
            server.send(format!("world (re: {request})").as_str(), 0)?;
        }
        Ok(())
    });

    let client = ctx.socket(zmq::REQ)?;
    client.set_linger(0)?;
    client.set_rcvtimeo(5_000)?;
    client.connect(&endpoint)?;
    for i in 1..=3 {
        client.send(format!("hello {i}").as_str(), 0)?;
        let reply = client.recv_string(0)?.unwrap_or_default();
        println!("client got: {reply}");
    }
    handle.join().expect("server thread")?;
    println!("3 round trips done");
    Ok(())
}
