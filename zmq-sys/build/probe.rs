//! Compiles (and links, and sometimes runs) small C programs to learn what the
//! target's toolchain and libraries provide.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How to compile a probe: extra include directories, library directories and
/// libraries to link.
#[derive(Default, Debug, Clone)]
pub struct Link {
    pub include_dirs: Vec<PathBuf>,
    pub lib_dirs: Vec<PathBuf>,
    pub libs: Vec<String>,
}

/// Compiles and links `source` as a C program named `name` in `OUT_DIR/probes`;
/// returns the executable's path when that worked.
pub fn compile(name: &str, source: &str, link: &Link) -> Option<PathBuf> {
    let dir = crate::out_dir().join("probes");
    fs::create_dir_all(&dir).ok()?;
    let file_stem: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let src = dir.join(format!("{file_stem}.c"));
    let exe = dir.join(format!("{file_stem}.exe"));
    fs::write(&src, source).ok()?;

    let compiler = cc::Build::new()
        .cargo_metadata(false)
        .warnings(false)
        .get_compiler();
    let mut cmd = compiler.to_command();
    for dir in &link.include_dirs {
        cmd.arg(format!("-I{}", dir.display()));
    }
    cmd.arg(&src).arg("-o").arg(&exe);
    for dir in &link.lib_dirs {
        cmd.arg(format!("-L{}", dir.display()));
    }
    for lib in &link.libs {
        cmd.arg(format!("-l{lib}"));
    }
    let ok = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(exe)
}

/// Runs a compiled probe when the build machine can run the target's programs;
/// returns what it printed.
pub fn run(exe: &Path, lib_dirs: &[PathBuf]) -> Option<String> {
    if crate::cargo_var("HOST") != crate::cargo_var("TARGET") {
        return None;
    }
    let mut cmd = Command::new(exe);
    if !lib_dirs.is_empty() {
        let joined = std::env::join_paths(lib_dirs).ok()?;
        cmd.env("LD_LIBRARY_PATH", joined);
    }
    let output = cmd.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
