//! One owner for every libzmq handle — [`Handle`], parameterised by the kind of
//! handle and so by what destroys it — and the handles built on it: contexts,
//! sockets (with their monitors), poll sets and timer sets.

use std::any::Any;
use std::collections::HashMap;
use std::ffi::{c_int, c_long, c_short, c_void, CStr};
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::{check, check_value, Errno, RawMsg, Result, Scheduling};

/// A kind of libzmq handle: what destroys one.
pub(crate) trait HandleKind {
    /// Destroys a live handle.
    ///
    /// # Safety
    /// `ptr` must be a live handle of this kind that nothing uses any more.
    unsafe fn destroy(ptr: *mut c_void) -> c_int;
}

/// Owns one libzmq handle and destroys it once: on drop when owned, or earlier
/// through [`Handle::destroy`]. A null handle (what `Socket::from_raw(null)`
/// makes) is never destroyed; libzmq rejects every call on it.
pub(crate) struct Handle<K: HandleKind> {
    ptr: *mut c_void,
    owned: AtomicBool,
    destroyed: AtomicBool,
    kind: PhantomData<K>,
}

impl<K: HandleKind> Handle<K> {
    /// Takes a handle.
    ///
    /// # Safety
    /// `ptr` must be null or a live handle of kind `K`; if `owned`, nothing
    /// else may destroy it.
    pub(crate) unsafe fn new(ptr: *mut c_void, owned: bool) -> Handle<K> {
        Handle {
            ptr,
            owned: AtomicBool::new(owned),
            destroyed: AtomicBool::new(false),
            kind: PhantomData,
        }
    }

    /// A new handle from a libzmq constructor that returns NULL (with errno
    /// set) on failure.
    ///
    /// # Safety
    /// `new` must return a new handle of kind `K` (or NULL) that nothing else
    /// owns.
    unsafe fn create(new: impl FnOnce() -> *mut c_void) -> Result<Handle<K>> {
        let ptr = new();
        if ptr.is_null() {
            return Err(Errno::last());
        }
        // SAFETY: a new handle of kind K, owned here alone (by the caller).
        Ok(unsafe { Handle::new(ptr, true) })
    }

    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn as_ptr(&self) -> *mut c_void {
        self.ptr
    }

    /// Gives up ownership: the handle is not destroyed on drop.
    pub(crate) fn disown(&self) {
        self.owned.store(false, Ordering::SeqCst);
    }

    /// Destroys the handle now, unless that already happened.
    ///
    /// # Safety
    /// Nothing may use the handle during or after this call.
    pub(crate) unsafe fn destroy(&self) -> Result<()> {
        if self.ptr.is_null() || self.destroyed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        // SAFETY: live (not yet destroyed) and, by the caller, unused.
        check(unsafe { K::destroy(self.ptr) }).map(drop)
    }
}

impl<K: HandleKind> Drop for Handle<K> {
    fn drop(&mut self) {
        if self.owned.load(Ordering::SeqCst) {
            // SAFETY: the owner is going away, so nothing uses the handle any
            // more. An error (only for a handle that is not valid) has nowhere
            // to go: Drop never panics.
            let _ = unsafe { self.destroy() };
        }
    }
}

/// `zmq_ctx_term`, retried when a signal interrupts it.
pub(crate) struct ContextKind;

impl HandleKind for ContextKind {
    unsafe fn destroy(ptr: *mut c_void) -> c_int {
        loop {
            // SAFETY: forwarded from the caller.
            let rc = unsafe { zmq_sys::zmq_ctx_term(ptr) };
            if rc == 0 || Errno::last() != Errno::EINTR {
                return rc;
            }
        }
    }
}

/// `zmq_close`.
pub(crate) struct SocketKind;

impl HandleKind for SocketKind {
    unsafe fn destroy(ptr: *mut c_void) -> c_int {
        // SAFETY: forwarded from the caller.
        unsafe { zmq_sys::zmq_close(ptr) }
    }
}

/// `zmq_poller_destroy` (draft).
#[cfg(zmq_draft)]
pub(crate) struct PollerKind;

#[cfg(zmq_draft)]
impl HandleKind for PollerKind {
    unsafe fn destroy(mut ptr: *mut c_void) -> c_int {
        // SAFETY: forwarded from the caller.
        unsafe { zmq_sys::zmq_poller_destroy(&mut ptr) }
    }
}

/// `zmq_timers_destroy`.
pub(crate) struct TimersKind;

impl HandleKind for TimersKind {
    unsafe fn destroy(mut ptr: *mut c_void) -> c_int {
        // SAFETY: forwarded from the caller.
        unsafe { zmq_sys::zmq_timers_destroy(&mut ptr) }
    }
}

/// The most I/O threads a context may be given: far more than any use needs
/// (libzmq's guide suggests one per gigabyte per second), few enough that
/// starting them does not run into the system's thread limits, where libzmq
/// aborts.
pub(crate) const MAX_IO_THREADS: usize = 4096;

