//! CURVE and PLAIN through the ZAP Authenticator; certificates, also with pyzmq.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::socket;
use zmq::monitor::{EventKind, Monitor};
use zmq::security::IpNet;
use zmq::{Authenticator, Certificate};

fn require_curve() -> bool {
    if zmq::has("curve") == Some(true) {
        return true;
    }
    common::skip_or_fail("libzmq without CURVE");
    false
}

/// A REP server (configured by `setup`) on tcp loopback with a monitor.
fn server(ctx: &zmq::Context, setup: impl FnOnce(&zmq::Socket)) -> (zmq::Socket, String, Monitor) {
    let s = socket(ctx, zmq::REP);
    setup(&s);
    let monitor = Monitor::new(ctx, &s, 0xFFFF).unwrap();
    let endpoint = common::bind_tcp(&s);
    (s, endpoint, monitor)
}

/// Waits for the server's handshake outcome: Ok(()) or the failure event
/// (bounded: 30 s, for CURVE handshakes under valgrind).
fn handshake_outcome(monitor: &Monitor) -> Result<(), EventKind> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = monitor
            .recv_timeout(left)
            .unwrap()
            .expect("a handshake event within 30 s");
        match event.kind {
            EventKind::HandshakeSucceeded => return Ok(()),
            kind @ (EventKind::HandshakeFailedAuth { .. }
            | EventKind::HandshakeFailedProtocol { .. }
            | EventKind::HandshakeFailedNoDetail { .. }) => return Err(kind),
            _ => {}
        }
    }
}

/// Sends a request from `client` and says whether the server received it.
fn delivered(server: &zmq::Socket, client: &zmq::Socket) -> Option<zmq::Message> {
    client.send("hello", zmq::DONTWAIT).ok();
    server.set_rcvtimeo(10_000).unwrap();
    server.recv_msg(0).ok()
}

/// Sends from `client` and says whether the server received nothing within
/// 300 ms (a refused client's message never arrives).
fn not_delivered(server: &zmq::Socket, client: &zmq::Socket) -> bool {
    client.send("hello", zmq::DONTWAIT).ok();
    server.set_rcvtimeo(300).unwrap();
    server.recv_msg(0).is_err()
}

#[test]
fn a_curve_client_with_the_right_server_key_gets_through_with_its_key_as_user_id() {
    if !require_curve() {
        return;
    }
    let ctx = zmq::Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.allow_any_curve(zmq::ANY_DOMAIN);
    let server_cert = Certificate::generate().unwrap();
    let (srv, endpoint, monitor) = server(&ctx, |s| s.curve_server(&server_cert).unwrap());
    let client_cert = Certificate::generate().unwrap();
    let client = socket(&ctx, zmq::REQ);
    client
        .curve_client(&client_cert, server_cert.public_key())
        .unwrap();
    client.connect(&endpoint).unwrap();
    assert_eq!(handshake_outcome(&monitor), Ok(()));
    let mut msg = delivered(&srv, &client).expect("delivered");
    assert_eq!(
        msg.gets("User-Id"),
        Some(client_cert.public_key_z85().as_str())
    );
    assert_eq!(srv.get_mechanism().unwrap(), zmq::Mechanism::ZMQ_CURVE);
}

#[test]
fn a_client_key_missing_from_the_store_is_refused_with_400_and_one_in_it_passes() {
    if !require_curve() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let known = Certificate::generate()
        .unwrap()
        .with_meta("name", "known-client")
        .unwrap();
    known.save(dir.path().join("known.key")).unwrap();
    let ctx = zmq::Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.set_curve_certificates(zmq::ANY_DOMAIN, dir.path())
        .unwrap();
    let server_cert = Certificate::generate().unwrap();

    let (srv, endpoint, monitor) = server(&ctx, |s| s.curve_server(&server_cert).unwrap());
    let stranger = socket(&ctx, zmq::REQ);
    stranger
        .curve_client(&Certificate::generate().unwrap(), server_cert.public_key())
        .unwrap();
    stranger.connect(&endpoint).unwrap();
    assert_eq!(
        handshake_outcome(&monitor),
        Err(EventKind::HandshakeFailedAuth { status_code: 400 })
    );
    assert!(
        not_delivered(&srv, &stranger),
        "a refused client's message arrived"
    );

    let (srv, endpoint, monitor) = server(&ctx, |s| s.curve_server(&server_cert).unwrap());
    let friend = socket(&ctx, zmq::REQ);
    friend
        .curve_client(&known, server_cert.public_key())
        .unwrap();
    friend.connect(&endpoint).unwrap();
    assert_eq!(handshake_outcome(&monitor), Ok(()));
    let mut msg = delivered(&srv, &friend).expect("delivered");
    // The certificate's metadata travels as message properties.
    assert_eq!(msg.gets("name"), Some("known-client"));

    // A certificate added to the directory later is picked up.
    let late = Certificate::generate().unwrap();
    late.save(dir.path().join("late.key")).unwrap();
    let (srv, endpoint, monitor) = server(&ctx, |s| s.curve_server(&server_cert).unwrap());
    let latecomer = socket(&ctx, zmq::REQ);
    latecomer
        .curve_client(&late, server_cert.public_key())
        .unwrap();
    latecomer.connect(&endpoint).unwrap();
    assert_eq!(handshake_outcome(&monitor), Ok(()));
    assert!(delivered(&srv, &latecomer).is_some());
}

