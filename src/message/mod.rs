//! Messages: [`Message`], one frame (`zmq_msg_t`), and [`Multipart`], the frames
//! of one multipart message.

mod multipart;

use std::fmt;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};

pub use multipart::Multipart;

use crate::error::Result;
use crate::ffi::RawMsg;

/// A message frame: a `zmq_msg_t` owned by Rust.
///
/// It dereferences to its bytes. Building one from a `Vec<u8>`, a `Box<[u8]>`, a
/// `&'static [u8]` ([`Message::from_static`]) or any owned buffer
/// ([`Message::from_owned`]) does not copy: libzmq sends the buffer itself and
/// the buffer is dropped, exactly once, when libzmq is done with it.
///
/// Content that must stay read-only (static, or only borrowed through `AsRef`)
/// is marked shared inside libzmq when the message is made, and that mark
/// travels with the content wherever libzmq takes it (an `inproc` peer, a
/// proxy, a capture socket, [`share`](Message::share), `clone`): writing
/// through `DerefMut` to shared content always makes a private copy first.
///
/// `Clone` shares the content (`zmq_msg_copy`, no byte copied) and keeps
/// everything a receiver can ask: the bytes, [`get_more`](Message::get_more),
/// the metadata [`gets`](Message::gets) reads, and the draft routing id and
/// group.
///
/// ```
/// let msg = zmq::Message::from("hello");
/// assert_eq!(&msg[..], b"hello");
/// assert_eq!(msg.as_str(), Some("hello"));
/// ```
#[derive(Clone)]
pub struct Message {
    raw: RawMsg,
}

impl Message {
    /// An empty message (`zmq_msg_init`).
    #[doc(alias = "zmq_msg_init")]
    #[cfg_attr(zmq_inline, inline)]
    pub fn new() -> Message {
        Message::wrap(RawMsg::new())
    }

    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn wrap(raw: RawMsg) -> Message {
        Message { raw }
    }

    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn raw_mut(&mut self) -> &mut RawMsg {
        &mut self.raw
    }

    /// A message of `len` bytes that `init` initialises in place, skipping the
    /// zero-fill of [`Message::with_size`]. `init` gets the uninitialised bytes
    /// and returns them initialised (as `write_copy_of_slice` does); if it
    /// returns anything else, the message is zero-filled instead.
    ///
    /// ```
    /// let msg = zmq::Message::with_size_init(4, |buf| buf.write_copy_of_slice(b"abcd"));
    /// assert_eq!(&msg[..], b"abcd");
    /// ```
    ///
    /// # Panics
    /// As [`Message::with_size`].
    pub fn with_size_init(
        len: usize,
        init: impl for<'a> FnOnce(&'a mut [MaybeUninit<u8>]) -> &'a mut [u8],
    ) -> Message {
        allocated(len, RawMsg::alloc_init(len, init))
    }

    /// A message of `len` zero bytes.
    ///
    /// # Panics
    /// When `len` exceeds `isize::MAX` bytes (as `Vec` does);
    /// [`Message::try_with_size`] returns an error instead.
    pub fn with_size(len: usize) -> Message {
        allocated(len, RawMsg::alloc_zeroed(len))
    }

    /// A message of `len` zero bytes, or `ENOMEM` when libzmq cannot allocate
    /// them.
    ///
    /// ```
    /// assert_eq!(zmq::Message::try_with_size(3).unwrap().len(), 3);
    /// assert_eq!(zmq::Message::try_with_size(usize::MAX).unwrap_err(), zmq::Error::ENOMEM);
    /// ```
    pub fn try_with_size(len: usize) -> Result<Message> {
        Ok(Message::wrap(RawMsg::alloc_zeroed(len)?))
    }

    /// Same as [`Message::with_size`] (kept from `zmq` 0.9).
    #[deprecated(since = "0.9.1", note = "Use `with_size` instead")]
    pub fn with_capacity(len: usize) -> Message {
        Message::with_size(len)
    }

    /// A copy of `data` (kept from `zmq` 0.9).
    #[deprecated(since = "0.9.1", note = "Use the `From` trait instead")]
    pub fn from_slice(data: &[u8]) -> Message {
        Message::from(data)
    }

    /// A message over a static buffer, without copying it. The content is
    /// read-only: writing to the message (or to any copy of it, wherever
    /// libzmq takes it) copies first.
    ///
    /// ```
    /// let msg = zmq::Message::from_static(b"constant");
    /// assert_eq!(&msg[..], b"constant");
    /// ```
    pub fn from_static(data: &'static [u8]) -> Message {
        Message::wrap(RawMsg::from_static(data))
    }

    /// A message over any owned buffer, without copying it. libzmq drops the
    /// buffer, exactly once, when it is done with it (possibly on one of its I/O
    /// threads, hence `Send`). The content is read-only (the buffer is only
    /// borrowed through `AsRef`): writing to the message, or to any copy of
    /// it wherever libzmq takes it, copies first.
    pub fn from_owned<T: AsRef<[u8]> + Send + 'static>(buffer: T) -> Message {
        Message::wrap(RawMsg::from_owned(buffer))
    }

    /// A copy of `data` (`zmq_msg_init_buffer`, draft API).
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_msg_init_buffer")]
    pub fn from_buffer(data: &[u8]) -> Result<Message> {
        Ok(Message::wrap(RawMsg::from_buffer(data)?))
    }

    /// The size of the content in bytes (`zmq_msg_size`; the same as `len()`,
    /// with one call less).
    #[doc(alias = "zmq_msg_size")]
    #[cfg_attr(zmq_inline, inline(always))]
    pub fn size(&self) -> usize {
        self.raw.size()
    }

    /// The content as UTF-8, if it is.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self).ok()
    }

    /// Whether more frames of the same multipart message follow this one.
    #[doc(alias = "zmq_msg_more")]
    pub fn get_more(&self) -> bool {
        self.raw.more()
    }

    /// A metadata property of a received message: `"Socket-Type"`,
    /// `"Peer-Address"`, `"User-Id"`, `"Routing-Id"`, or `"X-..."` metadata a ZAP
    /// handler or the peer set. `None` when absent (or not UTF-8).
    #[doc(alias = "zmq_msg_gets")]
    pub fn gets<'a>(&'a mut self, property: &str) -> Option<&'a str> {
        self.raw.property(property)
    }

    /// Same as [`Message::gets`], through a shared reference.
    pub fn property(&self, property: &str) -> Option<&str> {
        self.raw.property(property)
    }

    /// The routing id of a message received on a SERVER socket, or to set before
    /// sending on one (draft API).
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_msg_routing_id")]
    pub fn routing_id(&self) -> Option<u32> {
        self.raw.routing_id()
    }

    /// Sets the routing id a SERVER socket sends this message to (draft API).
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn set_routing_id(&mut self, id: u32) -> Result<()> {
        Ok(self.raw.set_routing_id(id)?)
    }

    /// The group of a message received on a DISH socket (draft API).
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_msg_group")]
    pub fn group(&self) -> Option<&str> {
        self.raw.group()
    }

    /// Sets the group a RADIO socket publishes this message to (draft API; at
    /// most 255 bytes, no NUL), replacing a group it had.
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_msg_set_group")]
    pub fn set_group(&mut self, group: &str) -> Result<()> {
        Ok(self.raw.set_group(group)?)
    }

    /// The raw message, for `zmq_sys` calls. Whatever is done through it,
    /// [`get_more`](Message::get_more) reads libzmq's flag again afterwards.
    pub fn as_mut_ptr(&mut self) -> *mut zmq_sys::zmq_msg_t {
        self.raw.replaced()
    }

    /// A second message over the same content, without copying it
    /// (`zmq_msg_copy`), like `clone`. Writing to either later copies first.
    ///
    /// ```
    /// let mut a = zmq::Message::from(vec![7u8; 100]);
    /// let b = a.share();
    /// assert_eq!(a, b);
    /// ```
    #[doc(alias = "zmq_msg_copy")]
    pub fn share(&mut self) -> Message {
        Message::wrap(self.raw.share())
    }
}

