//! The committed bindings (`src/bindings.rs`) must equal what bindgen makes from
//! the header that is compiled. Runs with the `bindgen` feature.
#![cfg(feature = "bindgen")]

#[test]
fn committed_bindings_equal_a_fresh_generation() {
    if env!("ZMQ_SYS_VERSION") != "4.3.5" {
        let why = format!(
            "the committed bindings are for libzmq 4.3.5; this build's header is {}",
            env!("ZMQ_SYS_VERSION")
        );
        let required =
            std::env::var("ZMQ_TEST_REQUIRE_ALL").is_ok_and(|v| !v.is_empty() && v != "0");
        if required && env!("ZMQ_SYS_VENDORED") == "1" {
            panic!("{why}");
        }
        eprintln!("SKIPPED: {why}");
        return;
    }
    let fresh = include_str!(concat!(env!("OUT_DIR"), "/bindings.rs"));
    let committed = include_str!("../src/bindings.rs");
    if let Some((line, (a, b))) = fresh
        .lines()
        .zip(committed.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "src/bindings.rs is stale at line {}:\n  fresh:     {a}\n  committed: {b}\n\
             regenerate: cargo build -p zmq-sys --features bindgen, then copy OUT_DIR/bindings.rs",
            line + 1
        );
    }
    assert_eq!(
        fresh.lines().count(),
        committed.lines().count(),
        "src/bindings.rs has a different length"
    );
}

/// The first difference between two generations, if any.
fn first_difference(fresh: &str, committed: &str) -> Option<String> {
    let found = fresh
        .lines()
        .zip(committed.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map(|(line, (a, b))| format!("line {}:\n  fresh:     {a}\n  committed: {b}", line + 1));
    found.or_else(|| {
        (fresh.lines().count() != committed.lines().count()).then(|| "a different length".into())
    })
}

#[test]
fn the_committed_bindings_are_the_same_for_a_32_bit_target() {
    if env!("ZMQ_SYS_VERSION") != "4.3.5" {
        eprintln!("SKIPPED: the committed bindings are for libzmq 4.3.5");
        return;
    }
    let out = std::path::Path::new(env!("OUT_DIR"));
    let required = std::env::var("ZMQ_TEST_REQUIRE_ALL").is_ok_and(|v| !v.is_empty() && v != "0");
    let Ok(fresh) = std::fs::read_to_string(out.join("bindings-i686.rs")) else {
        let why = std::fs::read_to_string(out.join("bindings-i686.missing")).unwrap_or_default();
        let why = format!(
            "no i686 generation (Debian: apt-get install libc6-dev-i386): {}",
            why.trim()
        );
        if required {
            panic!("{why}");
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
        return;
    };
    let committed = include_str!("../src/bindings.rs");
    if let Some(difference) = first_difference(&fresh, committed) {
        panic!("the i686 generation differs from src/bindings.rs at {difference}");
    }
}
