//! How the vendored libzmq is optimised.
//!
//! By default libzmq is compiled optimised in every Cargo profile: a debug build
//! of an application spends most of its messaging time inside libzmq, and
//! with `-O0` there `cargo run` and `cargo test` executed about three times the
//! instructions per message of a release build. The debug info that the profile asks for is
//! kept (cc takes it from Cargo's `DEBUG`; it does not change the code).
//!
//! On top of the opt-level, what `benches/instructions.sh` showed to pay off
//! (Linux, where all of it was measured):
//! - `-fno-semantic-interposition`: libzmq is a static archive, so nothing can
//!   interpose its functions; without the flag, `-fPIC` makes GCC treat every
//!   one of them as replaceable and never inline one into another.
//! - `-fomit-frame-pointer` where cc would add frame pointers only because the
//!   profile has debug info (they cost 2.5 to 6 % more instructions per message);
//!   `RUSTFLAGS=-Cforce-frame-pointers=yes` still gets them.
//! - With GCC on Linux, link-time optimisation of libzmq's own objects: they are
//!   compiled with `-flto -ffat-lto-objects` and then linked with `-r` into one
//!   ordinary (non-LTO) object that replaces the archive's members, so that
//!   small functions of one file (`msg_t::size`, `pipe_t::check_read`, ...) are
//!   inlined into the others. The final link of the application needs no LTO
//!   support; if the partial link fails, the archive keeps its fat objects,
//!   which carry ordinary code too and link like any others.
//!
//! `ZMQ_SYS_FOLLOW_PROFILE=1` turns all of this off: libzmq is then compiled
//! exactly as the Cargo profile says (`-O0` in the dev profile), for someone
//! debugging libzmq itself. The user's own `CXXFLAGS` (and cc's other flag
//! variables) still come after these flags, so they win.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use zmq_platform::Os;

use crate::{cargo_var, env_flag, out_dir};

/// The opt-level libzmq is compiled at, unless the profile optimises for size.
const OPT_LEVEL: &str = "3";

/// What the optimised build adds to cc's own settings.
#[derive(Debug, Default)]
pub struct Optimisation {
    /// C++ flags that go before the user's own.
    pub cxx_flags: Vec<String>,
    /// Link libzmq's objects into one with link-time optimisation.
    lto: bool,
}

impl Optimisation {
    /// Decides the optimisation for this target and compiler, and sets cc's
    /// opt-level (the `OPT_LEVEL` variable that every later `cc::Build` of this
    /// build script reads). Call before zeromq-src's `Build::build()`.
    pub fn choose(os: Os) -> Optimisation {
        if env_flag("ZMQ_SYS_FOLLOW_PROFILE") {
            println!("zmq-sys: libzmq compiled as the profile says (ZMQ_SYS_FOLLOW_PROFILE)");
            return Optimisation::default();
        }
        let profile_level = cargo_var("OPT_LEVEL");
        if !matches!(profile_level.as_str(), "s" | "z") {
            // The build script is single-threaded here; cc snapshots the
            // environment when each `cc::Build` first reads it, after this.
            env::set_var("OPT_LEVEL", OPT_LEVEL);
        }
        let mut optimisation = Optimisation::default();
        if os == Os::Linux {
            let mut compiler = cc::Build::new();
            compiler.cpp(true);
            let flag = "-fno-semantic-interposition";
            if compiler.is_flag_supported(flag).unwrap_or(false) {
                optimisation.cxx_flags.push(flag.to_string());
            }
            let tool = compiler.get_compiler();
            if (tool.is_like_gnu() || tool.is_like_clang()) && debug_frame_pointers() {
                optimisation.cxx_flags.push("-fomit-frame-pointer".into());
            }
            if tool.is_like_gnu() && partial_lto_works(&tool) {
                optimisation.lto = true;
                optimisation
                    .cxx_flags
                    .extend(LTO_COMPILE.iter().map(|f| f.to_string()));
            }
        }
        println!(
            "zmq-sys: libzmq opt-level {}, flags {:?}, lto {}",
            env::var("OPT_LEVEL").unwrap_or_default(),
            optimisation.cxx_flags,
            optimisation.lto
        );
        optimisation
    }

    /// After zeromq-src built `lib_dir/libzmq.a`: replaces its members by one
    /// object linked with link-time optimisation, when that was chosen.
    pub fn finish(&self, lib_dir: &Path) {
        if !self.lto {
            return;
        }
        let archive = lib_dir.join("libzmq.a");
        let dir = out_dir().join("lto");
        let object = dir.join("libzmq-lto.o");
        let relinked = fs::create_dir_all(&dir).is_ok()
            && link_partially(&whole_archive(&archive), &object)
            && make_archive(&object, &lib_dir.join("libzmq-lto.a"))
            && fs::rename(lib_dir.join("libzmq-lto.a"), &archive).is_ok();
        if !relinked {
            println!(
                "cargo:warning=zmq-sys: the link-time optimisation of libzmq failed; \
                 libzmq is linked without it (set ZMQ_SYS_FOLLOW_PROFILE=1 to build it plainly)"
            );
        }
    }
}

