//! [`Context`]: the libzmq context, shared, terminated once.

use std::ffi::c_void;
use std::ptr::NonNull;
use std::sync::Arc;

use crate::ctxopt::{ContextValue, ReadableContextOption, WritableContextOption};
use crate::error::{Error, OpError, Result};
use crate::kinds::SocketType;
use crate::raw::RawContext;
use crate::Socket;

/// A libzmq context: the container of sockets and I/O threads.
///
/// Clones share one context (an `Arc`); it is `Send + Sync`. It is terminated
/// (`zmq_ctx_term`) exactly once: when the last clone and the last socket made
/// from it are gone, or at the first [`Context::destroy`]. Sockets hold a clone,
/// so dropping the `Context` while sockets live does not block.
///
/// Termination waits for unsent messages as long as each socket's `LINGER`
/// says; the default linger is infinite, so set it (`set_linger(0)`) on sockets
/// that may hold messages for a peer that never comes.
///
/// ```
/// let ctx = zmq::Context::new();
/// let rep = ctx.socket(zmq::REP).unwrap();
/// rep.bind("inproc://ctx-doc").unwrap();
/// let req = ctx.socket(zmq::REQ).unwrap();
/// req.connect("inproc://ctx-doc").unwrap();
/// req.send("hello", 0).unwrap();
/// assert_eq!(rep.recv_string(0).unwrap().unwrap(), "hello");
/// ```
#[derive(Clone)]
pub struct Context {
    raw: Arc<RawContext>,
}

impl Context {
    /// A new context (`zmq_ctx_new`).
    ///
    /// # Panics
    /// Only if libzmq cannot create a context at all (out of memory or file
    /// descriptors), as `zmq` 0.10 did; [`Context::try_new`] returns that error.
    #[doc(alias = "zmq_ctx_new")]
    pub fn new() -> Context {
        match Context::try_new() {
            Ok(ctx) => ctx,
            Err(e) => panic!("zmq_ctx_new failed: {e}"),
        }
    }

    /// A new context, or the error libzmq gave (`EMFILE`, ...).
    pub fn try_new() -> std::result::Result<Context, OpError> {
        RawContext::new()
            .map(|raw| Context { raw: Arc::new(raw) })
            .map_err(|e| OpError::new("zmq_ctx_new", e))
    }

    /// Takes ownership of a context made elsewhere (by C code, say): it is
    /// terminated when the last clone and socket are gone.
    ///
    /// # Safety
    /// `ctx` must be a live libzmq context that nothing else terminates.
    pub unsafe fn from_raw(ctx: *mut c_void) -> Option<Context> {
        let ptr = NonNull::new(ctx)?;
        // SAFETY: the caller hands over a live context and its ownership.
        let raw = unsafe { RawContext::from_ptr(ptr, true) };
        Some(Context { raw: Arc::new(raw) })
    }

    /// Uses a context that C code (or other code) owns, without ever terminating
    /// it.
    ///
    /// # Safety
    /// `ctx` must be a live libzmq context that outlives this `Context`, its
    /// clones and its sockets.
    pub unsafe fn from_raw_borrowed(ctx: *mut c_void) -> Option<Context> {
        let ptr = NonNull::new(ctx)?;
        // SAFETY: the caller guarantees the context outlives every use here.
        let raw = unsafe { RawContext::from_ptr(ptr, false) };
        Some(Context { raw: Arc::new(raw) })
    }

    /// The raw `void *` context, for C code. The context stays owned by Rust.
    pub fn as_raw(&self) -> *mut c_void {
        self.raw.as_ptr()
    }

    /// Gives up ownership and returns the raw context: no clone will terminate
    /// it; whoever takes it must call `zmq_ctx_term` once every socket (Rust ones
    /// included) is closed.
    pub fn into_raw(self) -> *mut c_void {
        self.raw.disown();
        self.raw.as_ptr()
    }

