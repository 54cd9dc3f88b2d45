// Declares the app's own commands (the one list in the contract crate) so
// the capability file can grant exactly these to the main window.
fn main() {
    // The key updates must be signed with: the release key from the bundle
    // script, else the test key (see keys/README.md).
    println!("cargo:rerun-if-env-changed=CLINIC_UPDATER_PUBKEY");
    println!("cargo:rerun-if-changed=keys/test-updater.pub");
    let pubkey = std::env::var("CLINIC_UPDATER_PUBKEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
        .unwrap_or_else(|| std::fs::read_to_string("keys/test-updater.pub").expect("keys/test-updater.pub"));
    println!("cargo:rustc-env=CLINIC_UPDATER_PUBKEY={}", pubkey.trim());
    let commands = contract::NAMES;
    let manifest = tauri_build::AppManifest::new().commands(commands);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri build step failed: {err:#}");
    }
}
