//! [`Context`]: the libzmq context, shared, terminated once.

use std::ffi::c_void;
use std::sync::Arc;

use crate::error::{Error, OpError, Result};
use crate::ffi::RawContext;
use crate::socket::{Socket, SocketType};

/// A libzmq context: the container of sockets and I/O threads.
///
/// Clones share one context (an `Arc`); it is `Send + Sync`. It is terminated
/// (`zmq_ctx_term`) exactly once: when the last clone and the last socket made
/// from it are gone, or at the first [`Context::destroy`]. Sockets hold on to
/// it, so dropping the `Context` while sockets live does not block.
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
            .map(|raw| Context::from_shared(Arc::new(raw)))
            .map_err(|e| OpError::new("zmq_ctx_new", e.into()))
    }

    /// The context a `RawContext` belongs to.
    pub(crate) fn from_shared(raw: Arc<RawContext>) -> Context {
        Context { raw }
    }

    pub(crate) fn raw(&self) -> &RawContext {
        &self.raw
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
        Ok(Socket::new(raw, Some(self.raw.clone())))
    }

    /// Makes every blocking call on the context's sockets return `ETERM` and
    /// every later one fail with it, without waiting (`zmq_ctx_shutdown`). The
    /// context is still terminated when the last clone and socket are gone.
    #[doc(alias = "zmq_ctx_shutdown")]
    pub fn shutdown(&self) -> Result<()> {
        match self.raw.shutdown().map_err(Error::from) {
            Err(Error::ETERM) => Ok(()),
            other => other,
        }
    }

    /// Terminates the context now (`zmq_ctx_term`): blocking calls on its
    /// sockets return `ETERM`, and this waits until every socket is closed.
    /// From the moment it starts, every context call (`socket`, options) fails
    /// with `ETERM` at once. Later calls, calls on other threads meanwhile,
    /// and the final drop do nothing.
    ///
    /// A context that is not this crate's to terminate (borrowed with
    /// [`Context::from_raw_borrowed`], or given away with
    /// [`Context::into_raw`]) is not terminated: it only stops serving this
    /// `Context` and its clones, and its owner terminates it.
    #[doc(alias = "zmq_ctx_term")]
    pub fn destroy(&mut self) -> Result<()> {
        Ok(self.raw.terminate()?)
    }
}

impl Context {
    /// A PAIR socket bound to a new inproc endpoint of this context and a PAIR
    /// connected to it, both with linger 0: the control channel of a helper
    /// thread (a proxy, an authenticator).
    pub(crate) fn inproc_pair(&self, name: &str) -> Result<(Socket, Socket)> {
        let endpoint = crate::socket::unique_inproc(name);
        let linger = 0i32.to_ne_bytes();
        let bound = self.socket(SocketType::PAIR)?;
        bound.set_raw_option(zmq_sys::ZMQ_LINGER as i32, Some(&linger))?;
        bound.bind(&endpoint)?;
        let connected = self.socket(SocketType::PAIR)?;
        connected.set_raw_option(zmq_sys::ZMQ_LINGER as i32, Some(&linger))?;
        connected.connect(&endpoint)?;
        Ok((bound, connected))
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
