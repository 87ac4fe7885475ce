//! The futures of the four operations. Each holds a [`Waiter`] for as long as
//! it lives, so a cancelled operation leaves nothing registered; each is a
//! plain struct built once, without nested state machines to move around.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use super::engine::{Direction, Shared, Waiter};
use crate::{Error, Message, Multipart, Result, Socket};

/// Sends `parts` whole, or not at all: `Ok(None)`, parts untouched, when the
/// socket cannot take the first frame now.
pub(super) fn try_send_parts(socket: &Socket, parts: &mut Multipart) -> Result<Option<()>> {
    socket.try_send_multipart_msg(parts, 0)
}

/// Receives a whole multipart message, or `Ok(None)` when none waits.
pub(super) fn try_recv_parts(socket: &Socket) -> Result<Option<Multipart>> {
    let mut parts = Multipart::new();
    Ok(socket.try_recv_multipart_msg(&mut parts, 0)?.map(|_| parts))
}

/// What a future polled again after it completed gives (instead of a panic).
const POLLED_AFTER_COMPLETION: Error = Error::EINVAL;

/// The future of a one-frame send (`send` of [`AsyncSocket`] and
/// [`SendHalf`]). Dropped before it completes, it sent nothing.
///
/// [`AsyncSocket`]: super::AsyncSocket
/// [`SendHalf`]: super::SendHalf
#[must_use = "futures do nothing unless polled"]
pub struct SendFuture<'a> {
    waiter: Waiter<&'a Shared>,
    msg: Option<Message>,
}

impl<'a> SendFuture<'a> {
    pub(super) fn new(shared: &'a Shared, msg: Message) -> SendFuture<'a> {
        SendFuture {
            waiter: Waiter::new(shared, Direction::Send),
            msg: Some(msg),
        }
    }
}

impl Future for SendFuture<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let Some(msg) = this.msg.as_mut() else {
            return Poll::Ready(Err(POLLED_AFTER_COMPLETION));
        };
        let sent = ready!(this.waiter.poll(cx, &mut |s: &Socket| {
            s.try_send(msg, 0).map(|sent| sent.map(drop))
        }));
        let msg = this.msg.take();
        if sent.is_ok() {
            // libzmq took the content and left an empty message that holds
            // nothing: closing it would only cost a call.
            std::mem::forget(msg);
        }
        Poll::Ready(sent)
    }
}

/// The future of a multipart send (`send_multipart` of [`AsyncSocket`] and
/// [`SendHalf`]): whole or not at all, also when dropped before it completes.
///
/// [`AsyncSocket`]: super::AsyncSocket
/// [`SendHalf`]: super::SendHalf
#[must_use = "futures do nothing unless polled"]
pub struct SendMultipartFuture<'a> {
    waiter: Waiter<&'a Shared>,
    parts: Option<Multipart>,
}

impl<'a> SendMultipartFuture<'a> {
    pub(super) fn new(shared: &'a Shared, parts: Multipart) -> SendMultipartFuture<'a> {
        SendMultipartFuture {
            waiter: Waiter::new(shared, Direction::Send),
            parts: Some(parts),
        }
    }
}

impl Future for SendMultipartFuture<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let Some(parts) = this.parts.as_mut() else {
            return Poll::Ready(Err(POLLED_AFTER_COMPLETION));
        };
        let sent = ready!(this
            .waiter
            .poll(cx, &mut |s: &Socket| try_send_parts(s, parts)));
        this.parts = None;
        Poll::Ready(sent)
    }
}

/// The future of a one-frame receive (`recv` of [`AsyncSocket`] and
/// [`RecvHalf`]). Dropped before it completes, it took no message.
///
/// [`AsyncSocket`]: super::AsyncSocket
/// [`RecvHalf`]: super::RecvHalf
#[must_use = "futures do nothing unless polled"]
pub struct RecvFuture<'a> {
    waiter: Waiter<&'a Shared>,
    done: bool,
}

impl<'a> RecvFuture<'a> {
    pub(super) fn new(shared: &'a Shared) -> RecvFuture<'a> {
        RecvFuture {
            waiter: Waiter::new(shared, Direction::Recv),
            done: false,
        }
    }
}

impl Future for RecvFuture<'_> {
    type Output = Result<Message>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Message>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(Err(POLLED_AFTER_COMPLETION));
        }
        // Made here, not in `new`: a future that is never polled costs nothing,
        // and a finished one moves its message out once.
        let mut msg = Message::new();
        let received = ready!(this
            .waiter
            .poll(cx, &mut |s: &Socket| s.try_recv(&mut msg, 0)));
        this.done = true;
        Poll::Ready(received.map(|_| msg))
    }
}

/// The future of a multipart receive (`recv_multipart` of [`AsyncSocket`] and
/// [`RecvHalf`]). Dropped before it completes, it took no message.
///
/// [`AsyncSocket`]: super::AsyncSocket
/// [`RecvHalf`]: super::RecvHalf
#[must_use = "futures do nothing unless polled"]
pub struct RecvMultipartFuture<'a> {
    waiter: Waiter<&'a Shared>,
    done: bool,
}

impl<'a> RecvMultipartFuture<'a> {
    pub(super) fn new(shared: &'a Shared) -> RecvMultipartFuture<'a> {
        RecvMultipartFuture {
            waiter: Waiter::new(shared, Direction::Recv),
            done: false,
        }
    }
}

impl Future for RecvMultipartFuture<'_> {
    type Output = Result<Multipart>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Multipart>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(Err(POLLED_AFTER_COMPLETION));
        }
        let received = ready!(this.waiter.poll(cx, &mut try_recv_parts));
        this.done = true;
        Poll::Ready(received)
    }
}

macro_rules! debug_future {
    ($($name:ident),*) => {$(
        impl std::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    )*};
}
debug_future!(
    SendFuture,
    SendMultipartFuture,
    RecvFuture,
    RecvMultipartFuture
);