/// Whether cc adds frame pointers only because the profile has debug info, not
/// because rustc's flags ask for them (`-Cforce-frame-pointers`, which cc follows).
fn debug_frame_pointers() -> bool {
    let debug = cargo_var("DEBUG");
    let rustflags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let asked = rustflags
        .split('\x1f')
        .any(|flag| match flag.split_once("force-frame-pointers") {
            Some((_, value)) => {
                !matches!(value.trim_start_matches('='), "no" | "n" | "off" | "false")
            }
            None => false,
        });
    !matches!(debug.as_str(), "" | "0" | "false" | "none") && !asked
}

/// The compile flags for link-time optimisation; the fat objects also carry
/// ordinary code, so the archive stays usable if the partial link fails.
const LTO_COMPILE: &[&str] = &["-flto", "-ffat-lto-objects"];

/// The partial link: one non-LTO relocatable object out of LTO objects
/// (GCC 9 and later). One partition: GCC 12 fails on libzmq with several.
const LTO_LINK: &[&str] = &[
    "-flto",
    "-flto-partition=one",
    "-r",
    "-nostdlib",
    "-flinker-output=nolto-rel",
];

/// Linker arguments that take every member of `archive`.
fn whole_archive(archive: &Path) -> Vec<OsString> {
    vec![
        "-Wl,--whole-archive".into(),
        archive.into(),
        "-Wl,--no-whole-archive".into(),
    ]
}

/// Links `inputs` with the C++ compiler cc would use, its flags (minus the
/// forced include, which is for compiling sources) and [`LTO_LINK`].
fn link_partially(inputs: &[OsString], output: &Path) -> bool {
    let tool = cc::Build::new().cpp(true).get_compiler();
    let mut cmd = Command::new(tool.path());
    let mut args = tool.args().iter();
    while let Some(arg) = args.next() {
        if arg == "-include" {
            args.next();
        } else {
            cmd.arg(arg);
        }
    }
    cmd.args(LTO_COMPILE)
        .args(LTO_LINK)
        .arg("-o")
        .arg(output)
        .args(inputs);
    run(cmd)
}

/// Writes a static archive that holds only `object`.
fn make_archive(object: &Path, archive: &Path) -> bool {
    let _ = fs::remove_file(archive);
    let mut cmd = cc::Build::new().get_archiver();
    cmd.arg("crs").arg(archive).arg(object);
    run(cmd)
}

/// Whether this compiler can compile with `-flto` and link the result
/// partially into a non-LTO object: two small C++ files, one calling the other.
fn partial_lto_works(tool: &cc::Tool) -> bool {
    let dir = out_dir().join("lto-probe");
    if fs::create_dir_all(&dir).is_err() {
        return false;
    }
    let sources = [
        ("callee.cpp", "int zmq_sys_lto_callee(int x) { return x + 1; }\n"),
        (
            "caller.cpp",
            "int zmq_sys_lto_callee(int);\nint zmq_sys_lto_caller(int x) { return zmq_sys_lto_callee(x) * 2; }\n",
        ),
    ];
    let mut objects = Vec::new();
    for (name, source) in sources {
        let src = dir.join(name);
        let obj: PathBuf = src.with_extension("o");
        if fs::write(&src, source).is_err() {
            return false;
        }
        let mut cmd = tool.to_command();
        cmd.args(LTO_COMPILE)
            .arg("-c")
            .arg(&src)
            .arg("-o")
            .arg(&obj);
        if !run(cmd) {
            return false;
        }
        objects.push(obj.into_os_string());
    }
    let works = link_partially(&objects, &dir.join("linked.o"));
    println!(
        "zmq-sys: probe partial LTO link: {}",
        if works { "works" } else { "does not work" }
    );
    works
}

/// Runs a tool quietly (its output goes to the build log); true on success.
fn run(mut cmd: Command) -> bool {
    // The program and its arguments only: cc's commands also carry the whole
    // environment, which has no place in a build log.
    let shown: Vec<_> = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|arg| arg.to_string_lossy())
        .collect();
    println!("zmq-sys: running {}", shown.join(" "));
    match cmd.stdin(Stdio::null()).output() {
        Ok(out) => {
            if !out.status.success() {
                println!("{}", String::from_utf8_lossy(&out.stdout));
                println!("{}", String::from_utf8_lossy(&out.stderr));
            }
            out.status.success()
        }
        Err(e) => {
            println!("zmq-sys: cannot run it: {e}");
            false
        }
    }
}
