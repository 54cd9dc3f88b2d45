#!/usr/bin/env bash
# Runs every check and test of the project; installs what is missing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

apt_install ca-certificates pkg-config build-essential
ensure_postgres
ensure_scale_out
ensure_desktop_system
ensure_rust
ensure_wasm_bindgen
ensure_tauri_driver
ensure_schemathesis
trim_target

log "format"
cargo fmt --all -- --check

log "UI (wasm) into ui/dist, which the desktop app embeds"
"$ROOT/scripts/build-ui.sh"

log "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "domain and the desktop contract build for wasm32"
cargo build -p domain -p contract --target wasm32-unknown-unknown --locked

log "every binary (the desktop app the window tests launch, the server, the demo): the same build scripts/run.sh makes"
cargo build --workspace --locked

log "the signed bundle IT installs (release .deb, checksums, signatures) into dist/: the bundle tests check it"
"$ROOT/scripts/bundle.sh"

log "tests (window tests under Xvfb, keychain in a private D-Bus session)"
"$ROOT/scripts/desktop-session.sh" cargo test --workspace --locked --no-fail-fast
