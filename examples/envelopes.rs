//! Guide chapter 3, the request-reply envelopes of ROUTER and DEALER: a DEALER
//! sends [address, "", body] through a ROUTER, which sees the sender's routing
//! id as an extra first frame; the reply goes back by that id. Shows
//! `Multipart`, `send_multipart` and message properties.
//!
//! Run: `cargo run --example envelopes`

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let router = ctx.socket(zmq::ROUTER)?;
    router.set_rcvtimeo(5_000)?;
    router.bind("tcp://127.0.0.1:*")?;
    let endpoint = router.get_last_endpoint()?.unwrap_or_default();

    let dealer = ctx.socket(zmq::DEALER)?;
    dealer.set_identity(b"dealer-A")?;
    dealer.set_rcvtimeo(5_000)?;
    dealer.connect(&endpoint)?;

    let mut envelope = zmq::Multipart::new();
    envelope.push("order-service");
    envelope.push("");
    envelope.push("buy 3 widgets");
    dealer.send(envelope, 0)?;

    let mut received = zmq::Multipart::new();
    router.recv_multipart_msg(&mut received, 0)?;
    for (i, frame) in received.iter().enumerate() {
        println!("frame {i}: {:?}", String::from_utf8_lossy(frame));
    }
    let body = received.back().expect("a body frame");
    println!(
        "sent by a {} peer at {}",
        body.property("Socket-Type").unwrap_or("?"),
        body.property("Peer-Address").unwrap_or("?")
    );

    let reply: zmq::Multipart = vec![
        received[0].to_vec(),
        Vec::new(),
        b"3 widgets shipped".to_vec(),
    ]
    .into();
    router.send(reply, 0)?;
    let answer = dealer.recv_multipart(0)?;
    println!("dealer got back: {:?}", String::from_utf8_lossy(&answer[1]));
    Ok(())
}
