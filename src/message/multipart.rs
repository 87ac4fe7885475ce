//! [`Multipart`]: the frames of one multipart message.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};

use super::Message;

/// The frames of one multipart message, in order: a deque of [`Message`]s.
///
/// Sending it ([`Socket::send_multipart_msg`](crate::Socket::send_multipart_msg),
/// or `socket.send(multipart, 0)`)
/// never leaves half a message queued; receiving into it
/// ([`Socket::recv_multipart_msg`](crate::Socket::recv_multipart_msg)) reuses
/// its frames.
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
