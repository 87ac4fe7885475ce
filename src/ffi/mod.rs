//! The calls into libzmq and the owners of what it hands out: the bottom layer,
//! which knows nothing of the rest of the crate (failures are [`Errno`]s, which
//! `crate::error` turns into `Error`).
//!
//! `unsafe` lives in this folder (`mod.rs`, `handle.rs`, `msg.rs`), in
//! `crate::unchecked` (the public API whose contract the caller checks) and in
//! `crate::asyncio::fd` (tokio's registration of `ZMQ_FD`); everything else is
//! safe code on top of the safe functions and types here. `tests/unsafe_files.rs`
//! keeps that list true.
//!
//! The wrappers a message goes through on every send and receive are
//! `#[inline(always)]` (the rest of that path `#[inline]`) under the cfg
//! `zmq_inline`: a dependent's release build then inlines them across the
//! crate boundary without LTO, and a debug build, which inlines nothing else,
//! skips a call per layer. `build.rs` leaves the cfg out when only this crate
//! is optimised in a debug build, whose unoptimised caller is better served
//! by calls into this crate's optimised code. `benches/instructions.sh`
//! measures the three.

mod handle;
mod msg;

use std::ffi::{c_char, c_int, c_long, c_short, c_void, CStr, CString};
use std::marker::PhantomData;

pub(crate) use handle::{
    proxy, EndpointCall, MonitorTicket, PollSet, RawContext, RawSocket, RawTimers,
};
pub(crate) use msg::{byte_layout, RawMsg};

/// An errno value reported by libzmq (or the C library under it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Errno(pub(crate) i32);

impl Errno {
    #[cfg(zmq_draft)]
    pub(crate) const EAGAIN: Errno = Errno(zmq_sys::errno::EAGAIN);
    pub(crate) const EINTR: Errno = Errno(zmq_sys::errno::EINTR);
    pub(crate) const EINVAL: Errno = Errno(zmq_sys::errno::EINVAL);
    pub(crate) const ENOMEM: Errno = Errno(zmq_sys::errno::ENOMEM);
    pub(crate) const ETERM: Errno = Errno(zmq_sys::errno::ETERM);

    /// The error of the last failed libzmq call on this thread.
    pub(crate) fn last() -> Errno {
        Errno(errno())
    }
}

/// The result of a libzmq call.
pub(crate) type Result<T> = std::result::Result<T, Errno>;

/// The calling thread's libzmq errno.
pub(crate) fn errno() -> i32 {
    // SAFETY: zmq_errno only reads the calling thread's errno.
    unsafe { zmq_sys::zmq_errno() }
}

/// Sets the calling thread's errno (which libzmq reads and writes).
fn set_errno(value: c_int) {
    // SAFETY: the errno location of the calling thread is valid and writable.
    #[cfg(any(target_os = "linux", target_os = "emscripten"))]
    unsafe {
        *libc::__errno_location() = value
    };
    // SAFETY: as above.
    #[cfg(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "dragonfly"
    ))]
    unsafe {
        *libc::__error() = value
    };
    // SAFETY: as above.
    #[cfg(any(target_os = "openbsd", target_os = "netbsd", target_os = "android"))]
    unsafe {
        *libc::__errno() = value
    };
    #[cfg(windows)]
    {
        extern "C" {
            fn _errno() -> *mut c_int;
        }
        // SAFETY: the CRT's errno location of the calling thread is valid.
        unsafe { *_errno() = value };
    }
}

/// Runs a libzmq call that returns -1 both on failure and for a legitimate
/// value: errno is cleared first, so a failure can be told from the value.
fn check_value(call: impl FnOnce() -> c_int) -> Result<c_int> {
    set_errno(0);
    let value = call();
    if value == -1 && errno() != 0 {
        Err(Errno::last())
    } else {
        Ok(value)
    }
}

/// libzmq's message for an errno value, copied at once.
///
/// `zmq_strerror` returns libzmq's own static text for its own numbers and the
/// C library's `strerror` otherwise, which for a number the C library does not
/// know may be a per-thread buffer that the next such call on this thread
/// replaces or frees: so the text is copied before anything else runs.
pub(crate) fn strerror(raw: i32) -> String {
    // SAFETY: zmq_strerror returns a valid NUL-terminated string that stays
    // valid at least until the next strerror call on this thread; it is copied
    // right here, before any other call.
    let text = unsafe { CStr::from_ptr(zmq_sys::zmq_strerror(raw)) };
    text.to_string_lossy().into_owned()
}

/// Turns libzmq's `-1`-on-error convention into a `Result`.
#[cfg_attr(zmq_inline, inline(always))]
pub(crate) fn check(rc: c_int) -> Result<c_int> {
    if rc == -1 {
        Err(Errno::last())
    } else {
        Ok(rc)
    }
}

