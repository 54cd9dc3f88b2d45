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

fn pull_url(base: &str) -> String {
    format!("{base}/api/v1/sync/pull?since=0&limit=100")
}

#[derive(Debug, Default)]
pub struct Paced {
    pub pulls: Vec<Duration>,
    pub pushes: Vec<Duration>,
    pub errors: u64,
}

/// Every client pulls once (connections open, sign-ins known).
pub async fn warm_up(base: &str, clients: &[reqwest::Client], pcs: &[Pc]) -> anyhow::Result<()> {
    let mut tasks = Vec::new();
    for (http, pc) in clients.iter().zip(pcs) {
        let (http, url, token) = (http.clone(), pull_url(base), pc.token.clone());
        tasks.push(tokio::spawn(async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await?
                .error_for_status()?;
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// `clients` pull at `rate` per second in all for `seconds`; the first
/// `pushers` of them also push one change a second.
pub async fn paced(
    base: &str,
    clients: &[reqwest::Client],
    pcs: &[Pc],
    rate: f64,
    seconds: f64,
    pushers: usize,
    patients: u32,
) -> Paced {
    let interval = Duration::from_secs_f64(clients.len() as f64 / rate);
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let end = start + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for (i, (http, pc)) in clients.iter().zip(pcs).enumerate() {
        let (http, url, pc) = (http.clone(), pull_url(base), pc.clone());
        // Clients are spread evenly over the interval.
        let mut due = start + interval.mul_f64(i as f64 / clients.len() as f64);
        let push = (i < pushers).then(|| Device::new(pc.device, &pc.token));
        let base = base.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut out = Paced::default();
            let mut device = push;
            let mut next_push = start + Duration::from_millis(50 * i as u64 % 1000);
            while due < end {
                tokio::time::sleep_until(due).await;
                match http.get(&url).bearer_auth(&pc.token).send().await {
                    Ok(reply) if reply.status().is_success() => {
                        let _ = reply.bytes().await;
                        out.pulls.push(due.elapsed());
                    }
                    _ => out.errors += 1,
                }
                due += interval;
                if let Some(device) = device.as_mut()
                    && tokio::time::Instant::now() >= next_push
                {
                    let sent = Instant::now();
                    if push_one(&http, &base, device, pc.clinic, patients).await {
                        out.pushes.push(sent.elapsed());
                    } else {
                        out.errors += 1;
                    }
                    next_push += Duration::from_secs(1);
                }
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

/// Requests per second when every client asks again as soon as it has
/// its answer, for `seconds`; with `signed_in` false the same route is
/// asked without a token (401 before any database work: the HTTP floor).
pub async fn closed_loop(
    base: &str,
    clients: &[reqwest::Client],
    pcs: &[Pc],
    seconds: f64,
    signed_in: bool,
) -> (f64, u64) {
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let end = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for (http, pc) in clients.iter().zip(pcs) {
        let (http, url, token) = (http.clone(), pull_url(base), pc.token.clone());
        let (done, errors) = (done.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                let request = http.get(&url);
                let request = if signed_in {
                    request.bearer_auth(&token)
                } else {
                    request
                };
                let expected = if signed_in { 200 } else { 401 };
                match request.send().await {
                    Ok(reply) if reply.status().as_u16() == expected => {
                        let _ = reply.bytes().await;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let rps = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64().max(seconds);
    (rps, errors.load(Ordering::Relaxed))
}
