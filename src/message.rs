//! [`Message`]: one libzmq message frame (`zmq_msg_t`), owned.

use std::ffi::{c_void, CStr, CString};
use std::fmt;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};
use std::ptr;

#[cfg(zmq_draft)]
use crate::error::{Error, Result};

/// A message frame: a `zmq_msg_t` owned by Rust.
///
/// It dereferences to its bytes. Building one from a `Vec<u8>`, a `Box<[u8]>`, a
/// `&'static [u8]` ([`Message::from_static`]) or any owned buffer
/// ([`Message::from_owned`]) does not copy: libzmq sends the buffer itself and
/// the buffer is dropped, exactly once, when libzmq is done with it.
/// `Clone` shares the content (`zmq_msg_copy`); writing through `DerefMut` to a
/// shared or borrowed-static content first makes a private copy.
///
/// ```
/// let msg = zmq::Message::from("hello");
/// assert_eq!(&msg[..], b"hello");
/// assert_eq!(msg.as_str(), Some("hello"));
/// ```
pub struct Message {
    msg: zmq_sys::zmq_msg_t,
    /// The content is a buffer libzmq must not write to (static or only
    /// borrowed through `AsRef`): copy before handing out `&mut [u8]`.
    read_only: bool,
}

impl Message {
    /// An empty message (`zmq_msg_init`).
    #[doc(alias = "zmq_msg_init")]
    pub fn new() -> Message {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init initialises the message and cannot fail.
        unsafe { zmq_sys::zmq_msg_init(msg.as_mut_ptr()) };
        // SAFETY: initialised just above.
        Message::wrap(unsafe { msg.assume_init() }, false)
    }

    fn wrap(msg: zmq_sys::zmq_msg_t, read_only: bool) -> Message {
        Message { msg, read_only }
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
    pub fn with_size_init(
        len: usize,
        init: impl for<'a> FnOnce(&'a mut [MaybeUninit<u8>]) -> &'a mut [u8],
    ) -> Message {
        let mut msg = Message::alloc_uninit(len);
        let data = msg.data_ptr();
        // SAFETY: the data pointer is valid for len bytes of a buffer this message
        // owns alone; MaybeUninit<u8> may hold uninitialised bytes.
        let buf = unsafe { std::slice::from_raw_parts_mut(data.cast::<MaybeUninit<u8>>(), len) };
        let done = init(buf);
        if done.as_ptr() != data.cast_const() || done.len() != len {
            // SAFETY: as above; writing zeroes initialises every byte.
            unsafe { ptr::write_bytes(data, 0, len) };
        }
        msg
    }

    /// A message of `len` bytes whose content is left uninitialised.
    ///
    /// # Safety
    /// The content must be written (through [`Message::as_mut_ptr`] and
    /// `zmq_msg_data`) before Rust code reads it, through `Deref` or otherwise.
    /// Sending it unwritten is allowed: libzmq copies bytes without
    /// interpreting them. The perf tools use this to match libzmq's own.
    pub unsafe fn with_size_uninit(len: usize) -> Message {
        Message::alloc_uninit(len)
    }

    fn data_ptr(&mut self) -> *mut u8 {
        // SAFETY: the message is initialised; zmq_msg_data returns its buffer.
        unsafe { zmq_sys::zmq_msg_data(&mut self.msg).cast::<u8>() }
    }

    /// A message holding a copy of `data`.
    fn copy_of(data: &[u8]) -> Message {
        let mut msg = Message::alloc_uninit(data.len());
        if !data.is_empty() {
            // SAFETY: the new buffer has room for data.len() bytes and does not
            // overlap data.
            unsafe { ptr::copy_nonoverlapping(data.as_ptr(), msg.data_ptr(), data.len()) };
        }
        msg
    }

    /// `zmq_msg_init_size`; the content is uninitialised, so this stays private.
    fn alloc_uninit(len: usize) -> Message {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init_size initialises the message or fails with ENOMEM.
        let rc = unsafe { zmq_sys::zmq_msg_init_size(msg.as_mut_ptr(), len) };
        if rc == -1 {
            // Only ENOMEM: treat it like any other failed allocation in Rust.
            std::alloc::handle_alloc_error(
                std::alloc::Layout::array::<u8>(len).unwrap_or(std::alloc::Layout::new::<u8>()),
            );
        }
        // SAFETY: initialised by the successful call above.
        Message::wrap(unsafe { msg.assume_init() }, false)
    }

    /// A message of `len` zero bytes.
    pub fn with_size(len: usize) -> Message {
        let mut msg = Message::alloc_uninit(len);
        // SAFETY: the buffer is valid for len bytes.
        unsafe { ptr::write_bytes(msg.data_ptr(), 0, len) };
        msg
    }

