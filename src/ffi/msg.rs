//! [`RawMsg`]: the owner of one `zmq_msg_t`, with every `zmq_msg_*` call.

use std::cell::UnsafeCell;
use std::ffi::{c_void, CStr, CString};
use std::mem::MaybeUninit;
use std::ptr;
use std::sync::atomic::{AtomicU8, Ordering};

use super::{check, Errno, Result};

/// One libzmq message, initialised for its whole life and closed on drop.
///
/// Content that must stay read-only (static, or only borrowed through `AsRef`)
/// is marked shared inside libzmq when the message is made, and libzmq keeps
/// that mark with the content wherever it takes it (an `inproc` peer, a proxy,
/// a capture socket, `zmq_msg_copy`): [`RawMsg::bytes_mut`] copies shared
/// content before handing it out.
pub(crate) struct RawMsg {
    /// The libzmq message. `clone` writes to it through a shared reference
    /// (the first `zmq_msg_copy` of unshared content sets its shared flag),
    /// under the lock in `state`; see the `Sync` impl.
    msg: UnsafeCell<zmq_sys::zmq_msg_t>,
    /// A tiny lock and a cache of the MORE flag: `LOCKED`, `MORE_KNOWN`, `MORE`.
    state: AtomicU8,
}

/// `state`: a thread holds the message's lock (in `clone` or `more`).
const LOCKED: u8 = 0b100;
/// `state`: `MORE` holds the message's MORE flag.
const MORE_KNOWN: u8 = 0b010;
/// `state`: the MORE flag, valid with `MORE_KNOWN`.
const MORE: u8 = 0b001;

/// The longest group libzmq keeps inside the message itself (msg.cpp).
#[cfg(zmq_draft)]
const SHORT_GROUP_MAX: usize = 14;

fn known(more: bool) -> u8 {
    MORE_KNOWN | u8::from(more)
}

fn cached_more(state: u8) -> Option<bool> {
    (state & MORE_KNOWN != 0).then_some(state & MORE != 0)
}

// SAFETY: a zmq_msg_t may be used from any thread, one at a time; moving the
// owner provides that. The content's free function (for `from_owned`) drops a
// `T: Send`, which libzmq may do on any thread.
unsafe impl Send for RawMsg {}

// SAFETY: what `&RawMsg` can do from several threads at once:
// - read the content, size, metadata, routing id and group (`bytes`,
//   `property`, `routing_id`, `group`): libzmq reads fields that no `&self`
//   method writes;
// - `clone`, which may write the source's `flags` byte and its content's
//   reference count (`msg_t::copy` of unshared content), and `more`, which
//   reads that byte. Both run under the per-message lock in `state`, and no
//   other `&self` method touches the flags byte; every other reference-count
//   change libzmq makes from `&self` paths (shared content, metadata, long
//   groups) is atomic.
unsafe impl Sync for RawMsg {}

// The lock is never held across code that can panic.
impl std::panic::RefUnwindSafe for RawMsg {}

impl RawMsg {
    /// An empty message (`zmq_msg_init`).
    #[cfg_attr(zmq_inline, inline)]
    pub(crate) fn new() -> RawMsg {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init initialises the message and cannot fail.
        unsafe { zmq_sys::zmq_msg_init(msg.as_mut_ptr()) };
        // SAFETY: initialised just above.
        RawMsg::wrap(unsafe { msg.assume_init() })
    }

    #[cfg_attr(zmq_inline, inline(always))]
    fn wrap(msg: zmq_sys::zmq_msg_t) -> RawMsg {
        RawMsg {
            msg: UnsafeCell::new(msg),
            state: AtomicU8::new(0),
        }
    }

    /// The message for shared-reference calls that only read it.
    #[cfg_attr(zmq_inline, inline(always))]
    fn ptr(&self) -> *mut zmq_sys::zmq_msg_t {
        self.msg.get()
    }

    /// The message for a call that may replace its content (send, receive, C
    /// code): forgets the cached MORE flag.
    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn replaced(&mut self) -> *mut zmq_sys::zmq_msg_t {
        *self.state.get_mut() = 0;
        self.msg.get_mut()
    }

