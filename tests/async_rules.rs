//! The end-of-stream and shutdown rules of the async layer (the table in the
//! `zmq::asyncio` docs), each on both runtimes: what a context shutdown, an
//! error that concerns one message, any other error, a peer going away and a
//! misused `Sink` produce for `recv`/`send`, `Stream` and `Sink`.
#![cfg(feature = "tokio")]

mod async_common;
mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_common::{async_socket, on_both_runtimes, soon};
use futures_util::{Sink, SinkExt, StreamExt};
use zmq::{AsyncSocket, Error, Multipart};

fn parts(frames: &[&str]) -> Multipart {
    frames.iter().copied().collect()
}

/// A ROUTER with ROUTER_MANDATORY and a DEALER peer it knows as "known".
async fn router_with_a_known_peer(ctx: &zmq::Context) -> (AsyncSocket, zmq::Socket) {
    let router = async_socket(ctx, zmq::ROUTER);
    router.with(|s| s.set_router_mandatory(true)).unwrap();
    let endpoint = common::inproc("mandatory");
    router.bind(&endpoint).unwrap();
    let dealer = common::socket(ctx, zmq::DEALER);
    dealer.set_identity(b"known").unwrap();
    dealer.connect(&endpoint).unwrap();
    dealer.send("hello", 0).unwrap();
    let hello = soon(router.recv_multipart()).await.unwrap();
    assert_eq!(&hello[0][..], b"known");
    (router, dealer)
}

#[test]
fn recv_and_send_fail_with_eterm_after_a_shutdown() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pull = async_socket(&ctx, zmq::PULL);
        let push = async_socket(&ctx, zmq::PUSH);
        let endpoint = common::inproc("eterm-after");
        pull.bind(&endpoint).unwrap();
        push.connect(&endpoint).unwrap();
        ctx.shutdown().unwrap();
        assert_eq!(soon(pull.recv()).await.err(), Some(Error::ETERM));
        assert_eq!(soon(pull.recv_multipart()).await.err(), Some(Error::ETERM));
        assert_eq!(soon(push.send("late")).await, Err(Error::ETERM));
        assert_eq!(
            soon(push.send_multipart(parts(&["a", "b"]))).await,
            Err(Error::ETERM)
        );
    });
}

#[test]
fn a_shutdown_wakes_the_tasks_already_waiting_to_receive_and_to_send() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pull = Arc::new(async_socket(&ctx, zmq::PULL));
        pull.bind(&common::inproc("eterm-waiting")).unwrap();
        // A PUSH with no peer cannot send: its sends wait.
        let push = Arc::new(async_socket(&ctx, zmq::PUSH));
        let mut waiting = Vec::new();
        for _ in 0..3 {
            let pull = pull.clone();
            waiting.push(tokio::spawn(async move { pull.recv().await.err() }));
            let push = push.clone();
            waiting.push(tokio::spawn(async move { push.send("never").await.err() }));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(waiting.iter().all(|task| !task.is_finished()));
        // From another thread, as a signal handler would.
        let shutter = ctx.clone();
        std::thread::spawn(move || shutter.shutdown().unwrap())
            .join()
            .unwrap();
        for task in waiting {
            assert_eq!(soon(task).await.unwrap(), Some(Error::ETERM));
        }
    });
}

#[test]
fn incoming_yields_eterm_once_then_ends() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pull = async_socket(&ctx, zmq::PULL);
        pull.bind(&common::inproc("incoming-end")).unwrap();
        let mut incoming = pull.incoming();
        let shutter = ctx.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            shutter.shutdown().unwrap();
        });
        assert_eq!(soon(incoming.next()).await, Some(Err(Error::ETERM)));
        assert_eq!(soon(incoming.next()).await, None, "the stream goes on");
        assert_eq!(soon(incoming.next()).await, None);
        assert!(futures_util::stream::FusedStream::is_terminated(&incoming));
        // A `while let` loop over the stream ends.
        let mut seen = 0;
        let mut fresh = pull.incoming();
        while let Some(item) = soon(fresh.next()).await {
            assert_eq!(item, Err(Error::ETERM));
            seen += 1;
        }
        assert_eq!(seen, 1);
    });
}

