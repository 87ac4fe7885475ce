//! `zmqcat proxy`: the library's steerable proxy (`zmq::ProxyHandle`) between
//! a frontend and a backend, with an optional capture socket.
//!
//! The proxy's capture goes to an inproc tap that this thread reads: it counts
//! whole messages for `--count` and passes each copy on to `--capture`.

use std::io::Write;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::endpoint::{attach, split_prefix};
use crate::stop::{self, LimitArgs, Limits, Reason};

/// Options of `zmqcat proxy`.
#[derive(Args, Debug)]
#[command(after_help = "\
Endpoints are bound; prefix one with '>' to connect it instead ('@' binds).
Prints `frontend ENDPOINT`, `backend ENDPOINT` (and `capture ENDPOINT`) on
standard output once they are bound, with a `*` port resolved; on stopping,
prints what went through on standard error.")]
pub struct ProxyArgs {
    /// forwarder: XSUB frontend (publishers) to XPUB backend (subscribers);
    /// streamer: PULL frontend to PUSH backend; queue: ROUTER frontend
    /// (clients) to DEALER backend (workers).
    #[arg(value_enum)]
    mode: Mode,
    /// The frontend's endpoint.
    frontend: String,
    /// The backend's endpoint.
    backend: String,
    /// Send a copy of every message, both ways, to this endpoint.
    #[arg(long, value_name = "ENDPOINT")]
    capture: Option<String>,
    /// The capture socket's type.
    #[arg(long, value_enum, default_value = "pub", value_name = "TYPE")]
    capture_type: CaptureType,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The three proxy shapes.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Mode {
    Forwarder,
    Streamer,
    Queue,
}

impl Mode {
    /// The frontend's and the backend's socket types.
    fn socket_types(self) -> (zmq::SocketType, zmq::SocketType) {
        match self {
            Mode::Forwarder => (zmq::XSUB, zmq::XPUB),
            Mode::Streamer => (zmq::PULL, zmq::PUSH),
            Mode::Queue => (zmq::ROUTER, zmq::DEALER),
        }
    }
}

/// The capture socket's type.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum CaptureType {
    Pub,
    Push,
}

/// How long closing sockets may take to hand over what they still hold.
const LINGER_MS: i32 = 1_000;

/// Makes one of the proxy's sockets and binds or connects it, printing where.
fn side(
    ctx: &zmq::Context,
    kind: zmq::SocketType,
    spec: &str,
    name: &str,
) -> Result<zmq::Socket, String> {
    let socket = ctx.socket(kind).map_err(|e| format!("{name}: {e}"))?;
    socket
        .set_linger(LINGER_MS)
        .map_err(|e| format!("{name}: {e}"))?;
    let (bind, endpoint) = split_prefix(spec, true);
    let actual = attach(&socket, endpoint, bind).map_err(|e| format!("{name}: {e}"))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{name} {actual}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("standard output: {e}"))?;
    Ok(socket)
}

fn millis(wait: Duration) -> i64 {
    i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)
}

/// Passes one copy to the capture socket, waiting while it cannot take it
/// (a PUSH without a peer) unless the run is stopping.
fn relay(capture: &zmq::Socket, frames: &[Vec<u8>], limits: &Limits) -> zmq::Result<()> {
    loop {
        match capture.send_multipart(frames, zmq::DONTWAIT) {
            Err(zmq::Error::EAGAIN) => {}
            other => return other,
        }
        if limits.reached().is_some() {
            return Ok(());
        }
        match capture.poll(zmq::POLLOUT, millis(limits.next_wait())) {
            Ok(_) | Err(zmq::Error::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Runs `zmqcat proxy`.
pub fn run(args: &ProxyArgs) -> Result<(), Box<dyn std::error::Error>> {
    stop::catch_signals();
    let ctx = zmq::Context::new();
    let (front_type, back_type) = args.mode.socket_types();
    let frontend = side(&ctx, front_type, &args.frontend, "frontend")?;
    let backend = side(&ctx, back_type, &args.backend, "backend")?;
    let capture = match &args.capture {
        Some(spec) => {
            let kind = match args.capture_type {
                CaptureType::Pub => zmq::PUB,
                CaptureType::Push => zmq::PUSH,
            };
            Some(side(&ctx, kind, spec, "capture")?)
        }
        None => None,
    };
    let tap_endpoint = format!("inproc://zmqcat-proxy-tap-{}", std::process::id());
    let tap = ctx.socket(zmq::PULL)?;
    tap.set_linger(0)?;
    tap.bind(&tap_endpoint)?;
    let tap_input = ctx.socket(zmq::PUSH)?;
    tap_input.set_linger(0)?;
    tap_input.connect(&tap_endpoint)?;
    let proxy = stop::with_signals_blocked(|| {
        zmq::ProxyHandle::spawn(&ctx, frontend, backend, Some(tap_input))
    })?;

    let mut limits = Limits::start(args.limits);
    let reason = loop {
        if let Some(reason) = limits.reached() {
            break reason;
        }
        match tap.poll(zmq::POLLIN, millis(limits.next_wait())) {
            Ok(0) | Err(zmq::Error::EINTR) => continue,
            Ok(_) => {}
            Err(e) => return Err(format!("proxy: {e}").into()),
        }
        let frames = tap.recv_multipart(0)?;
        if let Some(capture) = &capture {
            relay(capture, &frames, &limits).map_err(|e| format!("capture: {e}"))?;
        }
        limits.saw_one();
    };
    let statistics = proxy.statistics();
    proxy
        .terminate()
        .map_err(|e| format!("stopping the proxy: {e}"))?;
    let why = match reason {
        Reason::Count => "the count was reached",
        Reason::Idle => "nothing came for --timeout",
        Reason::Duration => "--duration is over",
        Reason::Signal => "a signal came",
    };
    match statistics {
        Ok(s) => eprintln!(
            "zmqcat: proxy stopped ({why}) after {} messages; frontend received {} frames \
             ({} bytes), backend received {} frames ({} bytes)",
            limits.seen(),
            s.frontend.messages_received,
            s.frontend.bytes_received,
            s.backend.messages_received,
            s.backend.bytes_received
        ),
        Err(e) => eprintln!(
            "zmqcat: proxy stopped ({why}) after {} messages (no statistics: {e})",
            limits.seen()
        ),
    }
    Ok(limits.outcome(&reason, "messages")?)
}
