//! CURVE and PLAIN between zmqcat and pyzmq, each side as server and client.

mod common;

use common::{assert_fails_with, pyzmq, zmqcat, Proc};

/// A pyzmq REP server: prints its endpoint, answers each request with
/// `reply:REQUEST:USER-ID` until it has answered `argv[2]` requests. `argv[1]`
/// is python code run first, which sets up `s` (and may start `auth`).
const PY_SERVER: &str = "\
import sys, zmq, zmq.auth, zmq.auth.thread
ctx = zmq.Context()
s = ctx.socket(zmq.REP)
s.linger = 1000
s.rcvtimeo = 15000
auth = None
exec(sys.argv[1])
port = s.bind_to_random_port('tcp://127.0.0.1')
print('tcp://127.0.0.1:%d' % port, flush=True)
for _ in range(int(sys.argv[2])):
    frame = s.recv(copy=False)
    try:
        user = frame.get('User-Id')
    except zmq.ZMQError:
        user = ''
    s.send(b'reply:' + frame.bytes + b':' + user.encode())
if auth:
    auth.stop()
";

fn py_server(setup: &str, requests: usize) -> (Proc, String) {
    let mut py = Proc::python(PY_SERVER, &[setup, &requests.to_string()]);
    let endpoint = py.stdout_line();
    (py, endpoint)
}

#[test]
fn zmqcat_curve_client_reaches_a_pyzmq_curve_server_with_pyzmq_certificates() {
    if !pyzmq() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir_name = dir.path().to_str().unwrap();
    // The server's certificates come from pyzmq; zmqcat reads the public one.
    let setup = format!(
        "pub_file, sec_file = zmq.auth.create_certificates({dir_name:?}, 'server')\n\
         s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(sec_file)\n\
         s.curve_server = True\n"
    );
    let (py, endpoint) = py_server(&setup, 1);
    let server_cert = format!("{dir_name}/server.key");
    // No --curve-cert: zmqcat makes a key pair for the run.
    let out = zmqcat(&[
        "req",
        &endpoint,
        "--curve-serverkey",
        &server_cert,
        "--send",
        "ping",
        "--timeout",
        "15000",
    ]);
    assert!(out.status.success(), "{}", out.err());
    assert_eq!(out.stdout, ["reply:ping:"]);
    assert!(py.finish().status.success());
}

#[test]
fn zmqcat_curve_client_certificate_passes_a_pyzmq_authenticator() {
    if !pyzmq() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let allowed = dir.path().join("allowed");
    std::fs::create_dir(&allowed).unwrap();
    let client = dir.path().join("allowed/client");
    let client = client.to_str().unwrap();
    let made = zmqcat(&["keygen", client]);
    assert!(made.status.success(), "{}", made.err());
    let client_public = made.stdout[0].clone();
    // pyzmq's authenticator loads the *.key files of a directory.
    std::fs::rename(client, format!("{client}.key")).unwrap();

    let setup = format!(
        "auth = zmq.auth.thread.ThreadAuthenticator(ctx)\n\
         auth.start()\n\
         auth.configure_curve(domain='*', location={:?})\n\
         pub, sec = zmq.curve_keypair()\n\
         print(pub.decode(), flush=True)\n\
         s.curve_publickey, s.curve_secretkey = pub, sec\n\
         s.curve_server = True\n",
        allowed.to_str().unwrap()
    );
    let mut py = Proc::python(PY_SERVER, &[&setup, "1"]);
    let server_key = py.stdout_line();
    let endpoint = py.stdout_line();

    // Another key is refused: nothing comes back.
    let refused = zmqcat(&[
        "req",
        &endpoint,
        "--curve-serverkey",
        &server_key,
        "--send",
        "intruder",
        "--timeout",
        "1500",
    ]);
    assert_fails_with(&refused, "timed out waiting for a reply");
    assert!(refused.stdout.is_empty());

    let out = zmqcat(&[
        "req",
        &endpoint,
        "--curve-serverkey",
        &server_key,
        "--curve-cert",
        &format!("{client}_secret"),
        "--send",
        "ping",
        "--timeout",
        "15000",
    ]);
    assert!(out.status.success(), "{}", out.err());
    // pyzmq's User-Id for CURVE is the client's public key.
    assert_eq!(out.stdout, [format!("reply:ping:{client_public}")]);
    assert!(py.finish().status.success());
}

/// A pyzmq REQ client: `argv[2]` is python code that sets up `s`; sends
/// `argv[3]` and prints the reply, or `NO REPLY` after 2 seconds.
const PY_CLIENT: &str = "\
import sys, zmq, zmq.auth
s = zmq.Context().socket(zmq.REQ)
s.linger = 0
s.rcvtimeo = 2000
exec(sys.argv[2])
s.connect(sys.argv[1])
s.send(sys.argv[3].encode())
try:
    print(s.recv().decode(), flush=True)
