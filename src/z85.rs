//! Z85 (ZeroMQ RFC 32) and CURVE key pairs, as in the `zmq` 0.10 API.

use std::ffi::{c_char, CString};
use std::fmt;
use std::string::FromUtf8Error;

use crate::error::Result;
use crate::raw::check;

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
    if data.len() % 4 != 0 {
        return Err(EncodeError::BadLength);
    }
    let mut dest = vec![0u8; data.len() / 4 * 5 + 1];
    // SAFETY: dest holds len*5/4 characters plus the NUL that zmq_z85_encode
    // writes; data is readable for data.len() bytes, a multiple of 4.
    let out = unsafe {
        zmq_sys::zmq_z85_encode(
            dest.as_mut_ptr().cast::<c_char>(),
            data.as_ptr(),
            data.len(),
        )
    };
    if out.is_null() {
        return Err(EncodeError::BadLength);
    }
    dest.pop();
    Ok(String::from_utf8(dest)?)
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
    if data.is_empty() {
        // libzmq refuses an empty string; it is the encoding of no bytes.
        return Ok(Vec::new());
    }
    let mut dest = vec![0u8; data.len() / 5 * 4];
    // SAFETY: dest has room for len*4/5 bytes; text is NUL-terminated and its
    // length is a multiple of 5. libzmq returns NULL for characters outside the
    // alphabet. `text` is dropped by Rust: nothing leaks.
    let out = unsafe { zmq_sys::zmq_z85_decode(dest.as_mut_ptr(), text.as_ptr()) };
    if out.is_null() {
        return Err(DecodeError::BadCharacter);
    }
    Ok(dest)
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
        let mut public = [0u8; 41];
        let mut secret = [0u8; 41];
        // SAFETY: both buffers hold 40 Z85 characters plus a NUL, as required.
        check(unsafe {
            zmq_sys::zmq_curve_keypair(
                public.as_mut_ptr().cast::<c_char>(),
                secret.as_mut_ptr().cast::<c_char>(),
            )
        })?;
        let pair = CurveKeyPair {
            public_key: decode_key(&public[..40]),
            secret_key: decode_key(&secret[..40]),
        };
        secret.fill(0);
        Ok(pair)
    }

    /// The pair for a secret key: derives the public key (`zmq_curve_public`).
    #[doc(alias = "zmq_curve_public")]
    pub fn from_secret_key(secret_key: [u8; 32]) -> Result<CurveKeyPair> {
        let mut secret_text = [0u8; 41];
        let mut public_text = [0u8; 41];
        // SAFETY: 32 input bytes and 41 output bytes, as zmq_z85_encode needs.
        unsafe {
            zmq_sys::zmq_z85_encode(
                secret_text.as_mut_ptr().cast::<c_char>(),
                secret_key.as_ptr(),
                32,
            )
        };
        // SAFETY: both buffers hold 40 Z85 characters plus a NUL.
        let rc = check(unsafe {
            zmq_sys::zmq_curve_public(
                public_text.as_mut_ptr().cast::<c_char>(),
                secret_text.as_ptr().cast::<c_char>(),
            )
        });
        secret_text.fill(0);
        rc?;
        Ok(CurveKeyPair {
            public_key: decode_key(&public_text[..40]),
            secret_key,
        })
    }
}

fn decode_key(z85: &[u8]) -> [u8; 32] {
    let mut key = [0u8; 32];
    let mut text = [0u8; 41];
    text[..40].copy_from_slice(z85);
    // SAFETY: text is 40 Z85 characters from libzmq plus a NUL; key has 32 bytes.
    unsafe { zmq_sys::zmq_z85_decode(key.as_mut_ptr(), text.as_ptr().cast::<c_char>()) };
    text.fill(0);
    key
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
        // Volatile writes so the zeroing is not optimised away.
        for byte in self.secret_key.iter_mut() {
            // SAFETY: byte is a valid, aligned, exclusive reference.
            unsafe { std::ptr::write_volatile(byte, 0) };
        }
    }
}
