//! The public API of zmq-sys 0.12.0 (the version `zmq` 0.10 depends on), item by
//! item, with the types it had: this file compiles only if code written against
//! zmq-sys 0.12.0 does, so a crate that depends on `zmq-sys = "0.12"` directly
//! can be patched to this one. The constants also keep their values (those of
//! libzmq 4.3.5's `zmq.h`; only `ZMQ_GROUP_MAX_LENGTH` differs from 0.12.0, which
//! had 4.3.1's 15). The tests at the end run a few of the items.
#![allow(clippy::unnecessary_cast)]

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_long, c_short, c_uchar, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

use zmq_sys::{iovec, zmq_free_fn, zmq_msg_t, zmq_pollitem_t};

/// Each constant is pinned to its type and value at compile time.
macro_rules! constants {
    ($($name:ident: $ty:ty = $value:expr,)*) => {
        $(
            const _: () = {
                let value: $ty = zmq_sys::$name;
                assert!(value == $value, concat!(stringify!($name), " changed its value"));
            };
        )*
    };
}

constants! {
    ZMQ_HAUSNUMERO: u32 = 156384712,
    ZMQ_IO_THREADS: u32 = 1,
    ZMQ_MAX_SOCKETS: u32 = 2,
    ZMQ_SOCKET_LIMIT: u32 = 3,
    ZMQ_THREAD_PRIORITY: u32 = 3,
    ZMQ_THREAD_SCHED_POLICY: u32 = 4,
    ZMQ_MAX_MSGSZ: u32 = 5,
    ZMQ_MSG_T_SIZE: u32 = 6,
    ZMQ_THREAD_AFFINITY_CPU_ADD: u32 = 7,
    ZMQ_THREAD_AFFINITY_CPU_REMOVE: u32 = 8,
    ZMQ_THREAD_NAME_PREFIX: u32 = 9,
    ZMQ_IO_THREADS_DFLT: u32 = 1,
    ZMQ_MAX_SOCKETS_DFLT: u32 = 1023,
    ZMQ_THREAD_PRIORITY_DFLT: i32 = -1,
    ZMQ_THREAD_SCHED_POLICY_DFLT: i32 = -1,
    ZMQ_PAIR: u32 = 0,
    ZMQ_PUB: u32 = 1,
    ZMQ_SUB: u32 = 2,
    ZMQ_REQ: u32 = 3,
    ZMQ_REP: u32 = 4,
    ZMQ_DEALER: u32 = 5,
    ZMQ_ROUTER: u32 = 6,
    ZMQ_PULL: u32 = 7,
    ZMQ_PUSH: u32 = 8,
    ZMQ_XPUB: u32 = 9,
    ZMQ_XSUB: u32 = 10,
    ZMQ_STREAM: u32 = 11,
    ZMQ_AFFINITY: u32 = 4,
    ZMQ_ROUTING_ID: u32 = 5,
    ZMQ_SUBSCRIBE: u32 = 6,
    ZMQ_UNSUBSCRIBE: u32 = 7,
    ZMQ_RATE: u32 = 8,
    ZMQ_RECOVERY_IVL: u32 = 9,
    ZMQ_SNDBUF: u32 = 11,
    ZMQ_RCVBUF: u32 = 12,
    ZMQ_RCVMORE: u32 = 13,
    ZMQ_FD: u32 = 14,
    ZMQ_EVENTS: u32 = 15,
    ZMQ_TYPE: u32 = 16,
    ZMQ_LINGER: u32 = 17,
    ZMQ_RECONNECT_IVL: u32 = 18,
    ZMQ_BACKLOG: u32 = 19,
    ZMQ_RECONNECT_IVL_MAX: u32 = 21,
    ZMQ_MAXMSGSIZE: u32 = 22,
    ZMQ_SNDHWM: u32 = 23,
    ZMQ_RCVHWM: u32 = 24,
    ZMQ_MULTICAST_HOPS: u32 = 25,
    ZMQ_RCVTIMEO: u32 = 27,
    ZMQ_SNDTIMEO: u32 = 28,
    ZMQ_LAST_ENDPOINT: u32 = 32,
    ZMQ_ROUTER_MANDATORY: u32 = 33,
    ZMQ_TCP_KEEPALIVE: u32 = 34,
    ZMQ_TCP_KEEPALIVE_CNT: u32 = 35,
    ZMQ_TCP_KEEPALIVE_IDLE: u32 = 36,
    ZMQ_TCP_KEEPALIVE_INTVL: u32 = 37,
    ZMQ_IMMEDIATE: u32 = 39,
    ZMQ_XPUB_VERBOSE: u32 = 40,
    ZMQ_ROUTER_RAW: u32 = 41,
    ZMQ_IPV6: u32 = 42,
    ZMQ_MECHANISM: u32 = 43,
    ZMQ_PLAIN_SERVER: u32 = 44,
    ZMQ_PLAIN_USERNAME: u32 = 45,
    ZMQ_PLAIN_PASSWORD: u32 = 46,
    ZMQ_CURVE_SERVER: u32 = 47,
    ZMQ_CURVE_PUBLICKEY: u32 = 48,
    ZMQ_CURVE_SECRETKEY: u32 = 49,
    ZMQ_CURVE_SERVERKEY: u32 = 50,
    ZMQ_PROBE_ROUTER: u32 = 51,
    ZMQ_REQ_CORRELATE: u32 = 52,
    ZMQ_REQ_RELAXED: u32 = 53,
    ZMQ_CONFLATE: u32 = 54,
    ZMQ_ZAP_DOMAIN: u32 = 55,
    ZMQ_ROUTER_HANDOVER: u32 = 56,
    ZMQ_TOS: u32 = 57,
    ZMQ_CONNECT_ROUTING_ID: u32 = 61,
    ZMQ_GSSAPI_SERVER: u32 = 62,
    ZMQ_GSSAPI_PRINCIPAL: u32 = 63,
    ZMQ_GSSAPI_SERVICE_PRINCIPAL: u32 = 64,
    ZMQ_GSSAPI_PLAINTEXT: u32 = 65,
    ZMQ_HANDSHAKE_IVL: u32 = 66,
    ZMQ_SOCKS_PROXY: u32 = 68,
    ZMQ_XPUB_NODROP: u32 = 69,
    ZMQ_BLOCKY: u32 = 70,
    ZMQ_XPUB_MANUAL: u32 = 71,
    ZMQ_XPUB_WELCOME_MSG: u32 = 72,
    ZMQ_STREAM_NOTIFY: u32 = 73,
    ZMQ_INVERT_MATCHING: u32 = 74,
    ZMQ_HEARTBEAT_IVL: u32 = 75,
    ZMQ_HEARTBEAT_TTL: u32 = 76,
    ZMQ_HEARTBEAT_TIMEOUT: u32 = 77,
    ZMQ_XPUB_VERBOSER: u32 = 78,
    ZMQ_CONNECT_TIMEOUT: u32 = 79,
    ZMQ_TCP_MAXRT: u32 = 80,
    ZMQ_THREAD_SAFE: u32 = 81,
    ZMQ_MULTICAST_MAXTPDU: u32 = 84,
    ZMQ_VMCI_BUFFER_SIZE: u32 = 85,
    ZMQ_VMCI_BUFFER_MIN_SIZE: u32 = 86,
    ZMQ_VMCI_BUFFER_MAX_SIZE: u32 = 87,
    ZMQ_VMCI_CONNECT_TIMEOUT: u32 = 88,
    ZMQ_USE_FD: u32 = 89,
    ZMQ_GSSAPI_PRINCIPAL_NAMETYPE: u32 = 90,
    ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: u32 = 91,
    ZMQ_BINDTODEVICE: u32 = 92,
    ZMQ_MORE: u32 = 1,
    ZMQ_SHARED: u32 = 3,
    ZMQ_DONTWAIT: u32 = 1,
    ZMQ_SNDMORE: u32 = 2,
    ZMQ_NULL: u32 = 0,
    ZMQ_PLAIN: u32 = 1,
    ZMQ_CURVE: u32 = 2,
    ZMQ_GSSAPI: u32 = 3,
    // 15 in zmq-sys 0.12.0 (libzmq 4.3.1's header); libzmq 4.3.5 allows 255.
    ZMQ_GROUP_MAX_LENGTH: u32 = 255,
    ZMQ_EVENT_CONNECTED: u32 = 1,
    ZMQ_EVENT_CONNECT_DELAYED: u32 = 2,
    ZMQ_EVENT_CONNECT_RETRIED: u32 = 4,
    ZMQ_EVENT_LISTENING: u32 = 8,
    ZMQ_EVENT_BIND_FAILED: u32 = 16,
    ZMQ_EVENT_ACCEPTED: u32 = 32,
    ZMQ_EVENT_ACCEPT_FAILED: u32 = 64,
    ZMQ_EVENT_CLOSED: u32 = 128,
    ZMQ_EVENT_CLOSE_FAILED: u32 = 256,
    ZMQ_EVENT_DISCONNECTED: u32 = 512,
    ZMQ_EVENT_MONITOR_STOPPED: u32 = 1024,
    ZMQ_EVENT_ALL: u32 = 65535,
    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: u32 = 2048,
    ZMQ_EVENT_HANDSHAKE_SUCCEEDED: u32 = 4096,
    ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: u32 = 8192,
    ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: u32 = 16384,
    ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED: u32 = 268435456,
    ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND: u32 = 268435457,
    ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE: u32 = 268435458,
    ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE: u32 = 268435459,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED: u32 = 268435473,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE: u32 = 268435474,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO: u32 = 268435475,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE: u32 = 268435476,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR: u32 = 268435477,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY: u32 = 268435478,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME: u32 = 268435479,
    ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA: u32 = 268435480,
    ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: u32 = 285212673,
    ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: u32 = 285212674,
    ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED: u32 = 536870912,
    ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY: u32 = 536870913,
    ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID: u32 = 536870914,
    ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION: u32 = 536870915,
    ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE: u32 = 536870916,
    ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA: u32 = 536870917,
    ZMQ_POLLIN: u32 = 1,
    ZMQ_POLLOUT: u32 = 2,
    ZMQ_POLLERR: u32 = 4,
    ZMQ_POLLPRI: u32 = 8,
    ZMQ_POLLITEMS_DFLT: u32 = 16,
}

