//! Receiving as a `Stream`: [`Incoming`], and the logic it shares with
//! [`RecvHalf`](super::RecvHalf).

use std::ops::Deref;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_util::stream::{FusedStream, Stream};

use super::engine::{Direction, Shared, Waiter};
use super::ops::try_recv_parts;
use crate::{Multipart, Result};

/// A stream of multipart messages that ends after its first error.
pub(super) struct Receiver<S: Deref<Target = Shared>> {
    waiter: Waiter<S>,
    ended: bool,
}

impl<S: Deref<Target = Shared>> Receiver<S> {
    pub(super) fn new(shared: S) -> Receiver<S> {
        Receiver {
            waiter: Waiter::new(shared, Direction::Recv),
            ended: false,
        }
    }

    pub(super) fn shared(&self) -> &S {
        self.waiter.shared()
    }

    pub(super) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Multipart>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let item = ready!(self.waiter.poll(cx, &mut try_recv_parts));
        self.ended = item.is_err();
        Poll::Ready(Some(item))
    }

    pub(super) fn is_terminated(&self) -> bool {
        self.ended
    }
}

/// The incoming multipart messages of an [`AsyncSocket`](super::AsyncSocket),
/// from [`incoming`](super::AsyncSocket::incoming): yields each message, and
/// after an error (`ETERM` once the context is shut down, say) yields that
/// error once, then ends.
pub struct Incoming<'a> {
    receiver: Receiver<&'a Shared>,
}

impl<'a> Incoming<'a> {
    pub(super) fn new(shared: &'a Shared) -> Incoming<'a> {
        Incoming {
            receiver: Receiver::new(shared),
        }
    }
}

impl Stream for Incoming<'_> {
    type Item = Result<Multipart>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().receiver.poll_next(cx)
    }
}

impl FusedStream for Incoming<'_> {
    fn is_terminated(&self) -> bool {
        self.receiver.is_terminated()
    }
}

impl std::fmt::Debug for Incoming<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming")
            .field("ended", &self.receiver.ended)
            .finish_non_exhaustive()
    }
}
