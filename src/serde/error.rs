//! [`SerdeError`]: why a typed message was not sent or not received.

use crate::error::Error;
use crate::message::Multipart;

/// Why a typed message was not sent or not received.
///
/// A message that arrived and could not be decoded is never lost: the
/// [`Decode`](SerdeError::Decode) and [`FrameCount`](SerdeError::FrameCount)
/// variants keep its frames ([`SerdeError::into_frames`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SerdeError {
    /// libzmq failed to send or receive (`EAGAIN` included).
    #[error(transparent)]
    Zmq(#[from] Error),
    /// A value could not be encoded: nothing was sent.
    #[error("cannot encode frame {frame} as {codec}: {source}")]
    Encode {
        /// The codec's [`NAME`](crate::Codec::NAME).
        codec: &'static str,
        /// Which frame (0 for a single-frame message).
        frame: usize,
        /// The codec's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A frame that was received could not be decoded.
    #[error("cannot decode frame {frame} of {} as {codec}: {source}", frames.len())]
    Decode {
        /// The codec's [`NAME`](crate::Codec::NAME).
        codec: &'static str,
        /// Which frame failed (0 for a single-frame message).
        frame: usize,
        /// Every frame received, as it arrived.
        frames: Multipart,
        /// The codec's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A multipart message arrived with another number of frames than the
    /// type has values.
    #[error("expected a message of {expected} frames, received {}", frames.len())]
    FrameCount {
        /// How many frames the type decodes.
        expected: usize,
        /// Every frame received, as it arrived.
        frames: Multipart,
    },
}

impl SerdeError {
    /// The frames of a message that arrived and could not be decoded.
    pub fn frames(&self) -> Option<&Multipart> {
        match self {
            SerdeError::Decode { frames, .. } | SerdeError::FrameCount { frames, .. } => {
                Some(frames)
            }
            SerdeError::Zmq(_) | SerdeError::Encode { .. } => None,
        }
    }

    /// Takes the frames of a message that arrived and could not be decoded.
    pub fn into_frames(self) -> Option<Multipart> {
        match self {
            SerdeError::Decode { frames, .. } | SerdeError::FrameCount { frames, .. } => {
                Some(frames)
            }
            SerdeError::Zmq(_) | SerdeError::Encode { .. } => None,
        }
    }

    /// The libzmq error, when libzmq failed.
    pub fn zmq_error(&self) -> Option<Error> {
        match self {
            SerdeError::Zmq(e) => Some(*e),
            _ => None,
        }
    }
}
