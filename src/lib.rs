//! Safe, fast, complete Rust bindings to libzmq (ZeroMQ) 4.3.
//!
//! A drop-in replacement for the `zmq` crate 0.10: the same names, signatures and
//! behaviour, without its panics, and with more beside it: every socket and
//! context option typed from one table ([`sockopt`], [`ctxopt`]), zero-copy
//! messages, whole-or-nothing [`Multipart`] messages, non-blocking calls that
//! return `Ok(None)`, and errors that say which call failed ([`OpError`]).
//!
//! # Concepts
//! - A [`Context`] holds I/O threads and sockets. Clone it freely; it is
//!   terminated once, when its last clone and socket are gone.
//! - A [`Socket`] has a [`SocketType`] (REQ/REP, PUB/SUB, PUSH/PULL,
//!   DEALER/ROUTER, PAIR, ...) and `bind`s or `connect`s to endpoints
//!   (`tcp://`, `ipc://`, `inproc://`, ...). It is `Send`, not `Sync`.
//! - A [`Message`] is one frame; a multipart message is several frames sent with
//!   [`SNDMORE`] or as a [`Multipart`].
//!
//! ```
//! let ctx = zmq::Context::new();
//! let server = ctx.socket(zmq::REP).unwrap();
//! server.bind("inproc://guide").unwrap();
//! let client = ctx.socket(zmq::REQ).unwrap();
//! client.connect("inproc://guide").unwrap();
//!
//! client.send("ping", 0).unwrap();
//! assert_eq!(server.recv_string(0).unwrap().as_deref(), Ok("ping"));
//! server.send("pong", 0).unwrap();
//! assert_eq!(client.recv_bytes(0).unwrap(), b"pong");
//! ```
//!
//! # Safety model
//! All `unsafe` code lives in a few small modules (`raw`, `message`, `poll`,
//! `z85`), each block with the reason it is sound. Handles are owned by RAII
//! types; `Drop` never panics; unknown numbers from libzmq become variants or
//! errors; a context is never terminated twice.
//!
//! # Build modes
//! By default `zmq-sys` compiles libzmq 4.3.5 from source with CURVE (libsodium).
//! The `system` feature, or `ZMQ_SYS_USE_PKG_CONFIG=1`, links the system's libzmq
//! instead; `draft`, `pgm` and `norm` add libzmq's draft API and multicast
//! transports. See the README for every switch.
#![warn(missing_docs)]

/// The `Access` of an option table row (`rw`, `ro`, `wo`); shared by the socket
/// and the context option tables, so defined before their modules.
macro_rules! access_value {
    (rw) => {
        $crate::sockopt::Access::ReadWrite
    };
    (ro) => {
        $crate::sockopt::Access::Read
    };
    (wo) => {
        $crate::sockopt::Access::Write
    };
}

#[cfg(feature = "tokio")]
pub mod asyncio;
mod context;
pub mod ctxopt;
#[cfg(zmq_draft)]
mod draft;
mod error;
mod kinds;
mod message;
pub mod monitor;
mod multipart;
mod poll;
mod poller;
mod proxy;
mod raw;
pub mod security;
mod socket;
pub mod sockopt;
mod timers;
mod z85;

#[cfg(feature = "tokio")]
pub use crate::asyncio::{AsyncMonitor, AsyncSocket};
pub use crate::context::Context;
#[cfg(zmq_draft)]
pub use crate::draft::ThreadSafeSocket;
pub use crate::error::{Error, OpError, Result};
pub use crate::kinds::{Mechanism, SocketEvent, SocketType, SocketType::*};
pub use crate::message::Message;
pub use crate::monitor::Monitor;
pub use crate::multipart::Multipart;
pub use crate::poll::{poll, PollEvents, PollItem, POLLERR, POLLIN, POLLOUT};
pub use crate::poller::{Poller, PollerBackend, ReadyEvents};
pub use crate::proxy::{
    proxy, proxy_steerable, proxy_steerable_with_capture, proxy_with_capture, steer, ProxyCommand,
    ProxyHandle, ProxyStatistics, SideStatistics,
};
pub use crate::security::{Authenticator, CertStore, Certificate, ANY_DOMAIN};
pub use crate::socket::{Sendable, Socket, DONTWAIT, SNDMORE};
pub use crate::timers::Timers;
pub use crate::z85::{z85_decode, z85_encode, CurveKeyPair, DecodeError, EncodeError};

/// The version of the libzmq this crate runs on: `(major, minor, patch)`.
///
/// ```
/// let (major, minor, _) = zmq::version();
/// assert_eq!((major, minor), (4, 3));
/// ```
#[doc(alias = "zmq_version")]
pub fn version() -> (i32, i32, i32) {
    raw::version()
}

/// Whether libzmq has a capability (`zmq_has`): `"ipc"`, `"pgm"`, `"tipc"`,
/// `"norm"`, `"curve"`, `"gssapi"`, `"draft"`, `"WS"`, `"WSS"` (case matters).
/// Always `Some`; a name with a NUL byte is `Some(false)`.
///
/// ```
/// assert_eq!(zmq::has("ipc"), Some(true));
/// ```
#[doc(alias = "zmq_has")]
pub fn has(capability: &str) -> Option<bool> {
    let name = std::ffi::CString::new(capability).ok();
    Some(name.is_some_and(|name| raw::has(&name)))
}
