//! zmqcat against real peers: pyzmq (python3-zmq) and this crate's sockets.

use std::io::Write;
use std::process::{Command, Stdio};

mod common;

use common::ZMQCAT;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn python() -> Option<Command> {
    common::pyzmq().then(|| Command::new(common::python().expect("checked")))
}

#[test]
fn zmqcat_sub_prints_what_a_python_pub_publishes_on_its_topic() {
    let Some(mut py) = python() else { return };
    let port = free_port();
    let mut publisher = py
        .arg("-c")
        .arg(
            "import sys, time, zmq\n\
             s = zmq.Context().socket(zmq.PUB)\n\
             s.bind('tcp://127.0.0.1:' + sys.argv[1])\n\
             end = time.time() + 10\n\
             i = 0\n\
             while time.time() < end:\n\
             \x20   s.send_string('sports.%d' % i)\n\
             \x20   s.send_multipart([b'weather.%d' % i, b'\\x00\\x01'])\n\
             \x20   i += 1\n\
             \x20   time.sleep(0.01)\n",
        )
        .arg(port.to_string())
        .spawn()
        .unwrap();
    let out = Command::new(ZMQCAT)
        .args([
            "sub",
            &format!("tcp://127.0.0.1:{port}"),
            "--subscribe",
            "weather.",
            "--count",
            "3",
            "--timeout",
            "8000",
        ])
        .output()
        .unwrap();
    publisher.kill().ok();
    publisher.wait().ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for line in lines {
        let (topic, body) = line.split_once(" | ").expect("two frames");
        assert!(topic.starts_with("weather."), "{line}");
        assert_eq!(body, "\\x00\\x01", "binary is shown escaped");
    }
}

#[test]
fn zmqcat_push_sends_to_a_python_pull() {
    let Some(mut py) = python() else { return };
    let port = free_port();
    let puller = py
        .arg("-c")
        .arg(
            "import sys, zmq\n\
             s = zmq.Context().socket(zmq.PULL)\n\
             s.setsockopt(zmq.RCVTIMEO, 10000)\n\
             s.bind('tcp://127.0.0.1:' + sys.argv[1])\n\
             for _ in range(3):\n\
             \x20   print(s.recv_multipart())\n",
        )
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut push = Command::new(ZMQCAT)
        .args(["push", &format!("tcp://127.0.0.1:{port}"), "--frames", ","])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    push.stdin
        .take()
        .unwrap()
        .write_all(b"first\nsecond\na,b\n")
        .unwrap();
    assert!(push.wait().unwrap().success());
    let out = puller.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[b'first']\n[b'second']\n[b'a', b'b']\n"
    );
}

#[test]
fn zmqcat_pull_prints_hex_and_req_rep_round_trips() {
    let endpoint = format!("tcp://127.0.0.1:{}", free_port());
    let pull = Command::new(ZMQCAT)
        .args([
            "pull",
            &endpoint,
            "--bind",
            "--count",
            "1",
            "--hex",
            "--timeout",
            "8000",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let ctx = zmq::Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_linger(2_000).unwrap();
    push.connect(&endpoint).unwrap();
    push.send_multipart([vec![0xde, 0xad], vec![0xbe, 0xef]], 0)
        .unwrap();
    let out = pull.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "dead | beef\n");

    let rep_endpoint = format!("tcp://127.0.0.1:{}", free_port());
    let rep = ctx.socket(zmq::REP).unwrap();
    rep.set_linger(0).unwrap();
    rep.set_rcvtimeo(8_000).unwrap();
    rep.bind(&rep_endpoint).unwrap();
    let req = Command::new(ZMQCAT)
        .args(["req", &rep_endpoint, "--send", "ping", "--timeout", "8000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    assert_eq!(rep.recv_bytes(0).unwrap(), b"ping");
    rep.send("pong", 0).unwrap();
    let out = req.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "pong\n");
}

#[test]
fn zmqcat_reports_bad_input_without_panicking() {
    let out = Command::new(ZMQCAT)
        .args(["pull", "not-an-endpoint"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("zmqcat: connect not-an-endpoint: Invalid argument"));
    let out = Command::new(ZMQCAT)
        .args([
            "pull",
            "tcp://127.0.0.1:1",
            "--count",
            "1",
            "--timeout",
            "100",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("timed out after 0 of 1"));
}
