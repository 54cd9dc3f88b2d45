//! What IT checks before installing: the OpenPGP signature of SHA256SUMS,
//! the checksums, and the updater signature, each failing on a tampered
//! copy.

use std::path::Path;

use base64::Engine;

use crate::{deb_in, dist, ok, run};

/// Copies dist/ (without its key store) to a fresh directory.
fn copy_of_dist() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("dir");
    ok(
        "cp",
        &[
            "-r",
            &format!("{}/.", dist().display()),
            &copy.path().display().to_string(),
        ],
        None,
    );
    copy
}

/// `gpg --verify` with only the bundle's own public key imported.
fn gpg_verifies(dir: &Path) -> bool {
    let home = tempfile::tempdir().expect("gnupg home");
    let home = home.path().display().to_string();
    let key = dir.join("keys/clinic-desktop-release.asc").display().to_string();
    ok(
        "gpg",
        &["--homedir", &home, "--batch", "--quiet", "--import", &key],
        None,
    );
    run(
        "gpg",
        &[
            "--homedir",
            &home,
            "--batch",
            "--verify",
            "SHA256SUMS.asc",
            "SHA256SUMS",
        ],
        Some(dir),
    )
    .status
    .success()
}

/// The updater's minisign check of the .deb against dist/keys/updater.pub.
fn updater_signature_verifies(dir: &Path) -> bool {
    let b64 = base64::engine::general_purpose::STANDARD;
    let text = |path: &Path| {
        let raw = std::fs::read_to_string(path).expect("read");
        String::from_utf8(b64.decode(raw.trim()).expect("base64")).expect("utf-8")
    };
    let deb = deb_in(dir);
    let public = minisign::PublicKeyBox::from_string(&text(&dir.join("keys/updater.pub")))
        .and_then(|b| b.into_public_key())
        .expect("updater public key");
    let mut sig_path = deb.clone().into_os_string();
    sig_path.push(".sig");
    let signature = minisign::SignatureBox::from_string(&text(Path::new(&sig_path))).expect("signature");
    let bytes = std::fs::read(&deb).expect("deb");
    minisign::verify(
        &public,
        &signature,
        std::io::Cursor::new(bytes),
        true,
        false,
        false,
    )
    .is_ok()
}

#[test]
fn it_verifies_the_bundle_offline_and_a_tampered_copy_fails() {
    let good = copy_of_dist();
    assert!(gpg_verifies(good.path()), "gpg --verify SHA256SUMS.asc");
    assert!(
        run("sha256sum", &["-c", "SHA256SUMS"], Some(good.path()))
            .status
            .success()
    );
    assert!(updater_signature_verifies(good.path()), "the updater signature");

    // One flipped byte in the .deb.
    let bad = copy_of_dist();
    let deb = deb_in(bad.path());
    let mut bytes = std::fs::read(&deb).expect("deb");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&deb, &bytes).expect("tamper");
    assert!(
        !run("sha256sum", &["-c", "SHA256SUMS"], Some(bad.path()))
            .status
            .success(),
        "sha256sum -c"
    );
    assert!(!updater_signature_verifies(bad.path()), "the updater signature");
    // ...and SHA256SUMS rewritten to match it: the OpenPGP signature fails.
    let name = deb.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
    let sums = ok("sha256sum", &[&name, &format!("{name}.sig")], Some(bad.path()));
    std::fs::write(bad.path().join("SHA256SUMS"), sums).expect("rewrite sums");
    assert!(
        run("sha256sum", &["-c", "SHA256SUMS"], Some(bad.path()))
            .status
            .success()
    );
    assert!(
        !gpg_verifies(bad.path()),
        "gpg --verify catches the rewritten sums"
    );
}

#[test]
fn the_deb_is_named_depends_on_runtime_libraries_and_carries_the_app() {
    let deb = deb_in(&dist());
    let name = deb.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
    assert!(
        name.starts_with("clinic-desktop_") && name.ends_with("_amd64.deb"),
        "{name}"
    );
    let deb = deb.display().to_string();
    let package = ok("dpkg-deb", &["-f", &deb, "Package"], None);
    assert_eq!(package.trim(), "clinic-desktop");
    let depends = ok("dpkg-deb", &["-f", &deb, "Depends"], None);
    assert!(
        depends.contains("libwebkit2gtk-4.1-0") && depends.contains("libgtk-3-0"),
        "{depends}"
    );
    assert!(!depends.contains("-dev"), "runtime packages only: {depends}");
    let files = ok("dpkg-deb", &["-c", &deb], None);
    for expected in ["usr/bin/clinic-desktop", ".desktop", "icons/hicolor"] {
        assert!(files.contains(expected), "{expected} in the .deb:\n{files}");
    }
    let control = tempfile::tempdir().expect("dir");
    ok(
        "dpkg-deb",
        &["-e", &deb, &control.path().display().to_string()],
        None,
    );
    assert!(control.path().join("postinst").exists() && control.path().join("postrm").exists());
}
