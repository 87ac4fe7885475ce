//! [`Multipart`]: the frames of one multipart message.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};

use crate::error::{Error, Result};
use crate::message::Message;
use crate::socket::{Socket, DONTWAIT};

/// The frames of one multipart message, in order: a deque of [`Message`]s.
///
/// Sending it ([`Socket::send_multipart_msg`], or `socket.send(multipart, 0)`)
/// never leaves half a message queued; receiving into it
/// ([`Socket::recv_multipart_msg`]) reuses its frames.
///
/// ```
/// let ctx = zmq::Context::new();
/// let (a, b) = (ctx.socket(zmq::PAIR).unwrap(), ctx.socket(zmq::PAIR).unwrap());
/// a.bind("inproc://multipart-doc").unwrap();
/// b.connect("inproc://multipart-doc").unwrap();
/// let parts: zmq::Multipart = vec!["envelope", "", "body"].into();
/// a.send(parts, 0).unwrap();
/// let got = b.recv_multipart(0).unwrap();
/// assert_eq!(got, vec![b"envelope".to_vec(), vec![], b"body".to_vec()]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Multipart(VecDeque<Message>);

impl Multipart {
    /// An empty multipart message.
    pub fn new() -> Multipart {
        Multipart(VecDeque::new())
    }

    /// Appends a frame.
    pub fn push<T: Into<Message>>(&mut self, frame: T) {
        self.0.push_back(frame.into());
    }

    /// Receives the next multipart message from `socket` into `self`, reusing
    /// the frames it holds (and the deque's storage): no allocation once it
    /// has held a message of as many frames.
    pub(crate) fn recv_from(&mut self, socket: &Socket, flags: i32) -> Result<()> {
        let mut count = 0;
        loop {
            if count == self.0.len() {
                self.0.push_back(Message::new());
            }
            let first = count == 0;
            let flags = if first { flags } else { flags & !DONTWAIT };
            match socket.recv(&mut self.0[count], flags) {
                Ok(()) => {}
                // Later frames arrive with the first; retry an interrupted wait.
                Err(Error::EINTR) if !first => continue,
                Err(e) => {
                    self.0.truncate(count);
                    return Err(e);
                }
            }
            count += 1;
            if !self.0[count - 1].get_more() {
                self.0.truncate(count);
                return Ok(());
            }
        }
    }
}

impl Deref for Multipart {
    type Target = VecDeque<Message>;
    fn deref(&self) -> &VecDeque<Message> {
        &self.0
    }
}

impl DerefMut for Multipart {
    fn deref_mut(&mut self) -> &mut VecDeque<Message> {
        &mut self.0
    }
}

impl<T: Into<Message>> FromIterator<T> for Multipart {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Multipart {
        Multipart(iter.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Message>> From<Vec<T>> for Multipart {
    fn from(frames: Vec<T>) -> Multipart {
        frames.into_iter().collect()
    }
}

impl IntoIterator for Multipart {
    type Item = Message;
    type IntoIter = std::collections::vec_deque::IntoIter<Message>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Multipart {
    type Item = &'a Message;
    type IntoIter = std::collections::vec_deque::Iter<'a, Message>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
