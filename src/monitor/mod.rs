//! Socket monitors: [`Monitor`] owns the PAIR socket that receives a socket's
//! events and parses them (the `event` module: `Event`, `EventKind`).

mod event;

use std::ffi::{CStr, CString};
use std::time::Duration;

pub use event::{Event, EventKind, ParseError, ProtocolError, SocketEvent};

use crate::error::{Error, Result};
use crate::ffi::MonitorTicket;
use crate::socket::SocketType;
use crate::{Context, Socket};

/// Receives the events of a socket: owns the PAIR socket they arrive on.
///
/// Dropping a `Monitor` stops the monitoring first, from whatever thread and in
/// whatever order it and its socket are dropped, so libzmq never waits for a
/// reader that is gone. Events wait in memory until they are read: read them
/// (or drop the monitor) rather than leave a busy socket's monitor unread.
///
/// ```
/// use zmq::monitor::{EventKind, Monitor};
/// let ctx = zmq::Context::new();
/// let server = ctx.socket(zmq::REP).unwrap();
/// let monitor = Monitor::new(&ctx, &server, zmq::SocketEvent::ALL.to_raw().into()).unwrap();
/// server.bind("tcp://127.0.0.1:*").unwrap();
/// let event = monitor.recv().unwrap();
/// assert!(matches!(event.kind, EventKind::Listening { .. }));
/// ```
pub struct Monitor {
    pair: Socket,
    version: u8,
    ticket: MonitorTicket,
}

/// The socket's own context (events travel over inproc inside it), or `ctx`
/// for a socket that has none of its own.
fn socket_context(socket: &Socket, ctx: &Context) -> Context {
    socket
        .raw_context()
        .map_or_else(|| ctx.clone(), |raw| Context::from_shared(raw.clone()))
}

impl Monitor {
    /// Starts monitoring `socket` for the events in `events` (a mask of
    /// `ZMQ_EVENT_*` bits; `SocketEvent::ALL` for all), in version 1 format.
    ///
    /// The events travel over `inproc` inside the socket's own context; `ctx`
    /// is used only for a socket that has none of its own
    /// ([`Socket::from_raw`]), and must then be the one it was made in.
    pub fn new(ctx: &Context, socket: &Socket, events: u64) -> Result<Monitor> {
        let events = i32::try_from(events & 0xFFFF).map_err(|_| Error::EINVAL)?;
        Monitor::start(&socket_context(socket, ctx), 1, |endpoint| {
            socket.raw().monitor(Some(endpoint), events, true)
        })
    }

    /// Starts a version 2 monitor (draft): 64-bit event mask, local and remote
    /// endpoints, and `ZMQ_EVENT_PIPES_STATS`.
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_socket_monitor_versioned")]
    pub fn new_v2(ctx: &Context, socket: &Socket, events: u64) -> Result<Monitor> {
        Monitor::start(&socket_context(socket, ctx), 2, |endpoint| {
            socket.raw().monitor_versioned(endpoint, events, 2)
        })
    }

    /// Connects the reading PAIR first (inproc allows connecting before the
    /// bind), with no receive limit so libzmq's blocking event sends never
    /// wait, then lets `start` bind the monitor endpoint.
    fn start(
        ctx: &Context,
        version: u8,
        start: impl FnOnce(&CStr) -> crate::ffi::Result<MonitorTicket>,
    ) -> Result<Monitor> {
        let endpoint = crate::socket::unique_inproc("monitor");
        let c_endpoint = CString::new(endpoint.as_str()).map_err(|_| Error::EINVAL)?;
        let pair = ctx.socket(SocketType::PAIR)?;
        pair.set_linger(0)?;
        pair.set_rcvhwm(0)?;
        pair.connect(&endpoint)?;
        let ticket = start(&c_endpoint)?;
        Ok(Monitor {
            pair,
            version,
            ticket,
        })
    }

    /// Waits for the next event.
    pub fn recv(&self) -> Result<Event> {
        let frames = self.pair.recv_multipart(0)?;
        let frames: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
        let parsed = if self.version == 1 {
            Event::parse_v1(&frames)
        } else {
            Event::parse_v2(&frames)
        };
        parsed.map_err(|_| Error::EPROTO)
    }

    /// Waits up to `timeout` for the next event: `Ok(None)` on time-out.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Option<Event>> {
        let ms = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
        if self.pair.poll(crate::POLLIN, ms)? == 0 {
            return Ok(None);
        }
        self.recv().map(Some)
    }

    /// The PAIR socket the events arrive on (to poll it with other sockets).
    pub fn socket(&self) -> &Socket {
        &self.pair
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        // Stop libzmq's sends before the PAIR that receives them closes.
        self.ticket.stop();
    }
}

impl Iterator for &Monitor {
    type Item = Event;

    /// The next event; `None` once the context ends.
    fn next(&mut self) -> Option<Event> {
        self.recv().ok()
    }
}

impl Socket {
    /// Asks libzmq for a `ZMQ_EVENT_PIPES_STATS` event per pipe on the socket's
    /// version 2 monitor (draft). The answers reach the socket as commands, which
    /// it processes on its next use (a send, a receive, a `ZMQ_EVENTS` read).
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_socket_monitor_pipes_stats")]
    pub fn monitor_pipes_stats(&self) -> Result<()> {
        Ok(self.raw().monitor_pipes_stats()?)
    }
}
