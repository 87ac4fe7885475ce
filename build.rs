//! Turns the facts zmq-sys publishes (`DEP_ZMQ_*` links metadata) into cfgs for
//! this crate, and picks whether the per-message wrappers are inlined into the
//! caller's crate (`zmq_inline`). Nothing else.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for (key, cfg) in [
        ("DRAFT", "zmq_draft"),
        ("VENDORED", "zmq_vendored"),
        ("CURVE", "zmq_curve"),
        ("PGM", "zmq_pgm"),
        ("NORM", "zmq_norm"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if std::env::var(format!("DEP_ZMQ_{key}")).as_deref() == Ok("1") {
            println!("cargo:rustc-cfg={cfg}");
        }
    }
    // Inlined into the caller (so compiled at the caller's opt-level) except
    // when this crate alone is optimised in a build with debug assertions: a
    // dev-profile override (`[profile.dev.package.zmq] opt-level = 3`), whose
    // caller is unoptimised and is better served by this crate's own
    // optimised code.
    println!("cargo::rustc-check-cfg=cfg(zmq_inline)");
    let optimised = std::env::var("OPT_LEVEL").is_ok_and(|level| level != "0");
    let debug_assertions = std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some();
    if !(optimised && debug_assertions) {
        println!("cargo:rustc-cfg=zmq_inline");
    }
}
