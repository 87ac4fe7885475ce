//! Owned halves of an [`AsyncSocket`]: [`RecvHalf`] (a `Stream`) and
//! [`SendHalf`] (a `Sink`), for separate tasks.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::stream::{FusedStream, Stream};

use super::engine::Shared;
use super::ops::{RecvFuture, RecvMultipartFuture, SendFuture, SendMultipartFuture};
use super::sink::{sink_through_sender, Sender};
use super::stream::Receiver;
use super::AsyncSocket;
use crate::{Message, Multipart, Result, Socket};

pub(super) fn split(shared: Shared) -> (RecvHalf, SendHalf) {
    let shared = Arc::new(shared);
    (
        RecvHalf {
            receiver: Receiver::new(shared.clone()),
        },
        SendHalf {
            sender: Sender::new(shared),
        },
    )
}

/// The receiving half of an [`AsyncSocket`], from
/// [`into_split`](AsyncSocket::into_split): owned, `Send + Sync + 'static`.
///
/// As a `Stream` it yields multipart messages, and after an error (`ETERM`
/// once the context is shut down, say) that error once, then ends. Its own
/// [`recv`](RecvHalf::recv) and [`recv_multipart`](RecvHalf::recv_multipart)
/// work whatever the stream's state.
pub struct RecvHalf {
    receiver: Receiver<Arc<Shared>>,
}

/// The sending half of an [`AsyncSocket`], from
/// [`into_split`](AsyncSocket::into_split): owned, `Send + Sync + 'static`.
///
/// As a `Sink` of multipart messages it never panics: an error is returned by
/// the call that sends the message it concerns (which is then dropped), and
/// the sink takes the next message after it. A message the sink holds because
/// the socket could not take it at once (send, flush or close it to be sure it
/// left) is dropped with the half.
///
/// Its own [`send`](SendHalf::send) sends one frame and takes precedence over
/// `SinkExt::send`: write `SinkExt::send(&mut half, multipart)` for the sink's.
pub struct SendHalf {
    sender: Sender<Arc<Shared>>,
}

/// [`RecvHalf::reunite`] was given halves of two different sockets: here they
/// are back.
pub struct ReuniteError(pub RecvHalf, pub SendHalf);

impl RecvHalf {
    /// Receives one frame.
    pub fn recv(&self) -> RecvFuture<'_> {
        RecvFuture::new(self.receiver.shared())
    }

    /// Receives a whole multipart message.
    pub fn recv_multipart(&self) -> RecvMultipartFuture<'_> {
        RecvMultipartFuture::new(self.receiver.shared())
    }

    /// Runs `f` on the socket (options, subscriptions...), under its lock
    /// (see [`AsyncSocket::with`]).
    pub fn with<T>(&self, f: impl FnOnce(&Socket) -> T) -> T {
        f(&self.receiver.shared().lock())
    }

    /// Joins the halves of one socket again; the halves of two sockets come
    /// back in the error. A message `send` still held is dropped.
    pub fn reunite(self, send: SendHalf) -> std::result::Result<AsyncSocket, ReuniteError> {
        if !Arc::ptr_eq(self.receiver.shared(), send.sender.shared()) {
            return Err(ReuniteError(self, send));
        }
        let shared = Arc::clone(self.receiver.shared());
        drop((self, send));
        // Only the halves held the state, so it is ours now; if not, give
        // halves back rather than fail.
        Arc::try_unwrap(shared)
            .map(AsyncSocket::from_shared)
            .map_err(|shared| {
                ReuniteError(
                    RecvHalf {
                        receiver: Receiver::new(shared.clone()),
                    },
                    SendHalf {
                        sender: Sender::new(shared),
                    },
                )
            })
    }
}

impl SendHalf {
    /// Sends one frame.
    pub fn send<T: Into<Message>>(&self, data: T) -> SendFuture<'_> {
        SendFuture::new(self.sender.shared(), data.into())
    }

    /// Sends a multipart message, whole or not at all.
    pub fn send_multipart<M: Into<Multipart>>(&self, parts: M) -> SendMultipartFuture<'_> {
        SendMultipartFuture::new(self.sender.shared(), parts.into())
    }

    /// Runs `f` on the socket (options...), under its lock (see
    /// [`AsyncSocket::with`]).
    pub fn with<T>(&self, f: impl FnOnce(&Socket) -> T) -> T {
        f(&self.sender.shared().lock())
    }

    /// Joins the halves of one socket again (see [`RecvHalf::reunite`]).
    pub fn reunite(self, recv: RecvHalf) -> std::result::Result<AsyncSocket, ReuniteError> {
        recv.reunite(self)
    }
}

impl Stream for RecvHalf {
    type Item = Result<Multipart>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().receiver.poll_next(cx)
    }
}

impl FusedStream for RecvHalf {
    fn is_terminated(&self) -> bool {
        self.receiver.is_terminated()
    }
}

sink_through_sender!(SendHalf);

impl std::fmt::Debug for RecvHalf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecvHalf").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for SendHalf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendHalf").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ReuniteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReuniteError(..)")
    }
}

impl std::fmt::Display for ReuniteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the halves belong to different sockets")
    }
}

impl std::error::Error for ReuniteError {}
