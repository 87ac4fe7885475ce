//! Build script of zmq-sys: picks a build mode, runs it, and publishes what it
//! found as links metadata (`DEP_ZMQ_*`) for the `zmq` crate and other dependents.
#![allow(missing_docs)] // A build script: nothing here is public API.

use std::env;
use std::path::{Path, PathBuf};

#[cfg(feature = "bindgen")]
mod bindgen;
mod probe;
mod system;
#[cfg(feature = "vendored")]
mod vendored;

/// Reads an environment variable and tells Cargo to rerun when it changes.
pub fn env_var(name: &str) -> Option<String> {
    println!("cargo:rerun-if-env-changed={name}");
    env::var(name).ok()
}

/// An on/off environment variable: set, non-empty and not `"0"` means on.
pub fn env_flag(name: &str) -> bool {
    matches!(env_var(name).as_deref(), Some(v) if !v.is_empty() && v != "0")
}

/// Whether a Cargo feature of this crate is enabled.
pub fn feature(name: &str) -> bool {
    let var = format!("CARGO_FEATURE_{}", name.to_uppercase().replace('-', "_"));
    env::var_os(var).is_some()
}

/// A variable Cargo always sets for build scripts.
pub fn cargo_var(name: &str) -> String {
    env::var(name).unwrap_or_else(|_| panic!("zmq-sys: Cargo did not set {name}"))
}

/// The build's output directory.
pub fn out_dir() -> PathBuf {
    PathBuf::from(cargo_var("OUT_DIR"))
}

/// What the optional parts of the build asked for.
#[derive(Clone, Copy, Debug)]
pub struct Wanted {
    pub draft: bool,
    pub pgm: bool,
    pub norm: bool,
}

/// What the chosen mode found or built.
#[derive(Debug)]
pub struct Facts {
    pub version: (u32, u32, u32),
    pub vendored: bool,
    pub draft: bool,
    pub curve: bool,
    pub pgm: bool,
    pub norm: bool,
    /// The directory holding the `zmq.h` that is compiled or linked.
    pub include: PathBuf,
    /// The root of the build (vendored) or the library directory (system).
    pub root: PathBuf,
}

/// Reads `ZMQ_VERSION_{MAJOR,MINOR,PATCH}` from a `zmq.h`.
pub fn header_version(include: &Path) -> (u32, u32, u32) {
    let header = include.join("zmq.h");
    let text = std::fs::read_to_string(&header)
        .unwrap_or_else(|e| panic!("zmq-sys: cannot read {}: {e}", header.display()));
    let number = |name: &str| -> u32 {
        text.lines()
            .filter_map(|line| line.trim().strip_prefix("#define "))
            .filter_map(|rest| rest.strip_prefix(name))
            .find_map(|value| value.trim().parse().ok())
            .unwrap_or_else(|| panic!("zmq-sys: no {name} in {}", header.display()))
    };
    (
        number("ZMQ_VERSION_MAJOR"),
        number("ZMQ_VERSION_MINOR"),
        number("ZMQ_VERSION_PATCH"),
    )
}

fn main() {
    println!("cargo:rerun-if-changed=build");
    let wanted = Wanted {
        draft: feature("draft"),
        pgm: feature("pgm"),
        norm: feature("norm"),
    };
    // ZMQ_SYS_USE_PKG_CONFIG wins over the (additive) `vendored` feature, so a
    // dependent crate that enables `vendored` cannot force it on a user who wants
    // the system library. Naming a libzmq location (as rust-zmq's zmq-sys read
    // it) asks for that library too.
    let named_location = env_var("LIBZMQ_PREFIX").is_some() || env_var("LIBZMQ_LIB_DIR").is_some();
    let use_system = env_flag("ZMQ_SYS_USE_PKG_CONFIG")
        || feature("system")
        || named_location
        || !feature("vendored");
    let facts = if use_system {
        system::find(wanted)
    } else {
        build_vendored(wanted)
    };

    #[cfg(feature = "bindgen")]
    bindgen::generate(&facts.include, &out_dir().join("bindings.rs"));

    publish(&facts);
}

#[cfg(feature = "vendored")]
fn build_vendored(wanted: Wanted) -> Facts {
    vendored::build(wanted)
}

#[cfg(not(feature = "vendored"))]
fn build_vendored(_: Wanted) -> Facts {
    unreachable!("the vendored mode is only chosen with the `vendored` feature")
}

/// Prints the facts as links metadata (`DEP_ZMQ_<KEY>` for dependents) and as
/// environment variables for this crate's own tests.
fn publish(facts: &Facts) {
    let flag = |on: bool| if on { "1" } else { "0" };
    let (major, minor, patch) = facts.version;
    let version = format!("{major}.{minor}.{patch}");
    for (key, value) in [
        ("version", version.as_str()),
        ("vendored", flag(facts.vendored)),
        ("draft", flag(facts.draft)),
        ("curve", flag(facts.curve)),
        ("pgm", flag(facts.pgm)),
        ("norm", flag(facts.norm)),
        ("include", &facts.include.display().to_string()),
        ("root", &facts.root.display().to_string()),
    ] {
        println!("cargo:{key}={value}");
        println!("cargo:rustc-env=ZMQ_SYS_{}={value}", key.to_uppercase());
    }
}