/// A libzmq context, terminated at most once.
///
/// Termination never waits on a lock that a context call holds, nor holds one
/// across `zmq_ctx_term`: calls check a flag and count themselves in, so once
/// termination has started every new call fails with `ETERM` at once (a
/// worker that sees `ETERM` and then asks the context for something gets an
/// answer, closes its socket, and lets termination finish), and termination
/// frees the handle only after the calls already in flight (all of them short,
/// non-blocking libzmq calls) have left.
pub(crate) struct RawContext {
    handle: Handle<ContextKind>,
    /// Context calls running on the handle now.
    users: AtomicUsize,
    /// Set when termination starts; never cleared.
    terminating: AtomicBool,
    /// `zmq_setsockopt` calls made on every new socket: option, value.
    socket_defaults: Mutex<Vec<(c_int, Option<Vec<u8>>)>>,
    /// The scheduling settings libzmq's threads will apply (checked first).
    scheduling: Mutex<Scheduling>,
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
        // SAFETY: zmq_ctx_new has no preconditions; it returns a new context, or
        // NULL on failure.
        let handle = unsafe { Handle::create(|| zmq_sys::zmq_ctx_new()) }?;
        Ok(RawContext::wrap(handle))
    }

    fn wrap(handle: Handle<ContextKind>) -> RawContext {
        RawContext {
            handle,
            users: AtomicUsize::new(0),
            terminating: AtomicBool::new(false),
            socket_defaults: Mutex::new(Vec::new()),
            scheduling: Mutex::new(Scheduling::default()),
        }
    }

    /// Wraps a handle made elsewhere.
    ///
    /// # Safety
    /// `ptr` must be a live libzmq context; if `owned`, nothing else may terminate
    /// it; if not owned, it must outlive every use through this wrapper.
    pub(crate) unsafe fn from_ptr(ptr: NonNull<c_void>, owned: bool) -> RawContext {
        // SAFETY: forwarded from the caller.
        RawContext::wrap(unsafe { Handle::new(ptr.as_ptr(), owned) })
    }

    /// The handle, for C code or for `zmq_sys` calls.
    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn as_ptr(&self) -> *mut c_void {
        self.handle.as_ptr()
    }

    /// Gives up ownership: dropping this wrapper will not terminate the context.
    pub(crate) fn disown(&self) {
        self.handle.disown();
    }

    /// Runs `f` on the live handle, or fails with `ETERM` at once when
    /// termination has started.
    fn with_live<T>(&self, f: impl FnOnce(*mut c_void) -> Result<T>) -> Result<T> {
        /// Checks out when dropped, so a panic in `f` cannot leave the count
        /// high (termination would wait for it forever).
        struct CheckedIn<'a>(&'a AtomicUsize);
        impl Drop for CheckedIn<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        // Check in, then look at the flag; `terminate` sets the flag, then looks
        // at the count. With sequentially consistent order at least one of the
        // two sees the other, so the handle is never freed under a caller.
        self.users.fetch_add(1, Ordering::SeqCst);
        let _checked_in = CheckedIn(&self.users);
        if self.terminating.load(Ordering::SeqCst) {
            return Err(Errno::ETERM);
        }
        f(self.handle.as_ptr())
    }

    /// `zmq_socket`, then the socket defaults (a socket that refuses one is
    /// closed, and the error returned).
    pub(crate) fn socket(&self, kind: c_int) -> Result<RawSocket> {
        let socket = self.with_live(|ctx| {
            // SAFETY: ctx is live (checked in); zmq_socket returns a new socket,
            // or NULL with errno set on failure.
            let handle = unsafe { Handle::create(|| zmq_sys::zmq_socket(ctx, kind)) }?;
            Ok(RawSocket {
                handle,
                monitors: OnceLock::new(),
                shared: false,
            })
        })?;
        let defaults = self
            .socket_defaults
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for (option, value) in defaults.iter() {
            socket.setsockopt(*option, value.as_deref())?;
        }
        Ok(socket)
    }

    /// Sets (replacing an earlier value) or, with `None` for `value`, removes a
    /// socket default: `Some(None)` is a NULL value.
    pub(crate) fn set_socket_default(&self, option: c_int, value: Option<Option<Vec<u8>>>) {
        let mut defaults = self
            .socket_defaults
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        defaults.retain(|(o, _)| *o != option);
        if let Some(value) = value {
            defaults.push((option, value));
        }
    }

    /// `zmq_ctx_get`. A value of -1 is a value, not an error, when libzmq
    /// leaves errno alone (`ZMQ_THREAD_SCHED_POLICY` is -1 by default).
    pub(crate) fn get(&self, option: c_int) -> Result<c_int> {
        self.with_live(|ctx| {
            // SAFETY: ctx is live; zmq_ctx_get only reads the option.
            check_value(|| unsafe { zmq_sys::zmq_ctx_get(ctx, option) })
        })
    }

    /// `zmq_ctx_set`. The scheduling options of libzmq's threads are tried
    /// first (see [`Scheduling::check`]): libzmq accepts values it later
    /// aborts on.
    pub(crate) fn set(&self, option: c_int, value: c_int) -> Result<()> {
        let mut scheduling = self.scheduling.lock().unwrap_or_else(|e| e.into_inner());
        let mut wanted = scheduling.clone();
        match option as u32 {
            zmq_sys::ZMQ_THREAD_SCHED_POLICY => wanted.policy = Some(value),
            zmq_sys::ZMQ_THREAD_PRIORITY => wanted.priority = Some(value),
            zmq_sys::ZMQ_THREAD_AFFINITY_CPU_ADD => {
                wanted.cpus.insert(value);
            }
            zmq_sys::ZMQ_THREAD_AFFINITY_CPU_REMOVE => {
                wanted.cpus.remove(&value);
            }
            _ => {}
        }
        let scheduling_option = matches!(
            option as u32,
            zmq_sys::ZMQ_THREAD_SCHED_POLICY
                | zmq_sys::ZMQ_THREAD_PRIORITY
                | zmq_sys::ZMQ_THREAD_AFFINITY_CPU_ADD
                | zmq_sys::ZMQ_THREAD_AFFINITY_CPU_REMOVE
        );
        if scheduling_option && value >= 0 {
            wanted.check()?;
        }
        self.check_count(option, value)?;
        // SAFETY: ctx is live; zmq_ctx_set validates option and value.
        self.with_live(|ctx| check(unsafe { zmq_sys::zmq_ctx_set(ctx, option, value) }))?;
        if scheduling_option {
            *scheduling = wanted;
        }
        Ok(())
    }

    /// Refuses the counts libzmq accepts but cannot start its threads with
    /// (ctx.cpp, `ctx_t::start`, at the first socket): a `ZMQ_MAX_SOCKETS`
    /// above `ZMQ_SOCKET_LIMIT`, which libzmq's `zmq_ctx_get` documents as the
    /// largest it accepts (libzmq sizes arrays by the sum of both counts: past
    /// `i32::MAX` that overflows and a C++ exception unwinds into Rust, below it
    /// gigabytes are allocated), and more `ZMQ_IO_THREADS` than
    /// `MAX_IO_THREADS` or than the open-file limit leaves room for (two
    /// descriptors each, four more for the context; libzmq aborts when it
    /// cannot create one).
    fn check_count(&self, option: c_int, value: c_int) -> Result<()> {
        let too_many = match option as u32 {
            zmq_sys::ZMQ_MAX_SOCKETS => value > self.get(zmq_sys::ZMQ_SOCKET_LIMIT as c_int)?,
            zmq_sys::ZMQ_IO_THREADS => {
                let threads = usize::try_from(value).unwrap_or(0);
                threads > MAX_IO_THREADS || 2 * threads + 4 > super::open_file_limit()
            }
            _ => false,
        };
        if too_many {
            return Err(Errno::EINVAL);
        }
        Ok(())
    }

    /// `zmq_ctx_set_ext` (draft): an option with a value of any size.
    #[cfg(zmq_draft)]
    pub(crate) fn set_ext(&self, option: c_int, value: &[u8]) -> Result<()> {
        if let Ok(int) = <[u8; std::mem::size_of::<c_int>()]>::try_from(value) {
            self.check_count(option, c_int::from_ne_bytes(int))?;
        }
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
    /// Later (or concurrent) calls return `Ok(())` at once. A context this
    /// wrapper does not own (borrowed from C code, or given away with
    /// `into_raw`) is never terminated here: it only stops serving calls.
    pub(crate) fn terminate(&self) -> Result<()> {
        if self.terminating.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        // Calls that checked in before the flag was set are short libzmq calls
        // that never block: wait for them to leave before the handle is freed.
        while self.users.load(Ordering::SeqCst) != 0 {
            std::thread::yield_now();
        }
        if !self.handle.owned.load(Ordering::SeqCst) {
            return Ok(());
        }
        // SAFETY: no call is checked in and none can check in now; this is the
        // only place that terminates the context, which this wrapper owns.
        unsafe { self.handle.destroy() }
    }
}

