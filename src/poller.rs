//! [`Poller`]: a reusable poll set of sockets and file descriptors, each with a
//! user token. Runs on `zmq_poll` everywhere, and on libzmq's `zmq_poller_*`
//! (which also polls thread-safe draft sockets) where the draft API exists.

use std::ffi::{c_long, c_short};
use std::marker::PhantomData;
use std::time::Duration;

use zmq_sys::{zmq_pollitem_t, RawFd};

use crate::error::{Error, Result};
use crate::poll::PollEvents;
use crate::raw::check;
use crate::Socket;

/// Which libzmq facility a [`Poller`] waits with. The default is `ZmqPoller`
/// with the draft API, `ZmqPoll` otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PollerBackend {
    /// `zmq_poll` over an array of poll items (every libzmq).
    #[cfg_attr(not(zmq_draft), default)]
    ZmqPoll,
    /// The `zmq_poller_*` object of the draft API (also thread-safe sockets).
    #[cfg(zmq_draft)]
    #[default]
    ZmqPoller,
}

/// What a registration refers to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Socket(*mut std::ffi::c_void),
    Fd(RawFd),
}

struct Slot<T> {
    target: Target,
    token: T,
    /// Index of the slot's item in `items` (zmq_poll backend).
    item: usize,
    /// What keeps a socket registered with [`Poller::add_owned`] open (only
    /// held, to be dropped with the slot).
    _owner: Option<Box<dyn std::any::Any>>,
}

/// A set of sockets and file descriptors to wait on, each registered with a
/// token of yours; [`Poller::wait`] yields the tokens of those that are ready.
///
/// Waiting allocates nothing: the buffers grow when items are added.
///
/// ```
/// use std::time::Duration;
/// use zmq::{Poller, POLLIN};
///
/// let ctx = zmq::Context::new();
/// let (a, b) = (ctx.socket(zmq::PAIR).unwrap(), ctx.socket(zmq::PAIR).unwrap());
/// a.bind("inproc://poller-doc").unwrap();
/// b.connect("inproc://poller-doc").unwrap();
///
/// let mut poller = Poller::new();
/// poller.add(&a, "a", POLLIN).unwrap();
/// poller.add(&b, "b", POLLIN).unwrap();
/// b.send("to a", 0).unwrap();
/// let ready: Vec<_> = poller.wait(Some(Duration::from_secs(1))).unwrap().map(|(t, _)| *t).collect();
/// assert_eq!(ready, ["a"]);
/// ```
pub struct Poller<'s, T> {
    /// Declared (so dropped) before `slots`: libzmq's poller looks at its
    /// sockets when it is destroyed, so it must go before the sockets that
    /// `add_owned` registrations keep open.
    #[cfg(zmq_draft)]
    draft: Option<draft::RawPoller>,
    backend: PollerBackend,
    slots: Vec<Option<Slot<T>>>,
    free: Vec<usize>,
    /// zmq_poll's array, and the slot of each entry.
    items: Vec<zmq_pollitem_t>,
    item_slots: Vec<usize>,
    /// The ready slots and their events, refilled by each wait.
    ready: Vec<(usize, PollEvents)>,
    _borrows: PhantomData<&'s Socket>,
}

impl<'s, T> Default for Poller<'s, T> {
    fn default() -> Self {
        Poller::new()
    }
}

