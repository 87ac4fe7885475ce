//! Async sockets on tokio: no lost wake-ups, cancellation safety, many tasks,
//! both runtimes.
#![cfg(feature = "tokio")]

mod async_common;
mod common;

use std::future::Future;
use std::time::Duration;

use async_common::{async_socket, on_both_runtimes};
use futures_util::{SinkExt, StreamExt};
use zmq::{AsyncSocket, Multipart};

fn assert_send<T: Send>(_: &T) {}

#[test]
fn a_million_messages_pass_through_push_pull_with_hwm_10() {
    const COUNT: u32 = 1_000_000;
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let push = async_socket(&ctx, zmq::PUSH);
        let pull = async_socket(&ctx, zmq::PULL);
        push.with(|s| s.set_sndhwm(10)).unwrap();
        pull.with(|s| s.set_rcvhwm(10)).unwrap();
        let endpoint = common::inproc("million");
        pull.bind(&endpoint).unwrap();
        push.connect(&endpoint).unwrap();
        let sender = tokio::spawn(async move {
            for i in 0..COUNT {
                push.send(i.to_le_bytes().to_vec()).await.unwrap();
            }
            push
        });
        for i in 0..COUNT {
            let msg = pull.recv().await.unwrap();
            assert_eq!(u32::from_le_bytes(msg[..4].try_into().unwrap()), i);
        }
        sender.await.unwrap();
    });
}

#[test]
fn req_rep_and_dealer_router_echo_for_100_concurrent_tasks() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let rep = std::sync::Arc::new(async_socket(&ctx, zmq::ROUTER));
        let endpoint = common::inproc("echo");
        rep.bind(&endpoint).unwrap();
        let server = {
            let rep = rep.clone();
            tokio::spawn(async move {
                loop {
                    let request = rep.recv_multipart().await.unwrap();
                    rep.send_multipart(request).await.unwrap();
                }
            })
        };
        let mut tasks = Vec::new();
        for t in 0..100u32 {
            let kind = if t % 2 == 0 { zmq::REQ } else { zmq::DEALER };
            let client = async_socket(&ctx, kind);
            client.connect(&endpoint).unwrap();
            tasks.push(tokio::spawn(async move {
                for i in 0..20u32 {
                    let body = format!("{t}:{i}");
                    if kind == zmq::DEALER {
                        client
                            .send_multipart(vec!["", body.as_str()])
                            .await
                            .unwrap();
                        let reply = client.recv_multipart().await.unwrap();
                        assert_eq!(&reply[1][..], body.as_bytes());
                    } else {
                        client.send(body.as_str()).await.unwrap();
                        assert_eq!(&client.recv().await.unwrap()[..], body.as_bytes());
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        server.abort();
    });
}

#[test]
fn a_recv_dropped_after_the_message_arrived_loses_nothing() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pull = async_socket(&ctx, zmq::PULL);
        let endpoint = common::inproc("cancel-recv");
        pull.bind(&endpoint).unwrap();
        let push = common::socket(&ctx, zmq::PUSH);
        push.connect(&endpoint).unwrap();
        for round in 0..50u32 {
            {
                let pending = pull.recv();
                assert_send(&pending);
                tokio::pin!(pending);
                // Poll once: nothing there yet, so it waits.
                let first =
                    std::future::poll_fn(|cx| std::task::Poll::Ready(pending.as_mut().poll(cx)))
                        .await;
                assert!(first.is_pending());
                push.send(round.to_le_bytes().to_vec(), 0).unwrap();
                tokio::task::yield_now().await;
                // Dropped here, possibly woken, never polled to completion.
            }
            let msg = tokio::time::timeout(Duration::from_secs(5), pull.recv())
                .await
                .unwrap()
                .unwrap();
            assert_eq!(&msg[..], &round.to_le_bytes(), "a message was lost");
        }
    });
}

#[test]
fn a_send_cancelled_in_the_middle_of_a_multipart_leaves_no_partial_message() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let push = async_socket(&ctx, zmq::PUSH);
        push.with(|s| s.set_sndhwm(1)).unwrap();
        let endpoint = common::inproc("cancel-send");
        push.bind(&endpoint).unwrap();
        let pull = common::socket(&ctx, zmq::PULL);
        pull.set_rcvhwm(1).unwrap();
        pull.connect(&endpoint).unwrap();
        // Queue until full, cancelling each send that has to wait.
        let mut sent = 0;
        let mut cancelled = 0;
        for i in 0..50u32 {
            let frames = vec![format!("{i}-a"), format!("{i}-b"), format!("{i}-c")];
            match tokio::time::timeout(Duration::from_millis(20), push.send_multipart(frames)).await
            {
                Ok(result) => {
                    result.unwrap();
                    sent += 1;
                }
                Err(_) => cancelled += 1,
            }
        }
        assert!(cancelled > 0, "the queue never filled");
        let mut got = 0;
        while pull.poll(zmq::POLLIN, 200).unwrap() > 0 {
            let frames = pull.recv_multipart(0).unwrap();
            assert_eq!(frames.len(), 3, "a partial message: {frames:?}");
            let prefix = String::from_utf8(frames[0].clone())
                .unwrap()
                .replace("-a", "");
            assert_eq!(frames[1], format!("{prefix}-b").into_bytes());
            assert_eq!(frames[2], format!("{prefix}-c").into_bytes());
            got += 1;
        }
        assert_eq!(got, sent);
    });
}

#[test]
fn sync_and_async_sockets_interoperate_and_streams_and_sinks_work() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let endpoint = common::inproc("interop");
        let async_pair = async_socket(&ctx, zmq::PAIR);
        async_pair.bind(&endpoint).unwrap();
        let sync_pair = common::socket(&ctx, zmq::PAIR);
        sync_pair.connect(&endpoint).unwrap();
        let sync_side = std::thread::spawn(move || {
            for i in 0..10u8 {
                sync_pair
                    .send_multipart([vec![i], vec![i + 100]], 0)
                    .unwrap();
            }
            let back: Vec<Vec<Vec<u8>>> = (0..10)
                .map(|_| sync_pair.recv_multipart(0).unwrap())
                .collect();
            back
        });
        let incoming: Vec<Multipart> = async_pair
            .incoming()
            .take(10)
            .map(Result::unwrap)
            .collect()
            .await;
        let mut sink = Box::pin(async_pair.outgoing());
        for parts in incoming {
            sink.send(parts).await.unwrap();
        }
        let back = tokio::task::spawn_blocking(move || sync_side.join().unwrap())
            .await
            .unwrap();
        for (i, frames) in back.iter().enumerate() {
            assert_eq!(frames, &vec![vec![i as u8], vec![i as u8 + 100]]);
        }
    });
}

#[test]
fn async_sockets_need_a_runtime() {
    let ctx = zmq::Context::new();
    assert_eq!(
        AsyncSocket::new(ctx.socket(zmq::PAIR).unwrap()).err(),
        Some(zmq::Error::EINVAL)
    );
}
