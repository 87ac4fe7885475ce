//! Guide chapter 3, DEALER to DEALER: both ends asynchronous, no envelope and no
//! lock-step. The client sends three requests in a row; the server answers each
//! with two messages (an acknowledgement, then the result) and closes with an
//! unsolicited "bye". Neither side waits for the other unless it wants to, so
//! the protocol on top is entirely the application's.
//!
//! Run: `cargo run --example dealer_dealer`

use std::thread;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::DEALER)?;
    server.set_linger(0)?;
    server.set_rcvtimeo(5_000)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.get_last_endpoint()?.unwrap_or_default();

    let server = thread::spawn(move || -> Result<(), zmq::Error> {
        for _ in 0..3 {
            let request = server.recv_string(0)?.unwrap_or_default();
            server.send(format!("ack {request}").as_str(), 0)?;
            let number: u64 = request.trim_start_matches("square ").parse().unwrap_or(0);
            server.send(format!("{number}^2 = {}", number * number).as_str(), 0)?;
        }
        server.send("bye", 0)?;
        Ok(())
    });

    let client = ctx.socket(zmq::DEALER)?;
    client.set_linger(0)?;
    client.set_rcvtimeo(5_000)?;
    client.connect(&endpoint)?;
    for number in [3, 7, 12] {
        client.send(format!("square {number}").as_str(), 0)?;
    }
    let mut received = 0;
    loop {
        let message = client.recv_string(0)?.unwrap_or_default();
        println!("client got: {message}");
        received += 1;
        if message == "bye" {
            break;
        }
    }
    server.join().expect("server thread")?;
    println!("3 requests, {received} messages back");
    Ok(())
}
