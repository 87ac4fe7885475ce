//! The Poller over many sockets and pipe file descriptors, on every backend.

mod common;

use std::time::Duration;

use zmq::{Poller, PollerBackend, POLLIN, POLLOUT};

fn backends() -> Vec<PollerBackend> {
    #[allow(unused_mut)]
    let mut all = vec![PollerBackend::ZmqPoll];
    #[cfg(zmq_draft)]
    all.push(PollerBackend::ZmqPoller);
    all
}

#[cfg(unix)]
struct Pipe {
    read: std::fs::File,
    write: std::fs::File,
}

#[cfg(unix)]
fn pipe() -> Pipe {
    use std::os::unix::io::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: fds has room for the two descriptors pipe() writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors are new and owned by nothing else.
    unsafe {
        Pipe {
            read: std::fs::File::from_raw_fd(fds[0]),
            write: std::fs::File::from_raw_fd(fds[1]),
        }
    }
}

fn ready_tokens<T: Copy + Ord>(poller: &mut Poller<'_, T>, timeout_ms: u64) -> Vec<T> {
    let mut tokens: Vec<T> = poller
        .wait(Some(Duration::from_millis(timeout_ms)))
        .unwrap()
        .map(|(t, _)| *t)
        .collect();
    tokens.sort_unstable();
    tokens
}

#[cfg(unix)]
#[test]
fn a_thousand_sockets_and_pipes_report_exactly_the_ready_tokens() {
    use std::io::{Read, Write};
    for backend in backends() {
        let ctx = zmq::Context::new();
        ctx.set(zmq::ctxopt::MaxSockets, 2048).unwrap();
        let mut receivers = Vec::new();
        let mut senders = Vec::new();
        for i in 0..500 {
            let endpoint = format!("inproc://many-{i}");
            let r = common::socket(&ctx, zmq::PAIR);
            r.bind(&endpoint).unwrap();
            let s = common::socket(&ctx, zmq::PAIR);
            s.connect(&endpoint).unwrap();
            receivers.push(r);
            senders.push(s);
        }
        let pipes: Vec<Pipe> = (0..4).map(|_| pipe()).collect();
        let mut poller = Poller::with_backend(backend).unwrap();
        for (i, r) in receivers.iter().enumerate() {
            poller.add(r, i, POLLIN).unwrap();
        }
        for (i, s) in senders.iter().enumerate() {
            poller.add(s, 1000 + i, POLLIN).unwrap();
        }
        for (i, p) in pipes.iter().enumerate() {
            poller.add_fd(&p.read, 5000 + i, POLLIN).unwrap();
        }
        assert_eq!(poller.len(), 1004);
        assert_eq!(
            poller.add(&receivers[0], 0, POLLIN).unwrap_err(),
            zmq::Error::EINVAL,
            "duplicate"
        );

        assert!(
            ready_tokens(&mut poller, 10).is_empty(),
            "{backend:?}: nothing sent yet"
        );

        senders[7].send("x", 0).unwrap();
        senders[499].send("y", 0).unwrap();
        receivers[3].send("back", 0).unwrap();
        (&pipes[2].write).write_all(b"!").unwrap();
        assert_eq!(
            ready_tokens(&mut poller, 1000),
            vec![7, 499, 1003, 5002],
            "{backend:?}"
        );

        // Drain, and the set is quiet again (nothing allocated per wait).
        receivers[7].recv_bytes(0).unwrap();
        receivers[499].recv_bytes(0).unwrap();
        senders[3].recv_bytes(0).unwrap();
        (&pipes[2].read).read_exact(&mut [0u8; 1]).unwrap();
        for _ in 0..20 {
            assert!(ready_tokens(&mut poller, 0).is_empty(), "{backend:?}");
        }

        // Remove, modify.
        assert_eq!(poller.remove(&receivers[7]).unwrap(), 7);
        assert_eq!(
            poller.remove(&receivers[7]).unwrap_err(),
            zmq::Error::EINVAL
        );
        senders[7].send("x", 0).unwrap();
        senders[8].send("x", 0).unwrap();
        assert_eq!(
            ready_tokens(&mut poller, 1000),
            vec![8],
            "{backend:?}: removed socket reported"
        );
        poller.modify(&senders[0], POLLIN | POLLOUT).unwrap();
        let events: Vec<_> = poller
            .wait(Some(Duration::from_millis(100)))
            .unwrap()
            .map(|(t, e)| (*t, e))
            .collect();
        assert!(events.contains(&(1000, POLLOUT)), "{backend:?}: {events:?}");
        assert_eq!(poller.remove_fd(pipes[1].read_fd()).unwrap(), 5001);
        assert_eq!(poller.len(), 1002);
    }
}

