//! Owned halves of an async socket (`into_split`): used from separate spawned
//! tasks, dropped in any order, reunited; on both runtimes.
#![cfg(feature = "tokio")]

mod async_common;
mod common;

use std::time::Duration;

use async_common::{async_socket, on_both_runtimes, soon};
use futures_util::{SinkExt, StreamExt};
use static_assertions::assert_impl_all;
use zmq::asyncio::{RecvHalf, ReuniteError, SendHalf};
use zmq::{Error, Multipart};

assert_impl_all!(RecvHalf: Send, Sync, Unpin);
assert_impl_all!(SendHalf: Send, Sync, Unpin);
assert_impl_all!(zmq::AsyncSocket: Send, Sync);
assert_impl_all!(ReuniteError: std::error::Error, Send);

fn is_static<T: 'static>(_: &T) {}

#[test]
fn halves_in_separate_spawned_tasks_stream_and_sink_a_thousand_messages() {
    const COUNT: u32 = 1_000;
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let endpoint = common::inproc("halves-echo");
        // An echo peer: a ROUTER task that sends every message back.
        let router = async_socket(&ctx, zmq::ROUTER);
        router.bind(&endpoint).unwrap();
        let echo = tokio::spawn(async move {
            for _ in 0..=COUNT {
                let request = router.recv_multipart().await.unwrap();
                router.send_multipart(request).await.unwrap();
            }
        });
        let dealer = async_socket(&ctx, zmq::DEALER);
        dealer.with(|s| s.set_sndhwm(5)).unwrap();
        dealer.connect(&endpoint).unwrap();
        let (mut rx, mut tx) = dealer.into_split();
        is_static(&rx);
        is_static(&tx);
        let sender = tokio::spawn(async move {
            let mut items = futures_util::stream::iter(0..COUNT)
                .map(|i| Ok(Multipart::from(vec![i.to_le_bytes().to_vec()])));
            tx.send_all(&mut items).await.unwrap();
            tx
        });
        let receiver = tokio::spawn(async move {
            for i in 0..COUNT {
                let reply = rx.next().await.unwrap().unwrap();
                assert_eq!(&reply[0][..], &i.to_le_bytes());
            }
            rx
        });
        let tx = soon(sender).await.unwrap();
        let rx = soon(receiver).await.unwrap();
        // Back together, the socket works as before.
        let dealer = rx.reunite(tx).unwrap();
        soon(dealer.send("again")).await.unwrap();
        assert_eq!(&soon(dealer.recv()).await.unwrap()[..], b"again");
        soon(echo).await.unwrap();
    });
}

#[test]
fn reunite_gives_back_halves_of_different_sockets() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let (rx_a, tx_a) = async_socket(&ctx, zmq::PAIR).into_split();
        let (rx_b, tx_b) = async_socket(&ctx, zmq::PAIR).into_split();
        let ReuniteError(rx_a, tx_b) = rx_a.reunite(tx_b).unwrap_err();
        let ReuniteError(rx_b, tx_a) = tx_a.reunite(rx_b).unwrap_err();
        let a = rx_a.reunite(tx_a).unwrap();
        let b = tx_b.reunite(rx_b).unwrap();
        let endpoint = common::inproc("reunite");
        a.bind(&endpoint).unwrap();
        b.connect(&endpoint).unwrap();
        soon(a.send("to b")).await.unwrap();
        assert_eq!(&soon(b.recv()).await.unwrap()[..], b"to b");
        let socket = a.into_inner();
        assert_eq!(socket.get_socket_type().unwrap(), zmq::PAIR);
    });
}

