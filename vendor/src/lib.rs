//! The platform configuration that `zmq-sys` compiles libzmq 4.3.5 with.
//!
//! libzmq's CMake build detects the platform and writes `platform.hpp`. This crate
//! replaces that detection with one table ([`TABLE`]): a row per configuration
//! macro, a column per platform, plus the macros that follow the build's features.
//! [`configure`] resolves the table for a target, running the few probes that
//! cannot be decided from the target name alone, and [`render_header`] writes the
//! header that the build force-includes into every libzmq translation unit.

/// An operating system this table has a column for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    /// Linux with glibc or musl (also Android's kernel interfaces).
    Linux,
    /// macOS and the other Apple targets (kqueue).
    MacOs,
    /// Windows (the I/O thread polls through wepoll).
    Windows,
}

impl Os {
    /// The column for Cargo's `CARGO_CFG_TARGET_OS` value, if the table has one.
    pub fn from_target_os(target_os: &str) -> Option<Os> {
        match target_os {
            "linux" | "android" => Some(Os::Linux),
            "macos" | "ios" | "tvos" | "watchos" | "visionos" => Some(Os::MacOs),
            "windows" => Some(Os::Windows),
            _ => None,
        }
    }
}

/// A program that compiles and links only where a facility exists.
#[derive(Debug, PartialEq, Eq)]
pub struct Probe {
    /// A short name for build logs.
    pub name: &'static str,
    /// The C source of the program.
    pub source: &'static str,
}

/// `strlcpy` is in glibc only since 2.38, and in every BSD libc.
pub const PROBE_STRLCPY: Probe = Probe {
    name: "strlcpy",
    source: "#include <string.h>\n\
             int main(void) { char b[4]; return strlcpy(b, \"ab\", sizeof b) == 2 ? 0 : 1; }\n",
};

/// `AF_UNIX` sockets on Windows need the `afunix.h` header (Windows 10 SDK).
pub const PROBE_AFUNIX: Probe = Probe {
    name: "afunix.h",
    source: "#include <winsock2.h>\n#include <afunix.h>\n\
             int main(void) { struct sockaddr_un a; a.sun_family = AF_UNIX; return 0; }\n",
};

/// Whether a platform has what a macro describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Always there on this platform.
    Yes,
    /// Never there (or libzmq must not use it).
    No,
    /// Decided on the build machine by compiling and linking a probe program.
    Probe(&'static Probe),
}

/// An optional part of the build that turns macros on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// The draft API (`ZMQ_BUILD_DRAFT_API`).
    Draft,
    /// CURVE security through libsodium.
    Curve,
    /// The `pgm://` and `epgm://` transports through OpenPGM.
    Pgm,
    /// The `norm://` transport through NORM.
    Norm,
}

/// The features a build enables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// See [`Feature::Draft`].
    pub draft: bool,
    /// See [`Feature::Curve`].
    pub curve: bool,
    /// See [`Feature::Pgm`].
    pub pgm: bool,
    /// See [`Feature::Norm`].
    pub norm: bool,
}

impl Features {
    fn has(self, feature: Feature) -> bool {
        match feature {
            Feature::Draft => self.draft,
            Feature::Curve => self.curve,
            Feature::Pgm => self.pgm,
            Feature::Norm => self.norm,
        }
    }
}

/// The value a macro is defined to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// Defined with no value, as `#cmakedefine` does.
    Empty,
    /// Defined to this text.
    Text(&'static str),
    /// The L1 data cache line size of the target's CPU, in bytes.
    CacheLine,
}

/// When a macro is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Per platform: Linux, macOS, Windows.
    Platform {
        /// The Linux column.
        linux: Support,
        /// The macOS column.
        macos: Support,
        /// The Windows column.
        windows: Support,
    },
    /// When the build enables this feature, on every platform.
    Feature(Feature),
}

/// One configuration macro.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The macro's name.
    pub name: &'static str,
    /// What it is defined to.
    pub value: Value,
    /// When it is defined.
    pub when: When,
}