#[cfg(unix)]
impl Pipe {
    fn read_fd(&self) -> i32 {
        use std::os::unix::io::AsRawFd;
        self.read.as_raw_fd()
    }
}

#[test]
fn an_empty_poller_times_out_and_refuses_to_wait_forever() {
    for backend in backends() {
        let mut poller: Poller<'_, u8> = Poller::with_backend(backend).unwrap();
        assert_eq!(
            poller.wait(Some(Duration::from_millis(5))).unwrap().count(),
            0
        );
        assert_eq!(poller.wait(None).err(), Some(zmq::Error::EINVAL));
    }
}

#[test]
fn a_poller_of_sockets_waiting_for_no_events_refuses_to_wait_forever() {
    for backend in backends() {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ctx = zmq::Context::new();
            let (a, b) = (
                common::socket(&ctx, zmq::PAIR),
                common::socket(&ctx, zmq::PAIR),
            );
            let endpoint = common::inproc("no-events");
            a.bind(&endpoint).unwrap();
            b.connect(&endpoint).unwrap();
            let mut poller: Poller<'_, u8> = Poller::with_backend(backend).unwrap();
            poller.add(&a, 1, zmq::PollEvents::empty()).unwrap();
            let forever = poller.wait(None).map(|ready| ready.count());
            let briefly = poller
                .wait(Some(Duration::from_millis(5)))
                .map(|ready| ready.count());
            poller.modify(&a, POLLOUT).unwrap();
            let writable = poller.wait(None).map(|ready| ready.count());
            let _ = tx.send((forever, briefly, writable));
        });
        // Before the fix the first wait never returned.
        let results = rx.recv_timeout(Duration::from_secs(10));
        assert_eq!(
            results,
            Ok((Err(zmq::Error::EINVAL), Ok(0), Ok(1))),
            "{backend:?}"
        );
    }
}

#[cfg(all(zmq_draft, unix))]
#[test]
fn ppoll_waits_with_a_signal_mask_on_the_zmq_poll_backend() {
    let ctx = zmq::Context::new();
    let a = common::socket(&ctx, zmq::PAIR);
    a.bind("inproc://ppoll").unwrap();
    let b = common::socket(&ctx, zmq::PAIR);
    b.connect("inproc://ppoll").unwrap();
    // SAFETY: sigemptyset/sigaddset initialise and fill a local signal set.
    let mask = unsafe {
        let mut set = std::mem::zeroed::<libc::sigset_t>();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGUSR1);
        set
    };
    let mut poller = Poller::with_backend(PollerBackend::ZmqPoll).unwrap();
    poller.add(&a, 'a', POLLIN).unwrap();
    assert_eq!(
        poller
            .wait_with_sigmask(Some(Duration::from_millis(10)), &mask)
            .unwrap()
            .count(),
        0
    );
    b.send("ping", 0).unwrap();
    let ready: Vec<char> = poller
        .wait_with_sigmask(Some(Duration::from_secs(1)), &mask)
        .unwrap()
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(ready, ['a']);
    let mut other: Poller<'_, char> = Poller::with_backend(PollerBackend::ZmqPoller).unwrap();
    other.add(&a, 'a', POLLIN).unwrap();
    assert_eq!(
        other.wait_with_sigmask(None, &mask).err(),
        Some(zmq::Error::ENOTSUP)
    );
}

#[test]
fn a_long_lived_poller_lets_go_of_the_sockets_it_no_longer_watches() {
    use std::rc::Rc;
    for backend in backends() {
        let ctx = zmq::Context::new();
        // The poller outlives every socket of the loop below.
        let mut poller: Poller<'static, usize> = Poller::with_backend(backend).unwrap();
        let keeper = Rc::new(common::socket(&ctx, zmq::PULL));
        poller.add_owned(keeper.clone(), 0, POLLIN).unwrap();
        for round in 1..=20 {
            let endpoint = common::inproc("poller-owned");
            let pull = Rc::new(common::socket(&ctx, zmq::PULL));
            pull.bind(&endpoint).unwrap();
            let push = common::socket(&ctx, zmq::PUSH);
            push.connect(&endpoint).unwrap();
            poller.add_owned(pull.clone(), round, POLLIN).unwrap();
            assert_eq!(Rc::strong_count(&pull), 2);
            push.send("ready", 0).unwrap();
            assert_eq!(ready_tokens(&mut poller, 2_000), vec![round], "{backend:?}");
            pull.recv_bytes(0).unwrap();
            assert_eq!(poller.remove(&pull).unwrap(), round);
            assert_eq!(Rc::strong_count(&pull), 1, "the poller kept the socket");
            // Closed here, while the poller lives on.
            drop(pull);
        }
        assert_eq!(poller.len(), 1);
        drop(poller);
        assert_eq!(
            Rc::strong_count(&keeper),
            1,
            "dropping the poller kept the socket"
        );
    }
}

