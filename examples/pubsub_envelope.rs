//! Guide chapter 2, pub-sub message envelopes ("psenvpub", "psenvsub"): the
//! publisher sends each update as two frames, a topic key and the body. The
//! subscriber filters on the key frame only (subscribed to "B", never "A"), so a
//! body can hold anything without ever matching a filter by accident.
//!
//! Run: `cargo run --example pubsub_envelope`

use std::thread;
use std::time::{Duration, Instant};

const WANTED: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB)?;
    publisher.set_linger(0)?;
    publisher.bind("tcp://127.0.0.1:*")?;
    let endpoint = publisher.get_last_endpoint()?.unwrap_or_default();

    let subscriber = {
        let ctx = ctx.clone();
        thread::spawn(move || -> Result<Vec<(String, String)>, zmq::Error> {
            let subscriber = ctx.socket(zmq::SUB)?;
            subscriber.set_rcvtimeo(5_000)?;
            subscriber.connect(&endpoint)?;
            subscriber.set_subscribe(b"B")?;
            let mut received = Vec::new();
            while received.len() < WANTED {
                let frames = subscriber.recv_multipart(0)?;
                let [key, body] =
                    <[Vec<u8>; 2]>::try_from(frames).map_err(|_| zmq::Error::EPROTO)?;
                let (key, body) = (
                    String::from_utf8_lossy(&key),
                    String::from_utf8_lossy(&body),
                );
                println!("[{key}] {body}");
                received.push((key.into_owned(), body.into_owned()));
            }
            Ok(received)
        })
    };

    // Publish until the subscriber has what it wants (it joins a little late).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !subscriber.is_finished() && Instant::now() < deadline {
        publisher.send_multipart(["A", "We don't want to see this"], 0)?;
        publisher.send_multipart(["B", "We would like to see this"], 0)?;
        thread::sleep(Duration::from_millis(10));
    }
    let received = subscriber.join().expect("subscriber thread")?;
    if received.iter().any(|(key, _)| key != "B") {
        return Err("the subscriber got a topic it did not subscribe to".into());
    }
    println!("{} updates, every one under topic B", received.len());
    Ok(())
}