except zmq.Again:
    print('NO REPLY', flush=True)
";

fn py_client(endpoint: &str, setup: &str, message: &str) -> String {
    let mut py = Proc::python(PY_CLIENT, &[endpoint, setup, message]);
    let line = py.stdout_line();
    assert!(py.finish().status.success());
    line
}

#[test]
fn pyzmq_curve_clients_reach_a_zmqcat_curve_server_that_checks_their_keys() {
    if !pyzmq() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = dir.path().join("server");
    let server = server.to_str().unwrap();
    assert!(zmqcat(&["keygen", server]).status.success());
    let clients = dir.path().join("clients");
    std::fs::create_dir(&clients).unwrap();
    let clients = clients.to_str().unwrap();
    let known = Proc::python(
        "import sys, zmq.auth\nzmq.auth.create_certificates(sys.argv[1], 'known')\n",
        &[clients],
    )
    .finish();
    assert!(known.status.success(), "{}", known.err());

    let mut rep = Proc::zmqcat(&[
        "rep",
        "tcp://127.0.0.1:*",
        "--bind",
        "--curve-server",
        &format!("{server}_secret"),
        "--curve-allow",
        clients,
        "--send",
        "pong",
        "--count",
        "1",
        "--timeout",
        "15000",
    ]);
    let endpoint = rep.bound();
    let as_client = |key_setup: &str| {
        format!(
            "{key_setup}\n\
             s.curve_serverkey = zmq.auth.load_certificate({server:?})[0]\n"
        )
    };
    let stranger = as_client("s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()");
    assert_eq!(py_client(&endpoint, &stranger, "let me in"), "NO REPLY");
    let member = as_client(&format!(
        "s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate({:?})",
        format!("{clients}/known.key_secret")
    ));
    assert_eq!(py_client(&endpoint, &member, "ping"), "pong");
    let out = rep.finish();
    assert!(out.status.success(), "{}", out.err());
    assert_eq!(out.stdout, ["ping"], "the stranger's request never arrived");
}

#[test]
fn zmqcat_plain_client_logs_in_to_a_pyzmq_plain_server() {
    if !pyzmq() {
        return;
    }
    let setup = "auth = zmq.auth.thread.ThreadAuthenticator(ctx)\n\
                 auth.start()\n\
                 auth.configure_plain(domain='*', passwords={'ann': 'open sesame'})\n\
                 s.plain_server = True\n";
    let (py, endpoint) = py_server(setup, 1);
    let login = |password: &str, timeout: &str| {
        zmqcat(&[
            "req",
            &endpoint,
            "--plain-user",
            "ann",
            "--plain-password",
            password,
            "--send",
            "hello",
            "--timeout",
            timeout,
        ])
    };
    let wrong = login("guess", "1500");
    assert_fails_with(&wrong, "timed out waiting for a reply");
    assert!(wrong.stdout.is_empty(), "{:?}", wrong.stdout);
    let right = login("open sesame", "15000");
    assert!(right.status.success(), "{}", right.err());
    assert_eq!(right.stdout, ["reply:hello:ann"]);
    assert!(py.finish().status.success());
}

#[test]
fn pyzmq_plain_clients_log_in_to_a_zmqcat_plain_server() {
    if !pyzmq() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let passwords = dir.path().join("passwords");
    std::fs::write(&passwords, "# user=password\nann=one\n\nbob = two\n").unwrap();
    let mut rep = Proc::zmqcat(&[
        "rep",
        "tcp://127.0.0.1:*",
        "--bind",
        "--plain-server",
        passwords.to_str().unwrap(),
        "--plain-server",
        "cy=three",
        "--count",
        "3",
        "--timeout",
        "15000",
    ]);
    let endpoint = rep.bound();
    let login = |user: &str, password: &str, message: &str| {
        let setup = format!("s.plain_username = b{user:?}\ns.plain_password = b{password:?}\n");
        py_client(&endpoint, &setup, message)
    };
    assert_eq!(login("ann", "wrong", "sneaky"), "NO REPLY");
    assert_eq!(login("nobody", "one", "sneaky"), "NO REPLY");
    for (user, password) in [("ann", "one"), ("bob", "two"), ("cy", "three")] {
        let message = format!("from {user}");
        assert_eq!(login(user, password, &message), message, "REP echoes");
    }
    let out = rep.finish();
    assert!(out.status.success(), "{}", out.err());
    assert_eq!(out.stdout, ["from ann", "from bob", "from cy"]);
}
