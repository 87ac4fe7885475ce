//! Every socket pattern over inproc, ipc and tcp.

mod common;

use std::time::{Duration, Instant};

use common::socket;

#[derive(Clone, Copy, Debug)]
enum Transport {
    Inproc,
    Ipc,
    Tcp,
}

const TRANSPORTS: [Transport; 3] = [Transport::Inproc, Transport::Ipc, Transport::Tcp];

/// Binds `s` on the transport and returns the endpoint to connect to.
fn bind(s: &zmq::Socket, transport: Transport, name: &str) -> String {
    match transport {
        Transport::Inproc => {
            let e = common::inproc(name);
            s.bind(&e).unwrap();
            e
        }
        Transport::Ipc => {
            let e = common::ipc(name);
            s.bind(&e).unwrap();
            e
        }
        Transport::Tcp => common::bind_tcp(s),
    }
}

/// Sends on `publisher` until `subscriber` receives (subscriptions travel
/// asynchronously), bounded in time; returns the first message received.
fn publish_until_received(
    publisher: &zmq::Socket,
    subscriber: &zmq::Socket,
    msg: &[u8],
) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        publisher.send(msg, 0).unwrap();
        if subscriber.poll(zmq::POLLIN, 20).unwrap() > 0 {
            return subscriber.recv_bytes(0).unwrap();
        }
    }
    panic!("no message reached the subscriber in 5 s");
}

#[test]
fn req_rep_round_trips_on_every_transport() {
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let rep = socket(&ctx, zmq::REP);
        let endpoint = bind(&rep, t, "reqrep");
        let req = socket(&ctx, zmq::REQ);
        req.connect(&endpoint).unwrap();
        for i in 0..3 {
            req.send(format!("request {i}").as_str(), 0).unwrap();
            assert_eq!(
                rep.recv_string(0).unwrap().unwrap(),
                format!("request {i}"),
                "{t:?}"
            );
            rep.send(format!("reply {i}").as_bytes(), 0).unwrap();
            assert_eq!(
                req.recv_string(0).unwrap().unwrap(),
                format!("reply {i}"),
                "{t:?}"
            );
        }
    }
}

#[test]
fn req_enforces_its_state_machine_with_efsm() {
    let ctx = zmq::Context::new();
    let req = socket(&ctx, zmq::REQ);
    req.connect(&common::inproc("efsm")).unwrap();
    assert_eq!(req.recv_bytes(zmq::DONTWAIT).unwrap_err(), zmq::Error::EFSM);
    req.send("one", 0).unwrap();
    assert_eq!(req.send("two", 0).unwrap_err(), zmq::Error::EFSM);
}

#[test]
fn pub_sub_delivers_only_subscribed_topics() {
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let publisher = socket(&ctx, zmq::PUB);
        let endpoint = bind(&publisher, t, "pubsub");
        let subscriber = socket(&ctx, zmq::SUB);
        subscriber.set_subscribe(b"weather.").unwrap();
        subscriber.connect(&endpoint).unwrap();
        let first = publish_until_received(&publisher, &subscriber, b"weather.sync");
        assert_eq!(first, b"weather.sync");
        while subscriber.poll(zmq::POLLIN, 0).unwrap() > 0 {
            subscriber.recv_bytes(0).unwrap();
        }
        publisher.send("sports.goal", 0).unwrap();
        publisher.send("weather.rain", 0).unwrap();
        assert_eq!(subscriber.recv_bytes(0).unwrap(), b"weather.rain", "{t:?}");
        assert_eq!(
            subscriber.recv_bytes(zmq::DONTWAIT).unwrap_err(),
            zmq::Error::EAGAIN
        );
    }
}

