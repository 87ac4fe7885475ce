//! Async sockets on tokio (feature `tokio`).
//!
//! On Unix the wait is on `ZMQ_FD` through tokio's `AsyncFd`. Elsewhere
//! (Windows, where `ZMQ_FD` is a socket tokio cannot register) the wait falls
//! back to a short timer that backs off from 50 µs to 2 ms between attempts:
//! correct, cheap when busy, but with up to 2 ms of extra latency when idle.
//! The Windows path is written but not tested here (no Windows machine).
//!
//! libzmq's `ZMQ_FD` is edge-triggered and only ever readable: it signals that
//! `ZMQ_EVENTS` may have changed, and any send, receive or `ZMQ_EVENTS` read can
//! consume that signal. So [`AsyncSocket`] never sleeps on the descriptor alone:
//! every operation first tries without blocking, re-reads `ZMQ_EVENTS` after
//! each send and receive, and wakes the tasks waiting in the other direction
//! when the events say they can go on. No wake-up is lost to another task's
//! operation on the same socket.
//!
//! Operations are cancellation-safe: a message is taken from or given to libzmq
//! synchronously, whole, between await points, so a dropped `recv` future
//! loses nothing and a dropped `send` future leaves no part of a multipart
//! message on the wire.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use futures_util::{Sink, Stream};
use tokio::sync::Notify;

use crate::error::{Error, Result};
use crate::{Message, Multipart, PollEvents, Socket, DONTWAIT, POLLIN, POLLOUT};

#[cfg(unix)]
mod wake {
    use std::os::unix::io::{AsRawFd, RawFd};

    use tokio::io::unix::AsyncFd;

    use crate::error::{Error, Result};
    use crate::Socket;

    struct ZmqFd(RawFd);

    impl AsRawFd for ZmqFd {
        fn as_raw_fd(&self) -> RawFd {
            self.0
        }
    }

    /// Wakes when `ZMQ_FD` signals that `ZMQ_EVENTS` may have changed.
    pub(super) struct Waker(AsyncFd<ZmqFd>);

    impl Waker {
        pub(super) fn new(socket: &Socket) -> Result<Waker> {
            let fd = socket.get_fd()?;
            // SAFETY: ZMQ_FD is the socket's mailbox signaler: it stays open, and
            // is the same descriptor, until the socket is closed. The Waker is
            // dropped first (field order in AsyncSocket) or, in `into_inner`,
            // while the socket lives on.
            let fd = unsafe {
                AsyncFd::register_with_interest(ZmqFd(fd), tokio::io::Interest::READABLE)
            }
            .map_err(|_| Error::EINVAL)?;
            Ok(Waker(fd))
        }

        pub(super) async fn wait(&self, _attempt: u32) -> Result<()> {
            let mut guard = self.0.readable().await.map_err(|_| Error::EINVAL)?;
            guard.clear_ready();
            Ok(())
        }
    }
}

#[cfg(not(unix))]
mod wake {
    use std::time::Duration;

    use crate::error::Result;
    use crate::Socket;

    /// Polls on a timer that backs off from 50 µs to 2 ms.
    pub(super) struct Waker;

    impl Waker {
        pub(super) fn new(_socket: &Socket) -> Result<Waker> {
            Ok(Waker)
        }

        pub(super) async fn wait(&self, attempt: u32) -> Result<()> {
            let micros = (50u64 << attempt.min(6)).min(2_000);
            tokio::time::sleep(Duration::from_micros(micros)).await;
            Ok(())
        }
    }
}

/// A socket for async code: any socket type, shared by any number of tasks
/// (`&self` methods; it is `Send + Sync`), with `Send` futures.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let ctx = zmq::Context::new();
/// let push = zmq::AsyncSocket::new(ctx.socket(zmq::PUSH).unwrap()).unwrap();
/// let pull = zmq::AsyncSocket::new(ctx.socket(zmq::PULL).unwrap()).unwrap();
/// push.bind("inproc://async-doc").unwrap();
/// pull.connect("inproc://async-doc").unwrap();
/// push.send("hello").await.unwrap();
/// assert_eq!(&pull.recv().await.unwrap()[..], b"hello");
/// # });
/// ```
pub struct AsyncSocket {
    // Declared first so it is dropped (deregistered) before the socket closes
    // the descriptor.
    waker: wake::Waker,
    socket: Mutex<Socket>,
    readable: Notify,
    writable: Notify,
    /// Tasks sleeping in `drive`: they need `ZMQ_EVENTS` re-read after others'
    /// operations.
    waiting: AtomicUsize,
}

