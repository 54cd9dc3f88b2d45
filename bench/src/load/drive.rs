//! The load generator: clients each on their own connection pulling at a
//! fixed pace (latency counted from when each request was due, so a slow
//! server cannot hide its queue), a few of them pushing, and closed loops
//! that find the throughput of the pull route and of the HTTP floor.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clinic_tests::pc::Device;
use domain::sync::{OpKind, PROTOCOL_VERSION};
use serde_json::json;

use super::fleet::{Pc, patient_id};
use super::follower::{Follower, Pulled};

/// One connection per client, as each PC has its own.
pub fn connections(n: usize) -> anyhow::Result<Vec<reqwest::Client>> {
    (0..n)
        .map(|_| {
            Ok(reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .tcp_nodelay(true)
                .timeout(Duration::from_secs(30))
                .build()?)
        })
        .collect()
}

/// Milliseconds at the `p`th percentile (0-100) of `samples`.
pub fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_unstable();
    let at = ((samples.len() - 1) as f64 * p / 100.0).round() as usize;
    samples[at].as_secs_f64() * 1000.0
}

#[derive(Debug, Default)]
pub struct Paced {
    pub pulls: Vec<Duration>,
    pub pushes: Vec<Duration>,
    pub errors: u64,
}

/// Every PC catches up with its clinic's log (connections open, sign-ins
/// known, cursors where an online PC's would be).
pub async fn warm_up(followers: &[Follower]) -> anyhow::Result<()> {
    let mut tasks = Vec::new();
    for follower in followers {
        let follower = follower.clone();
        tasks.push(tokio::spawn(async move { follower.catch_up().await }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// The `followers` pull at `rate` per second in all for `seconds`, each
/// from its cursor; `pushers` (PCs of some of the same clinics) push one
/// change a second each, from a task and connection of their own (load
/// beside the pulls: a push must not hold up a pull in the generator, or
/// the pull's latency would count the push's). With `signed_in` false the
/// pulls carry no token: the same pace against the HTTP floor (401 before
/// any database work), the latency this machine and stack add by
/// themselves.
pub async fn paced(
    base: &str,
    followers: &[Follower],
    pushers: &[Pc],
    rate: f64,
    seconds: f64,
    patients: u32,
    signed_in: bool,
) -> Paced {
    let interval = Duration::from_secs_f64(followers.len() as f64 / rate);
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let end = start + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for (i, follower) in followers.iter().enumerate() {
        let follower = follower.clone();
        // Clients are spread evenly over the interval.
        let mut due = start + interval.mul_f64(i as f64 / followers.len() as f64);
        tasks.push(tokio::spawn(async move {
            let mut out = Paced::default();
            while due < end {
                tokio::time::sleep_until(due).await;
                match follower.pull(signed_in).await {
                    Pulled::Answered { .. } => out.pulls.push(due.elapsed()),
                    Pulled::Failed => out.errors += 1,
                }
                due += interval;
            }
            out
        }));
    }
    for (i, pc) in pushers.iter().enumerate() {
        let (base, pc) = (base.to_owned(), pc.clone());
        let Ok(http) = connections(1).map(|mut c| c.remove(0)) else {
            continue;
        };
        let mut due = start + Duration::from_millis(50 * i as u64 % 1000);
        tasks.push(tokio::spawn(async move {
            let mut out = Paced::default();
            let mut device = Device::new(pc.device, &pc.token);
            while due < end {
                tokio::time::sleep_until(due).await;
                let sent = Instant::now();
                if push_one(&http, &base, &mut device, pc.clinic, patients).await {
                    out.pushes.push(sent.elapsed());
                } else {
                    out.errors += 1;
                }
                due += Duration::from_secs(1);
            }
            out
        }));
    }
    let mut all = Paced::default();
    for task in tasks {
        if let Ok(mut part) = task.await {
            all.pulls.append(&mut part.pulls);
            all.pushes.append(&mut part.pushes);
            all.errors += part.errors;
        }
    }
    all
}

/// How many times the clinics' positions (`tenant_sync_state`) have been
/// read or written, all sessions: every pull that reaches the database
/// reads it once, a push about twice. PostgreSQL reports a session's
/// counts within about a second.
pub async fn position_reads(owner_url: &str) -> anyhow::Result<i64> {
    let pool = sqlx::PgPool::connect(owner_url).await?;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let reads: i64 = sqlx::query_scalar(
        "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables \
          WHERE relname = 'tenant_sync_state'",
    )
    .fetch_one(&pool)
    .await?;
    pool.close().await;
    Ok(reads)
}

/// Pull latencies at a few percentiles, for the log.
pub fn spread(pulls: &mut [Duration]) -> String {
    [50.0, 90.0, 95.0, 99.0, 99.9]
        .map(|p| format!("p{p}={:.1}", percentile(pulls, p)))
        .join(" ")
}

/// One batch of one change (a patient's notes) from `device`.
pub async fn push_one(
    http: &reqwest::Client,
    base: &str,
    device: &mut Device,
    clinic: u32,
    patients: u32,
) -> bool {
    let patient = patient_id(clinic, 1 + (device.next_batch as u32 % patients));
    let op = device.op(
        "patients",
        patient,
        OpKind::Update,
        json!({"notes": format!("load note {}", device.next_batch)}),
    );
    let body = json!({"protocol": PROTOCOL_VERSION, "device_id": device.id, "batch_seq": device.next_batch,
                      "ops": [op]});
    device.next_batch += 1;
    let reply = http
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(&device.token)
        .json(&body)
        .send()
        .await;
    match reply {
        Ok(reply) if reply.status().is_success() => reply
            .json::<serde_json::Value>()
            .await
            .is_ok_and(|v| v["results"][0]["status"] == "applied"),
        _ => false,
    }
}

/// Closed loops on the floor and on the pull route.
#[derive(Debug, Default)]
pub struct Saturation {
    pub floor_rps: f64,
    pub saturation_rps: f64,
    pub floor_errors: u64,
    pub saturation_errors: u64,
}

/// The floor and the pull route's saturation measured in alternation:
/// `rounds` windows of `seconds` per side, the side going first taking
/// turns, each side's rate over its own windows. A stretch of CPU steal
/// (this kind of VM shows 16-25 % at busy moments) then lands on both
/// sides alike instead of on one long window of one side. `around_window`
/// is called with (signed in, true) before each window and with (signed
/// in, false) after it, to sample CPU use per side.
pub async fn floor_and_saturation(
    followers: &[Follower],
    rounds: usize,
    seconds: f64,
    mut around_window: impl FnMut(bool, bool),
) -> Saturation {
    let mut out = Saturation::default();
    for round in 0..rounds {
        for signed_in in [round % 2 == 1, round % 2 == 0] {
            around_window(signed_in, true);
            let (rps, errors) = closed_loop(followers, seconds, signed_in).await;
            around_window(signed_in, false);
            if signed_in {
                out.saturation_rps += rps / rounds as f64;
                out.saturation_errors += errors;
            } else {
                out.floor_rps += rps / rounds as f64;
                out.floor_errors += errors;
            }
        }
    }
    out
}

/// Requests per second when every PC pulls again as soon as it has its
/// answer, for `seconds`; with `signed_in` false the same route is asked
/// without a token (401 before any database work: the HTTP floor).
pub async fn closed_loop(followers: &[Follower], seconds: f64, signed_in: bool) -> (f64, u64) {
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let end = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for follower in followers {
        let follower = follower.clone();
        let (done, errors) = (done.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                let counter = match follower.pull(signed_in).await {
                    Pulled::Answered { .. } => &done,
                    Pulled::Failed => &errors,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let rps = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64().max(seconds);
    (rps, errors.load(Ordering::Relaxed))
}
