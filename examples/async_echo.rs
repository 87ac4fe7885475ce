//! Async echo on tokio: a ROUTER server task answers 20 DEALER client tasks
//! concurrently over tcp. Needs the `tokio` feature:
//!
//! Run: `cargo run --example async_echo --features tokio`

#[cfg(feature = "tokio")]
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), zmq::Error> {
    use std::sync::Arc;

    let ctx = zmq::Context::new();
    let server = Arc::new(zmq::AsyncSocket::new(ctx.socket(zmq::ROUTER)?)?);
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.with(|s| s.get_last_endpoint())?.unwrap_or_default();
    let echo = {
        let server = server.clone();
        tokio::spawn(async move {
            while let Ok(request) = server.recv_multipart().await {
                if server.send_multipart(request).await.is_err() {
                    break;
                }
            }
        })
    };
    let mut clients = Vec::new();
    for id in 0..20 {
        let socket = ctx.socket(zmq::DEALER)?;
        socket.set_linger(0)?;
        let client = zmq::AsyncSocket::new(socket)?;
        client.connect(&endpoint)?;
        clients.push(tokio::spawn(async move {
            client.send(format!("hello from task {id}")).await?;
            let reply = client.recv().await?;
            Ok::<_, zmq::Error>(String::from_utf8_lossy(&reply).into_owned())
        }));
    }
    for client in clients {
        println!("{}", client.await.map_err(|_| zmq::Error::EFAULT)??);
    }
    echo.abort();
    Ok(())
}

#[cfg(not(feature = "tokio"))]
fn main() {
    println!(
        "this example needs the `tokio` feature: cargo run --example async_echo --features tokio"
    );
}
