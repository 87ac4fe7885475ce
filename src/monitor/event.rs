//! Monitor events: the `zmq` 0.10 [`SocketEvent`] bits, and the typed [`Event`]
//! parsed from a monitor's frames. Unknown numbers become
//! [`EventKind::Unknown`], [`ProtocolError::Unknown`] or `SocketEvent::UNKNOWN`,
//! never a panic.

use std::time::Duration;

use crate::error::Error;

macro_rules! socket_events {
    ($($(#[$doc:meta])* $name:ident = $raw:ident;)*) => {
        /// A socket monitor event (`ZMQ_EVENT_*`).
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum SocketEvent {
            $($(#[$doc])* $name = zmq_sys::$raw as isize,)*
            /// A number this enum does not name (a newer libzmq's event).
            UNKNOWN = 0,
        }

        impl SocketEvent {
            /// The event's bit (`ZMQ_EVENT_*`); 0 for `UNKNOWN`.
            pub fn to_raw(self) -> u16 {
                self as u16
            }

            /// The event for a bit; `UNKNOWN` for a number this enum does not name.
            pub fn from_raw(raw: u16) -> SocketEvent {
                $(
                    if u32::from(raw) == zmq_sys::$raw {
                        return SocketEvent::$name;
                    }
                )*
                SocketEvent::UNKNOWN
            }
        }
    };
}

socket_events! {
    /// A connection was made.
    CONNECTED = ZMQ_EVENT_CONNECTED;
    /// A connect is pending (asynchronous).
    CONNECT_DELAYED = ZMQ_EVENT_CONNECT_DELAYED;
    /// A connect is retried after the reconnect interval.
    CONNECT_RETRIED = ZMQ_EVENT_CONNECT_RETRIED;
    /// The socket is bound and listening.
    LISTENING = ZMQ_EVENT_LISTENING;
    /// A bind failed.
    BIND_FAILED = ZMQ_EVENT_BIND_FAILED;
    /// A connection was accepted.
    ACCEPTED = ZMQ_EVENT_ACCEPTED;
    /// Accepting a connection failed.
    ACCEPT_FAILED = ZMQ_EVENT_ACCEPT_FAILED;
    /// A connection's socket was closed.
    CLOSED = ZMQ_EVENT_CLOSED;
    /// Closing a connection's socket failed.
    CLOSE_FAILED = ZMQ_EVENT_CLOSE_FAILED;
    /// A session was disconnected.
    DISCONNECTED = ZMQ_EVENT_DISCONNECTED;
    /// Monitoring stopped.
    MONITOR_STOPPED = ZMQ_EVENT_MONITOR_STOPPED;
    /// A handshake failed for another reason than protocol or authentication.
    HANDSHAKE_FAILED_NO_DETAIL = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
    /// A handshake succeeded.
    HANDSHAKE_SUCCEEDED = ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
    /// A handshake failed on a protocol error.
    HANDSHAKE_FAILED_PROTOCOL = ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
    /// A handshake failed on authentication (ZAP).
    HANDSHAKE_FAILED_AUTH = ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
    /// Every event (as a mask for `monitor`).
    ALL = ZMQ_EVENT_ALL;
}

/// What happened, with the value libzmq attached to it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind {
    /// A connection was made; its file descriptor.
    Connected {
        /// The connection's file descriptor.
        fd: i64,
    },
    /// A connect is pending.
    ConnectDelayed {
        /// The reason (usually `EINPROGRESS`).
        error: Error,
    },
    /// A connect will be retried.
    ConnectRetried {
        /// The interval before the next attempt.
        interval: Duration,
    },
    /// The socket is listening; the listener's file descriptor.
    Listening {
        /// The listener's file descriptor.
        fd: i64,
    },
    /// A bind failed.
    BindFailed {
        /// Why.
        error: Error,
    },
    /// A connection was accepted.
    Accepted {
        /// The connection's file descriptor.
        fd: i64,
    },
    /// Accepting failed.
    AcceptFailed {
        /// Why.
        error: Error,
    },
    /// A connection's file descriptor was closed.
    Closed {
        /// The closed file descriptor.
        fd: i64,
    },
    /// Closing failed.
    CloseFailed {
        /// Why.
        error: Error,
    },
    /// A session ended.
    Disconnected {
        /// The connection's file descriptor.
        fd: i64,
    },
    /// Monitoring stopped.
    MonitorStopped,
    /// A handshake failed without more detail.
    HandshakeFailedNoDetail {
        /// Why.
        error: Error,
    },
    /// A handshake succeeded.
    HandshakeSucceeded,
    /// A handshake failed on a protocol error.
    HandshakeFailedProtocol {
        /// Which.
        error: ProtocolError,
    },
    /// A handshake failed on authentication: the ZAP status code (300, 400, 500).
    HandshakeFailedAuth {
        /// The ZAP status code.
        status_code: u32,
    },
    /// Queue sizes of the socket's pipes (draft, version 2 monitors).
    PipesStats {
        /// Messages queued towards the peer.
        outbound: u64,
        /// Messages queued from the peer.
        inbound: u64,
    },
    /// An event number this enum does not name, with its values.
    Unknown {
        /// The event number.
        event: u64,
        /// Its values.
        values: Vec<u64>,
    },
}

macro_rules! protocol_errors {
    ($($(#[$doc:meta])* $name:ident = $raw:ident;)*) => {
        /// Why a handshake failed (`ZMQ_PROTOCOL_ERROR_*`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ProtocolError {
            $($(#[$doc])* $name,)*
            /// A number this enum does not name.
            Unknown(u32),
        }

        impl ProtocolError {
            /// The error for a `ZMQ_PROTOCOL_ERROR_*` number.
            pub fn from_raw(raw: u32) -> ProtocolError {
                $(if raw == zmq_sys::$raw { return ProtocolError::$name; })*
                ProtocolError::Unknown(raw)
            }
        }
    };
}

protocol_errors! {
    /// Unspecified ZMTP error.
    ZmtpUnspecified = ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED;
    /// Unexpected command.
    ZmtpUnexpectedCommand = ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND;
    /// Invalid sequence.
    ZmtpInvalidSequence = ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE;
    /// Key exchange failed.
    ZmtpKeyExchange = ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE;
    /// Malformed command.
    ZmtpMalformedCommandUnspecified = ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED;
    /// Malformed MESSAGE command.
    ZmtpMalformedCommandMessage = ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE;
    /// Malformed HELLO command.
    ZmtpMalformedCommandHello = ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO;
    /// Malformed INITIATE command.
    ZmtpMalformedCommandInitiate = ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE;
    /// Malformed ERROR command.
    ZmtpMalformedCommandError = ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR;
    /// Malformed READY command.
    ZmtpMalformedCommandReady = ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY;
    /// Malformed WELCOME command.
    ZmtpMalformedCommandWelcome = ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME;
    /// Invalid metadata.
    ZmtpInvalidMetadata = ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA;
    /// Cryptographic error (a wrong CURVE key, say).
    ZmtpCryptographic = ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC;
    /// The peers use different mechanisms.
    ZmtpMechanismMismatch = ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH;
    /// Unspecified ZAP error.
    ZapUnspecified = ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED;
    /// Malformed ZAP reply.
    ZapMalformedReply = ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY;
    /// ZAP reply with a bad request id.
    ZapBadRequestId = ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID;
    /// ZAP reply with a bad version.
    ZapBadVersion = ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION;
    /// ZAP reply with an invalid status code.
    ZapInvalidStatusCode = ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE;
    /// ZAP reply with invalid metadata.
    ZapInvalidMetadata = ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA;
    /// Unspecified WebSocket error.
    WsUnspecified = ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED;
}

/// One monitor event: what happened, and on which endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The endpoint (the local one, for version 2 monitors).
    pub endpoint: String,
    /// The remote endpoint (version 2 monitors only).
    pub remote_endpoint: Option<String>,
}

/// Why monitor frames could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Fewer or more frames than the format has.
    #[error("monitor event with {0} frames")]
    FrameCount(usize),
    /// A number frame of the wrong size.
    #[error("monitor event frame {index} has {len} bytes")]
    FrameSize {
        /// Which frame.
        index: usize,
        /// Its size.
        len: usize,
    },
}

fn number<const N: usize>(
    frames: &[&[u8]],
    index: usize,
) -> std::result::Result<[u8; N], ParseError> {
    let frame = frames
        .get(index)
        .ok_or(ParseError::FrameCount(frames.len()))?;
    (*frame).try_into().map_err(|_| ParseError::FrameSize {
        index,
        len: frame.len(),
    })
}

impl EventKind {
    /// The typed event for an event number and its first value.
    pub fn from_raw(event: u64, values: &[u64]) -> EventKind {
        let value = values.first().copied().unwrap_or(0);
        let fd = value as i64;
        let error = Error::from_raw(value as i32);
        let e = |raw: u32| u64::from(raw);
        match event {
            x if x == e(zmq_sys::ZMQ_EVENT_CONNECTED) => EventKind::Connected { fd },
            x if x == e(zmq_sys::ZMQ_EVENT_CONNECT_DELAYED) => EventKind::ConnectDelayed { error },
            x if x == e(zmq_sys::ZMQ_EVENT_CONNECT_RETRIED) => EventKind::ConnectRetried {
                interval: Duration::from_millis(value),
            },
            x if x == e(zmq_sys::ZMQ_EVENT_LISTENING) => EventKind::Listening { fd },
            x if x == e(zmq_sys::ZMQ_EVENT_BIND_FAILED) => EventKind::BindFailed { error },
            x if x == e(zmq_sys::ZMQ_EVENT_ACCEPTED) => EventKind::Accepted { fd },
            x if x == e(zmq_sys::ZMQ_EVENT_ACCEPT_FAILED) => EventKind::AcceptFailed { error },
            x if x == e(zmq_sys::ZMQ_EVENT_CLOSED) => EventKind::Closed { fd },
            x if x == e(zmq_sys::ZMQ_EVENT_CLOSE_FAILED) => EventKind::CloseFailed { error },
            x if x == e(zmq_sys::ZMQ_EVENT_DISCONNECTED) => EventKind::Disconnected { fd },
            x if x == e(zmq_sys::ZMQ_EVENT_MONITOR_STOPPED) => EventKind::MonitorStopped,
            x if x == e(zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) => {
                EventKind::HandshakeFailedNoDetail { error }
            }
            x if x == e(zmq_sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED) => EventKind::HandshakeSucceeded,
            x if x == e(zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) => {
                EventKind::HandshakeFailedProtocol {
                    error: ProtocolError::from_raw(value as u32),
                }
            }
            x if x == e(zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) => {
                EventKind::HandshakeFailedAuth {
                    status_code: value as u32,
                }
            }
            x if x == e(zmq_sys::ZMQ_EVENT_PIPES_STATS) && values.len() >= 2 => {
                EventKind::PipesStats {
                    outbound: values[0],
                    inbound: values[1],
                }
            }
            _ => EventKind::Unknown {
                event,
                values: values.to_vec(),
            },
        }
    }
}

impl Event {
    /// Parses the two frames of a version 1 event: 6 bytes (a native-endian
    /// `u16` event and `u32` value), then the endpoint.
    pub fn parse_v1(frames: &[&[u8]]) -> std::result::Result<Event, ParseError> {
        if frames.len() != 2 {
            return Err(ParseError::FrameCount(frames.len()));
        }
        let head: [u8; 6] = number(frames, 0)?;
        let event = u16::from_ne_bytes([head[0], head[1]]);
        let value = u32::from_ne_bytes([head[2], head[3], head[4], head[5]]);
        Ok(Event {
            kind: EventKind::from_raw(u64::from(event), &[u64::from(value)]),
            endpoint: String::from_utf8_lossy(frames[1]).into_owned(),
            remote_endpoint: None,
        })
    }

    /// Parses the frames of a version 2 event (draft): the event (`u64`), the
    /// number of values (`u64`), the values, the local and the remote endpoint.
    pub fn parse_v2(frames: &[&[u8]]) -> std::result::Result<Event, ParseError> {
        let event = u64::from_ne_bytes(number(frames, 0)?);
        let count = u64::from_ne_bytes(number(frames, 1)?);
        let count = usize::try_from(count).map_err(|_| ParseError::FrameCount(frames.len()))?;
        if count > frames.len() || frames.len() != count + 4 {
            return Err(ParseError::FrameCount(frames.len()));
        }
        let values = (0..count)
            .map(|i| number(frames, 2 + i).map(u64::from_ne_bytes))
            .collect::<std::result::Result<Vec<u64>, ParseError>>()?;
        Ok(Event {
            kind: EventKind::from_raw(event, &values),
            endpoint: String::from_utf8_lossy(frames[2 + count]).into_owned(),
            remote_endpoint: Some(String::from_utf8_lossy(frames[3 + count]).into_owned()),
        })
    }
}
