#!/usr/bin/env bash
# Runs the server on a private PostgreSQL kept in .dev-data/ (created on
# first run, reused after). Ctrl-C stops both. Extra arguments go to
# `clinic-server dev` (e.g. --port 9000 --smtp-url smtp://127.0.0.1:2525).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

apt_install ca-certificates pkg-config build-essential
ensure_postgres
ensure_rust

log "building the server"
cargo build -p clinic-server --locked
exec "$CARGO_TARGET_DIR/debug/clinic-server" dev --data-dir "$ROOT/.dev-data" "$@"
