//! [`Socket`]: one libzmq socket, owned, with the `zmq` 0.10 API and the typed
//! additions beside it.

use std::ffi::{c_int, c_void, CString};

use crate::error::{Error, OpError, Result};
use crate::message::Message;
use crate::multipart::Multipart;
use crate::poll::{PollEvents, PollItem};
use crate::raw::{EndpointCall, RawSocket};
use crate::sockopt::{Get, ReadableOption, Set, WritableOption};
use crate::Context;

/// Flag for `send` and `recv`: do not block (`EAGAIN` instead).
pub static DONTWAIT: i32 = zmq_sys::ZMQ_DONTWAIT as i32;
/// Flag for `send`: more frames of this multipart message follow.
pub static SNDMORE: i32 = zmq_sys::ZMQ_SNDMORE as i32;

/// A libzmq socket.
///
/// It is `Send` but not `Sync` (libzmq sockets must not be used from two threads
/// at once); it closes itself (`zmq_close`) when dropped, and holds a clone of
/// its [`Context`], so the context is terminated only after its sockets are gone.
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
    // Keeps the context alive while the socket is; None for `from_raw` sockets.
    _context: Option<Context>,
}

/// What [`Socket::send`] accepts: anything that becomes a [`Message`] (bytes,
/// strings, vectors, boxes, messages), and `&mut Message`, which is sent without
/// being consumed, so it can be reused.
pub trait Sendable {
    /// Sends `self` on `socket`.
    fn send(self, socket: &Socket, flags: i32) -> Result<()>;
}

impl<T> Sendable for T
where
    T: Into<Message>,
{
    fn send(self, socket: &Socket, flags: i32) -> Result<()> {
        let mut msg = self.into();
        socket.raw.send_msg(msg.raw_mut(), flags)?;
        // libzmq took the content and left an empty message that holds nothing:
        // closing it would only cost a call.
        std::mem::forget(msg);
        Ok(())
    }
}

impl Sendable for &mut Message {
    /// On success the message is left empty, ready for reuse; on failure it is
    /// left as it was.
    fn send(self, socket: &Socket, flags: i32) -> Result<()> {
        socket.send_msg_mut(self, flags).map(drop)
    }
}

impl Sendable for Multipart {
    /// Sends every frame (see [`Socket::send_multipart_msg`]).
    fn send(mut self, socket: &Socket, flags: i32) -> Result<()> {
        socket.send_multipart_msg(&mut self, flags)
    }
}

fn c_string(text: &str) -> Result<CString> {
    CString::new(text).map_err(|_| Error::EINVAL)
}

impl Socket {
    pub(crate) fn new(raw: RawSocket, context: Context) -> Socket {
        Socket {
            raw,
            _context: Some(context),
        }
    }

    pub(crate) fn raw(&self) -> &RawSocket {
        &self.raw
    }

    /// The context the socket was made in (`None` for `from_raw` sockets).
    pub(crate) fn context(&self) -> Option<&Context> {
        self._context.as_ref()
    }

    /// Takes ownership of a socket made elsewhere; it is closed on drop.
    ///
    /// # Safety
    /// `sock` must be a live libzmq socket that nothing else uses or closes, and
    /// whose context outlives this `Socket`.
    /// A null pointer gives a socket on which every call fails with `ENOTSOCK`.
    pub unsafe fn from_raw(sock: *mut c_void) -> Socket {
        Socket {
            // SAFETY: the caller hands over a live socket (or null, which libzmq
            // rejects with ENOTSOCK on every call) and its ownership.
            raw: unsafe { RawSocket::from_ptr(sock, true) },
            _context: None,
        }
    }

    /// Gives up ownership and returns the raw socket, which the caller must close.
    pub fn into_raw(self) -> *mut c_void {
        let Socket { raw, _context } = self;
        raw.into_ptr()
    }

    /// The raw socket handle, for `zmq_sys` calls.
    pub fn as_mut_ptr(&mut self) -> *mut c_void {
        self.raw.as_ptr()
    }

    fn endpoint(&self, call: EndpointCall, endpoint: &str) -> Result<()> {
        self.raw.endpoint_call(call, &c_string(endpoint)?)
    }

