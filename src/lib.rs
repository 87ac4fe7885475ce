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
//! `unsafe` code lives in three places, each block with the reason it is
//! sound: the `ffi` folder (the calls into libzmq and the owners of its
//! handles and messages), `unchecked.rs` (the public API whose contract the
//! caller checks: raw handles from C, uninitialised messages, the `Sync` of
//! thread-safe sockets) and, with the `tokio` feature, `asyncio/fd.rs` (the
//! registration of `ZMQ_FD` with tokio). `tests/unsafe_files.rs` fails if
//! another file holds any. Handles are owned by RAII types; `Drop` never
//! panics; unknown numbers from libzmq become variants or errors; a context is
//! never terminated twice. `ARCHITECTURE.md` shows the modules and which way
//! their dependencies run.
//!
//! # Build modes
//! By default `zmq-sys` compiles libzmq 4.3.5 from source with CURVE (libsodium).
//! The `system` feature, or `ZMQ_SYS_USE_PKG_CONFIG=1`, links the system's libzmq
//! instead; `draft`, `pgm` and `norm` add libzmq's draft API and multicast
//! transports. See the README for every switch.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Badges name the features users turn on, not the cfgs the build script derives.
#![cfg_attr(
    docsrs,
    doc(auto_cfg(hide(zmq_draft, zmq_vendored, zmq_curve, zmq_pgm, zmq_norm)))
)]

#[cfg(feature = "tokio")]
pub mod asyncio;
mod context;
#[cfg(zmq_draft)]
mod draft;
mod error;
mod ffi;
mod message;
pub mod monitor;
mod options;
mod poll;
mod proxy;
pub mod security;
#[cfg(feature = "serde")]
mod serde;
mod socket;
mod unchecked;

/// The guide: ZeroMQ's patterns with this crate, one doc test each.
#[doc = include_str!("../docs/guide.md")]
pub mod guide {}

pub use crate::options::context as ctxopt;
pub use crate::options::socket as sockopt;

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use crate::asyncio::{AsyncMonitor, AsyncSocket};
pub use crate::context::Context;
#[cfg(zmq_draft)]
#[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
pub use crate::draft::ThreadSafeSocket;
pub use crate::error::{Error, OpError, Result};
pub use crate::message::{Message, Multipart};
pub use crate::monitor::{Monitor, SocketEvent};
pub use crate::poll::{
    poll, PollEvents, PollItem, Poller, PollerBackend, ReadyEvents, TimerControl, Timers, POLLERR,
    POLLIN, POLLOUT,
};
pub use crate::proxy::{
    proxy, proxy_steerable, proxy_steerable_with_capture, proxy_with_capture, steer, ProxyCommand,
    ProxyHandle, ProxyStatistics, SideStatistics,
};
pub use crate::security::{
    z85_decode, z85_encode, Authenticator, CertStore, Certificate, CurveKeyPair, DecodeError,
    EncodeError, ANY_DOMAIN,
};
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use crate::serde::{
    Codec, DecodeFrames, EncodeFrames, Json, MessagePack, MessagePackError, SerdeError,
};
pub use crate::socket::{
    Endpoint, Flags, Mechanism, Sendable, Socket, SocketType, SocketType::*, DONTWAIT, SNDMORE,
};

/// The version of the libzmq this crate runs on: `(major, minor, patch)`.
///
/// ```
/// let (major, minor, _) = zmq::version();
/// assert_eq!((major, minor), (4, 3));
/// ```
#[doc(alias = "zmq_version")]
pub fn version() -> (i32, i32, i32) {
    ffi::version()
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
    Some(name.is_some_and(|name| ffi::has(&name)))
}
