//! Releases of the desktop app: what the owner publishes from a bundle
//! directory (`clinic-server release publish DIR`), and which one a PC is
//! offered. The PC checks the updater signature against the public key it
//! was built with; the server only stores and serves.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail, ensure};
use semver::Version;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// Bundles the updater can install on Linux, by file extension.
const BUNDLE_EXTENSIONS: &[&str] = &["deb", "AppImage", "rpm"];

/// One bundle, its signature and notes, ready to publish.
#[derive(Debug, Clone)]
pub struct ReleaseFiles {
    pub bundle: PathBuf,
    pub signature: String,
    pub notes: String,
    pub version: Version,
    /// The updater's names: `linux`, `x86_64`.
    pub target: String,
    pub arch: String,
}

/// A channel name: 1-20 of `a-z`, `0-9`, `-`.
pub fn check_channel(channel: &str) -> anyhow::Result<()> {
    ensure!(
        !channel.is_empty()
            && channel.len() <= 20
            && channel
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "a channel is 1 to 20 of a-z, 0-9 and '-': {channel:?}"
    );
    Ok(())
}

/// The updater's arch name for a Debian one.
fn updater_arch(debian: &str) -> &str {
    match debian {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "i386" => "i686",
        "armhf" => "armv7",
        other => other,
    }
}

/// Reads DIR: exactly one bundle (`name_VERSION_ARCH.deb` as the bundler
/// names it), its updater signature `<bundle>.sig`, and `notes.md` if there.
/// `version` overrides the one in the file name.
pub fn read_dir(dir: &Path, version: Option<&str>) -> anyhow::Result<ReleaseFiles> {
    let mut bundles = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if BUNDLE_EXTENSIONS.contains(&ext) {
            bundles.push(path);
        }
    }
    let [bundle] = bundles.as_slice() else {
        bail!(
            "{} must hold exactly one bundle (.deb), found {}",
            dir.display(),
            bundles.len()
        );
    };
    let mut sig_name = bundle.as_os_str().to_owned();
    sig_name.push(".sig");
    let signature = std::fs::read_to_string(&sig_name)
        .with_context(|| {
            format!(
                "the updater signature {} is missing",
                PathBuf::from(&sig_name).display()
            )
        })?
        .trim()
        .to_owned();
    ensure!(
        !signature.is_empty() && signature.len() <= 2000,
        "the signature file is empty or too long"
    );
    let notes = std::fs::read_to_string(dir.join("notes.md")).unwrap_or_default();
    let stem = bundle.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let parts: Vec<&str> = stem.split('_').collect();
    let (named_version, debian_arch) = match parts.as_slice() {
        [_, v, a] => (Some(*v), *a),
        _ => (None, "amd64"),
    };
    let version = version
        .or(named_version)
        .context("no version: name the bundle name_VERSION_ARCH.deb or pass --version")?;
    let version = Version::parse(version.trim_start_matches('v'))
        .with_context(|| format!("{version:?} is not a version"))?;
    Ok(ReleaseFiles {
        bundle: bundle.clone(),
        signature,
        notes,
        version,
        target: "linux".into(),
        arch: updater_arch(debian_arch).into(),
    })
}

/// Stores a release for `channel` (as the owner role). Publishing the same
/// version of a channel again is refused: releases are immutable.
pub async fn publish(pool: &PgPool, files: &ReleaseFiles, channel: &str) -> anyhow::Result<Uuid> {
    check_channel(channel)?;
    let bytes =
        std::fs::read(&files.bundle).with_context(|| format!("reading {}", files.bundle.display()))?;
    let file_name = files
        .bundle
        .file_name()
        .and_then(|n| n.to_str())
        .context("the bundle's name is not UTF-8")?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO releases (id, channel, version, target, arch, file_name, signature, notes, bundle, sha256) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(channel)
    .bind(files.version.to_string())
    .bind(&files.target)
    .bind(&files.arch)
    .bind(file_name)
    .bind(&files.signature)
    .bind(&files.notes)
    .bind(&bytes)
    .bind(Sha256::digest(&bytes).to_vec())
    .execute(pool)
    .await
    .with_context(|| format!("publishing {} {} on {channel}", file_name, files.version))?;
    Ok(id)
}

/// Which of `available` versions a PC at `current` is offered: the pinned
/// one if IT pinned one (and it is another version), else the newest if it
/// is newer. `None`: stay.
pub fn choose<'a>(
    available: &'a [Version],
    current: &Version,
    pinned: Option<&Version>,
) -> Option<&'a Version> {
    match pinned {
        Some(pin) => available.iter().find(|v| *v == pin && *v > current),
        None => available.iter().filter(|v| *v > current).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).expect("version")
    }

    #[test]
    fn the_newest_newer_release_or_the_pinned_one_is_offered() {
        let all = [v("0.1.0"), v("0.3.0"), v("0.2.0"), v("0.10.0-beta.1")];
        assert_eq!(choose(&all, &v("0.2.0"), None), Some(&v("0.10.0-beta.1")));
        assert_eq!(choose(&all, &v("0.10.0"), None), None);
        assert_eq!(choose(&all, &v("0.1.0"), Some(&v("0.2.0"))), Some(&v("0.2.0")));
        assert_eq!(choose(&all, &v("0.3.0"), Some(&v("0.2.0"))), None, "never down");
        assert_eq!(
            choose(&all, &v("0.1.0"), Some(&v("0.9.9"))),
            None,
            "not published"
        );
    }

    #[test]
    fn a_bundle_directory_names_its_version_and_arch() {
        let dir = tempfile::tempdir().expect("dir");
        let deb = dir.path().join("clinic-desktop_0.2.0_amd64.deb");
        std::fs::write(&deb, b"deb").expect("deb");
        assert!(read_dir(dir.path(), None).is_err(), "no signature");
        std::fs::write(dir.path().join("clinic-desktop_0.2.0_amd64.deb.sig"), "c2ln\n").expect("sig");
        std::fs::write(dir.path().join("notes.md"), "Faster sync.").expect("notes");
        let files = read_dir(dir.path(), None).expect("release");
        assert_eq!(
            (files.version, files.arch.as_str(), files.signature.as_str()),
            (v("0.2.0"), "x86_64", "c2ln")
        );
        assert_eq!(files.notes, "Faster sync.");
        assert!(check_channel("Stable").is_err() && check_channel("beta-2").is_ok());
    }
}
