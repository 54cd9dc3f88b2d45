//! Live event streams at clinic scale: one open stream per PC of every
//! clinic, then changes pushed one at a time, each timed until every PC
//! of its clinic has heard of it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use clinic_tests::pc::Device;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::drive::push_one;
use super::fleet::Pc;

pub struct Propagation {
    /// Streams open when the changes were pushed.
    pub open: usize,
    /// Per PC and change: push sent → event received.
    pub delays: Vec<Duration>,
    /// PCs that had not heard of a change within 5 s.
    pub missed: usize,
}

/// Opens a stream for every PC of `pcs`, then pushes `rounds` changes
/// from the PC `pusher` of clinics taken in turn.
pub async fn propagation(
    base: &str,
    pcs: &[Pc],
    rounds: usize,
    patients: u32,
) -> anyhow::Result<Propagation> {
    let http = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let (heard, mut hearing) = mpsc::unbounded_channel::<(u32, Instant)>();
    let (opened, mut opening) = mpsc::unbounded_channel::<bool>();
    let mut per_clinic: HashMap<u32, usize> = HashMap::new();
    for pc in pcs {
        *per_clinic.entry(pc.clinic).or_default() += 1;
        let (http, heard, opened) = (http.clone(), heard.clone(), opened.clone());
        let (url, token, clinic) = (format!("{base}/api/v1/sync/events"), pc.token.clone(), pc.clinic);
        tokio::spawn(async move {
            let reply = match http.get(url).bearer_auth(token).send().await {
                Ok(reply) if reply.status().is_success() => reply,
                _ => {
                    let _ = opened.send(false);
                    return;
                }
            };
            let _ = opened.send(true);
            let mut body = reply.bytes_stream();
            while let Some(Ok(chunk)) = body.next().await {
                if chunk.windows(6).any(|w| w == b"moved\n") {
                    let _ = heard.send((clinic, Instant::now()));
                }
            }
        });
    }
    let mut open = 0;
    for _ in pcs {
        if opening.recv().await == Some(true) {
            open += 1;
        }
    }
    let pushing = reqwest::Client::new();
    let mut out = Propagation {
        open,
        delays: Vec::new(),
        missed: 0,
    };
    let clinics: Vec<u32> = {
        let mut c: Vec<u32> = per_clinic.keys().copied().collect();
        c.sort_unstable();
        c
    };
    for round in 0..rounds {
        let clinic = clinics[(round * 7) % clinics.len()];
        let Some(pc) = pcs.iter().rev().find(|p| p.clinic == clinic) else {
            continue;
        };
        let mut device = Device::new(pc.device, &pc.token);
        device.next_batch = 1 + (round / clinics.len()) as i64;
        while hearing.try_recv().is_ok() {}
        let sent = Instant::now();
        anyhow::ensure!(
            push_one(&pushing, base, &mut device, clinic, patients).await,
            "a push was refused"
        );
        let expected = per_clinic[&clinic];
        let mut got = 0;
        let deadline = sent + Duration::from_secs(5);
        while got < expected {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, hearing.recv()).await {
                Ok(Some((from, at))) if from == clinic => {
                    out.delays.push(at - sent);
                    got += 1;
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        out.missed += expected - got;
    }
    Ok(out)
}
