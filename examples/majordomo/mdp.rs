//! The Majordomo Protocol, MDP/0.1 (ZeroMQ RFC 7): protocol frames, worker
//! commands and heartbeat settings, shared by the broker, worker and clients.
//!
//! A client request is [`CLIENT`, service, body...]; the reply is [`CLIENT`,
//! service, body...]. Worker messages start with an empty frame (DEALER talking
//! to a ROUTER like a REQ would), then [`WORKER`], then a one-byte command:
//! READY + service name, REQUEST / REPLY + client address + empty frame + body,
//! HEARTBEAT, DISCONNECT.

use std::time::Duration;

/// The protocol frame of MDP/Client, version 0.1.
pub const CLIENT: &[u8] = b"MDPC01";
/// The protocol frame of MDP/Worker, version 0.1.
pub const WORKER: &[u8] = b"MDPW01";

/// Worker to broker: ready to serve the service named in the next frame.
pub const READY: u8 = 0x01;
/// Broker to worker: a request, with the client's address.
pub const REQUEST: u8 = 0x02;
/// Worker to broker: the reply to the last request, with the client's address.
pub const REPLY: u8 = 0x03;
/// Either way: still alive.
pub const HEARTBEAT: u8 = 0x04;
/// Either way: this conversation is over.
pub const DISCONNECT: u8 = 0x05;

/// Silent heartbeat intervals before a peer is taken for dead (RFC 7: 3 to 5).
pub const HEARTBEAT_LIVENESS: u32 = 3;
/// The heartbeat interval. RFC 7 suggests 2.5 s; this demo uses 100 ms so that
/// failures show within a second.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_millis(100);
/// How long a worker waits before reconnecting after losing the broker.
pub const RECONNECT_DELAY: Duration = Duration::from_millis(200);

/// A readable name for a worker command, for logs.
pub fn command_name(command: &[u8]) -> &'static str {
    match command {
        [READY] => "READY",
        [REQUEST] => "REQUEST",
        [REPLY] => "REPLY",
        [HEARTBEAT] => "HEARTBEAT",
        [DISCONNECT] => "DISCONNECT",
        _ => "an invalid command",
    }
}

/// Milliseconds for a poll timeout.
pub fn millis(duration: Duration) -> i64 {
    duration.as_millis() as i64
}
