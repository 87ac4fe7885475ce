//! A context shared with C code in one process: C makes a context that Rust
//! uses, and the reverse; inproc sockets talk across the language boundary.
//! The C side is compiled here against the system libzmq, so this runs when the
//! crate links that same library (system mode).

mod common;

use std::ffi::{c_char, c_int, c_void, CString};
use std::path::PathBuf;
use std::process::Command;

type NewFn = unsafe extern "C" fn() -> *mut c_void;
type TermFn = unsafe extern "C" fn(*mut c_void) -> c_int;
type ServeFn = unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int;
type RequestFn =
    unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char, *mut c_char, c_int) -> c_int;

struct CSide {
    new: NewFn,
    term: TermFn,
    serve: ServeFn,
    request: RequestFn,
}

/// Compiles tests/c/shared_context.c into a shared library linked to the
/// system libzmq and loads it.
fn load_c_side() -> Option<CSide> {
    if cfg!(zmq_vendored) || !cfg!(target_os = "linux") {
        common::skip(
            "the C side links the system libzmq; this build links its own (run in system mode)",
        );
        return None;
    }
    let dir = tempfile::tempdir().unwrap().keep();
    let lib: PathBuf = dir.join("libshared_context.so");
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c/shared_context.c");
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-O1", source, "-o"])
        .arg(&lib)
        .arg("-lzmq")
        .status();
    if !status.is_ok_and(|s| s.success()) {
        common::skip_or_fail("cannot compile the C side (cc and libzmq3-dev needed)");
        return None;
    }
    let path = CString::new(lib.to_str().unwrap()).unwrap();
    // SAFETY: dlopen/dlsym with NUL-terminated names; the symbols have the
    // signatures declared above (tests/c/shared_context.c), and the library
    // stays loaded for the rest of the process.
    unsafe {
        let handle = libc::dlopen(path.as_ptr(), libc::RTLD_NOW);
        assert!(!handle.is_null(), "dlopen failed");
        let sym = |name: &str| {
            let name = CString::new(name).unwrap();
            let f = libc::dlsym(handle, name.as_ptr());
            assert!(!f.is_null(), "missing {name:?}");
            f
        };
        Some(CSide {
            new: std::mem::transmute::<*mut c_void, NewFn>(sym("c_context_new")),
            term: std::mem::transmute::<*mut c_void, TermFn>(sym("c_context_term")),
            serve: std::mem::transmute::<*mut c_void, ServeFn>(sym("c_serve_one")),
            request: std::mem::transmute::<*mut c_void, RequestFn>(sym("c_request")),
        })
    }
}

#[test]
fn rust_uses_a_context_made_by_c_and_c_uses_one_made_by_rust() {
    let Some(c) = load_c_side() else { return };

    // C makes the context; Rust serves on it; C requests over inproc.
    // SAFETY: c_context_new returns a new libzmq context (or NULL).
    let c_ctx = unsafe { (c.new)() };
    // SAFETY: the context outlives every Rust use: it is terminated below,
    // after the Rust wrapper and its sockets are dropped.
    let ctx = unsafe { zmq::Context::from_raw_borrowed(c_ctx) }.expect("a context from C");
    let rep = common::socket(&ctx, zmq::REP);
    rep.bind("inproc://from-c").unwrap();
    let ctx_addr = c_ctx as usize;
    let requester = std::thread::spawn(move || {
        let mut out = [0u8; 64];
        let endpoint = CString::new("inproc://from-c").unwrap();
        let text = CString::new("hello from C").unwrap();
        // SAFETY: the context is live; the buffers are valid for their lengths.
        let n = unsafe {
            (c.request)(
                ctx_addr as *mut c_void,
                endpoint.as_ptr(),
                text.as_ptr(),
                out.as_mut_ptr().cast(),
                64,
            )
        };
        (c, out[..n.max(0) as usize].to_vec())
    });
    assert_eq!(rep.recv_bytes(0).unwrap(), b"hello from C");
    rep.send("hello from Rust", 0).unwrap();
    let (c, reply) = requester.join().unwrap();
    assert_eq!(reply, b"hello from Rust");
    drop(rep);
    drop(ctx);
    // SAFETY: every socket of the context is closed.
    assert_eq!(unsafe { (c.term)(c_ctx) }, 0);

    // Rust makes the context; C serves on it; Rust requests over inproc.
    let ctx = zmq::Context::new();
    let raw = ctx.as_raw() as usize;
    let server = std::thread::spawn(move || {
        let endpoint = CString::new("inproc://from-rust").unwrap();
        // SAFETY: the Rust context outlives the call (joined below).
        unsafe { (c.serve)(raw as *mut c_void, endpoint.as_ptr()) }
    });
    let req = common::socket(&ctx, zmq::REQ);
    // inproc allows connecting before the C side binds.
    req.connect("inproc://from-rust").unwrap();
    req.send("ping", 0).unwrap();
    assert_eq!(req.recv_bytes(0).unwrap(), b"c:ping");
    assert_eq!(server.join().unwrap(), 0);
}