impl<'s, T> Poller<'s, T> {
    /// An empty poller on the default backend (`zmq_poller` with the draft API,
    /// `zmq_poll` otherwise).
    pub fn new() -> Poller<'s, T> {
        Poller::with_backend(PollerBackend::default())
            .unwrap_or_else(|_| Poller::empty(PollerBackend::ZmqPoll))
    }

    fn empty(backend: PollerBackend) -> Poller<'s, T> {
        Poller {
            backend,
            slots: Vec::new(),
            free: Vec::new(),
            items: Vec::new(),
            item_slots: Vec::new(),
            ready: Vec::new(),
            #[cfg(zmq_draft)]
            draft: None,
            _borrows: PhantomData,
        }
    }

    /// An empty poller on a chosen backend.
    pub fn with_backend(backend: PollerBackend) -> Result<Poller<'s, T>> {
        #[allow(unused_mut)]
        let mut poller = Poller::empty(backend);
        #[cfg(zmq_draft)]
        if backend == PollerBackend::ZmqPoller {
            poller.draft = Some(draft::RawPoller::new()?);
        }
        Ok(poller)
    }

    /// The backend this poller waits with.
    pub fn backend(&self) -> PollerBackend {
        self.backend
    }

    /// The number of registered sockets and file descriptors.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Registers `socket` with `token`, waiting for `events`. A socket already
    /// registered gives `EINVAL`. The socket stays borrowed as long as the
    /// poller lives; [`Poller::add_owned`] registers one the poller keeps open
    /// instead, which [`Poller::remove`] lets go of.
    pub fn add(&mut self, socket: &'s Socket, token: T, events: PollEvents) -> Result<()> {
        self.insert(Target::Socket(socket.raw().as_ptr()), token, events, None)
    }

    /// Registers a socket that the poller holds on to (a `Box<Socket>`, or an
    /// `Rc`/`Arc` whose other clones you keep to use the socket) until
    /// [`Poller::remove`] or the poller's drop lets go of it: a long-running
    /// loop can close sockets without rebuilding its poller.
    ///
    /// ```
    /// use std::rc::Rc;
    /// let ctx = zmq::Context::new();
    /// let mut poller = zmq::Poller::new();
    /// let socket = Rc::new(ctx.socket(zmq::PULL).unwrap());
    /// poller.add_owned(socket.clone(), "pull", zmq::POLLIN).unwrap();
    /// poller.remove(&socket).unwrap();
    /// drop(socket); // closed now, while the poller lives on
    /// assert!(poller.is_empty());
    /// ```
    pub fn add_owned<S>(&mut self, socket: S, token: T, events: PollEvents) -> Result<()>
    where
        S: std::ops::Deref<Target = Socket> + 'static,
    {
        let target = Target::Socket(socket.raw().as_ptr());
        self.insert(target, token, events, Some(Box::new(socket)))
    }

    /// Registers a file descriptor (a pipe, a TCP socket, an `AsyncFd`...).
    #[cfg(unix)]
    pub fn add_fd<F: std::os::unix::io::AsRawFd>(
        &mut self,
        fd: &'s F,
        token: T,
        events: PollEvents,
    ) -> Result<()> {
        self.insert(Target::Fd(fd.as_raw_fd()), token, events, None)
    }

    /// Registers a Windows socket.
    #[cfg(windows)]
    pub fn add_fd<F: std::os::windows::io::AsRawSocket>(
        &mut self,
        fd: &'s F,
        token: T,
        events: PollEvents,
    ) -> Result<()> {
        self.insert(Target::Fd(fd.as_raw_socket() as RawFd), token, events, None)
    }

    /// Changes the events a registered socket waits for.
    pub fn modify(&mut self, socket: &Socket, events: PollEvents) -> Result<()> {
        self.change(Target::Socket(socket.raw().as_ptr()), events)
    }

    /// Changes the events a registered file descriptor waits for.
    pub fn modify_fd(&mut self, fd: RawFd, events: PollEvents) -> Result<()> {
        self.change(Target::Fd(fd), events)
    }

    /// Unregisters a socket; returns its token. A socket added with
    /// [`Poller::add_owned`] is let go of.
    pub fn remove(&mut self, socket: &Socket) -> Result<T> {
        self.take(Target::Socket(socket.raw().as_ptr()))
    }

    /// Unregisters a file descriptor; returns its token.
    pub fn remove_fd(&mut self, fd: RawFd) -> Result<T> {
        self.take(Target::Fd(fd))
    }

    fn find(&self, target: Target) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.target == target))
    }

    fn insert(
        &mut self,
        target: Target,
        token: T,
        events: PollEvents,
        owner: Option<Box<dyn std::any::Any>>,
    ) -> Result<()> {
        if self.find(target).is_some() {
            return Err(Error::EINVAL);
        }
        let slot = self.free.pop().unwrap_or(self.slots.len());
        #[cfg(zmq_draft)]
        if let Some(draft) = &self.draft {
            draft.add(target, slot, events)?;
        }
        let item = self.items.len();
        self.items.push(pollitem(target, events));
        self.item_slots.push(slot);
        let entry = Some(Slot {
            target,
            token,
            item,
            _owner: owner,
        });
        if slot == self.slots.len() {
            self.slots.push(entry);
        } else {
            self.slots[slot] = entry;
        }
        self.ready
            .reserve(self.items.len().saturating_sub(self.ready.capacity()));
        #[cfg(zmq_draft)]
        if let Some(draft) = &mut self.draft {
            draft.reserve(self.items.len());
        }
        Ok(())
    }

    fn change(&mut self, target: Target, events: PollEvents) -> Result<()> {
        let slot = self.find(target).ok_or(Error::EINVAL)?;
        #[cfg(zmq_draft)]
        if let Some(draft) = &self.draft {
            draft.modify(target, events)?;
        }
        let item = self.slots[slot].as_ref().map_or(0, |s| s.item);
        self.items[item].events = events.bits() as c_short;
        Ok(())
    }

    fn take(&mut self, target: Target) -> Result<T> {
        let slot = self.find(target).ok_or(Error::EINVAL)?;
        #[cfg(zmq_draft)]
        if let Some(draft) = &self.draft {
            draft.remove(target)?;
        }
        let removed = self.slots[slot].take().ok_or(Error::EINVAL)?;
        self.free.push(slot);
        // Keep `items` dense: move the last item into the hole.
        self.items.swap_remove(removed.item);
        self.item_slots.swap_remove(removed.item);
        if let Some(&moved) = self.item_slots.get(removed.item) {
            if let Some(s) = self.slots[moved].as_mut() {
                s.item = removed.item;
            }
        }
        Ok(removed.token)
    }

    /// Waits until something is ready or `timeout` passes (`None`: forever),
    /// then yields each ready token with its events. A time-out yields nothing.
    pub fn wait(&mut self, timeout: Option<Duration>) -> Result<ReadyEvents<'_, 's, T>> {
        let timeout = timeout.map_or(-1, |d| {
            c_long::try_from(d.as_millis()).unwrap_or(c_long::MAX)
        });
        self.ready.clear();
        if self.items.is_empty() {
            // Nothing can become ready: waiting forever would never return.
            if timeout < 0 {
                return Err(Error::EINVAL);
            }
            std::thread::sleep(Duration::from_millis(timeout as u64));
            return Ok(ReadyEvents {
                poller: self,
                next: 0,
            });
        }
        match self.backend {
            PollerBackend::ZmqPoll => {
                let count = i32::try_from(self.items.len()).map_err(|_| Error::EINVAL)?;
                // SAFETY: items is a dense array of count valid poll items whose
                // sockets are borrowed for 's (so alive) and whose fds the caller
                // registered; libzmq writes only the revents fields.
                let rc = unsafe { zmq_sys::zmq_poll(self.items.as_mut_ptr(), count, timeout) };
                check(rc)?;
                for (item, slot) in self.items.iter().zip(&self.item_slots) {
                    if item.revents != 0 {
                        self.ready
                            .push((*slot, PollEvents::from_bits_truncate(item.revents)));
                    }
                }
            }
            #[cfg(zmq_draft)]
            PollerBackend::ZmqPoller => {
                if let Some(draft) = &mut self.draft {
                    draft.wait(timeout, self.items.len(), &mut self.ready)?;
                }
            }
        }
        Ok(ReadyEvents {
            poller: self,
            next: 0,
        })
    }

    /// Like [`Poller::wait`], with `sigmask` blocked during the wait
    /// (`zmq_ppoll`, draft API; only on the `ZmqPoll` backend).
    #[cfg(all(zmq_draft, unix))]
    #[doc(alias = "zmq_ppoll")]
    pub fn wait_with_sigmask(
        &mut self,
        timeout: Option<Duration>,
        sigmask: &libc::sigset_t,
    ) -> Result<ReadyEvents<'_, 's, T>> {
        if self.backend != PollerBackend::ZmqPoll {
            return Err(Error::ENOTSUP);
        }
        let timeout = timeout.map_or(-1, |d| {
            c_long::try_from(d.as_millis()).unwrap_or(c_long::MAX)
        });
        self.ready.clear();
        let count = i32::try_from(self.items.len()).map_err(|_| Error::EINVAL)?;
        // SAFETY: as in `wait`; sigmask is a valid signal set for the call.
        let rc = unsafe { zmq_sys::zmq_ppoll(self.items.as_mut_ptr(), count, timeout, sigmask) };
        check(rc)?;
        for (item, slot) in self.items.iter().zip(&self.item_slots) {
            if item.revents != 0 {
                self.ready
                    .push((*slot, PollEvents::from_bits_truncate(item.revents)));
            }
        }
        Ok(ReadyEvents {
            poller: self,
            next: 0,
        })
    }
}

