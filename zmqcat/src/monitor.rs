//! `zmqcat monitor`: make a socket, bind or connect it, print its monitor
//! events (the library's `zmq::Monitor`) one per line.

use std::io::Write;

use clap::{Args, ValueEnum};
use zmq::monitor::{Event, EventKind};
use zmq::SocketEvent;

use crate::cat::{Kind, Place};
use crate::endpoint::attach_all;
use crate::security::SecurityArgs;
use crate::stop::{self, LimitArgs, Limits};

/// Options of `zmqcat monitor`.
#[derive(Args, Debug)]
#[command(after_help = "\
Each line is `EVENT ENDPOINT [DETAIL]`, e.g. `accepted tcp://127.0.0.1:5555 fd=12`
or `handshake-failed-auth tcp://127.0.0.1:5555 status=400`. The socket itself
sends and receives nothing.")]
pub struct MonitorArgs {
    /// The type of socket to make and watch.
    #[arg(value_enum)]
    kind: Kind,
    #[command(flatten)]
    place: Place,
    /// Print only these events (comma-separated or repeated; default: all).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "EVENT")]
    events: Vec<EventName>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    security: SecurityArgs,
}

/// The events one can ask for, by the names the lines print.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum EventName {
    Connected,
    ConnectDelayed,
    ConnectRetried,
    Listening,
    BindFailed,
    Accepted,
    AcceptFailed,
    Closed,
    CloseFailed,
    Disconnected,
    HandshakeFailedNoDetail,
    HandshakeSucceeded,
    HandshakeFailedProtocol,
    HandshakeFailedAuth,
}

impl EventName {
    fn bit(self) -> SocketEvent {
        match self {
            EventName::Connected => SocketEvent::CONNECTED,
            EventName::ConnectDelayed => SocketEvent::CONNECT_DELAYED,
            EventName::ConnectRetried => SocketEvent::CONNECT_RETRIED,
            EventName::Listening => SocketEvent::LISTENING,
            EventName::BindFailed => SocketEvent::BIND_FAILED,
            EventName::Accepted => SocketEvent::ACCEPTED,
            EventName::AcceptFailed => SocketEvent::ACCEPT_FAILED,
            EventName::Closed => SocketEvent::CLOSED,
            EventName::CloseFailed => SocketEvent::CLOSE_FAILED,
            EventName::Disconnected => SocketEvent::DISCONNECTED,
            EventName::HandshakeFailedNoDetail => SocketEvent::HANDSHAKE_FAILED_NO_DETAIL,
            EventName::HandshakeSucceeded => SocketEvent::HANDSHAKE_SUCCEEDED,
            EventName::HandshakeFailedProtocol => SocketEvent::HANDSHAKE_FAILED_PROTOCOL,
            EventName::HandshakeFailedAuth => SocketEvent::HANDSHAKE_FAILED_AUTH,
        }
    }
}

/// The event mask for `--events` (everything when none are named).
fn mask(events: &[EventName]) -> u64 {
    if events.is_empty() {
        return u64::from(SocketEvent::ALL.to_raw());
    }
    events
        .iter()
        .fold(0, |mask, e| mask | u64::from(e.bit().to_raw()))
}

