//! Sending: frames, multipart messages whole or not at all, without blocking.

use super::{Flags, Socket, DONTWAIT, SNDMORE};
use crate::error::{Error, Result};
use crate::message::{Message, Multipart};

/// What [`Socket::send`] accepts: anything that becomes a [`Message`] (bytes,
/// strings, vectors, boxes, messages), and `&mut Message`, which is sent without
/// being consumed, so it can be reused.
pub trait Sendable {
    /// Sends `self` on `socket`.
    fn send(self, socket: &Socket, flags: i32) -> Result<()>;
}

impl<T> Sendable for T
where
    T: Into<Message>,
{
    #[cfg_attr(zmq_inline, inline(always))]
    fn send(self, socket: &Socket, flags: i32) -> Result<()> {
        let mut msg = self.into();
        socket.raw.send_msg(msg.raw_mut(), flags)?;
        // libzmq took the content and left an empty message that holds nothing:
        // closing it would only cost a call.
        std::mem::forget(msg);
        Ok(())
    }
}

impl Sendable for &mut Message {
    /// On success the message is left empty, ready for reuse; on failure it is
    /// left as it was.
    fn send(self, socket: &Socket, flags: i32) -> Result<()> {
        socket.raw.send_msg(self.raw_mut(), flags)?;
        Ok(())
    }
}

impl Sendable for Multipart {
    /// Sends every frame (see [`Socket::send_multipart_msg`]).
    fn send(mut self, socket: &Socket, flags: i32) -> Result<()> {
        socket.send_multipart_msg(&mut self, flags)
    }
}

/// `Ok(None)` for `EAGAIN`, the value otherwise.
pub(crate) fn would_block<T>(result: Result<T>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::EAGAIN) => Ok(None),
        Err(e) => Err(e),
    }
}

impl Socket {
    /// Sends a message frame (`zmq_msg_send`). `flags`: [`DONTWAIT`], [`SNDMORE`].
    ///
    /// Vectors and boxes are sent without copying; `&mut Message` is sent without
    /// being consumed.
    #[doc(alias = "zmq_msg_send")]
    #[cfg_attr(zmq_inline, inline(always))]
    pub fn send<T: Sendable>(&self, data: T, flags: i32) -> Result<()> {
        data.send(self, flags)
    }

    /// Sends a message (kept from `zmq` 0.8).
    #[deprecated(since = "0.9.0", note = "Use `send` instead")]
    pub fn send_msg(&self, msg: Message, flags: i32) -> Result<()> {
        self.send(msg, flags)
    }

    /// Sends a string (kept from `zmq` 0.8).
    #[deprecated(since = "0.9.0", note = "Use `send` instead")]
    pub fn send_str(&self, data: &str, flags: i32) -> Result<()> {
        self.send(data, flags)
    }

    /// Sends without blocking: `Ok(Some(bytes))` when sent, `Ok(None)` when it
    /// would block (the message is then left untouched, ready to retry).
    pub fn try_send(&self, msg: &mut Message, flags: impl Into<Flags>) -> Result<Option<usize>> {
        let flags = flags.into().bits();
        would_block(
            self.raw
                .send_msg(msg.raw_mut(), flags | DONTWAIT)
                .map_err(Error::from),
        )
    }

    /// Sends the items as the frames of one multipart message.
    ///
    /// Use [`Socket::send_multipart_msg`] to be sure that a failure never leaves
    /// part of a message queued.
    pub fn send_multipart<I, T>(&self, iter: I, flags: i32) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<Message>,
    {
        let mut parts: Multipart = iter.into_iter().map(Into::into).collect();
        self.send_multipart_msg(&mut parts, flags)
    }

    /// Sends every frame of `parts` as one multipart message, emptying it.
    ///
    /// Whole or nothing: the first frame is sent with `flags` (so with
    /// [`DONTWAIT`] a full queue gives `EAGAIN` and `parts` is left intact);
    /// once it is queued, libzmq accepts the rest of the message regardless of
    /// the high-water mark, and the remaining frames are sent blocking (an
    /// interrupted send is retried), so no half message is left behind unless the
    /// context is terminated meanwhile.
    pub fn send_multipart_msg(&self, parts: &mut Multipart, flags: impl Into<Flags>) -> Result<()> {
        let flags = flags.into().bits();
        let rest_flags = flags & !DONTWAIT;
        let mut first = true;
        while !parts.is_empty() {
            let more = if parts.len() > 1 { SNDMORE } else { 0 };
            let flags = if first { flags } else { rest_flags } | more;
            let Some(msg) = parts.front_mut() else { break };
            loop {
                match self.raw.send_msg(msg.raw_mut(), flags).map_err(Error::from) {
                    Ok(_) => break,
                    Err(Error::EINTR) if !first => continue,
                    Err(e) => return Err(e),
                }
            }
            parts.pop_front();
            first = false;
        }
        Ok(())
    }

    /// Sends a multipart message without blocking: `Ok(Some(()))` when all of
    /// it is queued, `Ok(None)` when its first frame would block (`parts` is
    /// then left intact, ready to retry).
    pub fn try_send_multipart_msg(
        &self,
        parts: &mut Multipart,
        flags: impl Into<Flags>,
    ) -> Result<Option<()>> {
        would_block(self.send_multipart_msg(parts, flags.into() | Flags::DONTWAIT))
    }
}