/// A Rust string as a C string; `EINVAL` for one with a NUL byte.
pub(crate) fn c_string(text: &str) -> Result<CString> {
    CString::new(text).map_err(|_| Errno::EINVAL)
}

/// `zmq_has`.
pub(crate) fn has(capability: &CStr) -> bool {
    // SAFETY: capability is NUL-terminated; zmq_has only reads it.
    unsafe { zmq_sys::zmq_has(capability.as_ptr()) == 1 }
}

/// `zmq_version`.
pub(crate) fn version() -> (i32, i32, i32) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { zmq_sys::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

/// `zmq_z85_encode`: `None` unless the length is a multiple of 4.
pub(crate) fn z85_encode(data: &[u8]) -> Option<String> {
    if data.len() % 4 != 0 {
        return None;
    }
    let mut dest = vec![0u8; data.len() / 4 * 5 + 1];
    // SAFETY: dest holds len*5/4 characters plus the NUL that zmq_z85_encode
    // writes; data is readable for data.len() bytes, a multiple of 4.
    let out = unsafe {
        zmq_sys::zmq_z85_encode(
            dest.as_mut_ptr().cast::<c_char>(),
            data.as_ptr(),
            data.len(),
        )
    };
    if out.is_null() {
        return None;
    }
    dest.pop();
    // The Z85 alphabet is ASCII.
    String::from_utf8(dest).ok()
}

/// `zmq_z85_decode`: `None` unless `text` is a multiple of 5 characters of
/// the Z85 alphabet (an empty text is the encoding of no bytes).
pub(crate) fn z85_decode(text: &CStr) -> Option<Vec<u8>> {
    let len = text.to_bytes().len();
    if len % 5 != 0 {
        return None;
    }
    if len == 0 {
        // libzmq refuses an empty string.
        return Some(Vec::new());
    }
    let mut dest = vec![0u8; len / 5 * 4];
    // SAFETY: dest has room for len*4/5 bytes; text is NUL-terminated and its
    // length is a multiple of 5. libzmq returns NULL for characters outside the
    // alphabet.
    let out = unsafe { zmq_sys::zmq_z85_decode(dest.as_mut_ptr(), text.as_ptr()) };
    (!out.is_null()).then_some(dest)
}

/// A CURVE key from the 40 Z85 characters (plus NUL) libzmq wrote.
fn curve_key(z85: &[u8; 41]) -> Result<[u8; 32]> {
    let text = CStr::from_bytes_until_nul(z85).map_err(|_| Errno::EINVAL)?;
    let key = z85_decode(text).ok_or(Errno::EINVAL)?;
    key.try_into().map_err(|_| Errno::EINVAL)
}

/// `zmq_curve_keypair`: a new `(public, secret)` key pair; `ENOTSUP` without
/// CURVE.
pub(crate) fn curve_keypair() -> Result<([u8; 32], [u8; 32])> {
    let mut public = [0u8; 41];
    let mut secret = [0u8; 41];
    // SAFETY: both buffers hold 40 Z85 characters plus a NUL, as required.
    let rc = check(unsafe {
        zmq_sys::zmq_curve_keypair(
            public.as_mut_ptr().cast::<c_char>(),
            secret.as_mut_ptr().cast::<c_char>(),
        )
    });
    let pair = rc.and_then(|_| Ok((curve_key(&public)?, curve_key(&secret)?)));
    zero_secret(&mut secret);
    pair
}

/// `zmq_curve_public`: the public key of a secret key.
pub(crate) fn curve_public(secret: &[u8; 32]) -> Result<[u8; 32]> {
    let mut secret_text = [0u8; 41];
    let mut public_text = [0u8; 41];
    // SAFETY: 32 input bytes and 41 output bytes, as zmq_z85_encode needs.
    unsafe {
        zmq_sys::zmq_z85_encode(
            secret_text.as_mut_ptr().cast::<c_char>(),
            secret.as_ptr(),
            32,
        )
    };
    // SAFETY: both buffers hold 40 Z85 characters plus a NUL.
    let rc = check(unsafe {
        zmq_sys::zmq_curve_public(
            public_text.as_mut_ptr().cast::<c_char>(),
            secret_text.as_ptr().cast::<c_char>(),
        )
    });
    zero_secret(&mut secret_text);
    rc.and_then(|_| curve_key(&public_text))
}

/// Overwrites secret bytes with zeroes, in a way the compiler cannot drop.
pub(crate) fn zero_secret(secret: &mut [u8]) {
    for byte in secret.iter_mut() {
        // SAFETY: byte is a valid, aligned, exclusive reference; volatile so the
        // zeroing is not optimised away as a dead store.
        unsafe { std::ptr::write_volatile(byte, 0) };
    }
}

/// What libzmq's threads apply to themselves when they start: the context's
/// `ZMQ_THREAD_SCHED_POLICY`, `ZMQ_THREAD_PRIORITY` and
/// `ZMQ_THREAD_AFFINITY_CPU_ADD`/`_REMOVE` settings (`None`, empty: libzmq's
/// defaults).
#[derive(Clone, Debug, Default)]
pub(crate) struct Scheduling {
    pub(crate) policy: Option<c_int>,
    pub(crate) priority: Option<c_int>,
    pub(crate) cpus: std::collections::BTreeSet<c_int>,
}

impl Scheduling {
    /// Tries these settings as libzmq will (thread.cpp,
    /// `applySchedulingParameters`) on a thread of its own that ends right
    /// after: libzmq asserts on every failure there, which aborts the process
    /// when its first socket starts the I/O threads, so a setting that fails
    /// here is refused instead.
    pub(crate) fn check(&self) -> Result<()> {
        #[cfg(target_os = "linux")]
        {
            let this = self.clone();
            std::thread::scope(|scope| {
                scope
                    .spawn(move || this.apply_to_this_thread())
                    .join()
                    .unwrap_or(Err(Errno::EINVAL))
            })
        }
        #[cfg(not(target_os = "linux"))]
        Ok(())
    }

    #[cfg(target_os = "linux")]
    fn apply_to_this_thread(&self) -> Result<()> {
        let mut policy: c_int = 0;
        let mut param = std::mem::MaybeUninit::<libc::sched_param>::zeroed();
        // SAFETY: the calling thread's own handle and valid out-pointers.
        let rc = unsafe {
            libc::pthread_getschedparam(libc::pthread_self(), &mut policy, param.as_mut_ptr())
        };
        if rc != 0 {
            return Err(Errno(rc));
        }
        // SAFETY: written by the successful call above (and zeroed before).
        let mut param = unsafe { param.assume_init() };
        if let Some(wanted) = self.policy {
            policy = wanted;
        }
        let use_nice = policy != libc::SCHED_FIFO && policy != libc::SCHED_RR;
        if use_nice {
            param.sched_priority = 0;
        } else if let Some(priority) = self.priority {
            param.sched_priority = priority;
        }
        // SAFETY: the calling thread's own handle and a valid parameter block.
        let rc = unsafe { libc::pthread_setschedparam(libc::pthread_self(), policy, &param) };
        if rc != 0 {
            return Err(Errno(rc));
        }
        if use_nice && self.priority.is_some_and(|p| p > 0) {
            set_errno(0);
            // SAFETY: nice has no preconditions; on Linux it changes only the
            // calling thread, which ends right after.
            if unsafe { libc::nice(-20) } == -1 && errno() != 0 {
                return Err(Errno::last());
            }
        }
        if !self.cpus.is_empty() {
            // SAFETY: a zeroed cpu_set_t is the empty set.
            let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
            for &cpu in &self.cpus {
                let cpu = usize::try_from(cpu).map_err(|_| Errno::EINVAL)?;
                if cpu >= libc::CPU_SETSIZE as usize {
                    return Err(Errno::EINVAL);
                }
                // SAFETY: cpu is below CPU_SETSIZE, inside the set.
                unsafe { libc::CPU_SET(cpu, &mut set) };
            }
            // SAFETY: the calling thread's own handle and a valid CPU set of
            // the size given.
            let rc = unsafe {
                libc::pthread_setaffinity_np(
                    libc::pthread_self(),
                    std::mem::size_of::<libc::cpu_set_t>(),
                    &set,
                )
            };
            if rc != 0 {
                return Err(Errno(rc));
            }
        }
        Ok(())
    }
}

/// Blocks the asynchronous signals on the calling thread, so that the long
/// libzmq calls it is about to make (a proxy, a poll loop) never fail with
/// `EINTR` because of a signal meant for the process: the process's other
/// threads receive them. The signals a fault raises (SIGSEGV, SIGBUS, SIGFPE,
/// SIGILL, SIGTRAP, SIGABRT) stay unblocked, so a crash still reports itself.
pub(crate) fn block_signals_on_this_thread() {
    #[cfg(unix)]
    {
        let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: sigfillset initialises the set, sigdelset edits it;
        // pthread_sigmask only reads it and changes the calling thread's mask;
        // the old mask is not wanted.
        unsafe {
            libc::sigfillset(set.as_mut_ptr());
            for signal in [
                libc::SIGSEGV,
                libc::SIGBUS,
                libc::SIGFPE,
                libc::SIGILL,
                libc::SIGTRAP,
                libc::SIGABRT,
            ] {
                libc::sigdelset(set.as_mut_ptr(), signal);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, set.as_ptr(), std::ptr::null_mut());
        }
    }
}

/// One entry of a `zmq_poll` set: a socket or a file descriptor, the events to
/// wait for, and the events seen. Laid out exactly as `zmq_pollitem_t`, so a
/// slice of them is what `zmq_poll` takes.
#[repr(C)]
pub struct PollItem<'a> {
    socket: *mut c_void,
    fd: zmq_sys::RawFd,
    events: c_short,
    revents: c_short,
    marker: PhantomData<&'a RawSocket>,
}