#[test]
fn a_stream_yields_any_other_receive_error_once_then_ends() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        // A REQ must send before it receives: EFSM.
        let req = async_socket(&ctx, zmq::REQ);
        req.connect(&common::inproc("efsm")).unwrap();
        let mut incoming = req.incoming();
        assert_eq!(soon(incoming.next()).await, Some(Err(Error::EFSM)));
        assert_eq!(soon(incoming.next()).await, None);
        // A PUSH cannot receive at all: ENOTSUP.
        let push = async_socket(&ctx, zmq::PUSH);
        let (mut recv_half, _send_half) = push.into_split();
        assert_eq!(soon(recv_half.next()).await, Some(Err(Error::ENOTSUP)));
        assert_eq!(soon(recv_half.next()).await, None);
        // The half's own recv still asks libzmq.
        assert_eq!(soon(recv_half.recv()).await.err(), Some(Error::ENOTSUP));
    });
}

#[test]
fn the_sink_reports_a_failed_send_and_accepts_the_next_message() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let (router, dealer) = router_with_a_known_peer(&ctx).await;
        {
            let mut sink = router.outgoing();
            let failed = soon(sink.send(parts(&["nobody", "lost"]))).await;
            assert_eq!(failed, Err(Error::EHOSTUNREACH));
            soon(sink.send(parts(&["known", "after"]))).await.unwrap();
            let failed = soon(sink.send(parts(&["nobody", "again"]))).await;
            assert_eq!(failed, Err(Error::EHOSTUNREACH));
            soon(sink.send(parts(&["known", "and after"])))
                .await
                .unwrap();
        }
        let (_recv, mut send_half) = router.into_split();
        let failed = soon(SinkExt::send(&mut send_half, parts(&["nobody", "lost"]))).await;
        assert_eq!(failed, Err(Error::EHOSTUNREACH));
        soon(SinkExt::send(
            &mut send_half,
            parts(&["known", "from the half"]),
        ))
        .await
        .unwrap();
        for expected in ["after", "and after", "from the half"] {
            assert_eq!(dealer.recv_bytes(0).unwrap(), expected.as_bytes());
        }
    });
}

#[test]
fn an_error_for_one_message_leaves_recv_and_send_usable() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let (router, dealer) = router_with_a_known_peer(&ctx).await;
        assert_eq!(
            soon(router.send_multipart(parts(&["nobody", "x"]))).await,
            Err(Error::EHOSTUNREACH)
        );
        soon(router.send_multipart(parts(&["known", "still here"])))
            .await
            .unwrap();
        assert_eq!(dealer.recv_bytes(0).unwrap(), b"still here");
        dealer.send("and back", 0).unwrap();
        let back = soon(router.recv_multipart()).await.unwrap();
        assert_eq!(&back[1][..], b"and back");
    });
}

#[test]
fn the_sink_fails_with_eterm_after_a_shutdown_and_keeps_failing_without_panic() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let push = async_socket(&ctx, zmq::PUSH);
        push.bind(&common::inproc("sink-eterm")).unwrap();
        let (_recv, mut sink) = push.into_split();
        ctx.shutdown().unwrap();
        for _ in 0..3 {
            assert_eq!(
                soon(SinkExt::send(&mut sink, parts(&["x"]))).await,
                Err(Error::ETERM)
            );
        }
        assert_eq!(soon(sink.flush()).await, Ok(()));
        assert_eq!(soon(sink.close()).await, Ok(()));
    });
}

#[test]
fn a_shutdown_ends_a_sink_waiting_to_send_its_held_message() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        // No peer, no pipe: the message is held, and flushing it waits.
        let push = async_socket(&ctx, zmq::PUSH);
        let (_recv, mut sink) = push.into_split();
        let shutter = ctx.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            shutter.shutdown().unwrap();
        });
        assert_eq!(
            soon(SinkExt::send(&mut sink, parts(&["held"]))).await,
            Err(Error::ETERM)
        );
    });
}

