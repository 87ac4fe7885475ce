//! The wait engine: a non-blocking operation retried until it goes, with the
//! rules that keep every task on a socket awake when it should be.
//!
//! libzmq's `ZMQ_FD` is edge-triggered and only says "`ZMQ_EVENTS` may have
//! changed"; any send, receive or `ZMQ_EVENTS` read processes the socket's
//! pending commands and so spends the signal that announced them. Hence:
//! - a task sleeps only after its own operation failed with `EAGAIN` and the
//!   socket's commands were all processed (a failed receive does that itself;
//!   after a failed send, which libzmq throttles, `ZMQ_EVENTS` is read);
//! - it registers in its direction's [`WaitList`] under the socket lock, so
//!   every later operation sees it waiting;
//! - an operation done while others wait re-reads `ZMQ_EVENTS` and wakes the
//!   waiters of each direction it finds ready (their signal may be spent);
//! - `ZMQ_FD` wakes every waiter of both directions.
//!
//! A task never retries only because `ZMQ_EVENTS` says its direction is ready
//! while its own operation just failed (ROUTER with `ROUTER_MANDATORY` and XPUB
//! with `XPUB_NODROP` report `POLLOUT` when *some* peer has room): it retries
//! once, then waits for the signal or a backing-off timer, and does not wake
//! the other waiters of its direction, which would fail alike and wake it in
//! turn.

use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll, Waker};

use super::fd::{Locked, SharedSocket};
use super::timer::RetryTimer;
use super::waiters::{Ticket, WaitList, Waiters};
use crate::{Error, PollEvents, Result, Socket, POLLIN, POLLOUT};

/// The direction of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    Recv,
    Send,
}

impl Direction {
    fn event(self) -> PollEvents {
        match self {
            Direction::Recv => POLLIN,
            Direction::Send => POLLOUT,
        }
    }
}

