//! Installing the .deb for real with dpkg into a throwaway root (no
//! container needed: `--root` keeps dpkg's database and files there, and
//! `--force-script-chrootless` runs the maintainer scripts on this system
//! with `DPKG_ROOT` pointing at that root, which they honour). The runtime
//! libraries come from this system, as `Depends` names them.

use std::path::Path;

use clinic_tests::gui::Desktop;

use crate::{deb_in, dist, ok};

fn dpkg(root: &Path, args: &[&str]) -> String {
    let root_arg = format!("--root={}", root.display());
    let mut all = vec![
        root_arg.as_str(),
        "--force-depends",
        "--force-script-chrootless",
        "--log=/dev/null",
    ];
    all.extend_from_slice(args);
    ok("dpkg", &all, None)
}

fn new_root() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("root");
    for dir in [
        "var/lib/dpkg/info",
        "var/lib/dpkg/updates",
        "etc",
        "home/reception/.local/share",
    ] {
        std::fs::create_dir_all(root.path().join(dir)).expect("dir");
    }
    std::fs::write(root.path().join("var/lib/dpkg/status"), "").expect("status");
    root
}

#[tokio::test]
async fn the_deb_installs_opens_keeps_data_on_upgrade_and_removal_and_purges_only_on_purge() {
    let root = new_root();
    let deb = deb_in(&dist()).display().to_string();
    dpkg(root.path(), &["-i", &deb]);
    let binary = root.path().join("usr/bin/clinic-desktop");
    assert!(binary.exists(), "installed binary");
    assert!(
        root.path().join("etc/clinic-desktop/README").exists(),
        "the preset directory for IT"
    );

    // The installed app opens at its first screen.
    let desk = Desktop::launch_binary(&binary).await;
    desk.wait("setup-form").await;
    desk.screenshot("installed-first-screen").await;
    desk.close().await;

    // IT's preset and a user's clinic data survive an upgrade and a removal.
    let preset = root.path().join("etc/clinic-desktop/config.json");
    std::fs::write(&preset, r#"{"server_url": "https://clinic.example.org"}"#).expect("preset");
    let data = root.path().join("home/reception/.local/share/in.clinic.desktop");
    std::fs::create_dir_all(data.join("clinics")).expect("data");
    std::fs::write(data.join("app.sqlite3"), b"registry").expect("data file");
    dpkg(root.path(), &["-i", &deb]);
    assert!(
        preset.exists() && data.join("app.sqlite3").exists(),
        "kept on upgrade"
    );
    dpkg(root.path(), &["-r", "clinic-desktop"]);
    assert!(!binary.exists(), "the app is removed");
    assert!(
        preset.exists() && data.join("app.sqlite3").exists(),
        "kept on removal"
    );

    // Only a purge erases them.
    dpkg(root.path(), &["-P", "clinic-desktop"]);
    assert!(!preset.exists() && !data.exists(), "erased on purge");
}
