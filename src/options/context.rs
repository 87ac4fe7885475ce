//! Context options, from one declarative table: `zmq::ctxopt`. Each row
//! generates a tag type for [`Context::get`] / [`Context::set`], the `zmq` 0.10
//! accessors where 0.10 had them (`get_io_threads`, `set_io_threads`), and an
//! entry of [`all()`], the list of every option.
//!
//! ```
//! use zmq::ctxopt;
//! let ctx = zmq::Context::new();
//! ctx.set(ctxopt::MaxSockets, 64).unwrap();
//! assert_eq!(ctx.get(ctxopt::MaxSockets).unwrap(), 64);
//! ```

use std::ffi::c_int;

pub use super::Access;

use super::socket::WritableOption;
use super::Set;
use crate::error::{OpError, Result};
use crate::Context;

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

/// The `zmq` 0.10 accessors of one row.
macro_rules! context_accessors {
    ($id:ident, $value:ty;) => {};
    ($id:ident, $value:ty; get $name:ident; $($rest:tt)*) => {
        #[doc = concat!("Reads `", stringify!($id), "` (the `zmq` 0.10 accessor; see also [`Context::get`]).")]
        pub fn $name(&self) -> Result<$value> {
            Ok(<$value>::from_int(self.raw().get(zmq_sys::$id as c_int)?))
        }
        context_accessors!($id, $value; $($rest)*);
    };
    ($id:ident, $value:ty; set $name:ident; $($rest:tt)*) => {
        #[doc = concat!("Writes `", stringify!($id), "` (the `zmq` 0.10 accessor; see also [`Context::set`]).")]
        pub fn $name(&self, value: $value) -> Result<()> {
            Ok(self.raw().set(zmq_sys::$id as c_int, value.to_int())?)
        }
        context_accessors!($id, $value; $($rest)*);
    };
}

macro_rules! context_options {
    ($(
        $(#[doc = $doc:literal])*
        $tag:ident = $id:ident $alias:literal: $access:ident<$value:ty> { $($legacy:tt)* }
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

        impl Context {
            $(context_accessors!($id, $value; $($legacy)*);)*
        }

        /// Every context option (the same rows as [`all()`]).
        #[deprecated(since = "0.10.1", note = "Use `ctxopt::all()`, like `sockopt::all()`")]
        pub const ALL: &[ContextOptionInfo] = ROWS;

        const ROWS: &[ContextOptionInfo] = &[$(
            ContextOptionInfo {
                name: $alias,
                id: zmq_sys::$id as c_int,
                access: super::access_value!($access),
                value: stringify!($value),
            },
        )*];
    };
}

/// Every context option of the table.
pub fn all() -> impl Iterator<Item = &'static ContextOptionInfo> {
    ROWS.iter()
}

impl Context {
    /// Reads a context option (`zmq_ctx_get`).
    ///
    /// ```
    /// use zmq::ctxopt;
    /// let ctx = zmq::Context::new();
    /// ctx.set(ctxopt::MaxSockets, 64).unwrap();
    /// assert_eq!(ctx.get(ctxopt::MaxSockets).unwrap(), 64);
    /// ```
    #[doc(alias = "zmq_ctx_get")]
    pub fn get<O: ReadableContextOption>(
        &self,
        _option: O,
    ) -> std::result::Result<O::Value, OpError> {
        self.raw()
            .get(O::ID)
            .map(O::Value::from_int)
            .map_err(|e| OpError::new(O::NAME, e.into()))
    }

    /// Writes a context option (`zmq_ctx_set`).
    #[doc(alias = "zmq_ctx_set")]
    pub fn set<O: WritableContextOption>(
        &self,
        _option: O,
        value: O::Value,
    ) -> std::result::Result<(), OpError> {
        self.raw()
            .set(O::ID, value.to_int())
            .map_err(|e| OpError::new(O::NAME, e.into()))
    }

    /// Sets a socket option on every socket this context makes from now on
    /// (sockets made before keep theirs), as pyzmq's `ctx.linger = 0` does. The
    /// value is checked first on a socket of type PAIR, so options of one
    /// socket type only (subscriptions, say) are refused here.
    ///
    /// The infinite default `LINGER` is the most common way a ZeroMQ program
    /// hangs at exit: `ctx.set_socket_default(sockopt::Linger, 0)` makes the
    /// safe choice once for the whole program.
    ///
    /// ```
    /// use zmq::sockopt;
    /// let ctx = zmq::Context::new();
    /// ctx.set_socket_default(sockopt::Linger, 0).unwrap();
    /// ctx.set_socket_default(sockopt::SndHwm, 10).unwrap();
    /// let socket = ctx.socket(zmq::PUSH).unwrap();
    /// assert_eq!(socket.get_linger().unwrap(), 0);
    /// assert_eq!(socket.get_sndhwm().unwrap(), 10);
    /// ctx.remove_socket_default(sockopt::SndHwm);
    /// assert_eq!(ctx.socket(zmq::PUSH).unwrap().get_sndhwm().unwrap(), 1000);
    /// ```
    pub fn set_socket_default<'a, O: WritableOption>(
        &self,
        _option: O,
        value: O::Arg<'a>,
    ) -> std::result::Result<(), OpError> {
        let bytes = value.encode();
        let probe = self
            .socket(crate::SocketType::PAIR)
            .map_err(|e| OpError::new(O::NAME, e))?;
        probe
            .set_raw_option(O::ID, bytes.as_deref())
            .map_err(|e| OpError::new(O::NAME, e))?;
        self.raw().set_socket_default(O::ID, Some(bytes));
        Ok(())
    }

    /// Stops setting `option` on new sockets.
    pub fn remove_socket_default<O: WritableOption>(&self, _option: O) {
        self.raw().set_socket_default(O::ID, None);
    }

    /// Sets the name prefix of libzmq's threads as a string (draft
    /// `zmq_ctx_set_ext`); without the draft API only numbers are possible
    /// ([`ThreadNamePrefix`]). libzmq takes 1 to 16 bytes; a NUL in it is
    /// `EINVAL`.
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_ctx_set_ext")]
    pub fn set_thread_name_prefix(&self, prefix: &str) -> std::result::Result<(), OpError> {
        let error = |e: crate::Error| OpError::new("ZMQ_THREAD_NAME_PREFIX", e);
        if prefix.contains('\0') {
            return Err(error(crate::Error::EINVAL));
        }
        // libzmq reads a value of `sizeof(int)` bytes as a number ("abcd"
        // would become "1684234849"): such a prefix goes with a NUL, where the
        // thread names and the getter's text end anyway.
        let mut value = prefix.as_bytes().to_vec();
        if value.len() == std::mem::size_of::<c_int>() {
            value.push(0);
        }
        self.raw()
            .set_ext(zmq_sys::ZMQ_THREAD_NAME_PREFIX as i32, &value)
            .map_err(|e| error(e.into()))
    }

    /// The name prefix of libzmq's threads (draft `zmq_ctx_get_ext`).
    #[cfg(zmq_draft)]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_ctx_get_ext")]
    pub fn thread_name_prefix(&self) -> std::result::Result<String, OpError> {
        let mut buf = [0u8; 256];
        let len = self
            .raw()
            .get_ext(zmq_sys::ZMQ_THREAD_NAME_PREFIX as i32, &mut buf)
            .map_err(|e| OpError::new("ZMQ_THREAD_NAME_PREFIX", e.into()))?;
        let text = &buf[..len.min(buf.len())];
        let text = text.split(|&b| b == 0).next().unwrap_or_default();
        Ok(String::from_utf8_lossy(text).into_owned())
    }
}

