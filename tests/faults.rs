//! Faults: a peer process killed and restarted mid-stream, a frozen peer found
//! by heartbeats, and (as root) a link between two network namespaces that goes
//! down and up under loss and delay. Peers are this test binary in helper mode.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use zmq::monitor::{EventKind, Monitor};

/// Helper mode: `ZMQ_FAULT_ROLE` says what to be. Not a test on its own.
#[test]
#[ignore = "helper process for the fault tests"]
fn fault_helper() {
    let Ok(role) = std::env::var("ZMQ_FAULT_ROLE") else {
        return;
    };
    let endpoint = std::env::var("ZMQ_FAULT_ENDPOINT").unwrap();
    let ctx = zmq::Context::new();
    match role.as_str() {
        "echo-rep" | "echo-router" => {
            let kind = if role == "echo-rep" {
                zmq::REP
            } else {
                zmq::ROUTER
            };
            let s = ctx.socket(kind).unwrap();
            s.set_linger(0).unwrap();
            s.bind(&endpoint).unwrap();
            println!("READY");
            loop {
                let frames = s.recv_multipart(0).unwrap();
                s.send_multipart(frames, 0).unwrap();
            }
        }
        "pirate-client" => {
            let count: u32 = std::env::var("ZMQ_FAULT_COUNT").unwrap().parse().unwrap();
            let answered = lazy_pirate(&ctx, &endpoint, count, Duration::from_secs(60));
            println!("ANSWERED {answered}");
        }
        other => panic!("unknown role {other}"),
    }
}

/// Starts this binary as a helper process.
fn helper(role: &str, endpoint: &str, extra: &[(&str, String)], netns: Option<&str>) -> Child {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns]).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    cmd.args([
        "--exact",
        "fault_helper",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("ZMQ_FAULT_ROLE", role)
    .env("ZMQ_FAULT_ENDPOINT", endpoint)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if role.starts_with("echo") {
        wait_for_line(&mut child, "READY");
    }
    child
}

fn wait_for_line(child: &mut Child, want: &str) -> String {
    use std::io::{BufRead, BufReader, Read};
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the helper ended before {want}"
        );
        // The test harness may print "test fault_helper ... " before it.
        if let Some(at) = line.find(want) {
            let found = line[at..].trim().to_owned();
            // Keep draining in the background so the helper never blocks.
            let mut rest = reader.into_inner();
            std::thread::spawn(move || {
                let _ = rest.read_to_end(&mut Vec::new());
            });
            return found;
        }
    }
}

fn free_tcp_endpoint() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("tcp://127.0.0.1:{port}")
}

/// A REQ client that retries with a fresh socket when a reply does not come
/// ("lazy pirate"); returns how many of `count` requests were answered, each
/// by its own echo, within `limit`.
fn lazy_pirate(ctx: &zmq::Context, endpoint: &str, count: u32, limit: Duration) -> u32 {
    let deadline = Instant::now() + limit;
    let fresh = || {
        let s = ctx.socket(zmq::REQ).unwrap();
        s.set_linger(0).unwrap();
        s.connect(endpoint).unwrap();
        s
    };
    let mut client = fresh();
    let mut answered = 0;
    for i in 0..count {
        let request = format!("request-{i}");
        loop {
            assert!(Instant::now() < deadline, "gave up at request {i}");
            client.send(request.as_str(), 0).unwrap();
            if client.poll(zmq::POLLIN, 300).unwrap() > 0 {
                let reply = client.recv_bytes(0).unwrap();
                assert_eq!(reply, request.as_bytes(), "a reply to another request");
                answered += 1;
                break;
            }
            client = fresh(); // the REQ state machine is stuck: start over
        }
    }
    answered
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_retrying_req_client_survives_its_server_being_killed_and_restarted() {
    let endpoint = free_tcp_endpoint();
    let ctx = zmq::Context::new();
    let mut server = helper("echo-rep", &endpoint, &[], None);
    assert_eq!(
        lazy_pirate(&ctx, &endpoint, 10, Duration::from_secs(30)),
        10
    );
    kill(&mut server);
    let restart = {
        let endpoint = endpoint.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            helper("echo-rep", &endpoint, &[], None)
        })
    };
    // Requests sent while the server is down are retried until it is back.
    assert_eq!(
        lazy_pirate(&ctx, &endpoint, 10, Duration::from_secs(30)),
        10
    );
    kill(&mut restart.join().unwrap());
}