impl Drop for RawContext {
    fn drop(&mut self) {
        if self.handle.owned.load(Ordering::SeqCst) {
            // An error here (EFAULT for a handle C code already terminated) has
            // nowhere to go: Drop never panics.
            let _ = self.terminate();
        }
    }
}

/// A libzmq socket, closed on drop when owned.
pub(crate) struct RawSocket {
    handle: Handle<SocketKind>,
    /// Shared with the monitors of this socket, made at the first monitor (a
    /// `OnceLock`, so a thread-safe socket used from several threads at once
    /// makes it once).
    monitors: OnceLock<Arc<MonitorTarget>>,
    /// Set when the socket is shared between threads (`ThreadSafeSocket`):
    /// starting a monitor through `&self` is refused then, since libzmq's
    /// `zmq_socket_monitor` writes the socket's options without the lock the
    /// other calls of a thread-safe socket take.
    shared: bool,
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
    /// Whether the current monitoring reads into a `Monitor`'s PAIR (which
    /// never makes libzmq's event sends wait), not a PAIR of the caller's.
    ours: bool,
}

impl TargetState {
    /// `zmq_socket_monitor(NULL)`: stops the current monitoring.
    fn stop(&mut self) {
        if !self.socket.is_null() {
            // SAFETY: the socket is open (RawSocket's drop nulls the pointer
            // under this mutex before closing it). zmq_socket_monitor(NULL) only
            // touches the socket's monitor state, under libzmq's `_monitor_sync`
            // mutex (socket_base.cpp: monitor, stop_monitor, event_*), which
            // makes it safe beside the owner's calls on another thread.
            let _ = unsafe { zmq_sys::zmq_socket_monitor(self.socket, std::ptr::null(), 0) };
            self.ours = false;
        }
    }
}

