//! [`Timers`]: libzmq's timer set (`zmq_timers_*`), for poll loops.

use std::collections::HashMap;
use std::ffi::{c_int, c_void};
use std::ptr::NonNull;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::raw::check;

type Handler = Box<dyn FnMut(i32)>;

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
    ptr: NonNull<c_void>,
    /// Each handler is boxed twice so its address (libzmq's `arg`) is stable.
    handlers: HashMap<i32, Box<Handler>>,
}

/// Calls the handler behind `arg` (a `*mut Handler` owned by `Timers`).
unsafe extern "C" fn trampoline(timer_id: c_int, arg: *mut c_void) {
    // SAFETY: arg is the address of a Handler boxed in `Timers::handlers`,
    // alive while the timer exists; libzmq calls this only from
    // zmq_timers_execute, during which `Timers` is exclusively borrowed.
    let handler = unsafe { &mut *arg.cast::<Handler>() };
    // A panic must not unwind into C: catch it and drop it.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(timer_id)));
}

impl Timers {
    /// An empty timer set (`zmq_timers_new`).
    #[doc(alias = "zmq_timers_new")]
    pub fn new() -> Result<Timers> {
        // SAFETY: zmq_timers_new has no preconditions; NULL on failure.
        let ptr = unsafe { zmq_sys::zmq_timers_new() };
        Ok(Timers {
            ptr: NonNull::new(ptr).ok_or_else(Error::last)?,
            handlers: HashMap::new(),
        })
    }

    /// Adds a repeating timer; returns its id. The handler gets the id.
    #[doc(alias = "zmq_timers_add")]
    pub fn add(&mut self, interval: Duration, handler: impl FnMut(i32) + 'static) -> Result<i32> {
        let mut boxed: Box<Handler> = Box::new(Box::new(handler));
        let arg = (&mut *boxed as *mut Handler).cast::<c_void>();
        let interval = usize::try_from(interval.as_millis()).map_err(|_| Error::EINVAL)?;
        // SAFETY: the timer set is live; arg points into `boxed`, which is kept
        // in `handlers` until the timer is cancelled or the set destroyed.
        let id = check(unsafe {
            zmq_sys::zmq_timers_add(self.ptr.as_ptr(), interval, Some(trampoline), arg)
        })?;
        self.handlers.insert(id, boxed);
        Ok(id)
    }

    /// Cancels a timer.
    #[doc(alias = "zmq_timers_cancel")]
    pub fn cancel(&mut self, id: i32) -> Result<()> {
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_cancel(self.ptr.as_ptr(), id) })?;
        self.handlers.remove(&id);
        Ok(())
    }

    /// Changes a timer's interval.
    #[doc(alias = "zmq_timers_set_interval")]
    pub fn set_interval(&mut self, id: i32, interval: Duration) -> Result<()> {
        let interval = usize::try_from(interval.as_millis()).map_err(|_| Error::EINVAL)?;
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_set_interval(self.ptr.as_ptr(), id, interval) })
            .map(drop)
    }

    /// Restarts a timer's interval from now.
    #[doc(alias = "zmq_timers_reset")]
    pub fn reset(&mut self, id: i32) -> Result<()> {
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_reset(self.ptr.as_ptr(), id) }).map(drop)
    }

    /// How long until the next timer is due (`None`: no timers).
    #[doc(alias = "zmq_timers_timeout")]
    pub fn timeout(&self) -> Option<Duration> {
        // SAFETY: the timer set is live; the call only reads it.
        let ms = unsafe { zmq_sys::zmq_timers_timeout(self.ptr.as_ptr()) };
        u64::try_from(ms).ok().map(Duration::from_millis)
    }

    /// Runs the handlers of every due timer, in the order they are due.
    #[doc(alias = "zmq_timers_execute")]
    pub fn execute(&mut self) -> Result<()> {
        // SAFETY: the timer set is live; handlers run on this thread while
        // `self` is exclusively borrowed, so their boxes stay in place.
        check(unsafe { zmq_sys::zmq_timers_execute(self.ptr.as_ptr()) }).map(drop)
    }
}

impl Drop for Timers {
    fn drop(&mut self) {
        let mut ptr = self.ptr.as_ptr();
        // SAFETY: the timer set is live and destroyed only here, before the
        // handlers it points to are dropped with `self.handlers`.
        let _ = unsafe { zmq_sys::zmq_timers_destroy(&mut ptr) };
    }
}