use Support::{No, Yes};

const fn on(name: &'static str, linux: Support, macos: Support, windows: Support) -> Row {
    Row {
        name,
        value: Value::Empty,
        when: When::Platform {
            linux,
            macos,
            windows,
        },
    }
}

const fn feature(name: &'static str, feature: Feature) -> Row {
    Row {
        name,
        value: Value::Empty,
        when: When::Feature(feature),
    }
}

const fn valued(row: Row, value: Value) -> Row {
    Row { value, ..row }
}

const PROBE_STRLCPY_ROW: Support = Support::Probe(&PROBE_STRLCPY);
const PROBE_AFUNIX_ROW: Support = Support::Probe(&PROBE_AFUNIX);

/// The whole configuration: every macro of libzmq 4.3.5's `platform.hpp.in` that
/// applies to these platforms, and the build-wide ones the sources test.
///
/// Columns: Linux, macOS, Windows.
pub const TABLE: &[Row] = &[
    // Which OS the sources compile for.
    on("ZMQ_HAVE_LINUX", Yes, No, No),
    on("ZMQ_HAVE_OSX", No, Yes, No),
    on("ZMQ_HAVE_WINDOWS", No, No, Yes),
    valued(on("_WIN32_WINNT", No, No, Yes), Value::Text("0x0600")),
    on("ZMQ_STATIC", Yes, Yes, Yes),
    // Threads, condition variables and the I/O thread's poller.
    on("ZMQ_USE_CV_IMPL_STL11", Yes, Yes, Yes),
    on("ZMQ_IOTHREAD_POLLER_USE_EPOLL", Yes, No, Yes),
    on("ZMQ_IOTHREAD_POLLER_USE_EPOLL_CLOEXEC", Yes, No, No),
    on("ZMQ_IOTHREAD_POLLER_USE_KQUEUE", No, Yes, No),
    on("ZMQ_POLL_BASED_ON_POLL", Yes, Yes, No),
    on("ZMQ_POLL_BASED_ON_SELECT", No, No, Yes),
    on("ZMQ_HAVE_PPOLL", Yes, No, No),
    on("ZMQ_HAVE_PTHREAD_SETNAME_1", No, Yes, No),
    on("ZMQ_HAVE_PTHREAD_SETNAME_2", Yes, No, No),
    on("ZMQ_HAVE_PTHREAD_SET_AFFINITY", Yes, No, No),
    // Memory, time, processes and strings.
    valued(on("HAVE_POSIX_MEMALIGN", Yes, Yes, No), Value::Text("1")),
    valued(on("ZMQ_CACHELINE_SIZE", Yes, Yes, Yes), Value::CacheLine),
    on("HAVE_FORK", Yes, Yes, No),
    on("HAVE_CLOCK_GETTIME", Yes, Yes, No),
    on("HAVE_MKDTEMP", Yes, Yes, No),
    on("HAVE_STRNLEN", Yes, Yes, Yes),
    on("ZMQ_HAVE_STRLCPY", PROBE_STRLCPY_ROW, Yes, No),
    on("ZMQ_HAVE_NOEXCEPT", Yes, Yes, Yes),
    on("ZMQ_HAVE_UIO", Yes, Yes, No),
    // File descriptors and the mailbox signaler.
    on("ZMQ_HAVE_EVENTFD", Yes, No, No),
    on("ZMQ_HAVE_EVENTFD_CLOEXEC", Yes, No, No),
    on("ZMQ_HAVE_O_CLOEXEC", Yes, Yes, No),
    on("ZMQ_HAVE_SOCK_CLOEXEC", Yes, No, No),
    on("HAVE_ACCEPT4", Yes, No, No),
    // Sockets and interfaces.
    on("ZMQ_HAVE_IFADDRS", Yes, Yes, No),
    on("HAVE_IF_NAMETOINDEX", Yes, Yes, No),
    on("ZMQ_HAVE_SO_BINDTODEVICE", Yes, No, No),
    on("ZMQ_HAVE_SO_PRIORITY", Yes, No, No),
    on("ZMQ_HAVE_SO_PEERCRED", Yes, No, No),
    on("ZMQ_HAVE_LOCAL_PEERCRED", No, Yes, No),
    on("ZMQ_HAVE_BUSY_POLL", Yes, No, No),
    on("ZMQ_HAVE_SO_KEEPALIVE", Yes, Yes, No),
    on("ZMQ_HAVE_TCP_KEEPCNT", Yes, Yes, No),
    on("ZMQ_HAVE_TCP_KEEPIDLE", Yes, No, No),
    on("ZMQ_HAVE_TCP_KEEPINTVL", Yes, Yes, No),
    on("ZMQ_HAVE_TCP_KEEPALIVE", No, Yes, No),
    // Transports.
    on("ZMQ_HAVE_IPC", Yes, Yes, PROBE_AFUNIX_ROW),
    on("ZMQ_HAVE_STRUCT_SOCKADDR_UN", Yes, Yes, PROBE_AFUNIX_ROW),
    on("ZMQ_HAVE_TIPC", Yes, No, No),
    // The WebSocket transport (ws://). CMake ties it to the draft API, but the
    // sources zeromq-src compiles include the ws engine, which needs it.
    on("ZMQ_HAVE_WS", Yes, Yes, Yes),
    on("ZMQ_USE_BUILTIN_SHA1", Yes, Yes, Yes),
    on("ZMQ_USE_RADIX_TREE", Yes, Yes, Yes),
    // Optional parts.
    valued(
        feature("ZMQ_BUILD_DRAFT_API", Feature::Draft),
        Value::Text("1"),
    ),
    feature("ZMQ_HAVE_CURVE", Feature::Curve),
    feature("ZMQ_USE_LIBSODIUM", Feature::Curve),
    feature("SODIUM_STATIC", Feature::Curve),
    feature("ZMQ_HAVE_OPENPGM", Feature::Pgm),
    feature("ZMQ_HAVE_NORM", Feature::Norm),
];