// SAFETY: the handle in TargetState is only used under the mutex, and only for
// `zmq_socket_monitor`, which libzmq (4.2 and later) serialises with the I/O
// threads' event emission by the socket's own `_monitor_sync` mutex, so it may
// run on another thread than the one using the socket (see `MonitorTicket::stop`).
unsafe impl Send for TargetState {}

impl MonitorTarget {
    fn lock(&self) -> MutexGuard<'_, TargetState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The right to stop one monitoring of a socket, from any thread.
pub(crate) struct MonitorTicket {
    target: Arc<MonitorTarget>,
    generation: u64,
}

impl MonitorTicket {
    /// Stops the monitoring this ticket started, unless the socket is closed or
    /// monitoring was restarted since. Never blocks for long when the monitor's
    /// reading PAIR has no receive limit: libzmq's event sends do not block
    /// while it is connected, and stopping only waits for the monitor mutex
    /// libzmq holds while sending one event.
    pub(crate) fn stop(&self) {
        let mut state = self.target.lock();
        if state.generation == self.generation {
            state.stop();
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
    /// The libzmq function's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            EndpointCall::Bind => "zmq_bind",
            EndpointCall::Connect => "zmq_connect",
            EndpointCall::Unbind => "zmq_unbind",
            EndpointCall::Disconnect => "zmq_disconnect",
        }
    }
}

impl RawSocket {
    /// Wraps a socket handle made elsewhere.
    ///
    /// # Safety
    /// `ptr` must be a live libzmq socket (or null) not used by anyone else
    /// while this wrapper exists; if `owned`, this wrapper closes it.
    pub(crate) unsafe fn from_ptr(ptr: *mut c_void, owned: bool) -> RawSocket {
        RawSocket {
            // SAFETY: forwarded from the caller.
            handle: unsafe { Handle::new(ptr, owned) },
            monitors: OnceLock::new(),
            shared: false,
        }
    }

    /// The handle, for `zmq_sys` calls or as an identity.
    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn as_ptr(&self) -> *mut c_void {
        self.handle.as_ptr()
    }

    /// Gives the handle up without closing it, after stopping a `Monitor`'s
    /// monitoring (its PAIR may go away while the new owner keeps the socket).
    pub(crate) fn into_ptr(self) -> *mut c_void {
        if let Some(target) = self.monitors.get() {
            let mut state = target.lock();
            if state.ours {
                state.stop();
            }
            state.socket = std::ptr::null_mut();
        }
        self.handle.disown();
        self.as_ptr()
    }