/// Polls a sink by hand, breaking the `Sink` contract on purpose.
struct Misuse<'a, S>(&'a mut S);

impl<S: Sink<Multipart, Error = Error> + Unpin> Misuse<'_, S> {
    fn start(&mut self, frames: &[&str]) -> Result<(), Error> {
        Pin::new(&mut *self.0).start_send(parts(frames))
    }
}

#[test]
fn start_send_without_poll_ready_refuses_the_message_instead_of_panicking() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let push = async_socket(&ctx, zmq::PUSH);
        let endpoint = common::inproc("misuse");
        push.bind(&endpoint).unwrap();
        let mut sink = push.outgoing();
        // No peer yet: the first message is held, the second refused.
        let mut misuse = Misuse(&mut sink);
        assert_eq!(misuse.start(&["first"]), Ok(()));
        assert_eq!(misuse.start(&["second"]), Err(Error::EAGAIN));
        let pull = common::socket(&ctx, zmq::PULL);
        pull.connect(&endpoint).unwrap();
        soon(sink.close()).await.unwrap();
        assert_eq!(pull.recv_bytes(0).unwrap(), b"first");
        assert_eq!(pull.poll(zmq::POLLIN, 50).unwrap(), 0, "only one message");
    });
}

#[test]
fn a_peer_going_away_ends_nothing_and_a_new_peer_is_heard() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pull = async_socket(&ctx, zmq::PULL);
        let endpoint = common::inproc("peer-away");
        pull.bind(&endpoint).unwrap();
        let mut incoming = pull.incoming();
        let first = common::socket(&ctx, zmq::PUSH);
        first.connect(&endpoint).unwrap();
        first.send("one", 0).unwrap();
        assert_eq!(
            &soon(incoming.next()).await.unwrap().unwrap()[0][..],
            b"one"
        );
        drop(first);
        let quiet = tokio::time::timeout(Duration::from_millis(100), incoming.next()).await;
        assert!(
            quiet.is_err(),
            "the stream yielded {quiet:?} after the peer left"
        );
        let second = common::socket(&ctx, zmq::PUSH);
        second.connect(&endpoint).unwrap();
        second.send("two", 0).unwrap();
        assert_eq!(
            &soon(incoming.next()).await.unwrap().unwrap()[0][..],
            b"two"
        );
    });
}

#[test]
fn a_socket_libzmq_does_not_know_is_refused() {
    on_both_runtimes(|| async {
        // SAFETY: a null handle is documented to give a socket on which every
        // call fails with ENOTSOCK.
        let unknown = unsafe { zmq::Socket::from_raw(std::ptr::null_mut()) };
        assert_eq!(AsyncSocket::new(unknown).err(), Some(Error::ENOTSOCK));
    });
}

#[test]
fn async_sockets_need_a_runtime_with_io_and_time() {
    let ctx = zmq::Context::new();
    let make = || AsyncSocket::new(ctx.socket(zmq::PAIR).unwrap()).err();
    assert_eq!(make(), Some(Error::EINVAL), "outside any runtime");
    let no_time = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    assert_eq!(no_time.block_on(async { make() }), Some(Error::EINVAL));
    // Unix waits on ZMQ_FD in the reactor (elsewhere, on a timer only).
    #[cfg(unix)]
    {
        let no_io = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        assert_eq!(no_io.block_on(async { make() }), Some(Error::EINVAL));
    }
    let complete = async_common::current_thread();
    assert_eq!(complete.block_on(async { make() }), None);
}

/// Unix: the socket's ZMQ_FD is registered with the runtime it was made in.
#[cfg(unix)]
#[test]
fn a_socket_whose_runtime_is_gone_fails_with_einval_instead_of_hanging() {
    let ctx = zmq::Context::new();
    let first = async_common::current_thread();
    let pull = first.block_on(async { async_socket(&ctx, zmq::PULL) });
    pull.bind(&common::inproc("runtime-gone")).unwrap();
    drop(first);
    async_common::current_thread().block_on(async {
        assert_eq!(soon(pull.recv()).await.err(), Some(Error::EINVAL));
    });
}