#[test]
fn plain_passwords_are_checked_and_the_user_name_becomes_the_user_id() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("passwords");
    std::fs::write(&file, "# users\nadmin=secret\nguest = guest\n").unwrap();
    auth.load_plain_passwords(zmq::ANY_DOMAIN, &file).unwrap();

    let (srv, endpoint, monitor) = server(&ctx, |s| s.plain_server().unwrap());
    let intruder = socket(&ctx, zmq::REQ);
    intruder.plain_client("admin", "wrong").unwrap();
    intruder.connect(&endpoint).unwrap();
    assert_eq!(
        handshake_outcome(&monitor),
        Err(EventKind::HandshakeFailedAuth { status_code: 400 })
    );
    assert!(not_delivered(&srv, &intruder));

    let (srv, endpoint, monitor) = server(&ctx, |s| s.plain_server().unwrap());
    let admin = socket(&ctx, zmq::REQ);
    admin.plain_client("admin", "secret").unwrap();
    admin.connect(&endpoint).unwrap();
    assert_eq!(handshake_outcome(&monitor), Ok(()));
    let mut msg = delivered(&srv, &admin).expect("delivered");
    assert_eq!(msg.gets("User-Id"), Some("admin"));
}

#[test]
fn a_denied_address_is_refused_and_an_allowed_one_passes() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.deny(["127.0.0.0/8".parse::<IpNet>().unwrap()]);
    let (srv, endpoint, monitor) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let client = socket(&ctx, zmq::REQ);
    client.connect(&endpoint).unwrap();
    assert_eq!(
        handshake_outcome(&monitor),
        Err(EventKind::HandshakeFailedAuth { status_code: 400 })
    );
    assert!(not_delivered(&srv, &client));
    drop(auth);

    let auth = Authenticator::start(&ctx).unwrap();
    auth.allow(["127.0.0.1".parse::<IpNet>().unwrap()]);
    let (srv, endpoint, monitor) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    let client = socket(&ctx, zmq::REQ);
    client.connect(&endpoint).unwrap();
    assert_eq!(handshake_outcome(&monitor), Ok(()));
    assert!(delivered(&srv, &client).is_some());
}

#[test]
fn addresses_taken_off_the_lists_are_decided_again() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    let loopback: IpNet = "127.0.0.0/8".parse().unwrap();
    let connect = || {
        let (srv, endpoint, monitor) = server(&ctx, |s| s.set_zap_domain("global").unwrap());
        let client = socket(&ctx, zmq::REQ);
        client.connect(&endpoint).unwrap();
        let outcome = handshake_outcome(&monitor);
        drop((srv, client));
        outcome
    };
    auth.deny([loopback]);
    assert!(connect().is_err());
    auth.remove_denied([loopback]);
    assert_eq!(connect(), Ok(()));
    auth.allow(["10.0.0.0/8".parse::<IpNet>().unwrap()]);
    assert!(connect().is_err(), "loopback is not on the allow list");
    auth.remove_allowed(["10.0.0.0/8".parse::<IpNet>().unwrap()]);
    assert_eq!(connect(), Ok(()), "an empty allow list allows everybody");
}