    /// Marks the socket as shared between threads, or not any more (see
    /// `shared`).
    #[cfg(zmq_draft)]
    pub(crate) fn set_shared(&mut self, shared: bool) {
        self.shared = shared;
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
    /// `ours`: the events go to a `Monitor`'s PAIR.
    fn monitor_call(
        &self,
        ours: bool,
        call: impl FnOnce(*mut c_void) -> c_int,
    ) -> Result<MonitorTicket> {
        if self.shared {
            return Err(Errno::EINVAL);
        }
        let target = self.monitors.get_or_init(|| {
            Arc::new(MonitorTarget {
                state: Mutex::new(TargetState {
                    socket: self.as_ptr(),
                    generation: 0,
                    ours: false,
                }),
            })
        });
        let mut state = target.lock();
        check(call(self.as_ptr()))?;
        state.generation += 1;
        state.ours = ours;
        Ok(MonitorTicket {
            target: target.clone(),
            generation: state.generation,
        })
    }

    /// `zmq_socket_monitor`; `ours`: the events go to a `Monitor`'s PAIR.
    pub(crate) fn monitor(
        &self,
        endpoint: Option<&CStr>,
        events: c_int,
        ours: bool,
    ) -> Result<MonitorTicket> {
        let endpoint = endpoint.map_or(std::ptr::null(), CStr::as_ptr);
        // SAFETY: the socket is live; endpoint is NULL (stop monitoring) or a
        // NUL-terminated string that outlives the call.
        self.monitor_call(ours, |socket| unsafe {
            zmq_sys::zmq_socket_monitor(socket, endpoint, events)
        })
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
        self.monitor_call(true, |socket| unsafe {
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
    ///
    /// # Safety
    /// libzmq sends a command to the peer of every pipe of the socket without
    /// checking that the peer is still there (`pipe_t::send_stats_to_peer`): no
    /// peer of the socket may disconnect or close during the call.
    #[cfg(zmq_draft)]
    pub(crate) unsafe fn monitor_pipes_stats(&self) -> Result<()> {
        // SAFETY: the socket is live; the caller keeps its peers.
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
            Err(Errno::last())
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
    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn send_msg(&self, msg: &mut RawMsg, flags: c_int) -> Result<usize> {
        // SAFETY: the socket is live; msg is an initialised message, exclusively
        // borrowed.
        check(unsafe { zmq_sys::zmq_msg_send(msg.replaced(), self.as_ptr(), flags) })
            .map(|n| n as usize)
    }

    /// `zmq_msg_recv`: replaces the content of `msg`.
    #[cfg_attr(zmq_inline, inline(always))]
    pub(crate) fn recv_msg(&self, msg: &mut RawMsg, flags: c_int) -> Result<usize> {
        // SAFETY: the socket is live; msg is an initialised message, which
        // zmq_msg_recv closes before filling.
        check(unsafe { zmq_sys::zmq_msg_recv(msg.replaced(), self.as_ptr(), flags) })
            .map(|n| n as usize)
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
        // libzmq writes small values through `int *` or `int64_t *`: give it
        // storage aligned for those, then copy out.
        if buf.len() <= 8 {
            let mut aligned = Aligned([0; 8]);
            let len = self.getsockopt_into(option, &mut aligned.0[..buf.len()])?;
            let len = len.min(buf.len());
            buf[..len].copy_from_slice(&aligned.0[..len]);
            return Ok(len);
        }
        self.getsockopt_into(option, buf)
    }

    fn getsockopt_into(&self, option: c_int, buf: &mut [u8]) -> Result<usize> {
        let mut len = buf.len();
        // SAFETY: the socket is live; buf is writable for len bytes; libzmq writes
        // at most len bytes and stores the length it wrote.
        let rc = unsafe {
            zmq_sys::zmq_getsockopt(self.as_ptr(), option, buf.as_mut_ptr().cast(), &mut len)
        };
        check(rc).map(|_| len)
    }

    /// `zmq_setsockopt` with `value`'s bytes (a NULL pointer for `None`).
    ///
    /// `ZMQ_USE_FD` is refused (`EINVAL`): with it libzmq adopts a file
    /// descriptor and closes it later, whoever owns it (see
    /// `Socket::set_use_fd`, which is `unsafe`).
    pub(crate) fn setsockopt(&self, option: c_int, value: Option<&[u8]>) -> Result<()> {
        if option == zmq_sys::ZMQ_USE_FD as c_int {
            return Err(Errno::EINVAL);
        }
        // SAFETY: not ZMQ_USE_FD; every other option only copies the value.
        unsafe { self.setsockopt_unchecked(option, value) }
    }

    /// `zmq_setsockopt`, whatever the option.
    ///
    /// # Safety
    /// For `ZMQ_USE_FD`: the value must be an open listening socket descriptor
    /// that libzmq may own (and close) from the next bind on.
    pub(crate) unsafe fn setsockopt_unchecked(
        &self,
        option: c_int,
        value: Option<&[u8]>,
    ) -> Result<()> {
        // libzmq reads small values through `int *` or `int64_t *`: copy them to
        // storage aligned for those, whatever the caller's slice.
        let mut aligned = Aligned([0; 8]);
        let value = match value {
            Some(v) if v.len() <= aligned.0.len() => {
                aligned.0[..v.len()].copy_from_slice(v);
                Some(&aligned.0[..v.len()])
            }
            other => other,
        };
        let (ptr, len) = value.map_or((std::ptr::null(), 0), |v| (v.as_ptr().cast(), v.len()));
        // SAFETY: the socket is live; ptr is NULL with len 0, or valid (and, for
        // values of up to 8 bytes, 8-byte aligned) for len bytes; libzmq copies
        // what it keeps; ZMQ_USE_FD is the caller's.
        check(unsafe { zmq_sys::zmq_setsockopt(self.as_ptr(), option, ptr, len) }).map(drop)
    }
}

impl Drop for RawSocket {
    fn drop(&mut self) {
        // Before the handle closes (after this, with `handle`): a `Monitor`'s
        // monitoring stops now, while its PAIR surely reads (libzmq would
        // otherwise send the last events from its I/O and reaper threads later,
        // perhaps after that PAIR is gone, and wait for it forever); then the
        // monitors learn that the socket is gone.
        if let Some(target) = self.monitors.get() {
            let mut state = target.lock();
            if state.ours && self.handle.owned.load(Ordering::SeqCst) {
                state.stop();
            }
            state.socket = std::ptr::null_mut();
        }
    }
}

/// Eight bytes aligned for an `int64_t`, for option values.
#[repr(C, align(8))]
struct Aligned([u8; 8]);

/// `zmq_proxy_steerable`; without a control socket it is `zmq_proxy`, as
/// libzmq documents.
pub(crate) fn proxy(
    frontend: &RawSocket,
    backend: &RawSocket,
    capture: Option<&RawSocket>,
    control: Option<&RawSocket>,
) -> Result<()> {
    let capture = capture.map_or(std::ptr::null_mut(), RawSocket::as_ptr);
    let control = control.map_or(std::ptr::null_mut(), RawSocket::as_ptr);
    // SAFETY: every non-null handle is a live socket borrowed for the call, so
    // nobody else uses it meanwhile.
    let rc = unsafe {
        zmq_sys::zmq_proxy_steerable(frontend.as_ptr(), backend.as_ptr(), capture, control)
    };
    check(rc).map(drop)
}

/// What a [`PollSet`] entry polls.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum PollTarget {
    Socket(*mut c_void),
    Fd(zmq_sys::RawFd),
}

/// The registrations of a `Poller`: sockets (borrowed for `'s`, or kept open by
/// an owner the set holds) and file descriptors, each with the caller's key,
/// waited on with `zmq_poll` or, where the draft API exists, a `zmq_poller`.
pub(crate) struct PollSet<'s> {
    /// Declared (so dropped) before `owners`: libzmq's poller looks at its
    /// sockets when it is destroyed, so it must go before the sockets that
    /// owned registrations keep open.
    #[cfg(zmq_draft)]
    poller: Option<DraftPoller>,
    /// zmq_poll's array, dense.
    items: Vec<zmq_sys::zmq_pollitem_t>,
    /// For each item: the caller's key and what keeps its socket open.
    entries: Vec<(usize, Option<Box<dyn Any>>)>,
    borrows: PhantomData<&'s RawSocket>,
}

/// A `zmq_poller` and its event buffer.
#[cfg(zmq_draft)]
struct DraftPoller {
    handle: Handle<PollerKind>,
    events: Vec<zmq_sys::zmq_poller_event_t>,
}

impl<'s> PollSet<'s> {
    /// An empty set waiting with `zmq_poll`, or a `zmq_poller` (draft API).
    pub(crate) fn new(draft_poller: bool) -> Result<PollSet<'s>> {
        #[cfg(zmq_draft)]
        let poller = if draft_poller {
            Some(DraftPoller {
                // SAFETY: zmq_poller_new has no preconditions; it returns a new
                // poller, or NULL on failure.
                handle: unsafe { Handle::create(|| zmq_sys::zmq_poller_new()) }?,
                events: Vec::new(),
            })
        } else {
            None
        };
        #[cfg(not(zmq_draft))]
        let _ = draft_poller;
        Ok(PollSet {
            #[cfg(zmq_draft)]
            poller,
            items: Vec::new(),
            entries: Vec::new(),
            borrows: PhantomData,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether some entry can ever be reported: a socket waiting for no events
    /// never is (a file descriptor still reports errors and hang-ups).
    pub(crate) fn can_report(&self) -> bool {
        self.items
            .iter()
            .any(|item| item.socket.is_null() || item.events != 0)
    }

    /// Registers a socket borrowed for as long as the set lives.
    pub(crate) fn add_socket(
        &mut self,
        key: usize,
        socket: &'s RawSocket,
        events: c_short,
    ) -> Result<()> {
        self.insert(key, PollTarget::Socket(socket.as_ptr()), events, None)
    }

    /// Registers the socket `owner` dereferences to, keeping `owner` (so the
    /// socket open) until the entry is removed or the set dropped.
    pub(crate) fn add_owned<O>(&mut self, key: usize, owner: O, events: c_short) -> Result<()>
    where
        O: std::ops::Deref<Target = RawSocket> + 'static,
    {
        // The socket `owner` derefs to lives as long as `owner` does, and
        // `owner` is kept (never mutated) until the entry goes.
        let target = PollTarget::Socket(owner.as_ptr());
        self.insert(key, target, events, Some(Box::new(owner)))
    }

    /// Registers a file descriptor.
    pub(crate) fn add_fd(&mut self, key: usize, fd: zmq_sys::RawFd, events: c_short) -> Result<()> {
        self.insert(key, PollTarget::Fd(fd), events, None)
    }

    fn insert(
        &mut self,
        key: usize,
        target: PollTarget,
        events: c_short,
        owner: Option<Box<dyn Any>>,
    ) -> Result<()> {
        #[cfg(zmq_draft)]
        if let Some(poller) = &mut self.poller {
            let user = key as *mut c_void;
            let ptr = poller.handle.as_ptr();
            // SAFETY: the poller is live; the socket stays open while it is
            // registered (borrowed for 's, or kept by `owner`); user data is an
            // opaque number.
            let rc = unsafe {
                match target {
                    PollTarget::Socket(s) => zmq_sys::zmq_poller_add(ptr, s, user, events),
                    PollTarget::Fd(fd) => zmq_sys::zmq_poller_add_fd(ptr, fd, user, events),
                }
            };
            check(rc)?;
            let wanted = self.items.len() + 1;
            if poller.events.len() < wanted {
                // SAFETY: zmq_poller_event_t is plain C data; all zeroes is valid.
                poller
                    .events
                    .resize_with(wanted, || unsafe { std::mem::zeroed() });
            }
        }
        let (socket, fd) = match target {
            PollTarget::Socket(s) => (s, 0),
            PollTarget::Fd(fd) => (std::ptr::null_mut(), fd),
        };
        self.items.push(zmq_sys::zmq_pollitem_t {
            socket,
            fd,
            events,
            revents: 0,
        });
        self.entries.push((key, owner));
        Ok(())
    }

    fn index(&self, key: usize) -> Result<usize> {
        self.entries
            .iter()
            .position(|(k, _)| *k == key)
            .ok_or(Errno::EINVAL)
    }

    #[cfg(zmq_draft)]
    fn target(&self, index: usize) -> PollTarget {
        let item = &self.items[index];
        if item.socket.is_null() {
            PollTarget::Fd(item.fd)
        } else {
            PollTarget::Socket(item.socket)
        }
    }

    /// Changes the events an entry waits for.
    pub(crate) fn modify(&mut self, key: usize, events: c_short) -> Result<()> {
        let index = self.index(key)?;
        #[cfg(zmq_draft)]
        if let Some(poller) = &self.poller {
            let ptr = poller.handle.as_ptr();
            // SAFETY: the poller is live and the target registered.
            let rc = unsafe {
                match self.target(index) {
                    PollTarget::Socket(s) => zmq_sys::zmq_poller_modify(ptr, s, events),
                    PollTarget::Fd(fd) => zmq_sys::zmq_poller_modify_fd(ptr, fd, events),
                }
            };
            check(rc)?;
        }
        self.items[index].events = events;
        Ok(())
    }

    /// Removes an entry (and lets go of its owner, after libzmq let go of it).
    pub(crate) fn remove(&mut self, key: usize) -> Result<()> {
        let index = self.index(key)?;
        #[cfg(zmq_draft)]
        if let Some(poller) = &self.poller {
            let ptr = poller.handle.as_ptr();
            // SAFETY: the poller is live and the target registered.
            let rc = unsafe {
                match self.target(index) {
                    PollTarget::Socket(s) => zmq_sys::zmq_poller_remove(ptr, s),
                    PollTarget::Fd(fd) => zmq_sys::zmq_poller_remove_fd(ptr, fd),
                }
            };
            check(rc)?;
        }
        self.items.swap_remove(index);
        self.entries.swap_remove(index);
        Ok(())
    }

    /// Waits up to `timeout` milliseconds (-1: forever) and appends the key and
    /// events of each ready entry to `ready`. `sigmask` (zmq_poll only): the
    /// signals blocked during the wait (`zmq_ppoll`, draft API).
    pub(crate) fn wait(
        &mut self,
        timeout: c_long,
        #[cfg(all(zmq_draft, unix))] sigmask: Option<&libc::sigset_t>,
        ready: &mut Vec<(usize, c_short)>,
    ) -> Result<()> {
        if !super::pollable(self.items.len()) {
            return Err(Errno::EINVAL);
        }
        #[cfg(zmq_draft)]
        if let Some(poller) = &mut self.poller {
            #[cfg(unix)]
            if sigmask.is_some() {
                return Err(Errno(zmq_sys::errno::ENOTSUP));
            }
            let count = c_int::try_from(self.items.len()).map_err(|_| Errno::EINVAL)?;
            // SAFETY: the poller is live; events has room for count entries
            // (grown with every registration).
            let rc = unsafe {
                zmq_sys::zmq_poller_wait_all(
                    poller.handle.as_ptr(),
                    poller.events.as_mut_ptr(),
                    count,
                    timeout,
                )
            };
            return match check(rc) {
                Ok(found) => {
                    for e in &poller.events[..found as usize] {
                        ready.push((e.user_data as usize, e.events));
                    }
                    Ok(())
                }
                Err(Errno::EAGAIN) => Ok(()),
                Err(e) => Err(e),
            };
        }
        let count = c_int::try_from(self.items.len()).map_err(|_| Errno::EINVAL)?;
        let items = self.items.as_mut_ptr();
        #[cfg(all(zmq_draft, unix))]
        let rc = match sigmask {
            // SAFETY: items is a dense array of count valid poll items whose
            // sockets are open (borrowed for 's or kept by an owner); libzmq
            // writes only the revents fields; sigmask is a valid signal set.
            Some(mask) => unsafe { zmq_sys::zmq_ppoll(items, count, timeout, mask) },
            // SAFETY: as above.
            None => unsafe { zmq_sys::zmq_poll(items, count, timeout) },
        };
        // SAFETY: as above.
        #[cfg(not(all(zmq_draft, unix)))]
        let rc = unsafe { zmq_sys::zmq_poll(items, count, timeout) };
        check(rc)?;
        for (item, (key, _)) in self.items.iter().zip(&self.entries) {
            if item.revents != 0 {
                ready.push((*key, item.revents));
            }
        }
        Ok(())
    }
}

/// A timer handler, boxed so its address (libzmq's `arg`) is stable, and owned
/// through the raw pointer libzmq holds (so no move of a `Box` can invalidate
/// that pointer).
struct HandlerBox(NonNull<Box<dyn FnMut(i32)>>);

impl HandlerBox {
    fn new(handler: Box<dyn FnMut(i32)>) -> HandlerBox {
        HandlerBox(NonNull::from(Box::leak(Box::new(handler))))
    }

    fn arg(&self) -> *mut c_void {
        self.0.as_ptr().cast()
    }
}

impl Drop for HandlerBox {
    fn drop(&mut self) {
        // SAFETY: the pointer comes from Box::leak in `new` and is freed only
        // here, once; libzmq no longer calls it (its timer is cancelled, or the
        // timer set destroyed before the handlers are dropped).
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

/// Calls the handler behind `arg` (a handler owned by `RawTimers`).
unsafe extern "C" fn trampoline(timer_id: c_int, arg: *mut c_void) {
    // SAFETY: arg is the address of a handler in `RawTimers::handlers`, alive
    // while its timer exists; libzmq calls this only from zmq_timers_execute,
    // during which the RawTimers is exclusively borrowed and its handlers map
    // left alone.
    let handler = unsafe { &mut *arg.cast::<Box<dyn FnMut(i32)>>() };
    // A panic must not unwind into C: catch it and drop it.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(timer_id)));
}

/// A libzmq timer set (`zmq_timers_*`) and the handlers it calls.
pub(crate) struct RawTimers {
    /// Declared (so dropped) before the handlers it points to.
    handle: Handle<TimersKind>,
    handlers: HashMap<i32, HandlerBox>,
    /// How many timers were ever added (libzmq's next id).
    added: u64,
}

impl RawTimers {
    /// `zmq_timers_new`.
    pub(crate) fn new() -> Result<RawTimers> {
        Ok(RawTimers {
            // SAFETY: zmq_timers_new has no preconditions; it returns a new
            // timer set, or NULL on failure.
            handle: unsafe { Handle::create(|| zmq_sys::zmq_timers_new()) }?,
            handlers: HashMap::new(),
            added: 0,
        })
    }

    /// `zmq_timers_add`: a repeating timer; returns its id.
    ///
    /// libzmq counts timer ids in a C `int` that it lets overflow: past
    /// `i32::MAX` timers (over the set's life) the set refuses more (`EINVAL`).
    pub(crate) fn add(&mut self, interval_ms: usize, handler: Box<dyn FnMut(i32)>) -> Result<i32> {
        if self.added >= i32::MAX as u64 {
            return Err(Errno::EINVAL);
        }
        let boxed = HandlerBox::new(handler);
        // SAFETY: the timer set is live; arg is the handler's stable address,
        // kept alive in `handlers` until the timer is cancelled or the set
        // destroyed (a failed add drops it here, unused).
        let id = check(unsafe {
            zmq_sys::zmq_timers_add(
                self.handle.as_ptr(),
                interval_ms,
                Some(trampoline),
                boxed.arg(),
            )
        })?;
        self.added += 1;
        self.handlers.insert(id, boxed);
        Ok(id)
    }

    /// `zmq_timers_cancel`, then drops the handler.
    pub(crate) fn cancel(&mut self, id: i32) -> Result<()> {
        // SAFETY: the timer set is live; not called from inside execute (which
        // holds the only exclusive borrow), so the handler is not running.
        check(unsafe { zmq_sys::zmq_timers_cancel(self.handle.as_ptr(), id) })?;
        self.handlers.remove(&id);
        Ok(())
    }

    /// `EINVAL` for a timer that was cancelled: libzmq only marks a cancelled
    /// timer until its next `execute`, and changes it meanwhile without error.
    fn live(&self, id: i32) -> Result<()> {
        if self.handlers.contains_key(&id) {
            Ok(())
        } else {
            Err(Errno::EINVAL)
        }
    }

    /// `zmq_timers_set_interval`.
    pub(crate) fn set_interval(&mut self, id: i32, interval_ms: usize) -> Result<()> {
        self.live(id)?;
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_set_interval(self.handle.as_ptr(), id, interval_ms) })
            .map(drop)
    }

    /// `zmq_timers_reset`.
    pub(crate) fn reset(&mut self, id: i32) -> Result<()> {
        self.live(id)?;
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_reset(self.handle.as_ptr(), id) }).map(drop)
    }

    /// `zmq_timers_timeout`: milliseconds until the next timer, -1 for none.
    pub(crate) fn timeout(&self) -> c_long {
        // SAFETY: the timer set is live; the call only reads it.
        unsafe { zmq_sys::zmq_timers_timeout(self.handle.as_ptr()) }
    }

    /// `zmq_timers_execute`: runs the due handlers on this thread.
    pub(crate) fn execute(&mut self) -> Result<()> {
        // SAFETY: the timer set is live; handlers run on this thread while
        // `self` is exclusively borrowed, so their boxes stay in place.
        check(unsafe { zmq_sys::zmq_timers_execute(self.handle.as_ptr()) }).map(drop)
    }
}
