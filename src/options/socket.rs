//! Socket options, from one declarative table: `zmq::sockopt`.
//!
//! Each row of the table below generates: a tag type (`sockopt::Linger`) for the
//! typed API [`Socket::get`](crate::Socket::get) / [`Socket::set`](crate::Socket::set),
//! the `get_*`/`set_*`/`is_*` accessors of the `zmq` 0.10 API where 0.10 had
//! them, the docs (with the `ZMQ_*` name as a search alias), [`MillisOption`]
//! for the times in milliseconds, and an entry of [`all()`], the list of every
//! option.
//!
//! ```
//! use zmq::sockopt;
//! let ctx = zmq::Context::new();
//! let socket = ctx.socket(zmq::SUB).unwrap();
//! socket.set(sockopt::Linger, 0).unwrap();
//! socket.set(sockopt::Subscribe, b"weather").unwrap();
//! assert_eq!(socket.get(sockopt::Linger).unwrap(), 0);
//! assert_eq!(socket.get_linger().unwrap(), 0); // the zmq 0.10 accessor
//! ```

use std::ffi::c_int;

pub use super::codec::{Get, Set};
pub use super::{Access, OptionInfo};

use crate::poll::PollEvents;
use crate::socket::{Mechanism as SecurityMechanism, SocketType as KindOfSocket};

/// A socket option's tag type.
pub trait SocketOption: Copy + 'static {
    /// The `ZMQ_*` number.
    const ID: c_int;
    /// The `ZMQ_*` name.
    const NAME: &'static str;
}

/// An option `zmq_getsockopt` can read.
pub trait ReadableOption: SocketOption {
    /// What it reads as.
    type Value: Get;
}

/// An option `zmq_setsockopt` can write.
pub trait WritableOption: SocketOption {
    /// What it is written from.
    type Arg<'a>: Set;
}

/// An option that holds a time in milliseconds, where -1 means "never" or "no
/// limit": [`Socket::set_duration`](crate::Socket::set_duration) and
/// [`Socket::get_duration`](crate::Socket::get_duration) take and give a
/// `Duration` for it (`None` for -1). The table marks its rows `as millis`.
pub trait MillisOption: SocketOption {}

macro_rules! access_impls {
    (rw, $tag:ident, $value:ty, $arg:ty) => {
        access_impls!(ro, $tag, $value, $arg);
        access_impls!(wo, $tag, $value, $arg);
    };
    (ro, $tag:ident, $value:ty, $arg:ty) => {
        impl ReadableOption for $tag {
            type Value = $value;
        }
    };
    (wo, $tag:ident, $value:ty, $arg:ty) => {
        impl WritableOption for $tag {
            type Arg<'a> = $arg;
        }
    };
}

/// The `zmq` 0.10 accessors of one row.
macro_rules! legacy_accessors {
    ($id:ident;) => {};
    ($id:ident; get $name:ident -> $ty:ty; $($rest:tt)*) => {
        legacy_accessors!($id; get $name -> $ty, via $ty; $($rest)*);
    };
    ($id:ident; get $name:ident -> $ty:ty, via $codec:ty; $($rest:tt)*) => {
        #[doc = concat!("Reads `", stringify!($id), "` (the `zmq` 0.10 accessor; see also [`Socket::get`](crate::Socket::get)).")]
        pub fn $name(&self) -> $crate::Result<$ty> {
            <$codec as $crate::options::Get>::get(self, zmq_sys::$id as std::ffi::c_int).map(Into::into)
        }
        legacy_accessors!($id; $($rest)*);
    };
    ($id:ident; set $name:ident($ty:ty); $($rest:tt)*) => {
        #[doc = concat!("Writes `", stringify!($id), "` (the `zmq` 0.10 accessor; see also [`Socket::set`](crate::Socket::set)).")]
        pub fn $name(&self, value: $ty) -> $crate::Result<()> {
            <$ty as $crate::options::Set>::set(value, self, zmq_sys::$id as std::ffi::c_int)
        }
        legacy_accessors!($id; $($rest)*);
    };
}

/// `impl MillisOption` for the rows marked `as millis`.
macro_rules! millis_impl {
    ($tag:ident) => {};
    ($tag:ident millis) => {
        impl MillisOption for $tag {}
    };
}