    /// Accepts connections on `endpoint` (`zmq_bind`), e.g. `tcp://127.0.0.1:*`,
    /// `ipc:///tmp/x`, `inproc://name`. A NUL byte in it gives `EINVAL`.
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Bind, endpoint)
    }

    /// Stops accepting connections on `endpoint` (`zmq_unbind`).
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Unbind, endpoint)
    }

    /// Connects to `endpoint` (`zmq_connect`).
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Connect, endpoint)
    }

    /// Disconnects from `endpoint` (`zmq_disconnect`).
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Disconnect, endpoint)
    }

    /// Like [`Socket::bind`], with an error that names the call and endpoint.
    pub fn try_bind(&self, endpoint: &str) -> std::result::Result<(), OpError> {
        self.bind(endpoint)
            .map_err(|e| OpError::new(EndpointCall::Bind.name(), e).with_target(endpoint))
    }

    /// Like [`Socket::connect`], with an error that names the call and endpoint.
    pub fn try_connect(&self, endpoint: &str) -> std::result::Result<(), OpError> {
        self.connect(endpoint)
            .map_err(|e| OpError::new(EndpointCall::Connect.name(), e).with_target(endpoint))
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
            endpoint => Some(c_string(endpoint)?),
        };
        self.raw.monitor(endpoint.as_deref(), events).map(drop)
    }

    /// Sends a message frame (`zmq_msg_send`). `flags`: [`DONTWAIT`], [`SNDMORE`].
    ///
    /// Vectors and boxes are sent without copying; `&mut Message` is sent without
    /// being consumed.
    #[doc(alias = "zmq_msg_send")]
    pub fn send<T: Sendable>(&self, data: T, flags: i32) -> Result<()> {
        data.send(self, flags)
    }

    /// Sends a message (kept from `zmq` 0.8).
    #[deprecated(since = "0.9.0", note = "Use `send` instead")]
    pub fn send_msg(&self, msg: Message, flags: i32) -> Result<()> {
        self.send(msg, flags)
    }

    /// Sends a string (kept from `zmq` 0.8).
    #[deprecated(since = "0.9.0", note = "Use `send` instead")]
    pub fn send_str(&self, data: &str, flags: i32) -> Result<()> {
        self.send(data, flags)
    }

    fn send_msg_mut(&self, msg: &mut Message, flags: i32) -> Result<usize> {
        self.raw.send_msg(msg.raw_mut(), flags)
    }

    /// Sends without blocking: `Ok(Some(bytes))` when sent, `Ok(None)` when it
    /// would block (the message is then left untouched, ready to retry).
    pub fn try_send(&self, msg: &mut Message, flags: i32) -> Result<Option<usize>> {
        match self.send_msg_mut(msg, flags | DONTWAIT) {
            Ok(n) => Ok(Some(n)),
            Err(Error::EAGAIN) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Sends the items as the frames of one multipart message.
    ///
    /// Use [`Socket::send_multipart_msg`] to be sure that a failure never leaves
    /// part of a message queued.
    pub fn send_multipart<I, T>(&self, iter: I, flags: i32) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<Message>,
    {
        let mut parts: Multipart = iter.into_iter().map(Into::into).collect();
        self.send_multipart_msg(&mut parts, flags)
    }

    /// Sends every frame of `parts` as one multipart message, emptying it.
    ///
    /// Whole or nothing: the first frame is sent with `flags` (so with
    /// [`DONTWAIT`] a full queue gives `EAGAIN` and `parts` is left intact);
    /// once it is queued, libzmq accepts the rest of the message regardless of
    /// the high-water mark, and the remaining frames are sent blocking (an
    /// interrupted send is retried), so no half message is left behind unless the
    /// context is terminated meanwhile.
    pub fn send_multipart_msg(&self, parts: &mut Multipart, flags: i32) -> Result<()> {
        let count = parts.len();
        if count == 0 {
            return Ok(());
        }
        let rest_flags = flags & !DONTWAIT;
        for index in 0..count {
            let more = if index + 1 < count { SNDMORE } else { 0 };
            let flags = if index == 0 { flags } else { rest_flags } | more;
            let msg = parts.front_mut().ok_or(Error::EFAULT)?;
            loop {
                match self.send_msg_mut(msg, flags) {
                    Ok(_) => break,
                    Err(Error::EINTR) if index > 0 => continue,
                    Err(e) => return Err(e),
                }
            }
            parts.pop_front();
        }
        Ok(())
    }

    /// Receives a frame into `msg`, replacing its content (`zmq_msg_recv`).
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv(&self, msg: &mut Message, flags: i32) -> Result<()> {
        self.raw.recv_msg(msg.raw_mut(), flags).map(drop)
    }

    /// Receives without blocking: `Ok(Some(bytes))`, or `Ok(None)` when no frame
    /// is waiting.
    pub fn try_recv(&self, msg: &mut Message, flags: i32) -> Result<Option<usize>> {
        match self.raw.recv_msg(msg.raw_mut(), flags | DONTWAIT) {
            Ok(n) => Ok(Some(n)),
            Err(Error::EAGAIN) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Receives a frame into `bytes` (`zmq_recv`); returns the frame's full
    /// size, which is larger than `bytes.len()` when it was cut off.
    #[doc(alias = "zmq_recv")]
    pub fn recv_into(&self, bytes: &mut [u8], flags: i32) -> Result<usize> {
        self.raw.recv_into(bytes, flags)
    }

    /// Receives a frame as a new [`Message`].
    pub fn recv_msg(&self, flags: i32) -> Result<Message> {
        let mut msg = Message::new();
        self.recv(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives a frame as bytes.
    pub fn recv_bytes(&self, flags: i32) -> Result<Vec<u8>> {
        self.recv_msg(flags).map(|msg| msg.to_vec())
    }

    /// Receives a frame as a string: `Ok(Err(bytes))` when it is not UTF-8.
    pub fn recv_string(&self, flags: i32) -> Result<std::result::Result<String, Vec<u8>>> {
        self.recv_bytes(flags)
            .map(|bytes| String::from_utf8(bytes).map_err(|e| e.into_bytes()))
    }

    /// Receives every frame of a multipart message, as byte vectors.
    pub fn recv_multipart(&self, flags: i32) -> Result<Vec<Vec<u8>>> {
        let mut parts = Multipart::new();
        self.recv_multipart_msg(&mut parts, flags)?;
        Ok(parts.into_iter().map(|m| m.to_vec()).collect())
    }

    /// Receives every frame of a multipart message into `parts`, replacing what
    /// it held and reusing its frames' storage. With [`DONTWAIT`], `EAGAIN`
    /// comes only before the first frame: the rest of a message arrives with it.
    pub fn recv_multipart_msg(&self, parts: &mut Multipart, flags: i32) -> Result<()> {
        parts.recv_from(self, flags)
    }

    /// Receives a multipart message without blocking: `Ok(None)` when none waits.
    pub fn try_recv_multipart(&self) -> Result<Option<Multipart>> {
        let mut parts = Multipart::new();
        match self.recv_multipart_msg(&mut parts, DONTWAIT) {
            Ok(()) => Ok(Some(parts)),
            Err(Error::EAGAIN) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads an option through its tag type (see [`sockopt`](crate::sockopt)).
    #[doc(alias = "zmq_getsockopt")]
    pub fn get<O: ReadableOption>(&self, _option: O) -> std::result::Result<O::Value, OpError> {
        O::Value::get(self, O::ID).map_err(|e| OpError::new(O::NAME, e))
    }

    /// Writes an option through its tag type (see [`sockopt`](crate::sockopt)).
    #[doc(alias = "zmq_setsockopt")]
    pub fn set<'a, O: WritableOption>(
        &self,
        _option: O,
        value: O::Arg<'a>,
    ) -> std::result::Result<(), OpError> {
        value.set(self, O::ID).map_err(|e| OpError::new(O::NAME, e))
    }

    /// Writes a time option as a `Duration` (`None`: -1, "never" or "no
    /// limit"); milliseconds beyond `i32::MAX` are clamped.
    ///
    /// ```
    /// use std::time::Duration;
    /// let ctx = zmq::Context::new();
    /// let s = ctx.socket(zmq::REQ).unwrap();
    /// s.set_duration(zmq::sockopt::RcvTimeo, Some(Duration::from_millis(250))).unwrap();
    /// assert_eq!(s.get_rcvtimeo().unwrap(), 250);
    /// s.set_duration(zmq::sockopt::Linger, None).unwrap();
    /// assert_eq!(s.get_duration(zmq::sockopt::Linger).unwrap(), None);
    /// ```
    pub fn set_duration<O>(
        &self,
        option: O,
        value: Option<std::time::Duration>,
    ) -> std::result::Result<(), OpError>
    where
        O: crate::sockopt::MillisOption + for<'a> WritableOption<Arg<'a> = i32>,
    {
        let millis = value.map_or(-1, |d| i32::try_from(d.as_millis()).unwrap_or(i32::MAX));
        self.set(option, millis)
    }

    /// Reads a time option as a `Duration` (`None` for a negative value).
    pub fn get_duration<O>(
        &self,
        option: O,
    ) -> std::result::Result<Option<std::time::Duration>, OpError>
    where
        O: crate::sockopt::MillisOption + ReadableOption<Value = i32>,
    {
        let millis = self.get(option)?;
        Ok(u64::try_from(millis)
            .ok()
            .map(std::time::Duration::from_millis))
    }

    /// Reads any option by number into `buf` (`zmq_getsockopt`); returns the
    /// length written. The escape hatch for options this crate does not know.
    pub fn get_raw_option(&self, option: c_int, buf: &mut [u8]) -> Result<usize> {
        self.raw.getsockopt(option, buf)
    }

    /// Writes any option by number (`zmq_setsockopt`); `None` passes NULL.
    pub fn set_raw_option(&self, option: c_int, value: Option<&[u8]>) -> Result<()> {
        self.raw.setsockopt(option, value)
    }

    /// A [`PollItem`] for this socket, for [`poll`](crate::poll()).
    pub fn as_poll_item(&self, events: PollEvents) -> PollItem<'_> {
        PollItem::from_socket(self, events)
    }

    /// Waits up to `timeout_ms` (-1: forever) for `events` on this socket alone.
    pub fn poll(&self, events: PollEvents, timeout_ms: i64) -> Result<i32> {
        crate::poll::poll(&mut [self.as_poll_item(events)], timeout_ms)
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
        self.get_fd().unwrap_or(-1)
    }
}

#[cfg(windows)]
impl std::os::windows::io::AsRawSocket for Socket {
    /// The `ZMQ_FD` of the socket (`INVALID_SOCKET` if libzmq cannot give it).
    fn as_raw_socket(&self) -> std::os::windows::io::RawSocket {
        self.get_fd().map_or(u64::MAX, |fd| fd as u64)
    }
}