#[test]
fn a_poller_dropped_with_owned_sockets_is_dropped_before_them() {
    for backend in backends() {
        let ctx = zmq::Context::new();
        let mut poller = Poller::with_backend(backend).unwrap();
        for i in 0..10 {
            let socket = Box::new(common::socket(&ctx, zmq::DEALER));
            socket.connect(&common::inproc("owned-drop")).unwrap();
            poller.add_owned(socket, i, POLLOUT | POLLIN).unwrap();
        }
        // Under valgrind/ASan: libzmq's poller must not read closed sockets.
        drop(poller);
    }
}

#[test]
fn polling_nothing_forever_is_refused_and_polling_nothing_briefly_sleeps() {
    // Before the fix: libzmq's usleep(-1000 as unsigned), about 71 minutes.
    assert_eq!(zmq::poll(&mut [], -1), Err(zmq::Error::EINVAL));
    assert_eq!(zmq::poll(&mut [], 10), Ok(0));
    assert_eq!(zmq::poll(&mut [], 0), Ok(0));
}

/// Child mode of the next test: `ZMQ_POLL_LIMIT_CHILD` set.
#[cfg(unix)]
#[test]
#[ignore = "runs as a child process of more_poll_items_than_open_files_is_an_error"]
fn poll_limit_child() {
    if std::env::var_os("ZMQ_POLL_LIMIT_CHILD").is_none() {
        return;
    }
    let ctx = zmq::Context::new();
    let sockets: Vec<zmq::Socket> = (0..100).map(|_| common::socket(&ctx, zmq::PULL)).collect();
    let mut pollers: Vec<Poller<'_, usize>> = backends()
        .into_iter()
        .map(|b| Poller::with_backend(b).unwrap())
        .collect();
    for poller in &mut pollers {
        for (i, s) in sockets.iter().enumerate() {
            poller.add(s, i, POLLIN).unwrap();
        }
    }
    // Fewer files than poll entries from now on (the open ones stay open).
    let limit = libc::rlimit {
        rlim_cur: 64,
        rlim_max: 64,
    };
    // SAFETY: a valid rlimit for this (child) process only.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    let mut items: Vec<zmq::PollItem> = sockets.iter().map(|s| s.as_poll_item(POLLIN)).collect();
    assert_eq!(zmq::poll(&mut items, 0), Err(zmq::Error::EINVAL));
    for poller in &mut pollers {
        assert_eq!(
            poller.wait(Some(Duration::ZERO)).err(),
            Some(zmq::Error::EINVAL)
        );
    }
    println!("CHILD-OK");
}

#[cfg(unix)]
#[test]
fn more_poll_items_than_open_files_is_an_error_not_an_abort() {
    common::run_child_test("poll_limit_child", "ZMQ_POLL_LIMIT_CHILD");
}

#[test]
fn a_socket_polled_for_a_duration_reports_its_ready_events() {
    let ctx = zmq::Context::new();
    let (a, b) = (
        ctx.socket(zmq::PAIR).unwrap(),
        ctx.socket(zmq::PAIR).unwrap(),
    );
    a.bind("inproc://poll-for").unwrap();
    // Nothing to read: the time runs out (a sub-millisecond wait included).
    for wait in [
        Duration::ZERO,
        Duration::from_micros(300),
        Duration::from_millis(5),
    ] {
        assert_eq!(a.poll_for(POLLIN, Some(wait)), Ok(zmq::PollEvents::empty()));
    }
    b.connect("inproc://poll-for").unwrap();
    b.send("ping", 0).unwrap();
    assert_eq!(a.poll_for(POLLIN, None), Ok(POLLIN));
    assert_eq!(
        a.poll_for(POLLIN | POLLOUT, Some(Duration::MAX)),
        Ok(POLLIN | POLLOUT)
    );
    // Waiting for nothing, forever, would never return.
    assert_eq!(
        a.poll_for(zmq::PollEvents::empty(), None),
        Err(zmq::Error::EINVAL)
    );
    assert_eq!(
        a.poll_for(zmq::PollEvents::empty(), Some(Duration::from_millis(1))),
        Ok(zmq::PollEvents::empty())
    );
}