    /// Same as [`Message::with_size`] (kept from `zmq` 0.9).
    #[deprecated(since = "0.9.1", note = "Use `with_size` instead")]
    pub fn with_capacity(len: usize) -> Message {
        Message::with_size(len)
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
        Message::alloc_uninit(len)
    }

    /// A copy of `data` (kept from `zmq` 0.9).
    #[deprecated(since = "0.9.1", note = "Use the `From` trait instead")]
    pub fn from_slice(data: &[u8]) -> Message {
        Message::from(data)
    }

    /// A message over a static buffer, without copying it.
    ///
    /// ```
    /// let msg = zmq::Message::from_static(b"constant");
    /// assert_eq!(&msg[..], b"constant");
    /// ```
    pub fn from_static(data: &'static [u8]) -> Message {
        if data.is_empty() {
            return Message::new();
        }
        // SAFETY: the buffer lives forever and is never written through this
        // message (read_only makes DerefMut copy first); no free function.
        unsafe {
            Message::init_data(
                data.as_ptr().cast_mut(),
                data.len(),
                None,
                ptr::null_mut(),
                true,
            )
        }
    }

    /// A message over any owned buffer, without copying it. libzmq drops the
    /// buffer, exactly once, when it is done with it (possibly on one of its I/O
    /// threads, hence `Send`).
    pub fn from_owned<T: AsRef<[u8]> + Send + 'static>(buffer: T) -> Message {
        let boxed = Box::new(buffer);
        let data = (*boxed).as_ref();
        let (ptr, len) = (data.as_ptr().cast_mut(), data.len());
        if len == 0 {
            return Message::new();
        }
        let hint = Box::into_raw(boxed).cast::<c_void>();
        // SAFETY: ptr/len describe the buffer inside the box, which does not move
        // until free_boxed::<T> drops the box; the content is never written
        // through this message (read_only).
        unsafe { Message::init_data(ptr, len, Some(free_boxed::<T>), hint, true) }
    }

    /// `zmq_msg_init_data`.
    ///
    /// # Safety
    /// `data` must be valid for `len` bytes until `free(data, hint)` runs (or
    /// forever without `free`); `free` must release it.
    unsafe fn init_data(
        data: *mut u8,
        len: usize,
        free: zmq_sys::zmq_free_fn,
        hint: *mut c_void,
        read_only: bool,
    ) -> Message {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: the caller guarantees the buffer; zmq_msg_init_data fails only
        // with ENOMEM, in which case it does not take the buffer.
        let rc =
            unsafe { zmq_sys::zmq_msg_init_data(msg.as_mut_ptr(), data.cast(), len, free, hint) };
        if rc == -1 {
            if let Some(free) = free {
                // SAFETY: libzmq did not take the buffer: release it ourselves.
                unsafe { free(data.cast(), hint) };
            }
            std::alloc::handle_alloc_error(std::alloc::Layout::new::<zmq_sys::zmq_msg_t>());
        }
        // SAFETY: initialised by the successful call above.
        Message::wrap(unsafe { msg.assume_init() }, read_only)
    }

    /// A copy of `data` (`zmq_msg_init_buffer`, draft API).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_init_buffer")]
    pub fn from_buffer(data: &[u8]) -> Result<Message> {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: data is readable for its length; libzmq copies it and
        // initialises msg on success.
        let rc = unsafe {
            zmq_sys::zmq_msg_init_buffer(msg.as_mut_ptr(), data.as_ptr().cast(), data.len())
        };
        crate::raw::check(rc)?;
        // SAFETY: initialised by the successful call above.
        Ok(Message::wrap(unsafe { msg.assume_init() }, false))
    }

    /// The size of the content in bytes (`zmq_msg_size`; the same as `len()`,
    /// with one call less).
    #[doc(alias = "zmq_msg_size")]
    pub fn size(&self) -> usize {
        // SAFETY: zmq_msg_size only reads the initialised message.
        unsafe { zmq_sys::zmq_msg_size(ptr::addr_of!(self.msg).cast_mut()) }
    }

    /// The content as UTF-8, if it is.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self).ok()
    }

    /// Whether more frames of the same multipart message follow this one.
    #[doc(alias = "zmq_msg_more")]
    pub fn get_more(&self) -> bool {
        // SAFETY: the message is initialised; zmq_msg_more only reads it.
        unsafe { zmq_sys::zmq_msg_more(&self.msg) != 0 }
    }

    /// A metadata property of a received message: `"Socket-Type"`,
    /// `"Peer-Address"`, `"User-Id"`, `"Routing-Id"`, or `"X-..."` metadata a ZAP
    /// handler or the peer set. `None` when absent (or not UTF-8).
    #[doc(alias = "zmq_msg_gets")]
    pub fn gets<'a>(&'a mut self, property: &str) -> Option<&'a str> {
        self.property(property)
    }

    /// Same as [`Message::gets`], through a shared reference.
    pub fn property(&self, property: &str) -> Option<&str> {
        let name = CString::new(property).ok()?;
        // SAFETY: the message is initialised; name is NUL-terminated. The returned
        // string lives in the message's metadata, which lives as long as the
        // message's content, and so at least as long as &self.
        unsafe {
            let value = zmq_sys::zmq_msg_gets(&self.msg, name.as_ptr());
            if value.is_null() {
                None
            } else {
                CStr::from_ptr(value).to_str().ok()
            }
        }
    }

    /// The routing id of a message received on a SERVER socket, or to set before
    /// sending on one (draft API).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_routing_id")]
    pub fn routing_id(&self) -> Option<u32> {
        // SAFETY: zmq_msg_routing_id only reads the (initialised) message; it
        // takes a mutable pointer for historical reasons and does not write.
        let id = unsafe { zmq_sys::zmq_msg_routing_id(ptr::addr_of!(self.msg).cast_mut()) };
        (id != 0).then_some(id)
    }

    /// Sets the routing id a SERVER socket sends this message to (draft API).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn set_routing_id(&mut self, id: u32) -> Result<()> {
        // SAFETY: the message is initialised.
        crate::raw::check(unsafe { zmq_sys::zmq_msg_set_routing_id(&mut self.msg, id) }).map(drop)
    }

    /// The group of a message received on a DISH socket (draft API).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_group")]
    pub fn group(&self) -> Option<&str> {
        // SAFETY: the message is initialised; the group lives inside it.
        unsafe {
            let g = zmq_sys::zmq_msg_group(ptr::addr_of!(self.msg).cast_mut());
            if g.is_null() {
                None
            } else {
                CStr::from_ptr(g).to_str().ok().filter(|s| !s.is_empty())
            }
        }
    }

    /// Sets the group a RADIO socket publishes this message to (draft API; at
    /// most 15 bytes, no NUL).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_set_group")]
    pub fn set_group(&mut self, group: &str) -> Result<()> {
        let group = CString::new(group).map_err(|_| Error::EINVAL)?;
        // SAFETY: the message is initialised; group is NUL-terminated and copied.
        crate::raw::check(unsafe { zmq_sys::zmq_msg_set_group(&mut self.msg, group.as_ptr()) })
            .map(drop)
    }

    /// Whether the content is shared with other messages (after `Clone`, or
    /// when libzmq fanned one message out to several receivers).
    fn is_shared(&self) -> bool {
        // SAFETY: the message is initialised; ZMQ_SHARED is a read-only property.
        unsafe { zmq_sys::zmq_msg_get(&self.msg, zmq_sys::ZMQ_SHARED as i32) == 1 }
    }

    /// The raw message, for `zmq_sys` calls.
    pub fn as_mut_ptr(&mut self) -> *mut zmq_sys::zmq_msg_t {
        &mut self.msg
    }

    pub(crate) fn raw_mut(&mut self) -> &mut zmq_sys::zmq_msg_t {
        &mut self.msg
    }

    /// After a successful send or receive the content is libzmq's own (empty,
    /// or a received frame), so writing to it needs no copy.
    pub(crate) fn content_replaced(&mut self) {
        self.read_only = false;
    }
}

