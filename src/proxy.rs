//! Proxies: `zmq_proxy` and `zmq_proxy_steerable` as in the `zmq` 0.10 API, typed
//! steering ([`ProxyCommand`], [`ProxyStatistics`]), and [`ProxyHandle`], a proxy
//! on its own thread that stops cleanly when dropped.

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::ffi;
use crate::{Context, Socket, DONTWAIT, POLLIN};

/// `zmq_proxy_steerable` over the sockets' handles.
fn proxy_call(
    frontend: &ffi::RawSocket,
    backend: &ffi::RawSocket,
    capture: Option<&ffi::RawSocket>,
    control: Option<&ffi::RawSocket>,
) -> Result<()> {
    Ok(ffi::proxy(frontend, backend, capture, control)?)
}

/// Forwards messages between `frontend` and `backend` until the context is
/// terminated (`zmq_proxy`).
#[doc(alias = "zmq_proxy")]
pub fn proxy(frontend: &Socket, backend: &Socket) -> Result<()> {
    proxy_call(frontend.raw(), backend.raw(), None, None)
}

/// Like [`proxy`], also sending a copy of every message to `capture`.
pub fn proxy_with_capture(
    frontend: &mut Socket,
    backend: &mut Socket,
    capture: &mut Socket,
) -> Result<()> {
    proxy_call(frontend.raw(), backend.raw(), Some(capture.raw()), None)
}

/// Like [`proxy`], steered by `PAUSE`, `RESUME`, `TERMINATE` and `STATISTICS`
/// commands on `control` (`zmq_proxy_steerable`); returns after `TERMINATE`.
/// [`ProxyCommand`] and [`ProxyHandle`] speak that protocol for you.
#[doc(alias = "zmq_proxy_steerable")]
pub fn proxy_steerable(
    frontend: &mut Socket,
    backend: &mut Socket,
    control: &mut Socket,
) -> Result<()> {
    proxy_call(frontend.raw(), backend.raw(), None, Some(control.raw()))
}

/// [`proxy_steerable`] with a capture socket.
pub fn proxy_steerable_with_capture(
    frontend: &mut Socket,
    backend: &mut Socket,
    capture: &mut Socket,
    control: &mut Socket,
) -> Result<()> {
    proxy_call(
        frontend.raw(),
        backend.raw(),
        Some(capture.raw()),
        Some(control.raw()),
    )
}

/// A command for a steerable proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyCommand {
    /// Stop forwarding (messages wait in the queues).
    Pause,
    /// Forward again.
    Resume,
    /// Stop the proxy: `zmq_proxy_steerable` returns.
    Terminate,
    /// Ask for the message and byte counts.
    Statistics,
}

/// One side's counts in [`ProxyStatistics`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SideStatistics {
    /// Messages (frames) received on this side.
    pub messages_received: u64,
    /// Bytes received on this side.
    pub bytes_received: u64,
    /// Messages (frames) sent on this side.
    pub messages_sent: u64,
    /// Bytes sent on this side.
    pub bytes_sent: u64,
}

/// What a proxy reports for [`ProxyCommand::Statistics`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProxyStatistics {
    /// The frontend socket's counts.
    pub frontend: SideStatistics,
    /// The backend socket's counts.
    pub backend: SideStatistics,
}

impl ProxyStatistics {
    /// Parses the 8-frame reply (eight native-endian `u64`s).
    pub fn parse<F: AsRef<[u8]>>(frames: &[F]) -> Result<ProxyStatistics> {
        if frames.len() != 8 {
            return Err(Error::EPROTO);
        }
        let mut values = [0u64; 8];
        for (value, frame) in values.iter_mut().zip(frames) {
            let bytes: [u8; 8] = frame.as_ref().try_into().map_err(|_| Error::EPROTO)?;
            *value = u64::from_ne_bytes(bytes);
        }
        let side = |v: &[u64]| SideStatistics {
            messages_received: v[0],
            bytes_received: v[1],
            messages_sent: v[2],
            bytes_sent: v[3],
        };
        Ok(ProxyStatistics {
            frontend: side(&values[..4]),
            backend: side(&values[4..]),
        })
    }
}

