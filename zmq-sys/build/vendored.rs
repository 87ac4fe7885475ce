//! Vendored mode: compiles libzmq 4.3.5 from the source the `zeromq-src` crate
//! carries, configured by this project's own platform table (`vendor/`, the
//! `zmq-platform` crate), with libsodium from `libsodium-sys-stable` for CURVE.
//!
//! `vendor/README.md` explains why the table reaches the compiler as a
//! force-included header through `CXXFLAGS_<target>`; [`optimise`] says how
//! libzmq is optimised.

mod optimise;

use std::env;
use std::fs;
use std::path::PathBuf;

use crate::probe::{self, Link};
use crate::{cargo_var, env_var, out_dir, Facts, Wanted};
use optimise::Optimisation;
use zmq_platform::{Features, Os};

pub fn build(wanted: Wanted) -> Facts {
    let target_os = cargo_var("CARGO_CFG_TARGET_OS");
    let arch = cargo_var("CARGO_CFG_TARGET_ARCH");
    let os = Os::from_target_os(&target_os).unwrap_or_else(|| {
        panic!(
            "zmq-sys: the vendored libzmq has no platform configuration for target OS \
             `{target_os}` (only Linux, macOS and Windows); link a libzmq built for it \
             with ZMQ_SYS_USE_PKG_CONFIG=1 (or LIBZMQ_LIB_DIR and LIBZMQ_INCLUDE_DIR)"
        )
    });

    let (sodium_include, sodium_lib) = sodium_location();
    let mut include_dirs = vec![sodium_include.clone()];
    if wanted.pgm {
        include_dirs.extend(system_dependency("openpgm-5.3", "libpgm-dev", "pgm"));
    }
    if wanted.norm {
        include_dirs.extend(system_dependency("norm", "libnorm-dev", "norm"));
    }

    let features = Features {
        draft: wanted.draft,
        curve: true,
        pgm: wanted.pgm,
        norm: wanted.norm,
    };
    let defines = zmq_platform::configure(os, &arch, features, |p| {
        let found = probe::compile(p.name, p.source, &Link::default()).is_some();
        println!(
            "zmq-sys: probe {}: {}",
            p.name,
            if found { "found" } else { "not found" }
        );
        found
    });
    let config_dir = out_dir().join("zmq-platform");
    fs::create_dir_all(&config_dir).expect("zmq-sys: cannot create OUT_DIR/zmq-platform");
    let header = config_dir.join("zmq_platform_config.hpp");
    fs::write(&header, zmq_platform::render_header(&defines))
        .expect("zmq-sys: cannot write the platform header");

    let optimisation = Optimisation::choose(os);
    set_cxx_flags(&optimisation.cxx_flags, &header, &include_dirs);
    zeromq_src::Build::new()
        .enable_draft(wanted.draft)
        .with_libsodium(Some(zeromq_src::LibLocation::new(
            sodium_lib,
            sodium_include,
        )))
        .build();
    optimisation.finish(&out_dir().join("lib"));

    let include = out_dir().join("source").join("include");
    Facts {
        version: crate::header_version(&include),
        vendored: true,
        draft: wanted.draft,
        curve: true,
        pgm: wanted.pgm,
        norm: wanted.norm,
        include,
        root: out_dir(),
    }
}

/// Where libsodium's headers and library are: what libsodium-sys-stable
/// publishes (`DEP_SODIUM_INCLUDE`, `DEP_SODIUM_LIB`) when it builds libsodium
/// or when pkg-config names non-default folders. It publishes nothing for
/// `SODIUM_LIB_DIR`, nor for a libsodium in the compiler's default folders
/// (Debian's, through `SODIUM_USE_PKG_CONFIG`); then the headers are in
/// `SODIUM_INCLUDE_DIR`, pkg-config's `includedir` or the default folder that
/// holds `sodium.h`, and the static library in `SODIUM_LIB_DIR` or
/// pkg-config's `libdir`.
fn sodium_location() -> (PathBuf, PathBuf) {
    let published = |name: &str| {
        env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let given = |name: &str| env_var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let pkg_config = |variable: &str| {
        pkg_config::get_variable("libsodium", variable)
            .ok()
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let include = published("DEP_SODIUM_INCLUDE")
        .or_else(|| given("SODIUM_INCLUDE_DIR"))
        .or_else(|| pkg_config("includedir"))
        .or_else(|| {
            ["/usr/local/include", "/usr/include"]
                .into_iter()
                .map(PathBuf::from)
                .find(|dir| dir.join("sodium.h").is_file())
        })
        .unwrap_or_else(|| {
            panic!(
                "zmq-sys: libsodium's headers were not found (libsodium-sys-stable published no \
                 DEP_SODIUM_INCLUDE); set SODIUM_INCLUDE_DIR to the folder that holds sodium.h"
            )
        });
    let lib = published("DEP_SODIUM_LIB")
        .or_else(|| given("SODIUM_LIB_DIR"))
        .or_else(|| pkg_config("libdir"))
        .unwrap_or_else(|| {
            panic!(
                "zmq-sys: libsodium's library folder is unknown (libsodium-sys-stable published \
                 no DEP_SODIUM_LIB); set SODIUM_LIB_DIR to the folder that holds libsodium.a"
            )
        });
    (include, lib)
}

/// Finds an optional system library for a feature; stops the build with the
/// package to install when it is missing. Returns its include directories.
fn system_dependency(pkg: &str, debian_package: &str, feature: &str) -> Vec<PathBuf> {
    match pkg_config::Config::new().probe(pkg) {
        Ok(lib) => lib.include_paths,
        Err(e) => panic!(
            "zmq-sys: the `{feature}` feature needs the system library `{pkg}` (pkg-config), \
             which was not found. On Debian or Ubuntu: `apt-get install {debian_package}`.\n{e}"
        ),
    }
}

/// Sets the C++ flags that `cc` reads for this target, in this order: the
/// optimisation's flags; the user's own from every variable cc reads
/// (`CXXFLAGS`, `HOST_`/`TARGET_CXXFLAGS`, `CXXFLAGS_<target>`, in cc's order,
/// so that they win); the forced include of our platform header; the include
/// directories of libzmq's dependencies. All of it goes into
/// `CXXFLAGS_<target>`, which cc applies last, and the other two variables are
/// cleared for the rest of this build script, so nothing is applied twice.
fn set_cxx_flags(optimisation: &[String], header: &std::path::Path, include_dirs: &[PathBuf]) {
    let target = cargo_var("TARGET");
    let msvc = cargo_var("CARGO_CFG_TARGET_ENV") == "msvc";
    let kind = if cargo_var("HOST") == target {
        "HOST"
    } else {
        "TARGET"
    };
    let var = format!("CXXFLAGS_{}", target.replace('-', "_"));
    let mut flags = optimisation.to_vec();
    for name in [
        "CXXFLAGS".to_string(),
        format!("{kind}_CXXFLAGS"),
        var.clone(),
    ] {
        flags.extend(env_var(&name));
        if name != var {
            env::remove_var(&name);
        }
    }
    if msvc {
        flags.push(format!("/FI{}", header.display()));
    } else {
        flags.push("-include".into());
        flags.push(header.display().to_string());
    }
    for dir in include_dirs {
        flags.push(format!(
            "{}{}",
            if msvc { "/I" } else { "-I" },
            dir.display()
        ));
    }
    // The build script is single-threaded here; cc snapshots the environment
    // when zeromq-src's `Build::build()` creates its compiler, after this.
    env::set_var(&var, flags.join(" "));
}
