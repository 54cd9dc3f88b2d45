#!/usr/bin/env bash
# Builds what IT installs, into dist/:
#   clinic-desktop_<version>_amd64.deb      the Tauri bundle (release build, UI embedded)
#   clinic-desktop_<version>_amd64.deb.sig  its updater signature (minisign, base64)
#   SHA256SUMS, SHA256SUMS.asc              checksums and their OpenPGP signature
#   keys/                                   the public keys IT needs (*.pub updater, *.asc OpenPGP)
# Keys: TAURI_SIGNING_PRIVATE_KEY (+ _PASSWORD) with TAURI_SIGNING_PUBLIC_KEY
# for updates, CLINIC_GPG_KEY (a key id in the local keyring) for OpenPGP.
# Without them it makes throwaway keys under dist/keys/ and says so: such a
# bundle is for testing only.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

apt_install ca-certificates pkg-config build-essential gnupg
ensure_desktop_system
ensure_rust
ensure_wasm_bindgen
ensure_tauri_cli

DIST="$ROOT/dist"
rm -rf "$DIST"
mkdir -p "$DIST/keys"
loud() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' "$*" >&2; }

log "updater signing key"
if [ -z "${TAURI_SIGNING_PRIVATE_KEY:-}" ]; then
  loud "NO TAURI_SIGNING_PRIVATE_KEY: signing updates with a THROWAWAY key in dist/keys/ (testing only; PCs built from this bundle trust only it)"
  password="$(head -c 18 /dev/urandom | base64)"
  tauri_cli signer generate --ci -p "$password" -w "$DIST/keys/updater-throwaway.key" >/dev/null
  export TAURI_SIGNING_PRIVATE_KEY="$(cat "$DIST/keys/updater-throwaway.key")"
  export TAURI_SIGNING_PRIVATE_KEY_PASSWORD="$password"
  export TAURI_SIGNING_PUBLIC_KEY="$(cat "$DIST/keys/updater-throwaway.key.pub")"
  mv "$DIST/keys/updater-throwaway.key.pub" "$DIST/keys/updater.pub"
  rm -f "$DIST/keys/updater-throwaway.key"
else
  [ -n "${TAURI_SIGNING_PUBLIC_KEY:-}" ] || { echo "TAURI_SIGNING_PUBLIC_KEY (the public half) is required with TAURI_SIGNING_PRIVATE_KEY" >&2; exit 1; }
  printf '%s' "$TAURI_SIGNING_PUBLIC_KEY" > "$DIST/keys/updater.pub"
fi
if [ "$(tr -d '\n' < "$DIST/keys/updater.pub")" = "$(tr -d '\n' < src-tauri/keys/test-updater.pub)" ]; then
  echo "refusing to bundle with the repository's test updater key" >&2; exit 1
fi
# The app trusts exactly this key for its updates (src-tauri/build.rs).
export CLINIC_UPDATER_PUBKEY="$TAURI_SIGNING_PUBLIC_KEY"

log "the UI, then the release app and its .deb (Tauri bundler)"
"$ROOT/scripts/build-ui.sh"
(cd src-tauri && tauri_cli build --ci --bundles deb --config \
  "{\"bundle\": {\"createUpdaterArtifacts\": true}, \"plugins\": {\"updater\": {\"pubkey\": \"$TAURI_SIGNING_PUBLIC_KEY\"}}}")
version="$(awk -F'"' '/"version"/ { print $4; exit }' src-tauri/tauri.conf.json)"
built="$CARGO_TARGET_DIR/release/bundle/deb"
deb="clinic-desktop_${version}_amd64.deb"
cp "$built"/*_"${version}"_amd64.deb "$DIST/$deb"
cp "$built"/*_"${version}"_amd64.deb.sig "$DIST/$deb.sig"
[ -f src-tauri/packaging/notes.md ] && cp src-tauri/packaging/notes.md "$DIST/notes.md"

log "checksums and their OpenPGP signature"
export GNUPGHOME="${GNUPGHOME:-$DIST/keys/.gnupg-throwaway}"
if [ -z "${CLINIC_GPG_KEY:-}" ]; then
  loud "NO CLINIC_GPG_KEY: signing SHA256SUMS with a THROWAWAY OpenPGP key (testing only)"
  mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-generate-key "Clinic Desktop test bundle <bundle@clinic.invalid>" ed25519 sign 1d
  CLINIC_GPG_KEY="$(gpg --batch --list-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')"
fi
(cd "$DIST" && sha256sum "$deb" "$deb.sig" > SHA256SUMS)
gpg --batch --yes --local-user "$CLINIC_GPG_KEY" --armor --detach-sign --output "$DIST/SHA256SUMS.asc" "$DIST/SHA256SUMS"
gpg --batch --armor --export "$CLINIC_GPG_KEY" > "$DIST/keys/clinic-desktop-release.asc"
rm -rf "$DIST/keys/.gnupg-throwaway"

log "bundle ready in dist/"
ls -l "$DIST" "$DIST/keys"
cat <<TEXT

IT checks it offline with:
  gpg --import dist/keys/clinic-desktop-release.asc && gpg --verify dist/SHA256SUMS.asc dist/SHA256SUMS
  (cd dist && sha256sum -c SHA256SUMS)
TEXT
