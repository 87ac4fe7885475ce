//! PGM, EPGM and NORM on loopback only, each test on its own port.

mod common;

use std::time::{Duration, Instant};

/// Publishes until the subscriber receives (multicast joins take a moment).
fn pub_sub_over(publisher_endpoint: &str, subscriber_endpoint: &str) {
    let ctx = zmq::Context::new();
    let publisher = common::socket(&ctx, zmq::PUB);
    publisher.set_rate(1000).unwrap();
    publisher.connect(publisher_endpoint).unwrap();
    let subscriber = common::socket(&ctx, zmq::SUB);
    subscriber.set_subscribe(b"mc.").unwrap();
    subscriber.connect(subscriber_endpoint).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut i = 0;
    loop {
        publisher.send(format!("other.{i}").as_str(), 0).unwrap();
        publisher.send(format!("mc.{i}").as_str(), 0).unwrap();
        i += 1;
        if subscriber.poll(zmq::POLLIN, 50).unwrap() > 0 {
            let msg = subscriber.recv_bytes(0).unwrap();
            assert!(msg.starts_with(b"mc."), "{}", String::from_utf8_lossy(&msg));
            return;
        }
        assert!(
            Instant::now() < deadline,
            "nothing arrived over {subscriber_endpoint}"
        );
    }
}

#[test]
fn epgm_pub_sub_on_loopback() {
    if !cfg!(zmq_pgm) {
        if cfg!(feature = "pgm") {
            panic!("the pgm feature is on but libzmq has no PGM");
        }
        common::skip("PGM tests need `--features pgm`");
        return;
    }
    let endpoint = "epgm://127.0.0.1;239.192.77.1:27101";
    pub_sub_over(endpoint, endpoint);
}

#[test]
fn pgm_pub_sub_needs_cap_net_raw() {
    if !cfg!(zmq_pgm) {
        common::skip("PGM tests need `--features pgm`");
        return;
    }
    // Without CAP_NET_RAW libzmq aborts the process on pgm://: check first.
    if !has_cap_net_raw() {
        common::skip_or_fail("pgm:// needs CAP_NET_RAW (raw sockets)");
        return;
    }
    let endpoint = "pgm://127.0.0.1;239.192.77.2:27102";
    pub_sub_over(endpoint, endpoint);
}

#[test]
fn norm_pub_sub_on_loopback() {
    if !cfg!(zmq_norm) {
        if cfg!(feature = "norm") {
            panic!("the norm feature is on but libzmq has no NORM");
        }
        common::skip("NORM tests need `--features norm`");
        return;
    }
    let endpoint = "norm://127.0.0.1;239.192.77.3:27103";
    pub_sub_over(endpoint, endpoint);
}

/// Whether this process may open raw sockets (CAP_NET_RAW in its effective set).
fn has_cap_net_raw() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << 13) != 0)
}