macro_rules! socket_options {
    (
        $list:ident, $draft:literal, #[$cfg:meta] #[$doc_cfg:meta];
        $(
            $(#[doc = $doc:literal])*
            $tag:ident = $id:ident $alias:literal: $access:ident<$value:ty, $arg:ty>
            $(requires $requires:literal)?
            $(as $millis:ident)?
            { $($legacy:tt)* }
        )*
    ) => {
        $(
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = concat!("`", stringify!($id), "`; value `", stringify!($value), "`.")]
            #[doc(alias = $alias)]
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            #[$cfg]
            #[$doc_cfg]
            pub struct $tag;

            #[$cfg]
            impl SocketOption for $tag {
                const ID: c_int = zmq_sys::$id as c_int;
                const NAME: &'static str = $alias;
            }

            #[$cfg]
            access_impls!($access, $tag, $value, $arg);

            #[$cfg]
            millis_impl!($tag $($millis)?);
        )*

        #[$cfg]
        impl $crate::Socket {
            $(legacy_accessors!($id; $($legacy)*);)*
        }

        /// Rows of the option table.
        #[$cfg]
        #[$doc_cfg]
        pub const $list: &[OptionInfo] = &[$(
            OptionInfo {
                name: $alias,
                tag: stringify!($tag),
                id: zmq_sys::$id as c_int,
                access: super::access_value!($access),
                value: stringify!($value),
                requires: socket_options!(@requires $($requires)?),
                draft: $draft,
            },
        )*];
    };
    (@requires) => { None };
    (@requires $r:literal) => { Some($r) };
}

