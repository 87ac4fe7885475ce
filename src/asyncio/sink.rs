//! Sending as a `Sink`: [`Outgoing`], and the logic it shares with
//! [`SendHalf`](super::SendHalf).

use std::ops::Deref;
use std::task::{ready, Context, Poll};

use super::engine::{Direction, Shared, Waiter};
use super::ops::try_send_parts;
use crate::{Error, Multipart, Result};

/// A sink of multipart messages that holds at most one the socket could not
/// take at once.
pub(super) struct Sender<S: Deref<Target = Shared>> {
    waiter: Waiter<S>,
    pending: Option<Multipart>,
}

impl<S: Deref<Target = Shared>> Sender<S> {
    pub(super) fn new(shared: S) -> Sender<S> {
        Sender {
            waiter: Waiter::new(shared, Direction::Send),
            pending: None,
        }
    }

    pub(super) fn shared(&self) -> &S {
        self.waiter.shared()
    }

    /// Sends at once when the socket can take the message; otherwise keeps it
    /// for `poll_flush`. With a message already kept (`poll_ready` was not
    /// `Ready`), refuses the new one with `EAGAIN`.
    pub(super) fn start_send(&mut self, mut parts: Multipart) -> Result<()> {
        if self.pending.is_some() {
            return Err(Error::EAGAIN);
        }
        if self
            .waiter
            .try_once(&mut |s| try_send_parts(s, &mut parts))?
            .is_none()
        {
            self.pending = Some(parts);
        }
        Ok(())
    }

    /// Sends the kept message, if any: its error, if it fails (the message is
    /// then dropped, and the sink ready for the next).
    pub(super) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let Some(parts) = self.pending.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let sent = ready!(self.waiter.poll(cx, &mut |s| try_send_parts(s, parts)));
        self.pending = None;
        Poll::Ready(sent)
    }
}

/// Implements `Sink<Multipart>` for a type with a `sender: Sender<_>` field.
macro_rules! sink_through_sender {
    ($type:ty) => {
        impl futures_util::sink::Sink<$crate::Multipart> for $type {
            type Error = $crate::Error;

            fn poll_ready(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<$crate::Result<()>> {
                self.get_mut().sender.poll_flush(cx)
            }

            fn start_send(
                self: std::pin::Pin<&mut Self>,
                parts: $crate::Multipart,
            ) -> $crate::Result<()> {
                self.get_mut().sender.start_send(parts)
            }

            fn poll_flush(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<$crate::Result<()>> {
                self.get_mut().sender.poll_flush(cx)
            }

            fn poll_close(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<$crate::Result<()>> {
                self.get_mut().sender.poll_flush(cx)
            }
        }
    };
}
pub(super) use sink_through_sender;

/// A `Sink` of multipart messages for an [`AsyncSocket`](super::AsyncSocket),
/// from [`outgoing`](super::AsyncSocket::outgoing). It never panics: an error
/// is returned by the call that sends the message it concerns (which is then
/// dropped), and the sink takes the next message after it.
pub struct Outgoing<'a> {
    sender: Sender<&'a Shared>,
}

impl<'a> Outgoing<'a> {
    pub(super) fn new(shared: &'a Shared) -> Outgoing<'a> {
        Outgoing {
            sender: Sender::new(shared),
        }
    }
}

sink_through_sender!(Outgoing<'_>);

impl std::fmt::Debug for Outgoing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("holds_a_message", &self.sender.pending.is_some())
            .finish_non_exhaustive()
    }
}
