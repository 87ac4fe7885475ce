//! Context options, from one declarative table: a tag type per option for
//! [`Context::get`](crate::Context::get) / [`Context::set`](crate::Context::set),
//! and [`ALL`], the list of them.

use std::ffi::c_int;

use crate::sockopt::Access;

/// A context option's tag type.
pub trait ContextOption: Copy + 'static {
    /// The `ZMQ_*` number.
    const ID: c_int;
    /// The `ZMQ_*` name.
    const NAME: &'static str;
    /// The Rust type of the value.
    type Value: ContextValue;
}

/// An option `zmq_ctx_get` can read.
pub trait ReadableContextOption: ContextOption {}

/// An option `zmq_ctx_set` can write.
pub trait WritableContextOption: ContextOption {}

/// A context option's value: every one travels as a C `int`.
pub trait ContextValue: Copy {
    /// From the C `int`.
    fn from_int(raw: c_int) -> Self;
    /// To the C `int`.
    fn to_int(self) -> c_int;
}

impl ContextValue for i32 {
    fn from_int(raw: c_int) -> i32 {
        raw
    }
    fn to_int(self) -> c_int {
        self
    }
}

impl ContextValue for bool {
    fn from_int(raw: c_int) -> bool {
        raw != 0
    }
    fn to_int(self) -> c_int {
        c_int::from(self)
    }
}

/// One row of the context option table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContextOptionInfo {
    /// The `ZMQ_*` name.
    pub name: &'static str,
    /// The `ZMQ_*` number.
    pub id: c_int,
    /// Read, write or both.
    pub access: Access,
    /// The Rust type of the value.
    pub value: &'static str,
}

macro_rules! ctx_access {
    (rw, $tag:ident) => {
        impl ReadableContextOption for $tag {}
        impl WritableContextOption for $tag {}
    };
    (ro, $tag:ident) => {
        impl ReadableContextOption for $tag {}
    };
    (wo, $tag:ident) => {
        impl WritableContextOption for $tag {}
    };
}

macro_rules! context_options {
    ($(
        $(#[doc = $doc:literal])*
        $tag:ident = $id:ident $alias:literal: $access:ident<$value:ty>;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = concat!("`", stringify!($id), "`; value `", stringify!($value), "`.")]
            #[doc(alias = $alias)]
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct $tag;

            impl ContextOption for $tag {
                const ID: c_int = zmq_sys::$id as c_int;
                const NAME: &'static str = $alias;
                type Value = $value;
            }

            ctx_access!($access, $tag);
        )*

        /// Every context option.
        pub const ALL: &[ContextOptionInfo] = &[$(
            ContextOptionInfo {
                name: $alias,
                id: zmq_sys::$id as c_int,
                access: access_value!($access),
                value: stringify!($value),
            },
        )*];
    };
}

context_options! {
    /// Number of I/O threads (before the first socket).
    IoThreads = ZMQ_IO_THREADS "ZMQ_IO_THREADS": rw<i32>;
    /// Maximum number of sockets.
    MaxSockets = ZMQ_MAX_SOCKETS "ZMQ_MAX_SOCKETS": rw<i32>;
    /// The largest `ZMQ_MAX_SOCKETS` this build accepts.
    SocketLimit = ZMQ_SOCKET_LIMIT "ZMQ_SOCKET_LIMIT": ro<i32>;
    /// Scheduling priority of the I/O threads.
    ThreadPriority = ZMQ_THREAD_PRIORITY "ZMQ_THREAD_PRIORITY": wo<i32>;
    /// Scheduling policy of the I/O threads.
    ThreadSchedPolicy = ZMQ_THREAD_SCHED_POLICY "ZMQ_THREAD_SCHED_POLICY": rw<i32>;
    /// Adds a CPU to the I/O threads' affinity.
    ThreadAffinityCpuAdd = ZMQ_THREAD_AFFINITY_CPU_ADD "ZMQ_THREAD_AFFINITY_CPU_ADD": wo<i32>;
    /// Removes a CPU from the I/O threads' affinity.
    ThreadAffinityCpuRemove = ZMQ_THREAD_AFFINITY_CPU_REMOVE "ZMQ_THREAD_AFFINITY_CPU_REMOVE": wo<i32>;
    /// Numeric name prefix of libzmq's threads.
    ThreadNamePrefix = ZMQ_THREAD_NAME_PREFIX "ZMQ_THREAD_NAME_PREFIX": rw<i32>;
    /// Largest message size accepted, in bytes.
    MaxMsgSz = ZMQ_MAX_MSGSZ "ZMQ_MAX_MSGSZ": rw<i32>;
    /// `sizeof(zmq_msg_t)` in this libzmq.
    MsgTSize = ZMQ_MSG_T_SIZE "ZMQ_MSG_T_SIZE": ro<i32>;
    /// IPv6 on new sockets.
    Ipv6 = ZMQ_IPV6 "ZMQ_IPV6": rw<bool>;
    /// Whether termination waits for lingering messages (true, the default).
    Blocky = ZMQ_BLOCKY "ZMQ_BLOCKY": rw<bool>;
    /// Whether received messages reference the receive buffer instead of copying.
    ZeroCopyRecv = ZMQ_ZERO_COPY_RECV "ZMQ_ZERO_COPY_RECV": rw<bool>;
}
