//! API.md names every libzmq function in the bindings and every option in the
//! tables, so the ledger cannot fall behind the code.

#[test]
fn the_ledger_lists_every_function_and_option() {
    let ledger = include_str!("../API.md");
    let bindings = include_str!("../zmq-sys/src/bindings.rs");
    let functions: Vec<&str> = bindings
        .split("pub fn ")
        .skip(1)
        .filter_map(|rest| rest.split('(').next())
        .filter(|name| name.starts_with("zmq_"))
        .collect();
    assert!(
        functions.len() > 90,
        "only {} functions found",
        functions.len()
    );
    let mut missing: Vec<String> = functions
        .iter()
        .filter(|f| !ledger.contains(&format!("| `{f}` |")))
        .map(|f| f.to_string())
        .collect();
    for option in zmq::sockopt::all() {
        if !ledger.contains(&format!("| `{}` | `sockopt::{}`", option.name, option.tag)) {
            missing.push(option.name.to_string());
        }
    }
    for option in zmq::ctxopt::all() {
        if !ledger.contains(&format!("| `{}` | `ctxopt::", option.name)) {
            missing.push(option.name.to_string());
        }
    }
    assert!(missing.is_empty(), "missing from API.md: {missing:?}");
}
