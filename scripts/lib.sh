# Shared set-up for the run and test scripts: installs what is missing,
# idempotently, on Debian 12 (as root) or uses what is there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build output lives outside the clone so a fresh clone starts warm.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/clinic/target}"
export DEBIAN_FRONTEND=noninteractive

# Exact-version tools live outside the clone and survive between runs.
TOOLS="${CLINIC_TOOLS:-$HOME/.cache/clinic/tools}"
export PATH="$TOOLS/bin:$PATH"

log() { printf '\n==> %s\n' "$*"; }

# The warm target dir grows with every build of every commit (incremental
# sessions, test binaries of old hashes): left alone it filled this
# machine's disk. Past 30 GB, incremental sessions go, then the linked
# test and program binaries (cargo relinks the ones it needs, a minute or
# two); compiled libraries stay, so nothing is recompiled from scratch.
trim_target() {
  [ -d "$CARGO_TARGET_DIR" ] || return 0
  local limit_kb=$((30 * 1024 * 1024))
  size_kb() { du -sk "$CARGO_TARGET_DIR" | cut -f1; }
  [ "$(size_kb)" -gt "$limit_kb" ] || return 0
  log "the build cache is over 30 GB: dropping incremental sessions"
  rm -rf "$CARGO_TARGET_DIR"/*/incremental "$CARGO_TARGET_DIR"/*/*/incremental
  [ "$(size_kb)" -gt "$limit_kb" ] || return 0
  log "still over 30 GB: dropping linked binaries of earlier builds"
  find "$CARGO_TARGET_DIR" -maxdepth 4 -path '*/deps/*' -type f -perm -u+x ! -name '*.so' -delete
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && ! command -v postgres >/dev/null; then
    # Our clusters are private to the app and its tests: skip the system one.
    as_root mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  apt_install postgresql postgresql-client
}

# The scaled-out topology's tests put haproxy and pgbouncer (transaction
# mode) between PCs, servers and Postgres; they start their own.
ensure_scale_out() {
  apt_install pgbouncer haproxy
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo is required (rustup toolchain)" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local version
  version="$(wasm_bindgen_version)"
  if ! "$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q " $version"; then
    log "installing wasm-bindgen-cli $version"
    cargo install wasm-bindgen-cli --version "=$version" --root "$TOOLS"
  fi
}

ensure_tauri_driver() {
  if ! "$TOOLS/bin/tauri-driver" --help >/dev/null 2>&1; then
    log "installing tauri-driver"
    cargo install tauri-driver --version 2.1.0 --locked --root "$TOOLS"
  fi
}

# Schemathesis, which fuzzes every route against the server's OpenAPI
# description (tests/tests/server/fuzz.rs), in its own virtualenv.
ensure_schemathesis() {
  local version=4.32.5
  if ! "$TOOLS/bin/st" --version 2>/dev/null | grep -q "version $version\$"; then
    log "installing schemathesis $version"
    apt_install python3 python3-venv
    rm -rf "$TOOLS/schemathesis"
    /usr/bin/python3 -m venv "$TOOLS/schemathesis"
    "$TOOLS/schemathesis/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
    mkdir -p "$TOOLS/bin"
    ln -sf "$TOOLS/schemathesis/bin/st" "$TOOLS/bin/st"
  fi
}

# Libraries and tools of the desktop app and its window tests (the app
# bundles its own fonts; poppler-utils reads exported PDFs back in tests).
ensure_desktop_system() {
  apt_install libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev \
    libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev build-essential pkg-config file xvfb \
    webkit2gtk-driver xauth dbus dbus-x11 gnome-keyring imagemagick poppler-utils fonts-dejavu-core
}

# The Tauri CLI (the bundler), prebuilt from npm at the version of the
# tauri crate, in its own prefix under $TOOLS.
TAURI_CLI_VERSION=2.12.5
ensure_tauri_cli() {
  command -v npm >/dev/null || apt_install nodejs npm
  if ! "$TOOLS/tauri-cli/node_modules/.bin/tauri" --version 2>/dev/null | grep -q " $TAURI_CLI_VERSION\$"; then
    log "installing the Tauri CLI $TAURI_CLI_VERSION"
    mkdir -p "$TOOLS/tauri-cli"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/tauri-cli" "@tauri-apps/cli@$TAURI_CLI_VERSION" >/dev/null
  fi
}

tauri_cli() { "$TOOLS/tauri-cli/node_modules/.bin/tauri" "$@"; }
