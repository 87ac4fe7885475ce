//! The async monitor stream: typed events, its end when the socket closes or
//! the context shuts down, and drops in any order on any thread; on both
//! runtimes.
#![cfg(feature = "tokio")]

mod async_common;
mod common;

use std::time::Duration;

use async_common::{async_socket, on_both_runtimes, soon};
use futures_util::StreamExt;
use static_assertions::assert_impl_all;
use zmq::monitor::{Event, EventKind};
use zmq::{AsyncMonitor, Error, SocketEvent};

assert_impl_all!(AsyncMonitor: Send, Unpin);

fn all_events() -> u64 {
    SocketEvent::ALL.to_raw().into()
}

/// The next event that is not a connection retry or delay (timing-dependent).
async fn next_event(monitor: &mut AsyncMonitor) -> Option<zmq::Result<Event>> {
    loop {
        let item = soon(monitor.next()).await;
        match &item {
            Some(Ok(Event {
                kind: EventKind::ConnectDelayed { .. } | EventKind::ConnectRetried { .. },
                ..
            })) => continue,
            _ => return item,
        }
    }
}

#[test]
fn the_monitor_stream_yields_typed_events_as_they_happen() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let server = async_socket(&ctx, zmq::REP);
        let mut events = server.monitor(&ctx, all_events()).unwrap();
        // Waiting before anything happens: the bind must wake it.
        let first = tokio::spawn(async move {
            let event = next_event(&mut events).await;
            (event, events)
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.with(|s| s.get_last_endpoint()).unwrap().unwrap();
        let (event, mut events) = soon(first).await.unwrap();
        let event = event.unwrap().unwrap();
        assert!(
            matches!(event.kind, EventKind::Listening { .. }),
            "{event:?}"
        );
        assert_eq!(event.endpoint, endpoint);
        let client = common::socket(&ctx, zmq::REQ);
        client.connect(&endpoint).unwrap();
        let accepted = next_event(&mut events).await.unwrap().unwrap();
        assert!(
            matches!(accepted.kind, EventKind::Accepted { .. }),
            "{accepted:?}"
        );
        let handshake = next_event(&mut events).await.unwrap().unwrap();
        assert_eq!(handshake.kind, EventKind::HandshakeSucceeded);
    });
}

#[test]
fn the_monitor_stream_ends_after_the_monitored_socket_closes() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let server = async_socket(&ctx, zmq::PULL);
        let mut events = server.monitor(&ctx, all_events()).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let listening = next_event(&mut events).await.unwrap().unwrap();
        assert!(matches!(listening.kind, EventKind::Listening { .. }));
        // Closed from another task.
        tokio::spawn(async move { drop(server) }).await.unwrap();
        let mut kinds = Vec::new();
        while let Some(item) = next_event(&mut events).await {
            kinds.push(item.unwrap().kind);
            assert!(kinds.len() < 10, "no end: {kinds:?}");
        }
        assert_eq!(kinds.last(), Some(&EventKind::MonitorStopped), "{kinds:?}");
        assert!(futures_util::stream::FusedStream::is_terminated(&events));
        assert!(soon(events.next()).await.is_none());
    });
}

#[test]
fn the_monitor_stream_yields_eterm_then_ends_after_a_shutdown() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let server = async_socket(&ctx, zmq::PULL);
        let mut events = server.monitor(&ctx, all_events()).unwrap();
        let shutter = ctx.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            shutter.shutdown().unwrap();
        });
        assert_eq!(soon(events.next()).await, Some(Err(Error::ETERM)));
        assert_eq!(soon(events.next()).await, None);
        drop(server);
    });
}

#[test]
fn a_monitor_stream_dropped_first_leaves_its_socket_working() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let server = async_socket(&ctx, zmq::PULL);
        let events = server.monitor(&ctx, all_events()).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.with(|s| s.get_last_endpoint()).unwrap().unwrap();
        // Dropped on another task, unread events and all.
        tokio::spawn(async move { drop(events) }).await.unwrap();
        // The socket goes on making events nobody reads, without blocking.
        for i in 0..20u8 {
            let client = common::socket(&ctx, zmq::PUSH);
            client.connect(&endpoint).unwrap();
            client.send(vec![i], 0).unwrap();
            assert_eq!(soon(server.recv()).await.unwrap()[..], [i]);
        }
        drop(server);
        let mut ctx = ctx;
        soon(tokio::task::spawn_blocking(move || ctx.destroy()))
            .await
            .unwrap()
            .unwrap();
    });
}

#[test]
fn monitor_streams_and_their_sockets_dropped_on_other_threads_in_either_order() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        for socket_first in [true, false, true, false] {
            let server = async_socket(&ctx, zmq::ROUTER);
            let mut events = server.monitor(&ctx, all_events()).unwrap();
            server.bind("tcp://127.0.0.1:*").unwrap();
            let listening = next_event(&mut events).await.unwrap().unwrap();
            assert!(matches!(listening.kind, EventKind::Listening { .. }));
            let drop_server = tokio::spawn(async move { drop(server) });
            let drop_events = std::thread::spawn(move || drop(events));
            if socket_first {
                soon(drop_server).await.unwrap();
                tokio::task::spawn_blocking(move || drop_events.join().unwrap())
                    .await
                    .unwrap();
            } else {
                tokio::task::spawn_blocking(move || drop_events.join().unwrap())
                    .await
                    .unwrap();
                soon(drop_server).await.unwrap();
            }
        }
        let mut ctx = ctx;
        soon(tokio::task::spawn_blocking(move || ctx.destroy()))
            .await
            .unwrap()
            .unwrap();
    });
}

#[test]
fn a_monitor_of_a_receive_half_follows_its_socket() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let (rx, _tx) = async_socket(&ctx, zmq::PULL).into_split();
        let monitor = rx
            .with(|s| zmq::Monitor::new(&ctx, s, all_events()))
            .unwrap();
        let mut events = AsyncMonitor::new(monitor).unwrap();
        rx.with(|s| s.bind("tcp://127.0.0.1:*")).unwrap();
        let listening = next_event(&mut events).await.unwrap().unwrap();
        assert!(matches!(listening.kind, EventKind::Listening { .. }));
    });
}
