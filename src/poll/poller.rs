//! [`Poller`]: a reusable poll set of sockets and file descriptors, each with a
//! user token. Runs on `zmq_poll` everywhere, and on libzmq's `zmq_poller_*`
//! (which also polls thread-safe draft sockets) where the draft API exists.

use std::ops::Deref;
use std::time::Duration;

use zmq_sys::RawFd;

use super::{timeout_millis, PollEvents};
use crate::error::{Error, Result};
use crate::ffi::{PollSet, RawSocket};
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
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[default]
    ZmqPoller,
}

/// What a registration refers to, to find it again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Socket(*mut std::ffi::c_void),
    Fd(RawFd),
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
    backend: PollerBackend,
    /// Keyed by slot: what each registration polls, and its token.
    slots: Vec<Option<(Target, T)>>,
    free: Vec<usize>,
    set: PollSet<'s>,
    /// The ready slots and their events, refilled by each wait.
    ready: Vec<(usize, i16)>,
}

impl<'s, T> Default for Poller<'s, T> {
    fn default() -> Self {
        Poller::new()
    }
}

/// The socket an owner of a socket dereferences to, as its raw handle.
struct OwnedSocket<S>(S);

impl<S: Deref<Target = Socket>> Deref for OwnedSocket<S> {
    type Target = RawSocket;
    fn deref(&self) -> &RawSocket {
        self.0.raw()
    }
}

