//! [`Message`]: one libzmq message frame (`zmq_msg_t`), owned.

use std::cell::UnsafeCell;
use std::ffi::{c_void, CStr, CString};
use std::fmt;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};
use std::ptr;
use std::sync::atomic::{AtomicU8, Ordering};

#[cfg(zmq_draft)]
use crate::error::Error;

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
pub struct Message {
    /// The libzmq message. `Clone` writes to it through a shared reference
    /// (the first `zmq_msg_copy` of unshared content sets its shared flag),
    /// under the lock in `state`; see the `Sync` impl.
    msg: UnsafeCell<zmq_sys::zmq_msg_t>,
    /// A tiny lock and a cache of the MORE flag: `LOCKED`, `MORE_KNOWN`, `MORE`.
    state: AtomicU8,
}

/// `state`: a thread holds the message's lock (in `clone` or `get_more`).
const LOCKED: u8 = 0b100;
/// `state`: `MORE` holds the message's MORE flag.
const MORE_KNOWN: u8 = 0b010;
/// `state`: the MORE flag, valid with `MORE_KNOWN`.
const MORE: u8 = 0b001;

// SAFETY: a zmq_msg_t may be used from any thread, one at a time; moving the
// owner provides that. The content's free function (for `from_owned`) drops a
// `T: Send`, which libzmq may do on any thread.
unsafe impl Send for Message {}

// SAFETY: what `&Message` can do from several threads at once:
// - read the content, size, metadata, routing id and group (`Deref`,
//   `property`, `routing_id`, `group`): libzmq reads fields that no `&self`
//   method writes;
// - `clone`, which may write the source's `flags` byte and its content's
//   reference count (`msg_t::copy` of unshared content), and `get_more`, which
//   reads that byte. Both run under the per-message lock in `state`, and no
//   other `&self` method touches the flags byte; every other reference-count
//   change libzmq makes from `&self` paths (shared content, metadata, long
//   groups) is atomic.
unsafe impl Sync for Message {}

// The lock is never held across code that can panic.
impl std::panic::RefUnwindSafe for Message {}

impl Message {
    /// An empty message (`zmq_msg_init`).
    #[doc(alias = "zmq_msg_init")]
    pub fn new() -> Message {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init initialises the message and cannot fail.
        unsafe { zmq_sys::zmq_msg_init(msg.as_mut_ptr()) };
        // SAFETY: initialised just above.
        Message::wrap(unsafe { msg.assume_init() })
    }

    fn wrap(msg: zmq_sys::zmq_msg_t) -> Message {
        Message {
            msg: UnsafeCell::new(msg),
            state: AtomicU8::new(0),
        }
    }