/// One output line for an event.
fn line(event: &Event) -> String {
    let (name, detail) = match &event.kind {
        EventKind::Connected { fd } => ("connected", format!("fd={fd}")),
        EventKind::ConnectDelayed { error } => ("connect-delayed", format!("error={error}")),
        EventKind::ConnectRetried { interval } => (
            "connect-retried",
            format!("interval={}ms", interval.as_millis()),
        ),
        EventKind::Listening { fd } => ("listening", format!("fd={fd}")),
        EventKind::BindFailed { error } => ("bind-failed", format!("error={error}")),
        EventKind::Accepted { fd } => ("accepted", format!("fd={fd}")),
        EventKind::AcceptFailed { error } => ("accept-failed", format!("error={error}")),
        EventKind::Closed { fd } => ("closed", format!("fd={fd}")),
        EventKind::CloseFailed { error } => ("close-failed", format!("error={error}")),
        EventKind::Disconnected { fd } => ("disconnected", format!("fd={fd}")),
        EventKind::MonitorStopped => ("monitor-stopped", String::new()),
        EventKind::HandshakeFailedNoDetail { error } => {
            ("handshake-failed-no-detail", format!("error={error}"))
        }
        EventKind::HandshakeSucceeded => ("handshake-succeeded", String::new()),
        EventKind::HandshakeFailedProtocol { error } => {
            ("handshake-failed-protocol", format!("error={error:?}"))
        }
        EventKind::HandshakeFailedAuth { status_code } => {
            ("handshake-failed-auth", format!("status={status_code}"))
        }
        EventKind::PipesStats { outbound, inbound } => (
            "pipes-stats",
            format!("outbound={outbound} inbound={inbound}"),
        ),
        EventKind::Unknown { event, values } => {
            ("unknown", format!("event={event:#x} values={values:?}"))
        }
        other => ("unknown", format!("{other:?}")),
    };
    if detail.is_empty() {
        format!("{name} {}", event.endpoint)
    } else {
        format!("{name} {} {detail}", event.endpoint)
    }
}

/// Runs `zmqcat monitor`.
pub fn run(args: &MonitorArgs) -> Result<(), Box<dyn std::error::Error>> {
    stop::catch_signals();
    let ctx = zmq::Context::new();
    let socket = ctx.socket(args.kind.socket_type())?;
    socket.set_linger(0)?;
    let _auth = args.security.apply(&ctx, &socket)?;
    let monitor = zmq::Monitor::new(&ctx, &socket, mask(&args.events))?;
    attach_all(&socket, &args.place.endpoints, args.place.bind)?;
    let mut limits = Limits::start(args.limits);
    let mut out = std::io::stdout();
    let reason = loop {
        if let Some(reason) = limits.reached() {
            break reason;
        }
        match monitor.recv_timeout(limits.next_wait()) {
            Ok(Some(event)) => {
                writeln!(out, "{}", line(&event))?;
                out.flush()?;
                limits.saw_one();
            }
            Ok(None) | Err(zmq::Error::EINTR) => {}
            Err(e) => return Err(format!("monitor: {e}").into()),
        }
    };
    // Stop the events before their reader goes (libzmq would block on them).
    socket.monitor("", 0)?;
    drop(monitor);
    Ok(limits.outcome(&reason, "events")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_the_event_endpoint_and_value() {
        let event = Event {
            kind: EventKind::Accepted { fd: 12 },
            endpoint: "tcp://127.0.0.1:5555".into(),
            remote_endpoint: None,
        };
        assert_eq!(line(&event), "accepted tcp://127.0.0.1:5555 fd=12");
        let event = Event {
            kind: EventKind::HandshakeSucceeded,
            endpoint: "ipc:///tmp/x".into(),
            remote_endpoint: None,
        };
        assert_eq!(line(&event), "handshake-succeeded ipc:///tmp/x");
    }

    #[test]
    fn lines_use_the_names_of_the_events_option() {
        for name in EventName::value_variants() {
            let kind = EventKind::from_raw(u64::from(name.bit().to_raw()), &[0]);
            let event = Event {
                kind,
                endpoint: "inproc://x".into(),
                remote_endpoint: None,
            };
            let option = name.to_possible_value().unwrap();
            assert_eq!(line(&event).split(' ').next(), Some(option.get_name()));
        }
    }

    #[test]
    fn the_mask_holds_the_named_events() {
        let m = mask(&[EventName::Listening, EventName::Disconnected]);
        assert_eq!(
            m,
            u64::from(SocketEvent::LISTENING.to_raw() | SocketEvent::DISCONNECTED.to_raw())
        );
        assert_eq!(mask(&[]), u64::from(SocketEvent::ALL.to_raw()));
    }
}