impl AsyncSocket {
    /// Wraps a socket. Must be called inside a tokio runtime with I/O enabled
    /// (`EINVAL` otherwise).
    pub fn new(socket: Socket) -> Result<AsyncSocket> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::EINVAL);
        }
        Ok(AsyncSocket {
            waker: wake::Waker::new(&socket)?,
            socket: Mutex::new(socket),
            readable: Notify::new(),
            writable: Notify::new(),
            waiting: AtomicUsize::new(0),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Socket> {
        self.socket.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the socket (to bind, connect, set options...).
    pub fn with<T>(&self, f: impl FnOnce(&Socket) -> T) -> T {
        f(&self.lock())
    }

    /// Binds the socket.
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.lock().bind(endpoint)
    }

    /// Connects the socket.
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.lock().connect(endpoint)
    }

    /// Gives the socket back.
    pub fn into_inner(self) -> Socket {
        self.socket.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// Re-reads `ZMQ_EVENTS` and wakes the waiters it unblocks; returns them.
    fn refresh(&self, socket: &Socket) -> Result<PollEvents> {
        let events = socket.get_events()?;
        if events.contains(POLLIN) {
            self.readable.notify_waiters();
        }
        if events.contains(POLLOUT) {
            self.writable.notify_waiters();
        }
        Ok(events)
    }

    /// Repeats `operation` (a non-blocking operation, `Ok(None)` for "would
    /// block") until it succeeds, sleeping on `ZMQ_FD` and on the other tasks'
    /// notifications in between.
    async fn drive<T>(
        &self,
        want: PollEvents,
        mut operation: impl FnMut(&Socket) -> Result<Option<T>>,
    ) -> Result<T> {
        // Fast path: no registration when the operation can go at once.
        if let Some(value) = self.attempt(&mut operation)? {
            return Ok(value);
        }
        let notify = if want == POLLIN {
            &self.readable
        } else {
            &self.writable
        };
        let mut attempt = 0;
        loop {
            // Register for notifications before trying again, so none is missed
            // between the try and the sleep.
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            self.waiting.fetch_add(1, Ordering::SeqCst);
            let outcome = {
                let socket = self.lock();
                let outcome = operation(&socket);
                (outcome, self.refresh(&socket))
            };
            let ready = match outcome {
                (Ok(Some(value)), _) => {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Ok(value);
                }
                (Err(e), _) | (_, Err(e)) => {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(e);
                }
                (Ok(None), Ok(events)) => events.intersects(want),
            };
            if !ready {
                tokio::select! {
                    woken = self.waker.wait(attempt) => woken.inspect_err(|_| { self.waiting.fetch_sub(1, Ordering::SeqCst); })?,
                    _ = &mut notified => {}
                }
            }
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            attempt += 1;
        }
    }

    /// One try of `operation`. After a success, when other tasks wait on this
    /// socket, re-reads `ZMQ_EVENTS` for them: the operation may have consumed
    /// the `ZMQ_FD` signal they sleep on.
    fn attempt<T>(
        &self,
        operation: &mut impl FnMut(&Socket) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let socket = self.lock();
        let outcome = operation(&socket)?;
        if outcome.is_some() && self.waiting.load(Ordering::SeqCst) > 0 {
            self.refresh(&socket)?;
        }
        Ok(outcome)
    }

    /// Sends one frame.
    pub async fn send<T: Into<Message>>(&self, data: T) -> Result<()> {
        let mut msg = data.into();
        self.drive(POLLOUT, |s| {
            s.try_send(&mut msg, 0).map(|sent| sent.map(drop))
        })
        .await
    }

    /// Sends a multipart message, whole or not at all.
    pub async fn send_multipart<M: Into<Multipart>>(&self, parts: M) -> Result<()> {
        let mut parts = parts.into();
        self.drive(POLLOUT, |s| {
            match s.send_multipart_msg(&mut parts, DONTWAIT) {
                Ok(()) => Ok(Some(())),
                Err(Error::EAGAIN) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// Receives one frame.
    pub async fn recv(&self) -> Result<Message> {
        let mut msg = Message::new();
        self.drive(POLLIN, |s| s.try_recv(&mut msg, 0)).await?;
        Ok(msg)
    }

    /// Receives a whole multipart message.
    pub async fn recv_multipart(&self) -> Result<Multipart> {
        self.drive(POLLIN, |s| s.try_recv_multipart()).await
    }

    /// The incoming multipart messages, as a `Stream` (ends at the first error).
    pub fn incoming(&self) -> impl Stream<Item = Result<Multipart>> + Send + '_ {
        futures_util::stream::unfold(self, |socket| async move {
            let next = socket.recv_multipart().await;
            Some((next, socket))
        })
    }

    /// A `Sink` of outgoing multipart messages.
    pub fn outgoing(&self) -> impl Sink<Multipart, Error = Error> + Send + '_ {
        futures_util::sink::unfold(self, |socket, parts: Multipart| async move {
            socket.send_multipart(parts).await?;
            Ok::<_, Error>(socket)
        })
    }
}
