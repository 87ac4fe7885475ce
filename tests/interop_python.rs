//! Real peers this project did not write: pyzmq (Debian's python3-zmq, on the
//! system's libzmq) at the other end of every pattern, over tcp and ipc, in both
//! directions; CURVE with keys made on each side; PLAIN.

mod common;

use std::process::{Child, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::socket;

const PEER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/pyzmq_peer.py");

struct Py {
    child: Child,
    lines: Receiver<String>,
    /// The CURVE public key a `server_generate=1` peer made.
    public: Option<String>,
}

fn pyzmq_available() -> bool {
    common::python().is_some()
}

impl Py {
    fn spawn(role: &str, endpoint: &str, how: &str, count: usize, opts: &[String]) -> Py {
        let mut child = common::python()
            .expect("checked by pyzmq_available")
            .arg(PEER)
            .args([role, endpoint, how, &count.to_string()])
            .args(opts)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3");
        let lines = common::stdout_lines(&mut child);
        let mut py = Py {
            child,
            lines,
            public: None,
        };
        loop {
            let line = py
                .lines
                .recv_timeout(Duration::from_secs(15))
                .expect("the python peer went quiet");
            if let Some(key) = line.strip_prefix("PUBLIC ") {
                py.public = Some(key.to_owned());
            } else {
                assert_eq!(line, "READY");
                return py;
            }
        }
    }

    /// Waits for the peer to finish; returns the messages it received.
    fn finish(mut self) -> Vec<Vec<Vec<u8>>> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut received = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .expect("the python peer did not finish");
            if line == "DONE" {
                break;
            }
            let frames = line.strip_prefix("RECV ").expect("a RECV line");
            received.push(frames.split('|').map(hex).collect());
        }
        assert!(self.child.wait().unwrap().success());
        received
    }
}

impl Drop for Py {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[derive(Clone, Copy, Debug)]
enum Transport {
    Tcp,
    Ipc,
}

/// An endpoint for a peer that binds.
fn fresh_endpoint(t: Transport, name: &str) -> String {
    match t {
        Transport::Tcp => format!(
            "tcp://127.0.0.1:{}",
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        ),
        Transport::Ipc => common::ipc(name),
    }
}

/// Binds a Rust socket; returns the endpoint the peer connects to.
fn rust_bind(s: &zmq::Socket, t: Transport, name: &str) -> String {
    match t {
        Transport::Tcp => common::bind_tcp(s),
        Transport::Ipc => {
            let e = common::ipc(name);
            s.bind(&e).unwrap();
            e
        }
    }
}

const TRANSPORTS: [Transport; 2] = [Transport::Tcp, Transport::Ipc];

#[test]
fn req_rep_with_pyzmq_both_ways() {
    if !pyzmq_available() {
        return;
    }
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        // Rust binds REP, Python REQ connects.
        let rep = socket(&ctx, zmq::REP);
        let endpoint = rust_bind(&rep, t, "reqrep");
        let py = Py::spawn("req", &endpoint, "connect", 3, &[]);
        for i in 0..3 {
            let request = rep.recv_bytes(0).unwrap();
            assert_eq!(request, format!("py-request-{i}").into_bytes(), "{t:?}");
            rep.send([b"re:".as_slice(), &request].concat(), 0).unwrap();
        }
        let got = py.finish();
        assert_eq!(got[2], vec![b"re:py-request-2".to_vec()]);

        // Python binds REP, Rust REQ connects.
        let endpoint = fresh_endpoint(t, "reqrep-py");
        let py = Py::spawn("rep", &endpoint, "bind", 2, &[]);
        let req = socket(&ctx, zmq::REQ);
        req.connect(&endpoint).unwrap();
        for i in 0..2 {
            req.send_multipart([format!("rust-{i}").as_str(), "tail"], 0)
                .unwrap();
            let reply = req.recv_multipart(0).unwrap();
            assert_eq!(
                reply,
                vec![format!("re:rust-{i}").into_bytes(), b"tail".to_vec()],
                "{t:?}"
            );
        }
        assert_eq!(py.finish().len(), 2);
    }
}