    /// A new socket of type `socket_type` (`zmq_socket`).
    #[doc(alias = "zmq_socket")]
    pub fn socket(&self, socket_type: SocketType) -> Result<Socket> {
        let raw = self.raw.socket(socket_type.to_raw())?;
        Ok(Socket::new(raw, self.clone()))
    }

    /// The number of I/O threads (`ZMQ_IO_THREADS`).
    pub fn get_io_threads(&self) -> Result<i32> {
        self.raw.get(zmq_sys::ZMQ_IO_THREADS as i32)
    }

    /// Sets the number of I/O threads; only before the first socket.
    pub fn set_io_threads(&self, value: i32) -> Result<()> {
        self.raw.set(zmq_sys::ZMQ_IO_THREADS as i32, value)
    }

    /// Reads a context option (`zmq_ctx_get`).
    ///
    /// ```
    /// use zmq::ctxopt;
    /// let ctx = zmq::Context::new();
    /// ctx.set(ctxopt::MaxSockets, 64).unwrap();
    /// assert_eq!(ctx.get(ctxopt::MaxSockets).unwrap(), 64);
    /// ```
    #[doc(alias = "zmq_ctx_get")]
    pub fn get<O: ReadableContextOption>(
        &self,
        _option: O,
    ) -> std::result::Result<O::Value, OpError> {
        self.raw
            .get(O::ID)
            .map(O::Value::from_int)
            .map_err(|e| OpError::new(O::NAME, e))
    }

    /// Writes a context option (`zmq_ctx_set`).
    #[doc(alias = "zmq_ctx_set")]
    pub fn set<O: WritableContextOption>(
        &self,
        _option: O,
        value: O::Value,
    ) -> std::result::Result<(), OpError> {
        self.raw
            .set(O::ID, value.to_int())
            .map_err(|e| OpError::new(O::NAME, e))
    }

    /// Sets the name prefix of libzmq's threads as a string (draft
    /// `zmq_ctx_set_ext`); without the draft API only numbers are possible
    /// ([`ctxopt::ThreadNamePrefix`](crate::ctxopt::ThreadNamePrefix)).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_ctx_set_ext")]
    pub fn set_thread_name_prefix(&self, prefix: &str) -> std::result::Result<(), OpError> {
        self.raw
            .set_ext(zmq_sys::ZMQ_THREAD_NAME_PREFIX as i32, prefix.as_bytes())
            .map_err(|e| OpError::new("ZMQ_THREAD_NAME_PREFIX", e))
    }

    /// The name prefix of libzmq's threads (draft `zmq_ctx_get_ext`).
    #[cfg(zmq_draft)]
    #[doc(alias = "zmq_ctx_get_ext")]
    pub fn thread_name_prefix(&self) -> std::result::Result<String, OpError> {
        let mut buf = [0u8; 256];
        let len = self
            .raw
            .get_ext(zmq_sys::ZMQ_THREAD_NAME_PREFIX as i32, &mut buf)
            .map_err(|e| OpError::new("ZMQ_THREAD_NAME_PREFIX", e))?;
        let text = &buf[..len.min(buf.len())];
        let text = text.split(|&b| b == 0).next().unwrap_or_default();
        Ok(String::from_utf8_lossy(text).into_owned())
    }

    /// Makes every blocking call on the context's sockets return `ETERM` and
    /// every later one fail with it, without waiting (`zmq_ctx_shutdown`). The
    /// context is still terminated when the last clone and socket are gone.
    #[doc(alias = "zmq_ctx_shutdown")]
    pub fn shutdown(&self) -> Result<()> {
        match self.raw.shutdown() {
            Err(Error::ETERM) => Ok(()),
            other => other,
        }
    }

    /// Terminates the context now (`zmq_ctx_term`): blocking calls on its
    /// sockets return `ETERM`, and this waits until every socket is closed.
    /// Later calls, and the final drop, do nothing.
    #[doc(alias = "zmq_ctx_term")]
    pub fn destroy(&mut self) -> Result<()> {
        self.raw.terminate()
    }
}

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("raw", &self.raw.as_ptr())
            .finish()
    }
}