thread_local! {
    static OPERATIONS: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

/// Whether this operation counts against tokio's task budget: one in
/// `BUDGET_EVERY` of a thread's operations does.
#[inline]
fn budget_tick() -> bool {
    OPERATIONS.with(|n| {
        let next = n.get().wrapping_add(1) % BUDGET_EVERY;
        n.set(next);
        next == 0
    })
}

/// See [`budget_tick`]: a task then yields after at most 128 × 16 operations
/// that never wait, and a forced yield (a reschedule) costs little per
/// operation.
const BUDGET_EVERY: u8 = 16;

/// Tries per poll before yielding to the runtime (a bound, rarely reached: a
/// try either goes, or ends with the task asleep).
const TRIES_PER_POLL: usize = 16;

/// `ZMQ_EVENTS`, read again when a signal interrupts libzmq's look at its
/// command mailbox (`EINTR`): that says nothing about the socket, and every
/// other error is one for all its users (`ETERM`).
fn pending_events(socket: &Socket) -> Result<PollEvents> {
    loop {
        match socket.get_events() {
            Err(Error::EINTR) => continue,
            events => return events,
        }
    }
}

/// The state of an async socket that its operations share. Aligned so that
/// two sockets never share a cache line (each task writes its socket's lock).
#[repr(align(128))]
pub(super) struct Shared {
    socket: SharedSocket,
    waiters: Arc<Waiters>,
    /// Wakes every waiter: given to the reactor for `ZMQ_FD` and to the timer.
    fan_out: Waker,
    retry: RetryTimer,
    /// Tasks registered in `waiters`. Changed under the socket lock when it
    /// grows, so every operation after a registration sees it.
    waiting: AtomicUsize,
}

/// What one try of an operation gave.
enum Attempt<T> {
    Done(Result<T>),
    /// `EAGAIN`; `ready`: yet `ZMQ_EVENTS`, read just after, says the
    /// direction is ready.
    Blocked {
        ready: bool,
    },
    /// `EINTR`: try again.
    Interrupted,
}

impl Shared {
    /// Registers the socket with the current runtime.
    pub(super) fn new(socket: Socket) -> Result<Shared> {
        let waiters = Arc::new(Waiters::default());
        Ok(Shared {
            socket: SharedSocket::new(socket)?,
            fan_out: Waker::from(waiters.clone()),
            waiters,
            retry: RetryTimer::new(),
            waiting: AtomicUsize::new(0),
        })
    }

    /// The socket, locked (never across an await).
    pub(super) fn lock(&self) -> Locked<'_> {
        self.socket.lock()
    }

    /// Gives the socket back.
    pub(super) fn into_socket(self) -> Socket {
        self.socket.into_socket()
    }

    #[inline]
    fn list(&self, direction: Direction) -> &WaitList {
        match direction {
            Direction::Recv => &self.waiters.recv,
            Direction::Send => &self.waiters.send,
        }
    }

    /// One try of `op` under the socket lock. With a `waker`, a task that
    /// finds the socket not ready is registered (`ticket`) before the lock is
    /// released.
    fn attempt<T>(
        &self,
        direction: Direction,
        ticket: &mut Option<Ticket>,
        waker: Option<&Waker>,
        op: &mut impl FnMut(&Socket) -> Result<Option<T>>,
    ) -> Attempt<T> {
        let socket = self.socket.lock();
        if let (Some(ticket), Some(waker)) = (*ticket, waker) {
            self.list(direction).rearm(ticket, waker);
        }
        let result = op(&socket);
        self.settle(socket, direction, ticket, waker, result)
    }

    /// The rules after an operation (`result`), the socket still locked.
    fn settle<T>(
        &self,
        socket: Locked<'_>,
        direction: Direction,
        ticket: &mut Option<Ticket>,
        waker: Option<&Waker>,
        result: Result<Option<T>>,
    ) -> Attempt<T> {
        let blocked = matches!(result, Ok(None));
        if let (true, None, Some(waker)) = (blocked, *ticket, waker) {
            *ticket = Some(self.list(direction).register(waker));
            self.waiting.fetch_add(1, Ordering::Relaxed);
        }
        let others = self
            .waiting
            .load(Ordering::Relaxed)
            .saturating_sub(usize::from(ticket.is_some()));
        let events = (others > 0 || (blocked && direction == Direction::Send))
            .then(|| pending_events(&socket));
        drop(socket);
        let events = match events {
            None => PollEvents::empty(),
            Some(Ok(events)) => events,
            Some(Err(e)) => {
                // The socket is gone for everyone (ETERM): let them see it.
                self.waiters.wake_all(*ticket);
                return match result {
                    Ok(Some(value)) => Attempt::Done(Ok(value)),
                    Ok(None) => Attempt::Done(Err(e)),
                    Err(op_error) => Attempt::Done(Err(op_error)),
                };
            }
        };
        let ready = blocked && events.contains(direction.event());
        if others > 0 {
            for side in [Direction::Recv, Direction::Send] {
                if events.contains(side.event()) && !(ready && side == direction) {
                    self.list(side).wake(*ticket);
                }
            }
        }
        match result {
            Ok(Some(value)) => Attempt::Done(Ok(value)),
            Ok(None) => Attempt::Blocked { ready },
            Err(Error::EINTR) => Attempt::Interrupted,
            Err(e) => {
                if others > 0 {
                    self.waiters.wake_all(*ticket);
                }
                Attempt::Done(Err(e))
            }
        }
    }

    /// The rest of [`Waiter::poll`]: others to tell, or a wait. Out of line,
    /// so that the fast path stays short.
    #[cold]
    #[inline(never)]
    fn poll_slow<T>(
        &self,
        direction: Direction,
        ticket: &mut Option<Ticket>,
        cx: &mut Context<'_>,
        op: &mut impl FnMut(&Socket) -> Result<Option<T>>,
        (socket, result): (Locked<'_>, Result<Option<T>>),
        coop: Option<tokio::task::coop::RestoreOnPending>,
    ) -> Poll<Result<T>> {
        let shared = self;
        let release = |ticket: &mut Option<Ticket>| {
            if let Some(ticket) = ticket.take() {
                shared.release(direction, ticket);
            }
        };
        let mut next = shared.settle(socket, direction, ticket, Some(cx.waker()), result);
        let mut retried = false;
        for tries in 1.. {
            match next {
                Attempt::Done(result) => {
                    if result.is_ok() && ticket.is_some() {
                        // After a wait: the next waits start short again.
                        shared.retry.restart();
                        shared.socket.restart_retries();
                    }
                    release(ticket);
                    if let Some(coop) = &coop {
                        coop.made_progress();
                    }
                    return Poll::Ready(result);
                }
                Attempt::Interrupted => {}
                Attempt::Blocked { ready: true } if !retried => retried = true,
                Attempt::Blocked { ready } => {
                    // With `ready`, ZMQ_EVENTS cannot tell: retry on a timer too.
                    let retry_now = ready
                        && shared
                            .retry
                            .poll(&mut Context::from_waker(&shared.fan_out))
                            .is_ready();
                    if !retry_now {
                        match shared
                            .socket
                            .poll_ready(&mut Context::from_waker(&shared.fan_out))
                        {
                            Poll::Ready(Ok(())) => retried = false,
                            Poll::Ready(Err(e)) => {
                                release(ticket);
                                return Poll::Ready(Err(e));
                            }
                            Poll::Pending => return Poll::Pending,
                        }
                    }
                }
            }
            // Only after the last try was looked at: an operation that went on
            // it must be reported, or a message would be sent twice or lost.
            if tries == TRIES_PER_POLL {
                break;
            }
            next = shared.attempt(direction, ticket, Some(cx.waker()), op);
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    fn release(&self, direction: Direction, ticket: Ticket) {
        self.list(direction).remove(ticket);
        self.waiting.fetch_sub(1, Ordering::Relaxed);
    }

    /// (tasks counted as waiting, receive list, send list), for tests.
    #[cfg(test)]
    pub(super) fn waiter_counts(&self) -> (usize, usize, usize) {
        (
            self.waiting.load(Ordering::SeqCst),
            self.waiters.recv.len(),
            self.waiters.send.len(),
        )
    }
}

/// One task's wait on a socket, for operations in one direction, one at a
/// time. Dropping it (a cancelled future, a dropped stream or sink) removes
/// the task from the waiters.
pub(super) struct Waiter<S: Deref<Target = Shared>> {
    shared: S,
    direction: Direction,
    ticket: Option<Ticket>,
}

impl<S: Deref<Target = Shared>> Waiter<S> {
    pub(super) fn new(shared: S, direction: Direction) -> Waiter<S> {
        Waiter {
            shared,
            direction,
            ticket: None,
        }
    }

    /// The socket's shared state.
    pub(super) fn shared(&self) -> &S {
        &self.shared
    }

    /// Polls `op` (non-blocking, `Ok(None)` for "would block") to completion.
    /// Cancellation-safe when `op` is: between polls nothing is half done.
    pub(super) fn poll<T>(
        &mut self,
        cx: &mut Context<'_>,
        op: &mut impl FnMut(&Socket) -> Result<Option<T>>,
    ) -> Poll<Result<T>> {
        // Take part in tokio's budget, so a socket that is always ready cannot
        // keep its task from yielding.
        let coop = if budget_tick() {
            Some(ready!(tokio::task::coop::poll_proceed(cx)))
        } else {
            None
        };
        let shared = &*self.shared;
        let socket = shared.socket.lock();
        if let Some(ticket) = self.ticket {
            shared.list(self.direction).rearm(ticket, cx.waker());
        }
        match op(&socket) {
            // The fast path: done at once, and nobody to tell.
            Ok(Some(value))
                if self.ticket.is_none() && shared.waiting.load(Ordering::Relaxed) == 0 =>
            {
                drop(socket);
                if let Some(coop) = &coop {
                    coop.made_progress();
                }
                Poll::Ready(Ok(value))
            }
            result => shared.poll_slow(
                self.direction,
                &mut self.ticket,
                cx,
                op,
                (socket, result),
                coop,
            ),
        }
    }

    /// One try of `op`, without waiting: `Ok(None)` when it would block.
    pub(super) fn try_once<T>(
        &mut self,
        op: &mut impl FnMut(&Socket) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        match self
            .shared
            .attempt(self.direction, &mut self.ticket, None, op)
        {
            Attempt::Done(result) => result.map(Some),
            Attempt::Blocked { .. } | Attempt::Interrupted => Ok(None),
        }
    }

    fn release(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.shared.release(self.direction, ticket);
        }
    }
}

impl<S: Deref<Target = Shared>> Drop for Waiter<S> {
    fn drop(&mut self) {
        self.release();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_dropped_waiter_is_no_longer_counted() {
        runtime().block_on(async {
            let ctx = crate::Context::new();
            let pull = ctx.socket(crate::PULL).unwrap();
            pull.bind("inproc://engine-drop").unwrap();
            let shared = Shared::new(pull).unwrap();
            let mut msg = crate::Message::new();
            let mut waiter = Waiter::new(&shared, Direction::Recv);
            let wait = std::future::poll_fn(|cx| {
                waiter.poll(cx, &mut |s: &Socket| s.try_recv(&mut msg, 0))
            });
            assert!(tokio::time::timeout(Duration::from_millis(20), wait)
                .await
                .is_err());
            assert_eq!(shared.waiter_counts(), (1, 1, 0), "waiting until dropped");
            drop(waiter);
            assert_eq!(shared.waiter_counts(), (0, 0, 0));
        });
    }

    #[test]
    fn an_operation_that_goes_on_the_last_try_of_a_poll_is_reported() {
        runtime().block_on(async {
            let ctx = crate::Context::new();
            let shared = Shared::new(ctx.socket(crate::PAIR).unwrap()).unwrap();
            let mut waiter = Waiter::new(&shared, Direction::Send);
            // Interrupted on every try of the first poll (the fast path's and
            // TRIES_PER_POLL - 1 more), done on the next: before the fix that
            // next try was made at the end of the first poll, which then said
            // Pending, so the operation ran twice.
            let interrupted = TRIES_PER_POLL;
            let mut calls = 0;
            let mut op = |_: &Socket| {
                calls += 1;
                if calls <= interrupted {
                    Err(Error::EINTR)
                } else {
                    Ok(Some(calls))
                }
            };
            let done = std::future::poll_fn(|cx| waiter.poll(cx, &mut op)).await;
            assert_eq!(
                done,
                Ok(interrupted + 1),
                "the call that went is the one reported"
            );
            assert_eq!(calls, interrupted + 1);
        });
    }
}
