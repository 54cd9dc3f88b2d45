// Declares the app's own commands (the one list in the contract crate) so
// the capability file can grant exactly these to the main window.
fn main() {
    let commands = contract::NAMES;
    let manifest = tauri_build::AppManifest::new().commands(commands);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri build step failed: {err:#}");
    }
}