/// Counts how often the inner future is polled.
struct CountPolls<F> {
    inner: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> Future for CountPolls<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::Relaxed);
        self.inner.as_mut().poll(cx)
    }
}

#[test]
fn a_send_waiting_for_one_full_router_peer_does_not_spin_and_goes_when_it_drains() {
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let router = Arc::new(async_socket(&ctx, zmq::ROUTER));
        router
            .with(|s| {
                s.set_router_mandatory(true)?;
                s.set_sndhwm(1)
            })
            .unwrap();
        let endpoint = common::inproc("full-peer");
        router.bind(&endpoint).unwrap();
        let mut peers = Vec::new();
        for name in ["slow", "fast"] {
            let dealer = common::socket(&ctx, zmq::DEALER);
            dealer.set_identity(name.as_bytes()).unwrap();
            dealer.set_rcvhwm(1).unwrap();
            dealer.connect(&endpoint).unwrap();
            dealer.send("hello", 0).unwrap();
            soon(router.recv_multipart()).await.unwrap();
            peers.push(dealer);
        }
        // Fill the slow peer's pipe until a send has to wait.
        let mut queued = 0;
        while tokio::time::timeout(
            Duration::from_millis(50),
            router.send_multipart(parts(&["slow", "x"])),
        )
        .await
        .is_ok()
        {
            queued += 1;
            assert!(queued < 100, "the slow peer never filled");
        }
        let polls = Arc::new(AtomicUsize::new(0));
        let waiting = tokio::spawn(CountPolls {
            inner: Box::pin({
                let router = router.clone();
                async move { router.send_multipart(parts(&["slow", "last"])).await }
            }),
            polls: polls.clone(),
        });
        // Meanwhile POLLOUT stays set: the fast peer has room.
        for i in 0..20 {
            soon(router.send_multipart(parts(&["fast", &i.to_string()])))
                .await
                .unwrap();
            assert_eq!(peers[1].recv_bytes(0).unwrap(), i.to_string().as_bytes());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let seen = polls.load(Ordering::Relaxed);
        assert!(!waiting.is_finished());
        // A timer backing off to 2 ms allows some 150 polls in 300 ms, plus
        // one per message to the fast peer; a spin makes many thousands.
        assert!(seen < 1_000, "a waiting send was polled {seen} times");
        let slow = peers.swap_remove(0);
        for _ in 0..queued {
            // Queued already: these reads do not wait.
            assert_eq!(slow.recv_bytes(0).unwrap(), b"x");
        }
        soon(waiting).await.unwrap().unwrap();
        let slow = tokio::task::spawn_blocking(move || slow.recv_bytes(0))
            .await
            .unwrap();
        assert_eq!(slow.unwrap(), b"last");
    });
}

#[test]
fn a_socket_that_is_always_ready_still_lets_a_timer_fire_in_the_same_task() {
    const QUEUED: u32 = 300_000;
    on_both_runtimes(|| async {
        let ctx = zmq::Context::new();
        let pull = async_socket(&ctx, zmq::PULL);
        pull.with(|s| s.set_rcvhwm(0)).unwrap();
        let endpoint = common::inproc("always-ready");
        pull.bind(&endpoint).unwrap();
        let push = common::socket(&ctx, zmq::PUSH);
        push.set_sndhwm(0).unwrap();
        push.connect(&endpoint).unwrap();
        for i in 0..QUEUED {
            push.send(i.to_le_bytes().to_vec(), 0).unwrap();
        }
        // Every receive can go at once: only tokio's budget makes the task
        // yield, so that the timer is seen to fire before the queue is empty.
        let deadline = tokio::time::sleep(Duration::from_millis(20));
        tokio::pin!(deadline);
        let mut received = 0;
        loop {
            tokio::select! {
                biased;
                _ = &mut deadline => break,
                msg = pull.recv() => {
                    msg.unwrap();
                    received += 1;
                }
            }
        }
        assert!(
            received < QUEUED,
            "the timer fired only once all {QUEUED} messages were read"
        );
    });
}

