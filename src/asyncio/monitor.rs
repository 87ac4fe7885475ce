//! [`AsyncMonitor`]: a socket's monitor events as a `Stream`.

use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use futures_util::stream::{FusedStream, Stream};

use super::fd::MonitorSocket;
use crate::monitor::{Event, EventKind};
use crate::{Error, Monitor, Result};

/// The events of a socket's [`Monitor`], as a `Stream`.
///
/// It yields each event; after `MonitorStopped` (the monitored socket was
/// closed, or its monitoring stopped: no event can follow) or after an error
/// (`ETERM` once the context is shut down), it yields that item, then ends.
/// Include `SocketEvent::MONITOR_STOPPED` in the mask (`ALL` does) for the
/// stream to end when the socket closes.
///
/// Dropping it drops the [`Monitor`], which stops the monitoring first: it and
/// the monitored socket may be dropped in any order, on any thread.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use futures_util::StreamExt;
/// use zmq::monitor::EventKind;
/// let ctx = zmq::Context::new();
/// let server = zmq::AsyncSocket::new(ctx.socket(zmq::REP).unwrap()).unwrap();
/// let mut events = server.monitor(&ctx, zmq::SocketEvent::ALL.to_raw().into()).unwrap();
/// server.bind("tcp://127.0.0.1:*").unwrap();
/// let event = events.next().await.unwrap().unwrap();
/// assert!(matches!(event.kind, EventKind::Listening { .. }));
/// # });
/// ```
pub struct AsyncMonitor {
    socket: MonitorSocket,
    ended: bool,
}

/// Tries per poll before yielding (a bound: each try yields an event or waits).
const TRIES_PER_POLL: usize = 16;

impl AsyncMonitor {
    /// Wraps a monitor (version 1 or 2). Must be called inside a tokio runtime
    /// with I/O and time enabled (`EINVAL` otherwise).
    pub fn new(monitor: Monitor) -> Result<AsyncMonitor> {
        Ok(AsyncMonitor {
            socket: MonitorSocket::new(monitor)?,
            ended: false,
        })
    }

    fn end_with(&mut self, item: Result<Event>) -> Poll<Option<Result<Event>>> {
        self.ended = true;
        Poll::Ready(Some(item))
    }
}

impl Stream for AsyncMonitor {
    type Item = Result<Event>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Event>>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let coop = ready!(tokio::task::coop::poll_proceed(cx));
        for _ in 0..TRIES_PER_POLL {
            // A poll of the PAIR, which also processes its commands: after
            // `Ok(None)`, the next event raises ZMQ_FD.
            match this.socket.monitor().recv_timeout(Duration::ZERO) {
                Ok(Some(event)) => {
                    coop.made_progress();
                    if event.kind == EventKind::MonitorStopped {
                        return this.end_with(Ok(event));
                    }
                    return Poll::Ready(Some(Ok(event)));
                }
                Ok(None) => {}
                Err(Error::EINTR) => continue,
                Err(e) => return this.end_with(Err(e)),
            }
            match this.socket.poll_ready(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return this.end_with(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl FusedStream for AsyncMonitor {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

impl std::fmt::Debug for AsyncMonitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncMonitor")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}