socket_options! {
    STABLE, false, #[cfg(all())] #[cfg(all())];

    /// The I/O threads (a bit mask) that new connections use.
    Affinity = ZMQ_AFFINITY "ZMQ_AFFINITY": rw<u64, u64> { get get_affinity -> u64; set set_affinity(u64); }
    /// The socket's routing id (identity), 1 to 255 bytes, not starting with 0.
    RoutingId = ZMQ_ROUTING_ID "ZMQ_ROUTING_ID": rw<Vec<u8>, &'a [u8]> { get get_identity -> Vec<u8>; set set_identity(&[u8]); }
    /// Subscribes a SUB socket to messages starting with a prefix.
    Subscribe = ZMQ_SUBSCRIBE "ZMQ_SUBSCRIBE": wo<Vec<u8>, &'a [u8]> { set set_subscribe(&[u8]); }
    /// Removes a subscription.
    Unsubscribe = ZMQ_UNSUBSCRIBE "ZMQ_UNSUBSCRIBE": wo<Vec<u8>, &'a [u8]> { set set_unsubscribe(&[u8]); }
    /// Multicast data rate, in kbit/s.
    Rate = ZMQ_RATE "ZMQ_RATE": rw<i32, i32> { get get_rate -> i32; set set_rate(i32); }
    /// Multicast recovery interval, in milliseconds.
    RecoveryIvl = ZMQ_RECOVERY_IVL "ZMQ_RECOVERY_IVL": rw<i32, i32> as millis { get get_recovery_ivl -> i32; set set_recovery_ivl(i32); }
    /// Kernel send buffer size (0: the OS default).
    SndBuf = ZMQ_SNDBUF "ZMQ_SNDBUF": rw<i32, i32> { get get_sndbuf -> i32; set set_sndbuf(i32); }
    /// Kernel receive buffer size (0: the OS default).
    RcvBuf = ZMQ_RCVBUF "ZMQ_RCVBUF": rw<i32, i32> { get get_rcvbuf -> i32; set set_rcvbuf(i32); }
    /// Whether more frames of the current multipart message follow.
    RcvMore = ZMQ_RCVMORE "ZMQ_RCVMORE": ro<bool, bool> { get get_rcvmore -> bool; }
    /// The file descriptor that signals (edge-triggered, always readable) that
    /// `ZMQ_EVENTS` may have changed.
    Fd = ZMQ_FD "ZMQ_FD": ro<zmq_sys::RawFd, zmq_sys::RawFd> { get get_fd -> zmq_sys::RawFd; }
    /// Whether the socket can be read from or written to now.
    PendingEvents = ZMQ_EVENTS "ZMQ_EVENTS": ro<PollEvents, PollEvents> { get get_events -> PollEvents; }
    /// The socket type.
    TypeOfSocket = ZMQ_TYPE "ZMQ_TYPE": ro<KindOfSocket, KindOfSocket> { get get_socket_type -> KindOfSocket; }
    /// How long unsent messages linger after close, in milliseconds (-1: forever,
    /// the default; a context with unsent messages then waits on termination).
    Linger = ZMQ_LINGER "ZMQ_LINGER": rw<i32, i32> as millis { get get_linger -> i32; set set_linger(i32); }
    /// Initial reconnection interval, in milliseconds.
    ReconnectIvl = ZMQ_RECONNECT_IVL "ZMQ_RECONNECT_IVL": rw<i32, i32> as millis { get get_reconnect_ivl -> i32; set set_reconnect_ivl(i32); }
    /// Maximum length of the queue of pending connections.
    Backlog = ZMQ_BACKLOG "ZMQ_BACKLOG": rw<i32, i32> { get get_backlog -> i32; set set_backlog(i32); }
    /// Maximum reconnection interval, in milliseconds (exponential backoff).
    ReconnectIvlMax = ZMQ_RECONNECT_IVL_MAX "ZMQ_RECONNECT_IVL_MAX": rw<i32, i32> as millis { get get_reconnect_ivl_max -> i32; set set_reconnect_ivl_max(i32); }
    /// Largest inbound message accepted, in bytes (-1: no limit).
    MaxMsgSize = ZMQ_MAXMSGSIZE "ZMQ_MAXMSGSIZE": rw<i64, i64> { get get_maxmsgsize -> i64; set set_maxmsgsize(i64); }
    /// High-water mark for outbound messages.
    SndHwm = ZMQ_SNDHWM "ZMQ_SNDHWM": rw<i32, i32> { get get_sndhwm -> i32; set set_sndhwm(i32); }
    /// High-water mark for inbound messages.
    RcvHwm = ZMQ_RCVHWM "ZMQ_RCVHWM": rw<i32, i32> { get get_rcvhwm -> i32; set set_rcvhwm(i32); }
    /// Multicast hops (TTL).
    MulticastHops = ZMQ_MULTICAST_HOPS "ZMQ_MULTICAST_HOPS": rw<i32, i32> { get get_multicast_hops -> i32; set set_multicast_hops(i32); }
    /// Receive timeout, in milliseconds (-1: block forever).
    RcvTimeo = ZMQ_RCVTIMEO "ZMQ_RCVTIMEO": rw<i32, i32> as millis { get get_rcvtimeo -> i32; set set_rcvtimeo(i32); }
    /// Send timeout, in milliseconds (-1: block forever).
    SndTimeo = ZMQ_SNDTIMEO "ZMQ_SNDTIMEO": rw<i32, i32> as millis { get get_sndtimeo -> i32; set set_sndtimeo(i32); }
    /// The last endpoint bound (with the port a wildcard resolved to).
    LastEndpoint = ZMQ_LAST_ENDPOINT "ZMQ_LAST_ENDPOINT": ro<String, &'a str> { get get_last_endpoint -> std::result::Result<String, Vec<u8>>; }
    /// ROUTER: fail with `EHOSTUNREACH` instead of dropping unroutable messages.
    RouterMandatory = ZMQ_ROUTER_MANDATORY "ZMQ_ROUTER_MANDATORY": wo<bool, bool> { get is_router_mandatory -> bool; set set_router_mandatory(bool); }
    /// SO_KEEPALIVE on TCP connections (-1: OS default, 0 off, 1 on).
    TcpKeepalive = ZMQ_TCP_KEEPALIVE "ZMQ_TCP_KEEPALIVE": rw<i32, i32> { get get_tcp_keepalive -> i32; set set_tcp_keepalive(i32); }
    /// TCP_KEEPCNT (-1: OS default).
    TcpKeepaliveCnt = ZMQ_TCP_KEEPALIVE_CNT "ZMQ_TCP_KEEPALIVE_CNT": rw<i32, i32> { get get_tcp_keepalive_cnt -> i32; set set_tcp_keepalive_cnt(i32); }
    /// TCP_KEEPIDLE, in seconds (-1: OS default).
    TcpKeepaliveIdle = ZMQ_TCP_KEEPALIVE_IDLE "ZMQ_TCP_KEEPALIVE_IDLE": rw<i32, i32> { get get_tcp_keepalive_idle -> i32; set set_tcp_keepalive_idle(i32); }
    /// TCP_KEEPINTVL, in seconds (-1: OS default).
    TcpKeepaliveIntvl = ZMQ_TCP_KEEPALIVE_INTVL "ZMQ_TCP_KEEPALIVE_INTVL": rw<i32, i32> { get get_tcp_keepalive_intvl -> i32; set set_tcp_keepalive_intvl(i32); }
    /// Queue messages only to completed connections.
    Immediate = ZMQ_IMMEDIATE "ZMQ_IMMEDIATE": rw<bool, bool> { get is_immediate -> bool; set set_immediate(bool); }
    /// XPUB: pass every subscription message up, not only new ones.
    XpubVerbose = ZMQ_XPUB_VERBOSE "ZMQ_XPUB_VERBOSE": wo<bool, bool> { set set_xpub_verbose(bool); }
    /// ROUTER: raw mode (deprecated; use STREAM).
    RouterRaw = ZMQ_ROUTER_RAW "ZMQ_ROUTER_RAW": wo<bool, bool> {}
    /// Use IPv6 as well as IPv4.
    Ipv6 = ZMQ_IPV6 "ZMQ_IPV6": rw<bool, bool> { get is_ipv6 -> bool; set set_ipv6(bool); }
    /// The security mechanism in use.
    MechanismInUse = ZMQ_MECHANISM "ZMQ_MECHANISM": ro<SecurityMechanism, i32> { get get_mechanism -> SecurityMechanism; }
    /// Act as a PLAIN server.
    PlainServer = ZMQ_PLAIN_SERVER "ZMQ_PLAIN_SERVER": rw<bool, bool> { get is_plain_server -> bool; set set_plain_server(bool); }
    /// PLAIN user name (a client).
    PlainUsername = ZMQ_PLAIN_USERNAME "ZMQ_PLAIN_USERNAME": rw<String, &'a str> { get get_plain_username -> std::result::Result<String, Vec<u8>>; set set_plain_username(Option<&str>); }
    /// PLAIN password (a client).
    PlainPassword = ZMQ_PLAIN_PASSWORD "ZMQ_PLAIN_PASSWORD": rw<String, &'a str> { get get_plain_password -> std::result::Result<String, Vec<u8>>; set set_plain_password(Option<&str>); }
    /// Act as a CURVE server.
    CurveServer = ZMQ_CURVE_SERVER "ZMQ_CURVE_SERVER": rw<bool, bool> { get is_curve_server -> bool; set set_curve_server(bool); }
    /// This socket's long-term CURVE public key: 32 bytes, or 40 Z85 characters.
    CurvePublicKey = ZMQ_CURVE_PUBLICKEY "ZMQ_CURVE_PUBLICKEY": rw<[u8; 32], &'a [u8]> { get get_curve_publickey -> Vec<u8>, via [u8; 32]; set set_curve_publickey(&[u8]); }
    /// This socket's long-term CURVE secret key: 32 bytes, or 40 Z85 characters.
    CurveSecretKey = ZMQ_CURVE_SECRETKEY "ZMQ_CURVE_SECRETKEY": rw<[u8; 32], &'a [u8]> { get get_curve_secretkey -> Vec<u8>, via [u8; 32]; set set_curve_secretkey(&[u8]); }
    /// The server's CURVE public key (a client): 32 bytes, or 40 Z85 characters.
    CurveServerKey = ZMQ_CURVE_SERVERKEY "ZMQ_CURVE_SERVERKEY": rw<[u8; 32], &'a [u8]> { get get_curve_serverkey -> Vec<u8>, via [u8; 32]; set set_curve_serverkey(&[u8]); }
    /// ROUTER/DEALER: send an empty message on connect.
    ProbeRouter = ZMQ_PROBE_ROUTER "ZMQ_PROBE_ROUTER": wo<bool, bool> { get is_probe_router -> bool; set set_probe_router(bool); }
    /// REQ: match replies to requests.
    ReqCorrelate = ZMQ_REQ_CORRELATE "ZMQ_REQ_CORRELATE": wo<bool, bool> { set set_req_correlate(bool); }
    /// REQ: allow a new request before the reply.
    ReqRelaxed = ZMQ_REQ_RELAXED "ZMQ_REQ_RELAXED": wo<bool, bool> { set set_req_relaxed(bool); }
    /// Keep only the last message in the queues.
    Conflate = ZMQ_CONFLATE "ZMQ_CONFLATE": rw<bool, bool> { get is_conflate -> bool; set set_conflate(bool); }
    /// The ZAP domain.
    ZapDomain = ZMQ_ZAP_DOMAIN "ZMQ_ZAP_DOMAIN": rw<String, &'a str> { get get_zap_domain -> std::result::Result<String, Vec<u8>>; set set_zap_domain(&str); }
    /// ROUTER: a new connection with a known routing id takes it over.
    RouterHandover = ZMQ_ROUTER_HANDOVER "ZMQ_ROUTER_HANDOVER": wo<bool, bool> { get is_router_handover -> bool; set set_router_handover(bool); }
    /// IP type-of-service.
    Tos = ZMQ_TOS "ZMQ_TOS": rw<i32, i32> { get get_tos -> i32; set set_tos(i32); }
    /// ROUTER/STREAM: the routing id of the next connection.
    ConnectRoutingId = ZMQ_CONNECT_ROUTING_ID "ZMQ_CONNECT_ROUTING_ID": wo<Vec<u8>, &'a [u8]> {}
    /// Act as a GSSAPI server.
    GssapiServer = ZMQ_GSSAPI_SERVER "ZMQ_GSSAPI_SERVER": rw<bool, bool> requires "gssapi" { get is_gssapi_server -> bool; set set_gssapi_server(bool); }
    /// GSSAPI principal.
    GssapiPrincipal = ZMQ_GSSAPI_PRINCIPAL "ZMQ_GSSAPI_PRINCIPAL": rw<String, &'a str> requires "gssapi" { get get_gssapi_principal -> std::result::Result<String, Vec<u8>>; set set_gssapi_principal(&str); }
    /// GSSAPI service principal.
    GssapiServicePrincipal = ZMQ_GSSAPI_SERVICE_PRINCIPAL "ZMQ_GSSAPI_SERVICE_PRINCIPAL": rw<String, &'a str> requires "gssapi" { get get_gssapi_service_principal -> std::result::Result<String, Vec<u8>>; set set_gssapi_service_principal(&str); }
    /// GSSAPI without encryption.
    GssapiPlaintext = ZMQ_GSSAPI_PLAINTEXT "ZMQ_GSSAPI_PLAINTEXT": rw<bool, bool> requires "gssapi" { get is_gssapi_plaintext -> bool; set set_gssapi_plaintext(bool); }
    /// Maximum handshake time, in milliseconds (0: none).
    HandshakeIvl = ZMQ_HANDSHAKE_IVL "ZMQ_HANDSHAKE_IVL": rw<i32, i32> as millis { get get_handshake_ivl -> i32; set set_handshake_ivl(i32); }
    /// SOCKS5 proxy address.
    SocksProxy = ZMQ_SOCKS_PROXY "ZMQ_SOCKS_PROXY": rw<String, &'a str> { get get_socks_proxy -> std::result::Result<String, Vec<u8>>; set set_socks_proxy(Option<&str>); }
    /// XPUB: block (`EAGAIN`) at the high-water mark instead of dropping.
    XpubNodrop = ZMQ_XPUB_NODROP "ZMQ_XPUB_NODROP": wo<bool, bool> {}
    /// XPUB: subscriptions are applied by the application.
    XpubManual = ZMQ_XPUB_MANUAL "ZMQ_XPUB_MANUAL": wo<bool, bool> {}
    /// XPUB: a message sent to each new subscriber.
    XpubWelcomeMsg = ZMQ_XPUB_WELCOME_MSG "ZMQ_XPUB_WELCOME_MSG": wo<Vec<u8>, &'a [u8]> { set set_xpub_welcome_msg(Option<&str>); }
    /// STREAM: empty messages on connect and disconnect.
    StreamNotify = ZMQ_STREAM_NOTIFY "ZMQ_STREAM_NOTIFY": wo<bool, bool> {}
    /// PUB/SUB: deliver what does *not* match the subscriptions.
    InvertMatching = ZMQ_INVERT_MATCHING "ZMQ_INVERT_MATCHING": rw<bool, bool> {}
    /// ZMTP heartbeat interval, in milliseconds (0: off).
    HeartbeatIvl = ZMQ_HEARTBEAT_IVL "ZMQ_HEARTBEAT_IVL": rw<i32, i32> as millis { get get_heartbeat_ivl -> i32; set set_heartbeat_ivl(i32); }
    /// ZMTP heartbeat time-to-live, in milliseconds.
    HeartbeatTtl = ZMQ_HEARTBEAT_TTL "ZMQ_HEARTBEAT_TTL": rw<i32, i32> as millis { get get_heartbeat_ttl -> i32; set set_heartbeat_ttl(i32); }
    /// ZMTP heartbeat timeout, in milliseconds.
    HeartbeatTimeout = ZMQ_HEARTBEAT_TIMEOUT "ZMQ_HEARTBEAT_TIMEOUT": rw<i32, i32> as millis { get get_heartbeat_timeout -> i32; set set_heartbeat_timeout(i32); }
    /// XPUB: pass unsubscriptions up too.
    XpubVerboser = ZMQ_XPUB_VERBOSER "ZMQ_XPUB_VERBOSER": wo<bool, bool> {}
    /// Connect timeout, in milliseconds (0: the OS's).
    ConnectTimeout = ZMQ_CONNECT_TIMEOUT "ZMQ_CONNECT_TIMEOUT": rw<i32, i32> as millis { get get_connect_timeout -> i32; set set_connect_timeout(i32); }
    /// TCP_USER_TIMEOUT, in milliseconds.
    TcpMaxRt = ZMQ_TCP_MAXRT "ZMQ_TCP_MAXRT": rw<i32, i32> as millis {}
    /// Whether the socket is thread-safe.
    ThreadSafe = ZMQ_THREAD_SAFE "ZMQ_THREAD_SAFE": ro<bool, bool> {}
    /// Largest multicast transport data unit.
    MulticastMaxTpdu = ZMQ_MULTICAST_MAXTPDU "ZMQ_MULTICAST_MAXTPDU": rw<i32, i32> {}
    /// VMCI buffer size.
    VmciBufferSize = ZMQ_VMCI_BUFFER_SIZE "ZMQ_VMCI_BUFFER_SIZE": rw<u64, u64> requires "vmci" {}
    /// VMCI minimum buffer size.
    VmciBufferMinSize = ZMQ_VMCI_BUFFER_MIN_SIZE "ZMQ_VMCI_BUFFER_MIN_SIZE": rw<u64, u64> requires "vmci" {}
    /// VMCI maximum buffer size.
    VmciBufferMaxSize = ZMQ_VMCI_BUFFER_MAX_SIZE "ZMQ_VMCI_BUFFER_MAX_SIZE": rw<u64, u64> requires "vmci" {}
    /// VMCI connect timeout, in milliseconds.
    VmciConnectTimeout = ZMQ_VMCI_CONNECT_TIMEOUT "ZMQ_VMCI_CONNECT_TIMEOUT": rw<i32, i32> requires "vmci" {}
    /// The already-bound file descriptor the next bind uses (-1: none). Read
    /// only here: setting it hands a descriptor to libzmq, which closes it
    /// later (the `unsafe` [`Socket::set_use_fd`](crate::Socket::set_use_fd)).
    UseFd = ZMQ_USE_FD "ZMQ_USE_FD": ro<i32, i32> {}
    /// GSSAPI principal name type.
    GssapiPrincipalNametype = ZMQ_GSSAPI_PRINCIPAL_NAMETYPE "ZMQ_GSSAPI_PRINCIPAL_NAMETYPE": rw<i32, i32> requires "gssapi" {}
    /// GSSAPI service principal name type.
    GssapiServicePrincipalNametype = ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE "ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE": rw<i32, i32> requires "gssapi" {}
    /// Bind the connections to a network interface (SO_BINDTODEVICE).
    BindToDevice = ZMQ_BINDTODEVICE "ZMQ_BINDTODEVICE": rw<String, &'a str> {}
    /// Accept TCP connections only from these addresses (deprecated; use ZAP).
    TcpAcceptFilter = ZMQ_TCP_ACCEPT_FILTER "ZMQ_TCP_ACCEPT_FILTER": wo<Vec<u8>, &'a [u8]> {}
    /// Accept IPC connections only from this process id (deprecated; use ZAP).
    IpcFilterPid = ZMQ_IPC_FILTER_PID "ZMQ_IPC_FILTER_PID": wo<i32, i32> {}
    /// Accept IPC connections only from this user id (deprecated; use ZAP).
    IpcFilterUid = ZMQ_IPC_FILTER_UID "ZMQ_IPC_FILTER_UID": wo<u32, u32> {}
    /// Accept IPC connections only from this group id (deprecated; use ZAP).
    IpcFilterGid = ZMQ_IPC_FILTER_GID "ZMQ_IPC_FILTER_GID": wo<u32, u32> {}
    /// IPv4 only (deprecated; the opposite of `ZMQ_IPV6`).
    Ipv4Only = ZMQ_IPV4ONLY "ZMQ_IPV4ONLY": rw<bool, bool> {}
}