/// Macros that libzmq's sources test but that this configuration never defines:
/// the header `#undef`s them so that no compiler flag turns them on by accident.
pub const NEVER: &[&str] = &[
    "ZMQ_USE_CV_IMPL_WIN32API",
    "ZMQ_USE_CV_IMPL_PTHREADS",
    "ZMQ_USE_CV_IMPL_NONE",
    "ZMQ_IOTHREAD_POLLER_USE_DEVPOLL",
    "ZMQ_IOTHREAD_POLLER_USE_POLLSET",
    "ZMQ_IOTHREAD_POLLER_USE_POLL",
    "ZMQ_IOTHREAD_POLLER_USE_SELECT",
    "ZMQ_FORCE_MUTEXES",
    "HAVE_GETHRTIME",
    "ZMQ_HAVE_PTHREAD_SETNAME_3",
    "ZMQ_HAVE_PTHREAD_SET_NAME",
    "ZMQ_HAVE_LIBBSD",
    "ZMQ_USE_NSS",
    "ZMQ_HAVE_WSS",
    "ZMQ_USE_GNUTLS",
    "ZMQ_HAVE_VMCI",
    "ZMQ_MAKE_VALGRIND_HAPPY",
    "ZMQ_HAVE_WINDOWS_UWP",
];

/// A macro and the text it is defined to (empty for a bare `#define`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Define {
    /// The macro's name.
    pub name: &'static str,
    /// Its replacement text.
    pub value: String,
}

/// The L1 data cache line size for a Cargo `CARGO_CFG_TARGET_ARCH`: 128 bytes on
/// Apple's arm64 cores and on POWER, 64 elsewhere (what sysconf reports on x86_64
/// and on most arm64 Linux machines).
pub fn cacheline_size(os: Os, arch: &str) -> u32 {
    match (os, arch) {
        (Os::MacOs, "aarch64") => 128,
        (_, "powerpc64") => 128,
        _ => 64,
    }
}

