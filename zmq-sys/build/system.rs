//! System mode: links the libzmq that is already installed, found by pkg-config
//! (`libzmq`) or named by `LIBZMQ_LIB_DIR` + `LIBZMQ_INCLUDE_DIR` (or
//! `LIBZMQ_PREFIX`). Shared by default; `ZMQ_SYS_STATIC=1` links it statically.
//! What the library can do (version, CURVE, draft API) is detected, not assumed.

use std::path::{Path, PathBuf};

use crate::probe::{self, Link};
use crate::{env_flag, env_var, Facts, Wanted};

const INSTALL_HINT: &str = "Install it (Debian/Ubuntu: `apt-get install libzmq3-dev`; \
     Fedora: `dnf install zeromq-devel`; macOS: `brew install zeromq`), or set \
     LIBZMQ_LIB_DIR and LIBZMQ_INCLUDE_DIR (or LIBZMQ_PREFIX) to where it is, or \
     compile libzmq 4.3.5 from source instead: that is the default without the `system` \
     feature, and ZMQ_SYS_USE_PKG_CONFIG=0 forces it even with the feature.";

/// Finds the system's libzmq; `why` says what asked for system mode (printed
/// when the library is missing, so a user who never asked learns who did).
pub fn find(wanted: Wanted, why: &str) -> Facts {
    let hint = format!("System mode was chosen by {why}. {INSTALL_HINT}");
    let statik = env_flag("ZMQ_SYS_STATIC");
    let link = match explicit_location() {
        Some(link) => {
            let lib_dir = &link.lib_dirs[0];
            println!("cargo:rustc-link-search=native={}", lib_dir.display());
            print_link("zmq", statik);
            if statik {
                print_cxx_runtime();
            }
            link
        }
        None => from_pkg_config(statik, &hint),
    };
    let include = link
        .include_dirs
        .iter()
        .chain(
            [
                Path::new("/usr/include").to_path_buf(),
                Path::new("/usr/local/include").to_path_buf(),
            ]
            .iter(),
        )
        .find(|dir| dir.join("zmq.h").is_file())
        .cloned()
        .unwrap_or_else(|| panic!("zmq-sys: found libzmq but not its zmq.h. {hint}"));

    let capabilities = capabilities(&include, &link);
    let draft_exported = exports_draft_api(&include, &link);
    let draft = wanted.draft && draft_exported;
    if wanted.draft && !draft_exported {
        println!(
            "cargo:warning=zmq-sys: the `draft` feature is on, but the system libzmq exports \
             no draft API (it was built without --enable-drafts); the draft items stay off"
        );
    }
    let version = capabilities
        .as_ref()
        .map(|c| c.version)
        .unwrap_or_else(|| crate::header_version(&include));
    if (version.0, version.1) < MINIMUM {
        panic!(
            "zmq-sys: the system libzmq is {}.{}.{}; this crate needs {MINIMUM_TEXT} or later \
             (a socket's monitor is stopped from another thread, which libzmq made safe in 4.2)",
            version.0, version.1, version.2
        );
    }
    let has = |name: &str, fallback: bool| {
        capabilities
            .as_ref()
            .map_or(fallback, |c| c.has.iter().any(|h| h == name))
    };
    Facts {
        version,
        vendored: false,
        draft,
        curve: has("curve", false),
        pgm: has("pgm", wanted.pgm),
        norm: has("norm", wanted.norm),
        include,
        root: link.lib_dirs.first().cloned().unwrap_or_default(),
    }
}

fn explicit_location() -> Option<Link> {
    // Empty means unset, as for the mode choice in main.rs.
    let var = |name: &str| env_var(name).filter(|v| !v.is_empty());
    let prefix = var("LIBZMQ_PREFIX").map(PathBuf::from);
    let lib_dir = var("LIBZMQ_LIB_DIR")
        .map(PathBuf::from)
        .or_else(|| prefix.as_ref().map(|p| p.join("lib")));
    let include_dir = var("LIBZMQ_INCLUDE_DIR")
        .map(PathBuf::from)
        .or_else(|| prefix.as_ref().map(|p| p.join("include")));
    match (lib_dir, include_dir) {
        (Some(lib_dir), Some(include_dir)) => Some(Link {
            include_dirs: vec![include_dir],
            lib_dirs: vec![lib_dir],
            libs: vec!["zmq".into()],
        }),
        (None, None) => None,
        _ => panic!(
            "zmq-sys: set both LIBZMQ_LIB_DIR and LIBZMQ_INCLUDE_DIR (or LIBZMQ_PREFIX alone)"
        ),
    }
}

