//! Build script of zmq-sys: picks a build mode, runs it, and publishes what it
//! found as links metadata (`DEP_ZMQ_*`) for the `zmq` crate and other dependents.
#![allow(missing_docs)] // A build script: nothing here is public API.

use std::env;
use std::path::{Path, PathBuf};

#[cfg(feature = "bindgen")]
mod bindgen;
mod probe;
mod system;
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

/// Which libzmq the build uses.
#[derive(Debug)]
enum Mode {
    /// Compile libzmq 4.3.5 from source: the default behaviour.
    Vendored,
    /// Link the system's libzmq; the text says what asked for it.
    System(&'static str),
    /// docs.rs (`DOCS_RS` set): build nothing, link nothing; publish what a
    /// vendored build would, so the documentation shows every feature's items.
    Docs,
}

/// Picks the build mode. The vendored build is the default *behaviour*, not a
/// feature: Cargo features are additive and a dependent can turn default
/// features off, so only an explicit request gives the system library:
///
/// 1. `ZMQ_SYS_USE_PKG_CONFIG=1`: system mode, whatever the features say;
///    `ZMQ_SYS_USE_PKG_CONFIG=0`: the vendored build, even when some crate in
///    the graph enabled the `system` feature (the end user's last word).
/// 2. `LIBZMQ_PREFIX`, `LIBZMQ_LIB_DIR` or `LIBZMQ_INCLUDE_DIR` set: system
///    mode with that library (as older zmq-sys releases read them).
/// 3. The `system` feature: system mode.
/// 4. Otherwise the vendored build. The `vendored` feature changes nothing.
fn choose_mode() -> Mode {
    if env_flag("DOCS_RS") {
        return Mode::Docs;
    }
    // Every variable is read (each read prints its rerun-if-env-changed).
    let named: Vec<&str> = ["LIBZMQ_PREFIX", "LIBZMQ_LIB_DIR", "LIBZMQ_INCLUDE_DIR"]
        .into_iter()
        .filter(|name| env_var(name).is_some_and(|v| !v.is_empty()))
        .collect();
    let named_location = named.first();
    match env_var("ZMQ_SYS_USE_PKG_CONFIG").as_deref() {
        Some("0") => {
            if let Some(name) = named_location {
                panic!(
                    "zmq-sys: ZMQ_SYS_USE_PKG_CONFIG=0 asks for the vendored libzmq, but {name} \
                     names a system libzmq; unset one of them"
                );
            }
            return Mode::Vendored;
        }
        Some(v) if !v.is_empty() => return Mode::System("ZMQ_SYS_USE_PKG_CONFIG=1"),
        _ => {}
    }
    if named_location.is_some() {
        Mode::System("LIBZMQ_PREFIX / LIBZMQ_LIB_DIR / LIBZMQ_INCLUDE_DIR")
    } else if feature("system") {
        Mode::System(
            "the `system` feature of zmq-sys or zmq, which some crate in the graph enabled \
             (`cargo tree -e features -i zmq-sys` shows which)",
        )
    } else {
        Mode::Vendored
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build");
    let wanted = Wanted {
        draft: feature("draft"),
        pgm: feature("pgm"),
        norm: feature("norm"),
    };
    let facts = match choose_mode() {
        Mode::Vendored => vendored::build(wanted),
        Mode::System(why) => system::find(wanted, why),
        Mode::Docs => docs_facts(wanted),
    };

    #[cfg(feature = "bindgen")]
    bindgen::generate_all(&facts.include, &out_dir());

    publish(&facts);
}

/// What docs.rs documents: the committed bindings' libzmq (4.3.5) as the
/// vendored build would make it, with the features asked for. Nothing is
/// compiled or linked: rustdoc needs neither, and docs.rs has no time or
/// network for libzmq's build.
fn docs_facts(wanted: Wanted) -> Facts {
    let bindings = std::fs::read_to_string(
        Path::new(&cargo_var("CARGO_MANIFEST_DIR")).join("src/bindings.rs"),
    )
    .unwrap_or_else(|e| panic!("zmq-sys: cannot read src/bindings.rs: {e}"));
    let number = |name: &str| -> u32 {
        bindings
            .lines()
            .filter_map(|line| line.strip_prefix(&format!("pub const {name}: u32 = ")))
            .find_map(|value| value.trim_end_matches(';').parse().ok())
            .unwrap_or_else(|| panic!("zmq-sys: no {name} in src/bindings.rs"))
    };
    Facts {
        version: (
            number("ZMQ_VERSION_MAJOR"),
            number("ZMQ_VERSION_MINOR"),
            number("ZMQ_VERSION_PATCH"),
        ),
        vendored: true,
        draft: wanted.draft,
        curve: true,
        pgm: wanted.pgm,
        norm: wanted.norm,
        include: out_dir(),
        root: out_dir(),
    }
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
