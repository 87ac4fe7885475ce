//! Errors: the errno-named [`Error`] of the `zmq` 0.10 API, and [`OpError`], which
//! also says which operation failed.

use std::fmt;
use std::sync::Mutex;

use crate::ffi::{self, Errno};

use zmq_sys::errno;

/// The result type of the `zmq` 0.10 API.
pub type Result<T> = std::result::Result<T, Error>;

macro_rules! errors {
    ($($(#[$doc:meta])* $name:ident = $raw:expr $(, alt $alt:expr)?;)*) => {
        /// An error reported by libzmq, named after its errno.
        ///
        /// `Debug` and `Display` print libzmq's message for it (`zmq_strerror`).
        /// Numbers this list does not name become [`Error::Other`], never a panic.
        #[derive(Clone, Copy, Eq, PartialEq, Hash)]
        #[non_exhaustive]
        pub enum Error {
            $($(#[$doc])* $name,)*
            /// An errno value this enum does not name.
            Other(i32),
        }

        impl Error {
            /// The errno value.
            pub fn to_raw(self) -> i32 {
                match self {
                    $(Error::$name => $raw,)*
                    Error::Other(raw) => raw,
                }
            }

            /// The error for an errno value (libzmq's substitute numbers included).
            pub fn from_raw(raw: i32) -> Error {
                $(
                    if raw == $raw $(|| raw == $alt)? {
                        return Error::$name;
                    }
                )*
                Error::Other(raw)
            }
        }
    };
}

errors! {
    /// Permission denied.
    EACCES = errno::EACCES;
    /// Address already in use.
    EADDRINUSE = errno::EADDRINUSE, alt errno::EADDRINUSE_ALT;
    /// Resource temporarily unavailable: the call would block.
    EAGAIN = errno::EAGAIN;
    /// Device or resource busy.
    EBUSY = errno::EBUSY;
    /// Connection refused.
    ECONNREFUSED = errno::ECONNREFUSED, alt errno::ECONNREFUSED_ALT;
    /// Bad address.
    EFAULT = errno::EFAULT;
    /// Interrupted by a signal.
    EINTR = errno::EINTR;
    /// No route to host.
    EHOSTUNREACH = errno::EHOSTUNREACH, alt errno::EHOSTUNREACH_ALT;
    /// Operation now in progress.
    EINPROGRESS = errno::EINPROGRESS, alt errno::EINPROGRESS_ALT;
    /// Invalid argument.
    EINVAL = errno::EINVAL;
    /// Too many open files.
    EMFILE = errno::EMFILE;
    /// Message too long.
    EMSGSIZE = errno::EMSGSIZE, alt errno::EMSGSIZE_ALT;
    /// File name (endpoint) too long.
    ENAMETOOLONG = errno::ENAMETOOLONG;
    /// No such device.
    ENODEV = errno::ENODEV;
    /// No such file or directory (e.g. an unbound inproc endpoint).
    ENOENT = errno::ENOENT;
    /// Out of memory.
    ENOMEM = errno::ENOMEM;
    /// Not connected.
    ENOTCONN = errno::ENOTCONN, alt errno::ENOTCONN_ALT;
    /// Not a socket.
    ENOTSOCK = errno::ENOTSOCK, alt errno::ENOTSOCK_ALT;
    /// Protocol error.
    EPROTO = errno::EPROTO;
    /// Protocol (transport) not supported.
    EPROTONOSUPPORT = errno::EPROTONOSUPPORT, alt errno::EPROTONOSUPPORT_ALT;
    /// Operation not supported.
    ENOTSUP = errno::ENOTSUP, alt errno::ENOTSUP_ALT;
    /// No buffer space available.
    ENOBUFS = errno::ENOBUFS, alt errno::ENOBUFS_ALT;
    /// Network is down.
    ENETDOWN = errno::ENETDOWN, alt errno::ENETDOWN_ALT;
    /// Cannot assign the requested address.
    EADDRNOTAVAIL = errno::EADDRNOTAVAIL, alt errno::EADDRNOTAVAIL_ALT;
    /// Address family not supported.
    EAFNOSUPPORT = errno::EAFNOSUPPORT, alt errno::EAFNOSUPPORT_ALT;
    /// Network is unreachable.
    ENETUNREACH = errno::ENETUNREACH, alt errno::ENETUNREACH_ALT;
    /// Connection aborted.
    ECONNABORTED = errno::ECONNABORTED, alt errno::ECONNABORTED_ALT;
    /// Connection reset by peer.
    ECONNRESET = errno::ECONNRESET, alt errno::ECONNRESET_ALT;
    /// Timed out.
    ETIMEDOUT = errno::ETIMEDOUT, alt errno::ETIMEDOUT_ALT;
    /// Network dropped the connection on reset.
    ENETRESET = errno::ENETRESET, alt errno::ENETRESET_ALT;
    /// The operation is not valid in the socket's current state.
    EFSM = errno::EFSM;
    /// The transport is not compatible with the socket type.
    ENOCOMPATPROTO = errno::ENOCOMPATPROTO;
    /// The context was terminated.
    ETERM = errno::ETERM;
    /// No I/O thread is available.
    EMTHREAD = errno::EMTHREAD;
}

impl Error {
    /// libzmq's message for this error (`zmq_strerror`), as text that never
    /// changes: it is copied once per errno value and kept for the life of the
    /// process. At most [`Error::MESSAGE_CACHE`] distinct numbers are kept; past
    /// that, the message of a number not seen before is `"Unknown error"`
    /// (`Display` and `Debug` always print the exact text).
    ///
    /// ```
    /// let first = zmq::Error::from_raw(1000).message();
    /// let _ = zmq::Error::from_raw(2222).message();
    /// assert_eq!(first, zmq::Error::from_raw(1000).to_string());
    /// ```
    #[doc(alias = "zmq_strerror")]
    pub fn message(self) -> &'static str {
        cached_message(self.to_raw())
    }

    /// How many distinct errno values [`Error::message`] keeps the text of.
    pub const MESSAGE_CACHE: usize = 512;

    /// The error of a failed thread spawn: the OS's errno (usually `EAGAIN`,
    /// out of threads), kept rather than replaced.
    pub(crate) fn from_spawn(error: &std::io::Error) -> Error {
        Error::from_raw(error.raw_os_error().unwrap_or(errno::EAGAIN))
    }
}

impl std::error::Error for Error {}

impl From<Errno> for Error {
    fn from(errno: Errno) -> Error {
        Error::from_raw(errno.0)
    }
}

/// The texts [`Error::message`] handed out, by errno value: leaked on purpose
/// (so they are `'static`), and bounded by [`Error::MESSAGE_CACHE`].
fn cached_message(raw: i32) -> &'static str {
    static CACHE: Mutex<Vec<(i32, &'static str)>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, text)) = cache.iter().find(|(n, _)| *n == raw) {
        return text;
    }
    if cache.len() >= Error::MESSAGE_CACHE {
        return "Unknown error";
    }
    let text: &'static str = Box::leak(ffi::strerror(raw).into_boxed_str());
    cache.push((raw, text));
    text
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Other(raw) => f.write_str(&ffi::strerror(*raw)),
            _ => f.write_str(self.message()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<Error> for std::io::Error {
    fn from(error: Error) -> Self {
        use std::io::ErrorKind;
        let kind = match error {
            Error::ENOENT => ErrorKind::NotFound,
            Error::EACCES => ErrorKind::PermissionDenied,
            Error::ECONNREFUSED => ErrorKind::ConnectionRefused,
            Error::ENOTCONN => ErrorKind::NotConnected,
            Error::EADDRINUSE => ErrorKind::AddrInUse,
            Error::EADDRNOTAVAIL => ErrorKind::AddrNotAvailable,
            Error::EAGAIN => ErrorKind::WouldBlock,
            Error::EINVAL => ErrorKind::InvalidInput,
            Error::EINTR => ErrorKind::Interrupted,
            _ => ErrorKind::Other,
        };
        std::io::Error::new(kind, error)
    }
}

/// An [`Error`] together with the operation that failed and, where there is one,
/// what it was applied to (an endpoint, an option name, ...).
///
/// The methods beyond the `zmq` 0.10 API return it; it converts into [`Error`]
/// (with `?`) and into `std::io::Error`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{op}{}: {error}", target.as_deref().map(|t| format!(" {t}")).unwrap_or_default())]
pub struct OpError {
    /// The operation, named after the libzmq function or the option (`"zmq_bind"`,
    /// `"ZMQ_LINGER"`).
    pub op: &'static str,
    /// What the operation was applied to, if anything (an endpoint, say).
    pub target: Option<String>,
    /// The underlying error.
    #[source]
    pub error: Error,
}

impl OpError {
    pub(crate) fn new(op: &'static str, error: Error) -> OpError {
        OpError {
            op,
            target: None,
            error,
        }
    }

    pub(crate) fn with_target(mut self, target: impl Into<String>) -> OpError {
        self.target = Some(target.into());
        self
    }

    /// The errno-named error.
    pub fn kind(&self) -> Error {
        self.error
    }
}

impl From<OpError> for Error {
    fn from(e: OpError) -> Error {
        e.error
    }
}

impl From<OpError> for std::io::Error {
    fn from(e: OpError) -> Self {
        let kind = std::io::Error::from(e.error).kind();
        std::io::Error::new(kind, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_error_round_trips_through_its_number() {
        for e in [
            Error::EAGAIN,
            Error::EFSM,
            Error::ETERM,
            Error::EINVAL,
            Error::ETIMEDOUT,
        ] {
            assert_eq!(Error::from_raw(e.to_raw()), e);
        }
    }

    #[test]
    fn substitute_numbers_map_to_the_posix_name() {
        assert_eq!(Error::from_raw(errno::ENOTSUP_ALT), Error::ENOTSUP);
    }

    #[test]
    fn unknown_numbers_become_other_not_a_panic() {
        let e = Error::from_raw(987_654);
        assert_eq!(e, Error::Other(987_654));
        assert_eq!(e.to_raw(), 987_654);
        assert!(!e.message().is_empty());
    }
}
