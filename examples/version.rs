//! Guide chapter 1, version reporting: which libzmq this program runs on, and
//! which optional transports and security mechanisms that libzmq was built with.
//!
//! Run: `cargo run --example version`

fn main() {
    let (major, minor, patch) = zmq::version();
    println!("libzmq {major}.{minor}.{patch}");
    for capability in ["ipc", "pgm", "tipc", "norm", "curve", "gssapi", "draft"] {
        let answer = match zmq::has(capability) {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown (this libzmq has no zmq_has)",
        };
        println!("  {capability:<7}{answer}");
    }
}