    /// The message for shared-reference calls that only read it.
    fn ptr(&self) -> *mut zmq_sys::zmq_msg_t {
        self.msg.get()
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

    /// The content's first byte, for writing: the message is exclusively
    /// borrowed and its content is its own (new, or checked unshared).
    fn data_ptr(&mut self) -> *mut u8 {
        // SAFETY: the message is initialised; zmq_msg_data returns its buffer.
        unsafe { zmq_sys::zmq_msg_data(self.msg.get_mut()).cast::<u8>() }
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
    /// Running out of memory is handled like any failed allocation in Rust.
    fn alloc_uninit(len: usize) -> Message {
        Message::try_alloc_uninit(len)
            .unwrap_or_else(|_| std::alloc::handle_alloc_error(byte_layout(len)))
    }

    fn try_alloc_uninit(len: usize) -> Result<Message, crate::Error> {
        if isize::try_from(len).is_err() {
            return Err(crate::Error::ENOMEM);
        }
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init_size initialises the message or fails with ENOMEM
        // (leaving nothing to free).
        let rc = unsafe { zmq_sys::zmq_msg_init_size(msg.as_mut_ptr(), len) };
        crate::raw::check(rc)?;
        // SAFETY: initialised by the successful call above.
        Ok(Message::wrap(unsafe { msg.assume_init() }))
    }

    /// A message of `len` zero bytes.
    ///
    /// # Panics
    /// When `len` exceeds `isize::MAX` bytes (as `Vec` does);
    /// [`Message::try_with_size`] returns an error instead.
    pub fn with_size(len: usize) -> Message {
        match Message::try_with_size(len) {
            Ok(msg) => msg,
            Err(_) if isize::try_from(len).is_err() => panic!("message size overflow: {len}"),
            Err(_) => std::alloc::handle_alloc_error(byte_layout(len)),
        }
    }

    /// A message of `len` zero bytes, or `ENOMEM` when libzmq cannot allocate
    /// them.
    ///
    /// ```
    /// assert_eq!(zmq::Message::try_with_size(3).unwrap().len(), 3);
    /// assert_eq!(zmq::Message::try_with_size(usize::MAX).unwrap_err(), zmq::Error::ENOMEM);
    /// ```
    pub fn try_with_size(len: usize) -> Result<Message, crate::Error> {
        let mut msg = Message::try_alloc_uninit(len)?;
        // SAFETY: the new buffer is valid for len bytes and this message's own.
        unsafe { ptr::write_bytes(msg.data_ptr(), 0, len) };
        Ok(msg)
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

    /// A message over a static buffer, without copying it. The content is
    /// read-only: writing to the message (or to any copy of it, wherever
    /// libzmq takes it) copies first.
    ///
    /// ```
    /// let msg = zmq::Message::from_static(b"constant");
    /// assert_eq!(&msg[..], b"constant");
    /// ```
    pub fn from_static(data: &'static [u8]) -> Message {
        if data.is_empty() {
            return Message::new();
        }
        // SAFETY: the buffer lives forever; without a free function libzmq makes
        // a constant message, and `init_data` marks it shared so nobody writes
        // to it.
        unsafe { Message::init_data(data.as_ptr().cast_mut(), data.len(), None, ptr::null_mut()) }
    }

    /// A message over any owned buffer, without copying it. libzmq drops the
    /// buffer, exactly once, when it is done with it (possibly on one of its I/O
    /// threads, hence `Send`). The content is read-only (the buffer is only
    /// borrowed through `AsRef`): writing to the message, or to any copy of
    /// it wherever libzmq takes it, copies first.
    pub fn from_owned<T: AsRef<[u8]> + Send + 'static>(buffer: T) -> Message {
        let boxed = Box::into_raw(Box::new(buffer));
        // SAFETY: boxed comes from Box::into_raw just above; the buffer it
        // refers to stays in place until free_boxed::<T> rebuilds and drops the
        // box. The pointer is derived from the raw box pointer, which nothing
        // else uses until then.
        let data = unsafe { (*boxed).as_ref() };
        let (ptr, len) = (data.as_ptr().cast_mut(), data.len());
        if len == 0 {
            // SAFETY: boxed is still owned here: free it as libzmq would have.
            unsafe { free_boxed::<T>(ptr::null_mut(), boxed.cast()) };
            return Message::new();
        }
        // SAFETY: ptr/len describe the buffer inside the box, valid until
        // free_boxed::<T> drops the box; init_data marks the content shared, so
        // it is never written through any message.
        unsafe { Message::init_data(ptr, len, Some(free_boxed::<T>), boxed.cast()) }
    }

    /// `zmq_msg_init_data` over read-only content: the new message's content is
    /// marked shared (`ZMQ_SHARED` is 1), so `DerefMut` copies before writing,
    /// here and in every message libzmq makes from it.
    ///
    /// # Safety
    /// `data` must be valid for `len` bytes until `free(data, hint)` runs (or
    /// forever without `free`); `free` must release it.
    unsafe fn init_data(
        data: *mut u8,
        len: usize,
        free: zmq_sys::zmq_free_fn,
        hint: *mut c_void,
    ) -> Message {
        // SAFETY: forwarded from the caller.
        let mut msg = unsafe { Message::init_data_writable(data, len, free, hint) };
        if !msg.is_shared() {
            // A `zmq_msg_copy` sets the source's shared flag (and a reference
            // count of 2); closing the copy drops the count back to 1. The flag
            // stays with the content's message wherever libzmq moves it.
            let mut mark = Message::new();
            // SAFETY: both messages are initialised and exclusively borrowed.
            unsafe { zmq_sys::zmq_msg_copy(mark.msg.get_mut(), msg.msg.get_mut()) };
        }
        msg
    }

    /// `zmq_msg_init_data` over content the message may write to.
    ///
    /// # Safety
    /// As [`Message::init_data`], and the buffer must be writable and owned by
    /// the message alone.
    unsafe fn init_data_writable(
        data: *mut u8,
        len: usize,
        free: zmq_sys::zmq_free_fn,
        hint: *mut c_void,
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
        Message::wrap(unsafe { msg.assume_init() })
    }

    /// A copy of `data` (`zmq_msg_init_buffer`, draft API).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_init_buffer")]
    pub fn from_buffer(data: &[u8]) -> Result<Message, Error> {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: data is readable for its length; libzmq copies it and
        // initialises msg on success.
        let rc = unsafe {
            zmq_sys::zmq_msg_init_buffer(msg.as_mut_ptr(), data.as_ptr().cast(), data.len())
        };
        crate::raw::check(rc)?;
        // SAFETY: initialised by the successful call above.
        Ok(Message::wrap(unsafe { msg.assume_init() }))
    }

    /// The size of the content in bytes (`zmq_msg_size`; the same as `len()`,
    /// with one call less).
    #[doc(alias = "zmq_msg_size")]
    pub fn size(&self) -> usize {
        // SAFETY: zmq_msg_size only reads the message's type and size fields.
        unsafe { zmq_sys::zmq_msg_size(self.ptr()) }
    }

    /// The content as UTF-8, if it is.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self).ok()
    }

    /// Whether more frames of the same multipart message follow this one.
    #[doc(alias = "zmq_msg_more")]
    pub fn get_more(&self) -> bool {
        if let Some(more) = cached_more(self.state.load(Ordering::Acquire)) {
            return more;
        }
        let state = self.lock();
        // SAFETY: the lock excludes `clone`, the only `&self` writer of the flags
        // byte that zmq_msg_more reads.
        let more =
            cached_more(state).unwrap_or_else(|| unsafe { zmq_sys::zmq_msg_more(self.ptr()) } != 0);
        self.unlock(more);
        more
    }

    /// The MORE flag, through an exclusive borrow (no lock needed).
    fn more_exclusive(&mut self) -> bool {
        if let Some(more) = cached_more(*self.state.get_mut()) {
            return more;
        }
        // SAFETY: the message is initialised and exclusively borrowed.
        let more = unsafe { zmq_sys::zmq_msg_more(self.msg.get_mut()) } != 0;
        *self.state.get_mut() = known(more);
        more
    }

    /// Takes the message's lock; returns the state before it (unlocked).
    fn lock(&self) -> u8 {
        let mut spins = 0u32;
        let mut state = self.state.load(Ordering::Relaxed);
        loop {
            if state & LOCKED == 0 {
                match self.state.compare_exchange_weak(
                    state,
                    state | LOCKED,
                    Ordering::Acquire,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => return state,
                    Err(now) => state = now,
                }
                continue;
            }
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
            state = self.state.load(Ordering::Relaxed);
        }
    }

    /// Releases the lock, caching the MORE flag.
    fn unlock(&self, more: bool) {
        self.state.store(known(more), Ordering::Release);
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
        // SAFETY: zmq_msg_gets reads the message's metadata pointer, which no
        // `&self` method changes; name is NUL-terminated. The returned string
        // lives in the metadata, which the message holds until it is closed or
        // refilled, both of which need `&mut self`: so at least as long as &self.
        unsafe {
            let value = zmq_sys::zmq_msg_gets(self.ptr(), name.as_ptr());
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
        // SAFETY: zmq_msg_routing_id only reads the routing id field, which no
        // `&self` method writes.
        let id = unsafe { zmq_sys::zmq_msg_routing_id(self.ptr()) };
        (id != 0).then_some(id)
    }

    /// Sets the routing id a SERVER socket sends this message to (draft API).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn set_routing_id(&mut self, id: u32) -> Result<(), Error> {
        // SAFETY: the message is initialised and exclusively borrowed.
        crate::raw::check(unsafe { zmq_sys::zmq_msg_set_routing_id(self.msg.get_mut(), id) })
            .map(drop)
    }

    /// The group of a message received on a DISH socket (draft API).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_msg_group")]
    pub fn group(&self) -> Option<&str> {
        // SAFETY: zmq_msg_group reads the group field, which no `&self` method
        // writes; the group lives inside the message (or its long-group block,
        // held until the message is closed) for as long as &self.
        unsafe {
            let g = zmq_sys::zmq_msg_group(self.ptr());
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
    pub fn set_group(&mut self, group: &str) -> Result<(), Error> {
        let group = CString::new(group).map_err(|_| Error::EINVAL)?;
        // SAFETY: the message is initialised and exclusively borrowed; group is
        // NUL-terminated and copied.
        crate::raw::check(unsafe { zmq_sys::zmq_msg_set_group(self.msg.get_mut(), group.as_ptr()) })
            .map(drop)
    }

    /// Whether the content is shared with other messages or read-only (after
    /// `Clone` or `share`, when libzmq fanned one message out to several
    /// receivers, or for read-only content).
    fn is_shared(&mut self) -> bool {
        // SAFETY: the message is initialised and exclusively borrowed.
        unsafe { zmq_sys::zmq_msg_get(self.msg.get_mut(), zmq_sys::ZMQ_SHARED as i32) == 1 }
    }

    /// The raw message, for `zmq_sys` calls. Whatever is done through it,
    /// [`get_more`](Message::get_more) reads libzmq's flag again afterwards.
    pub fn as_mut_ptr(&mut self) -> *mut zmq_sys::zmq_msg_t {
        self.raw_mut()
    }

    /// The raw message for a call that may replace its content (send, receive):
    /// forgets the cached MORE flag.
    pub(crate) fn raw_mut(&mut self) -> &mut zmq_sys::zmq_msg_t {
        *self.state.get_mut() = 0;
        self.msg.get_mut()
    }
}

fn known(more: bool) -> u8 {
    MORE_KNOWN | u8::from(more)
}

fn cached_more(state: u8) -> Option<bool> {
    (state & MORE_KNOWN != 0).then_some(state & MORE != 0)
}

fn byte_layout(len: usize) -> std::alloc::Layout {
    std::alloc::Layout::array::<u8>(len).unwrap_or(std::alloc::Layout::new::<u8>())
}

impl Drop for Message {
    fn drop(&mut self) {
        // SAFETY: the message is initialised and closed only here. zmq_msg_close
        // fails only for a corrupt message, which safe code cannot make.
        let _ = unsafe { zmq_sys::zmq_msg_close(self.msg.get_mut()) };
    }
}

impl Default for Message {
    fn default() -> Self {
        Message::new()
    }
}

impl Clone for Message {
    /// A second message over the same content (`zmq_msg_copy`: no byte is
    /// copied), with the same MORE flag, metadata, routing id and group.
    /// Writing to either later copies first.
    fn clone(&self) -> Message {
        let state = self.lock();
        let mut copy = Message::new();
        // SAFETY: both messages are initialised; `copy` is ours alone. For
        // unshared content zmq_msg_copy writes the source's flags byte and its
        // content's reference count: allowed through the UnsafeCell, and
        // exclusive because we hold the source's lock (see the Sync impl); it
        // writes nothing else of the source. The copy cannot fail for a valid
        // message.
        let more = unsafe {
            zmq_sys::zmq_msg_copy(copy.msg.get_mut(), self.ptr());
            cached_more(state).unwrap_or_else(|| zmq_sys::zmq_msg_more(self.ptr()) != 0)
        };
        self.unlock(more);
        *copy.state.get_mut() = known(more);
        copy
    }
}

impl Message {
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
        let more = self.more_exclusive();
        let mut copy = Message::new();
        // SAFETY: both messages are initialised and exclusively borrowed;
        // zmq_msg_copy marks the source's content shared and references it.
        unsafe { zmq_sys::zmq_msg_copy(copy.msg.get_mut(), self.msg.get_mut()) };
        *copy.state.get_mut() = known(more);
        copy
    }
}

impl Deref for Message {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: zmq_msg_data/zmq_msg_size read the message's type and content
        // fields, which no `&self` method writes; the data is valid for size
        // bytes and not written while &self is held (writes need `&mut self`
        // and content shared with other messages is never written in place).
        unsafe {
            let size = zmq_sys::zmq_msg_size(self.ptr());
            if size == 0 {
                return &[];
            }
            std::slice::from_raw_parts(zmq_sys::zmq_msg_data(self.ptr()).cast::<u8>(), size)
        }
    }
}

impl DerefMut for Message {
    /// The content, writable: content that is shared with other messages or
    /// read-only is first copied into a private buffer (keeping the MORE flag,
    /// and in the draft API the routing id and group; libzmq's metadata
    /// properties cannot be attached to new content and are lost then).
    fn deref_mut(&mut self) -> &mut [u8] {
        if self.is_shared() {
            self.make_private();
        }
        // SAFETY: the content is now owned by this message alone and writable;
        // it is valid for size bytes while &mut self is held.
        unsafe {
            let msg = self.msg.get_mut();
            let size = zmq_sys::zmq_msg_size(msg);
            if size == 0 {
                return &mut [];
            }
            std::slice::from_raw_parts_mut(zmq_sys::zmq_msg_data(msg).cast::<u8>(), size)
        }
    }
}

impl Message {
    /// Replaces shared content by a private copy.
    fn make_private(&mut self) {
        let more = self.more_exclusive();
        let mut private = Message::copy_of(self);
        #[cfg(zmq_draft)]
        {
            if let Some(id) = self.routing_id() {
                let _ = private.set_routing_id(id);
            }
            if let Some(group) = self.group().map(str::to_owned) {
                let _ = private.set_group(&group);
            }
        }
        std::mem::swap(self.msg.get_mut(), private.msg.get_mut());
        *self.state.get_mut() = known(more);
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
        if data.is_empty() {
            return Message::new();
        }
        if data.len() == data.capacity() {
            return Message::from(data.into_boxed_slice());
        }
        let boxed = Box::into_raw(Box::new(data));
        // SAFETY: boxed comes from Box::into_raw just above; the vector's heap
        // buffer is derived from it and stays in place until free_boxed drops
        // the box (and the buffer) exactly once. The buffer is writable and
        // owned by the message alone.
        unsafe {
            let (ptr, len) = ((*boxed).as_mut_ptr(), (*boxed).len());
            Message::init_data_writable(ptr, len, Some(free_boxed::<Vec<u8>>), boxed.cast())
        }
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
        // SAFETY: the box's buffer is valid for len bytes, writable and owned by
        // the message alone; free_slice rebuilds the box from (data,
        // len-as-hint) and drops it exactly once.
        unsafe { Message::init_data_writable(ptr, len, Some(free_slice), len as *mut c_void) }
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
