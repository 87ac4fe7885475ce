//! `zmq_poll`: [`PollItem`], [`PollEvents`] and [`poll`], as in the `zmq` 0.10 API.

use std::ffi::{c_long, c_short, c_void};
use std::marker::PhantomData;
use std::ptr;

use bitflags::bitflags;
use zmq_sys::RawFd;

use crate::error::Result;
use crate::raw::check;
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

/// One entry of a [`poll`] set: a socket or a file descriptor, the events to wait
/// for, and the events seen. Laid out exactly as `zmq_pollitem_t`.
#[repr(C)]
pub struct PollItem<'a> {
    socket: *mut c_void,
    fd: RawFd,
    events: c_short,
    revents: c_short,
    marker: PhantomData<&'a Socket>,
}

// The layout must stay zmq_pollitem_t's: `poll` passes the slice to libzmq.
const _: () = {
    assert!(
        std::mem::size_of::<PollItem<'static>>() == std::mem::size_of::<zmq_sys::zmq_pollitem_t>()
    );
    assert!(
        std::mem::align_of::<PollItem<'static>>()
            == std::mem::align_of::<zmq_sys::zmq_pollitem_t>()
    );
};

impl<'a> PollItem<'a> {
    pub(crate) fn from_socket(socket: &'a Socket, events: PollEvents) -> PollItem<'a> {
        PollItem {
            socket: socket.raw().as_ptr(),
            fd: 0,
            events: events.bits(),
            revents: 0,
            marker: PhantomData,
        }
    }

    /// An item for a file descriptor (or a Windows socket).
    pub fn from_fd(fd: RawFd, events: PollEvents) -> PollItem<'a> {
        PollItem {
            socket: ptr::null_mut(),
            fd,
            events: events.bits(),
            revents: 0,
            marker: PhantomData,
        }
    }

    /// Changes the events to wait for.
    pub fn set_events(&mut self, events: PollEvents) {
        self.events = events.bits();
    }

    /// The events seen by the last [`poll`].
    pub fn get_revents(&self) -> PollEvents {
        PollEvents::from_bits_truncate(self.revents)
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
        self.socket == socket.raw().as_ptr()
    }

    /// Whether this item polls the file descriptor `fd`.
    pub fn has_fd(&self, fd: RawFd) -> bool {
        self.socket.is_null() && self.fd == fd
    }
}

/// Waits until an item is ready or `timeout` milliseconds pass (-1: forever);
/// returns the number of ready items (`zmq_poll`).
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
    let len = i32::try_from(items.len()).map_err(|_| crate::Error::EINVAL)?;
    let timeout = c_long::try_from(timeout).unwrap_or(c_long::MAX);
    // SAFETY: PollItem has zmq_pollitem_t's layout (checked above); every socket
    // pointer comes from a live Socket borrowed for 'a by the item; libzmq
    // writes only the revents fields.
    let rc = unsafe {
        zmq_sys::zmq_poll(
            items.as_mut_ptr().cast::<zmq_sys::zmq_pollitem_t>(),
            len,
            timeout,
        )
    };
    check(rc)
}