#[test]
fn a_dealer_gets_every_answer_across_a_router_restart() {
    let endpoint = free_tcp_endpoint();
    let ctx = zmq::Context::new();
    let mut server = helper("echo-router", &endpoint, &[], None);
    let dealer = common::socket(&ctx, zmq::DEALER);
    dealer.connect(&endpoint).unwrap();
    let mut pending: std::collections::BTreeSet<u32> = (0..40).collect();
    let mut restarted = false;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !pending.is_empty() {
        assert!(Instant::now() < deadline, "unanswered: {pending:?}");
        for id in pending.iter().take(10) {
            dealer.send(id.to_le_bytes().to_vec(), zmq::DONTWAIT).ok();
        }
        while dealer.poll(zmq::POLLIN, 200).unwrap() > 0 {
            let reply = dealer.recv_bytes(0).unwrap();
            let id = u32::from_le_bytes(reply[..4].try_into().expect("an intact reply"));
            assert!(id < 40, "a corrupted reply");
            pending.remove(&id); // a duplicate answer is allowed; a lost one is retried
        }
        if !restarted && pending.len() < 30 {
            kill(&mut server);
            server = helper("echo-router", &endpoint, &[], None);
            restarted = true;
        }
    }
    assert!(restarted);
    kill(&mut server);
}

#[test]
fn heartbeats_find_a_frozen_peer() {
    let endpoint = free_tcp_endpoint();
    let ctx = zmq::Context::new();
    let mut server = helper("echo-router", &endpoint, &[], None);
    let client = common::socket(&ctx, zmq::DEALER);
    client.set_heartbeat_ivl(100).unwrap();
    client.set_heartbeat_timeout(500).unwrap();
    let monitor = Monitor::new(&ctx, &client, 0xFFFF).unwrap();
    client.connect(&endpoint).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let e = monitor
            .recv_timeout(Duration::from_secs(5))
            .unwrap()
            .expect("an event");
        if e.kind == EventKind::HandshakeSucceeded {
            break;
        }
        assert!(Instant::now() < deadline);
    }
    // Freeze the server: the TCP connection stays up, but no heartbeat comes back.
    // SAFETY: kill(2) on our own child process.
    assert_eq!(unsafe { libc::kill(server.id() as i32, libc::SIGSTOP) }, 0);
    let frozen_at = Instant::now();
    let disconnected = loop {
        match monitor.recv_timeout(Duration::from_secs(5)).unwrap() {
            Some(e) if matches!(e.kind, EventKind::Disconnected { .. }) => break true,
            Some(_) => continue,
            None => break false,
        }
    };
    // SAFETY: as above.
    unsafe { libc::kill(server.id() as i32, libc::SIGCONT) };
    kill(&mut server);
    assert!(disconnected, "the frozen peer was not detected");
    assert!(frozen_at.elapsed() < Duration::from_secs(4));
}

/// Two network namespaces joined by a veth pair, removed on drop.
struct NetnsPair {
    a: String,
    b: String,
}

