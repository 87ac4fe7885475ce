//! Timers: handlers run in the order they are due, and can change timers —
//! their own included — while they run.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

#[test]
fn timers_fire_in_order_of_their_deadlines() {
    let mut timers = zmq::Timers::new().unwrap();
    let fired = Rc::new(RefCell::new(Vec::new()));
    let mut ids = Vec::new();
    for (name, ms) in [("slow", 60u64), ("fast", 10), ("middle", 30)] {
        let fired = fired.clone();
        let once = move |_| {
            if !fired.borrow().contains(&name) {
                fired.borrow_mut().push(name);
            }
        };
        ids.push(timers.add(Duration::from_millis(ms), once).unwrap());
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while fired.borrow().len() < 3 {
        assert!(Instant::now() < deadline);
        std::thread::sleep(timers.timeout().unwrap_or(Duration::from_millis(1)));
        timers.execute().unwrap();
    }
    assert_eq!(*fired.borrow(), ["fast", "middle", "slow"]);
    for id in ids {
        timers.cancel(id).unwrap();
    }
    assert_eq!(timers.timeout(), None);
    assert_eq!(timers.cancel(12345).unwrap_err(), zmq::Error::EINVAL);
}

/// Runs `timers` until `done` or 5 seconds pass.
fn run_until(timers: &mut zmq::Timers, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(timers.timeout().unwrap_or(Duration::from_millis(1)));
        timers.execute().unwrap();
    }
}

#[test]
fn a_handler_can_cancel_its_own_timer() {
    let mut timers = zmq::Timers::new().unwrap();
    let control = timers.control();
    let fired = Rc::new(Cell::new(0));
    let count = fired.clone();
    timers
        .add(Duration::from_millis(1), move |id| {
            count.set(count.get() + 1);
            control.cancel(id);
        })
        .unwrap();
    run_until(&mut timers, || fired.get() > 0);
    assert_eq!(timers.timeout(), None, "the timer is still there");
    std::thread::sleep(Duration::from_millis(5));
    timers.execute().unwrap();
    assert_eq!(fired.get(), 1, "a cancelled timer fired again");
}

#[test]
fn a_handler_can_change_and_cancel_other_timers() {
    let mut timers = zmq::Timers::new().unwrap();
    let control = timers.control();
    let slow_fired = Rc::new(Cell::new(false));
    let flag = slow_fired.clone();
    let slow = timers
        .add(Duration::from_secs(3600), move |_| flag.set(true))
        .unwrap();
    let doomed = timers.add(Duration::from_secs(3600), |_| {}).unwrap();
    let once = Rc::new(Cell::new(false));
    let ran = once.clone();
    timers
        .add(Duration::from_millis(1), move |id| {
            if !ran.replace(true) {
                control.set_interval(slow, Duration::from_millis(1));
                control.reset(slow);
                control.cancel(doomed);
                control.cancel(id);
                // A change to a timer that is gone is ignored.
                control.cancel(987_654);
            }
        })
        .unwrap();
    run_until(&mut timers, || slow_fired.get());
    assert!(once.get());
    assert_eq!(timers.cancel(doomed).unwrap_err(), zmq::Error::EINVAL);
    timers.cancel(slow).unwrap();
    assert_eq!(timers.timeout(), None);
}

#[test]
fn a_panicking_handler_does_not_unwind_into_libzmq() {
    let mut timers = zmq::Timers::new().unwrap();
    let after = Rc::new(Cell::new(false));
    let flag = after.clone();
    timers
        .add(Duration::from_millis(1), |_| panic!("inside a timer"))
        .unwrap();
    timers
        .add(Duration::from_millis(2), move |_| flag.set(true))
        .unwrap();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    run_until(&mut timers, || after.get());
    std::panic::set_hook(hook);
}

#[test]
fn a_timer_shorter_than_a_millisecond_fires_once_per_execute() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut timers = zmq::Timers::new().unwrap();
        let fired = Rc::new(Cell::new(0));
        for interval in [Duration::ZERO, Duration::from_micros(500)] {
            let count = fired.clone();
            timers
                .add(interval, move |_| count.set(count.get() + 1))
                .unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
        // Before the fix, libzmq re-ran a 0 ms timer within this call forever.
        timers.execute().unwrap();
        let _ = tx.send(fired.get());
    });
    let fired = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("execute never returned");
    assert_eq!(fired, 2);
}

#[test]
fn an_interval_beyond_what_libzmq_can_add_is_refused() {
    let mut timers = zmq::Timers::new().unwrap();
    assert_eq!(
        timers.add(Duration::MAX, |_| {}).unwrap_err(),
        zmq::Error::EINVAL
    );
    let id = timers.add(Duration::from_secs(60), |_| {}).unwrap();
    assert_eq!(
        timers
            .set_interval(id, Duration::from_secs(u64::MAX / 2))
            .unwrap_err(),
        zmq::Error::EINVAL
    );
    assert!(timers.timeout().is_some());
}

#[test]
fn a_cancelled_timer_cannot_be_changed() {
    let mut timers = zmq::Timers::new().unwrap();
    let id = timers.add(Duration::from_millis(50), |_| {}).unwrap();
    timers.cancel(id).unwrap();
    // libzmq marks a cancelled timer until its next execute and changed it
    // without an error meanwhile (before the fix: Ok, and nothing happened).
    assert_eq!(
        timers.set_interval(id, Duration::from_millis(5)),
        Err(zmq::Error::EINVAL)
    );
    assert_eq!(timers.reset(id), Err(zmq::Error::EINVAL));
    assert_eq!(timers.cancel(id), Err(zmq::Error::EINVAL));
    let other = timers.add(Duration::from_millis(50), |_| {}).unwrap();
    timers
        .set_interval(other, Duration::from_millis(5))
        .unwrap();
    timers.reset(other).unwrap();
}
