//! `clinic-server dev` started right after a killed one: its private
//! Postgres is still shutting down and holds the data directory's lock;
//! the new one waits for it instead of failing.

use clinic_server::pgcluster::PrivateCluster;

#[test]
fn a_dev_cluster_started_right_after_a_killed_one_waits_for_the_old_postgres() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = PrivateCluster::start(dir.path(), false).expect("first start");
    // As when `clinic-server dev` is killed: its Postgres gets SIGINT and
    // takes a moment to shut down.
    let old = first.abandon().expect("a running postgres");
    let second = PrivateCluster::start(dir.path(), false).expect("starts once the old one has exited");
    assert!(
        !std::path::Path::new(&format!("/proc/{old}/cmdline")).exists()
            || std::fs::read_to_string(format!("/proc/{old}/stat")).is_ok_and(|s| s.contains(") Z")),
        "the old postmaster is gone"
    );
    drop(second);
}