    /// `zmq_msg_init_size`: `len` bytes of uninitialised content.
    ///
    /// # Safety
    /// The content must be written (through C code, say) before it is read
    /// through `bytes` or `bytes_mut`.
    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) unsafe fn alloc_uninit(len: usize) -> Result<RawMsg> {
        if isize::try_from(len).is_err() {
            return Err(Errno::ENOMEM);
        }
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init_size initialises the message or fails with ENOMEM
        // (leaving nothing to free).
        check(unsafe { zmq_sys::zmq_msg_init_size(msg.as_mut_ptr(), len) })?;
        // SAFETY: initialised by the successful call above.
        Ok(RawMsg::wrap(unsafe { msg.assume_init() }))
    }

    /// The first byte of content this message owns alone (new or unshared).
    fn data_ptr(&mut self) -> *mut u8 {
        // SAFETY: the message is initialised; zmq_msg_data returns its buffer.
        unsafe { zmq_sys::zmq_msg_data(self.msg.get_mut()).cast::<u8>() }
    }

    /// `len` zero bytes.
    pub(crate) fn alloc_zeroed(len: usize) -> Result<RawMsg> {
        // SAFETY: every byte is written right below, before any read.
        let mut msg = unsafe { RawMsg::alloc_uninit(len) }?;
        // SAFETY: the new buffer is valid for len bytes and this message's own.
        unsafe { ptr::write_bytes(msg.data_ptr(), 0, len) };
        Ok(msg)
    }

    /// `len` bytes that `init` initialises in place; zero-filled instead if
    /// `init` returns anything but the whole buffer it was given.
    pub(crate) fn alloc_init(
        len: usize,
        init: impl for<'a> FnOnce(&'a mut [MaybeUninit<u8>]) -> &'a mut [u8],
    ) -> Result<RawMsg> {
        // SAFETY: every byte is initialised below (by `init`, or zeroed) before
        // the message is returned.
        let mut msg = unsafe { RawMsg::alloc_uninit(len) }?;
        let data = msg.data_ptr();
        // SAFETY: data is valid for len bytes of a buffer this message owns
        // alone; MaybeUninit<u8> may hold uninitialised bytes.
        let buf = unsafe { std::slice::from_raw_parts_mut(data.cast::<MaybeUninit<u8>>(), len) };
        let done = init(buf);
        // Safe code can only return the same buffer as `&mut [u8]` once every
        // byte is written; anything else is zeroed.
        if done.as_ptr() != data.cast_const() || done.len() != len {
            // SAFETY: as above; writing zeroes initialises every byte.
            unsafe { ptr::write_bytes(data, 0, len) };
        }
        Ok(msg)
    }

    /// A copy of `data`.
    pub(crate) fn copy_of(data: &[u8]) -> Result<RawMsg> {
        // SAFETY: every byte is copied in right below.
        let mut msg = unsafe { RawMsg::alloc_uninit(data.len()) }?;
        if !data.is_empty() {
            // SAFETY: the new buffer has room for data.len() bytes and does not
            // overlap data.
            unsafe { ptr::copy_nonoverlapping(data.as_ptr(), msg.data_ptr(), data.len()) };
        }
        Ok(msg)
    }

    /// A message over a static buffer, without copying it (read-only).
    pub(crate) fn from_static(data: &'static [u8]) -> RawMsg {
        if data.is_empty() {
            return RawMsg::new();
        }
        // SAFETY: the buffer lives forever; without a free function libzmq makes
        // a constant message, and `init_data` marks it shared so nobody writes
        // to it.
        unsafe { RawMsg::init_data(data.as_ptr().cast_mut(), data.len(), None, ptr::null_mut()) }
    }

    /// A message over any owned buffer, without copying it (read-only).
    pub(crate) fn from_owned<T: AsRef<[u8]> + Send + 'static>(buffer: T) -> RawMsg {
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
            return RawMsg::new();
        }
        // SAFETY: ptr/len describe the buffer inside the box, valid until
        // free_boxed::<T> drops the box; init_data marks the content shared, so
        // it is never written through any message.
        unsafe { RawMsg::init_data(ptr, len, Some(free_boxed::<T>), boxed.cast()) }
    }

    /// Takes a vector's bytes without copying them (writable).
    pub(crate) fn from_vec(data: Vec<u8>) -> RawMsg {
        if data.is_empty() {
            return RawMsg::new();
        }
        if data.len() == data.capacity() {
            return RawMsg::from_box(data.into_boxed_slice());
        }
        let boxed = Box::into_raw(Box::new(data));
        // SAFETY: boxed comes from Box::into_raw just above; the vector's heap
        // buffer is derived from it and stays in place until free_boxed drops
        // the box (and the buffer) exactly once. The buffer is writable and
        // owned by the message alone.
        unsafe {
            let (ptr, len) = ((*boxed).as_mut_ptr(), (*boxed).len());
            RawMsg::init_data_writable(ptr, len, Some(free_boxed::<Vec<u8>>), boxed.cast())
        }
    }

    /// Takes a boxed slice's bytes without copying them (writable).
    pub(crate) fn from_box(data: Box<[u8]>) -> RawMsg {
        let len = data.len();
        if len == 0 {
            return RawMsg::new();
        }
        let ptr = Box::into_raw(data).cast::<u8>();
        // SAFETY: the box's buffer is valid for len bytes, writable and owned by
        // the message alone; free_slice rebuilds the box from (data,
        // len-as-hint) and drops it exactly once.
        unsafe { RawMsg::init_data_writable(ptr, len, Some(free_slice), len as *mut c_void) }
    }

    /// `zmq_msg_init_data` over read-only content: the new message's content is
    /// marked shared (`ZMQ_SHARED` is 1), so `bytes_mut` copies before writing,
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
    ) -> RawMsg {
        // SAFETY: forwarded from the caller.
        let mut msg = unsafe { RawMsg::init_data_writable(data, len, free, hint) };
        if !msg.is_shared() {
            // A `zmq_msg_copy` sets the source's shared flag (and a reference
            // count of 2); closing the copy drops the count back to 1. The flag
            // stays with the content's message wherever libzmq moves it.
            let mut mark = RawMsg::new();
            // SAFETY: both messages are initialised and exclusively borrowed.
            unsafe { zmq_sys::zmq_msg_copy(mark.msg.get_mut(), msg.msg.get_mut()) };
        }
        msg
    }

    /// `zmq_msg_init_data` over content the message may write to.
    ///
    /// # Safety
    /// As [`RawMsg::init_data`], and the buffer must be writable and owned by
    /// the message alone.
    unsafe fn init_data_writable(
        data: *mut u8,
        len: usize,
        free: zmq_sys::zmq_free_fn,
        hint: *mut c_void,
    ) -> RawMsg {
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
        RawMsg::wrap(unsafe { msg.assume_init() })
    }

    /// A copy of `data` (`zmq_msg_init_buffer`, draft API).
    #[cfg(zmq_draft)]
    pub(crate) fn from_buffer(data: &[u8]) -> Result<RawMsg> {
        let mut msg = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: data is readable for its length; libzmq copies it and
        // initialises msg on success.
        let rc = unsafe {
            zmq_sys::zmq_msg_init_buffer(msg.as_mut_ptr(), data.as_ptr().cast(), data.len())
        };
        check(rc)?;
        // SAFETY: initialised by the successful call above.
        Ok(RawMsg::wrap(unsafe { msg.assume_init() }))
    }

    /// `zmq_msg_size`.
    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn size(&self) -> usize {
        // SAFETY: zmq_msg_size only reads the message's type and size fields.
        unsafe { zmq_sys::zmq_msg_size(self.ptr()) }
    }

    /// The content.
    #[cfg_attr(zmq_inline, inline)]
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: zmq_msg_data/zmq_msg_size read the message's type and content
        // fields, which no `&self` method writes; the data is initialised (see
        // `alloc_uninit`), valid for size bytes and not written while &self is
        // held (writes need `&mut self`, and content shared with other messages
        // is never written in place).
        unsafe {
            let size = zmq_sys::zmq_msg_size(self.ptr());
            if size == 0 {
                return &[];
            }
            std::slice::from_raw_parts(zmq_sys::zmq_msg_data(self.ptr()).cast::<u8>(), size)
        }
    }

    /// The content, writable: content that is shared with other messages or
    /// read-only is first copied into a private buffer (keeping the MORE flag,
    /// and in the draft API the routing id and group; libzmq's metadata
    /// properties cannot be attached to new content and are lost then).
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        if self.is_shared() {
            self.make_private();
        }
        let msg = self.msg.get_mut();
        // SAFETY: the content is now owned by this message alone and writable;
        // it is valid for size bytes while &mut self is held.
        unsafe {
            let size = zmq_sys::zmq_msg_size(msg);
            if size == 0 {
                return &mut [];
            }
            std::slice::from_raw_parts_mut(zmq_sys::zmq_msg_data(msg).cast::<u8>(), size)
        }
    }

    /// Whether the content is shared with other messages or read-only.
    fn is_shared(&mut self) -> bool {
        // SAFETY: the message is initialised and exclusively borrowed.
        unsafe { zmq_sys::zmq_msg_get(self.msg.get_mut(), zmq_sys::ZMQ_SHARED as i32) == 1 }
    }

    /// Replaces shared content by a private copy.
    fn make_private(&mut self) {
        let more = self.more_exclusive();
        let mut private = RawMsg::copy_of(self.bytes())
            .unwrap_or_else(|_| std::alloc::handle_alloc_error(byte_layout(self.size())));
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

    /// The MORE flag (`zmq_msg_more`).
    pub(crate) fn more(&self) -> bool {
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
    pub(crate) fn more_exclusive(&mut self) -> bool {
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

    /// A second message over the same content (`zmq_msg_copy`), through an
    /// exclusive borrow.
    pub(crate) fn share(&mut self) -> RawMsg {
        let more = self.more_exclusive();
        let mut copy = RawMsg::new();
        // SAFETY: both messages are initialised and exclusively borrowed;
        // zmq_msg_copy marks the source's content shared and references it.
        unsafe { zmq_sys::zmq_msg_copy(copy.msg.get_mut(), self.msg.get_mut()) };
        *copy.state.get_mut() = known(more);
        copy
    }

    /// A metadata property (`zmq_msg_gets`); `None` when absent or not UTF-8.
    pub(crate) fn property(&self, property: &str) -> Option<&str> {
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

    /// `zmq_msg_routing_id` (draft).
    #[cfg(zmq_draft)]
    pub(crate) fn routing_id(&self) -> Option<u32> {
        // SAFETY: zmq_msg_routing_id only reads the routing id field, which no
        // `&self` method writes.
        let id = unsafe { zmq_sys::zmq_msg_routing_id(self.ptr()) };
        (id != 0).then_some(id)
    }

    /// `zmq_msg_set_routing_id` (draft).
    #[cfg(zmq_draft)]
    pub(crate) fn set_routing_id(&mut self, id: u32) -> Result<()> {
        // SAFETY: the message is initialised and exclusively borrowed.
        check(unsafe { zmq_sys::zmq_msg_set_routing_id(self.msg.get_mut(), id) }).map(drop)
    }

    /// `zmq_msg_group` (draft); `None` when empty.
    #[cfg(zmq_draft)]
    pub(crate) fn group(&self) -> Option<&str> {
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

    /// `zmq_msg_set_group` (draft).
    ///
    /// libzmq 4.3 keeps a group of more than 14 bytes in a separate block and
    /// marks it so; setting another group over it writes the new name over the
    /// block's pointer (a short group) or forgets the block (a long one). So a
    /// message with a long group is rebuilt first, without one (content, MORE
    /// and routing id kept).
    #[cfg(zmq_draft)]
    pub(crate) fn set_group(&mut self, group: &str) -> Result<()> {
        let group = super::c_string(group)?;
        if group.as_bytes().len() > zmq_sys::ZMQ_GROUP_MAX_LENGTH as usize {
            return Err(Errno::EINVAL);
        }
        if self.group().is_some_and(|g| g.len() > SHORT_GROUP_MAX) {
            let more = self.more_exclusive();
            let id = self.routing_id();
            let mut fresh = RawMsg::copy_of(self.bytes())?;
            if let Some(id) = id {
                fresh.set_routing_id(id)?;
            }
            std::mem::swap(self.msg.get_mut(), fresh.msg.get_mut());
            *self.state.get_mut() = known(more);
        }
        // SAFETY: the message is initialised and exclusively borrowed, and holds
        // no long group (see above); group is NUL-terminated, at most
        // ZMQ_GROUP_MAX_LENGTH bytes, and copied.
        check(unsafe { zmq_sys::zmq_msg_set_group(self.msg.get_mut(), group.as_ptr()) }).map(drop)
    }
}

/// The layout `handle_alloc_error` reports for `len` bytes.
pub(crate) fn byte_layout(len: usize) -> std::alloc::Layout {
    std::alloc::Layout::array::<u8>(len).unwrap_or(std::alloc::Layout::new::<u8>())
}

impl Drop for RawMsg {
    #[cfg_attr(zmq_inline, inline)]
    fn drop(&mut self) {
        // SAFETY: the message is initialised and closed only here. zmq_msg_close
        // fails only for a corrupt message, which safe code cannot make.
        let _ = unsafe { zmq_sys::zmq_msg_close(self.msg.get_mut()) };
    }
}

impl Clone for RawMsg {
    /// A second message over the same content (`zmq_msg_copy`: no byte is
    /// copied), with the same MORE flag, metadata, routing id and group.
    fn clone(&self) -> RawMsg {
        let state = self.lock();
        let mut copy = RawMsg::new();
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

/// Frees a `Box<[u8]>` given to `zmq_msg_init_data`; the hint is its length.
unsafe extern "C" fn free_slice(data: *mut c_void, hint: *mut c_void) {
    let len = hint as usize;
    // SAFETY: data and len come from Box::into_raw of a Box<[u8]> of that length
    // in `from_box`, and libzmq calls this exactly once.
    drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(data.cast::<u8>(), len)) });
}

/// Frees a `Box<T>` given as the hint of `zmq_msg_init_data`.
///
/// A panic in `T`'s drop must not unwind into libzmq (that would abort the
/// process): it is caught here, and the rest of the drop is lost with it.
unsafe extern "C" fn free_boxed<T>(_data: *mut c_void, hint: *mut c_void) {
    // SAFETY: hint comes from Box::into_raw of a Box<T> in this module, and
    // libzmq calls this exactly once.
    let boxed = unsafe { Box::from_raw(hint.cast::<T>()) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(boxed)));
}
