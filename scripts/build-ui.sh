#!/usr/bin/env bash
# Builds the Yew UI into ui/dist: cargo to wasm32, then the wasm-bindgen CLI
# pinned to the exact wasm-bindgen version of Cargo.lock. No downloads.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_wasm_bindgen
cargo build -p ui --target wasm32-unknown-unknown --profile ui-release --locked
rm -rf ui/dist && mkdir -p ui/dist
"$TOOLS/bin/wasm-bindgen" --target web --no-typescript --out-dir ui/dist \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/ui-release/ui.wasm"
cp ui/index.html ui/main.js ui/styles.css ui/dist/
# The bundled fonts (the same files the PDF embeds), served from the app.
mkdir -p ui/dist/fonts
cp assets/fonts/*.ttf assets/fonts/OFL.txt ui/dist/fonts/