/// Resolves the table for a target: the macros to define, in table order.
///
/// `probe` compiles and links a [`Probe`] program for the target and says whether
/// that worked; it is called once per distinct probe the target's column names.
pub fn configure(
    os: Os,
    arch: &str,
    features: Features,
    mut probe: impl FnMut(&Probe) -> bool,
) -> Vec<Define> {
    let mut probed: Vec<(&'static Probe, bool)> = Vec::new();
    let mut defines = Vec::new();
    for row in TABLE {
        let wanted = match row.when {
            When::Feature(f) => features.has(f),
            When::Platform {
                linux,
                macos,
                windows,
            } => match support_for(os, linux, macos, windows) {
                Yes => true,
                No => false,
                Support::Probe(p) => match probed.iter().find(|(q, _)| *q == p) {
                    Some(&(_, found)) => found,
                    None => {
                        let found = probe(p);
                        probed.push((p, found));
                        found
                    }
                },
            },
        };
        if wanted {
            let value = match row.value {
                Value::Empty => String::new(),
                Value::Text(text) => text.to_owned(),
                Value::CacheLine => cacheline_size(os, arch).to_string(),
            };
            defines.push(Define {
                name: row.name,
                value,
            });
        }
    }
    defines
}

fn support_for(os: Os, linux: Support, macos: Support, windows: Support) -> Support {
    match os {
        Os::Linux => linux,
        Os::MacOs => macos,
        Os::Windows => windows,
    }
}

/// The header that replaces libzmq's `platform.hpp`: it `#undef`s every macro the
/// table manages (and every one in [`NEVER`]), then defines `defines`.
///
/// It carries `platform.hpp`'s include guard, so the (empty) `platform.hpp` that
/// the sources include afterwards changes nothing.
pub fn render_header(defines: &[Define]) -> String {
    let mut out = String::from(
        "/* Generated by zmq-sys from the zmq-platform table. Do not edit. */\n\
         #ifndef __ZMQ_PLATFORM_HPP_INCLUDED__\n\
         #define __ZMQ_PLATFORM_HPP_INCLUDED__\n\n",
    );
    for name in TABLE
        .iter()
        .map(|row| row.name)
        .chain(NEVER.iter().copied())
    {
        out.push_str(&format!("#undef {name}\n"));
    }
    out.push('\n');
    for define in defines {
        if define.value.is_empty() {
            out.push_str(&format!("#define {}\n", define.name));
        } else {
            out.push_str(&format!("#define {} {}\n", define.name, define.value));
        }
    }
    out.push_str("\n#endif\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Os; 3] = [Os::Linux, Os::MacOs, Os::Windows];

    fn names(os: Os, features: Features, probes: bool) -> Vec<&'static str> {
        configure(os, "x86_64", features, |_| probes)
            .into_iter()
            .map(|d| d.name)
            .collect()
    }

    #[test]
    fn every_platform_has_exactly_one_io_thread_poller_and_one_zmq_poll_method() {
        for os in ALL {
            let defined = names(os, Features::default(), true);
            let pollers = defined
                .iter()
                .filter(|n| n.starts_with("ZMQ_IOTHREAD_POLLER_USE_") && !n.ends_with("CLOEXEC"))
                .count();
            let poll_methods = defined
                .iter()
                .filter(|n| n.starts_with("ZMQ_POLL_BASED_ON_"))
                .count();
            assert_eq!((pollers, poll_methods), (1, 1), "{os:?}: {defined:?}");
        }
    }

    #[test]
    fn linux_gets_what_cmake_detects_there() {
        let defined = names(Os::Linux, Features::default(), false);
        for expected in [
            "ZMQ_IOTHREAD_POLLER_USE_EPOLL_CLOEXEC",
            "ZMQ_HAVE_EVENTFD_CLOEXEC",
            "ZMQ_HAVE_SOCK_CLOEXEC",
            "HAVE_ACCEPT4",
            "ZMQ_HAVE_SO_KEEPALIVE",
            "ZMQ_HAVE_TCP_KEEPCNT",
            "ZMQ_HAVE_TCP_KEEPIDLE",
            "ZMQ_HAVE_TCP_KEEPINTVL",
            "ZMQ_HAVE_IFADDRS",
            "ZMQ_HAVE_SO_PEERCRED",
            "ZMQ_HAVE_SO_BINDTODEVICE",
            "ZMQ_HAVE_SO_PRIORITY",
            "ZMQ_HAVE_IPC",
            "ZMQ_HAVE_TIPC",
            "HAVE_IF_NAMETOINDEX",
            "HAVE_CLOCK_GETTIME",
            "HAVE_FORK",
            "HAVE_MKDTEMP",
            "HAVE_POSIX_MEMALIGN",
            "ZMQ_CACHELINE_SIZE",
            "ZMQ_HAVE_PTHREAD_SETNAME_2",
            "ZMQ_HAVE_PTHREAD_SET_AFFINITY",
            "ZMQ_HAVE_PPOLL",
            "ZMQ_HAVE_BUSY_POLL",
            "ZMQ_HAVE_UIO",
            "HAVE_STRNLEN",
            "ZMQ_HAVE_NOEXCEPT",
            "ZMQ_USE_RADIX_TREE",
        ] {
            assert!(defined.contains(&expected), "{expected} missing");
        }
        assert!(!defined.contains(&"ZMQ_HAVE_STRLCPY"), "probe said no");
        assert!(
            !defined.contains(&"ZMQ_BUILD_DRAFT_API"),
            "draft is a feature"
        );
    }

    #[test]
    fn probes_run_once_each_and_decide_their_rows() {
        let mut calls = Vec::new();
        let defined: Vec<_> = configure(Os::Windows, "x86_64", Features::default(), |p| {
            calls.push(p.name);
            true
        })
        .into_iter()
        .map(|d| d.name)
        .collect();
        assert_eq!(calls, ["afunix.h"]);
        assert!(
            defined.contains(&"ZMQ_HAVE_IPC") && defined.contains(&"ZMQ_HAVE_STRUCT_SOCKADDR_UN")
        );
        assert!(defined.contains(&"ZMQ_HAVE_WINDOWS"));
    }

    #[test]
    fn features_turn_on_their_macros_on_every_platform() {
        let all = Features {
            draft: true,
            curve: true,
            pgm: true,
            norm: true,
        };
        for os in ALL {
            let defined = names(os, all, false);
            for expected in [
                "ZMQ_BUILD_DRAFT_API",
                "ZMQ_HAVE_CURVE",
                "ZMQ_USE_LIBSODIUM",
                "ZMQ_HAVE_OPENPGM",
                "ZMQ_HAVE_NORM",
            ] {
                assert!(defined.contains(&expected), "{os:?}: {expected} missing");
            }
        }
    }

    #[test]
    fn header_undefines_every_managed_macro_before_defining_the_chosen_ones() {
        let defines = configure(Os::MacOs, "aarch64", Features::default(), |_| false);
        let header = render_header(&defines);
        for row in TABLE {
            assert!(header.contains(&format!("#undef {}\n", row.name)));
        }
        let first_define = header.find("#define ZMQ_HAVE_OSX").unwrap();
        let last_undef = header.rfind("#undef").unwrap();
        assert!(last_undef < first_define);
        assert!(header.contains("#define ZMQ_IOTHREAD_POLLER_USE_KQUEUE\n"));
        assert!(header.contains("#define ZMQ_CACHELINE_SIZE 128\n"));
        assert!(!header.contains("#define ZMQ_HAVE_LINUX"));
    }

    #[test]
    fn table_names_are_unique_and_disjoint_from_never() {
        let mut all: Vec<_> = TABLE
            .iter()
            .map(|r| r.name)
            .chain(NEVER.iter().copied())
            .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }
}
