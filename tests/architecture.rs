//! The arrows of ARCHITECTURE.md: no two top-level modules of `src/` depend on
//! each other, directly or through others, and `ffi` depends on none of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

/// The code of a file without its comments (doc links are not dependencies).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The names `crate::` paths start with in `text`: `crate::a::b` gives `a`,
/// `crate::{A, b::C}` gives `A` and `b`.
fn crate_paths(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    names.push(name.to_owned());
                }
            }
        } else {
            names.push(ident(rest).to_owned());
        }
    }
    names
}

/// Which top-level module each name at the crate root comes from: the modules
/// themselves, their re-exports (`pub use crate::m::{A, B}`) and aliases
/// (`pub use crate::options::socket as sockopt`).
fn root_names(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for line in lib.lines() {
        let line = line.trim();
        for prefix in ["mod ", "pub mod "] {
            if let Some(rest) = line.strip_prefix(prefix) {
                let name = ident(rest);
                names.insert(name.to_owned(), name.to_owned());
            }
        }
    }
    for statement in code(lib).split(';') {
        let statement = statement.trim();
        let Some(rest) = statement.strip_prefix("pub use crate::") else {
            continue;
        };
        let module = ident(rest).to_owned();
        if let Some((_, alias)) = rest.rsplit_once(" as ") {
            names.insert(ident(alias.trim()).to_owned(), module.clone());
        }
        if let Some(open) = rest.find('{') {
            for item in rest[open + 1..].trim_end_matches('}').split(',') {
                let item = item.trim();
                let name = ident(item.rsplit("::").next().unwrap_or(item));
                let first = ident(item);
                for n in [name, first] {
                    if !n.is_empty() && n != "self" {
                        names.entry(n.to_owned()).or_insert_with(|| module.clone());
                    }
                }
            }
        } else if let Some(last) = rest.rsplit("::").next() {
            names
                .entry(ident(last).to_owned())
                .or_insert_with(|| module.clone());
        }
    }
    names
}

/// The dependency graph between the top-level modules of `src/`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let names = root_names(&lib);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        let text = code(&std::fs::read_to_string(&file).unwrap());
        let deps = graph.entry(module.clone()).or_default();
        for name in crate_paths(&text) {
            if let Some(target) = names.get(&name) {
                if *target != module {
                    deps.insert(target.clone());
                }
            }
        }
    }
    graph
}

/// The cycles of `graph`, one path per strongly connected group.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for start in graph.keys() {
        // A path from a successor of `start` back to `start`.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.push(start.clone());
                    found.push(cycle);
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

#[test]
fn top_level_modules_have_no_import_cycles() {
    let graph = graph();
    assert!(
        graph.len() >= 10,
        "only {} modules found: {graph:?}",
        graph.len()
    );
    for (module, deps) in &graph {
        let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
        println!("{module} -> {}", deps.join(", "));
    }
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles: {cycles:?}\ngraph: {graph:#?}"
    );
}

#[test]
fn ffi_is_the_bottom_layer() {
    let graph = graph();
    assert_eq!(
        graph.get("ffi").cloned().unwrap_or_default(),
        BTreeSet::new(),
        "ffi depends on the safe layer"
    );
    for (module, deps) in &graph {
        if module != "ffi" && module != "error" && !deps.is_empty() {
            assert!(
                deps.contains("error") || deps.contains("ffi"),
                "{module}: {deps:?}"
            );
        }
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    graph.insert("d".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(cycles(&graph).len(), 3);
    assert_eq!(
        crate_paths("use crate::{Context, b::C}; crate::ffi::x"),
        ["Context", "b", "ffi"]
    );
}