socket_options! {
    DRAFT, true, #[cfg(zmq_draft)] #[cfg_attr(docsrs, doc(cfg(feature = "draft")))];

    /// Require a ZAP handler when a ZAP domain is set.
    ZapEnforceDomain = ZMQ_ZAP_ENFORCE_DOMAIN "ZMQ_ZAP_ENFORCE_DOMAIN": rw<bool, bool> {}
    /// Windows loopback fast path.
    LoopbackFastpath = ZMQ_LOOPBACK_FASTPATH "ZMQ_LOOPBACK_FASTPATH": rw<bool, bool> {}
    /// Application metadata sent in the handshake: `"X-key:value"`.
    Metadata = ZMQ_METADATA "ZMQ_METADATA": wo<String, &'a str> {}
    /// Multicast loopback (UDP).
    MulticastLoop = ZMQ_MULTICAST_LOOP "ZMQ_MULTICAST_LOOP": rw<bool, bool> {}
    /// ROUTER: empty messages on connect/disconnect (`ZMQ_NOTIFY_*` bits).
    RouterNotify = ZMQ_ROUTER_NOTIFY "ZMQ_ROUTER_NOTIFY": rw<i32, i32> {}
    /// XPUB manual mode with last-value caching.
    XpubManualLastValue = ZMQ_XPUB_MANUAL_LAST_VALUE "ZMQ_XPUB_MANUAL_LAST_VALUE": wo<bool, bool> {}
    /// SOCKS5 user name.
    SocksUsername = ZMQ_SOCKS_USERNAME "ZMQ_SOCKS_USERNAME": rw<String, &'a str> {}
    /// SOCKS5 password.
    SocksPassword = ZMQ_SOCKS_PASSWORD "ZMQ_SOCKS_PASSWORD": rw<String, &'a str> {}
    /// Bytes read from the kernel at once.
    InBatchSize = ZMQ_IN_BATCH_SIZE "ZMQ_IN_BATCH_SIZE": rw<i32, i32> {}
    /// Bytes written to the kernel at once.
    OutBatchSize = ZMQ_OUT_BATCH_SIZE "ZMQ_OUT_BATCH_SIZE": rw<i32, i32> {}
    /// WSS private key (PEM).
    WssKeyPem = ZMQ_WSS_KEY_PEM "ZMQ_WSS_KEY_PEM": wo<String, &'a str> requires "WSS" {}
    /// WSS certificate (PEM).
    WssCertPem = ZMQ_WSS_CERT_PEM "ZMQ_WSS_CERT_PEM": wo<String, &'a str> requires "WSS" {}
    /// WSS trusted certificate (PEM).
    WssTrustPem = ZMQ_WSS_TRUST_PEM "ZMQ_WSS_TRUST_PEM": wo<String, &'a str> requires "WSS" {}
    /// WSS host name to verify.
    WssHostname = ZMQ_WSS_HOSTNAME "ZMQ_WSS_HOSTNAME": wo<String, &'a str> requires "WSS" {}
    /// WSS: trust the system's certificate store.
    WssTrustSystem = ZMQ_WSS_TRUST_SYSTEM "ZMQ_WSS_TRUST_SYSTEM": wo<bool, bool> requires "WSS" {}
    /// XPUB/XSUB: only the first part of a multipart is a subscription.
    OnlyFirstSubscribe = ZMQ_ONLY_FIRST_SUBSCRIBE "ZMQ_ONLY_FIRST_SUBSCRIBE": wo<bool, bool> {}
    /// Stop reconnecting on these conditions (`ZMQ_RECONNECT_STOP_*` bits).
    ReconnectStop = ZMQ_RECONNECT_STOP "ZMQ_RECONNECT_STOP": rw<i32, i32> {}
    /// A message sent to each new peer.
    HelloMsg = ZMQ_HELLO_MSG "ZMQ_HELLO_MSG": wo<Vec<u8>, &'a [u8]> {}
    /// A message received when a peer disconnects.
    DisconnectMsg = ZMQ_DISCONNECT_MSG "ZMQ_DISCONNECT_MSG": wo<Vec<u8>, &'a [u8]> {}
    /// SO_PRIORITY of the connections.
    Priority = ZMQ_PRIORITY "ZMQ_PRIORITY": rw<i32, i32> {}
    /// SO_BUSY_POLL of the connections.
    BusyPoll = ZMQ_BUSY_POLL "ZMQ_BUSY_POLL": wo<i32, i32> {}
    /// A message received when the connection hiccups (reconnects).
    HiccupMsg = ZMQ_HICCUP_MSG "ZMQ_HICCUP_MSG": wo<Vec<u8>, &'a [u8]> {}
    /// XSUB: pass unsubscriptions up even for topics not subscribed.
    XsubVerboseUnsubscribe = ZMQ_XSUB_VERBOSE_UNSUBSCRIBE "ZMQ_XSUB_VERBOSE_UNSUBSCRIBE": wo<bool, bool> {}
    /// XPUB/XSUB: the number of distinct subscribed topics.
    TopicsCount = ZMQ_TOPICS_COUNT "ZMQ_TOPICS_COUNT": ro<i32, i32> {}
    /// NORM congestion-control mode (`ZMQ_NORM_*`).
    NormMode = ZMQ_NORM_MODE "ZMQ_NORM_MODE": rw<i32, i32> requires "norm" {}
    /// NORM unicast NACKs.
    NormUnicastNack = ZMQ_NORM_UNICAST_NACK "ZMQ_NORM_UNICAST_NACK": rw<bool, bool> requires "norm" {}
    /// NORM buffer size, in kB.
    NormBufferSize = ZMQ_NORM_BUFFER_SIZE "ZMQ_NORM_BUFFER_SIZE": rw<i32, i32> requires "norm" {}
    /// NORM segment size, in bytes.
    NormSegmentSize = ZMQ_NORM_SEGMENT_SIZE "ZMQ_NORM_SEGMENT_SIZE": rw<i32, i32> requires "norm" {}
    /// NORM block size.
    NormBlockSize = ZMQ_NORM_BLOCK_SIZE "ZMQ_NORM_BLOCK_SIZE": rw<i32, i32> requires "norm" {}
    /// NORM parity segments per block.
    NormNumParity = ZMQ_NORM_NUM_PARITY "ZMQ_NORM_NUM_PARITY": rw<i32, i32> requires "norm" {}
    /// NORM proactive parity segments.
    NormNumAutoparity = ZMQ_NORM_NUM_AUTOPARITY "ZMQ_NORM_NUM_AUTOPARITY": rw<i32, i32> requires "norm" {}
    /// NORM push mode.
    NormPush = ZMQ_NORM_PUSH "ZMQ_NORM_PUSH": rw<bool, bool> requires "norm" {}
}

/// Every option of the table (the draft ones only in a draft build).
pub fn all() -> impl Iterator<Item = &'static OptionInfo> {
    #[cfg(zmq_draft)]
    let draft = DRAFT;
    #[cfg(not(zmq_draft))]
    let draft: &[OptionInfo] = &[];
    STABLE.iter().chain(draft)
}

/// The old name of [`TypeOfSocket`] (it read like `zmq::SocketType`).
#[deprecated(since = "0.10.1", note = "Use `sockopt::TypeOfSocket`")]
#[allow(non_upper_case_globals)]
pub const Type: TypeOfSocket = TypeOfSocket;

/// The old name of [`MechanismInUse`] (it read like `zmq::Mechanism`).
#[deprecated(since = "0.10.1", note = "Use `sockopt::MechanismInUse`")]
#[allow(non_upper_case_globals)]
pub const Mechanism: MechanismInUse = MechanismInUse;

/// The old name of [`PendingEvents`] (it read like `zmq::PollEvents`).
#[deprecated(since = "0.10.1", note = "Use `sockopt::PendingEvents`")]
#[allow(non_upper_case_globals)]
pub const Events: PendingEvents = PendingEvents;
