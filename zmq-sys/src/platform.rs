//! Types whose definition in `zmq.h` depends on the platform, written by hand so
//! the committed bindings are right everywhere (bindgen would freeze the host's).

use core::ffi::{c_short, c_void};

/// The type of a file descriptor or socket handle in `zmq_pollitem_t` and the
/// `zmq_poller_*_fd` functions: `int` on POSIX systems.
#[cfg(not(windows))]
#[allow(non_camel_case_types)]
pub type zmq_fd_t = core::ffi::c_int;

/// The type of a file descriptor or socket handle in `zmq_pollitem_t` and the
/// `zmq_poller_*_fd` functions: Winsock's `SOCKET` (`UINT_PTR`) on Windows.
#[cfg(windows)]
#[allow(non_camel_case_types)]
pub type zmq_fd_t = usize;

/// The raw file descriptor (POSIX) or socket (Windows) type that libzmq uses.
pub type RawFd = zmq_fd_t;

/// One entry of the array that `zmq_poll` takes.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
#[allow(non_camel_case_types)]
pub struct zmq_pollitem_t {
    /// A libzmq socket, or null to poll `fd` instead.
    pub socket: *mut c_void,
    /// A file descriptor, used when `socket` is null.
    pub fd: zmq_fd_t,
    /// The events to poll for (`ZMQ_POLLIN`, `ZMQ_POLLOUT`, ...).
    pub events: c_short,
    /// The events that occurred, written by `zmq_poll`.
    pub revents: c_short,
}

/// All zero: no socket, fd 0, no events (as zmq-sys 0.12.0's zeroed default).
impl Default for zmq_pollitem_t {
    fn default() -> Self {
        zmq_pollitem_t {
            socket: core::ptr::null_mut(),
            fd: 0,
            events: 0,
            revents: 0,
        }
    }
}

/// A libzmq message, opaque: 64 bytes that only libzmq's `zmq_msg_*`
/// functions read or write, passed by pointer.
///
/// `zmq.h` aligns it to the size of a pointer (GCC, Clang), or to 8 bytes (4 on
/// 32-bit) with MSVC; 8 everywhere is at least that on every target.
#[repr(C, align(8))]
#[derive(Debug, Copy, Clone)]
#[allow(non_camel_case_types)]
pub struct zmq_msg_t {
    /// The bytes libzmq keeps its message in.
    pub __: [core::ffi::c_uchar; 64],
}

impl Default for zmq_msg_t {
    fn default() -> Self {
        zmq_msg_t { __: [0; 64] }
    }
}

/// The signal set `zmq_ppoll` takes: the C library's `sigset_t`.
#[cfg(unix)]
pub use libc::sigset_t;

/// Windows has no signal sets; `zmq_ppoll` takes an untyped pointer there.
#[cfg(windows)]
#[allow(non_camel_case_types)]
pub type sigset_t = c_void;