/// How the running libzmq's steerable proxy speaks. libzmq 4.3.5 replies to
/// every command and has PAUSE and RESUME swapped (fixed upstream after the
/// release, in libzmq pull request 4600); other versions reply to STATISTICS
/// only.
#[derive(Clone, Copy, Debug)]
struct Dialect {
    replies_to_all: bool,
    swapped_pause: bool,
}

impl Dialect {
    fn current() -> Dialect {
        let is_435 = crate::version() == (4, 3, 5);
        Dialect {
            replies_to_all: is_435,
            swapped_pause: is_435,
        }
    }

    fn wire(self, command: ProxyCommand) -> &'static str {
        match (command, self.swapped_pause) {
            (ProxyCommand::Pause, false) | (ProxyCommand::Resume, true) => "PAUSE",
            (ProxyCommand::Resume, false) | (ProxyCommand::Pause, true) => "RESUME",
            (ProxyCommand::Terminate, _) => "TERMINATE",
            (ProxyCommand::Statistics, _) => "STATISTICS",
        }
    }
}

/// Sends `command` on the control socket of a steerable proxy (the peer of its
/// control socket: PAIR, or REQ for a REP control) and reads the reply; returns
/// the statistics for [`ProxyCommand::Statistics`].
pub fn steer(control: &Socket, command: ProxyCommand) -> Result<Option<ProxyStatistics>> {
    let dialect = Dialect::current();
    control.send(dialect.wire(command), 0)?;
    read_reply(command, dialect, || control.recv_multipart(0))
}

/// The reply to `command`, read by `recv`: statistics, or nothing.
fn read_reply(
    command: ProxyCommand,
    dialect: Dialect,
    mut recv: impl FnMut() -> Result<Vec<Vec<u8>>>,
) -> Result<Option<ProxyStatistics>> {
    if command == ProxyCommand::Statistics {
        return ProxyStatistics::parse(&recv()?).map(Some);
    }
    if dialect.replies_to_all {
        recv()?;
    }
    Ok(None)
}

/// How long [`ProxyHandle`] waits for a running proxy to answer a command.
const CONTROL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long dropping a [`ProxyHandle`] waits for the proxy thread to end.
const DROP_GRACE: Duration = Duration::from_millis(250);
/// How often a waiting [`ProxyHandle`] checks whether the proxy thread ended,
/// in milliseconds.
const LIVENESS_SLICE_MS: u64 = 20;

/// A steerable proxy running on its own thread. Dropping the handle terminates
/// the proxy and joins the thread, waiting at most a quarter of a second: a
/// proxy that has already stopped (its context was shut down, say) is joined
/// at once, and one stuck on a send is left to end with its context.
///
/// ```
/// let ctx = zmq::Context::new();
/// let frontend = ctx.socket(zmq::PULL).unwrap();
/// frontend.bind("inproc://proxy-in").unwrap();
/// let backend = ctx.socket(zmq::PUSH).unwrap();
/// backend.bind("inproc://proxy-out").unwrap();
/// let proxy = zmq::ProxyHandle::spawn(&ctx, frontend, backend, None).unwrap();
///
/// let input = ctx.socket(zmq::PUSH).unwrap();
/// input.connect("inproc://proxy-in").unwrap();
/// let output = ctx.socket(zmq::PULL).unwrap();
/// output.connect("inproc://proxy-out").unwrap();
/// input.send("through", 0).unwrap();
/// assert_eq!(output.recv_bytes(0).unwrap(), b"through");
/// assert_eq!(proxy.statistics().unwrap().frontend.messages_received, 1);
/// ```
pub struct ProxyHandle {
    control: Socket,
    thread: Option<JoinHandle<Result<()>>>,
}

