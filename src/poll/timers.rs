//! [`Timers`]: libzmq's timer set (`zmq_timers_*`), for poll loops, and
//! [`TimerControl`], which changes timers from inside their handlers.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::ffi::RawTimers;

/// A change to a timer asked for through a [`TimerControl`].
enum Change {
    Cancel(i32),
    SetInterval(i32, Duration),
    Reset(i32),
}

/// A set of timers, run by calling [`Timers::execute`] from your loop; sleep or
/// poll for at most [`Timers::timeout`] between calls.
///
/// ```
/// use std::time::Duration;
/// use std::rc::Rc;
/// use std::cell::Cell;
///
/// let mut timers = zmq::Timers::new().unwrap();
/// let fired = Rc::new(Cell::new(0));
/// let counter = fired.clone();
/// timers.add(Duration::from_millis(1), move |_| counter.set(counter.get() + 1)).unwrap();
/// std::thread::sleep(Duration::from_millis(5));
/// timers.execute().unwrap();
/// assert_eq!(fired.get(), 1);
/// ```
pub struct Timers {
    raw: RawTimers,
    /// Changes asked for through [`TimerControl`]s, applied after handlers run.
    pending: Rc<RefCell<Vec<Change>>>,
}

/// Changes timers from inside a handler (where the [`Timers`] it belongs to is
/// busy running it): cancel a timer — the running one included — change an
/// interval, or restart one. The changes take effect as soon as the running
/// [`Timers::execute`] returns (or at the next one, when asked for outside a
/// handler).
///
/// ```
/// use std::time::Duration;
/// let mut timers = zmq::Timers::new().unwrap();
/// let control = timers.control();
/// // A timer that fires once, then cancels itself.
/// timers.add(Duration::from_millis(1), move |id| control.cancel(id)).unwrap();
/// std::thread::sleep(Duration::from_millis(5));
/// timers.execute().unwrap();
/// assert_eq!(timers.timeout(), None);
/// ```
#[derive(Clone)]
pub struct TimerControl {
    pending: Rc<RefCell<Vec<Change>>>,
}

impl TimerControl {
    /// Cancels timer `id`.
    pub fn cancel(&self, id: i32) {
        self.pending.borrow_mut().push(Change::Cancel(id));
    }

    /// Changes timer `id`'s interval.
    pub fn set_interval(&self, id: i32, interval: Duration) {
        self.pending
            .borrow_mut()
            .push(Change::SetInterval(id, interval));
    }

    /// Restarts timer `id`'s interval from now.
    pub fn reset(&self, id: i32) {
        self.pending.borrow_mut().push(Change::Reset(id));
    }
}

impl Timers {
    /// An empty timer set (`zmq_timers_new`).
    #[doc(alias = "zmq_timers_new")]
    pub fn new() -> Result<Timers> {
        Ok(Timers {
            raw: RawTimers::new()?,
            pending: Rc::default(),
        })
    }

    /// A [`TimerControl`] for this timer set, for handlers to capture.
    pub fn control(&self) -> TimerControl {
        TimerControl {
            pending: self.pending.clone(),
        }
    }

    /// Applies the changes asked for through [`TimerControl`]s. A change to a
    /// timer that no longer exists is ignored.
    fn apply_pending(&mut self) {
        let changes = std::mem::take(&mut *self.pending.borrow_mut());
        for change in changes {
            let _ = match change {
                Change::Cancel(id) => self.cancel(id),
                Change::SetInterval(id, interval) => self.set_interval(id, interval),
                Change::Reset(id) => self.reset(id),
            };
        }
    }

    /// Adds a repeating timer; returns its id. The handler gets the id. An
    /// interval under a millisecond counts as one; one beyond 2^62 ms is
    /// `EINVAL`.
    #[doc(alias = "zmq_timers_add")]
    pub fn add(&mut self, interval: Duration, handler: impl FnMut(i32) + 'static) -> Result<i32> {
        Ok(self
            .raw
            .add(interval_millis(interval)?, Box::new(handler))?)
    }

    /// Cancels a timer.
    #[doc(alias = "zmq_timers_cancel")]
    pub fn cancel(&mut self, id: i32) -> Result<()> {
        Ok(self.raw.cancel(id)?)
    }

    /// Changes a timer's interval.
    #[doc(alias = "zmq_timers_set_interval")]
    pub fn set_interval(&mut self, id: i32, interval: Duration) -> Result<()> {
        Ok(self.raw.set_interval(id, interval_millis(interval)?)?)
    }

    /// Restarts a timer's interval from now.
    #[doc(alias = "zmq_timers_reset")]
    pub fn reset(&mut self, id: i32) -> Result<()> {
        Ok(self.raw.reset(id)?)
    }

    /// How long until the next timer is due (`None`: no timers).
    #[doc(alias = "zmq_timers_timeout")]
    pub fn timeout(&self) -> Option<Duration> {
        u64::try_from(self.raw.timeout())
            .ok()
            .map(Duration::from_millis)
    }

    /// Runs the handlers of every due timer, in the order they are due, then
    /// applies the changes they asked for through a [`TimerControl`].
    #[doc(alias = "zmq_timers_execute")]
    pub fn execute(&mut self) -> Result<()> {
        self.apply_pending();
        let result = self.raw.execute();
        self.apply_pending();
        Ok(result?)
    }
}

/// The longest interval accepted, in milliseconds (about 146 million years):
/// libzmq adds intervals to its clock in 64 bits, and a longer one would wrap.
const MAX_INTERVAL_MS: u128 = 1 << 62;

/// A timer interval in libzmq's milliseconds. Less than a millisecond is one
/// millisecond (libzmq re-runs a timer of 0 ms within the same `execute`,
/// forever); more than [`MAX_INTERVAL_MS`] is `EINVAL`.
fn interval_millis(interval: Duration) -> Result<usize> {
    let millis = interval.as_millis().max(1);
    if millis > MAX_INTERVAL_MS {
        return Err(Error::EINVAL);
    }
    usize::try_from(millis).map_err(|_| Error::EINVAL)
}
