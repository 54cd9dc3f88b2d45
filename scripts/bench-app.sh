#!/usr/bin/env bash
# Measures the desktop app's start to first paint and idle memory
# (release build, real window under Xvfb). Prints a table and one line.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_desktop_system
ensure_rust
ensure_wasm_bindgen
ensure_tauri_driver
"$ROOT/scripts/build-ui.sh"
cargo build --release -p clinic-app -p bench --locked --bins
"$ROOT/scripts/desktop-session.sh" "$CARGO_TARGET_DIR/release/bench" app-start "$@"
