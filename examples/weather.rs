//! Guide chapter 1, the weather station ("wuserver", "wuclient"): a PUB server
//! publishes updates for many zip codes; two SUB clients subscribe to one zip
//! code each (topic filters) and average them.
//!
//! Run: `cargo run --example weather`

use std::thread;

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB)?;
    publisher.set_linger(0)?;
    publisher.bind("tcp://127.0.0.1:*")?;
    let endpoint = publisher.get_last_endpoint()?.unwrap_or_default();

    let clients: Vec<_> = ["10001", "94107"]
        .into_iter()
        .map(|zip| {
            let ctx = ctx.clone();
            let endpoint = endpoint.clone();
            thread::spawn(move || -> Result<(String, f64), zmq::Error> {
                let subscriber = ctx.socket(zmq::SUB)?;
                subscriber.set_rcvtimeo(5_000)?;
                subscriber.connect(&endpoint)?;
                subscriber.set_subscribe(format!("{zip} ").as_bytes())?;
                let mut total = 0.0;
                for _ in 0..20 {
                    let update = subscriber.recv_string(0)?.unwrap_or_default();
                    let temperature: f64 = update
                        .split(' ')
                        .nth(1)
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(0.0);
                    total += temperature;
                }
                Ok((zip.to_owned(), total / 20.0))
            })
        })
        .collect();

    // Publish until both clients have their 20 updates (they join late, and
    // subscriptions take a moment to arrive).
    let mut n: u64 = 0;
    while clients.iter().any(|c| !c.is_finished()) {
        n += 1;
        let zip = [10001, 94107, 60601][(n % 3) as usize];
        let temperature = 15 + (n * 7 % 20) as i64;
        publisher.send(format!("{zip} {temperature} {}", 40 + n % 50).as_str(), 0)?;
        if n % 100 == 0 {
            thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    for client in clients {
        let (zip, average) = client.join().expect("client thread")?;
        println!("average temperature for zip code {zip}: {average:.1}F");
    }
    println!("published {n} updates");
    Ok(())
}
