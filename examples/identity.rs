//! Guide chapter 3, identities and addresses ("identity"): a ROUTER socket
//! prints every frame it receives from two REQ peers. The anonymous peer gets a
//! routing id made up by the ROUTER (5 bytes: a zero, then a 32-bit number);
//! the other sets its own id ("PEER2") before connecting, and the ROUTER shows
//! that instead.
//! Either way the id is the first frame, then the empty delimiter REQ adds, then
//! the body.
//!
//! Run: `cargo run --example identity`

/// Prints one frame: text as text, anything else as hex.
fn show(frame: &[u8]) -> String {
    match std::str::from_utf8(frame) {
        Ok(text) if frame.iter().all(|b| b.is_ascii_graphic() || *b == b' ') => {
            format!("[{:03}] {text}", frame.len())
        }
        _ => {
            let hex: String = frame.iter().map(|b| format!("{b:02X}")).collect();
            format!("[{:03}] 0x{hex}", frame.len())
        }
    }
}

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();
    let sink = ctx.socket(zmq::ROUTER)?;
    sink.set_rcvtimeo(5_000)?;
    sink.bind("inproc://identity-example")?;

    let anonymous = ctx.socket(zmq::REQ)?;
    anonymous.connect("inproc://identity-example")?;
    anonymous.send("ROUTER uses a generated 5 byte identity", 0)?;
    println!("from the anonymous peer:");
    for frame in sink.recv_multipart(0)? {
        println!("  {}", show(&frame));
    }

    let named = ctx.socket(zmq::REQ)?;
    named.set_identity(b"PEER2")?;
    named.connect("inproc://identity-example")?;
    named.send("ROUTER socket uses REQ's socket identity", 0)?;
    println!("from the named peer:");
    for frame in sink.recv_multipart(0)? {
        println!("  {}", show(&frame));
    }
    Ok(())
}
