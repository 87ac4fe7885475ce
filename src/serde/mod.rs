//! Typed messages (feature `serde`): any `Serialize` value as a frame, any
//! `Deserialize` value from one, in JSON ([`Json`]), MessagePack
//! ([`MessagePack`]) or a [`Codec`] of your own; multipart messages one value
//! per frame ([`EncodeFrames`], [`DecodeFrames`]). A frame that cannot be
//! decoded is an error that keeps it ([`SerdeError`]), never a panic.

mod codec;
mod error;
mod frames;
mod socket;

pub use self::codec::{Codec, Json, MessagePack, MessagePackError};
pub use self::error::SerdeError;
pub use self::frames::{DecodeFrames, EncodeFrames};
