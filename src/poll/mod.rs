//! Waiting for sockets and file descriptors: [`poll`] over [`PollItem`]s as in
//! the `zmq` 0.10 API, the reusable [`Poller`] with tokens, and [`Timers`].

mod poller;
mod timers;

use std::ffi::c_long;
use std::time::Duration;

use bitflags::bitflags;
use zmq_sys::RawFd;

pub use crate::ffi::PollItem;
pub use poller::{Poller, PollerBackend, ReadyEvents};
pub use timers::{TimerControl, Timers};

use crate::error::{Error, Result};
use crate::ffi;
use crate::Socket;

bitflags! {
    /// The events a [`PollItem`] waits for or saw.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct PollEvents: i16 {
        /// Readable: at least one message can be received without blocking.
        const POLLIN = zmq_sys::ZMQ_POLLIN as i16;
        /// Writable: at least one message can be sent without blocking.
        const POLLOUT = zmq_sys::ZMQ_POLLOUT as i16;
        /// An error condition (file descriptors only).
        const POLLERR = zmq_sys::ZMQ_POLLERR as i16;
        /// Priority data (file descriptors only).
        const POLLPRI = zmq_sys::ZMQ_POLLPRI as i16;
    }
}

/// Readable.
pub const POLLIN: PollEvents = PollEvents::POLLIN;
/// Writable.
pub const POLLOUT: PollEvents = PollEvents::POLLOUT;
/// Error.
pub const POLLERR: PollEvents = PollEvents::POLLERR;

/// Milliseconds for a wait: `None` is -1 (forever); more than fits is clamped.
pub(crate) fn timeout_millis(timeout: Option<std::time::Duration>) -> c_long {
    timeout.map_or(-1, |d| {
        c_long::try_from(d.as_millis()).unwrap_or(c_long::MAX)
    })
}

impl<'a> PollItem<'a> {
    /// An item for a file descriptor (or a Windows socket).
    pub fn from_fd(fd: RawFd, events: PollEvents) -> PollItem<'a> {
        PollItem::fd(fd, events.bits())
    }

    /// Changes the events to wait for.
    pub fn set_events(&mut self, events: PollEvents) {
        self.set_raw_events(events.bits());
    }

    /// The events seen by the last [`poll`].
    pub fn get_revents(&self) -> PollEvents {
        PollEvents::from_bits_truncate(self.revents())
    }

    /// Whether the last poll saw `POLLIN`.
    pub fn is_readable(&self) -> bool {
        self.get_revents().contains(POLLIN)
    }

    /// Whether the last poll saw `POLLOUT`.
    pub fn is_writable(&self) -> bool {
        self.get_revents().contains(POLLOUT)
    }

    /// Whether the last poll saw `POLLERR`.
    pub fn is_error(&self) -> bool {
        self.get_revents().contains(POLLERR)
    }

    /// Whether this item polls `socket`.
    pub fn has_socket(&self, socket: &Socket) -> bool {
        self.socket_ptr() == socket.raw().as_ptr()
    }

    /// Whether this item polls the file descriptor `fd`.
    pub fn has_fd(&self, fd: RawFd) -> bool {
        self.socket_ptr().is_null() && self.fd_value() == fd
    }
}

/// Waits until an item is ready or `timeout` milliseconds pass (-1: forever);
/// returns the number of ready items (`zmq_poll`). With no items, it sleeps
/// `timeout` and returns 0, or fails with `EINVAL` for a negative `timeout`
/// (nothing could ever end the wait); more items than the process may open
/// files is `EINVAL` too (libzmq would abort).
///
/// ```
/// let ctx = zmq::Context::new();
/// let (a, b) = (ctx.socket(zmq::PAIR).unwrap(), ctx.socket(zmq::PAIR).unwrap());
/// a.bind("inproc://poll-doc").unwrap();
/// b.connect("inproc://poll-doc").unwrap();
/// b.send("ping", 0).unwrap();
/// let mut items = [a.as_poll_item(zmq::POLLIN)];
/// assert_eq!(zmq::poll(&mut items, 1000).unwrap(), 1);
/// assert!(items[0].is_readable());
/// ```
#[doc(alias = "zmq_poll")]
pub fn poll(items: &mut [PollItem], timeout: i64) -> Result<i32> {
    let timeout = c_long::try_from(timeout).unwrap_or(if timeout < 0 { -1 } else { c_long::MAX });
    ffi::poll(items, timeout).map_err(Error::from)
}

impl Socket {
    /// A [`PollItem`] for this socket, for [`poll`](crate::poll()).
    pub fn as_poll_item(&self, events: PollEvents) -> PollItem<'_> {
        PollItem::socket(self.raw(), events.bits())
    }

    /// Waits up to `timeout_ms` (-1: forever) for `events` on this socket alone.
    pub fn poll(&self, events: PollEvents, timeout_ms: i64) -> Result<i32> {
        poll(&mut [self.as_poll_item(events)], timeout_ms)
    }

    /// Waits up to `timeout` (`None`: no limit) for `events` on this socket
    /// alone, and returns those that are ready: empty when the time ran out.
    /// A timeout is rounded up to whole milliseconds; waiting for no events
    /// without a limit is refused (`EINVAL`), as it would never return.
    ///
    /// ```
    /// use std::time::Duration;
    /// let ctx = zmq::Context::new();
    /// let a = ctx.socket(zmq::PAIR).unwrap();
    /// let b = ctx.socket(zmq::PAIR).unwrap();
    /// a.bind("inproc://poll-for-doc").unwrap();
    /// b.connect("inproc://poll-for-doc").unwrap();
    /// let nothing = a.poll_for(zmq::POLLIN, Some(Duration::from_millis(1))).unwrap();
    /// assert!(nothing.is_empty());
    /// b.send("ping", 0).unwrap();
    /// assert_eq!(a.poll_for(zmq::POLLIN | zmq::POLLOUT, None).unwrap(), zmq::POLLIN | zmq::POLLOUT);
    /// ```
    pub fn poll_for(&self, events: PollEvents, timeout: Option<Duration>) -> Result<PollEvents> {
        let timeout = match timeout {
            None if events.is_empty() => return Err(Error::EINVAL),
            None => -1,
            Some(d) => c_long::try_from(d.as_nanos().div_ceil(1_000_000)).unwrap_or(c_long::MAX),
        };
        let mut items = [self.as_poll_item(events)];
        ffi::poll(&mut items, timeout)?;
        Ok(items[0].get_revents())
    }
}