#[test]
fn pub_sub_with_pyzmq_both_ways() {
    if !pyzmq_available() {
        return;
    }
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        // Rust publishes, Python subscribes to one topic.
        let publisher = socket(&ctx, zmq::PUB);
        let endpoint = rust_bind(&publisher, t, "pubsub");
        let py = Py::spawn("sub", &endpoint, "connect", 3, &["topic=news.".into()]);
        let (tx, done) = channel();
        let waiter = std::thread::spawn(move || tx.send(py.finish()).unwrap());
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut i = 0;
        let got = loop {
            publisher.send(format!("sports.{i}").as_str(), 0).unwrap();
            publisher.send(format!("news.{i}").as_str(), 0).unwrap();
            i += 1;
            if let Ok(got) = done.recv_timeout(Duration::from_millis(5)) {
                break got;
            }
            assert!(
                Instant::now() < deadline,
                "{t:?}: the python subscriber got nothing"
            );
        };
        waiter.join().unwrap();
        assert_eq!(got.len(), 3);
        assert!(
            got.iter().all(|m| m[0].starts_with(b"news.")),
            "{t:?}: {got:?}"
        );

        // Python publishes, Rust subscribes.
        let endpoint = fresh_endpoint(t, "pubsub-py");
        let _py = Py::spawn(
            "pub",
            &endpoint,
            "bind",
            0,
            &["topic=news.".into(), "timeout_ms=15000".into()],
        );
        let subscriber = socket(&ctx, zmq::SUB);
        subscriber.set_subscribe(b"news.").unwrap();
        subscriber.connect(&endpoint).unwrap();
        for _ in 0..3 {
            assert!(
                subscriber.recv_bytes(0).unwrap().starts_with(b"news."),
                "{t:?}"
            );
        }
    }
}

#[test]
fn push_pull_with_pyzmq_both_ways() {
    if !pyzmq_available() {
        return;
    }
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let push = socket(&ctx, zmq::PUSH);
        let endpoint = rust_bind(&push, t, "pushpull");
        let py = Py::spawn("pull", &endpoint, "connect", 3, &[]);
        for i in 0..3 {
            push.send_multipart([format!("rust-{i}").into_bytes(), vec![0, 255]], 0)
                .unwrap();
        }
        let got = py.finish();
        assert_eq!(got[1], vec![b"rust-1".to_vec(), vec![0, 255]], "{t:?}");

        let endpoint = fresh_endpoint(t, "pushpull-py");
        let py = Py::spawn("push", &endpoint, "bind", 3, &[]);
        let pull = socket(&ctx, zmq::PULL);
        pull.connect(&endpoint).unwrap();
        for i in 0..3 {
            let frames = pull.recv_multipart(0).unwrap();
            assert_eq!(
                frames,
                vec![format!("py-part-a-{i}").into_bytes(), b"py-part-b".to_vec()],
                "{t:?}"
            );
        }
        py.finish();
    }
}

#[test]
fn dealer_router_envelopes_with_pyzmq_both_ways() {
    if !pyzmq_available() {
        return;
    }
    for t in TRANSPORTS {
        let ctx = zmq::Context::new();
        let router = socket(&ctx, zmq::ROUTER);
        let endpoint = rust_bind(&router, t, "router");
        let py = Py::spawn("dealer", &endpoint, "connect", 2, &[]);
        for i in 0..2 {
            let mut frames = router.recv_multipart(0).unwrap();
            assert_eq!(frames.len(), 3, "{t:?}: [id, empty, body]");
            assert!(frames[1].is_empty());
            assert_eq!(frames[2], format!("py-job-{i}").into_bytes());
            frames[2] = [b"re:".as_slice(), &frames[2]].concat();
            router.send_multipart(frames, 0).unwrap();
        }
        let got = py.finish();
        assert_eq!(got[0], vec![vec![], b"re:py-job-0".to_vec()]);

        let endpoint = fresh_endpoint(t, "router-py");
        let py = Py::spawn("router", &endpoint, "bind", 2, &[]);
        let dealer = socket(&ctx, zmq::DEALER);
        dealer.connect(&endpoint).unwrap();
        for i in 0..2 {
            dealer
                .send_multipart(["", &format!("rust-job-{i}")], 0)
                .unwrap();
            let reply = dealer.recv_multipart(0).unwrap();
            assert_eq!(
                reply,
                vec![vec![], format!("re:rust-job-{i}").into_bytes()],
                "{t:?}"
            );
        }
        py.finish();
    }
}