/// Each function coerces to the exact `extern "C"` pointer type of 0.12.0.
macro_rules! functions {
    ($($name:ident: ($($arg:ty),*) $(-> $ret:ty)?;)*) => {
        /// Names every function: a type error here is an incompatibility.
        #[allow(dead_code)]
        fn function_signatures() {
            $(let _: unsafe extern "C" fn($($arg),*) $(-> $ret)? = zmq_sys::$name;)*
        }
    };
}

functions! {
    zmq_version: (*mut c_int, *mut c_int, *mut c_int);
    zmq_errno: () -> c_int;
    zmq_strerror: (c_int) -> *const c_char;
    zmq_ctx_new: () -> *mut c_void;
    zmq_ctx_term: (*mut c_void) -> c_int;
    zmq_ctx_shutdown: (*mut c_void) -> c_int;
    zmq_ctx_set: (*mut c_void, c_int, c_int) -> c_int;
    zmq_ctx_get: (*mut c_void, c_int) -> c_int;
    zmq_msg_init: (*mut zmq_msg_t) -> c_int;
    zmq_msg_init_size: (*mut zmq_msg_t, usize) -> c_int;
    zmq_msg_init_data: (*mut zmq_msg_t, *mut c_void, usize, zmq_free_fn, *mut c_void) -> c_int;
    zmq_msg_send: (*mut zmq_msg_t, *mut c_void, c_int) -> c_int;
    zmq_msg_recv: (*mut zmq_msg_t, *mut c_void, c_int) -> c_int;
    zmq_msg_close: (*mut zmq_msg_t) -> c_int;
    zmq_msg_move: (*mut zmq_msg_t, *mut zmq_msg_t) -> c_int;
    zmq_msg_copy: (*mut zmq_msg_t, *mut zmq_msg_t) -> c_int;
    zmq_msg_data: (*mut zmq_msg_t) -> *mut c_void;
    zmq_msg_size: (*const zmq_msg_t) -> usize;
    zmq_msg_more: (*const zmq_msg_t) -> c_int;
    zmq_msg_get: (*const zmq_msg_t, c_int) -> c_int;
    zmq_msg_set: (*mut zmq_msg_t, c_int, c_int) -> c_int;
    zmq_msg_gets: (*const zmq_msg_t, *const c_char) -> *const c_char;
    zmq_socket: (*mut c_void, c_int) -> *mut c_void;
    zmq_close: (*mut c_void) -> c_int;
    zmq_setsockopt: (*mut c_void, c_int, *const c_void, usize) -> c_int;
    zmq_getsockopt: (*mut c_void, c_int, *mut c_void, *mut usize) -> c_int;
    zmq_bind: (*mut c_void, *const c_char) -> c_int;
    zmq_connect: (*mut c_void, *const c_char) -> c_int;
    zmq_unbind: (*mut c_void, *const c_char) -> c_int;
    zmq_disconnect: (*mut c_void, *const c_char) -> c_int;
    zmq_send: (*mut c_void, *const c_void, usize, c_int) -> c_int;
    zmq_send_const: (*mut c_void, *const c_void, usize, c_int) -> c_int;
    zmq_recv: (*mut c_void, *mut c_void, usize, c_int) -> c_int;
    zmq_socket_monitor: (*mut c_void, *const c_char, c_int) -> c_int;
    zmq_sendmsg: (*mut c_void, *mut zmq_msg_t, c_int) -> c_int;
    zmq_recvmsg: (*mut c_void, *mut zmq_msg_t, c_int) -> c_int;
    zmq_sendiov: (*mut c_void, *mut iovec, usize, c_int) -> c_int;
    zmq_recviov: (*mut c_void, *mut iovec, *mut usize, c_int) -> c_int;
    zmq_poll: (*mut zmq_pollitem_t, c_int, c_long) -> c_int;
    zmq_proxy: (*mut c_void, *mut c_void, *mut c_void) -> c_int;
    zmq_proxy_steerable: (*mut c_void, *mut c_void, *mut c_void, *mut c_void) -> c_int;
    zmq_has: (*const c_char) -> c_int;
    zmq_device: (c_int, *mut c_void, *mut c_void) -> c_int;
    zmq_z85_encode: (*mut c_char, *const u8, usize) -> *mut c_char;
    zmq_z85_decode: (*mut u8, *const c_char) -> *mut u8;
    zmq_curve_keypair: (*mut c_char, *mut c_char) -> c_int;
}

