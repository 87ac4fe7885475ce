//! [`Socket`]: one libzmq socket, owned, with the `zmq` 0.10 API and the typed
//! additions beside it. Its parts: what kind of socket it is ([`kind`]),
//! endpoints ([`endpoint`]), sending ([`send`]) and receiving ([`recv`]).

mod endpoint;
mod kind;
mod recv;
mod send;

use std::collections::BTreeMap;
use std::ffi::{c_int, c_void};
use std::sync::{Arc, Mutex};

pub(crate) use endpoint::unique_inproc;
pub use endpoint::Endpoint;
pub use kind::{Mechanism, SocketType};
pub use send::Sendable;

use crate::error::{Error, Result};
use crate::ffi::{self, RawContext, RawSocket};

/// Option values and endpoints must be shorter than this (64 KiB), so that
/// whatever the crate sets can be read back, a string with its NUL, into a
/// buffer of this size.
pub(crate) const MAX_VALUE_LEN: usize = 1 << 16;

/// Flag for `send` and `recv`: do not block (`EAGAIN` instead).
pub static DONTWAIT: i32 = zmq_sys::ZMQ_DONTWAIT as i32;
/// Flag for `send`: more frames of this multipart message follow.
pub static SNDMORE: i32 = zmq_sys::ZMQ_SNDMORE as i32;

bitflags::bitflags! {
    /// The flags of the calls beyond the `zmq` 0.10 API (`try_send`,
    /// `send_multipart_msg`, ...), typed; those calls take the 0.10 `i32`
    /// flags ([`DONTWAIT`], [`SNDMORE`]) as well.
    ///
    /// ```
    /// use zmq::Flags;
    /// let ctx = zmq::Context::new();
    /// let socket = ctx.socket(zmq::PUSH).unwrap();
    /// let mut parts: zmq::Multipart = vec!["a", "b"].into();
    /// // Nobody is connected: the first frame would block, nothing is queued.
    /// assert_eq!(socket.try_send_multipart_msg(&mut parts, Flags::empty()).unwrap(), None);
    /// assert_eq!(parts.len(), 2);
    /// ```
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct Flags: i32 {
        /// Do not block (`EAGAIN` instead); the `try_` calls add it themselves.
        const DONTWAIT = zmq_sys::ZMQ_DONTWAIT as i32;
        /// More frames of this multipart message follow (sending).
        const SNDMORE = zmq_sys::ZMQ_SNDMORE as i32;
    }
}

impl From<i32> for Flags {
    /// The `zmq` 0.10 form: [`DONTWAIT`], [`SNDMORE`], or 0.
    fn from(bits: i32) -> Flags {
        Flags::from_bits_retain(bits)
    }
}

/// A libzmq socket.
///
/// It is `Send` but not `Sync` (libzmq sockets must not be used from two threads
/// at once); it closes itself (`zmq_close`) when dropped, and holds on to its
/// context, so the context is terminated only after its sockets are gone.
///
/// ```
/// let ctx = zmq::Context::new();
/// let pull = ctx.socket(zmq::PULL).unwrap();
/// pull.bind("inproc://socket-doc").unwrap();
/// let push = ctx.socket(zmq::PUSH).unwrap();
/// push.connect("inproc://socket-doc").unwrap();
/// push.send_multipart(["job", "42"], 0).unwrap();
/// assert_eq!(pull.recv_multipart(0).unwrap(), vec![b"job".to_vec(), b"42".to_vec()]);
/// assert_eq!(pull.try_recv(&mut zmq::Message::new(), 0).unwrap(), None);
/// ```
pub struct Socket {
    raw: RawSocket,
    /// Keeps the context alive while the socket is; None for `from_raw` sockets.
    context: Option<Arc<RawContext>>,
    /// For a `from_raw` socket that `into_raw` gave away: the hold on its
    /// context taken back (only kept alive, never used as the socket's context).
    reclaimed: Option<Arc<RawContext>>,
}

/// The holds on their contexts of the sockets given away with `into_raw`, by
/// address, until `from_raw` takes one back.
static GIVEN_AWAY: Mutex<Holds> = Mutex::new(BTreeMap::new());

type Holds = BTreeMap<usize, Vec<Arc<RawContext>>>;

