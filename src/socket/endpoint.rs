//! Endpoints: bind, connect, unbind, disconnect, and binds that say where.

use std::ops::{Bound, RangeBounds};

use super::{Socket, MAX_VALUE_LEN};
use crate::error::{Error, OpError, Result};
use crate::ffi::{self, EndpointCall};

/// An endpoint a socket is bound to, as libzmq resolved it (a wildcard port
/// replaced by the port it picked).
///
/// ```
/// let ctx = zmq::Context::new();
/// let socket = ctx.socket(zmq::PULL).unwrap();
/// let bound = socket.bind_to("tcp://127.0.0.1:*").unwrap();
/// assert!(bound.as_str().starts_with("tcp://127.0.0.1:"));
/// assert!(bound.port().unwrap() > 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint(String);

impl Endpoint {
    /// The endpoint, e.g. `tcp://127.0.0.1:45123`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The TCP (or ws, udp, ...) port, when the endpoint ends in one.
    pub fn port(&self) -> Option<u16> {
        self.0.rsplit_once(':')?.1.parse().ok()
    }

    /// The endpoint as a `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Endpoint {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Endpoint {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Endpoint {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Socket {
    fn endpoint(&self, call: EndpointCall, endpoint: &str) -> Result<()> {
        // Longer than any option value: ZMQ_LAST_ENDPOINT could not be read.
        if endpoint.len() >= MAX_VALUE_LEN {
            return Err(Error::EINVAL);
        }
        Ok(self.raw.endpoint_call(call, &ffi::c_string(endpoint)?)?)
    }

    fn endpoint_checked(
        &self,
        call: EndpointCall,
        endpoint: &str,
    ) -> std::result::Result<(), OpError> {
        self.endpoint(call, endpoint)
            .map_err(|e| OpError::new(call.name(), e).with_target(endpoint))
    }

    /// Accepts connections on `endpoint` (`zmq_bind`), e.g. `tcp://127.0.0.1:*`,
    /// `ipc:///tmp/x`, `inproc://name`. A NUL byte in it, or 64 KiB or more of
    /// it, gives `EINVAL`.
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Bind, endpoint)
    }

    /// Stops accepting connections on `endpoint` (`zmq_unbind`).
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Unbind, endpoint)
    }

    /// Connects to `endpoint` (`zmq_connect`).
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Connect, endpoint)
    }

    /// Disconnects from `endpoint` (`zmq_disconnect`).
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.endpoint(EndpointCall::Disconnect, endpoint)
    }

    /// Binds to `endpoint` and returns where it is bound: with a wildcard
    /// (`tcp://127.0.0.1:*`, `ipc://*`) the endpoint libzmq picked. The error
    /// names the call and the endpoint.
    pub fn bind_to(&self, endpoint: &str) -> std::result::Result<Endpoint, OpError> {
        self.endpoint_checked(EndpointCall::Bind, endpoint)?;
        self.last_endpoint()
            .map_err(|e| OpError::new("ZMQ_LAST_ENDPOINT", e).with_target(endpoint))
    }

    /// Connects to `endpoint`; the error names the call and the endpoint.
    pub fn connect_to(&self, endpoint: &str) -> std::result::Result<(), OpError> {
        self.endpoint_checked(EndpointCall::Connect, endpoint)
    }

    /// Binds to `address` (`tcp://127.0.0.1`, say) on a port picked at random
    /// in `ports`, trying at most 100 ports that are taken; returns the
    /// endpoint. `ports` without a start begins at 49152, the first dynamic
    /// port.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let socket = ctx.socket(zmq::REP).unwrap();
    /// let bound = socket.bind_to_random_port("tcp://127.0.0.1", 40000..41000).unwrap();
    /// assert!((40000..41000).contains(&bound.port().unwrap()));
    /// ```
    pub fn bind_to_random_port(
        &self,
        address: &str,
        ports: impl RangeBounds<u16>,
    ) -> std::result::Result<Endpoint, OpError> {
        let first = match ports.start_bound() {
            Bound::Included(&p) => u32::from(p),
            Bound::Excluded(&p) => u32::from(p) + 1,
            Bound::Unbounded => 49152,
        };
        let last = match ports.end_bound() {
            Bound::Included(&p) => u32::from(p),
            Bound::Excluded(&p) => u32::from(p).saturating_sub(1),
            Bound::Unbounded => u32::from(u16::MAX),
        };
        if first > last || first == 0 {
            return Err(OpError::new("zmq_bind", Error::EINVAL).with_target(address));
        }
        let mut random = Random::seeded();
        let mut last_error = Error::EADDRINUSE;
        for _ in 0..100 {
            let port = first + random.next() % (last - first + 1);
            match self.bind_to(&format!("{address}:{port}")) {
                Ok(bound) => return Ok(bound),
                Err(e) if e.error == Error::EADDRINUSE || e.error == Error::EACCES => {
                    last_error = e.error;
                }
                Err(e) => return Err(e),
            }
        }
        Err(OpError::new("zmq_bind", last_error).with_target(address))
    }

    /// `ZMQ_LAST_ENDPOINT`.
    fn last_endpoint(&self) -> Result<Endpoint> {
        let mut text = self.get_option_bytes(zmq_sys::ZMQ_LAST_ENDPOINT as std::ffi::c_int)?;
        text.truncate(text.iter().position(|&b| b == 0).unwrap_or(text.len()));
        String::from_utf8(text)
            .map(Endpoint)
            .map_err(|_| Error::EINVAL)
    }

    /// Like [`Socket::bind`], with an error that names the call and endpoint.
    #[deprecated(
        since = "0.10.1",
        note = "Use `bind_to`, which also says where it bound"
    )]
    pub fn try_bind(&self, endpoint: &str) -> std::result::Result<(), OpError> {
        self.endpoint_checked(EndpointCall::Bind, endpoint)
    }

    /// Like [`Socket::connect`], with an error that names the call and endpoint.
    #[deprecated(since = "0.10.1", note = "Use `connect_to`")]
    pub fn try_connect(&self, endpoint: &str) -> std::result::Result<(), OpError> {
        self.connect_to(endpoint)
    }
}

/// An inproc endpoint no other in this process has: `inproc://zmq-rs-NAME-PID-N`.
pub(crate) fn unique_inproc(name: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "inproc://zmq-rs-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A small xorshift generator, seeded from the clock and the process: enough
/// to spread port picks, not for anything secret.
struct Random(u32);

impl Random {
    fn seeded() -> Random {
        use std::sync::atomic::{AtomicU32, Ordering};
        static CALLS: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let seed =
            nanos ^ std::process::id().rotate_left(16) ^ CALLS.fetch_add(1, Ordering::Relaxed);
        Random(seed | 1)
    }

    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}
