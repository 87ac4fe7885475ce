//! An encrypted, authenticated pair: CURVE certificates in a temporary
//! directory, a ZAP authenticator that admits only the known client, and a
//! stranger that is turned away.
//!
//! Run: `cargo run --example curve_auth`

use std::time::Duration;

use zmq::{Authenticator, Certificate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let clients = dir.path().join("clients");
    std::fs::create_dir(&clients)?;

    let server_cert = Certificate::generate()?.with_meta("name", "server")?;
    let client_cert = Certificate::generate()?.with_meta("name", "alice")?;
    client_cert.save(clients.join("alice.key"))?; // the server trusts this public key
    server_cert.save(dir.path().join("server.key"))?;
    println!("certificates in {}", dir.path().display());

    let ctx = zmq::Context::new();
    let auth = Authenticator::start(&ctx)?;
    auth.set_curve_certificates(zmq::ANY_DOMAIN, &clients)?;

    let server = ctx.socket(zmq::REP)?;
    server.set_linger(0)?;
    server.set_rcvtimeo(2_000)?;
    server.curve_server(&server_cert)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.get_last_endpoint()?.unwrap_or_default();

    // The client knows the server's public key from its public certificate file.
    let server_public = Certificate::load(dir.path().join("server.key"))?;
    let client = ctx.socket(zmq::REQ)?;
    client.set_linger(0)?;
    client.set_rcvtimeo(2_000)?;
    client.curve_client(&client_cert, server_public.public_key())?;
    client.connect(&endpoint)?;
    client.send("hello, encrypted", 0)?;
    let request = server.recv_msg(0)?;
    println!(
        "server got {:?} from user {} ({})",
        request.as_str().unwrap_or_default(),
        request.property("User-Id").unwrap_or("?"),
        request.property("name").unwrap_or("?")
    );
    server.send("welcome", 0)?;
    println!(
        "client got {:?}",
        client.recv_string(0)?.unwrap_or_default()
    );

    let stranger = ctx.socket(zmq::REQ)?;
    stranger.set_linger(0)?;
    stranger.curve_client(&Certificate::generate()?, server_public.public_key())?;
    stranger.connect(&endpoint)?;
    stranger.send("let me in", 0)?;
    match server.poll(zmq::POLLIN, Duration::from_millis(500).as_millis() as i64)? {
        0 => println!("the stranger was refused"),
        _ => return Err("a stranger got through".into()),
    }
    Ok(())
}
