#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME
# keyring, as the desktop app's keychain (secret service) needs. A fresh
# HOME keeps an old, locked keyring file from getting in the way.
set -euo pipefail
if [ -z "${CLINIC_IN_DESKTOP_SESSION:-}" ]; then
  session_home="$(mktemp -d)"
  export CLINIC_IN_DESKTOP_SESSION=1 CLINIC_SESSION_HOME="$session_home"
  exec dbus-run-session -- "$0" "$@"
fi
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$CLINIC_SESSION_HOME" XDG_RUNTIME_DIR="$CLINIC_SESSION_HOME/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
printf 'clinic-test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