/// The message of an allocation, or what Rust does when one fails: a panic for
/// an impossible size, `handle_alloc_error` when memory runs out.
fn allocated(len: usize, result: crate::ffi::Result<RawMsg>) -> Message {
    match result {
        Ok(raw) => Message::wrap(raw),
        Err(_) if isize::try_from(len).is_err() => panic!("message size overflow: {len}"),
        Err(_) => std::alloc::handle_alloc_error(crate::ffi::byte_layout(len)),
    }
}

impl Default for Message {
    fn default() -> Self {
        Message::new()
    }
}

impl Deref for Message {
    type Target = [u8];

    #[cfg_attr(zmq_inline, inline)]
    fn deref(&self) -> &[u8] {
        self.raw.bytes()
    }
}

impl DerefMut for Message {
    /// The content, writable: content that is shared with other messages or
    /// read-only is first copied into a private buffer (keeping the MORE flag,
    /// and in the draft API the routing id and group; libzmq's metadata
    /// properties cannot be attached to new content and are lost then).
    fn deref_mut(&mut self) -> &mut [u8] {
        self.raw.bytes_mut()
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self[..] == other[..]
    }
}

impl Eq for Message {}

impl fmt::Debug for Message {
    /// Prints the bytes as a list, as `zmq` 0.10 does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self[..], f)
    }
}

impl<'a> From<&'a [u8]> for Message {
    /// Copies the bytes.
    fn from(data: &'a [u8]) -> Message {
        allocated(data.len(), RawMsg::copy_of(data))
    }
}

impl<'a> From<&'a str> for Message {
    /// Copies the UTF-8 bytes.
    fn from(data: &'a str) -> Message {
        Message::from(data.as_bytes())
    }
}

impl From<String> for Message {
    /// Takes the string's bytes without copying them.
    fn from(data: String) -> Message {
        Message::from(data.into_bytes())
    }
}

impl From<Vec<u8>> for Message {
    /// Takes the vector without copying its bytes.
    fn from(data: Vec<u8>) -> Message {
        Message::wrap(RawMsg::from_vec(data))
    }
}

impl From<Box<[u8]>> for Message {
    /// Takes the box without copying its bytes.
    fn from(data: Box<[u8]>) -> Message {
        Message::wrap(RawMsg::from_box(data))
    }
}

#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl From<bytes::Bytes> for Message {
    /// Takes the `Bytes` without copying (the content is read-only; writing
    /// through `DerefMut` copies first).
    fn from(data: bytes::Bytes) -> Message {
        Message::from_owned(data)
    }
}

impl<'a, T> From<&'a T> for Message
where
    T: Into<Message> + Clone,
{
    /// Clones the value, then converts it.
    fn from(v: &'a T) -> Message {
        v.clone().into()
    }
}
