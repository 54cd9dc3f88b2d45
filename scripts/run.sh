#!/usr/bin/env bash
# Runs the product: the server in dev mode on a private PostgreSQL kept in
# .dev-data/ (created on first run, reused after), a demo clinic on first
# start (skip with --no-demo), and the desktop app against it. Closing the
# app stops the server and the database. Other arguments go to
# `clinic-server dev` (e.g. --port 9000).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

apt_install ca-certificates pkg-config build-essential curl
ensure_postgres
ensure_desktop_system
ensure_rust
ensure_wasm_bindgen

"$ROOT/scripts/build-ui.sh"
# The same build as scripts/test.sh (same packages, same features): after
# the tests have run, this is a no-op.
log "building the server, the desktop app and the demo"
cargo build --workspace --locked

port=8080
demo=1
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-demo" ]; then demo=0; else args+=("$arg"); fi
done
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--port" ] && port="${args[$((i + 1))]}"
done
"$CARGO_TARGET_DIR/debug/clinic-server" dev --data-dir "$ROOT/.dev-data" "${args[@]}" &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/openapi.json" >/dev/null 2>&1 && break
  sleep 0.2
done

if [ -z "${DISPLAY:-}" ]; then
  # No screen on this machine: a virtual one, so the app still runs.
  export DISPLAY=:90
  if ! pgrep -f "Xvfb :90" >/dev/null; then
    Xvfb :90 -screen 0 1280x800x24 >/dev/null 2>&1 &
    xvfb=$!
    # The display we started goes with the server when the app closes.
    trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null; kill $xvfb 2>/dev/null' EXIT
  fi
  sleep 1
  log "no display: the app runs on virtual display :90 (screenshot: DISPLAY=:90 import -window root shot.png)"
fi
export CLINIC_SERVER_URL="http://127.0.0.1:$port"
if [ $demo = 1 ]; then
  if [ ! -f "$ROOT/.dev-data/demo.env" ]; then
    log "creating the demo clinic through the API (once; --no-demo skips it)"
    "$CARGO_TARGET_DIR/debug/clinic-demo" --server "$CLINIC_SERVER_URL" --out "$ROOT/.dev-data/demo.env" \
      | tee "$ROOT/.dev-data/demo.txt"
  else
    cat "$ROOT/.dev-data/demo.txt" 2>/dev/null || true
  fi
  # The sign-in screen opens with the demo clinic's code filled in.
  set -a
  source "$ROOT/.dev-data/demo.env"
  set +a
fi
export CLINIC_DATA_DIR="${CLINIC_DATA_DIR:-$ROOT/.dev-data/desktop}"
log "starting the desktop app against $CLINIC_SERVER_URL"
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  "$ROOT/scripts/desktop-session.sh" "$CARGO_TARGET_DIR/debug/clinic-app"
else
  "$CARGO_TARGET_DIR/debug/clinic-app"
fi
