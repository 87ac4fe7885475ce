//! `unsafe` lives in the files ARCHITECTURE.md and the crate docs name, and in
//! no other: this test keeps that list true (and complete) as the code moves.

use std::path::{Path, PathBuf};

/// Every file of `src/` that may hold `unsafe` code, and must.
const UNSAFE_FILES: &[&str] = &[
    "src/ffi/mod.rs",
    "src/ffi/handle.rs",
    "src/ffi/msg.rs",
    "src/unchecked.rs",
    "src/asyncio/fd.rs",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether the code of `text` (comments and string literals left out) uses
/// `unsafe`: a block, a function, an impl, a trait or an extern block.
fn uses_unsafe(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split("//").next().unwrap_or_default();
        let mut outside_strings = String::new();
        let mut in_string = false;
        for c in code.chars() {
            if c == '"' {
                in_string = !in_string;
            } else if !in_string {
                outside_strings.push(c);
            }
        }
        outside_strings
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == "unsafe")
    })
}

#[test]
fn unsafe_code_is_in_the_listed_files_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found: Vec<String> = files
        .iter()
        .filter(|path| uses_unsafe(&std::fs::read_to_string(path).unwrap()))
        .map(|path| path.strip_prefix(root).unwrap().display().to_string())
        .collect();
    found.sort();
    let mut listed: Vec<String> = UNSAFE_FILES
        .iter()
        .filter(|file| root.join(file).exists())
        .map(|file| file.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "files with `unsafe` differ from the list (update ARCHITECTURE.md, the crate docs and this test together)"
    );
    assert!(
        listed.len() <= 5,
        "unsafe spread over {} files",
        listed.len()
    );
}

#[test]
fn the_scan_sees_unsafe_code_and_ignores_comments_and_strings() {
    assert!(uses_unsafe("fn f() { unsafe { g() } }"));
    assert!(uses_unsafe("unsafe impl Send for X {}"));
    assert!(uses_unsafe("pub unsafe fn f() {}"));
    assert!(!uses_unsafe("// SAFETY: unsafe is fine here"));
    assert!(!uses_unsafe("let s = \"unsafe\";"));
    assert!(!uses_unsafe("#![deny(unsafe_op_in_unsafe_fn)]"));
}
