//! What cannot be generated from the command list is checked against it:
//! the window's capability file grants exactly the declared commands, and
//! the window has a typed wrapper for each.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn the_capability_file_grants_exactly_the_declared_commands() {
    let text =
        std::fs::read_to_string(root().join("src-tauri/capabilities/main.json")).expect("capability file");
    let file: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut granted: Vec<String> = file["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    let mut declared: Vec<String> = contract::NAMES.iter().map(|n| contract::permission(n)).collect();
    granted.sort();
    declared.sort();
    assert_eq!(
        granted, declared,
        "src-tauri/capabilities/main.json and contract::command_list differ"
    );
}

#[test]
fn the_window_has_a_typed_wrapper_for_every_command() {
    let api = root().join("ui/src/api");
    let mut sources = String::new();
    for entry in std::fs::read_dir(&api).expect("ui/src/api") {
        let path = entry.expect("entry").path();
        sources.push_str(&std::fs::read_to_string(path).expect("read"));
    }
    let missing: Vec<&str> = contract::COMMANDS
        .iter()
        .filter(|(ty, _)| !sources.contains(&format!("invoke::<cmd::{ty}>")))
        .map(|(_, name)| *name)
        .collect();
    assert!(
        missing.is_empty(),
        "commands without a wrapper in ui/src/api: {missing:?}"
    );
    assert!(
        !sources.contains("call(\""),
        "a wrapper names a command by string"
    );
}