impl Drop for Message {
    fn drop(&mut self) {
        // SAFETY: the message is initialised and closed only here. zmq_msg_close
        // fails only for a corrupt message, which safe code cannot make.
        let _ = unsafe { zmq_sys::zmq_msg_close(&mut self.msg) };
    }
}

impl Default for Message {
    fn default() -> Self {
        Message::new()
    }
}

impl Clone for Message {
    /// Shares the content (`zmq_msg_copy`, no byte copied) when it is already
    /// shared, and copies the bytes otherwise: libzmq marks a content as shared
    /// by writing to the source message, which `&self` must not do. Use
    /// [`Message::share`] to share any content without copying it.
    fn clone(&self) -> Message {
        if !self.is_shared() {
            let mut copy = Message::from(&self[..]);
            copy.read_only = false;
            return copy;
        }
        let mut copy = Message::new();
        // SAFETY: both messages are initialised. For a source whose content is
        // already shared, zmq_msg_copy writes nothing to the source message: it
        // bumps atomic reference counts on the heap and reads the source's
        // fields, so a shared reference suffices (and concurrent clones are fine).
        let rc =
            unsafe { zmq_sys::zmq_msg_copy(&mut copy.msg, ptr::addr_of!(self.msg).cast_mut()) };
        if rc == -1 {
            return Message::from(&self[..]);
        }
        copy.read_only = self.read_only;
        copy
    }
}

