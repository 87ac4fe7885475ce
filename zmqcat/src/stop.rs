//! When a long-running subcommand stops: a count, an idle time-out, a total
//! duration, or SIGINT/SIGTERM (Ctrl-C), which set a flag its loop checks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Args;

static SIGNALLED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_signal(_signal: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    SIGNALLED.store(true, Ordering::SeqCst);
}

/// Makes SIGINT and SIGTERM set the flag [`signalled`] reads instead of
/// killing the process (Unix; elsewhere Ctrl-C keeps its default action).
pub fn catch_signals() {
    #[cfg(unix)]
    {
        let handler = on_signal as extern "C" fn(libc::c_int);
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: the handler only stores to an atomic, which is
            // async-signal-safe; `signal` has no other preconditions.
            unsafe { libc::signal(signal, handler as libc::sighandler_t) };
        }
    }
}

/// Runs `spawn` with SIGINT and SIGTERM blocked in this thread, so that the
/// threads it starts inherit the block and the signals go to this thread: in a
/// thread waiting inside libzmq (a proxy, a ZAP handler) a signal would make
/// the wait fail with EINTR and end that thread's work.
#[cfg(unix)]
pub fn with_signals_blocked<T>(spawn: impl FnOnce() -> T) -> T {
    // SAFETY: an all-zero sigset_t is valid storage, and sigemptyset and
    // sigaddset initialise it before use.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` and `old` are valid, exclusive sigset_t values; the
    // signal numbers are valid; pthread_sigmask only changes this thread's mask.
    unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
    }
    let result = spawn();
    // SAFETY: `old` holds the mask pthread_sigmask returned above; a signal
    // that came meanwhile is delivered now.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()) };
    result
}

/// Runs `spawn` (no signals are caught here).
#[cfg(not(unix))]
pub fn with_signals_blocked<T>(spawn: impl FnOnce() -> T) -> T {
    spawn()
}

/// Whether SIGINT or SIGTERM arrived.
pub fn signalled() -> bool {
    SIGNALLED.load(Ordering::SeqCst)
}

/// How long polls wait at most, so that a signal is noticed soon.
const TICK: Duration = Duration::from_millis(100);

/// The limits of a long-running subcommand.
#[derive(Args, Debug, Clone, Copy)]
#[command(next_help_heading = "Stopping (also on Ctrl-C or SIGTERM)")]
pub struct LimitArgs {
    /// Stop after this many (monitor: events printed; proxy: messages
    /// forwarded, counting both ways).
    #[arg(short = 'n', long)]
    pub count: Option<u64>,
    /// Stop when nothing happens for this many milliseconds (an error if
    /// --count was not reached).
    #[arg(short, long, value_name = "MS")]
    pub timeout: Option<u64>,
    /// Stop after running this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub duration: Option<u64>,
}

/// Why a loop stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Reason {
    /// --count reached.
    Count,
    /// Nothing for --timeout.
    Idle,
    /// --duration over.
    Duration,
    /// SIGINT or SIGTERM.
    Signal,
}

/// Tracks one run against its limits.
pub struct Limits {
    args: LimitArgs,
    started: Instant,
    last: Instant,
    seen: u64,
}

impl Limits {
    /// Starts the clock.
    pub fn start(args: LimitArgs) -> Limits {
        let now = Instant::now();
        Limits {
            args,
            started: now,
            last: now,
            seen: 0,
        }
    }

    /// Counts one more thing seen (an event, a message).
    pub fn saw_one(&mut self) {
        self.seen += 1;
        self.last = Instant::now();
    }

    /// How many were seen.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Why to stop now, if a limit is reached.
    pub fn reached(&self) -> Option<Reason> {
        let now = Instant::now();
        if signalled() {
            Some(Reason::Signal)
        } else if self.args.count.is_some_and(|n| self.seen >= n) {
            Some(Reason::Count)
        } else if self
            .args
            .duration
            .is_some_and(|ms| now >= self.started + Duration::from_millis(ms))
        {
            Some(Reason::Duration)
        } else if self
            .args
            .timeout
            .is_some_and(|ms| now >= self.last + Duration::from_millis(ms))
        {
            Some(Reason::Idle)
        } else {
            None
        }
    }

    /// How long the next poll may wait: a short tick, less if a limit is near.
    pub fn next_wait(&self) -> Duration {
        let now = Instant::now();
        let mut wait = TICK;
        if let Some(ms) = self.args.duration {
            wait =
                wait.min((self.started + Duration::from_millis(ms)).saturating_duration_since(now));
        }
        if let Some(ms) = self.args.timeout {
            wait = wait.min((self.last + Duration::from_millis(ms)).saturating_duration_since(now));
        }
        wait
    }

    /// The result of a run that stopped for `reason`: an idle time-out before
    /// --count was reached is an error.
    pub fn outcome(&self, reason: &Reason, what: &str) -> Result<(), String> {
        match (reason, self.args.count) {
            (Reason::Idle, Some(n)) => Err(format!("timed out after {} of {n} {what}", self.seen)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(count: Option<u64>, timeout: Option<u64>, duration: Option<u64>) -> Limits {
        Limits::start(LimitArgs {
            count,
            timeout,
            duration,
        })
    }

    #[test]
    fn a_count_is_reached_by_counting() {
        let mut l = limits(Some(2), None, None);
        l.saw_one();
        assert_eq!(l.reached(), None);
        l.saw_one();
        assert_eq!(l.reached(), Some(Reason::Count));
        assert_eq!(l.outcome(&Reason::Count, "events"), Ok(()));
    }

    #[test]
    fn idle_and_duration_limits_bound_the_wait() {
        let l = limits(Some(5), Some(0), None);
        assert_eq!(l.reached(), Some(Reason::Idle));
        assert_eq!(l.next_wait(), Duration::ZERO);
        assert_eq!(
            l.outcome(&Reason::Idle, "events").unwrap_err(),
            "timed out after 0 of 5 events"
        );
        let l = limits(None, None, Some(0));
        assert_eq!(l.reached(), Some(Reason::Duration));
        let l = limits(None, None, None);
        assert_eq!(l.reached(), None);
        assert_eq!(l.next_wait(), TICK);
    }
}
