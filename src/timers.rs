//! [`Timers`]: libzmq's timer set (`zmq_timers_*`), for poll loops.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, c_void};
use std::ptr::NonNull;
use std::rc::Rc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::raw::check;

type Handler = Box<dyn FnMut(i32)>;

/// A handler, boxed so its address (libzmq's `arg`) is stable, and owned
/// through the raw pointer libzmq holds (so no later move of a `Box` can
/// invalidate that pointer).
struct HandlerBox(NonNull<Handler>);

impl HandlerBox {
    fn new(handler: Handler) -> HandlerBox {
        HandlerBox(NonNull::from(Box::leak(Box::new(handler))))
    }

    fn arg(&self) -> *mut c_void {
        self.0.as_ptr().cast()
    }
}

impl Drop for HandlerBox {
    fn drop(&mut self) {
        // SAFETY: the pointer comes from Box::leak in `new` and is freed only
        // here, once; libzmq no longer calls it (its timer is cancelled or the
        // timer set destroyed before the handlers are dropped).
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

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
    ptr: NonNull<c_void>,
    handlers: HashMap<i32, HandlerBox>,
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

    /// Adds a repeating timer; returns its id. The handler gets the id.
    #[doc(alias = "zmq_timers_add")]
    pub fn add(&mut self, interval: Duration, handler: impl FnMut(i32) + 'static) -> Result<i32> {
        let interval = usize::try_from(interval.as_millis()).map_err(|_| Error::EINVAL)?;
        let boxed = HandlerBox::new(Box::new(handler));
        // SAFETY: the timer set is live; arg is the handler's stable address,
        // kept alive in `handlers` until the timer is cancelled or the set
        // destroyed (a failed add drops it here, unused).
        let id = check(unsafe {
            zmq_sys::zmq_timers_add(self.ptr.as_ptr(), interval, Some(trampoline), boxed.arg())
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

    /// Runs the handlers of every due timer, in the order they are due, then
    /// applies the changes they asked for through a [`TimerControl`].
    #[doc(alias = "zmq_timers_execute")]
    pub fn execute(&mut self) -> Result<()> {
        self.apply_pending();
        // SAFETY: the timer set is live; handlers run on this thread while
        // `self` is exclusively borrowed, so their boxes stay in place (changes
        // they ask for wait in `pending` until the call returns).
        let rc = check(unsafe { zmq_sys::zmq_timers_execute(self.ptr.as_ptr()) });
        self.apply_pending();
        rc.map(drop)
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
