//! The runtime check, and a retry timer for waits that `ZMQ_FD` cannot end
//! alone.
//!
//! On Unix the timer is a safety net for sockets whose `ZMQ_EVENTS` does not
//! say whether *this* message can go (ROUTER with `ROUTER_MANDATORY`, XPUB with
//! `XPUB_NODROP`: `POLLOUT` means "some peer has room"). Elsewhere it is the
//! only source of readiness.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, Sleep};

use crate::{Error, Result};

/// The first delay of a series of retries.
const FIRST: Duration = Duration::from_micros(50);
/// The longest delay: retries back off to it by doubling.
const LONGEST: Duration = Duration::from_millis(2);

/// `Ok` inside a tokio runtime that has a time driver (`EINVAL` otherwise).
/// The I/O driver is checked when `ZMQ_FD` is registered.
pub(super) fn require_runtime() -> Result<()> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(Error::EINVAL);
    }
    // tokio panics when a timer is polled in a runtime without timers: turn
    // that into an error now rather than at the first wait.
    let probe = catch_unwind(AssertUnwindSafe(|| {
        let mut sleep = Box::pin(tokio::task::coop::unconstrained(tokio::time::sleep(
            Duration::from_secs(3600),
        )));
        let mut cx = Context::from_waker(futures_util::task::noop_waker_ref());
        let _ = sleep.as_mut().poll(&mut cx);
    }));
    probe.map_err(|_| Error::EINVAL)
}

/// A timer that is ready after a delay that doubles, from 50 µs to 2 ms, from
/// one wait to the next, and starts again at 50 µs after a pause or once an
/// operation went ([`restart`](RetryTimer::restart)). tokio's timers tick in
/// milliseconds, so each wait lasts 1 to 2 ms in practice.
pub(super) struct RetryTimer {
    state: Mutex<TimerState>,
}

struct TimerState {
    sleep: Option<Pin<Box<Sleep>>>,
    step: u32,
    last_fired: Option<Instant>,
}

impl RetryTimer {
    pub(super) fn new() -> RetryTimer {
        RetryTimer {
            state: Mutex::new(TimerState {
                sleep: None,
                step: 0,
                last_fired: None,
            }),
        }
    }

    /// The next delay is the first one again (a timer already armed keeps
    /// its delay: a task may be waiting for it).
    pub(super) fn restart(&self) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .step = 0;
    }

    /// Arms the timer if it is not armed; ready (and disarmed) once it fires.
    pub(super) fn poll(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let TimerState {
            sleep,
            step,
            last_fired,
        } = &mut *state;
        let sleep = sleep.get_or_insert_with(|| {
            if last_fired.map_or(true, |at| at.elapsed() > 2 * LONGEST) {
                *step = 0;
            }
            let delay = FIRST.saturating_mul(1 << (*step).min(8)).min(LONGEST);
            Box::pin(tokio::time::sleep(delay))
        });
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        state.sleep = None;
        state.step = state.step.saturating_add(1);
        state.last_fired = Some(Instant::now());
        Poll::Ready(())
    }
}

/// Readiness where `ZMQ_FD` cannot be registered: the retry timer.
#[cfg(not(unix))]
pub(super) struct Readiness(RetryTimer);

#[cfg(not(unix))]
impl Readiness {
    pub(super) fn new(socket: &crate::Socket) -> Result<Readiness> {
        require_runtime()?;
        // As on Unix, refuse a socket libzmq does not know (ENOTSOCK).
        socket.get_fd()?;
        Ok(Readiness(RetryTimer::new()))
    }

    pub(super) fn poll(&self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.0.poll(cx).map(Ok)
    }

    pub(super) fn restart(&self) {
        self.0.restart();
    }
}
