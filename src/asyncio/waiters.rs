//! The tasks waiting on one socket: a list per direction, woken together when
//! `ZMQ_FD` signals, or by direction when another task's operation finds the
//! socket ready for them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Wake, Waker};

/// A waiting task's place in a [`WaitList`] (unique in the process).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ticket(u64);

static NEXT_TICKET: AtomicU64 = AtomicU64::new(0);

struct Entry {
    ticket: Ticket,
    waker: Waker,
    /// Woken and not yet polled again: no need to wake it twice.
    woken: bool,
}

/// The tasks waiting to receive, or to send.
#[derive(Default)]
pub(super) struct WaitList {
    entries: Mutex<Vec<Entry>>,
}

impl WaitList {
    fn entries(&self) -> MutexGuard<'_, Vec<Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a task, to be woken through `waker`.
    pub(super) fn register(&self, waker: &Waker) -> Ticket {
        let ticket = Ticket(NEXT_TICKET.fetch_add(1, Ordering::Relaxed));
        self.entries().push(Entry {
            ticket,
            waker: waker.clone(),
            woken: false,
        });
        ticket
    }

    /// The task is being polled again (with `waker`): wake it next time.
    pub(super) fn rearm(&self, ticket: Ticket, waker: &Waker) {
        if let Some(entry) = self.entries().iter_mut().find(|e| e.ticket == ticket) {
            entry.woken = false;
            if !entry.waker.will_wake(waker) {
                entry.waker = waker.clone();
            }
        }
    }

    /// Wakes every task in the list but `except`. The wakers run after the
    /// list is unlocked, so one that polls its task at once cannot deadlock.
    pub(super) fn wake(&self, except: Option<Ticket>) {
        let mut to_wake = Vec::new();
        for entry in self.entries().iter_mut() {
            if !entry.woken && Some(entry.ticket) != except {
                entry.woken = true;
                to_wake.push(entry.waker.clone());
            }
        }
        to_wake.into_iter().for_each(Waker::wake);
    }

    /// Removes a task.
    pub(super) fn remove(&self, ticket: Ticket) {
        let mut entries = self.entries();
        if let Some(at) = entries.iter().position(|e| e.ticket == ticket) {
            entries.swap_remove(at);
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries().len()
    }
}

/// The two lists of a socket. As a [`Waker`] (the one given to the reactor
/// for `ZMQ_FD`), it wakes every task in both.
#[derive(Default)]
pub(super) struct Waiters {
    pub(super) recv: WaitList,
    pub(super) send: WaitList,
}

impl Waiters {
    /// Wakes every task of both lists but `except`.
    pub(super) fn wake_all(&self, except: Option<Ticket>) {
        self.recv.wake(except);
        self.send.wake(except);
    }
}

impl Wake for Waiters {
    fn wake(self: Arc<Self>) {
        self.wake_all(None);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wake_all(None);
    }
}
