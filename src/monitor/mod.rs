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

/// The socket's own context (events travel over inproc inside it); `EINVAL`
/// for a socket whose context this crate does not know.
fn socket_context(socket: &Socket, _ctx: &Context) -> Result<Context> {
    let raw = socket.raw_context().ok_or(Error::EINVAL)?;
    Ok(Context::from_shared(raw.clone()))
}

impl Monitor {
    /// Starts monitoring `socket` for the events in `events` (a mask of
    /// `ZMQ_EVENT_*` bits; `SocketEvent::ALL` for all), in version 1 format.
    ///
    /// The events travel over `inproc` inside the socket's own context (`ctx`
    /// is kept for the `zmq` 0.10-era signature; it need not be the socket's).
    /// A socket taken from C code ([`Socket::from_raw`]) has no context this
    /// crate knows, so it gets `EINVAL`: monitor it with
    /// [`Socket::monitor`] and a PAIR of your own.
    pub fn new(ctx: &Context, socket: &Socket, events: u64) -> Result<Monitor> {
        let events = i32::try_from(events & 0xFFFF).map_err(|_| Error::EINVAL)?;
        Monitor::start(&socket_context(socket, ctx)?, 1, |endpoint| {
            socket.raw().monitor(Some(endpoint), events, true)
        })
    }

    /// Starts a version 2 monitor (draft): 64-bit event mask, local and remote
    /// endpoints, and `ZMQ_EVENT_PIPES_STATS`.
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_socket_monitor_versioned")]
    pub fn new_v2(ctx: &Context, socket: &Socket, events: u64) -> Result<Monitor> {
        Monitor::start(&socket_context(socket, ctx)?, 2, |endpoint| {
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

    /// A poll item for the PAIR the events arrive on, to wait for events with
    /// other sockets in [`poll`](crate::poll()); then [`Monitor::recv`].
    pub fn as_poll_item(&self) -> crate::PollItem<'_> {
        self.pair.as_poll_item(crate::POLLIN)
    }

    /// The PAIR the events arrive on: inside the crate only, so that nothing
    /// can disconnect or close it while libzmq still sends to it.
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn socket(&self) -> &Socket {
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