#[test]
fn a_receive_half_keeps_working_after_its_send_half_is_dropped_while_it_waits() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pair = async_socket(&ctx, zmq::PAIR);
        let endpoint = common::inproc("drop-send-half");
        pair.bind(&endpoint).unwrap();
        let (mut rx, tx) = pair.into_split();
        let waiting = tokio::spawn(async move {
            let first = rx.next().await;
            (first, rx)
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        tokio::spawn(async move { drop(tx) }).await.unwrap();
        let peer = common::socket(&ctx, zmq::PAIR);
        peer.connect(&endpoint).unwrap();
        peer.send("after the drop", 0).unwrap();
        let (first, rx) = soon(waiting).await.unwrap();
        assert_eq!(&first.unwrap().unwrap()[0][..], b"after the drop");
        peer.send("and more", 0).unwrap();
        assert_eq!(&soon(rx.recv()).await.unwrap()[..], b"and more");
    });
}

#[test]
fn a_send_half_keeps_working_after_its_receive_half_is_dropped() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pair = async_socket(&ctx, zmq::PAIR);
        let endpoint = common::inproc("drop-recv-half");
        pair.bind(&endpoint).unwrap();
        let (rx, mut tx) = pair.into_split();
        // Waiting in the stream when dropped.
        let mut rx = rx;
        assert!(tokio::time::timeout(Duration::from_millis(20), rx.next())
            .await
            .is_err());
        tokio::spawn(async move { drop(rx) }).await.unwrap();
        let peer = common::socket(&ctx, zmq::PAIR);
        peer.connect(&endpoint).unwrap();
        let sender = tokio::spawn(async move {
            SinkExt::send(&mut tx, Multipart::from(vec!["one"]))
                .await
                .unwrap();
            tx.send("two").await.unwrap();
            tx
        });
        let tx = soon(sender).await.unwrap();
        assert_eq!(peer.recv_bytes(0).unwrap(), b"one");
        assert_eq!(peer.recv_bytes(0).unwrap(), b"two");
        drop(tx);
        // Both halves gone: the socket is closed, and the context can end.
        drop(peer);
        let mut ctx = ctx;
        tokio::task::spawn_blocking(move || ctx.destroy())
            .await
            .unwrap()
            .unwrap();
    });
}

#[test]
fn a_shutdown_ends_the_receive_loop_and_the_send_loop_of_separate_tasks() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let dealer = async_socket(&ctx, zmq::DEALER);
        dealer.with(|s| s.set_sndhwm(1)).unwrap();
        // No peer: sends wait, receives wait.
        let (mut rx, tx) = dealer.into_split();
        let receive_loop = tokio::spawn(async move {
            let mut items = Vec::new();
            while let Some(item) = rx.next().await {
                items.push(item);
            }
            items
        });
        let send_loop = tokio::spawn(async move {
            loop {
                if let Err(e) = tx.send("x").await {
                    return e;
                }
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        ctx.shutdown().unwrap();
        assert_eq!(soon(receive_loop).await.unwrap(), vec![Err(Error::ETERM)]);
        assert_eq!(soon(send_loop).await.unwrap(), Error::ETERM);
    });
}

#[test]
fn many_tasks_share_one_half_through_an_arc_with_hwm_1() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let endpoint = common::inproc("shared-half");
        let pull = async_socket(&ctx, zmq::PULL);
        pull.with(|s| s.set_rcvhwm(1)).unwrap();
        pull.bind(&endpoint).unwrap();
        let push = async_socket(&ctx, zmq::PUSH);
        push.with(|s| s.set_sndhwm(1)).unwrap();
        push.connect(&endpoint).unwrap();
        let (_rx, tx) = push.into_split();
        let tx = std::sync::Arc::new(tx);
        let mut senders = Vec::new();
        for t in 0..20u32 {
            let tx = tx.clone();
            senders.push(tokio::spawn(async move {
                for i in 0..50u32 {
                    tx.send((t * 1000 + i).to_le_bytes().to_vec())
                        .await
                        .unwrap();
                }
            }));
        }
        let (mut rx, _tx) = pull.into_split();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..20 * 50 {
            let parts = soon(rx.next()).await.unwrap().unwrap();
            assert!(seen.insert(parts[0].to_vec()), "a message came twice");
        }
        for sender in senders {
            soon(sender).await.unwrap();
        }
    });
}