#[test]
fn curve_with_keys_made_on_each_side() {
    if !pyzmq_available() || zmq::has("curve") != Some(true) {
        return;
    }
    let ctx = zmq::Context::new();
    // A Rust CURVE server (Rust keys); a Python client with keys it made.
    let server_keys = zmq::CurveKeyPair::new().unwrap();
    let rep = socket(&ctx, zmq::REP);
    rep.set_curve_server(true).unwrap();
    rep.set_curve_secretkey(&server_keys.secret_key).unwrap();
    let endpoint = common::bind_tcp(&rep);
    let server_public = zmq::z85_encode(&server_keys.public_key).unwrap();
    let py = Py::spawn(
        "req",
        &endpoint,
        "connect",
        1,
        &[
            "client_generate=1".into(),
            format!("server_public={server_public}"),
        ],
    );
    let mut msg = rep.recv_msg(0).unwrap();
    assert_eq!(&msg[..], b"py-request-0");
    assert_eq!(rep.get_mechanism().unwrap(), zmq::Mechanism::ZMQ_CURVE);
    assert!(msg.gets("Peer-Address").is_some());
    rep.send("re:secure", 0).unwrap();
    assert_eq!(py.finish()[0], vec![b"re:secure".to_vec()]);

    // A Python CURVE server (Python keys); a Rust client with Rust keys.
    let endpoint = fresh_endpoint(Transport::Tcp, "curve-py");
    let py = Py::spawn("rep", &endpoint, "bind", 1, &["server_generate=1".into()]);
    let python_public = py.public.clone().expect("the server's key");
    let python_public: [u8; 32] = zmq::z85_decode(&python_public).unwrap().try_into().unwrap();
    let req = socket(&ctx, zmq::REQ);
    req.curve_client(&zmq::Certificate::generate().unwrap(), &python_public)
        .unwrap();
    req.connect(&endpoint).unwrap();
    req.send("rust-secret", 0).unwrap();
    assert_eq!(req.recv_bytes(0).unwrap(), b"re:rust-secret");
    py.finish();
}

#[test]
fn plain_with_pyzmq_both_ways() {
    if !pyzmq_available() {
        return;
    }
    let ctx = zmq::Context::new();
    // Python PLAIN server with its own ZAP authenticator; Rust client.
    let endpoint = fresh_endpoint(Transport::Tcp, "plain");
    let py = Py::spawn(
        "rep",
        &endpoint,
        "bind",
        1,
        &[
            "plain_server=1".into(),
            "plain_user=alice".into(),
            "plain_password=wonderland".into(),
        ],
    );
    let req = socket(&ctx, zmq::REQ);
    req.plain_client("alice", "wonderland").unwrap();
    req.connect(&endpoint).unwrap();
    req.send("hi", 0).unwrap();
    assert_eq!(req.recv_bytes(0).unwrap(), b"re:hi");
    py.finish();

    // Rust PLAIN server with our Authenticator; Python client.
    let auth = zmq::Authenticator::start(&ctx).unwrap();
    auth.set_plain_passwords(zmq::ANY_DOMAIN, [("bob", "builder")]);
    let rep = socket(&ctx, zmq::REP);
    rep.plain_server().unwrap();
    let endpoint = common::bind_tcp(&rep);
    let py = Py::spawn(
        "req",
        &endpoint,
        "connect",
        1,
        &["plain_user=bob".into(), "plain_password=builder".into()],
    );
    let mut msg = rep.recv_msg(0).unwrap();
    assert_eq!(msg.gets("User-Id"), Some("bob"));
    rep.send("re:ok", 0).unwrap();
    assert_eq!(py.finish()[0], vec![b"re:ok".to_vec()]);
}
