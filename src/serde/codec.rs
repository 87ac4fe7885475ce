//! [`Codec`]: how a value becomes the bytes of one frame and back; the JSON and
//! MessagePack codecs.

use std::fmt;

use ::serde::de::{Deserialize, Deserializer, Visitor};
use ::serde::Serialize;

/// A serialization format for the frames of typed messages: one value per frame.
///
/// [`Json`] and [`MessagePack`] come with the crate; implement it for any other
/// format. A codec is a value, so it can carry settings; `&C` is a codec too.
///
/// ```
/// use serde::{de::Deserialize, Serialize};
///
/// /// JSON, indented for people to read.
/// struct PrettyJson;
///
/// impl zmq::Codec for PrettyJson {
///     type Error = serde_json::Error;
///     const NAME: &'static str = "pretty JSON";
///
///     fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Self::Error> {
///         serde_json::to_vec_pretty(value)
///     }
///
///     fn decode<'de, T: Deserialize<'de>>(&self, bytes: &'de [u8]) -> Result<T, Self::Error> {
///         serde_json::from_slice(bytes)
///     }
/// }
///
/// let ctx = zmq::Context::new();
/// let (a, b) = (ctx.socket(zmq::PAIR).unwrap(), ctx.socket(zmq::PAIR).unwrap());
/// a.bind("inproc://codec-doc").unwrap();
/// b.connect("inproc://codec-doc").unwrap();
/// a.send_serialized(&[1, 2], PrettyJson, 0).unwrap();
/// assert_eq!(b.recv_string(0).unwrap().unwrap(), "[\n  1,\n  2\n]");
/// ```
pub trait Codec {
    /// Why a value could not be encoded or decoded.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The format's name, for error messages.
    const NAME: &'static str;

    /// The bytes of `value`.
    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Self::Error>;

    /// The value in `bytes`, which must hold exactly one value.
    fn decode<'de, T: Deserialize<'de>>(&self, bytes: &'de [u8]) -> Result<T, Self::Error>;
}

impl<C: Codec> Codec for &C {
    type Error = C::Error;
    const NAME: &'static str = C::NAME;

    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Self::Error> {
        (**self).encode(value)
    }

    fn decode<'de, T: Deserialize<'de>>(&self, bytes: &'de [u8]) -> Result<T, Self::Error> {
        (**self).decode(bytes)
    }
}

/// JSON (`serde_json`): UTF-8 text, compact, one value per frame; what pyzmq's
/// `send_json`/`recv_json` send and accept.
///
/// Decoding rejects anything after the value but white space. JSON has no NaN
/// or infinity: `serde_json` encodes them as `null` (so an `f64` sent as NaN
/// does not decode as one), and decoding Python's `NaN` fails; [`MessagePack`]
/// carries them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Json;

impl Codec for Json {
    type Error = serde_json::Error;
    const NAME: &'static str = "JSON";

    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Self::Error> {
        serde_json::to_vec(value)
    }

    fn decode<'de, T: Deserialize<'de>>(&self, bytes: &'de [u8]) -> Result<T, Self::Error> {
        serde_json::from_slice(bytes)
    }
}

/// MessagePack (`rmp-serde`), encoded as Python's `msgpack.packb` expects with
/// its default settings: structs are maps keyed by field name (`to_vec_named`),
/// so `unpackb` gives a `dict`; enums are externally tagged, as in JSON (a unit
/// variant is its name, the others `{name: content}`); `String` is `str`;
/// bytes are `bin` when the field says so (`serde_bytes`), else an array of
/// integers.
///
/// Decoding accepts structs as maps or as arrays (rmp-serde's compact
/// `to_vec`), rejects anything after the value (as `unpackb` does), and
/// arrays and maps nested 128 deep (as `serde_json` does: 127 levels decode).
/// Python's `unpackb` wants map keys that are strings or bytes
/// (`strict_map_key`): a map with integer keys needs `strict_map_key=False` there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MessagePack;

/// Why a value could not be encoded or decoded as MessagePack.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessagePackError {
    /// The value cannot be encoded.
    #[error(transparent)]
    Encode(#[from] rmp_serde::encode::Error),
    /// The bytes are not MessagePack of the expected type.
    #[error(transparent)]
    Decode(#[from] rmp_serde::decode::Error),
    /// A value was decoded, and bytes were left after it.
    #[error("bytes left after the MessagePack value")]
    TrailingBytes,
}

/// The nesting depth MessagePack decoding refuses, as `serde_json` does:
/// with rmp-serde's own (1024), a 100 000-byte frame of nested arrays
/// overflowed a test thread's 2 MiB stack in a debug build.
const MAX_DEPTH: usize = 128;

impl Codec for MessagePack {
    type Error = MessagePackError;
    const NAME: &'static str = "MessagePack";

    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Self::Error> {
        Ok(rmp_serde::to_vec_named(value)?)
    }

    fn decode<'de, T: Deserialize<'de>>(&self, bytes: &'de [u8]) -> Result<T, Self::Error> {
        let mut de = rmp_serde::Deserializer::from_read_ref(bytes);
        de.set_max_depth(MAX_DEPTH);
        let value = T::deserialize(&mut de)?;
        // rmp-serde does not say where the value ended: try to read another,
        // into a type no value fits, which stops at the first marker.
        match Nothing::deserialize(&mut de) {
            Err(rmp_serde::decode::Error::InvalidMarkerRead(e))
                if e.kind() == std::io::ErrorKind::UnexpectedEof =>
            {
                Ok(value)
            }
            _ => Err(MessagePackError::TrailingBytes),
        }
    }
}

/// What no value decodes into: its visitor accepts nothing, so decoding it
/// reads one marker (and a length or a number) and stops, without reading
/// the contents of an array or a map. Its only end-of-input error is a
/// missing marker.
struct Nothing;

impl<'de> Deserialize<'de> for Nothing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Nothing, D::Error> {
        struct Refuse;

        impl Visitor<'_> for Refuse {
            type Value = Nothing;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the end of the frame")
            }
        }

        deserializer.deserialize_any(Refuse)
    }
}
