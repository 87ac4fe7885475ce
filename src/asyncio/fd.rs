//! Sockets whose `ZMQ_FD` is registered with tokio's reactor: the only
//! `unsafe` code of the async layer.
//!
//! Each type here owns both the registration and the socket whose descriptor
//! it watches, declares the registration first (so it is dropped, and the
//! descriptor deregistered, before the socket closes the descriptor), and
//! hands the socket out only by shared reference, so it cannot be swapped for
//! another while registered. That is what the `SAFETY` comment below relies on.
//!
//! Where `ZMQ_FD` cannot be registered (not Unix: on Windows it is a socket
//! tokio's reactor does not take), readiness comes from a retry timer instead.

use std::ops::Deref;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use crate::{Monitor, Result, Socket};

#[cfg(not(unix))]
use super::timer::Readiness;
#[cfg(unix)]
use unix::Readiness;

/// A socket behind a mutex, with its `ZMQ_FD` registered.
pub(super) struct SharedSocket {
    // First: deregistered before the socket closes its descriptor.
    readiness: Readiness,
    socket: Mutex<Socket>,
}

/// The socket of a [`SharedSocket`], locked: read-only access.
pub(super) struct Locked<'a>(MutexGuard<'a, Socket>);

impl Deref for Locked<'_> {
    type Target = Socket;
    #[inline]
    fn deref(&self) -> &Socket {
        &self.0
    }
}

impl SharedSocket {
    /// Registers the socket's `ZMQ_FD` with the current runtime.
    pub(super) fn new(socket: Socket) -> Result<SharedSocket> {
        let readiness = Readiness::new(&socket)?;
        Ok(SharedSocket {
            readiness,
            socket: Mutex::new(socket),
        })
    }

    /// Locks the socket. Never held across an await or a blocking call.
    #[inline]
    pub(super) fn lock(&self) -> Locked<'_> {
        Locked(self.socket.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Ready once `ZMQ_FD` has signalled since the last `Ready` (the readiness
    /// is then cleared): `ZMQ_EVENTS` may have changed.
    pub(super) fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.readiness.poll(cx)
    }

    /// An operation went after a wait (see [`RetryTimer::restart`]; nothing
    /// to do where `ZMQ_FD` is registered).
    ///
    /// [`RetryTimer::restart`]: super::timer::RetryTimer::restart
    pub(super) fn restart_retries(&self) {
        #[cfg(not(unix))]
        self.readiness.restart();
    }

    /// Deregisters the descriptor, then gives the socket back.
    pub(super) fn into_socket(self) -> Socket {
        let SharedSocket { readiness, socket } = self;
        drop(readiness);
        socket.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A [`Monitor`] with the `ZMQ_FD` of its PAIR socket registered.
pub(super) struct MonitorSocket {
    // First: deregistered before the monitor closes its PAIR.
    readiness: Readiness,
    monitor: Monitor,
}

impl MonitorSocket {
    /// Registers the monitor's PAIR with the current runtime.
    pub(super) fn new(monitor: Monitor) -> Result<MonitorSocket> {
        let readiness = Readiness::new(monitor.socket())?;
        Ok(MonitorSocket { readiness, monitor })
    }

    /// The monitor.
    pub(super) fn monitor(&self) -> &Monitor {
        &self.monitor
    }

    /// As [`SharedSocket::poll_ready`].
    pub(super) fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.readiness.poll(cx)
    }
}

#[cfg(unix)]
mod unix {
    use std::os::unix::io::{AsRawFd, RawFd};
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::task::{Context, Poll};

    use tokio::io::unix::AsyncFd;
    use tokio::io::Interest;

    use crate::{Error, Result, Socket};

    /// A descriptor that belongs to libzmq: never closed here.
    struct ZmqFd(RawFd);

    impl AsRawFd for ZmqFd {
        fn as_raw_fd(&self) -> RawFd {
            self.0
        }
    }

    /// `ZMQ_FD` in tokio's reactor, read-only interest (libzmq's signaller is
    /// only ever readable).
    pub(in crate::asyncio) struct Readiness(AsyncFd<ZmqFd>);

    impl Readiness {
        /// Registers `socket`'s `ZMQ_FD`. Only for the owners in the parent
        /// module, which keep `socket` open, and the same, for as long as the
        /// `Readiness` lives.
        pub(super) fn new(socket: &Socket) -> Result<Readiness> {
            super::super::timer::require_runtime()?;
            let fd = socket.get_fd()?;
            // tokio panics when the runtime has no I/O driver: that is an
            // error here.
            let registered = catch_unwind(AssertUnwindSafe(|| {
                // SAFETY: `fd` is the socket's ZMQ_FD, the descriptor of its
                // mailbox signaller: it stays open and the same until the
                // socket is closed. Every owner of a `Readiness` (SharedSocket,
                // MonitorSocket) also owns that socket, declares the
                // `Readiness` first so it is dropped (deregistered) before the
                // socket, never gives the socket out by `&mut`, and
                // deregisters before handing the socket back (`into_socket`).
                unsafe { AsyncFd::register_with_interest(ZmqFd(fd), Interest::READABLE) }
            }));
            match registered {
                Ok(Ok(registered)) => Ok(Readiness(registered)),
                Ok(Err(_)) | Err(_) => Err(Error::EINVAL),
            }
        }

        /// Ready when the descriptor signalled; clears that readiness. An error
        /// (`EINVAL`) when the runtime that registered it is gone.
        pub(in crate::asyncio) fn poll(&self, cx: &mut Context<'_>) -> Poll<Result<()>> {
            match self.0.poll_read_ready(cx) {
                Poll::Ready(Ok(mut guard)) => {
                    guard.clear_ready();
                    Poll::Ready(Ok(()))
                }
                Poll::Ready(Err(_)) => Poll::Ready(Err(Error::EINVAL)),
                Poll::Pending => Poll::Pending,
            }
        }
    }
}