const _: () = {
    assert!(
        std::mem::size_of::<PollItem<'static>>() == std::mem::size_of::<zmq_sys::zmq_pollitem_t>()
    );
    assert!(
        std::mem::align_of::<PollItem<'static>>()
            == std::mem::align_of::<zmq_sys::zmq_pollitem_t>()
    );
};

impl<'a> PollItem<'a> {
    /// An item for a socket, borrowed for as long as the item lives.
    pub(crate) fn socket(socket: &'a RawSocket, events: c_short) -> PollItem<'a> {
        PollItem {
            socket: socket.as_ptr(),
            fd: 0,
            events,
            revents: 0,
            marker: PhantomData,
        }
    }

    /// An item for a file descriptor (libzmq reports one that is not open as
    /// an error event, never touches anything else).
    pub(crate) fn fd(fd: zmq_sys::RawFd, events: c_short) -> PollItem<'a> {
        PollItem {
            socket: std::ptr::null_mut(),
            fd,
            events,
            revents: 0,
            marker: PhantomData,
        }
    }

    /// The socket polled, as an identity (null for a file descriptor).
    pub(crate) fn socket_ptr(&self) -> *mut c_void {
        self.socket
    }

    /// The file descriptor polled.
    pub(crate) fn fd_value(&self) -> zmq_sys::RawFd {
        self.fd
    }

