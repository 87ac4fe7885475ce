//! How option values travel through `zmq_getsockopt`/`zmq_setsockopt`: one
//! [`Get`] and one [`Set`] implementation per Rust type.

use std::ffi::c_int;

use crate::error::{Error, Result};
use crate::poll::PollEvents;
use crate::socket::{Mechanism, Socket, SocketType};

/// A type an option's value can be read as.
pub trait Get: Sized {
    /// Reads option `id` of `socket`.
    #[doc(hidden)]
    fn get(socket: &Socket, id: c_int) -> Result<Self>;
}

/// A type an option's value can be written from.
pub trait Set: Sized {
    /// The bytes `zmq_setsockopt` gets (`None`: a NULL value).
    #[doc(hidden)]
    fn encode(self) -> Option<Vec<u8>>;

    /// Writes option `id` of `socket`.
    #[doc(hidden)]
    fn set(self, socket: &Socket, id: c_int) -> Result<()> {
        socket.set_raw_option(id, self.encode().as_deref())
    }
}

macro_rules! fixed_size {
    ($($t:ty),*) => {$(
        impl Get for $t {
            fn get(socket: &Socket, id: c_int) -> Result<$t> {
                let mut buf = [0u8; std::mem::size_of::<$t>()];
                let len = socket.get_raw_option(id, &mut buf)?;
                if len != buf.len() {
                    return Err(Error::EINVAL);
                }
                Ok(<$t>::from_ne_bytes(buf))
            }
        }

        impl Set for $t {
            fn encode(self) -> Option<Vec<u8>> {
                Some(self.to_ne_bytes().to_vec())
            }

            fn set(self, socket: &Socket, id: c_int) -> Result<()> {
                socket.set_raw_option(id, Some(&self.to_ne_bytes()))
            }
        }
    )*};
}

fixed_size!(i32, u32, i64, u64);

#[cfg(windows)]
fixed_size!(usize);

impl Get for bool {
    fn get(socket: &Socket, id: c_int) -> Result<bool> {
        i32::get(socket, id).map(|v| v != 0)
    }
}

impl Set for bool {
    fn encode(self) -> Option<Vec<u8>> {
        i32::from(self).encode()
    }

    fn set(self, socket: &Socket, id: c_int) -> Result<()> {
        i32::from(self).set(socket, id)
    }
}

/// Reads a binary or string option of unknown length.
fn get_bytes(socket: &Socket, id: c_int) -> Result<Vec<u8>> {
    socket.get_option_bytes(id)
}

impl Get for Vec<u8> {
    fn get(socket: &Socket, id: c_int) -> Result<Vec<u8>> {
        get_bytes(socket, id)
    }
}

impl Set for &[u8] {
    fn encode(self) -> Option<Vec<u8>> {
        Some(self.to_vec())
    }

    fn set(self, socket: &Socket, id: c_int) -> Result<()> {
        socket.set_raw_option(id, Some(self))
    }
}

/// String options come back NUL-terminated.
fn get_c_string(socket: &Socket, id: c_int) -> Result<Vec<u8>> {
    let mut bytes = get_bytes(socket, id)?;
    if bytes.last() == Some(&0) {
        bytes.pop();
    }
    Ok(bytes)
}

impl Get for String {
    /// Fails with `EINVAL` when the value is not UTF-8.
    fn get(socket: &Socket, id: c_int) -> Result<String> {
        String::from_utf8(get_c_string(socket, id)?).map_err(|_| Error::EINVAL)
    }
}

/// The `zmq` 0.10 form of a string option: the string, or its bytes when they
/// are not UTF-8.
impl Get for std::result::Result<String, Vec<u8>> {
    fn get(socket: &Socket, id: c_int) -> Result<Self> {
        Ok(String::from_utf8(get_c_string(socket, id)?).map_err(|e| e.into_bytes()))
    }
}

impl Set for &str {
    fn encode(self) -> Option<Vec<u8>> {
        self.as_bytes().encode()
    }

    fn set(self, socket: &Socket, id: c_int) -> Result<()> {
        self.as_bytes().set(socket, id)
    }
}

/// `None` resets the option (a NULL value).
impl Set for Option<&str> {
    fn encode(self) -> Option<Vec<u8>> {
        self.and_then(Set::encode)
    }
}

/// A CURVE key in its 32-byte binary form.
impl Get for [u8; 32] {
    fn get(socket: &Socket, id: c_int) -> Result<[u8; 32]> {
        let mut key = [0u8; 32];
        let len = socket.get_raw_option(id, &mut key)?;
        if len != 32 {
            return Err(Error::EINVAL);
        }
        Ok(key)
    }
}

impl Get for SocketType {
    /// Fails with `EINVAL` for a type number this crate does not name.
    fn get(socket: &Socket, id: c_int) -> Result<SocketType> {
        SocketType::from_raw(i32::get(socket, id)?).ok_or(Error::EINVAL)
    }
}

impl Get for Mechanism {
    fn get(socket: &Socket, id: c_int) -> Result<Mechanism> {
        i32::get(socket, id).map(Mechanism::from_raw)
    }
}

impl Get for PollEvents {
    fn get(socket: &Socket, id: c_int) -> Result<PollEvents> {
        i32::get(socket, id).map(|bits| PollEvents::from_bits_truncate(bits as i16))
    }
}