fn pollitem(target: Target, events: PollEvents) -> zmq_pollitem_t {
    let (socket, fd) = match target {
        Target::Socket(s) => (s, 0 as RawFd),
        Target::Fd(fd) => (std::ptr::null_mut(), fd),
    };
    zmq_pollitem_t {
        socket,
        fd,
        events: events.bits() as c_short,
        revents: 0,
    }
}

/// The ready registrations of one [`Poller::wait`]: `(token, events)` pairs.
pub struct ReadyEvents<'p, 's, T> {
    poller: &'p Poller<'s, T>,
    next: usize,
}

impl<'p, T> Iterator for ReadyEvents<'p, '_, T> {
    type Item = (&'p T, PollEvents);

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(&(slot, events)) = self.poller.ready.get(self.next) {
            self.next += 1;
            if let Some(Some(s)) = self.poller.slots.get(slot) {
                return Some((&s.token, events));
            }
        }
        None
    }
}

impl<T> ReadyEvents<'_, '_, T> {
    /// The number of ready registrations.
    pub fn count_ready(&self) -> usize {
        self.poller.ready.len()
    }
}

#[cfg(zmq_draft)]
mod draft {
    use std::ffi::{c_long, c_short, c_void};
    use std::ptr::NonNull;

    use super::Target;
    use crate::error::{Error, Result};
    use crate::poll::PollEvents;
    use crate::raw::check;

