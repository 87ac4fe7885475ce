//! Turns the facts zmq-sys publishes (`DEP_ZMQ_*` links metadata) into cfgs for
//! this crate. Nothing else.

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
}