#[test]
fn dropping_the_authenticator_ends_its_thread_and_frees_the_zap_endpoint() {
    let ctx = zmq::Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    assert_eq!(
        Authenticator::start(&ctx).err(),
        Some(zmq::Error::EADDRINUSE)
    );
    let started = Instant::now();
    drop(auth);
    assert!(started.elapsed() < Duration::from_secs(2));
    // Its ZAP socket is closed: the endpoint can be bound again.
    Authenticator::start(&ctx).unwrap().stop();
}

#[test]
fn certificates_round_trip_through_files() {
    if !require_curve() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cert = Certificate::generate()
        .unwrap()
        .with_meta("name", "server")
        .unwrap()
        .with_meta("email", "ops@example.invalid")
        .unwrap();
    let path = dir.path().join("server.key");
    cert.save(&path).unwrap();
    let public = Certificate::load(&path).unwrap();
    assert_eq!(public, cert.public_only());
    assert!(public.secret_key().is_none());
    let secret = Certificate::load(dir.path().join("server.key_secret")).unwrap();
    assert_eq!(secret, cert);
    assert!(
        !format!("{secret:?}").contains(&zmq::z85_encode(secret.secret_key().unwrap()).unwrap())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("server.key_secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the secret file is readable by others");
    }
    let derived = Certificate::from_secret_key(*cert.secret_key().unwrap()).unwrap();
    assert_eq!(derived.public_key(), cert.public_key());
}

#[test]
fn malformed_certificates_are_errors_never_panics() {
    let good = "metadata\n    name = \"x\"\ncurve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n";
    assert!(Certificate::parse(good).is_ok());
    for bad in [
        "",
        "curve\n",
        "curve\n    public-key = \"short\"\n",
        "curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n",
        "curve\n    public-key\n",
        "public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n",
        "curve\n    public-key = \"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\"\n",
        "curve\n    = \"x\"\n",
    ] {
        assert!(Certificate::parse(bad).is_err(), "{bad:?}");
    }
    let mut state = 0xdead_beef_u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let alphabet = b"curve metadata public-key secret-key=\"'\n #x:}{]@%0aZ\t";
    for _ in 0..3000 {
        let len = (next() % 200) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(next() as usize) % alphabet.len()] as char)
            .collect();
        let _ = Certificate::parse(&text);
        let mutated = good
            .chars()
            .map(|c| {
                if next() % 17 == 0 {
                    alphabet[(next() as usize) % alphabet.len()] as char
                } else {
                    c
                }
            })
            .collect::<String>();
        let _ = Certificate::parse(&mutated);
    }
    assert!(Certificate::load(Path::new("/nonexistent/cert")).is_err());
}

#[cfg(unix)]
#[test]
fn saving_over_a_world_readable_secret_file_leaves_it_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.key");
    let secret_path = dir.path().join("server.key_secret");
    std::fs::write(&secret_path, "old, readable by everybody").unwrap();
    std::fs::set_permissions(&secret_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let cert = Certificate::generate().unwrap();
    cert.save(&path).unwrap();
    let mode = std::fs::metadata(&secret_path)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "the secret file kept mode {mode:o}");
    assert_eq!(Certificate::load(&secret_path).unwrap(), cert);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn certificate_metadata_round_trips_exactly_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut cert = Certificate::generate().unwrap();
    for (name, value) in [
        ("quote", "say \"hi\""),
        ("apostrophe", "it's"),
        ("both", "it's \"so\""),
        ("hash", "#1 in \"Bob's\" list"),
        ("single", "#1 in a \"list\""),
        ("spaces", "  padded  "),
        ("empty", ""),
        ("unicode", "Grüße, 世界"),
        ("punct.-_@&+/$", "a=b # not a comment"),
    ] {
        match cert.set_meta(name, value) {
            Ok(()) => {}
            // Both quote marks plus what a bare value cannot hold: refused.
            Err(e) => assert_eq!(name, "hash", "{name}: {e}"),
        }
    }
    let path = dir.path().join("meta.key");
    cert.save(&path).unwrap();
    let public = Certificate::load(&path).unwrap();
    assert_eq!(public.metadata(), cert.metadata());
    assert_eq!(
        Certificate::load(dir.path().join("meta.key_secret")).unwrap(),
        cert
    );
    assert_eq!(public.meta("quote"), Some("say \"hi\""));
    assert_eq!(public.meta("both"), Some("it's \"so\""));
    assert_eq!(public.meta("hash"), None);
    for (name, value) in [
        ("line", "first\nsecond"),
        ("cr", "a\rb"),
        ("nul", "a\0b"),
        ("", "no name"),
        ("white space", "x"),
        ("eq=", "x"),
    ] {
        let refused = cert.clone().with_meta(name, value);
        assert!(
            matches!(
                refused,
                Err(zmq::security::CertError::Unrepresentable { .. })
            ),
            "{name:?} = {value:?} was accepted"
        );
    }
    let commented = "metadata\n    a = \"x y\"   # note\n    b = bare # note\ncurve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n";
    let parsed = Certificate::parse(commented).unwrap();
    assert_eq!(
        (parsed.meta("a"), parsed.meta("b")),
        (Some("x y"), Some("bare"))
    );
}

