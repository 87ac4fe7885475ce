//! `zmqcat proxy` in its three modes with pyzmq at both ends and on the
//! capture, and the ways a proxy run stops.

mod common;

use common::{assert_fails_with, pyzmq, zmqcat, Proc};

const ANY: &str = "tcp://127.0.0.1:*";

/// Starts `zmqcat proxy MODE` on free ports; returns it with its frontend,
/// backend and capture endpoints (read from its first lines).
fn proxy(mode: &str, extra: &[&str]) -> (Proc, [String; 3]) {
    let mut args = vec!["proxy", mode, ANY, ANY, "--capture", ANY];
    args.extend_from_slice(extra);
    let mut proxy = Proc::zmqcat(&args);
    let endpoints = ["frontend", "backend", "capture"].map(|name| {
        let line = proxy.stdout_line();
        let endpoint = line.strip_prefix(&format!("{name} ")).expect(&line);
        assert!(endpoint.starts_with("tcp://127.0.0.1:") && !endpoint.ends_with('*'));
        endpoint.to_owned()
    });
    (proxy, endpoints)
}

/// Python peers get the three endpoints as `argv[1:4]` and `sock(type, endpoint)`.
const PY_PRELUDE: &str = "\
import sys, time, zmq
front, back, cap = sys.argv[1:4]
ctx = zmq.Context()
def sock(kind, endpoint):
    s = ctx.socket(kind)
    s.linger = 1000
    s.rcvtimeo = 15000
    s.connect(endpoint)
    return s
";

fn python(body: &str, endpoints: &[String; 3]) -> Vec<String> {
    let script = format!("{PY_PRELUDE}{body}");
    let args: Vec<&str> = endpoints.iter().map(String::as_str).collect();
    let out = Proc::python(&script, &args).finish();
    assert!(out.status.success(), "{}", out.err());
    out.stdout
}

#[test]
fn streamer_passes_pushed_messages_on_and_copies_them_to_a_push_capture() {
    if !pyzmq() {
        return;
    }
    let (proxy, endpoints) = proxy(
        "streamer",
        &[
            "--capture-type",
            "push",
            "--count",
            "5",
            "--timeout",
            "15000",
        ],
    );
    let lines = python(
        "out = sock(zmq.PULL, back)\n\
         copies = sock(zmq.PULL, cap)\n\
         into = sock(zmq.PUSH, front)\n\
         msgs = [[b'job %d' % i] for i in range(4)] + [[b'multi', b'part']]\n\
         for m in msgs:\n\
         \x20   into.send_multipart(m)\n\
         for s, name in [(out, 'OUT'), (copies, 'CAP')]:\n\
         \x20   for _ in msgs:\n\
         \x20       print(name, b'|'.join(s.recv_multipart()).decode())\n",
        &endpoints,
    );
    let expected: Vec<String> = ["OUT", "CAP"]
        .iter()
        .flat_map(|side| {
            ["job 0", "job 1", "job 2", "job 3", "multi|part"].map(|m| format!("{side} {m}"))
        })
        .collect();
    assert_eq!(lines, expected);
    let out = proxy.finish();
    assert!(out.status.success(), "{}", out.err());
    assert!(
        out.err()
            .contains("proxy stopped (the count was reached) after 5 messages"),
        "{}",
        out.err()
    );
}