fn ip(args: &[&str]) -> bool {
    Command::new("ip")
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

impl NetnsPair {
    fn create() -> Option<NetnsPair> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 || !ip(&["netns", "list"]) {
            common::skip_or_fail("network namespaces need root and iproute2");
            return None;
        }
        let tag = std::process::id() % 100_000;
        let pair = NetnsPair {
            a: format!("zmqa{tag}"),
            b: format!("zmqb{tag}"),
        };
        let (va, vb) = (format!("va{tag}"), format!("vb{tag}"));
        let ok = ip(&["netns", "add", &pair.a])
            && ip(&["netns", "add", &pair.b])
            && ip(&[
                "link", "add", &va, "netns", &pair.a, "type", "veth", "peer", "name", &vb, "netns",
                &pair.b,
            ])
            && ip(&["-n", &pair.a, "addr", "add", "10.213.0.1/24", "dev", &va])
            && ip(&["-n", &pair.b, "addr", "add", "10.213.0.2/24", "dev", &vb])
            && ip(&["-n", &pair.a, "link", "set", &va, "up"])
            && ip(&["-n", &pair.b, "link", "set", &vb, "up"])
            && ip(&["-n", &pair.a, "link", "set", "lo", "up"])
            && ip(&["-n", &pair.b, "link", "set", "lo", "up"]);
        if !ok {
            common::skip_or_fail("cannot create network namespaces here");
            return None;
        }
        Some(pair)
    }

    fn veth_a(&self) -> String {
        format!("va{}", &self.a[4..])
    }
}

impl Drop for NetnsPair {
    fn drop(&mut self) {
        ip(&["netns", "del", &self.a]);
        ip(&["netns", "del", &self.b]);
    }
}

/// Adds 10% loss and 20 ms delay on `dev` with tc netem; where this kernel has
/// no netem, drops 10% of the packets with an nftables rule instead (no delay),
/// and says so. `false` (after a visible skip, or a failure under
/// `ZMQ_TEST_REQUIRE_ALL=1`) when neither can.
fn impair(ns: &str, dev: &str) -> bool {
    let netem = Command::new("tc")
        .args([
            "-n", ns, "qdisc", "add", "dev", dev, "root", "netem", "loss", "10%", "delay", "20ms",
        ])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if netem {
        return true;
    }
    common::skip("this kernel has no sch_netem: emulating 10% loss with nftables, without delay");
    let nft = |rule: &str| {
        Command::new("ip")
            .args(["netns", "exec", ns, "nft"])
            .args(rule.split(' '))
            .status()
            .is_ok_and(|s| s.success())
    };
    let ok = nft("add table inet lossy")
        && nft("add chain inet lossy in { type filter hook input priority 0 ; }")
        && nft("add chain inet lossy out { type filter hook output priority 0 ; }")
        && nft("add rule inet lossy in numgen random mod 10 0 drop")
        && nft("add rule inet lossy out numgen random mod 10 0 drop");
    if !ok {
        common::skip_or_fail(
            "neither tc netem nor nftables can impair the link (apt-get install nftables)",
        );
    }
    ok
}

#[test]
fn req_rep_completes_across_a_lossy_link_that_goes_down_and_up() {
    let Some(net) = NetnsPair::create() else {
        return;
    };
    let endpoint = "tcp://10.213.0.2:5555";
    let mut server = helper("echo-rep", "tcp://10.213.0.2:5555", &[], Some(&net.b));
    let veth = net.veth_a();
    if !impair(&net.a, &veth) {
        kill(&mut server);
        return;
    }
    let mut client = helper(
        "pirate-client",
        endpoint,
        &[("ZMQ_FAULT_COUNT", "40".into())],
        Some(&net.a),
    );
    std::thread::sleep(Duration::from_millis(600));
    assert!(ip(&["-n", &net.a, "link", "set", &veth, "down"]));
    std::thread::sleep(Duration::from_millis(800));
    assert!(ip(&["-n", &net.a, "link", "set", &veth, "up"]));
    let line = wait_for_line(&mut client, "ANSWERED");
    let status = client.wait().unwrap();
    kill(&mut server);
    assert!(status.success());
    assert_eq!(line, "ANSWERED 40");
}
