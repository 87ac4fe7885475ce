//! The four operations, as futures over a socket's shared state: each makes a
//! [`Waiter`] that lives as long as the future, so a cancelled operation
//! leaves nothing registered.

use std::future::poll_fn;

use super::engine::{Direction, Shared, Waiter};
use crate::{Error, Message, Multipart, Result, Socket, DONTWAIT};

/// Sends `parts` whole, or not at all: `Ok(None)`, parts untouched, when the
/// socket cannot take the first frame now.
pub(super) fn try_send_parts(socket: &Socket, parts: &mut Multipart) -> Result<Option<()>> {
    match socket.send_multipart_msg(parts, DONTWAIT) {
        Ok(()) => Ok(Some(())),
        Err(Error::EAGAIN) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Receives a whole multipart message, or `Ok(None)` when none waits.
pub(super) fn try_recv_parts(socket: &Socket) -> Result<Option<Multipart>> {
    socket.try_recv_multipart()
}

pub(super) async fn send_frame(shared: &Shared, mut msg: Message) -> Result<()> {
    let mut waiter = Waiter::new(shared, Direction::Send);
    poll_fn(|cx| {
        waiter.poll(cx, &mut |s: &Socket| {
            s.try_send(&mut msg, 0).map(|sent| sent.map(drop))
        })
    })
    .await?;
    // libzmq took the content and left an empty message that holds nothing:
    // closing it would only cost a call.
    std::mem::forget(msg);
    Ok(())
}

pub(super) async fn send_parts(shared: &Shared, mut parts: Multipart) -> Result<()> {
    let mut waiter = Waiter::new(shared, Direction::Send);
    poll_fn(|cx| waiter.poll(cx, &mut |s: &Socket| try_send_parts(s, &mut parts))).await
}

pub(super) async fn recv_frame(shared: &Shared) -> Result<Message> {
    let mut msg = Message::new();
    let mut waiter = Waiter::new(shared, Direction::Recv);
    poll_fn(|cx| waiter.poll(cx, &mut |s: &Socket| s.try_recv(&mut msg, 0))).await?;
    Ok(msg)
}

pub(super) async fn recv_parts(shared: &Shared) -> Result<Multipart> {
    let mut waiter = Waiter::new(shared, Direction::Recv);
    poll_fn(|cx| waiter.poll(cx, &mut try_recv_parts)).await
}
