//! Security: Z85 and CURVE keys, CURVE certificates and their stores, a ZAP
//! [`Authenticator`], and one-call setups for CURVE and PLAIN servers and
//! clients.

mod auth;
mod cert;
mod store;
mod z85;

pub use auth::{Authenticator, CurvePolicy, DomainPolicy, IpNet, ANY_DOMAIN, ZAP_ENDPOINT};
pub use cert::{CertError, Certificate};
pub use store::CertStore;
pub use z85::{z85_decode, z85_encode, CurveKeyPair, DecodeError, EncodeError};

use crate::error::{Error, Result};
use crate::Socket;

impl Socket {
    /// Makes this socket a CURVE server with the secret key of `cert`.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let server_cert = zmq::Certificate::generate().unwrap();
    /// let server = ctx.socket(zmq::REP).unwrap();
    /// server.curve_server(&server_cert).unwrap();
    /// server.bind("tcp://127.0.0.1:*").unwrap(); // security applies to tcp and ipc
    /// let endpoint = server.get_last_endpoint().unwrap().unwrap();
    /// let client = ctx.socket(zmq::REQ).unwrap();
    /// client.curve_client(&zmq::Certificate::generate().unwrap(), server_cert.public_key()).unwrap();
    /// client.connect(&endpoint).unwrap();
    /// client.send("secret", 0).unwrap();
    /// assert_eq!(server.recv_bytes(0).unwrap(), b"secret");
    /// ```
    pub fn curve_server(&self, cert: &Certificate) -> Result<()> {
        let secret = cert.secret_key().ok_or(Error::EINVAL)?;
        self.set_curve_server(true)?;
        self.set_curve_secretkey(secret)
    }

    /// Makes this socket a CURVE client with its own `cert` (which must hold a
    /// secret key) that trusts the server key `server_public`.
    pub fn curve_client(&self, cert: &Certificate, server_public: &[u8; 32]) -> Result<()> {
        let secret = cert.secret_key().ok_or(Error::EINVAL)?;
        self.set_curve_serverkey(server_public)?;
        self.set_curve_publickey(cert.public_key())?;
        self.set_curve_secretkey(secret)
    }

    /// Makes this socket a PLAIN server (a ZAP handler decides who gets in).
    pub fn plain_server(&self) -> Result<()> {
        self.set_plain_server(true)
    }

    /// Makes this socket a PLAIN client with these credentials.
    pub fn plain_client(&self, username: &str, password: &str) -> Result<()> {
        self.set_plain_username(Some(username))?;
        self.set_plain_password(Some(password))
    }
}
