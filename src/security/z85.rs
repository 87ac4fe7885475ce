//! Z85 (ZeroMQ RFC 32) and CURVE key pairs, as in the `zmq` 0.10 API.

use std::ffi::CString;
use std::fmt;
use std::string::FromUtf8Error;

use crate::error::Result;
use crate::ffi;

/// Why [`z85_encode`] failed.
#[derive(Debug)]
pub enum EncodeError {
    /// The input length is not a multiple of 4.
    BadLength,
    /// Not produced by this crate (kept for the `zmq` 0.10 API).
    FromUtf8Error(FromUtf8Error),
}

impl From<FromUtf8Error> for EncodeError {
    fn from(err: FromUtf8Error) -> Self {
        EncodeError::FromUtf8Error(err)
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::BadLength => f.write_str("Invalid data length. Should be multiple of 4."),
            EncodeError::FromUtf8Error(e) => write!(f, "UTF8 conversion error: {e}"),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Why [`z85_decode`] failed.
#[derive(Debug)]
pub enum DecodeError {
    /// The input length is not a multiple of 5.
    BadLength,
    /// The input holds a NUL byte.
    NulError(std::ffi::NulError),
    /// The input holds a character outside the Z85 alphabet.
    BadCharacter,
}

impl From<std::ffi::NulError> for DecodeError {
    fn from(err: std::ffi::NulError) -> Self {
        DecodeError::NulError(err)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::BadLength => f.write_str("Invalid data length. Should be multiple of 5."),
            DecodeError::NulError(e) => write!(f, "Nul byte error: {e}"),
            DecodeError::BadCharacter => f.write_str("Invalid character for Z85."),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Encodes bytes (a multiple of 4) as Z85 text (`zmq_z85_encode`).
///
/// ```
/// assert_eq!(zmq::z85_encode(&[0x86, 0x4F, 0xD2, 0x6F]).unwrap(), "Hello");
/// assert!(zmq::z85_encode(&[1, 2, 3]).is_err());
/// ```
#[doc(alias = "zmq_z85_encode")]
pub fn z85_encode(data: &[u8]) -> std::result::Result<String, EncodeError> {
    ffi::z85_encode(data).ok_or(EncodeError::BadLength)
}

/// Decodes Z85 text (a multiple of 5 characters) into bytes (`zmq_z85_decode`).
///
/// ```
/// assert_eq!(zmq::z85_decode("Hello").unwrap(), vec![0x86, 0x4F, 0xD2, 0x6F]);
/// assert!(zmq::z85_decode("Hell").is_err());
/// assert_eq!(zmq::z85_decode("").unwrap(), Vec::<u8>::new());
/// ```
#[doc(alias = "zmq_z85_decode")]
pub fn z85_decode(data: &str) -> std::result::Result<Vec<u8>, DecodeError> {
    if data.len() % 5 != 0 {
        return Err(DecodeError::BadLength);
    }
    let text = CString::new(data)?;
    ffi::z85_decode(&text).ok_or(DecodeError::BadCharacter)
}

/// A 32-byte key from its 40 Z85 characters; `None` for anything else.
pub(crate) fn decode_key(text: &str) -> Option<[u8; 32]> {
    if text.len() != 40 {
        return None;
    }
    z85_decode(text).ok()?.try_into().ok()
}

/// A CURVE key pair, binary (32 bytes each).
///
/// `Debug` does not show the secret key, which is zeroed when the pair drops.
pub struct CurveKeyPair {
    /// The public key.
    pub public_key: [u8; 32],
    /// The secret key.
    pub secret_key: [u8; 32],
}

impl CurveKeyPair {
    /// A new random key pair (`zmq_curve_keypair`); `ENOTSUP` without CURVE.
    #[doc(alias = "zmq_curve_keypair")]
    pub fn new() -> Result<CurveKeyPair> {
        let (public_key, secret_key) = ffi::curve_keypair()?;
        Ok(CurveKeyPair {
            public_key,
            secret_key,
        })
    }

    /// The pair for a secret key: derives the public key (`zmq_curve_public`).
    #[doc(alias = "zmq_curve_public")]
    pub fn from_secret_key(secret_key: [u8; 32]) -> Result<CurveKeyPair> {
        Ok(CurveKeyPair {
            public_key: ffi::curve_public(&secret_key)?,
            secret_key,
        })
    }
}

impl fmt::Debug for CurveKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurveKeyPair")
            .field("public_key", &self.public_key)
            .field("secret_key", &"<hidden>")
            .finish()
    }
}

impl Drop for CurveKeyPair {
    fn drop(&mut self) {
        ffi::zero_secret(&mut self.secret_key);
    }
}
