//! Options: one declarative table per family — socket options
//! ([`socket`], public as `zmq::sockopt`) and context options ([`context`],
//! public as `zmq::ctxopt`) — and the codecs that carry values through
//! `zmq_getsockopt`/`zmq_setsockopt` ([`codec`]). The tables generate the tag
//! types, the typed `get`/`set` of [`Socket`] and [`Context`](crate::Context),
//! and the `zmq` 0.10 accessors.

pub(crate) mod codec;
pub mod context;
pub mod socket;

use std::ffi::c_int;
use std::time::Duration;

pub(crate) use codec::{Get, Set};
use socket::{MillisOption, ReadableOption, WritableOption};

use crate::error::OpError;
use crate::Socket;

/// Whether an option can be read, written, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read only.
    Read,
    /// Write only.
    Write,
    /// Read and write.
    ReadWrite,
}

impl Access {
    /// Whether the option can be read.
    pub fn readable(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }

    /// Whether the option can be written.
    pub fn writable(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }
}

/// The `Access` of a table row (`rw`, `ro`, `wo`).
macro_rules! access_value {
    (rw) => {
        $crate::options::Access::ReadWrite
    };
    (ro) => {
        $crate::options::Access::Read
    };
    (wo) => {
        $crate::options::Access::Write
    };
}
pub(crate) use access_value;

/// One row of the socket option table, for tools and tests that walk every
/// option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionInfo {
    /// The `ZMQ_*` name.
    pub name: &'static str,
    /// The tag type's name in `zmq::sockopt`.
    pub tag: &'static str,
    /// The `ZMQ_*` number.
    pub id: c_int,
    /// Read, write or both.
    pub access: Access,
    /// The Rust type a read returns.
    pub value: &'static str,
    /// What the option needs beyond a default build: a `zmq::has` capability
    /// (`"gssapi"`, `"vmci"`, `"norm"`, `"WSS"`), or `None`.
    pub requires: Option<&'static str>,
    /// Whether the option belongs to the draft API.
    pub draft: bool,
}

/// Milliseconds for a time option: `None` is -1 ("never", "no limit"); more
/// than `i32::MAX` milliseconds is clamped.
pub(crate) fn duration_to_millis(value: Option<Duration>) -> i32 {
    value.map_or(-1, |d| i32::try_from(d.as_millis()).unwrap_or(i32::MAX))
}

impl Socket {
    /// Reads an option through its tag type (see [`sockopt`](crate::sockopt)).
    #[doc(alias = "zmq_getsockopt")]
    pub fn get<O: ReadableOption>(&self, _option: O) -> std::result::Result<O::Value, OpError> {
        O::Value::get(self, O::ID).map_err(|e| OpError::new(O::NAME, e))
    }

    /// Writes an option through its tag type (see [`sockopt`](crate::sockopt)).
    #[doc(alias = "zmq_setsockopt")]
    pub fn set<'a, O: WritableOption>(
        &self,
        _option: O,
        value: O::Arg<'a>,
    ) -> std::result::Result<(), OpError> {
        value.set(self, O::ID).map_err(|e| OpError::new(O::NAME, e))
    }

    /// Writes a time option as a `Duration` (`None`: -1, "never" or "no
    /// limit"); milliseconds beyond `i32::MAX` are clamped.
    ///
    /// ```
    /// use std::time::Duration;
    /// let ctx = zmq::Context::new();
    /// let s = ctx.socket(zmq::REQ).unwrap();
    /// s.set_duration(zmq::sockopt::RcvTimeo, Some(Duration::from_millis(250))).unwrap();
    /// assert_eq!(s.get_rcvtimeo().unwrap(), 250);
    /// s.set_duration(zmq::sockopt::Linger, None).unwrap();
    /// assert_eq!(s.get_duration(zmq::sockopt::Linger).unwrap(), None);
    /// ```
    pub fn set_duration<O>(
        &self,
        option: O,
        value: Option<Duration>,
    ) -> std::result::Result<(), OpError>
    where
        O: MillisOption + for<'a> WritableOption<Arg<'a> = i32>,
    {
        self.set(option, duration_to_millis(value))
    }

    /// Reads a time option as a `Duration` (`None` for a negative value).
    pub fn get_duration<O>(&self, option: O) -> std::result::Result<Option<Duration>, OpError>
    where
        O: MillisOption + ReadableOption<Value = i32>,
    {
        let millis = self.get(option)?;
        Ok(u64::try_from(millis).ok().map(Duration::from_millis))
    }
}