/// The oldest libzmq the safe layer relies on: 4.2 guards a socket's monitor
/// state with its own mutex (`_monitor_sync`), which `Monitor`'s drop needs.
const MINIMUM: (u32, u32) = (4, 2);
const MINIMUM_TEXT: &str = "4.2";

fn from_pkg_config(statik: bool, hint: &str) -> Link {
    let lib = pkg_config::Config::new()
        .atleast_version(MINIMUM_TEXT)
        .statik(statik)
        // Static linking is printed below: pkg-config would fall back to the
        // shared library for anything under /usr.
        .cargo_metadata(!statik)
        .probe("libzmq")
        .unwrap_or_else(|e| {
            panic!("zmq-sys: no libzmq >= {MINIMUM_TEXT} found by pkg-config.\n{hint}\n\n{e}")
        });
    if statik {
        for dir in &lib.link_paths {
            println!("cargo:rustc-link-search=native={}", dir.display());
        }
        for name in &lib.libs {
            print_link(name, name == "zmq");
        }
    }
    Link {
        include_dirs: lib.include_paths,
        lib_dirs: lib.link_paths,
        libs: lib.libs,
    }
}

fn print_link(name: &str, statik: bool) {
    let kind = if statik { "static" } else { "dylib" };
    println!("cargo:rustc-link-lib={kind}={name}");
}

fn print_cxx_runtime() {
    let target = crate::cargo_var("TARGET");
    if target.contains("apple") || target.contains("freebsd") {
        println!("cargo:rustc-link-lib=c++");
    } else if !target.contains("msvc") {
        println!("cargo:rustc-link-lib=stdc++");
    }
}

struct Capabilities {
    version: (u32, u32, u32),
    has: Vec<String>,
}

/// Asks the library itself (`zmq_version`, `zmq_has`) when its programs can run here.
fn capabilities(include: &Path, link: &Link) -> Option<Capabilities> {
    const SOURCE: &str = "#include <stdio.h>\n#include <zmq.h>\n\
        int main(void) {\n\
          const char *names[] = {\"curve\", \"pgm\", \"norm\", \"draft\", \"ipc\", \"tipc\", \"gssapi\", \"WS\"};\n\
          int major, minor, patch, i;\n\
          zmq_version(&major, &minor, &patch);\n\
          printf(\"%d.%d.%d\\n\", major, minor, patch);\n\
          for (i = 0; i < 8; i++) if (zmq_has(names[i])) printf(\"%s\\n\", names[i]);\n\
          return 0;\n\
        }\n";
    let link = with_include(link, include);
    let exe = probe::compile("zmq_capabilities", SOURCE, &link)?;
    let output = probe::run(&exe, &link.lib_dirs)?;
    let mut lines = output.lines();
    let mut numbers = lines.next()?.split('.').map(|n| n.parse::<u32>().ok());
    let version = (numbers.next()??, numbers.next()??, numbers.next()??);
    Some(Capabilities {
        version,
        has: lines.map(str::to_owned).collect(),
    })
}

/// Whether the library exports the draft functions (Debian's does not).
fn exports_draft_api(include: &Path, link: &Link) -> bool {
    const SOURCE: &str = "#define ZMQ_BUILD_DRAFT_API 1\n#include <zmq.h>\n\
        int main(void) {\n\
          void *p = zmq_poller_new();\n\
          zmq_poller_destroy(&p);\n\
          return (zmq_join != 0 && zmq_msg_set_routing_id != 0 && zmq_socket_get_peer_state != 0\n\
                  && zmq_timers_new != 0) ? 0 : 1;\n\
        }\n";
    probe::compile("zmq_draft_api", SOURCE, &with_include(link, include)).is_some()
}

fn with_include(link: &Link, include: &Path) -> Link {
    let mut link = link.clone();
    link.include_dirs.insert(0, include.to_path_buf());
    link
}