/// `errno` holds `i32`s: the platform's numbers, libzmq's own above
/// `ZMQ_HAUSNUMERO`, and the `*_ALT` substitutes.
macro_rules! errno_numbers {
    (
        platform: $($p:ident)*;
        native: $($n:ident = $offset:literal)*;
        alternates: $($a:ident = $alt:literal)*;
    ) => {
        #[cfg(unix)]
        const _: () = {
            $(assert!(zmq_sys::errno::$p == libc::$p, stringify!($p));)*
        };
        $(const _: i32 = zmq_sys::errno::$p;)*
        $(
            const _: () = {
                let value: i32 = zmq_sys::errno::$n;
                assert!(value == 156_384_712 + $offset, stringify!($n));
            };
        )*
        $(
            const _: () = {
                let value: i32 = zmq_sys::errno::$a;
                assert!(value == 156_384_712 + $alt, stringify!($a));
            };
        )*
    };
}

errno_numbers! {
    platform:
        EACCES EADDRINUSE EAGAIN EBUSY ECONNREFUSED EFAULT EINTR EHOSTUNREACH EINPROGRESS
        EINVAL EMFILE EMSGSIZE ENAMETOOLONG ENODEV ENOENT ENOMEM ENOTCONN ENOTSOCK EPROTO
        EPROTONOSUPPORT ENOTSUP ENOBUFS ENETDOWN EADDRNOTAVAIL;
    native:
        EFSM = 51 ENOCOMPATPROTO = 52 ETERM = 53 EMTHREAD = 54;
    alternates:
        ENOTSUP_ALT = 1 EPROTONOSUPPORT_ALT = 2 ENOBUFS_ALT = 3 ENETDOWN_ALT = 4
        EADDRINUSE_ALT = 5 EADDRNOTAVAIL_ALT = 6 ECONNREFUSED_ALT = 7 EINPROGRESS_ALT = 8
        ENOTSOCK_ALT = 9 EMSGSIZE_ALT = 10 EAFNOSUPPORT_ALT = 11 ENETUNREACH_ALT = 12
        ECONNABORTED_ALT = 13 ECONNRESET_ALT = 14 ENOTCONN_ALT = 15 ETIMEDOUT_ALT = 16
        EHOSTUNREACH_ALT = 17 ENETRESET_ALT = 18;
}

