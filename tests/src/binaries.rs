//! The workspace's own programs, as `cargo build --workspace` left them.

use std::path::PathBuf;

/// The program `name` built beside this binary (a bench in target/release)
/// or one level up (a test binary in target/debug/deps).
pub fn built_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    match exe.parent().map(|dir| dir.join(name)) {
        Some(path) if path.exists() => path,
        _ => exe
            .parent()
            .and_then(|deps| deps.parent())
            .map(|dir| dir.join(name))
            .expect("target dir"),
    }
}
