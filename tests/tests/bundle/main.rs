//! The bundle IT installs, as `scripts/bundle.sh` leaves it in `dist/` (the
//! test script makes it just before; run it first when running this alone).
//! IT verifies it offline, a tampered file fails those checks, and the .deb
//! installs for real into a throwaway root whose app opens its first
//! screen; upgrades keep IT's preset, removal keeps the clinic's data and
//! only a purge erases them.

mod install;
mod verify;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundle directory; fails with what to do when it is missing.
pub fn dist() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist");
    assert!(
        dist.join("SHA256SUMS").exists(),
        "no bundle in {}: run scripts/bundle.sh first",
        dist.display()
    );
    dist
}

/// The one .deb in `dir`.
pub fn deb_in(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .expect("dist")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .expect("a .deb in dist/")
}

/// Runs a command; returns its output (the caller checks the status).
pub fn run(program: &str, args: &[&str], dir: Option<&Path>) -> Output {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("{program} could not run: {e}"))
}

/// Runs a command that must succeed; returns its stdout.
pub fn ok(program: &str, args: &[&str], dir: Option<&Path>) -> String {
    let out = run(program, args, dir);
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
