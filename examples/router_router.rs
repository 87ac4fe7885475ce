//! Guide chapter 3, ROUTER to ROUTER: two peers that each address the other by
//! routing id, with no REQ or DEALER in between. A ROUTER can only send to a
//! peer whose id it knows, so node B connects with `ZMQ_PROBE_ROUTER`, which
//! sends an empty message at once: node A learns B's id from it and can speak
//! first. Node A also sets `ZMQ_ROUTER_MANDATORY`, so a message to an unknown id
//! fails with `EHOSTUNREACH` instead of vanishing.
//!
//! Run: `cargo run --example router_router`

fn text(frame: &[u8]) -> String {
    String::from_utf8_lossy(frame).into_owned()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new();
    let node_a = ctx.socket(zmq::ROUTER)?;
    node_a.set_linger(0)?;
    node_a.set_rcvtimeo(5_000)?;
    node_a.set_identity(b"node-A")?;
    node_a.set_router_mandatory(true)?;
    node_a.bind("tcp://127.0.0.1:*")?;
    let endpoint = node_a.get_last_endpoint()?.unwrap_or_default();

    let node_b = ctx.socket(zmq::ROUTER)?;
    node_b.set_linger(0)?;
    node_b.set_rcvtimeo(5_000)?;
    node_b.set_identity(b"node-B")?;
    node_b.set_probe_router(true)?;
    node_b.connect(&endpoint)?;

    // The probe: [B's id, empty frame].
    let probe = node_a.recv_multipart(0)?;
    let peer = probe.first().cloned().unwrap_or_default();
    println!(
        "node-A: probe from {:?} ({} frames)",
        text(&peer),
        probe.len()
    );

    node_a.send_multipart([peer.clone(), b"welcome".to_vec()], 0)?;
    let frames = node_b.recv_multipart(0)?;
    println!("node-B: {:?} says {:?}", text(&frames[0]), text(&frames[1]));

    // Node B knows node A's id from the handshake, so it can answer by name.
    node_b.send_multipart(["node-A", "thanks"], 0)?;
    let frames = node_a.recv_multipart(0)?;
    println!("node-A: {:?} says {:?}", text(&frames[0]), text(&frames[1]));

    match node_a.send_multipart(["node-C", "anyone there?"], 0) {
        Err(zmq::Error::EHOSTUNREACH) => println!("node-A: node-C is unknown (EHOSTUNREACH)"),
        other => return Err(format!("expected EHOSTUNREACH, got {other:?}").into()),
    }
    Ok(())
}