impl ProxyHandle {
    /// Starts `zmq_proxy_steerable(frontend, backend, capture, control)` on a new
    /// thread, with a control PAIR socket that this handle keeps.
    pub fn spawn(
        ctx: &Context,
        frontend: Socket,
        backend: Socket,
        capture: Option<Socket>,
    ) -> Result<ProxyHandle> {
        let (mut proxy_side, control) = ctx.inproc_pair("proxy-control")?;
        let thread = std::thread::Builder::new()
            .name("zmq-proxy".into())
            .spawn(move || {
                // A signal would end the proxy with EINTR: let other threads take them.
                ffi::block_signals_on_this_thread();
                let (mut frontend, mut backend, mut capture) = (frontend, backend, capture);
                match capture.as_mut() {
                    Some(capture) => proxy_steerable_with_capture(
                        &mut frontend,
                        &mut backend,
                        capture,
                        &mut proxy_side,
                    ),
                    None => proxy_steerable(&mut frontend, &mut backend, &mut proxy_side),
                }
            })
            .map_err(|e| Error::from_spawn(&e))?;
        Ok(ProxyHandle {
            control,
            thread: Some(thread),
        })
    }

    /// Whether the proxy thread has ended (or been joined).
    fn finished(&self) -> bool {
        self.thread.as_ref().map_or(true, JoinHandle::is_finished)
    }

    /// Sends a command and waits for the proxy's answer: up to 10 seconds while
    /// the proxy runs, and no longer once it has stopped (`ETERM` then;
    /// [`ProxyHandle::terminate`] returns why it stopped).
    pub fn command(&self, command: ProxyCommand) -> Result<Option<ProxyStatistics>> {
        let dialect = Dialect::current();
        let deadline = Instant::now() + CONTROL_TIMEOUT;
        let wire = dialect.wire(command);
        loop {
            if self.finished() {
                return Err(Error::ETERM);
            }
            match self.control.send(wire, DONTWAIT) {
                Ok(()) => break,
                Err(Error::EAGAIN) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(LIVENESS_SLICE_MS));
                }
                Err(e) => return Err(e),
            }
        }
        read_reply(command, dialect, || self.recv_while_running(deadline))
    }

    /// One multipart reply, waiting in short slices so that a proxy that stops
    /// meanwhile is noticed at once.
    fn recv_while_running(&self, deadline: Instant) -> Result<Vec<Vec<u8>>> {
        loop {
            if self.control.poll(POLLIN, LIVENESS_SLICE_MS as i64)? > 0 {
                return self.control.recv_multipart(DONTWAIT);
            }
            if self.finished() {
                return Err(Error::ETERM);
            }
            if Instant::now() >= deadline {
                return Err(Error::EAGAIN);
            }
        }
    }

    /// Stops forwarding.
    pub fn pause(&self) -> Result<()> {
        self.command(ProxyCommand::Pause).map(drop)
    }

    /// Forwards again.
    pub fn resume(&self) -> Result<()> {
        self.command(ProxyCommand::Resume).map(drop)
    }

    /// The proxy's message and byte counts.
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        self.command(ProxyCommand::Statistics)?.ok_or(Error::EPROTO)
    }

    /// Stops the proxy and returns what `zmq_proxy_steerable` returned. A
    /// proxy that does not take the command within 10 seconds (stuck on a
    /// send) is left to end with its context, and its error returned.
    ///
    /// # Panics
    /// If the proxy thread panicked (libzmq's proxy cannot make it; the panic
    /// is passed on rather than turned into an error code).
    pub fn terminate(mut self) -> Result<()> {
        let sent = if self.finished() {
            Ok(None)
        } else {
            self.command(ProxyCommand::Terminate)
        };
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        match sent {
            Ok(_) => {}
            // It stopped on its own meanwhile: its own result says why.
            Err(_) if thread.is_finished() => {}
            // It did not take the command: joining could wait forever, so
            // leave the thread to end with its context.
            Err(e) => return Err(e),
        }
        thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

impl Drop for ProxyHandle {
    /// Queues `TERMINATE` without waiting for an answer and joins the thread
    /// if it ends within 250 ms. A proxy that cannot read the command
    /// (blocked sending to a capture or peer that takes nothing) is left to
    /// end with its context: its sockets get `ETERM` when the context is
    /// terminated. Errors, and a panic of the proxy thread, have nowhere to go
    /// here: [`ProxyHandle::terminate`] reports them.
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        if !thread.is_finished() {
            let terminate = Dialect::current().wire(ProxyCommand::Terminate);
            let _ = self.control.send(terminate, DONTWAIT);
            let deadline = Instant::now() + DROP_GRACE;
            while !thread.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}
