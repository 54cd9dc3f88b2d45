//! The operating-system side of the private cluster: which user Postgres
//! runs as (it refuses root), starting it as that user with a death
//! signal, and waiting for an earlier run's Postgres to let go.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// uid and gid of `postgres` when we run as root (initdb refuses root).
pub(super) fn cluster_user() -> anyhow::Result<Option<(u32, u32)>> {
    if current_uid()? != 0 {
        return Ok(None);
    }
    let passwd = fs::read_to_string("/etc/passwd")?;
    let line = passwd
        .lines()
        .find(|l| l.starts_with("postgres:"))
        .context("running as root needs a 'postgres' user (apt-get install postgresql creates it)")?;
    let fields: Vec<&str> = line.split(':').collect();
    Ok(Some((fields[2].parse()?, fields[3].parse()?)))
}

pub(super) fn current_uid() -> anyhow::Result<u32> {
    let status = fs::read_to_string("/proc/self/status")?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|rest| rest.split_whitespace().next())
        .context("no Uid in /proc/self/status")?;
    Ok(uid.parse()?)
}

/// Runs `cmd` as the cluster user and, for the server itself, asks the
/// kernel to stop it (SIGINT = fast shutdown) if this thread dies, so a
/// killed test run never leaves a Postgres behind.
#[allow(unsafe_code)]
pub(super) fn prepare(cmd: &mut Command, user: Option<(u32, u32)>, die_with_parent: bool) {
    // SAFETY: the closure runs between fork and exec and only makes
    // async-signal-safe system calls; it touches no Rust allocations.
    unsafe {
        cmd.pre_exec(move || {
            if let Some((uid, gid)) = user
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(gid) != 0
                    || libc::setuid(uid) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            // After setuid: changing credentials clears the death signal.
            if die_with_parent && libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

pub(super) fn chown(path: &Path, user: Option<(u32, u32)>) -> anyhow::Result<()> {
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(path, Some(uid), Some(gid))?;
    }
    Ok(())
}

/// A Postgres of an earlier run (its starter was killed and it is still
/// shutting down) holds the data directory's lock until it exits: wait for
/// it rather than fail on its lock file.
pub(super) fn wait_for_previous_postmaster(data: &Path) -> anyhow::Result<()> {
    let pid = fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|text| text.lines().next()?.trim().parse::<u32>().ok());
    let Some(pid) = pid else {
        return Ok(());
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while process_running(pid) {
        if Instant::now() > deadline {
            bail!(
                "another Postgres (pid {pid}) still uses {}; stop the other clinic-server first",
                data.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Whether `pid` is a live process (a zombie waiting to be reaped is not).
fn process_running(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}