    /// Owns a `zmq_poller_new` handle and its event buffer.
    pub(super) struct RawPoller {
        ptr: NonNull<c_void>,
        events: Vec<zmq_sys::zmq_poller_event_t>,
    }

    impl RawPoller {
        pub(super) fn new() -> Result<RawPoller> {
            // SAFETY: zmq_poller_new has no preconditions; NULL on failure.
            let ptr = unsafe { zmq_sys::zmq_poller_new() };
            Ok(RawPoller {
                ptr: NonNull::new(ptr).ok_or_else(Error::last)?,
                events: Vec::new(),
            })
        }

        pub(super) fn reserve(&mut self, n: usize) {
            if self.events.len() < n {
                // SAFETY: zmq_poller_event_t is plain C data; all zeroes is valid.
                self.events.resize_with(n, || unsafe { std::mem::zeroed() });
            }
        }

        pub(super) fn add(&self, target: Target, slot: usize, events: PollEvents) -> Result<()> {
            let user = slot as *mut c_void;
            let ev = events.bits() as c_short;
            // SAFETY: the poller is live; the socket is borrowed by the Poller
            // for as long as it is registered; user data is an opaque number.
            let rc = unsafe {
                match target {
                    Target::Socket(s) => zmq_sys::zmq_poller_add(self.ptr.as_ptr(), s, user, ev),
                    Target::Fd(fd) => zmq_sys::zmq_poller_add_fd(self.ptr.as_ptr(), fd, user, ev),
                }
            };
            check(rc).map(drop)
        }

        pub(super) fn modify(&self, target: Target, events: PollEvents) -> Result<()> {
            let ev = events.bits() as c_short;
            // SAFETY: the poller is live and the target registered.
            let rc = unsafe {
                match target {
                    Target::Socket(s) => zmq_sys::zmq_poller_modify(self.ptr.as_ptr(), s, ev),
                    Target::Fd(fd) => zmq_sys::zmq_poller_modify_fd(self.ptr.as_ptr(), fd, ev),
                }
            };
            check(rc).map(drop)
        }

        pub(super) fn remove(&self, target: Target) -> Result<()> {
            // SAFETY: the poller is live and the target registered.
            let rc = unsafe {
                match target {
                    Target::Socket(s) => zmq_sys::zmq_poller_remove(self.ptr.as_ptr(), s),
                    Target::Fd(fd) => zmq_sys::zmq_poller_remove_fd(self.ptr.as_ptr(), fd),
                }
            };
            check(rc).map(drop)
        }

        pub(super) fn wait(
            &mut self,
            timeout: c_long,
            registered: usize,
            ready: &mut Vec<(usize, PollEvents)>,
        ) -> Result<()> {
            let n = registered.min(self.events.len());
            let count = i32::try_from(n).map_err(|_| Error::EINVAL)?;
            // SAFETY: the poller is live; events has room for n entries.
            let rc = unsafe {
                zmq_sys::zmq_poller_wait_all(
                    self.ptr.as_ptr(),
                    self.events.as_mut_ptr(),
                    count,
                    timeout,
                )
            };
            match check(rc) {
                Ok(found) => {
                    for e in &self.events[..found as usize] {
                        ready.push((
                            e.user_data as usize,
                            PollEvents::from_bits_truncate(e.events),
                        ));
                    }
                    Ok(())
                }
                Err(Error::EAGAIN) => Ok(()),
                Err(e) => Err(e),
            }
        }
    }

    impl Drop for RawPoller {
        fn drop(&mut self) {
            let mut ptr = self.ptr.as_ptr();
            // SAFETY: the poller is live and destroyed only here.
            let _ = unsafe { zmq_sys::zmq_poller_destroy(&mut ptr) };
        }
    }
}
