//! `zmqcat keygen` and `keyinfo`: certificates that pyzmq's `zmq.auth` reads,
//! pyzmq's certificates read by zmqcat, and clear errors for bad key files.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{assert_fails_with, pyzmq, zmqcat, Proc};

/// `keyinfo` output as (public key, secret key or "present"/"absent", metadata lines).
fn keyinfo(path: &str, show_secret: bool) -> (String, String, Vec<String>) {
    let mut args = vec!["keyinfo", path];
    if show_secret {
        args.push("--show-secret");
    }
    let out = zmqcat(&args);
    assert!(out.status.success(), "{}", out.err());
    let public = out.stdout[0]
        .strip_prefix("public-key ")
        .unwrap()
        .to_owned();
    let secret = out.stdout[1]
        .strip_prefix("secret-key ")
        .unwrap()
        .to_owned();
    (public, secret, out.stdout[2..].to_vec())
}

#[test]
fn keygen_writes_a_pair_that_pyzmq_loads_with_the_same_keys() {
    if !pyzmq() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server");
    let path = path.to_str().unwrap();
    let out = zmqcat(&[
        "keygen",
        path,
        "--meta",
        "name=demo server",
        "--meta",
        "role=a",
    ]);
    assert!(out.status.success(), "{}", out.err());
    let printed = out.stdout[0].clone();

    let (public, secret, meta) = keyinfo(&format!("{path}_secret"), true);
    assert_eq!(public, printed, "keygen prints the public key");
    assert_eq!(meta, ["meta name demo server", "meta role a"]);

    let mut py = Proc::python(
        "import sys, zmq, zmq.auth\n\
         pub, none = zmq.auth.load_certificate(sys.argv[1])\n\
         pub2, sec = zmq.auth.load_certificate(sys.argv[1] + '_secret')\n\
         assert none is None, none\n\
         assert pub == pub2\n\
         assert zmq.curve_public(sec) == pub, 'the secret key belongs to the public one'\n\
         print(pub.decode())\n\
         print(sec.decode())\n",
        &[path],
    );
    assert_eq!(py.stdout_line(), public);
    assert_eq!(py.stdout_line(), secret);
    let done = py.finish();
    assert!(done.status.success(), "{}", done.err());
}

#[test]
fn keygen_keeps_the_secret_file_private_and_existing_files_safe() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("client");
    let secret_path = dir.path().join("client_secret");
    let path = path.to_str().unwrap();
    let first = zmqcat(&["keygen", path]);
    assert!(first.status.success(), "{}", first.err());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&secret_path), 0o600);

    assert_fails_with(&zmqcat(&["keygen", path]), "exists (--force overwrites it)");
    assert_eq!(keyinfo(path, false).0, first.stdout[0], "left as it was");

    // An old secret file readable by others must not keep that mode.
    std::fs::set_permissions(&secret_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let second = zmqcat(&["keygen", path, "--force"]);
    assert!(second.status.success(), "{}", second.err());
    assert_ne!(second.stdout[0], first.stdout[0], "a new key pair");
    assert_eq!(mode(&secret_path), 0o600);
    let (public, secret, _) = keyinfo(secret_path.to_str().unwrap(), false);
    assert_eq!(
        (public.as_str(), secret.as_str()),
        (second.stdout[0].as_str(), "present")
    );
    assert_eq!(keyinfo(path, false).1, "absent");

    let bad = zmqcat(&["keygen", path, "--meta", "no-equals-sign"]);
    assert_eq!(bad.status.code(), Some(2), "a usage error");
    assert!(bad.err().contains("expected NAME=VALUE"), "{}", bad.err());
}

#[test]
fn keyinfo_reads_certificates_made_by_pyzmq() {
    if !pyzmq() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir_name = dir.path().to_str().unwrap();
    let mut py = Proc::python(
        "import sys, zmq, zmq.auth\n\
         public_file, secret_file = zmq.auth.create_certificates(sys.argv[1], 'peer', metadata={'owner': 'py'})\n\
         pub, sec = zmq.auth.load_certificate(secret_file)\n\
         print(pub.decode())\n\
         print(sec.decode())\n",
        &[dir_name],
    );
    let public = py.stdout_line();
    let secret = py.stdout_line();
    assert!(py.finish().status.success());

    let (p, s, meta) = keyinfo(&format!("{dir_name}/peer.key"), false);
    assert_eq!((p.as_str(), s.as_str()), (public.as_str(), "absent"));
    assert!(
        meta.is_empty(),
        "pyzmq writes metadata to the secret file only"
    );
    let (p, s, meta) = keyinfo(&format!("{dir_name}/peer.key_secret"), true);
    assert_eq!((p, s), (public, secret));
    assert_eq!(meta, ["meta owner py"]);
}

#[test]
fn bad_key_files_give_a_message_and_a_failure_code() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let garbage = file("garbage", "this is not a certificate\n");
    let bad_key = file("bad_key", "curve\n    public-key = \"too short\"\n");
    let missing = dir.path().join("missing").to_str().unwrap().to_owned();
    assert_fails_with(&zmqcat(&["keyinfo", &missing]), "No such file");
    assert_fails_with(&zmqcat(&["keyinfo", &garbage]), "no public-key");
    assert_fails_with(
        &zmqcat(&["keyinfo", &bad_key]),
        "public-key is not a 40-character Z85 key",
    );

    let public = dir.path().join("server");
    let public = public.to_str().unwrap();
    assert!(zmqcat(&["keygen", public]).status.success());
    let endpoint = "tcp://127.0.0.1:*";
    // A public certificate cannot make a CURVE server or client.
    assert_fails_with(
        &zmqcat(&["pull", endpoint, "--bind", "--curve-server", public]),
        "has no secret key (give the _secret file)",
    );
    assert_fails_with(
        &zmqcat(&[
            "monitor",
            "pull",
            endpoint,
            "--bind",
            "--curve-server",
            &garbage,
        ]),
        "no public-key",
    );
    let connect = "tcp://127.0.0.1:9";
    for key in [&bad_key, &missing, &"~".repeat(40)] {
        assert_fails_with(
            &zmqcat(&["push", connect, "--curve-serverkey", key, "--send", "x"]),
            "--curve-serverkey",
        );
    }
    assert_fails_with(
        &zmqcat(&[
            "push",
            connect,
            "--curve-serverkey",
            public,
            "--curve-cert",
            public,
            "--send",
            "x",
        ]),
        "--curve-cert",
    );
    assert_fails_with(
        &zmqcat(&["pull", endpoint, "--bind", "--plain-server", &garbage]),
        "line 1: expected user=password",
    );
}