/// Sends SIGUSR1 to `target` in a tight loop until `stop`; returns how many.
#[cfg(unix)]
fn signal_storm(
    target: libc::pthread_t,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut sent = 0u64;
        while !stop.load(Ordering::SeqCst) {
            // SAFETY: the target thread outlives this one (joined before the
            // runtime ends) and SIGUSR1 has a handler there (tokio's).
            unsafe { libc::pthread_kill(target, libc::SIGUSR1) };
            sent += 1;
            for _ in 0..200 {
                std::hint::spin_loop();
            }
        }
        sent
    })
}

/// Signals landing while libzmq reads `ZMQ_EVENTS` made that read fail with
/// `EINTR`, which the engine took for "the socket is gone": a waiting send
/// returned `EINTR`, and a stream read by two tasks yielded it and ended
/// (within a few thousand signals, most runs, before the fix).
#[cfg(unix)]
#[test]
fn signals_neither_fail_a_waiting_send_nor_end_a_stream() {
    use std::sync::atomic::AtomicBool;
    use std::time::Instant;
    async_common::current_thread().block_on(async {
        let _handler =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::user_defined1()).unwrap();
        let ctx = zmq::Context::new();
        // SAFETY: pthread_self has no preconditions.
        let me = unsafe { libc::pthread_self() };

        // A send that waits: a full pipe (HWM 1 on both sides).
        let push = async_socket(&ctx, zmq::PUSH);
        push.with(|s| s.set_sndhwm(1)).unwrap();
        let pull = common::socket(&ctx, zmq::PULL);
        pull.set_rcvhwm(1).unwrap();
        let endpoint = common::inproc("signals-send");
        pull.bind(&endpoint).unwrap();
        push.connect(&endpoint).unwrap();
        while tokio::time::timeout(Duration::from_millis(20), push.send("fill"))
            .await
            .is_ok()
        {}
        let stop = Arc::new(AtomicBool::new(false));
        let storm = signal_storm(me, stop.clone());
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut failed = None;
        while Instant::now() < deadline && failed.is_none() {
            if let Ok(Err(e)) =
                tokio::time::timeout(Duration::from_micros(200), push.send("x")).await
            {
                failed = Some(e);
            }
        }
        stop.store(true, Ordering::SeqCst);
        let signals = storm.join().unwrap();
        assert_eq!(failed, None, "a waiting send failed ({signals} signals)");

        // A stream, with a second task waiting on the same socket (so every
        // receive reads ZMQ_EVENTS to wake it if need be).
        let pull = Arc::new(async_socket(&ctx, zmq::PULL));
        let endpoint = common::inproc("signals-stream");
        pull.bind(&endpoint).unwrap();
        let push = common::socket(&ctx, zmq::PUSH);
        push.connect(&endpoint).unwrap();
        let other = {
            let pull = pull.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(Duration::from_secs(10), pull.recv()).await;
            })
        };
        tokio::task::yield_now().await;
        let stop = Arc::new(AtomicBool::new(false));
        let storm = signal_storm(me, stop.clone());
        let feeder = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let _ = push.send("m", zmq::DONTWAIT);
                    std::thread::sleep(Duration::from_micros(50));
                }
            })
        };
        let mut incoming = pull.incoming();
        let deadline = Instant::now() + Duration::from_secs(3);
        let (mut received, mut yielded) = (0, None);
        while Instant::now() < deadline && yielded.is_none() {
            match tokio::time::timeout(Duration::from_millis(500), incoming.next()).await {
                Ok(Some(Ok(_))) => received += 1,
                Ok(Some(Err(e))) => yielded = Some(Some(e)),
                Ok(None) => yielded = Some(None),
                Err(_) => {}
            }
        }
        stop.store(true, Ordering::SeqCst);
        let signals = storm.join().unwrap();
        feeder.join().unwrap();
        other.abort();
        assert_eq!(
            yielded, None,
            "the stream gave up after {received} messages and {signals} signals"
        );
        assert!(received > 0, "nothing was received");
    });
}