#[test]
fn push_pull_fans_out_round_robin_and_fans_in() {
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let push = socket(&ctx, zmq::PUSH);
        let endpoint = bind(&push, t, "pushpull");
        let pulls = [socket(&ctx, zmq::PULL), socket(&ctx, zmq::PULL)];
        for p in &pulls {
            p.connect(&endpoint).unwrap();
        }
        // Wait until both are connected, so round robin covers both.
        std::thread::sleep(Duration::from_millis(100));
        for i in 0..10u8 {
            push.send(vec![i], 0).unwrap();
        }
        let mut seen: Vec<u8> = Vec::new();
        for p in &pulls {
            let mut mine = 0;
            while p.poll(zmq::POLLIN, 200).unwrap() > 0 {
                seen.extend(p.recv_bytes(0).unwrap());
                mine += 1;
            }
            assert!(mine > 0, "{t:?}: a PULL socket got nothing");
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..10).collect::<Vec<u8>>(), "{t:?}");
    }
}

#[test]
fn dealer_router_carries_envelopes() {
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let router = socket(&ctx, zmq::ROUTER);
        let endpoint = bind(&router, t, "dealerrouter");
        let dealer = socket(&ctx, zmq::DEALER);
        dealer.set_identity(b"client-7").unwrap();
        dealer.connect(&endpoint).unwrap();
        dealer.send_multipart(["", "job"], 0).unwrap();
        let frames = router.recv_multipart(0).unwrap();
        assert_eq!(
            frames,
            vec![b"client-7".to_vec(), vec![], b"job".to_vec()],
            "{t:?}"
        );
        router
            .send_multipart([&b"client-7"[..], b"", b"done"], 0)
            .unwrap();
        assert_eq!(
            dealer.recv_multipart(0).unwrap(),
            vec![vec![], b"done".to_vec()]
        );
        // An unknown routing id with ROUTER_MANDATORY is an error, not a silent drop.
        router.set_router_mandatory(true).unwrap();
        let err = router.send_multipart(["nobody", "", "x"], 0).unwrap_err();
        assert_eq!(err, zmq::Error::EHOSTUNREACH);
    }
}

#[test]
fn pair_talks_both_ways() {
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let a = socket(&ctx, zmq::PAIR);
        let endpoint = bind(&a, t, "pair");
        let b = socket(&ctx, zmq::PAIR);
        b.connect(&endpoint).unwrap();
        b.send("ping", 0).unwrap();
        assert_eq!(a.recv_bytes(0).unwrap(), b"ping");
        a.send("pong", 0).unwrap();
        assert_eq!(b.recv_bytes(0).unwrap(), b"pong", "{t:?}");
    }
}

#[test]
fn xpub_sees_subscriptions_that_xsub_sends() {
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let xpub = socket(&ctx, zmq::XPUB);
        let endpoint = bind(&xpub, t, "xpubxsub");
        let xsub = socket(&ctx, zmq::XSUB);
        xsub.connect(&endpoint).unwrap();
        xsub.send(b"\x01news".as_slice(), 0).unwrap();
        assert_eq!(xpub.recv_bytes(0).unwrap(), b"\x01news", "{t:?}");
        xpub.send("news: hello", 0).unwrap();
        assert_eq!(xsub.recv_bytes(0).unwrap(), b"news: hello");
        xsub.send(b"\x00news".as_slice(), 0).unwrap();
        assert_eq!(xpub.recv_bytes(0).unwrap(), b"\x00news");
    }
}

#[test]
fn stream_speaks_raw_tcp() {
    use std::io::{Read, Write};
    let ctx = zmq::Context::new();
    let stream = socket(&ctx, zmq::STREAM);
    let endpoint = common::bind_tcp(&stream);
    let address = endpoint.trim_start_matches("tcp://").to_string();
    let mut client = std::net::TcpStream::connect(address).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // A connection first shows up as an empty message from the new peer.
    let hello = stream.recv_multipart(0).unwrap();
    assert_eq!(hello.len(), 2);
    assert!(hello[1].is_empty());
    let peer = hello[0].clone();
    client.write_all(b"raw bytes").unwrap();
    let data = stream.recv_multipart(0).unwrap();
    assert_eq!(data, vec![peer.clone(), b"raw bytes".to_vec()]);
    stream
        .send_multipart([peer, b"answer".to_vec()], 0)
        .unwrap();
    let mut buf = [0u8; 6];
    client.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"answer");
}
