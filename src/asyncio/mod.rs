//! Async sockets on tokio (feature `tokio`).
//!
//! - [`AsyncSocket`] wraps any [`Socket`](crate::Socket): `&self` methods that
//!   any number of tasks may call at once, `Send` futures, a [`Stream`] of
//!   incoming messages ([`incoming`](AsyncSocket::incoming)) and a [`Sink`] of
//!   outgoing ones ([`outgoing`](AsyncSocket::outgoing)).
//! - [`AsyncSocket::into_split`] gives owned halves, [`RecvHalf`] (a `Stream`)
//!   and [`SendHalf`] (a `Sink`), to move into separate `tokio::spawn`ed tasks;
//!   [`RecvHalf::reunite`] gives the socket back.
//! - [`AsyncMonitor`] is a `Stream` of a socket's monitor events.
//!
//! They are made inside a tokio runtime with I/O and time enabled
//! (`#[tokio::main]`, `Runtime::new`, `Builder::enable_all`), current-thread
//! or multi-thread; `EINVAL` otherwise.
//!
//! # Waiting
//! On Unix a waiting task sleeps on the socket's `ZMQ_FD` in tokio's reactor.
//! `ZMQ_FD` is edge-triggered and any operation can spend its signal, so every
//! operation re-reads `ZMQ_EVENTS` when other tasks wait on the socket and
//! wakes those it unblocks: no wake-up is lost to another task's operation. On
//! ROUTER with `ROUTER_MANDATORY` and XPUB with `XPUB_NODROP`, `POLLOUT` only
//! says that *some* peer has room; a send waiting for a full peer also retries
//! on a timer (every 1 to 2 ms: tokio's timers tick in milliseconds).
//! Elsewhere than Unix (Windows, where tokio cannot register `ZMQ_FD`) that
//! timer is the only wait: correct, but each wait lasts 1 to 2 ms. That path
//! is not built on Windows here; forced on Linux, it passes the async tests
//! but for the two Unix-only rules (the million messages at HWM 10 then take
//! some 100 s per runtime instead of a few).
//!
//! Operations take part in tokio's cooperative budget (one in 16 counts
//! against it), so a task whose socket is always ready still yields now and
//! then, and the timers and other branches of its `select!` get their turn.
//!
//! # Cancellation, `select!` and timeouts
//! Every future is cancellation-safe: a message is taken from or given to
//! libzmq whole, between await points, so a `recv` dropped in a `select!` or
//! by `tokio::time::timeout` loses no message, a dropped `send_multipart`
//! leaves no part of its message on the wire, and a dropped future leaves no
//! trace in the socket's waiters. So `select!` over `recv()` calls, or over
//! `StreamExt::next()` of the streams, in a loop is sound:
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::time::Duration;
//! let ctx = zmq::Context::new();
//! let pull = zmq::AsyncSocket::new(ctx.socket(zmq::PULL).unwrap()).unwrap();
//! pull.bind("inproc://select-doc").unwrap();
//! let quiet = tokio::select! {
//!     msg = pull.recv() => Some(msg),
//!     _ = tokio::time::sleep(Duration::from_millis(10)) => None,
//! };
//! assert!(quiet.is_none());
//! assert!(tokio::time::timeout(Duration::from_millis(10), pull.recv()).await.is_err());
//! # });
//! ```
//!
//! A `Sink` holds at most one message that the socket could not take at once;
//! a `SinkExt::send` cancelled after handing its message over leaves it there,
//! to go with the next `poll_ready`, `flush` or `close` (or be dropped with
//! the sink).
//!
//! # End of stream and shutdown
//! | event | `recv`, `send` (all types) | `Stream` ([`Incoming`], [`RecvHalf`]) | `Sink` ([`Outgoing`], [`SendHalf`]) | [`AsyncMonitor`] |
//! |---|---|---|---|---|
//! | context shut down ([`Context::shutdown`](crate::Context::shutdown)) | `Err(ETERM)`, at once also for tasks already waiting | yields `Err(ETERM)` once, then ends | `Err(ETERM)` from the call that sends, and from every later send (`flush`, `close` with nothing held: `Ok`) | yields `Err(ETERM)`, then ends |
//! | an error that concerns one message (`EHOSTUNREACH` on a ROUTER with `ROUTER_MANDATORY`, ...) | that error; the message is dropped; the socket goes on | — | that error, from the call that sends the message (dropped); the sink goes on | — |
//! | any other receive error (`EFSM`, `ENOTSUP`, ...) | that error | yields it once, then ends | — | yields it once, then ends |
//! | the monitored socket closed | — | — | — | yields `MonitorStopped`, then ends |
//! | a peer goes away | nothing: ZeroMQ reconnects, `recv` waits (bound it with a timeout, watch `Disconnected` events); sends queue, wait or drop as the socket type does in sync code | waits | as `send` | `Disconnected` |
//! | one half dropped | the other half works on; the socket closes with the last of them | the same | the same | — |
//! | the tokio runtime that made the socket is gone (Unix) | `Err(EINVAL)` where a wait is needed | yields `Err(EINVAL)`, then ends | `Err(EINVAL)` where a wait is needed | yields `Err(EINVAL)`, then ends |
//! | `start_send` while the sink still holds a message (`poll_ready` was not `Ready`) | — | — | `Err(EAGAIN)`: the new message is refused, never a panic | — |
//!
//! A stream that has ended stays ended (it is a `FusedStream`); the `recv`
//! methods still call libzmq. Otherwise `EAGAIN` and `EINTR` never come out:
//! they mean "wait" and "try again". The socket itself cannot be closed under a pending
//! operation: futures borrow it, and halves share it.
//!
//! A graceful shutdown: call [`Context::shutdown`](crate::Context::shutdown)
//! (from any task or thread, on a signal for example); every pending and later
//! operation on the context's sockets fails with `ETERM`, so each task's loop
//! ends; then drop the sockets. Set `LINGER` on sockets that may hold unsent
//! messages, or the context's termination waits for them. The `async_broker`
//! example does this on Ctrl-C and after its last request.
//!
//! [`Stream`]: futures_util::stream::Stream
//! [`Sink`]: futures_util::sink::Sink

mod engine;
mod fd;
mod monitor;
mod ops;
mod sink;
mod socket;
mod split;
mod stream;
mod timer;
mod waiters;

pub use self::monitor::AsyncMonitor;
pub use self::ops::{RecvFuture, RecvMultipartFuture, SendFuture, SendMultipartFuture};
pub use self::sink::Outgoing;
pub use self::socket::AsyncSocket;
pub use self::split::{RecvHalf, ReuniteError, SendHalf};
pub use self::stream::Incoming;
