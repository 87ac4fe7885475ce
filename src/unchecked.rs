//! The public API whose safety the caller checks: raw libzmq handles taken in
//! from C code, messages with uninitialised content, and the `Sync` promise of
//! libzmq's thread-safe sockets. Each item states its contract; everything else
//! in the crate is safe to call.

use std::ffi::c_void;
use std::ptr::NonNull;
use std::sync::Arc;

use crate::ffi::{RawContext, RawMsg, RawSocket};
use crate::{Context, Message, Socket};

impl Context {
    /// Takes ownership of a context made elsewhere (by C code, say): it is
    /// terminated when the last clone and socket are gone.
    ///
    /// # Safety
    /// `ctx` must be a live libzmq context that nothing else terminates.
    pub unsafe fn from_raw(ctx: *mut c_void) -> Option<Context> {
        let ptr = NonNull::new(ctx)?;
        // SAFETY: the caller hands over a live context and its ownership.
        let raw = unsafe { RawContext::from_ptr(ptr, true) };
        Some(Context::from_shared(Arc::new(raw)))
    }

    /// Uses a context that C code (or other code) owns, without ever terminating
    /// it.
    ///
    /// # Safety
    /// `ctx` must be a live libzmq context that outlives this `Context`, its
    /// clones and its sockets.
    pub unsafe fn from_raw_borrowed(ctx: *mut c_void) -> Option<Context> {
        let ptr = NonNull::new(ctx)?;
        // SAFETY: the caller guarantees the context outlives every use here.
        let raw = unsafe { RawContext::from_ptr(ptr, false) };
        Some(Context::from_shared(Arc::new(raw)))
    }
}

impl Socket {
    /// Takes ownership of a socket made elsewhere; it is closed on drop. A
    /// socket that [`Socket::into_raw`] gave away takes back its hold on its
    /// context (which is then terminated only after this `Socket` is gone).
    ///
    /// # Safety
    /// `sock` must be a live libzmq socket that nothing else uses or closes, and
    /// whose context outlives this `Socket`.
    /// A null pointer gives a socket on which every call fails with `ENOTSOCK`.
    pub unsafe fn from_raw(sock: *mut c_void) -> Socket {
        // SAFETY: the caller hands over a live socket (or null, which libzmq
        // rejects with ENOTSOCK on every call) and its ownership.
        Socket::reclaimed(unsafe { RawSocket::from_ptr(sock, true) })
    }
}

impl Socket {
    /// Makes the next bind use `fd`, a listening socket bound already
    /// (`ZMQ_USE_FD`; -1 clears it). libzmq takes the descriptor over and
    /// closes it when the socket unbinds or closes.
    ///
    /// # Safety
    /// `fd` must be an open socket descriptor of the right kind (TCP or IPC,
    /// listening) that nothing else owns or closes, used for at most one bind.
    pub unsafe fn set_use_fd(&self, fd: zmq_sys::RawFd) -> crate::Result<()> {
        // An `int` for libzmq; RawFd is an `int` already except on Windows.
        #[allow(clippy::unnecessary_cast)]
        let value = (fd as i32).to_ne_bytes();
        // SAFETY: forwarded to the caller.
        Ok(unsafe {
            self.raw()
                .setsockopt_unchecked(zmq_sys::ZMQ_USE_FD as i32, Some(&value))
        }?)
    }

    /// Asks libzmq for a `ZMQ_EVENT_PIPES_STATS` event per pipe on the socket's
    /// version 2 monitor (`zmq_socket_monitor_pipes_stats`, draft). The answers
    /// reach the socket as commands, which it processes on its next use (a
    /// send, a receive, a `ZMQ_EVENTS` read).
    ///
    /// # Safety
    /// libzmq 4.3 sends a command to the peer of every pipe of the socket
    /// without checking that the peer is still there: a peer that disconnects
    /// or closes during the call makes libzmq use freed memory. Call it only
    /// while no peer can go away (every peer in this process, alive until the
    /// call returns), and never on a socket another thread uses.
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_socket_monitor_pipes_stats")]
    pub unsafe fn monitor_pipes_stats(&self) -> crate::Result<()> {
        // SAFETY: forwarded to the caller.
        Ok(unsafe { self.raw().monitor_pipes_stats() }?)
    }
}

impl Message {
    /// A message of `len` bytes whose content is left uninitialised.
    ///
    /// # Safety
    /// The content must be written (through [`Message::as_mut_ptr`] and
    /// `zmq_msg_data`) before Rust code reads it, through `Deref` or otherwise.
    /// Sending it unwritten is allowed: libzmq copies bytes without
    /// interpreting them. The perf tools use this to match libzmq's own.
    ///
    /// # Panics
    /// As [`Message::with_size`].
    #[cfg_attr(zmq_inline, inline(always))]
    pub unsafe fn with_size_uninit(len: usize) -> Message {
        // SAFETY: forwarded to the caller.
        match unsafe { RawMsg::alloc_uninit(len) } {
            Ok(raw) => Message::wrap(raw),
            Err(_) => Message::with_size(len),
        }
    }

    /// A message of `len` bytes whose content is left uninitialised, as in
    /// `zmq` 0.10 (the same as [`Message::with_size_uninit`]).
    ///
    /// # Safety
    /// The content is uninitialised memory: it must not be read through
    /// `Deref` or `DerefMut` before it is written (through C code that takes
    /// the raw message, say). Sending it unwritten is allowed: libzmq copies
    /// the bytes without interpreting them.
    #[deprecated(
        since = "0.9.1",
        note = "Use `with_size`, `with_size_init` or `with_size_uninit` instead"
    )]
    pub unsafe fn with_capacity_unallocated(len: usize) -> Message {
        // SAFETY: forwarded to the caller.
        unsafe { Message::with_size_uninit(len) }
    }
}

// SAFETY: libzmq guards every API call on a thread-safe socket (ZMQ_THREAD_SAFE
// = 1, checked when the wrapper is made) with the socket's own mutex, so shared
// references may call it from several threads at once.
#[cfg(zmq_draft)]
unsafe impl Sync for crate::ThreadSafeSocket {}
