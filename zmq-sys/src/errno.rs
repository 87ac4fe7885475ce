//! The error numbers libzmq reports through `zmq_errno()`, as `i32`s.
//!
//! POSIX numbers come from the platform; libzmq's own (`EFSM`, `ETERM`, ...) sit
//! above `ZMQ_HAUSNUMERO`, as do the `*_ALT` numbers libzmq uses on platforms whose
//! C library lacks a POSIX one.

#[cfg(unix)]
use libc as sys;

/// Error numbers of the Microsoft C runtime (`errno.h`), which `libc` does not
/// carry for every name libzmq uses.
#[cfg(windows)]
mod sys {
    pub const EACCES: i32 = 13;
    pub const EBUSY: i32 = 16;
    pub const EFAULT: i32 = 14;
    pub const EINTR: i32 = 4;
    pub const EINVAL: i32 = 22;
    pub const EMFILE: i32 = 24;
    pub const ENAMETOOLONG: i32 = 38;
    pub const ENODEV: i32 = 19;
    pub const ENOENT: i32 = 2;
    pub const ENOMEM: i32 = 12;
    pub const EAGAIN: i32 = 11;
    pub const EADDRINUSE: i32 = 100;
    pub const EADDRNOTAVAIL: i32 = 101;
    pub const ECONNREFUSED: i32 = 107;
    pub const EHOSTUNREACH: i32 = 110;
    pub const EINPROGRESS: i32 = 112;
    pub const EMSGSIZE: i32 = 115;
    pub const ENETDOWN: i32 = 116;
    pub const ENOBUFS: i32 = 119;
    pub const ENOTCONN: i32 = 126;
    pub const ENOTSOCK: i32 = 128;
    pub const ENOTSUP: i32 = 129;
    pub const EPROTO: i32 = 134;
    pub const EPROTONOSUPPORT: i32 = 135;
    pub const EAFNOSUPPORT: i32 = 102;
    pub const ENETUNREACH: i32 = 118;
    pub const ECONNABORTED: i32 = 106;
    pub const ECONNRESET: i32 = 108;
    pub const ETIMEDOUT: i32 = 138;
    pub const ENETRESET: i32 = 117;
}

const HAUSNUMERO: i32 = 156_384_712;

macro_rules! from_platform {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($name), "` as the platform defines it.")]
            pub const $name: i32 = sys::$name;
        )*
    };
}

from_platform!(
    EACCES,
    EADDRINUSE,
    EAGAIN,
    EBUSY,
    ECONNREFUSED,
    EFAULT,
    EINTR,
    EHOSTUNREACH,
    EINPROGRESS,
    EINVAL,
    EMFILE,
    EMSGSIZE,
    ENAMETOOLONG,
    ENODEV,
    ENOENT,
    ENOMEM,
    ENOTCONN,
    ENOTSOCK,
    EPROTO,
    EPROTONOSUPPORT,
    ENOTSUP,
    ENOBUFS,
    ENETDOWN,
    EADDRNOTAVAIL,
    EAFNOSUPPORT,
    ENETUNREACH,
    ECONNABORTED,
    ECONNRESET,
    ETIMEDOUT,
    ENETRESET,
);

/// The state machine forbids this operation now (e.g. two sends on a REQ socket).
pub const EFSM: i32 = HAUSNUMERO + 51;
/// The transport protocol is not compatible with the socket type.
pub const ENOCOMPATPROTO: i32 = HAUSNUMERO + 52;
/// The context was terminated.
pub const ETERM: i32 = HAUSNUMERO + 53;
/// No I/O thread is available for this operation.
pub const EMTHREAD: i32 = HAUSNUMERO + 54;

macro_rules! alternates {
    ($($name:ident = $offset:expr),* $(,)?) => {
        $(
            #[doc = concat!("libzmq's substitute number, used where the C library has no `",
                stringify!($name), "`.")]
            pub const $name: i32 = HAUSNUMERO + $offset;
        )*
    };
}

alternates!(
    ENOTSUP_ALT = 1,
    EPROTONOSUPPORT_ALT = 2,
    ENOBUFS_ALT = 3,
    ENETDOWN_ALT = 4,
    EADDRINUSE_ALT = 5,
    EADDRNOTAVAIL_ALT = 6,
    ECONNREFUSED_ALT = 7,
    EINPROGRESS_ALT = 8,
    ENOTSOCK_ALT = 9,
    EMSGSIZE_ALT = 10,
    EAFNOSUPPORT_ALT = 11,
    ENETUNREACH_ALT = 12,
    ECONNABORTED_ALT = 13,
    ECONNRESET_ALT = 14,
    ENOTCONN_ALT = 15,
    ETIMEDOUT_ALT = 16,
    EHOSTUNREACH_ALT = 17,
    ENETRESET_ALT = 18,
);
