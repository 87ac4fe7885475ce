//! An async load-balancing broker on tokio: clients (REQ, over tcp) send
//! requests to a ROUTER frontend; the broker hands each to the next idle worker
//! (DEALER, over inproc) through a ROUTER backend, and routes the replies back.
//!
//! It shows the three things async code needs: `select!` over socket futures
//! (cancellation-safe: a branch that loses takes no message), timeouts on a
//! reply, and a graceful shutdown: after the last request, or on Ctrl-C,
//! `Context::shutdown` makes every pending and later operation fail with
//! `ETERM`, so every task's loop ends by itself.
//!
//! Run: `cargo run --example async_broker --features tokio`

#[cfg(feature = "tokio")]
mod broker {
    use std::collections::VecDeque;
    use std::time::Duration;

    use zmq::{AsyncSocket, Error};

    const WORKERS: usize = 3;
    const CLIENTS: usize = 4;
    const REQUESTS: usize = 5;
    const REPLY_TIMEOUT: Duration = Duration::from_secs(2);
    const RUN_LIMIT: Duration = Duration::from_secs(20);
    const READY: &[u8] = b"READY";

    fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> Result<AsyncSocket, Error> {
        let socket = ctx.socket(kind)?;
        // Nothing unsent may hold up the context's termination.
        socket.set_linger(0)?;
        AsyncSocket::new(socket)
    }

    /// Routes requests to idle workers and replies to clients, until the
    /// context is shut down.
    async fn run_broker(frontend: AsyncSocket, backend: AsyncSocket) -> Error {
        let mut idle: VecDeque<zmq::Message> = VecDeque::new();
        loop {
            let outcome = tokio::select! {
                // From a worker: [worker, READY] or [worker, client, "", reply].
                from_worker = backend.recv_multipart() => match from_worker {
                    Ok(mut parts) => match parts.pop_front() {
                        Some(worker) => {
                            idle.push_back(worker);
                            if parts.len() == 1 && &parts[0][..] == READY {
                                Ok(())
                            } else {
                                frontend.send_multipart(parts).await
                            }
                        }
                        None => Ok(()),
                    },
                    Err(e) => Err(e),
                },
                // From a client, only while a worker is idle:
                // [client, "", request], forwarded as [worker, client, "", request].
                from_client = frontend.recv_multipart(), if !idle.is_empty() => match from_client {
                    Ok(mut parts) => match idle.pop_front() {
                        Some(worker) => {
                            parts.push_front(worker);
                            backend.send_multipart(parts).await
                        }
                        None => Ok(()),
                    },
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = outcome {
                return e;
            }
        }
    }

    /// Says it is ready, then answers requests until the context is shut down.
    async fn run_worker(id: usize, worker: AsyncSocket) -> (usize, Error) {
        let mut served = 0;
        if let Err(e) = worker.send(READY).await {
            return (served, e);
        }
        loop {
            // [client, "", request] -> [client, "", reply]
            let mut parts = match worker.recv_multipart().await {
                Ok(parts) => parts,
                Err(e) => return (served, e),
            };
            let request = parts.pop_back().map(|m| m.to_vec()).unwrap_or_default();
            let reply = format!("worker {id} did {}", String::from_utf8_lossy(&request));
            parts.push_back(reply.into());
            if let Err(e) = worker.send_multipart(parts).await {
                return (served, e);
            }
            served += 1;
        }
    }

    /// Sends its requests one by one, each reply awaited with a timeout.
    async fn run_client(id: usize, client: AsyncSocket) -> Result<usize, Error> {
        let mut answered = 0;
        for n in 0..REQUESTS {
            client.send(format!("request {n} of client {id}")).await?;
            match tokio::time::timeout(REPLY_TIMEOUT, client.recv()).await {
                Ok(reply) => {
                    let reply = reply?;
                    println!("client {id}: {}", String::from_utf8_lossy(&reply));
                    answered += 1;
                }
                // A REQ socket cannot send again before its reply: give up.
                Err(_) => {
                    println!("client {id}: no reply within {REPLY_TIMEOUT:?}");
                    break;
                }
            }
        }
        Ok(answered)
    }

    pub async fn main() -> Result<(), Error> {
        let ctx = zmq::Context::new();
        let frontend = socket(&ctx, zmq::ROUTER)?;
        frontend.bind("tcp://127.0.0.1:*")?;
        let endpoint = frontend
            .with(|s| s.get_last_endpoint())?
            .map_err(|_| Error::EINVAL)?;
        let backend = socket(&ctx, zmq::ROUTER)?;
        backend.bind("inproc://async-broker-workers")?;
        let broker = tokio::spawn(run_broker(frontend, backend));

        let mut workers = Vec::new();
        for id in 0..WORKERS {
            let worker = socket(&ctx, zmq::DEALER)?;
            worker.connect("inproc://async-broker-workers")?;
            workers.push(tokio::spawn(run_worker(id, worker)));
        }
        let mut clients = Vec::new();
        for id in 0..CLIENTS {
            let client = socket(&ctx, zmq::REQ)?;
            client.connect(&endpoint)?;
            clients.push(tokio::spawn(run_client(id, client)));
        }

        // Wait for the clients, for Ctrl-C, or for the run limit.
        let all_clients = futures_util::future::join_all(clients);
        let mut answered = 0;
        tokio::select! {
            results = all_clients => {
                for result in results {
                    answered += result.map_err(|_| Error::EFAULT)??;
                }
            }
            signal = tokio::signal::ctrl_c() => match signal {
                Ok(()) => println!("Ctrl-C: shutting down"),
                Err(e) => println!("cannot wait for Ctrl-C ({e}): shutting down"),
            },
            _ = tokio::time::sleep(RUN_LIMIT) => println!("run limit reached: shutting down"),
        }

        // Graceful shutdown: every task's next operation fails with ETERM.
        ctx.shutdown()?;
        let broker_end = broker.await.map_err(|_| Error::EFAULT)?;
        println!("broker stopped: {broker_end}");
        let mut served = 0;
        let mut all_ended_with_eterm = broker_end == Error::ETERM;
        for worker in workers {
            let (count, end) = worker.await.map_err(|_| Error::EFAULT)?;
            all_ended_with_eterm &= end == Error::ETERM;
            served += count;
        }
        println!(
            "{answered} of {} requests answered, {served} served by {WORKERS} workers",
            CLIENTS * REQUESTS
        );
        if !all_ended_with_eterm || served < answered {
            return Err(Error::EFAULT);
        }
        Ok(())
    }
}

#[cfg(feature = "tokio")]
#[tokio::main]
async fn main() -> Result<(), zmq::Error> {
    broker::main().await
}

#[cfg(not(feature = "tokio"))]
fn main() {
    println!(
        "this example needs the `tokio` feature: cargo run --example async_broker --features tokio"
    );
}