    pub(crate) fn set_raw_events(&mut self, events: c_short) {
        self.events = events;
    }

    pub(crate) fn revents(&self) -> c_short {
        self.revents
    }
}

/// Whether `count` poll entries fit in the process's file descriptor limit:
/// libzmq asserts (and aborts) when `poll(2)` refuses more than that.
pub(crate) fn pollable(count: usize) -> bool {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static LIMIT: AtomicUsize = AtomicUsize::new(0);
    if count <= LIMIT.load(Ordering::Relaxed) {
        return true;
    }
    let limit = open_file_limit();
    LIMIT.store(limit, Ordering::Relaxed);
    count <= limit
}

/// The process's soft limit on open files (`RLIMIT_NOFILE`); `usize::MAX`
/// where there is none or it cannot be read.
pub(crate) fn open_file_limit() -> usize {
    #[cfg(unix)]
    {
        let mut limit = std::mem::MaybeUninit::<libc::rlimit>::uninit();
        // SAFETY: getrlimit writes the limit through a valid pointer.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, limit.as_mut_ptr()) } != 0 {
            return usize::MAX;
        }
        // SAFETY: written by the successful call above.
        let soft = unsafe { limit.assume_init() }.rlim_cur;
        usize::try_from(soft).unwrap_or(usize::MAX)
    }
    #[cfg(not(unix))]
    usize::MAX
}

/// `zmq_poll` over `items`, for up to `timeout` milliseconds (-1: forever);
/// returns the number of ready items. Nothing to poll with no timeout is
/// `EINVAL` (it could never return); nothing with a timeout sleeps it.
pub(crate) fn poll(items: &mut [PollItem<'_>], timeout: c_long) -> Result<c_int> {
    if items.is_empty() {
        let millis = u64::try_from(timeout).map_err(|_| Errno::EINVAL)?;
        std::thread::sleep(std::time::Duration::from_millis(millis));
        return Ok(0);
    }
    if !pollable(items.len()) {
        return Err(Errno::EINVAL);
    }
    let len = c_int::try_from(items.len()).map_err(|_| Errno::EINVAL)?;
    // SAFETY: PollItem has zmq_pollitem_t's layout (checked above); every socket
    // pointer comes from a RawSocket borrowed for the item's lifetime, so it is
    // open; libzmq writes only the revents fields.
    let rc = unsafe {
        zmq_sys::zmq_poll(
            items.as_mut_ptr().cast::<zmq_sys::zmq_pollitem_t>(),
            len,
            timeout,
        )
    };
    check(rc)
}
