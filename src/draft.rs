//! The draft API (feature `draft`): thread-safe sockets, groups, peers and peer
//! state.

use std::ops::Deref;

use crate::error::{Error, Result};
use crate::ffi::c_string;
use crate::socket::SocketType;
use crate::{Context, Socket};

/// A thread-safe socket (SERVER, CLIENT, RADIO, DISH, GATHER, SCATTER, PEER,
/// CHANNEL): `Sync`, so one socket can be used from several threads at once.
/// Thread-safe sockets send and receive single-frame messages only.
///
/// ```
/// let ctx = zmq::Context::new();
/// let server = std::sync::Arc::new(ctx.thread_safe_socket(zmq::SERVER).unwrap());
/// server.bind("inproc://shared-doc").unwrap();
/// let client = ctx.thread_safe_socket(zmq::CLIENT).unwrap();
/// client.connect("inproc://shared-doc").unwrap();
/// client.send("hi", 0).unwrap();
/// let s = server.clone();
/// let got = std::thread::spawn(move || s.recv_msg(0).unwrap()).join().unwrap();
/// assert_eq!(&got[..], b"hi");
/// assert!(got.routing_id().is_some());
/// ```
#[derive(Debug)]
#[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
pub struct ThreadSafeSocket(Socket);

impl Deref for ThreadSafeSocket {
    type Target = Socket;
    fn deref(&self) -> &Socket {
        &self.0
    }
}

impl ThreadSafeSocket {
    /// Wraps a socket if libzmq says it is thread-safe; gives it back otherwise.
    ///
    /// Monitoring cannot be started on a shared socket (libzmq's
    /// `zmq_socket_monitor` is not thread-safe): start a [`Monitor`](crate::Monitor)
    /// before wrapping the socket, or after [`into_inner`](ThreadSafeSocket::into_inner).
    pub fn new(mut socket: Socket) -> std::result::Result<ThreadSafeSocket, Socket> {
        match socket.get(crate::sockopt::ThreadSafe) {
            Ok(true) => {
                socket.raw_mut().set_shared(true);
                Ok(ThreadSafeSocket(socket))
            }
            _ => Err(socket),
        }
    }

    /// The socket, no longer shareable.
    pub fn into_inner(mut self) -> Socket {
        self.0.raw_mut().set_shared(false);
        self.0
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
impl Context {
    /// A new thread-safe socket; `EINVAL` for a type that is not thread-safe.
    pub fn thread_safe_socket(&self, socket_type: SocketType) -> Result<ThreadSafeSocket> {
        ThreadSafeSocket::new(self.socket(socket_type)?).map_err(|_| Error::EINVAL)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
impl Socket {
    /// DISH: receive the messages of `group` (`zmq_join`).
    #[doc(alias = "zmq_join")]
    pub fn join(&self, group: &str) -> Result<()> {
        Ok(self.raw().group_call(true, &c_string(group)?)?)
    }

    /// DISH: stop receiving `group` (`zmq_leave`).
    #[doc(alias = "zmq_leave")]
    pub fn leave(&self, group: &str) -> Result<()> {
        Ok(self.raw().group_call(false, &c_string(group)?)?)
    }

    /// PEER: connects and returns the routing id to send to (`zmq_connect_peer`).
    #[doc(alias = "zmq_connect_peer")]
    pub fn connect_peer(&self, endpoint: &str) -> Result<u32> {
        Ok(self.raw().connect_peer(&c_string(endpoint)?)?)
    }

    /// ROUTER: the poll events (`POLLOUT`: can send) of the peer with this
    /// routing id (`zmq_socket_get_peer_state`); `EHOSTUNREACH` if unknown.
    #[doc(alias = "zmq_socket_get_peer_state")]
    pub fn peer_state(&self, routing_id: &[u8]) -> Result<crate::PollEvents> {
        let bits = self.raw().peer_state(routing_id)?;
        Ok(crate::PollEvents::from_bits_truncate(bits as i16))
    }
}
