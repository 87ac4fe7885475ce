//! The public API of `zmq` 0.10, item by item, with its exact signatures: this
//! file compiles only if code written against 0.10 does. The test at the end
//! also runs a few of them.
#![allow(deprecated)]

use std::ffi::c_void;
use std::result::Result as StdResult;

use zmq::{
    Context, CurveKeyPair, DecodeError, EncodeError, Error, Mechanism, Message, PollEvents,
    PollItem, Result, Sendable, Socket, SocketEvent, SocketType,
};

type Str = StdResult<String, Vec<u8>>;

#[allow(clippy::type_complexity)]
fn signatures() {
    // Free functions and statics.
    let _: fn() -> (i32, i32, i32) = zmq::version;
    let _: fn(&str) -> Option<bool> = zmq::has;
    let _: fn(&mut [PollItem], i64) -> Result<i32> = zmq::poll;
    let _: fn(&Socket, &Socket) -> Result<()> = zmq::proxy;
    let _: fn(&mut Socket, &mut Socket, &mut Socket) -> Result<()> = zmq::proxy_with_capture;
    let _: fn(&mut Socket, &mut Socket, &mut Socket) -> Result<()> = zmq::proxy_steerable;
    let _: fn(&mut Socket, &mut Socket, &mut Socket, &mut Socket) -> Result<()> =
        zmq::proxy_steerable_with_capture;
    let _: fn(&[u8]) -> StdResult<String, EncodeError> = zmq::z85_encode;
    let _: fn(&str) -> StdResult<Vec<u8>, DecodeError> = zmq::z85_decode;
    let _: &'static i32 = &zmq::DONTWAIT;
    let _: &'static i32 = &zmq::SNDMORE;
    let _: [PollEvents; 3] = [zmq::POLLIN, zmq::POLLOUT, zmq::POLLERR];
    let _: [SocketType; 12] = [
        zmq::PAIR,
        zmq::PUB,
        zmq::SUB,
        zmq::REQ,
        zmq::REP,
        zmq::DEALER,
        zmq::ROUTER,
        zmq::PULL,
        zmq::PUSH,
        zmq::XPUB,
        zmq::XSUB,
        zmq::STREAM,
    ];

    // Context.
    let _: fn() -> Context = Context::new;
    let _: fn(&Context) -> Result<i32> = Context::get_io_threads;
    let _: fn(&Context, i32) -> Result<()> = Context::set_io_threads;
    let _: fn(&Context, SocketType) -> Result<Socket> = Context::socket;
    let _: fn(&mut Context) -> Result<()> = Context::destroy;
    let _: fn() -> Context = Context::default;

    // Socket: endpoints, send, receive.
    let _: unsafe fn(*mut c_void) -> Socket = Socket::from_raw;
    let _: fn(Socket) -> *mut c_void = Socket::into_raw;
    let _: fn(&mut Socket) -> *mut c_void = Socket::as_mut_ptr;
    let _: fn(&Socket, &str) -> Result<()> = Socket::bind;
    let _: fn(&Socket, &str) -> Result<()> = Socket::unbind;
    let _: fn(&Socket, &str) -> Result<()> = Socket::connect;
    let _: fn(&Socket, &str) -> Result<()> = Socket::disconnect;
    let _: fn(&Socket, &str, i32) -> Result<()> = Socket::monitor;
    let _ = |s: &Socket, data: &[u8], flags: i32| -> Result<()> { s.send(data, flags) };
    let _: fn(&Socket, Message, i32) -> Result<()> = Socket::send_msg;
    let _: fn(&Socket, &str, i32) -> Result<()> = Socket::send_str;
    let _: fn(&Socket, Vec<Vec<u8>>, i32) -> Result<()> =
        Socket::send_multipart::<Vec<Vec<u8>>, Vec<u8>>;
    let _: fn(&Socket, &mut Message, i32) -> Result<()> = Socket::recv;
    let _: fn(&Socket, &mut [u8], i32) -> Result<usize> = Socket::recv_into;
    let _: fn(&Socket, i32) -> Result<Message> = Socket::recv_msg;
    let _: fn(&Socket, i32) -> Result<Vec<u8>> = Socket::recv_bytes;
    let _: fn(&Socket, i32) -> Result<Str> = Socket::recv_string;
    let _: fn(&Socket, i32) -> Result<Vec<Vec<u8>>> = Socket::recv_multipart;
    let _: for<'a> fn(&'a Socket, PollEvents) -> PollItem<'a> = Socket::as_poll_item;
    let _: fn(&Socket, PollEvents, i64) -> Result<i32> = Socket::poll;

    // Socket: every option accessor of 0.10.
    let _: [fn(&Socket) -> Result<bool>; 13] = [
        Socket::is_ipv6,
        Socket::is_immediate,
        Socket::is_plain_server,
        Socket::is_conflate,
        Socket::is_probe_router,
        Socket::is_router_mandatory,
        Socket::is_router_handover,
        Socket::is_curve_server,
        Socket::is_gssapi_server,
        Socket::is_gssapi_plaintext,
        Socket::get_rcvmore,
        Socket::is_ipv6,
        Socket::is_immediate,
    ];
    let _: [fn(&Socket, bool) -> Result<()>; 15] = [
        Socket::set_ipv6,
        Socket::set_immediate,
        Socket::set_plain_server,
        Socket::set_conflate,
        Socket::set_probe_router,
        Socket::set_router_mandatory,
        Socket::set_router_handover,
        Socket::set_curve_server,
        Socket::set_gssapi_server,
        Socket::set_gssapi_plaintext,
        Socket::set_req_relaxed,
        Socket::set_req_correlate,
        Socket::set_xpub_verbose,
        Socket::set_ipv6,
        Socket::set_immediate,
    ];
    let _: fn(&Socket) -> Result<SocketType> = Socket::get_socket_type;
    let _: fn(&Socket) -> Result<i64> = Socket::get_maxmsgsize;
    let _: fn(&Socket, i64) -> Result<()> = Socket::set_maxmsgsize;
    let _: fn(&Socket) -> Result<u64> = Socket::get_affinity;
    let _: fn(&Socket, u64) -> Result<()> = Socket::set_affinity;
    let _: [fn(&Socket) -> Result<i32>; 25] = [
        Socket::get_sndhwm,
        Socket::get_rcvhwm,
        Socket::get_rate,
        Socket::get_recovery_ivl,
        Socket::get_sndbuf,
        Socket::get_rcvbuf,
        Socket::get_tos,
        Socket::get_linger,
        Socket::get_reconnect_ivl,
        Socket::get_reconnect_ivl_max,
        Socket::get_backlog,
        Socket::get_multicast_hops,
        Socket::get_rcvtimeo,
        Socket::get_sndtimeo,
        Socket::get_tcp_keepalive,
        Socket::get_tcp_keepalive_cnt,
        Socket::get_tcp_keepalive_idle,
        Socket::get_tcp_keepalive_intvl,
        Socket::get_handshake_ivl,
        Socket::get_heartbeat_ivl,
        Socket::get_heartbeat_ttl,
        Socket::get_heartbeat_timeout,
        Socket::get_connect_timeout,
        Socket::get_linger,
        Socket::get_rate,
    ];
    let _: [fn(&Socket, i32) -> Result<()>; 23] = [
        Socket::set_sndhwm,
        Socket::set_rcvhwm,
        Socket::set_rate,
        Socket::set_recovery_ivl,
        Socket::set_sndbuf,
        Socket::set_rcvbuf,
        Socket::set_tos,
        Socket::set_linger,
        Socket::set_reconnect_ivl,
        Socket::set_reconnect_ivl_max,
        Socket::set_backlog,
        Socket::set_multicast_hops,
        Socket::set_rcvtimeo,
        Socket::set_sndtimeo,
        Socket::set_tcp_keepalive,
        Socket::set_tcp_keepalive_cnt,
        Socket::set_tcp_keepalive_idle,
        Socket::set_tcp_keepalive_intvl,
        Socket::set_handshake_ivl,
        Socket::set_heartbeat_ivl,
        Socket::set_heartbeat_ttl,
        Socket::set_heartbeat_timeout,
        Socket::set_connect_timeout,
    ];
    let _: fn(&Socket) -> Result<zmq_sys::RawFd> = Socket::get_fd;
    let _: fn(&Socket) -> Result<PollEvents> = Socket::get_events;
    let _: [for<'a> fn(&Socket, &'a [u8]) -> Result<()>; 6] = [
        Socket::set_identity,
        Socket::set_subscribe,
        Socket::set_unsubscribe,
        Socket::set_curve_publickey,
        Socket::set_curve_secretkey,
        Socket::set_curve_serverkey,
    ];
    let _: [fn(&Socket) -> Result<Vec<u8>>; 4] = [
        Socket::get_identity,
        Socket::get_curve_publickey,
        Socket::get_curve_secretkey,
        Socket::get_curve_serverkey,
    ];
    let _: [fn(&Socket) -> Result<Str>; 7] = [
        Socket::get_socks_proxy,
        Socket::get_plain_username,
        Socket::get_plain_password,
        Socket::get_zap_domain,
        Socket::get_last_endpoint,
        Socket::get_gssapi_principal,
        Socket::get_gssapi_service_principal,
    ];
    let _: fn(&Socket) -> Result<Mechanism> = Socket::get_mechanism;
    let _: [for<'a> fn(&Socket, Option<&'a str>) -> Result<()>; 4] = [
        Socket::set_socks_proxy,
        Socket::set_plain_username,
        Socket::set_plain_password,
        Socket::set_xpub_welcome_msg,
    ];
    let _: [for<'a> fn(&Socket, &'a str) -> Result<()>; 3] = [
        Socket::set_zap_domain,
        Socket::set_gssapi_principal,
        Socket::set_gssapi_service_principal,
    ];

    // Message.
    let _: fn() -> Message = Message::new;
    let _: fn(usize) -> Message = Message::with_size;
    let _: fn(usize) -> Message = Message::with_capacity;
    let _: unsafe fn(usize) -> Message = Message::with_capacity_unallocated;
    let _: fn(&[u8]) -> Message = Message::from_slice;
    let _: fn(&Message) -> Option<&str> = Message::as_str;
    let _: fn(&Message) -> bool = Message::get_more;
    let _: for<'a> fn(&'a mut Message, &str) -> Option<&'a str> = Message::gets;
    let _ = |b: &[u8]| -> Message { Message::from(b) };
    let _: fn(Vec<u8>) -> Message = Message::from;
    let _: fn(Box<[u8]>) -> Message = Message::from;
    let _ = |t: &str| -> Message { Message::from(t) };
    let _ = |t: &String| -> Message { Message::from(t) };
    let _ = |v: &Vec<u8>| -> Message { Message::from(v) };

    // PollItem, PollEvents.
    let _: fn(zmq_sys::RawFd, PollEvents) -> PollItem<'static> = PollItem::from_fd;
    let _: fn(&mut PollItem<'static>, PollEvents) = PollItem::set_events;
    let _: fn(&PollItem<'static>) -> PollEvents = PollItem::get_revents;
    let _: [fn(&PollItem<'static>) -> bool; 3] = [
        PollItem::is_readable,
        PollItem::is_writable,
        PollItem::is_error,
    ];
    let _: fn(&PollItem<'static>, &Socket) -> bool = PollItem::has_socket;
    let _: fn(&PollItem<'static>, zmq_sys::RawFd) -> bool = PollItem::has_fd;
    let _: PollEvents = PollEvents::POLLIN | PollEvents::POLLOUT | PollEvents::POLLERR;

    // Enums, errors, keys.
    let _: fn(SocketEvent) -> u16 = SocketEvent::to_raw;
    let _: fn(u16) -> SocketEvent = SocketEvent::from_raw;
    let _: fn(Error) -> i32 = Error::to_raw;
    let _: fn(i32) -> Error = Error::from_raw;
    let _: fn(Error) -> &'static str = Error::message;
    let _: fn(Error) -> std::io::Error = std::io::Error::from;
    let _: fn() -> Result<CurveKeyPair> = CurveKeyPair::new;
    let _ = |pair: CurveKeyPair| -> ([u8; 32], [u8; 32]) { (pair.public_key, pair.secret_key) };
    let _ = |e: EncodeError| matches!(e, EncodeError::BadLength | EncodeError::FromUtf8Error(_));
    let _ = |e: DecodeError| matches!(e, DecodeError::BadLength | DecodeError::NulError(_));
    let _ = [
        Mechanism::ZMQ_NULL,
        Mechanism::ZMQ_PLAIN,
        Mechanism::ZMQ_CURVE,
        Mechanism::ZMQ_GSSAPI,
    ];
    fn sendable<T: Sendable>(_: T) {}
    sendable(Message::new());
    sendable("text");
    sendable(vec![1u8]);
    sendable(&[1u8][..]);
}

#[cfg(unix)]
fn socket_is_as_raw_fd(s: &Socket) -> std::os::unix::io::RawFd {
    use std::os::unix::io::AsRawFd;
    s.as_raw_fd()
}

#[test]
fn the_zmq_0_10_api_compiles_and_behaves() {
    signatures();
    let ctx = Context::default();
    let s = ctx.socket(zmq::PAIR).unwrap();
    #[cfg(unix)]
    assert!(socket_is_as_raw_fd(&s) >= 0);
    assert_eq!(s.get_socket_type().unwrap(), zmq::PAIR);
    assert_eq!(Error::from_raw(zmq_sys::errno::ETERM), Error::ETERM);
    assert_eq!(zmq_sys::ZMQ_IO_THREADS_DFLT, 1);
    assert_eq!(
        ctx.get_io_threads().unwrap(),
        zmq_sys::ZMQ_IO_THREADS_DFLT as i32
    );
    assert_eq!(
        SocketEvent::from_raw(SocketEvent::CONNECTED.to_raw()),
        SocketEvent::CONNECTED
    );
}
