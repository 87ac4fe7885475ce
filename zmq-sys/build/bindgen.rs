//! The `bindgen` feature: regenerates the bindings from the `zmq.h` that is
//! compiled (vendored) or linked (system). All of bindgen's settings live here,
//! so the committed `src/bindings.rs` and a fresh generation can only differ when
//! the header does.

use std::path::Path;

/// The Rust version the generated code may rely on (the crate's MSRV).
const RUST_TARGET: (u64, u64) = (80, 0);

/// The other target the committed bindings are checked against: a 32-bit one.
/// The committed file holds nothing that depends on the target (no layout
/// tests, the platform types written by hand), so both generations must equal
/// it. Needs that target's C headers (Debian: libc6-dev-i386); when they are
/// missing, a note file says why instead and the freshness test skips it.
const SECOND_TARGET: &str = "i686-unknown-linux-gnu";

/// Generates `bindings.rs` for the target being built and, on a Linux x86_64
/// host, `bindings-i686.rs` (or `bindings-i686.missing`, with the reason) in
/// `out_dir`.
pub fn generate_all(include: &Path, out_dir: &Path) {
    if let Err(e) = generate(include, &out_dir.join("bindings.rs"), None) {
        panic!(
            "zmq-sys: bindgen failed on {}/zmq.h: {e}",
            include.display()
        );
    }
    let second = out_dir.join("bindings-i686.rs");
    let missing = out_dir.join("bindings-i686.missing");
    let _ = std::fs::remove_file(&second);
    let _ = std::fs::remove_file(&missing);
    if let Err(e) = generate(include, &second, Some(SECOND_TARGET)) {
        let _ = std::fs::write(&missing, e);
    }
}

fn generate(include: &Path, out: &Path, clang_target: Option<&str>) -> Result<(), String> {
    let header = include.join("zmq.h");
    let target = bindgen::RustTarget::stable(RUST_TARGET.0, RUST_TARGET.1)
        .unwrap_or_else(|e| panic!("zmq-sys: bindgen rejects Rust 1.{}: {e}", RUST_TARGET.0));
    let mut builder = bindgen::Builder::default();
    if let Some(clang_target) = clang_target {
        builder = builder.clang_arg(format!("--target={clang_target}"));
        // Debian's libc6-dev-i386 has the 32-bit C library headers, and the
        // kernel's asm/ headers that errno.h wants come from the host's
        // multiarch folder (they are the same for both).
        builder = builder.clang_arg("-idirafter/usr/include/x86_64-linux-gnu");
    }
    let bindings = builder
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
        // the C library's sigset_t, zmq_msg_t's alignment).
        .blocklist_type("zmq_msg_t")
        .blocklist_type("zmq_fd_t")
        .blocklist_type("zmq_pollitem_t")
        .blocklist_type("zmq_pollitem_t__bindgen.*")
        .blocklist_type("(__)?sigset_t")
        .derive_default(true)
        .derive_debug(true)
        .generate_comments(false)
        // Layout tests would freeze the host's sizes (a 64-bit pointer in
        // zmq_poller_event_t, say) into a file every target compiles.
        .layout_tests(false)
        .merge_extern_blocks(true)
        .sort_semantically(true)
        .formatter(bindgen::Formatter::Prettyplease)
        .generate()
        .map_err(|e| format!("bindgen: {e}"))?;
    bindings
        .write_to_file(out)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}