#[test]
fn queue_carries_requests_and_replies_and_captures_both() {
    if !pyzmq() {
        return;
    }
    let (proxy, endpoints) = proxy(
        "queue",
        &[
            "--capture-type",
            "push",
            "--count",
            "6",
            "--timeout",
            "15000",
        ],
    );
    let lines = python(
        "worker = sock(zmq.REP, back)\n\
         client = sock(zmq.REQ, front)\n\
         copies = sock(zmq.PULL, cap)\n\
         for i in range(3):\n\
         \x20   client.send(b'req %d' % i)\n\
         \x20   worker.send(b're:' + worker.recv())\n\
         \x20   print('REPLY', client.recv().decode())\n\
         for _ in range(6):\n\
         \x20   frames = copies.recv_multipart()\n\
         \x20   print('CAP', len(frames), frames[-1].decode())\n",
        &endpoints,
    );
    let mut expected: Vec<String> = (0..3).map(|i| format!("REPLY re:req {i}")).collect();
    // Each copy carries the ROUTER's envelope: routing id, empty frame, body.
    for i in 0..3 {
        expected.push(format!("CAP 3 req {i}"));
        expected.push(format!("CAP 3 re:req {i}"));
    }
    assert_eq!(lines, expected);
    let out = proxy.finish();
    assert!(out.status.success(), "{}", out.err());
    assert!(out.err().contains("after 6 messages"), "{}", out.err());
}

#[cfg(unix)]
#[test]
fn forwarder_publishes_to_subscribers_and_a_pub_capture_until_ctrl_c() {
    if !pyzmq() {
        return;
    }
    let (proxy, endpoints) = proxy("forwarder", &[]);
    // PUB/SUB joins late: publish until the subscriber and the capture have
    // three messages each (or 15 seconds pass).
    let lines = python(
        "sub = sock(zmq.SUB, back)\n\
         sub.subscribe(b'')\n\
         copies = sock(zmq.SUB, cap)\n\
         copies.subscribe(b'news')\n\
         pub = sock(zmq.PUB, front)\n\
         got = {sub: [], copies: []}\n\
         poller = zmq.Poller()\n\
         poller.register(sub, zmq.POLLIN)\n\
         poller.register(copies, zmq.POLLIN)\n\
         end, i = time.time() + 15, 0\n\
         while time.time() < end and min(len(v) for v in got.values()) < 3:\n\
         \x20   pub.send(b'news %d' % i)\n\
         \x20   i += 1\n\
         \x20   for s, _ in poller.poll(50):\n\
         \x20       got[s].append(s.recv().decode())\n\
         for s, name in [(sub, 'SUB'), (copies, 'CAP')]:\n\
         \x20   print(name, *got[s])\n",
        &endpoints,
    );
    for (line, side) in lines.iter().zip(["SUB", "CAP"]) {
        let words: Vec<&str> = line.split(' ').collect();
        assert_eq!(words[0], side, "{lines:?}");
        let numbers: Vec<u32> = words[1..]
            .chunks(2)
            .map(|m| {
                assert_eq!(m[0], "news", "{line}");
                m[1].parse().unwrap()
            })
            .collect();
        assert!(numbers.len() >= 3, "{side} got too little: {line}");
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "in order: {line}");
    }
    assert_eq!(lines.len(), 2, "{lines:?}");
    proxy.interrupt();
    let out = proxy.finish();
    assert!(out.status.success(), "{}", out.err());
    assert!(
        out.err().contains("proxy stopped (a signal came)"),
        "{}",
        out.err()
    );
}

#[test]
fn proxy_stops_on_its_limits_and_reports_bad_endpoints() {
    let out = zmqcat(&["proxy", "streamer", ANY, ANY, "--duration", "300"]);
    assert!(out.status.success(), "{}", out.err());
    assert_eq!(
        out.stdout.len(),
        2,
        "frontend and backend: {:?}",
        out.stdout
    );
    assert!(out.err().contains("after 0 messages"), "{}", out.err());

    let out = zmqcat(&[
        "proxy",
        "queue",
        ANY,
        ANY,
        "--count",
        "1",
        "--timeout",
        "300",
    ]);
    assert_fails_with(&out, "timed out after 0 of 1 messages");

    let out = zmqcat(&["proxy", "forwarder", ANY, "nonsense", "--duration", "300"]);
    assert_fails_with(&out, "backend: bind nonsense: Invalid argument");
    let out = zmqcat(&["proxy", "forwarder", ANY, ANY, "--capture", ">nonsense"]);
    assert_fails_with(&out, "capture: connect nonsense: Invalid argument");
}
