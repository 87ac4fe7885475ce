//! Guide chapter 2, intermediaries and proxies ("wuproxy"): a weather publisher
//! on an "internal" network, subscribers on an "external" one, and between them
//! an XSUB/XPUB proxy (`zmq::proxy_steerable`) that forwards updates downstream
//! and subscriptions upstream, so the publisher only sends what someone wants.
//! A `TERMINATE` on the proxy's control socket stops it at the end.
//!
//! Run: `cargo run --example weather_proxy`

use std::thread;
use std::time::{Duration, Instant};

const UPDATES: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB)?;
    publisher.set_linger(0)?;
    publisher.bind("tcp://127.0.0.1:*")?;
    let internal = publisher.get_last_endpoint()?.unwrap_or_default();

    // The proxy: XSUB faces the publisher, XPUB faces the subscribers.
    let mut upstream = ctx.socket(zmq::XSUB)?;
    upstream.set_linger(0)?;
    upstream.connect(&internal)?;
    let mut downstream = ctx.socket(zmq::XPUB)?;
    downstream.set_linger(0)?;
    downstream.bind("tcp://127.0.0.1:*")?;
    let external = downstream.get_last_endpoint()?.unwrap_or_default();
    let control = ctx.socket(zmq::PAIR)?;
    control.set_linger(0)?;
    control.bind("inproc://weather-proxy-control")?;
    let proxy = {
        let ctx = ctx.clone();
        thread::spawn(move || -> Result<(), zmq::Error> {
            let mut control = ctx.socket(zmq::PAIR)?;
            control.set_linger(0)?;
            control.connect("inproc://weather-proxy-control")?;
            zmq::proxy_steerable(&mut upstream, &mut downstream, &mut control)
        })
    };

    let subscribers: Vec<_> = ["10001", "94107"]
        .into_iter()
        .map(|zip| {
            let (ctx, external) = (ctx.clone(), external.clone());
            thread::spawn(move || -> Result<(String, Vec<String>), zmq::Error> {
                let subscriber = ctx.socket(zmq::SUB)?;
                subscriber.set_rcvtimeo(5_000)?;
                subscriber.connect(&external)?;
                subscriber.set_subscribe(format!("{zip} ").as_bytes())?;
                let mut seen = Vec::new();
                while seen.len() < UPDATES {
                    seen.push(subscriber.recv_string(0)?.unwrap_or_default());
                }
                Ok((zip.to_owned(), seen))
            })
        })
        .collect();

    // Subscriptions travel subscriber -> XPUB -> XSUB -> PUB, so the first updates
    // are lost until they arrive: publish until both subscribers have enough.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut published = 0u64;
    while subscribers.iter().any(|s| !s.is_finished()) && Instant::now() < deadline {
        let zip = [10001, 94107, 60601][(published % 3) as usize];
        publisher.send(format!("{zip} {}F", 50 + published % 30).as_str(), 0)?;
        published += 1;
        if published % 10 == 0 {
            thread::sleep(Duration::from_millis(1));
        }
    }
    for subscriber in subscribers {
        let (zip, seen) = subscriber.join().expect("subscriber thread")?;
        let wrong = seen.iter().filter(|u| !u.starts_with(&zip)).count();
        println!(
            "subscriber {zip} got {} updates via the proxy ({wrong} for other zip codes), last: {}",
            seen.len(),
            seen.last().map(String::as_str).unwrap_or("-")
        );
    }
    control.send("TERMINATE", 0)?;
    proxy.join().expect("proxy thread")?;
    println!("published {published} updates; proxy terminated");
    Ok(())
}
