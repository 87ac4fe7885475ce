//! [`EncodeFrames`] and [`DecodeFrames`]: typed multipart messages, one value
//! per frame, from and into tuples, arrays, slices and vectors.

use ::serde::de::DeserializeOwned;
use ::serde::Serialize;

use super::codec::Codec;
use super::error::SerdeError;
use crate::message::{Message, Multipart};

/// Values that become the frames of one multipart message, one value per frame:
/// tuples (of up to 8 values, each its own type), arrays, slices and vectors.
pub trait EncodeFrames {
    /// The frames, each value encoded with `codec`; the first failure stops it.
    fn encode_frames<C: Codec>(&self, codec: &C) -> Result<Multipart, SerdeError>;
}

/// Values that a multipart message decodes into, one value per frame: tuples
/// and arrays (exactly as many frames as values) and vectors (any number).
pub trait DecodeFrames: Sized {
    /// The values of `frames`, each decoded with `codec`; on failure the error
    /// keeps `frames`.
    fn decode_frames<C: Codec>(frames: Multipart, codec: &C) -> Result<Self, SerdeError>;
}

/// One value as one frame.
pub(super) fn encode_frame<C: Codec, T: Serialize + ?Sized>(
    codec: &C,
    value: &T,
    frame: usize,
) -> Result<Message, SerdeError> {
    match codec.encode(value) {
        Ok(bytes) => Ok(Message::from(bytes)),
        Err(e) => Err(SerdeError::Encode {
            codec: C::NAME,
            frame,
            source: Box::new(e),
        }),
    }
}

/// A frame failed to decode: which one, and why.
type FrameFailure = (usize, Box<dyn std::error::Error + Send + Sync>);

fn decode_frame<C: Codec, T: DeserializeOwned>(
    codec: &C,
    frames: &Multipart,
    frame: usize,
) -> Result<T, FrameFailure> {
    codec
        .decode(&frames[frame])
        .map_err(|e| (frame, Box::new(e) as _))
}

/// The error for a failure of `decode`, with the frames it read.
fn decoded<C: Codec, T>(
    frames: Multipart,
    decode: impl FnOnce(&Multipart) -> Result<T, FrameFailure>,
) -> Result<T, SerdeError> {
    match decode(&frames) {
        Ok(value) => Ok(value),
        Err((frame, source)) => Err(SerdeError::Decode {
            codec: C::NAME,
            frame,
            frames,
            source,
        }),
    }
}

fn encode_all<'a, C: Codec, T: Serialize + 'a>(
    codec: &C,
    values: impl IntoIterator<Item = &'a T>,
) -> Result<Multipart, SerdeError> {
    let mut frames = Multipart::new();
    for (i, value) in values.into_iter().enumerate() {
        frames.push(encode_frame(codec, value, i)?);
    }
    Ok(frames)
}

fn decode_all<C: Codec, T: DeserializeOwned>(
    frames: Multipart,
    codec: &C,
) -> Result<Vec<T>, SerdeError> {
    decoded::<C, _>(frames, |frames| {
        (0..frames.len())
            .map(|i| decode_frame(codec, frames, i))
            .collect()
    })
}

impl<T: Serialize> EncodeFrames for [T] {
    /// An empty slice is no frames: sending it sends nothing.
    fn encode_frames<C: Codec>(&self, codec: &C) -> Result<Multipart, SerdeError> {
        encode_all(codec, self)
    }
}

impl<T: Serialize> EncodeFrames for Vec<T> {
    /// An empty vector is no frames: sending it sends nothing.
    fn encode_frames<C: Codec>(&self, codec: &C) -> Result<Multipart, SerdeError> {
        encode_all(codec, self)
    }
}

impl<T: Serialize, const N: usize> EncodeFrames for [T; N] {
    fn encode_frames<C: Codec>(&self, codec: &C) -> Result<Multipart, SerdeError> {
        encode_all(codec, self)
    }
}

impl<T: DeserializeOwned> DecodeFrames for Vec<T> {
    /// One value per frame, however many frames arrived.
    fn decode_frames<C: Codec>(frames: Multipart, codec: &C) -> Result<Self, SerdeError> {
        decode_all(frames, codec)
    }
}

impl<T: DeserializeOwned, const N: usize> DecodeFrames for [T; N] {
    /// Exactly `N` frames.
    fn decode_frames<C: Codec>(frames: Multipart, codec: &C) -> Result<Self, SerdeError> {
        if frames.len() != N {
            return Err(SerdeError::FrameCount {
                expected: N,
                frames,
            });
        }
        decoded::<C, _>(frames, |frames| {
            let values: Vec<T> = (0..N)
                .map(|i| decode_frame(codec, frames, i))
                .collect::<Result<_, _>>()?;
            // N values always make an array of N: this error cannot happen.
            values
                .try_into()
                .map_err(|_| (0, "another number of values than frames".into()))
        })
    }
}

macro_rules! tuple_frames {
    ($($len:literal => ($($T:ident $i:tt),+);)+) => {$(
        impl<$($T: Serialize),+> EncodeFrames for ($($T,)+) {
            fn encode_frames<C: Codec>(&self, codec: &C) -> Result<Multipart, SerdeError> {
                let mut frames = Multipart::new();
                $(frames.push(encode_frame(codec, &self.$i, $i)?);)+
                Ok(frames)
            }
        }

        impl<$($T: DeserializeOwned),+> DecodeFrames for ($($T,)+) {
            /// Exactly as many frames as the tuple has values.
            fn decode_frames<C: Codec>(frames: Multipart, codec: &C) -> Result<Self, SerdeError> {
                if frames.len() != $len {
                    return Err(SerdeError::FrameCount { expected: $len, frames });
                }
                decoded::<C, _>(frames, |frames| Ok(($(decode_frame::<C, $T>(codec, frames, $i)?,)+)))
            }
        }
    )+};
}

tuple_frames! {
    1 => (A 0);
    2 => (A 0, B 1);
    3 => (A 0, B 1, C2 2);
    4 => (A 0, B 1, C2 2, D 3);
    5 => (A 0, B 1, C2 2, D 3, E 4);
    6 => (A 0, B 1, C2 2, D 3, E 4, F 5);
    7 => (A 0, B 1, C2 2, D 3, E 4, F 5, G 6);
    8 => (A 0, B 1, C2 2, D 3, E 4, F 5, G 6, H 7);
}
