//! What kind of socket it is: its [`SocketType`], and the security
//! [`Mechanism`] it speaks (`ZMQ_MECHANISM`). Unknown numbers become `None` or
//! `Mechanism::Unknown`, never a panic.

use std::ffi::c_int;

macro_rules! socket_types {
    ($($(#[$doc:meta])* $name:ident = $raw:ident;)*) => {
        /// A socket type (`zmq_socket`'s second argument).
        ///
        /// The draft types exist in every build; creating one fails with
        /// `EINVAL` unless libzmq was built with the draft API (feature `draft`).
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum SocketType {
            $($(#[$doc])* $name,)*
        }

        impl SocketType {
            /// The libzmq number of the type.
            pub fn to_raw(self) -> c_int {
                match self {
                    $(SocketType::$name => zmq_sys::$raw as c_int,)*
                }
            }

            /// The type for a libzmq number, if there is one.
            pub fn from_raw(raw: c_int) -> Option<SocketType> {
                $(
                    if raw == zmq_sys::$raw as c_int {
                        return Some(SocketType::$name);
                    }
                )*
                None
            }

            /// Whether the type belongs to libzmq's draft API (SERVER and later).
            pub fn is_draft(self) -> bool {
                self.to_raw() >= zmq_sys::ZMQ_SERVER as c_int
            }

            /// Every socket type, stable ones first.
            pub const ALL: &'static [SocketType] = &[$(SocketType::$name,)*];
        }
    };
}

socket_types! {
    /// Exclusive pair.
    PAIR = ZMQ_PAIR;
    /// Publisher.
    PUB = ZMQ_PUB;
    /// Subscriber.
    SUB = ZMQ_SUB;
    /// Request (client of REP).
    REQ = ZMQ_REQ;
    /// Reply (server of REQ).
    REP = ZMQ_REP;
    /// Asynchronous request/reply client.
    DEALER = ZMQ_DEALER;
    /// Asynchronous request/reply server with routing ids.
    ROUTER = ZMQ_ROUTER;
    /// Pipeline receiver.
    PULL = ZMQ_PULL;
    /// Pipeline sender.
    PUSH = ZMQ_PUSH;
    /// Publisher that sees subscriptions.
    XPUB = ZMQ_XPUB;
    /// Subscriber that sends subscriptions as messages.
    XSUB = ZMQ_XSUB;
    /// Raw TCP.
    STREAM = ZMQ_STREAM;
    /// Thread-safe server (draft).
    SERVER = ZMQ_SERVER;
    /// Thread-safe client (draft).
    CLIENT = ZMQ_CLIENT;
    /// Thread-safe group publisher (draft).
    RADIO = ZMQ_RADIO;
    /// Thread-safe group subscriber (draft).
    DISH = ZMQ_DISH;
    /// Thread-safe fan-in (draft).
    GATHER = ZMQ_GATHER;
    /// Thread-safe fan-out (draft).
    SCATTER = ZMQ_SCATTER;
    /// UDP datagrams (draft).
    DGRAM = ZMQ_DGRAM;
    /// Thread-safe peer-to-peer (draft).
    PEER = ZMQ_PEER;
    /// Thread-safe exclusive pair (draft).
    CHANNEL = ZMQ_CHANNEL;
}

/// A security mechanism (`ZMQ_MECHANISM`).
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// No security.
    ZMQ_NULL,
    /// Clear-text user name and password.
    ZMQ_PLAIN,
    /// CurveZMQ encryption and authentication.
    ZMQ_CURVE,
    /// Kerberos.
    ZMQ_GSSAPI,
    /// A number this enum does not name.
    Unknown(i32),
}

impl Mechanism {
    /// The mechanism for a `ZMQ_MECHANISM` value.
    pub fn from_raw(raw: i32) -> Mechanism {
        match raw as u32 {
            zmq_sys::ZMQ_NULL => Mechanism::ZMQ_NULL,
            zmq_sys::ZMQ_PLAIN => Mechanism::ZMQ_PLAIN,
            zmq_sys::ZMQ_CURVE => Mechanism::ZMQ_CURVE,
            zmq_sys::ZMQ_GSSAPI => Mechanism::ZMQ_GSSAPI,
            _ => Mechanism::Unknown(raw),
        }
    }

    /// The `ZMQ_MECHANISM` value.
    pub fn to_raw(self) -> i32 {
        match self {
            Mechanism::ZMQ_NULL => zmq_sys::ZMQ_NULL as i32,
            Mechanism::ZMQ_PLAIN => zmq_sys::ZMQ_PLAIN as i32,
            Mechanism::ZMQ_CURVE => zmq_sys::ZMQ_CURVE as i32,
            Mechanism::ZMQ_GSSAPI => zmq_sys::ZMQ_GSSAPI as i32,
            Mechanism::Unknown(raw) => raw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_types_round_trip_and_unknown_numbers_are_none() {
        for &t in SocketType::ALL {
            assert_eq!(SocketType::from_raw(t.to_raw()), Some(t));
        }
        assert_eq!(SocketType::from_raw(9999), None);
        assert!(SocketType::SERVER.is_draft() && !SocketType::REQ.is_draft());
    }

    #[test]
    fn unknown_mechanisms_do_not_panic() {
        assert_eq!(Mechanism::from_raw(42), Mechanism::Unknown(42));
        assert_eq!(Mechanism::from_raw(1), Mechanism::ZMQ_PLAIN);
    }
}