/// A PAIR pair over inproc on a new context, with a receive timeout.
struct Pair {
    ctx: *mut c_void,
    a: *mut c_void,
    b: *mut c_void,
}

impl Pair {
    fn new(endpoint: &CStr) -> Pair {
        // SAFETY: plain libzmq calls on handles created here; every result is checked.
        unsafe {
            let ctx = zmq_sys::zmq_ctx_new();
            assert!(!ctx.is_null());
            let a = zmq_sys::zmq_socket(ctx, zmq_sys::ZMQ_PAIR as c_int);
            let b = zmq_sys::zmq_socket(ctx, zmq_sys::ZMQ_PAIR as c_int);
            assert!(!a.is_null() && !b.is_null());
            let timeout: c_int = 5000;
            for s in [a, b] {
                let rc = zmq_sys::zmq_setsockopt(
                    s,
                    zmq_sys::ZMQ_RCVTIMEO as c_int,
                    (&timeout as *const c_int).cast(),
                    std::mem::size_of::<c_int>(),
                );
                assert_eq!(rc, 0);
            }
            assert_eq!(zmq_sys::zmq_bind(a, endpoint.as_ptr()), 0);
            assert_eq!(zmq_sys::zmq_connect(b, endpoint.as_ptr()), 0);
            Pair { ctx, a, b }
        }
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        // SAFETY: the handles were created by Pair::new and are closed once.
        unsafe {
            zmq_sys::zmq_close(self.a);
            zmq_sys::zmq_close(self.b);
            zmq_sys::zmq_ctx_term(self.ctx);
        }
    }
}

