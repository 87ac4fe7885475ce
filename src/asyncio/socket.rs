//! [`AsyncSocket`]: a socket for async code, shared by any number of tasks.

use super::engine::Shared;
use super::ops::{RecvFuture, RecvMultipartFuture, SendFuture, SendMultipartFuture};
use super::sink::Outgoing;
use super::split::{RecvHalf, SendHalf};
use super::stream::Incoming;
use super::AsyncMonitor;
use crate::{Context, Message, Monitor, Multipart, Result, Socket};

/// A socket for async code: any socket type, used by any number of tasks at
/// once (`&self` methods; it is `Send + Sync`), with `Send` futures that are
/// safe to cancel. [`into_split`](AsyncSocket::into_split) gives owned halves
/// for separate tasks. See the [module docs](crate::asyncio) for the end-of-stream
/// and shutdown rules.
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
    shared: Shared,
}

impl AsyncSocket {
    /// Wraps a socket. Must be called inside a tokio runtime with I/O and time
    /// enabled (`EINVAL` otherwise); a socket libzmq does not know gives
    /// `ENOTSOCK`, a thread-safe (draft) socket type, which has no `ZMQ_FD`,
    /// `EINVAL`.
    pub fn new(socket: Socket) -> Result<AsyncSocket> {
        Shared::new(socket).map(AsyncSocket::from_shared)
    }

    pub(super) fn from_shared(shared: Shared) -> AsyncSocket {
        AsyncSocket { shared }
    }

    /// Runs `f` on the socket (to bind, connect, set options...). Do not block
    /// in `f`: it holds the socket's lock, which is not re-entrant, so `f`
    /// must not use this socket's `with`, `bind` or `connect`, or poll its
    /// futures (that would wait for itself forever).
    pub fn with<T>(&self, f: impl FnOnce(&Socket) -> T) -> T {
        f(&self.shared.lock())
    }

    /// Binds the socket.
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.with(|s| s.bind(endpoint))
    }

    /// Connects the socket.
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.with(|s| s.connect(endpoint))
    }

    /// Gives the socket back.
    pub fn into_inner(self) -> Socket {
        self.shared.into_socket()
    }

    /// Splits the socket into a receiving and a sending half, each owned
    /// (`'static`), to move into separate tasks; [`RecvHalf::reunite`] joins
    /// them again. The socket closes when both are dropped.
    pub fn into_split(self) -> (RecvHalf, SendHalf) {
        super::split::split(self.shared)
    }

    /// Sends one frame.
    pub fn send<T: Into<Message>>(&self, data: T) -> SendFuture<'_> {
        SendFuture::new(&self.shared, data.into())
    }

    /// Sends a multipart message, whole or not at all.
    pub fn send_multipart<M: Into<Multipart>>(&self, parts: M) -> SendMultipartFuture<'_> {
        SendMultipartFuture::new(&self.shared, parts.into())
    }

    /// Receives one frame.
    pub fn recv(&self) -> RecvFuture<'_> {
        RecvFuture::new(&self.shared)
    }

    /// Receives a whole multipart message.
    pub fn recv_multipart(&self) -> RecvMultipartFuture<'_> {
        RecvMultipartFuture::new(&self.shared)
    }

    /// The incoming multipart messages, as a `Stream` that yields its first
    /// error, then ends.
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming::new(&self.shared)
    }

    /// A `Sink` of outgoing multipart messages.
    pub fn outgoing(&self) -> Outgoing<'_> {
        Outgoing::new(&self.shared)
    }

    /// A stream of the socket's monitor events (a mask of `ZMQ_EVENT_*` bits,
    /// `SocketEvent::ALL` for all), through a [`Monitor`]; see
    /// [`AsyncMonitor`]. `ctx` is used only for a socket made by
    /// `Socket::from_raw`, as in [`Monitor::new`].
    pub fn monitor(&self, ctx: &Context, events: u64) -> Result<AsyncMonitor> {
        AsyncMonitor::new(self.with(|s| Monitor::new(ctx, s, events))?)
    }
}

impl std::fmt::Debug for AsyncSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSocket").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn cancelled_operations_leave_no_waiter_counted() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let ctx = Context::new();
            let pull = AsyncSocket::new(ctx.socket(crate::PULL).unwrap()).unwrap();
            pull.bind("inproc://socket-cancel").unwrap();
            let short = Duration::from_millis(20);
            assert!(tokio::time::timeout(short, pull.recv()).await.is_err());
            assert!(tokio::time::timeout(short, pull.recv_multipart())
                .await
                .is_err());
            tokio::select! {
                _ = pull.recv() => panic!("nothing was sent"),
                _ = tokio::time::sleep(short) => {}
            }
            assert_eq!(pull.shared.waiter_counts(), (0, 0, 0));

            let push = ctx.socket(crate::PUSH).unwrap();
            push.set_sndhwm(1).unwrap();
            push.set_linger(0).unwrap();
            // No peer, no pipe: sends wait.
            let push = AsyncSocket::new(push).unwrap();
            assert!(tokio::time::timeout(short, push.send("no peer"))
                .await
                .is_err());
            assert_eq!(push.shared.waiter_counts(), (0, 0, 0));
        });
    }
}