/// A python3 with pyzmq, if there is one.
fn pyzmq() -> Option<Command> {
    common::python()
}

#[test]
fn certificates_written_by_pyzmq_load_here_and_ours_load_in_pyzmq() {
    if !require_curve() {
        return;
    }
    let Some(mut python) = pyzmq() else { return };
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
import sys, zmq.auth
d = sys.argv[1]
pub, sec = zmq.auth.create_certificates(d, "frompy", metadata={"owner": "python"})
ours_pub, ours_sec = zmq.auth.load_certificate(d + "/fromrust.key_secret")
print(ours_pub.decode())
print(ours_sec.decode())
"#;
    let ours = Certificate::generate()
        .unwrap()
        .with_meta("owner", "rust")
        .unwrap();
    ours.save(dir.path().join("fromrust.key")).unwrap();
    let out = python
        .arg("-c")
        .arg(script)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pyzmq failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some(ours.public_key_z85().as_str()),
        "pyzmq read another public key"
    );
    let py_secret = zmq::z85_decode(lines.next().unwrap()).unwrap();
    assert_eq!(
        py_secret,
        ours.secret_key().unwrap().to_vec(),
        "pyzmq read another secret key"
    );

    let theirs = Certificate::load(dir.path().join("frompy.key_secret")).unwrap();
    assert_eq!(theirs.meta("owner"), Some("python"));
    let public = Certificate::load(dir.path().join("frompy.key")).unwrap();
    assert_eq!(public.public_key(), theirs.public_key());
    let derived = Certificate::from_secret_key(*theirs.secret_key().unwrap()).unwrap();
    assert_eq!(
        derived.public_key(),
        theirs.public_key(),
        "pyzmq's key pair does not match"
    );
}

#[test]
fn a_certificate_store_whose_directory_is_gone_holds_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    let client = zmq::Certificate::generate().unwrap();
    client.save(certs.join("client.key")).unwrap();
    let mut store = zmq::CertStore::open(&certs).unwrap();
    assert!(store.get(client.public_key()).is_some());
    // Deleting the directory revokes every key in it (before the fix the
    // store kept them, and the Authenticator, which ignores the error,
    // went on accepting them).
    std::fs::remove_dir_all(&certs).unwrap();
    assert!(store.refresh().is_err());
    assert!(store.get(client.public_key()).is_none());
    assert!(store.is_empty());
    // A directory made again is read again.
    std::fs::create_dir(&certs).unwrap();
    client.save(certs.join("client.key")).unwrap();
    assert_eq!(store.refresh().map_err(|e| e.kind()), Ok(true));
    assert!(store.get(client.public_key()).is_some());
}

#[cfg(unix)]
#[test]
fn a_certificate_store_follows_symbolic_links_and_skips_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let linked = zmq::Certificate::generate().unwrap();
    linked.save(elsewhere.path().join("linked.key")).unwrap();
    // How a Kubernetes secret volume lays out its files (ignored before the fix).
    std::os::unix::fs::symlink(
        elsewhere.path().join("linked.key"),
        dir.path().join("linked.key"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/nonexistent/x", dir.path().join("dangling")).unwrap();
    std::os::unix::fs::symlink("loop-b", dir.path().join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", dir.path().join("loop-b")).unwrap();
    let plain = zmq::Certificate::generate().unwrap();
    plain.save(dir.path().join("plain.key")).unwrap();
    let mut store = zmq::CertStore::open(dir.path()).unwrap();
    assert!(
        store.get(linked.public_key()).is_some(),
        "the linked certificate"
    );
    assert!(store.get(plain.public_key()).is_some());
    assert_eq!(store.len(), 2);
    assert_eq!(store.refresh().map_err(|e| e.kind()), Ok(false));
}