#[test]
fn zmq_msg_t_is_64_opaque_bytes_with_a_zeroed_default() {
    assert_eq!(std::mem::size_of::<zmq_msg_t>(), 64);
    assert_eq!(std::mem::align_of::<zmq_msg_t>(), 8);
    let mut msg = zmq_msg_t::default();
    let copy = msg; // Copy, as in 0.12.0
    let bytes: &[c_uchar; 64] = &msg.__;
    assert!(bytes.iter().chain(copy.__.iter()).all(|&b| b == 0));
    // SAFETY: msg is a zmq_msg_t that zmq_msg_init_size initialises, then closed once.
    unsafe {
        assert_eq!(zmq_sys::zmq_msg_init_size(&mut msg, 100), 0);
        assert_eq!(zmq_sys::zmq_msg_size(&msg), 100);
        assert!(!zmq_sys::zmq_msg_data(&mut msg).is_null());
        assert_eq!(zmq_sys::zmq_msg_close(&mut msg), 0);
    }
}

static FREED: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn count_free(data: *mut c_void, hint: *mut c_void) {
    assert_eq!(data, hint);
    FREED.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn zmq_free_fn_runs_once_when_the_message_is_closed() {
    let free: zmq_free_fn = Some(count_free);
    let mut buffer = [7u8; 16];
    let data: *mut c_void = buffer.as_mut_ptr().cast();
    let mut msg = zmq_msg_t::default();
    // SAFETY: buffer outlives msg, which is closed before the end of the scope.
    unsafe {
        assert_eq!(
            zmq_sys::zmq_msg_init_data(&mut msg, data, 16, free, data),
            0
        );
        assert_eq!(zmq_sys::zmq_msg_size(&msg), 16);
        assert_eq!(zmq_sys::zmq_msg_close(&mut msg), 0);
    }
    assert_eq!(FREED.load(Ordering::SeqCst), 1);
}

#[test]
fn zmq_pollitem_t_polls_a_socket_with_the_0_12_field_types() {
    let default = zmq_pollitem_t::default();
    let copy = default; // Copy and Debug, as in 0.12.0
    assert!(format!("{copy:?}").contains("revents"));
    assert!(default.socket.is_null());
    assert_eq!((default.fd, default.events, default.revents), (0, 0, 0));

    let pair = Pair::new(c"inproc://compat-0-12-poll");
    // SAFETY: the sockets live in `pair`; the items array outlives zmq_poll.
    unsafe {
        assert_eq!(zmq_sys::zmq_send(pair.a, b"hi".as_ptr().cast(), 2, 0), 2);
        #[cfg(unix)]
        let fd: c_int = 0;
        #[cfg(windows)]
        let fd: zmq_sys::zmq_fd_t = 0;
        let mut items = [zmq_pollitem_t {
            socket: pair.b,
            fd,
            events: zmq_sys::ZMQ_POLLIN as c_short,
            revents: 0,
        }];
        let timeout: c_long = 5000;
        assert_eq!(zmq_sys::zmq_poll(items.as_mut_ptr(), 1, timeout), 1);
        assert_eq!(items[0].revents, zmq_sys::ZMQ_POLLIN as c_short);
        let mut buf = [0u8; 8];
        assert_eq!(
            zmq_sys::zmq_recv(pair.b, buf.as_mut_ptr().cast(), buf.len(), 0),
            2
        );
        assert_eq!(&buf[..2], b"hi");
    }
}

#[cfg(unix)]
#[test]
fn raw_fd_is_the_platform_raw_fd_and_zmq_fd_fills_it() {
    let pair = Pair::new(c"inproc://compat-0-12-fd");
    let mut fd: zmq_sys::RawFd = -1;
    let platform: std::os::unix::io::RawFd = fd;
    assert_eq!(platform, -1);
    let mut size = std::mem::size_of::<zmq_sys::RawFd>();
    // SAFETY: fd and size are valid for writes of the sizes given.
    let rc = unsafe {
        zmq_sys::zmq_getsockopt(
            pair.a,
            zmq_sys::ZMQ_FD as c_int,
            (&mut fd as *mut zmq_sys::RawFd).cast(),
            &mut size,
        )
    };
    assert_eq!(rc, 0);
    assert!(fd >= 0, "ZMQ_FD gave {fd}");
}

#[test]
fn errno_numbers_are_what_libzmq_reports() {
    let pair = Pair::new(c"inproc://compat-0-12-errno");
    // SAFETY: plain libzmq calls on live sockets; strerror's text is static.
    unsafe {
        let req = zmq_sys::zmq_socket(pair.ctx, zmq_sys::ZMQ_REQ as c_int);
        assert!(!req.is_null());
        let mut buf = [0u8; 1];
        // A REQ socket must send before it receives: EFSM.
        assert_eq!(zmq_sys::zmq_recv(req, buf.as_mut_ptr().cast(), 1, 0), -1);
        assert_eq!(zmq_sys::zmq_errno(), zmq_sys::errno::EFSM);
        // DONTWAIT on an empty PAIR: EAGAIN.
        let flags = zmq_sys::ZMQ_DONTWAIT as c_int;
        assert_eq!(
            zmq_sys::zmq_recv(pair.b, buf.as_mut_ptr().cast(), 1, flags),
            -1
        );
        assert_eq!(zmq_sys::zmq_errno(), zmq_sys::errno::EAGAIN);
        let text = CStr::from_ptr(zmq_sys::zmq_strerror(zmq_sys::errno::ETERM));
        assert_eq!(text.to_str(), Ok("Context was terminated"));
        assert_eq!(zmq_sys::zmq_close(req), 0);
    }
}
