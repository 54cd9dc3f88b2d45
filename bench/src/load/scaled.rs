//! The same pulls against servers behind haproxy over pgbouncer in
//! transaction mode, as a scaled-out site runs them: one instance, then
//! three, in the same run and on the same database. PostgreSQL gets the
//! same pool (through pgbouncer) either way, so what changes is only the
//! number of server processes sharing the machine's cores.

use clinic_server::pgcluster::ClusterAddr;
use clinic_tests::scale_out::{Backing, ScaledOut};

use super::fleet::{self, Pc};
use super::follower::Follower;
use super::{DATABASE, PATIENTS, POOL, drive};

#[derive(Debug)]
pub struct Scaled {
    pub instances: usize,
    pub rate_per_s: f64,
    pub pull_p50_ms: f64,
    pub pull_p99_ms: f64,
    pub saturation_rps: f64,
    /// Share of the paced pulls that reached the database.
    pub pull_db_share: f64,
    pub errors: u64,
}

impl std::fmt::Display for Scaled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "instances={} rate_per_s={:.0} pull_p50_ms={:.1} pull_p99_ms={:.1} saturation_rps={:.0} \
             pull_db_share={:.3} errors={}",
            self.instances,
            self.rate_per_s,
            self.pull_p50_ms,
            self.pull_p99_ms,
            self.saturation_rps,
            self.pull_db_share,
            self.errors
        )
    }
}

/// A closed loop for 5 s, then paced pulls for `seconds`, through haproxy
/// in front of each number of `instances`. The pace is `rate`, or half of
/// what the first topology saturated at if that is less: latency under a
/// load the topology carries, the same load for each.
pub async fn compare(
    cluster: &ClusterAddr,
    clients: &[Pc],
    rate: f64,
    seconds: f64,
    instances: &[usize],
) -> anyhow::Result<Vec<Scaled>> {
    let backing = Backing {
        cluster,
        database: DATABASE,
        jwt_secret: fleet::SECRET,
        serve: (std::env::current_exe()?, vec!["load-server".to_owned()]),
        pool: POOL,
    };
    let mut out: Vec<Scaled> = Vec::new();
    for &count in instances {
        let net = ScaledOut::start_on(&backing, count).await;
        let connections = drive::connections(clients.len())?;
        let followers = Follower::all(&net.proxy, &connections, clients);
        drive::warm_up(&followers).await?;
        let (saturation_rps, saturation_errors) = drive::closed_loop(&followers, 5.0, true).await;
        let first = out.first().map_or(saturation_rps, |s| s.saturation_rps);
        let rate = rate.min(first / 2.0);
        let owner_url = cluster.owner_url(DATABASE);
        let before = drive::position_reads(&owner_url).await?;
        let mut paced = drive::paced(&net.proxy, &followers, &[], rate, seconds, PATIENTS, true).await;
        let db_pulls = drive::position_reads(&owner_url).await? - before;
        eprintln!(
            "load-bench: paced through haproxy ({count}): {} ms",
            drive::spread(&mut paced.pulls)
        );
        out.push(Scaled {
            instances: count,
            rate_per_s: rate,
            pull_p50_ms: drive::percentile(&mut paced.pulls, 50.0),
            pull_p99_ms: drive::percentile(&mut paced.pulls, 99.0),
            saturation_rps,
            pull_db_share: db_pulls as f64 / paced.pulls.len().max(1) as f64,
            errors: paced.errors + saturation_errors,
        });
        eprintln!("load-bench: behind haproxy and pgbouncer: {}", out[out.len() - 1]);
    }
    Ok(out)
}