context_options! {
    /// Number of I/O threads (before the first socket). More than 4096, or
    /// more than the open-file limit leaves room for (two descriptors each),
    /// is `EINVAL`: libzmq would abort starting them.
    IoThreads = ZMQ_IO_THREADS "ZMQ_IO_THREADS": rw<i32> { get get_io_threads; set set_io_threads; }
    /// Maximum number of sockets; above [`SocketLimit`] it is `EINVAL` (libzmq
    /// documents that limit but does not enforce it).
    MaxSockets = ZMQ_MAX_SOCKETS "ZMQ_MAX_SOCKETS": rw<i32> {}
    /// The largest `ZMQ_MAX_SOCKETS` this build accepts.
    SocketLimit = ZMQ_SOCKET_LIMIT "ZMQ_SOCKET_LIMIT": ro<i32> {}
    /// Scheduling priority of the I/O threads.
    ThreadPriority = ZMQ_THREAD_PRIORITY "ZMQ_THREAD_PRIORITY": wo<i32> {}
    /// Scheduling policy of the I/O threads.
    ThreadSchedPolicy = ZMQ_THREAD_SCHED_POLICY "ZMQ_THREAD_SCHED_POLICY": rw<i32> {}
    /// Adds a CPU to the I/O threads' affinity.
    ThreadAffinityCpuAdd = ZMQ_THREAD_AFFINITY_CPU_ADD "ZMQ_THREAD_AFFINITY_CPU_ADD": wo<i32> {}
    /// Removes a CPU from the I/O threads' affinity.
    ThreadAffinityCpuRemove = ZMQ_THREAD_AFFINITY_CPU_REMOVE "ZMQ_THREAD_AFFINITY_CPU_REMOVE": wo<i32> {}
    /// Numeric name prefix of libzmq's threads.
    ThreadNamePrefix = ZMQ_THREAD_NAME_PREFIX "ZMQ_THREAD_NAME_PREFIX": rw<i32> {}
    /// Largest message size accepted, in bytes.
    MaxMsgSz = ZMQ_MAX_MSGSZ "ZMQ_MAX_MSGSZ": rw<i32> {}
    /// `sizeof(zmq_msg_t)` in this libzmq.
    MsgTSize = ZMQ_MSG_T_SIZE "ZMQ_MSG_T_SIZE": ro<i32> {}
    /// IPv6 on new sockets.
    Ipv6 = ZMQ_IPV6 "ZMQ_IPV6": rw<bool> {}
    /// Whether termination waits for lingering messages (true, the default).
    Blocky = ZMQ_BLOCKY "ZMQ_BLOCKY": rw<bool> {}
    /// Whether received messages reference the receive buffer instead of copying.
    ZeroCopyRecv = ZMQ_ZERO_COPY_RECV "ZMQ_ZERO_COPY_RECV": rw<bool> {}
}
