#!/usr/bin/env bash
# Runs every check and test of the project; installs what is missing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

apt_install ca-certificates pkg-config build-essential
ensure_postgres
ensure_rust

log "format"
cargo fmt --all -- --check

log "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "domain builds for wasm32"
cargo build -p domain --target wasm32-unknown-unknown --locked

log "tests"
cargo test --workspace --locked
