//! Receiving: frames, whole multipart messages, without blocking.

use super::send::would_block;
use super::{Flags, Socket, DONTWAIT};
use crate::error::{Error, Result};
use crate::message::{Message, Multipart};

impl Socket {
    /// Receives a frame into `msg`, replacing its content (`zmq_msg_recv`).
    #[doc(alias = "zmq_msg_recv")]
    #[cfg_attr(zmq_inline, inline(always))]
    pub fn recv(&self, msg: &mut Message, flags: i32) -> Result<()> {
        self.raw.recv_msg(msg.raw_mut(), flags)?;
        Ok(())
    }

    /// Receives without blocking: `Ok(Some(bytes))`, or `Ok(None)` when no frame
    /// is waiting.
    pub fn try_recv(&self, msg: &mut Message, flags: impl Into<Flags>) -> Result<Option<usize>> {
        let flags = flags.into().bits();
        would_block(
            self.raw
                .recv_msg(msg.raw_mut(), flags | DONTWAIT)
                .map_err(Error::from),
        )
    }

    /// Receives a frame into `bytes` (`zmq_recv`); returns the frame's full
    /// size, which is larger than `bytes.len()` when it was cut off.
    #[doc(alias = "zmq_recv")]
    pub fn recv_into(&self, bytes: &mut [u8], flags: i32) -> Result<usize> {
        Ok(self.raw.recv_into(bytes, flags)?)
    }

    /// Receives a frame as a new [`Message`].
    pub fn recv_msg(&self, flags: i32) -> Result<Message> {
        let mut msg = Message::new();
        self.recv(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives a frame as bytes.
    pub fn recv_bytes(&self, flags: i32) -> Result<Vec<u8>> {
        self.recv_msg(flags).map(|msg| msg.to_vec())
    }

    /// Receives a frame as a string: `Ok(Err(bytes))` when it is not UTF-8.
    pub fn recv_string(&self, flags: i32) -> Result<std::result::Result<String, Vec<u8>>> {
        self.recv_bytes(flags)
            .map(|bytes| String::from_utf8(bytes).map_err(|e| e.into_bytes()))
    }

    /// Receives every frame of a multipart message, as byte vectors.
    pub fn recv_multipart(&self, flags: i32) -> Result<Vec<Vec<u8>>> {
        let mut parts = Multipart::new();
        self.recv_multipart_msg(&mut parts, flags)?;
        Ok(parts.into_iter().map(|m| m.to_vec()).collect())
    }

    /// Receives every frame of a multipart message into `parts`, replacing what
    /// it held and reusing its frames' storage: no allocation once it has held
    /// a message of as many frames. With [`DONTWAIT`], `EAGAIN` comes only
    /// before the first frame: the rest of a message arrives with it.
    pub fn recv_multipart_msg(&self, parts: &mut Multipart, flags: impl Into<Flags>) -> Result<()> {
        let flags = flags.into().bits();
        let mut count = 0;
        loop {
            if count == parts.len() {
                parts.push_back(Message::new());
            }
            let first = count == 0;
            let flags = if first { flags } else { flags & !DONTWAIT };
            let frame = &mut parts[count];
            match self
                .raw
                .recv_msg(frame.raw_mut(), flags)
                .map_err(Error::from)
            {
                Ok(_) => {}
                // Later frames arrive with the first; retry an interrupted wait.
                Err(Error::EINTR) if !first => continue,
                Err(e) => {
                    parts.truncate(count);
                    return Err(e);
                }
            }
            count += 1;
            if !frame.raw_mut().more_exclusive() {
                parts.truncate(count);
                return Ok(());
            }
        }
    }

    /// Receives a multipart message into `parts` without blocking:
    /// `Ok(Some(frames))`, or `Ok(None)` when none is waiting.
    pub fn try_recv_multipart_msg(
        &self,
        parts: &mut Multipart,
        flags: impl Into<Flags>,
    ) -> Result<Option<usize>> {
        let flags = flags.into();
        would_block(self.recv_multipart_msg(parts, flags | Flags::DONTWAIT))
            .map(|r| r.map(|()| parts.len()))
    }

    /// Receives a multipart message without blocking: `Ok(None)` when none waits.
    #[deprecated(
        since = "0.10.1",
        note = "Use `try_recv_multipart_msg`, which takes flags like `try_recv` and reuses frames"
    )]
    pub fn try_recv_multipart(&self) -> Result<Option<Multipart>> {
        let mut parts = Multipart::new();
        Ok(self.try_recv_multipart_msg(&mut parts, 0)?.map(|_| parts))
    }
}
