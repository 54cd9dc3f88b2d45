//! Desktop releases for the update tests: bundles signed as the Tauri
//! bundler signs them (a minisign signature, base64, whose trusted comment
//! names the version), with the repository's test key or another one, and
//! published on the test server through the owner's publish path.

use base64::Engine;

use crate::TestApp;

/// The test key's secret half (its public half is what debug builds trust).
pub fn test_key() -> minisign::SecretKey {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/keys/test-updater.key"))
        .expect("tests/keys/test-updater.key");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .expect("base64");
    minisign::SecretKey::from_bytes(&bytes).expect("a minisign secret key")
}

/// A key nobody trusts.
pub fn stranger_key() -> minisign::SecretKey {
    minisign::KeyPair::generate_unencrypted_keypair()
        .expect("key pair")
        .sk
}

/// The updater signature of `bytes` for `version`, as `tauri signer sign`
/// writes it.
pub fn sign(bytes: &[u8], version: &str, key: &minisign::SecretKey) -> String {
    let trusted = format!(
        "timestamp:{}\tfile:clinic-desktop_{version}_amd64.deb\tversion:{version}",
        chrono::Utc::now().timestamp()
    );
    let signature =
        minisign::sign(None, key, bytes, Some(&trusted), Some("signature from the tests")).expect("sign");
    base64::engine::general_purpose::STANDARD.encode(signature.to_string())
}

impl TestApp {
    /// Publishes `bytes` as version `version` on `channel` with `signature`.
    pub async fn publish_release(&self, channel: &str, version: &str, bytes: &[u8], signature: &str) {
        let dir = tempfile::tempdir().expect("dir");
        let deb = dir.path().join(format!("clinic-desktop_{version}_amd64.deb"));
        std::fs::write(&deb, bytes).expect("bundle");
        std::fs::write(
            dir.path().join(format!("clinic-desktop_{version}_amd64.deb.sig")),
            signature,
        )
        .expect("sig");
        std::fs::write(dir.path().join("notes.md"), "Faster printing.").expect("notes");
        let files = clinic_server::releases::read_dir(dir.path(), None).expect("release files");
        clinic_server::releases::publish(&self.owner_pool, &files, channel)
            .await
            .expect("publish");
    }
}
