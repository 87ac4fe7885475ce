//! The owners of libzmq's context and socket handles, and the thin calls on them.
//!
//! Together with `message.rs`, `sockopt/codec.rs`, `poll.rs` and `z85.rs`, this is
//! where the crate's `unsafe` lives; everything above is safe code.

use std::cell::OnceCell;
use std::ffi::{c_int, c_void, CStr};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// The calling thread's libzmq errno.
pub(crate) fn errno() -> i32 {
    // SAFETY: zmq_errno only reads the calling thread's errno.
    unsafe { zmq_sys::zmq_errno() }
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

/// Sets the calling thread's errno (which libzmq reads and writes).
///
/// # Safety
/// Always safe in itself; `unsafe` because it writes the C library's
/// thread-local errno, which callers must not rely on afterwards.
unsafe fn set_errno(value: c_int) {
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

/// Turns libzmq's `-1`-on-error convention into a `Result`.
pub(crate) fn check(rc: c_int) -> Result<c_int> {
    if rc == -1 {
        Err(Error::last())
    } else {
        Ok(rc)
    }
}

/// A libzmq context handle, terminated at most once.
///
/// Termination never waits on a lock that a context call holds, nor holds one
/// across `zmq_ctx_term`: calls check a flag and count themselves in, so once
/// termination has started every new call fails with `ETERM` at once (a
/// worker that sees `ETERM` and then asks the context for something gets an
/// answer, closes its socket, and lets termination finish), and termination
/// frees the handle only after the calls already in flight (all of them short,
/// non-blocking libzmq calls) have left.
pub(crate) struct RawContext {
    ptr: NonNull<c_void>,
    /// Context calls running on the handle now.
    users: AtomicUsize,
    /// Set when termination starts; never cleared.
    terminating: AtomicBool,
    /// Whether this owner terminates the context when dropped.
    owned: AtomicBool,
}

// SAFETY: libzmq contexts are thread-safe: every zmq_ctx_* function may be called
// from any thread. The handle is used only between a successful check-in
// (`with_live`) and its check-out, and `terminate` frees it only when no call
// is checked in and none can check in any more.
unsafe impl Send for RawContext {}
// SAFETY: as above; shared references only call thread-safe zmq_ctx_* functions.
unsafe impl Sync for RawContext {}

impl RawContext {
    /// A new context (`zmq_ctx_new`).
    pub(crate) fn new() -> Result<RawContext> {
        // SAFETY: zmq_ctx_new has no preconditions; it returns NULL on failure.
        let ptr = unsafe { zmq_sys::zmq_ctx_new() };
        let ptr = NonNull::new(ptr).ok_or_else(Error::last)?;
        Ok(RawContext::wrap(ptr, true))
    }

    /// Wraps a handle made elsewhere.
    ///
    /// # Safety
    /// `ptr` must be a live libzmq context; if `owned`, nothing else may terminate
    /// it; if not owned, it must outlive every use through this wrapper.
    pub(crate) unsafe fn from_ptr(ptr: NonNull<c_void>, owned: bool) -> RawContext {
        RawContext::wrap(ptr, owned)
    }

    fn wrap(ptr: NonNull<c_void>, owned: bool) -> RawContext {
        RawContext {
            ptr,
            users: AtomicUsize::new(0),
            terminating: AtomicBool::new(false),
            owned: AtomicBool::new(owned),
        }
    }

    /// The handle, for C code or for `zmq_sys` calls.
    pub(crate) fn as_ptr(&self) -> *mut c_void {
        self.ptr.as_ptr()
    }

    /// Gives up ownership: dropping this wrapper will not terminate the context.
    pub(crate) fn disown(&self) {
        self.owned.store(false, Ordering::SeqCst);
    }

    /// Runs `f` on the live handle, or fails with `ETERM` at once when
    /// termination has started.
    fn with_live<T>(&self, f: impl FnOnce(*mut c_void) -> Result<T>) -> Result<T> {
        // Check in, then look at the flag; `terminate` sets the flag, then looks
        // at the count. With sequentially consistent order at least one of the
        // two sees the other, so the handle is never freed under a caller.
        self.users.fetch_add(1, Ordering::SeqCst);
        let result = if self.terminating.load(Ordering::SeqCst) {
            Err(Error::ETERM)
        } else {
            f(self.ptr.as_ptr())
        };
        self.users.fetch_sub(1, Ordering::SeqCst);
        result
    }

    /// `zmq_socket`.
    pub(crate) fn socket(&self, kind: c_int) -> Result<RawSocket> {
        self.with_live(|ctx| {
            // SAFETY: ctx is live (checked in); zmq_socket returns NULL with
            // errno set on failure.
            let ptr = unsafe { zmq_sys::zmq_socket(ctx, kind) };
            NonNull::new(ptr)
                .map(|ptr| RawSocket::owned(ptr.as_ptr()))
                .ok_or_else(Error::last)
        })
    }

    /// `zmq_ctx_get`. A value of -1 is a value, not an error, when libzmq
    /// leaves errno alone (`ZMQ_THREAD_SCHED_POLICY` is -1 by default).
    pub(crate) fn get(&self, option: c_int) -> Result<c_int> {
        self.with_live(|ctx| {
            // SAFETY: ctx is live; zmq_ctx_get only reads the option. errno is
            // cleared first so a failure can be told from a value of -1.
            let value = unsafe {
                set_errno(0);
                zmq_sys::zmq_ctx_get(ctx, option)
            };
            if value == -1 && errno() != 0 {
                Err(Error::last())
            } else {
                Ok(value)
            }
        })
    }

    /// `zmq_ctx_set`.
    pub(crate) fn set(&self, option: c_int, value: c_int) -> Result<()> {
        // SAFETY: ctx is live; zmq_ctx_set validates option and value.
        self.with_live(|ctx| check(unsafe { zmq_sys::zmq_ctx_set(ctx, option, value) }).map(drop))
    }

    /// `zmq_ctx_set_ext` (draft): an option with a value of any size.
    #[cfg(zmq_draft)]
    pub(crate) fn set_ext(&self, option: c_int, value: &[u8]) -> Result<()> {
        self.with_live(|ctx| {
            // SAFETY: ctx is live; value is valid for value.len() bytes.
            let rc = unsafe {
                zmq_sys::zmq_ctx_set_ext(ctx, option, value.as_ptr().cast(), value.len())
            };
            check(rc).map(drop)
        })
    }

    /// `zmq_ctx_get_ext` (draft); returns the number of bytes written.
    #[cfg(zmq_draft)]
    pub(crate) fn get_ext(&self, option: c_int, buf: &mut [u8]) -> Result<usize> {
        self.with_live(|ctx| {
            let mut len = buf.len();
            // SAFETY: ctx is live; buf is writable for len bytes and len is updated.
            let rc =
                unsafe { zmq_sys::zmq_ctx_get_ext(ctx, option, buf.as_mut_ptr().cast(), &mut len) };
            check(rc).map(|_| len)
        })
    }

    /// `zmq_ctx_shutdown`: makes blocking calls on every socket fail with `ETERM`.
    pub(crate) fn shutdown(&self) -> Result<()> {
        // SAFETY: ctx is live; shutdown does not free it.
        self.with_live(|ctx| check(unsafe { zmq_sys::zmq_ctx_shutdown(ctx) }).map(drop))
    }

    /// `zmq_ctx_term`, once: blocks until every socket of the context is
    /// closed. From the moment it starts, context calls fail with `ETERM`.
    /// Later (or concurrent) calls return `Ok(())` at once.
    pub(crate) fn terminate(&self) -> Result<()> {
        if self.terminating.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        // Calls that checked in before the flag was set are short libzmq calls
        // that never block: wait for them to leave before the handle is freed.
        while self.users.load(Ordering::SeqCst) != 0 {
            std::thread::yield_now();
        }
        loop {
            // SAFETY: the handle is live and nothing else uses it any more: no
            // call is checked in and none can check in now; it is terminated
            // only here, once.
            match check(unsafe { zmq_sys::zmq_ctx_term(self.ptr.as_ptr()) }) {
                Err(Error::EINTR) => continue,
                Err(e) => return Err(e),
                Ok(_) => return Ok(()),
            }
        }
    }
}

impl Drop for RawContext {
    fn drop(&mut self) {
        if self.owned.load(Ordering::SeqCst) {
            // An error here (EFAULT for a handle C code already terminated) has
            // nowhere to go: Drop never panics.
            let _ = self.terminate();
        }
    }
}

/// A libzmq socket handle, closed on drop when owned.
pub(crate) struct RawSocket {
    /// Never null except after `Socket::from_raw(null)`, which libzmq rejects
    /// with ENOTSOCK on every call.
    ptr: *mut c_void,
    owned: bool,
    /// Shared with the monitors of this socket, made at the first monitor.
    monitors: OnceCell<Arc<MonitorTarget>>,
}

// SAFETY: a libzmq socket may be used from any thread as long as it is used from
// one thread at a time with a full memory barrier between (libzmq's own rule);
// moving the owner between threads provides that. It is not Sync.
unsafe impl Send for RawSocket {}

/// What the monitors of one socket share with it: the socket's handle while it
/// is open, and which monitor is the current one.
pub(crate) struct MonitorTarget {
    state: Mutex<TargetState>,
}

struct TargetState {
    /// The monitored socket; null once it is closed or given away.
    socket: *mut c_void,
    /// Bumped by every `zmq_socket_monitor` call: only the monitor that started
    /// the current monitoring may stop it.
    generation: u64,
}

// SAFETY: the handle in TargetState is only used under the mutex, and only for
// `zmq_socket_monitor`, which libzmq (4.2 and later) serialises with the I/O
// threads' event emission by the socket's own `_monitor_sync` mutex, so it may
// run on another thread than the one using the socket (see `MonitorTicket::stop`).
unsafe impl Send for TargetState {}

/// The right to stop one monitoring of a socket, from any thread.
pub(crate) struct MonitorTicket {
    target: Arc<MonitorTarget>,
    generation: u64,
}

impl MonitorTicket {
    /// Stops the monitoring this ticket started, unless the socket is closed or
    /// monitoring was restarted since. Never blocks for long: the monitor's
    /// PAIR has no receive limit, so libzmq's event sends do not block while
    /// the reading socket is connected, and stopping only waits for the
    /// monitor mutex libzmq holds while sending one event.
    pub(crate) fn stop(&self) {
        let state = self.target.lock();
        if !state.socket.is_null() && state.generation == self.generation {
            // SAFETY: the socket is open (Socket's drop nulls the pointer under
            // this mutex before closing it). zmq_socket_monitor(NULL) only
            // touches the socket's monitor state under libzmq's `_monitor_sync`
            // mutex (socket_base.cpp: monitor, stop_monitor, event_*), which
            // makes it safe beside the owner's calls on another thread.
            let _ = unsafe { zmq_sys::zmq_socket_monitor(state.socket, std::ptr::null(), 0) };
        }
    }
}

impl MonitorTarget {
    fn lock(&self) -> std::sync::MutexGuard<'_, TargetState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl RawSocket {
    fn owned(ptr: *mut c_void) -> RawSocket {
        RawSocket {
            ptr,
            owned: true,
            monitors: OnceCell::new(),
        }
    }

    /// Wraps a socket handle made elsewhere.
    ///
    /// # Safety
    /// `ptr` must be a live libzmq socket (or null) not used by anyone else
    /// while this wrapper exists; if `owned`, this wrapper closes it.
    pub(crate) unsafe fn from_ptr(ptr: *mut c_void, owned: bool) -> RawSocket {
        RawSocket {
            ptr,
            owned,
            monitors: OnceCell::new(),
        }
    }

    /// The handle.
    pub(crate) fn as_ptr(&self) -> *mut c_void {
        self.ptr
    }

    /// Gives the handle up without closing it.
    pub(crate) fn into_ptr(mut self) -> *mut c_void {
        self.owned = false;
        self.detach_monitors();
        self.ptr
    }

    /// Tells the monitors the socket is gone (before it is closed).
    fn detach_monitors(&self) {
        if let Some(target) = self.monitors.get() {
            target.lock().socket = std::ptr::null_mut();
        }
    }

    /// `zmq_bind`, `zmq_connect`, `zmq_unbind`, `zmq_disconnect`.
    pub(crate) fn endpoint_call(&self, call: EndpointCall, endpoint: &CStr) -> Result<()> {
        let f = match call {
            EndpointCall::Bind => zmq_sys::zmq_bind,
            EndpointCall::Connect => zmq_sys::zmq_connect,
            EndpointCall::Unbind => zmq_sys::zmq_unbind,
            EndpointCall::Disconnect => zmq_sys::zmq_disconnect,
        };
        // SAFETY: the socket is live and used by this thread only (&self of a
        // !Sync owner); endpoint is NUL-terminated and outlives the call.
        check(unsafe { f(self.as_ptr(), endpoint.as_ptr()) }).map(drop)
    }

    /// Runs a `zmq_socket_monitor*` call that starts or stops monitoring, and
    /// returns the ticket that can stop what it started.
    fn monitor_call(&self, call: impl FnOnce(*mut c_void) -> c_int) -> Result<MonitorTicket> {
        let target = self.monitors.get_or_init(|| {
            Arc::new(MonitorTarget {
                state: Mutex::new(TargetState {
                    socket: self.ptr,
                    generation: 0,
                }),
            })
        });
        let mut state = target.lock();
        check(call(self.ptr))?;
        state.generation += 1;
        Ok(MonitorTicket {
            target: target.clone(),
            generation: state.generation,
        })
    }

    /// `zmq_socket_monitor`.
    pub(crate) fn monitor(&self, endpoint: Option<&CStr>, events: c_int) -> Result<MonitorTicket> {
        let endpoint = endpoint.map_or(std::ptr::null(), CStr::as_ptr);
        // SAFETY: the socket is live; endpoint is NULL (stop monitoring) or a
        // NUL-terminated string that outlives the call.
        self.monitor_call(|socket| unsafe { zmq_sys::zmq_socket_monitor(socket, endpoint, events) })
    }

    /// `zmq_socket_monitor_versioned` (draft), with a PAIR monitor socket.
    #[cfg(zmq_draft)]
    pub(crate) fn monitor_versioned(
        &self,
        endpoint: &CStr,
        events: u64,
        version: c_int,
    ) -> Result<MonitorTicket> {
        // SAFETY: the socket is live; endpoint is NUL-terminated and outlives the call.
        self.monitor_call(|socket| unsafe {
            zmq_sys::zmq_socket_monitor_versioned(
                socket,
                endpoint.as_ptr(),
                events,
                version,
                zmq_sys::ZMQ_PAIR as c_int,
            )
        })
    }

    /// `zmq_socket_monitor_pipes_stats` (draft).
    #[cfg(zmq_draft)]
    pub(crate) fn monitor_pipes_stats(&self) -> Result<()> {
        // SAFETY: the socket is live.
        check(unsafe { zmq_sys::zmq_socket_monitor_pipes_stats(self.as_ptr()) }).map(drop)
    }

    /// `zmq_join` (`join`) or `zmq_leave` (draft).
    #[cfg(zmq_draft)]
    pub(crate) fn group_call(&self, join: bool, group: &CStr) -> Result<()> {
        let f = if join {
            zmq_sys::zmq_join
        } else {
            zmq_sys::zmq_leave
        };
        // SAFETY: the socket is live; group is NUL-terminated and copied.
        check(unsafe { f(self.as_ptr(), group.as_ptr()) }).map(drop)
    }

    /// `zmq_connect_peer` (draft): the routing id of the new peer.
    #[cfg(zmq_draft)]
    pub(crate) fn connect_peer(&self, endpoint: &CStr) -> Result<u32> {
        // SAFETY: the socket is live; endpoint is NUL-terminated.
        let id = unsafe { zmq_sys::zmq_connect_peer(self.as_ptr(), endpoint.as_ptr()) };
        if id == 0 {
            Err(Error::last())
        } else {
            Ok(id)
        }
    }

    /// `zmq_socket_get_peer_state` (draft).
    #[cfg(zmq_draft)]
    pub(crate) fn peer_state(&self, routing_id: &[u8]) -> Result<c_int> {
        // SAFETY: the socket is live; routing_id is valid for its length.
        let rc = unsafe {
            zmq_sys::zmq_socket_get_peer_state(
                self.as_ptr(),
                routing_id.as_ptr().cast(),
                routing_id.len(),
            )
        };
        check(rc)
    }

    /// `zmq_msg_send`: on success libzmq owns the content and `msg` is empty.
    pub(crate) fn send_msg(&self, msg: &mut zmq_sys::zmq_msg_t, flags: c_int) -> Result<usize> {
        // SAFETY: the socket is live; msg is an initialised message.
        check(unsafe { zmq_sys::zmq_msg_send(msg, self.as_ptr(), flags) }).map(|n| n as usize)
    }

    /// `zmq_msg_recv`: replaces the content of `msg`.
    pub(crate) fn recv_msg(&self, msg: &mut zmq_sys::zmq_msg_t, flags: c_int) -> Result<usize> {
        // SAFETY: the socket is live; msg is an initialised message, which
        // zmq_msg_recv closes before filling.
        check(unsafe { zmq_sys::zmq_msg_recv(msg, self.as_ptr(), flags) }).map(|n| n as usize)
    }

    /// `zmq_recv` into a buffer; returns the size of the message, which may be
    /// larger than the buffer (the rest is cut off).
    pub(crate) fn recv_into(&self, buf: &mut [u8], flags: c_int) -> Result<usize> {
        // SAFETY: the socket is live; buf is writable for buf.len() bytes.
        let rc =
            unsafe { zmq_sys::zmq_recv(self.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), flags) };
        check(rc).map(|n| n as usize)
    }

    /// `zmq_getsockopt` into `buf`; returns the length libzmq wrote.
    pub(crate) fn getsockopt(&self, option: c_int, buf: &mut [u8]) -> Result<usize> {
        let mut len = buf.len();
        // SAFETY: the socket is live; buf is writable for len bytes; libzmq writes
        // at most len bytes and stores the length it wrote.
        let rc = unsafe {
            zmq_sys::zmq_getsockopt(self.as_ptr(), option, buf.as_mut_ptr().cast(), &mut len)
        };
        check(rc).map(|_| len)
    }

    /// `zmq_setsockopt` with `value`'s bytes (a NULL pointer for `None`).
    pub(crate) fn setsockopt(&self, option: c_int, value: Option<&[u8]>) -> Result<()> {
        let (ptr, len) = value.map_or((std::ptr::null(), 0), |v| (v.as_ptr().cast(), v.len()));
        // SAFETY: the socket is live; ptr is NULL with len 0, or valid for len
        // bytes; libzmq copies what it keeps.
        check(unsafe { zmq_sys::zmq_setsockopt(self.as_ptr(), option, ptr, len) }).map(drop)
    }
}

impl Drop for RawSocket {
    fn drop(&mut self) {
        self.detach_monitors();
        if self.owned {
            // SAFETY: the socket is live and owned by this wrapper, which is going
            // away; zmq_close only fails for an invalid handle, which cannot be
            // here, and its result has nowhere to go: Drop never panics.
            let _ = unsafe { zmq_sys::zmq_close(self.as_ptr()) };
        }
    }
}

/// Which endpoint function [`RawSocket::endpoint_call`] runs.
#[derive(Clone, Copy, Debug)]
pub(crate) enum EndpointCall {
    Bind,
    Connect,
    Unbind,
    Disconnect,
}

impl EndpointCall {
    pub(crate) fn name(self) -> &'static str {
        match self {
            EndpointCall::Bind => "zmq_bind",
            EndpointCall::Connect => "zmq_connect",
            EndpointCall::Unbind => "zmq_unbind",
            EndpointCall::Disconnect => "zmq_disconnect",
        }
    }
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

/// `zmq_proxy_steerable` (or `zmq_proxy` without a control socket).
pub(crate) fn proxy(
    frontend: &RawSocket,
    backend: &RawSocket,
    capture: Option<&RawSocket>,
    control: Option<&RawSocket>,
) -> Result<()> {
    let capture = capture.map_or(std::ptr::null_mut(), RawSocket::as_ptr);
    let control = control.map_or(std::ptr::null_mut(), RawSocket::as_ptr);
    // SAFETY: every non-null handle is a live socket owned by the caller, who
    // cannot use them elsewhere while they are borrowed here.
    let rc = unsafe {
        zmq_sys::zmq_proxy_steerable(frontend.as_ptr(), backend.as_ptr(), capture, control)
    };
    check(rc).map(drop)
}
