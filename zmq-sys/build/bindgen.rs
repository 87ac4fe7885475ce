//! The `bindgen` feature: regenerates the bindings from the `zmq.h` that is
//! compiled (vendored) or linked (system). All of bindgen's settings live here,
//! so the committed `src/bindings.rs` and a fresh generation can only differ when
//! the header does.

use std::path::Path;

/// The Rust version the generated code may rely on (the crate's MSRV).
const RUST_TARGET: (u64, u64) = (80, 0);

pub fn generate(include: &Path, out: &Path) {
    let header = include.join("zmq.h");
    let target = bindgen::RustTarget::stable(RUST_TARGET.0, RUST_TARGET.1)
        .unwrap_or_else(|e| panic!("zmq-sys: bindgen rejects Rust 1.{}: {e}", RUST_TARGET.0));
    let bindings = bindgen::Builder::default()
        .header(header.display().to_string())
        .clang_arg(format!("-I{}", include.display()))
        // The stable and the draft API both: the draft functions are declared
        // always and called by the safe layer only when the library has them.
        .clang_arg("-DZMQ_BUILD_DRAFT_API=1")
        .rust_target(target)
        .allowlist_function("zmq_.*")
        .allowlist_type("zmq_.*")
        .allowlist_var("ZMQ_.*")
        .allowlist_var("E(FSM|NOCOMPATPROTO|TERM|MTHREAD)")
        // Platform types are written by hand in src/platform.rs (SOCKET on Windows,
        // the C library's sigset_t).
        .blocklist_type("zmq_fd_t")
        .blocklist_type("zmq_pollitem_t")
        .blocklist_type("zmq_pollitem_t__bindgen.*")
        .blocklist_type("(__)?sigset_t")
        .derive_default(true)
        .derive_debug(true)
        .generate_comments(false)
        .layout_tests(true)
        .merge_extern_blocks(true)
        .sort_semantically(true)
        .formatter(bindgen::Formatter::Prettyplease)
        .generate()
        .unwrap_or_else(|e| panic!("zmq-sys: bindgen failed on {}: {e}", header.display()));
    bindings
        .write_to_file(out)
        .unwrap_or_else(|e| panic!("zmq-sys: cannot write {}: {e}", out.display()));
}