fn given_away() -> std::sync::MutexGuard<'static, Holds> {
    GIVEN_AWAY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Socket {
    pub(crate) fn new(raw: RawSocket, context: Option<Arc<RawContext>>) -> Socket {
        Socket {
            raw,
            context,
            reclaimed: None,
        }
    }

    /// A socket that `from_raw` takes over: if `into_raw` gave it away, its
    /// hold on the context comes back with it.
    pub(crate) fn reclaimed(raw: RawSocket) -> Socket {
        let address = raw.as_ptr() as usize;
        let mut given_away = given_away();
        let reclaimed = given_away.get_mut(&address).and_then(Vec::pop);
        if given_away.get(&address).is_some_and(Vec::is_empty) {
            given_away.remove(&address);
        }
        Socket {
            raw,
            context: None,
            reclaimed,
        }
    }

    pub(crate) fn raw(&self) -> &RawSocket {
        &self.raw
    }

    #[cfg(zmq_draft)]
    pub(crate) fn raw_mut(&mut self) -> &mut RawSocket {
        &mut self.raw
    }

    /// The context the socket was made in (`None` for `from_raw` sockets).
    pub(crate) fn raw_context(&self) -> Option<&Arc<RawContext>> {
        self.context.as_ref()
    }

    /// Gives up ownership and returns the raw socket, which the caller must
    /// close. The socket's hold on its context goes with it, as in `zmq` 0.10:
    /// Rust never terminates a context that a socket it gave away may still
    /// use, which would wait for that socket forever. [`Socket::from_raw`] on
    /// the same pointer takes the hold back, so a round trip loses nothing.
    pub fn into_raw(self) -> *mut c_void {
        let Socket {
            raw,
            context,
            reclaimed,
        } = self;
        let ptr = raw.into_ptr();
        let holds: Vec<_> = context.into_iter().chain(reclaimed).collect();
        if !holds.is_empty() {
            given_away().entry(ptr as usize).or_default().extend(holds);
        }
        ptr
    }

    /// The raw socket handle, for `zmq_sys` calls.
    pub fn as_mut_ptr(&mut self) -> *mut c_void {
        self.raw.as_ptr()
    }

    /// Publishes the socket's events (`ZMQ_EVENT_*` mask) on a PAIR endpoint
    /// (`zmq_socket_monitor`); an empty endpoint stops monitoring.
    ///
    /// libzmq sends each event with a blocking send: once the PAIR that reads
    /// the endpoint is closed (or stops reading and its queue fills), the
    /// context's I/O thread waits for it forever. Stop monitoring before the
    /// reader goes away, or use [`Monitor`](crate::Monitor), which does it for
    /// you whatever the drop order.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn monitor(&self, monitor_endpoint: &str, events: i32) -> Result<()> {
        let endpoint = match monitor_endpoint {
            "" => None,
            endpoint => Some(ffi::c_string(endpoint)?),
        };
        self.raw.monitor(endpoint.as_deref(), events, false)?;
        Ok(())
    }

    /// Reads any option by number into `buf` (`zmq_getsockopt`); returns the
    /// length written. The escape hatch for options this crate does not know.
    pub fn get_raw_option(&self, option: c_int, buf: &mut [u8]) -> Result<usize> {
        Ok(self.raw.getsockopt(option, buf)?)
    }

    /// Writes any option by number (`zmq_setsockopt`); `None` passes NULL. A
    /// value of 64 KiB or more is `EINVAL`: no libzmq option takes one, and a
    /// readable option could not be read back.
    pub fn set_raw_option(&self, option: c_int, value: Option<&[u8]>) -> Result<()> {
        if value.is_some_and(|v| v.len() >= MAX_VALUE_LEN) {
            return Err(Error::EINVAL);
        }
        Ok(self.raw.setsockopt(option, value)?)
    }

    /// Reads an option of unknown length (binary, or a string with its NUL):
    /// a buffer that fits every usual value, grown while libzmq says it is too
    /// small, up to [`MAX_VALUE_LEN`] bytes.
    pub(crate) fn get_option_bytes(&self, option: c_int) -> Result<Vec<u8>> {
        let mut size = 256;
        loop {
            let mut buf = vec![0u8; size];
            match self.get_raw_option(option, &mut buf) {
                Ok(len) => {
                    buf.truncate(len);
                    return Ok(buf);
                }
                Err(Error::EINVAL) if size < MAX_VALUE_LEN => size = (size * 4).min(MAX_VALUE_LEN),
                Err(e) => return Err(e),
            }
        }
    }

    /// `ZMQ_FD`, read without the option table.
    fn fd(&self) -> Option<zmq_sys::RawFd> {
        let mut buf = [0u8; std::mem::size_of::<zmq_sys::RawFd>()];
        let len = self
            .raw
            .getsockopt(zmq_sys::ZMQ_FD as c_int, &mut buf)
            .ok()?;
        (len == buf.len()).then(|| zmq_sys::RawFd::from_ne_bytes(buf))
    }
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("raw", &self.raw.as_ptr())
            .finish()
    }
}

#[cfg(unix)]
impl std::os::unix::io::AsRawFd for Socket {
    /// The `ZMQ_FD` of the socket (-1 if libzmq cannot give it).
    fn as_raw_fd(&self) -> std::os::unix::io::RawFd {
        self.fd().unwrap_or(-1)
    }
}

#[cfg(windows)]
impl std::os::windows::io::AsRawSocket for Socket {
    /// The `ZMQ_FD` of the socket (`INVALID_SOCKET` if libzmq cannot give it).
    fn as_raw_socket(&self) -> std::os::windows::io::RawSocket {
        self.fd().map_or(u64::MAX, |fd| fd as u64)
    }
}