impl<'s, T> Poller<'s, T> {
    /// An empty poller on the default backend (`zmq_poller` with the draft API,
    /// `zmq_poll` otherwise).
    pub fn new() -> Poller<'s, T> {
        Poller::with_backend(PollerBackend::default())
            .or_else(|_| Poller::with_backend(PollerBackend::ZmqPoll))
            .unwrap_or_else(|_| unreachable!("a zmq_poll set needs no allocation by libzmq"))
    }

    /// An empty poller on a chosen backend.
    pub fn with_backend(backend: PollerBackend) -> Result<Poller<'s, T>> {
        let draft = backend != PollerBackend::ZmqPoll;
        Ok(Poller {
            backend,
            slots: Vec::new(),
            free: Vec::new(),
            set: PollSet::new(draft)?,
            ready: Vec::new(),
        })
    }

    /// The backend this poller waits with.
    pub fn backend(&self) -> PollerBackend {
        self.backend
    }

    /// The number of registered sockets and file descriptors.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.set.len() == 0
    }

    /// Registers `socket` with `token`, waiting for `events`. A socket already
    /// registered gives `EINVAL`. The socket stays borrowed as long as the
    /// poller lives; [`Poller::add_owned`] registers one the poller keeps open
    /// instead, which [`Poller::remove`] lets go of.
    pub fn add(&mut self, socket: &'s Socket, token: T, events: PollEvents) -> Result<()> {
        let slot = self.claim(Target::Socket(socket.raw().as_ptr()))?;
        let added = self.set.add_socket(slot, socket.raw(), events.bits());
        self.fill(slot, added, Target::Socket(socket.raw().as_ptr()), token)
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
        S: Deref<Target = Socket> + 'static,
    {
        let target = Target::Socket(socket.raw().as_ptr());
        let slot = self.claim(target)?;
        let added = self.set.add_owned(slot, OwnedSocket(socket), events.bits());
        self.fill(slot, added, target, token)
    }

    /// Registers a file descriptor (a pipe, a TCP socket, an `AsyncFd`...).
    #[cfg(unix)]
    pub fn add_fd<F: std::os::unix::io::AsRawFd>(
        &mut self,
        fd: &'s F,
        token: T,
        events: PollEvents,
    ) -> Result<()> {
        self.insert_fd(fd.as_raw_fd(), token, events)
    }

    /// Registers a Windows socket.
    #[cfg(windows)]
    pub fn add_fd<F: std::os::windows::io::AsRawSocket>(
        &mut self,
        fd: &'s F,
        token: T,
        events: PollEvents,
    ) -> Result<()> {
        self.insert_fd(fd.as_raw_socket() as RawFd, token, events)
    }

    fn insert_fd(&mut self, fd: RawFd, token: T, events: PollEvents) -> Result<()> {
        let slot = self.claim(Target::Fd(fd))?;
        let added = self.set.add_fd(slot, fd, events.bits());
        self.fill(slot, added, Target::Fd(fd), token)
    }

    /// A free slot for `target`; `EINVAL` when it is registered already.
    fn claim(&mut self, target: Target) -> Result<usize> {
        if self.find(target).is_ok() {
            return Err(Error::EINVAL);
        }
        Ok(self.free.pop().unwrap_or(self.slots.len()))
    }

    /// Records a registration in its slot, or gives the slot back.
    fn fill(
        &mut self,
        slot: usize,
        added: crate::ffi::Result<()>,
        target: Target,
        token: T,
    ) -> Result<()> {
        if let Err(e) = added {
            if slot < self.slots.len() {
                self.free.push(slot);
            }
            return Err(e.into());
        }
        if slot == self.slots.len() {
            self.slots.push(Some((target, token)));
        } else {
            self.slots[slot] = Some((target, token));
        }
        self.ready
            .reserve(self.set.len().saturating_sub(self.ready.capacity()));
        Ok(())
    }

    fn find(&self, target: Target) -> Result<usize> {
        self.slots
            .iter()
            .position(|s| s.as_ref().is_some_and(|(t, _)| *t == target))
            .ok_or(Error::EINVAL)
    }

    /// Changes the events a registered socket waits for.
    pub fn modify(&mut self, socket: &Socket, events: PollEvents) -> Result<()> {
        let slot = self.find(Target::Socket(socket.raw().as_ptr()))?;
        Ok(self.set.modify(slot, events.bits())?)
    }

    /// Changes the events a registered file descriptor waits for.
    pub fn modify_fd(&mut self, fd: RawFd, events: PollEvents) -> Result<()> {
        let slot = self.find(Target::Fd(fd))?;
        Ok(self.set.modify(slot, events.bits())?)
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

    fn take(&mut self, target: Target) -> Result<T> {
        let slot = self.find(target)?;
        self.set.remove(slot)?;
        let (_, token) = self.slots[slot].take().ok_or(Error::EINVAL)?;
        self.free.push(slot);
        Ok(token)
    }

    /// Waits until something is ready or `timeout` passes (`None`: forever),
    /// then yields each ready token with its events. A time-out yields nothing.
    /// Waiting forever when nothing can be reported (no entries, or only
    /// sockets waiting for no events) is `EINVAL`.
    pub fn wait(&mut self, timeout: Option<Duration>) -> Result<ReadyEvents<'_, 's, T>> {
        self.wait_inner(timeout, None)
    }

    /// Like [`Poller::wait`], with `sigmask` blocked during the wait
    /// (`zmq_ppoll`, draft API; only on the `ZmqPoll` backend, `ENOTSUP` on the
    /// other).
    #[cfg(all(zmq_draft, unix))]
    #[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
    #[doc(alias = "zmq_ppoll")]
    pub fn wait_with_sigmask(
        &mut self,
        timeout: Option<Duration>,
        sigmask: &libc::sigset_t,
    ) -> Result<ReadyEvents<'_, 's, T>> {
        self.wait_inner(timeout, Some(sigmask))
    }

    fn wait_inner(
        &mut self,
        timeout: Option<Duration>,
        #[allow(unused_variables)] sigmask: Option<&SigSet>,
    ) -> Result<ReadyEvents<'_, 's, T>> {
        self.ready.clear();
        if timeout.is_none() && !self.set.can_report() {
            // Nothing can become ready: waiting forever would never return.
            return Err(Error::EINVAL);
        }
        if self.set.len() == 0 {
            // Nothing registered: sleep out the time-out (there is one, see above).
            std::thread::sleep(timeout.unwrap_or_default());
        } else {
            self.set.wait(
                timeout_millis(timeout),
                #[cfg(all(zmq_draft, unix))]
                sigmask,
                &mut self.ready,
            )?;
        }
        Ok(ReadyEvents {
            poller: self,
            next: 0,
        })
    }
}

/// What `wait_with_sigmask` passes down (nothing where it does not exist).
#[cfg(all(zmq_draft, unix))]
type SigSet = libc::sigset_t;
#[cfg(not(all(zmq_draft, unix)))]
type SigSet = ();

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
            if let Some(Some((_, token))) = self.poller.slots.get(slot) {
                return Some((token, PollEvents::from_bits_truncate(events)));
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
