//! The draft API: every draft socket pattern, RADIO/DISH over UDP, ws://, a
//! thread-safe socket shared by 8 threads, peer state, context extensions.

mod common;

#[test]
fn the_draft_api_is_there_when_asked_for() {
    if cfg!(zmq_draft) {
        assert_eq!(zmq::has("draft"), Some(true));
    } else if cfg!(feature = "draft") && cfg!(zmq_vendored) {
        panic!("the vendored build with the draft feature lacks the draft API");
    } else if cfg!(feature = "draft") {
        // System mode: Debian's libzmq exports no draft symbols.
        common::skip("the system libzmq has no draft API; draft tests did not run");
    } else {
        common::skip("draft tests need `--features draft`");
    }
}

#[cfg(zmq_draft)]
mod draft {
    use std::collections::HashSet;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::common::{self, socket};

    /// A UDP port that was free a moment ago on loopback.
    fn free_udp_port() -> u16 {
        std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    #[test]
    fn server_and_client_talk_through_routing_ids() {
        let ctx = zmq::Context::new();
        let server = socket(&ctx, zmq::SERVER);
        let endpoint = common::bind_tcp(&server);
        let client = socket(&ctx, zmq::CLIENT);
        client.connect(&endpoint).unwrap();
        client.send("request", 0).unwrap();
        let request = server.recv_msg(0).unwrap();
        let id = request.routing_id().expect("a routing id");
        let mut reply = zmq::Message::from("reply");
        reply.set_routing_id(id).unwrap();
        server.send(reply, 0).unwrap();
        assert_eq!(client.recv_bytes(0).unwrap(), b"reply");
        // Thread-safe sockets have no multipart messages.
        assert!(client.send("a", zmq::SNDMORE).is_err());
    }

    #[test]
    fn radio_and_dish_carry_groups_over_udp() {
        let ctx = zmq::Context::new();
        let endpoint = format!("udp://127.0.0.1:{}", free_udp_port());
        let dish = socket(&ctx, zmq::DISH);
        dish.bind(&endpoint).unwrap();
        dish.join("weather").unwrap();
        let radio = socket(&ctx, zmq::RADIO);
        radio.connect(&endpoint).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let received = loop {
            for (group, text) in [("sports", "goal"), ("weather", "rain")] {
                let mut msg = zmq::Message::from(text);
                msg.set_group(group).unwrap();
                radio.send(msg, 0).unwrap();
            }
            if dish.poll(zmq::POLLIN, 50).unwrap() > 0 {
                break dish.recv_msg(0).unwrap();
            }
            assert!(Instant::now() < deadline, "nothing arrived over udp");
        };
        assert_eq!(received.group(), Some("weather"));
        assert_eq!(&received[..], b"rain");
        assert!(
            dish.join(&"x".repeat(300)).is_err(),
            "an overlong group is refused"
        );
        dish.leave("weather").unwrap();
    }

    #[test]
    fn gather_collects_what_scatter_spreads() {
        let ctx = zmq::Context::new();
        let scatter = socket(&ctx, zmq::SCATTER);
        let endpoint = common::inproc("scatter");
        scatter.bind(&endpoint).unwrap();
        let gather = socket(&ctx, zmq::GATHER);
        gather.connect(&endpoint).unwrap();
        for i in 0..5u8 {
            scatter.send(vec![i], 0).unwrap();
        }
        let got: Vec<u8> = (0..5).map(|_| gather.recv_bytes(0).unwrap()[0]).collect();
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn dgram_sockets_exchange_addressed_datagrams() {
        let ctx = zmq::Context::new();
        let (pa, pb) = (free_udp_port(), free_udp_port());
        let a = socket(&ctx, zmq::DGRAM);
        a.bind(&format!("udp://127.0.0.1:{pa}")).unwrap();
        let b = socket(&ctx, zmq::DGRAM);
        b.bind(&format!("udp://127.0.0.1:{pb}")).unwrap();
        b.send_multipart(
            [format!("127.0.0.1:{pa}").into_bytes(), b"datagram".to_vec()],
            0,
        )
        .unwrap();
        let got = a.recv_multipart(0).unwrap();
        // libzmq sends the address as a C string, NUL included.
        let from = got[0].strip_suffix(&[0]).unwrap_or(&got[0]);
        assert_eq!(from, format!("127.0.0.1:{pb}").as_bytes());
        assert_eq!(got[1], b"datagram");
    }

    #[test]
    fn peers_connect_and_address_each_other() {
        let ctx = zmq::Context::new();
        let a = socket(&ctx, zmq::PEER);
        let endpoint = common::bind_tcp(&a);
        let b = socket(&ctx, zmq::PEER);
        let a_id = b.connect_peer(&endpoint).unwrap();
        let mut hello = zmq::Message::from("hello");
        hello.set_routing_id(a_id).unwrap();
        b.send(hello, 0).unwrap();
        let got = a.recv_msg(0).unwrap();
        assert_eq!(&got[..], b"hello");
        let mut back = zmq::Message::from("back");
        back.set_routing_id(got.routing_id().unwrap()).unwrap();
        a.send(back, 0).unwrap();
        assert_eq!(b.recv_bytes(0).unwrap(), b"back");
    }

    #[test]
    fn channel_is_a_thread_safe_pair() {
        let ctx = zmq::Context::new();
        let a = ctx.thread_safe_socket(zmq::CHANNEL).unwrap();
        a.bind("inproc://channel").unwrap();
        let b = ctx.thread_safe_socket(zmq::CHANNEL).unwrap();
        b.connect("inproc://channel").unwrap();
        b.send("over the channel", 0).unwrap();
        assert_eq!(a.recv_bytes(0).unwrap(), b"over the channel");
        assert!(
            ctx.thread_safe_socket(zmq::PAIR).is_err(),
            "PAIR is not thread-safe"
        );
    }

    #[test]
    fn websocket_transport_carries_req_rep() {
        let ctx = zmq::Context::new();
        let rep = socket(&ctx, zmq::REP);
        rep.bind("ws://127.0.0.1:*").unwrap();
        let endpoint = rep.get_last_endpoint().unwrap().unwrap();
        assert!(endpoint.starts_with("ws://127.0.0.1:"), "{endpoint}");
        let req = socket(&ctx, zmq::REQ);
        req.connect(&endpoint).unwrap();
        req.send("over ws", 0).unwrap();
        assert_eq!(rep.recv_bytes(0).unwrap(), b"over ws");
        rep.send("ack", 0).unwrap();
        assert_eq!(req.recv_bytes(0).unwrap(), b"ack");
    }

    #[test]
    fn a_group_can_be_replaced_by_a_shorter_or_a_longer_one() {
        // libzmq keeps groups of 15 bytes and more out of line; a shorter one
        // written over it used to turn the name into a pointer (a crash).
        let long = "a-group-name-longer-than-fourteen";
        let mut msg = zmq::Message::from(vec![9u8; 40]);
        msg.set_group(long).unwrap();
        assert_eq!(msg.group(), Some(long));
        msg.set_group("short-group").unwrap();
        assert_eq!(msg.group(), Some("short-group"));
        msg.set_group(long).unwrap();
        msg.set_group("another-group-name-that-is-long").unwrap();
        assert_eq!(msg.group(), Some("another-group-name-that-is-long"));
        assert_eq!(&msg[..], &[9u8; 40][..]);
        assert!(msg.set_group(&"x".repeat(256)).is_err());
        assert_eq!(msg.group(), Some("another-group-name-that-is-long"));
    }

    #[test]
    fn a_shared_thread_safe_socket_cannot_start_a_monitor_but_an_exclusive_one_can() {
        let ctx = zmq::Context::new();
        let server = ctx.thread_safe_socket(zmq::SERVER).unwrap();
        // libzmq's zmq_socket_monitor writes the socket's options without the
        // lock its other calls take: refused through a shared reference.
        assert_eq!(
            server.monitor("inproc://ts-monitor", 0xFFFF),
            Err(zmq::Error::EINVAL)
        );
        assert_eq!(
            zmq::Monitor::new(&ctx, &server, 0xFFFF).err(),
            Some(zmq::Error::EINVAL)
        );
        let server = server.into_inner();
        let monitor = zmq::Monitor::new(&ctx, &server, 0xFFFF).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        assert!(monitor
            .recv_timeout(Duration::from_secs(5))
            .unwrap()
            .is_some());
        // A monitor started before sharing keeps working, and stops on drop.
        let shared = zmq::ThreadSafeSocket::new(server).unwrap();
        drop(monitor);
        drop(shared);
    }

    #[test]
    fn a_websocket_client_masks_a_copy_of_read_only_content() {
        // A ws client masks what it sends; libzmq does it in place unless the
        // content is shared or constant.
        let ctx = zmq::Context::new();
        let server = socket(&ctx, zmq::PULL);
        server.bind("ws://127.0.0.1:*").unwrap();
        let endpoint = server.get_last_endpoint().unwrap().unwrap();
        let client = socket(&ctx, zmq::PUSH);
        client.connect(&endpoint).unwrap();
        let text = &b"read-only content that a ws client must not mask in place"[..];
        let arc: Arc<[u8]> = Arc::from(text);
        client
            .send(zmq::Message::from_owned(arc.clone()), 0)
            .unwrap();
        client
            .send(
                zmq::Message::from_static(b"static content, also read-only"),
                0,
            )
            .unwrap();
        assert_eq!(server.recv_bytes(0).unwrap(), text);
        assert_eq!(
            server.recv_bytes(0).unwrap(),
            b"static content, also read-only"
        );
        assert_eq!(&arc[..], text, "the sender's Arc was masked in place");
    }

    #[test]
    fn one_thread_safe_socket_shared_by_8_threads_loses_and_duplicates_nothing() {
        const THREADS: u32 = 8;
        const EACH: u32 = 500;
        let ctx = zmq::Context::new();
        let server = Arc::new(ctx.thread_safe_socket(zmq::SERVER).unwrap());
        server.set_rcvtimeo(5_000).unwrap();
        server.set_rcvhwm(0).unwrap();
        server.bind("inproc://shared").unwrap();
        let client = Arc::new(ctx.thread_safe_socket(zmq::CLIENT).unwrap());
        client.set_sndhwm(0).unwrap();
        client.connect("inproc://shared").unwrap();

        let senders: Vec<_> = (0..THREADS)
            .map(|t| {
                let client = client.clone();
                std::thread::spawn(move || {
                    for i in 0..EACH {
                        client
                            .send((t * EACH + i).to_le_bytes().to_vec(), 0)
                            .unwrap();
                    }
                })
            })
            .collect();
        let receivers: Vec<_> = (0..THREADS)
            .map(|_| {
                let server = server.clone();
                std::thread::spawn(move || {
                    (0..EACH)
                        .map(|_| {
                            let m = server.recv_msg(0).unwrap();
                            u32::from_le_bytes(m[..4].try_into().unwrap())
                        })
                        .collect::<Vec<u32>>()
                })
            })
            .collect();
        for s in senders {
            s.join().unwrap();
        }
        let mut all = Vec::new();
        for r in receivers {
            all.extend(r.join().unwrap());
        }
        assert_eq!(all.len(), (THREADS * EACH) as usize);
        let unique: HashSet<u32> = all.iter().copied().collect();
        assert_eq!(unique.len(), all.len(), "a message was duplicated");
        assert_eq!(
            unique,
            (0..THREADS * EACH).collect::<HashSet<u32>>(),
            "a message was lost"
        );
    }

    #[test]
    fn a_router_knows_whether_a_peer_can_take_messages() {
        let ctx = zmq::Context::new();
        let router = socket(&ctx, zmq::ROUTER);
        let endpoint = common::bind_tcp(&router);
        let dealer = socket(&ctx, zmq::DEALER);
        dealer.set_identity(b"peer-1").unwrap();
        dealer.connect(&endpoint).unwrap();
        dealer.send("hello", 0).unwrap();
        router.recv_multipart(0).unwrap();
        assert!(router.peer_state(b"peer-1").unwrap().contains(zmq::POLLOUT));
        assert_eq!(
            router.peer_state(b"nobody").unwrap_err(),
            zmq::Error::EHOSTUNREACH
        );
    }

    #[test]
    fn context_thread_name_prefix_and_buffers() {
        let ctx = zmq::Context::new();
        ctx.set_thread_name_prefix("rs").unwrap();
        assert_eq!(ctx.thread_name_prefix().unwrap(), "rs");
        // Four bytes, the size of an int, were read as a number before the fix.
        for prefix in ["abcd", "abc", "sixteen-bytes-ok"] {
            ctx.set_thread_name_prefix(prefix).unwrap();
            assert_eq!(ctx.thread_name_prefix().unwrap(), prefix);
        }
        for bad in ["", "seventeen-bytes-x", "a\0b"] {
            assert_eq!(
                ctx.set_thread_name_prefix(bad).unwrap_err().kind(),
                zmq::Error::EINVAL,
                "{bad:?}"
            );
        }
        assert_eq!(ctx.thread_name_prefix().unwrap(), "sixteen-bytes-ok");
        let msg = zmq::Message::from_buffer(b"copied").unwrap();
        assert_eq!(&msg[..], b"copied");
    }
}