impl Message {
    /// A second message over the same content, without copying it
    /// (`zmq_msg_copy`). Writing to either later copies first.
    ///
    /// ```
    /// let mut a = zmq::Message::from(vec![7u8; 100]);
    /// let b = a.share();
    /// assert_eq!(a, b);
    /// ```
    #[doc(alias = "zmq_msg_copy")]
    pub fn share(&mut self) -> Message {
        let mut copy = Message::new();
        // SAFETY: both messages are initialised and exclusively borrowed;
        // zmq_msg_copy marks the source's content shared and references it.
        let rc = unsafe { zmq_sys::zmq_msg_copy(&mut copy.msg, &mut self.msg) };
        if rc == -1 {
            return Message::from(&self[..]);
        }
        copy.read_only = self.read_only;
        copy
    }
}

impl Deref for Message {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: zmq_msg_data/zmq_msg_size only read the initialised message
        // (the mutable pointer type is historical); the data is valid for size
        // bytes for as long as the message is not modified, which &self ensures.
        unsafe {
            let raw = ptr::addr_of!(self.msg).cast_mut();
            let size = zmq_sys::zmq_msg_size(raw);
            if size == 0 {
                return &[];
            }
            std::slice::from_raw_parts(zmq_sys::zmq_msg_data(raw).cast::<u8>(), size)
        }
    }
}

impl DerefMut for Message {
    fn deref_mut(&mut self) -> &mut [u8] {
        if self.read_only || self.is_shared() {
            let mut private = Message::copy_of(self);
            std::mem::swap(&mut self.msg, &mut private.msg);
            self.read_only = false;
        }
        // SAFETY: the content is now owned by this message alone and writable;
        // it is valid for size bytes while &mut self is held.
        unsafe {
            let size = zmq_sys::zmq_msg_size(&self.msg);
            if size == 0 {
                return &mut [];
            }
            std::slice::from_raw_parts_mut(zmq_sys::zmq_msg_data(&mut self.msg).cast::<u8>(), size)
        }
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
        Message::copy_of(data)
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
        if data.len() == data.capacity() {
            return Message::from(data.into_boxed_slice());
        }
        let mut data = std::mem::ManuallyDrop::new(data);
        let (ptr, len) = (data.as_mut_ptr(), data.len());
        if len == 0 {
            std::mem::ManuallyDrop::into_inner(data);
            return Message::new();
        }
        let hint =
            Box::into_raw(Box::new(std::mem::ManuallyDrop::into_inner(data))).cast::<c_void>();
        // SAFETY: ptr/len describe the vector's heap buffer, which does not move
        // when the Vec header moves into the box; free_boxed::<Vec<u8>> drops
        // the box (and the buffer) exactly once. The buffer is writable.
        unsafe { Message::init_data(ptr, len, Some(free_boxed::<Vec<u8>>), hint, false) }
    }
}

impl From<Box<[u8]>> for Message {
    /// Takes the box without copying its bytes.
    fn from(data: Box<[u8]>) -> Message {
        let len = data.len();
        if len == 0 {
            return Message::new();
        }
        let ptr = Box::into_raw(data).cast::<u8>();
        // SAFETY: the box's buffer is valid for len bytes and writable; free_slice
        // rebuilds the box from (data, len-as-hint) and drops it exactly once.
        unsafe { Message::init_data(ptr, len, Some(free_slice), len as *mut c_void, false) }
    }
}

#[cfg(feature = "bytes")]
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

/// Frees a `Box<[u8]>` given to `zmq_msg_init_data`; the hint is its length.
unsafe extern "C" fn free_slice(data: *mut c_void, hint: *mut c_void) {
    let len = hint as usize;
    // SAFETY: data and len come from Box::into_raw of a Box<[u8]> of that length
    // in `From<Box<[u8]>>`, and libzmq calls this exactly once.
    drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(data.cast::<u8>(), len)) });
}

/// Frees a `Box<T>` given as the hint of `zmq_msg_init_data`.
unsafe extern "C" fn free_boxed<T>(_data: *mut c_void, hint: *mut c_void) {
    // SAFETY: hint comes from Box::into_raw of a Box<T> in this module, and
    // libzmq calls this exactly once.
    drop(unsafe { Box::from_raw(hint.cast::<T>()) });
}
