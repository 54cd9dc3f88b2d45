//! Three server processes behind haproxy, over pgbouncer in transaction
//! mode: PCs sync through whichever server the proxy picks, a server that
//! dies mid-sync loses nobody's work, and a change pushed through one
//! server reaches a PC streaming from another.

use std::time::{Duration, Instant};

use clinic_tests::TestApp;
use clinic_tests::pcs::{Pc, new_patient, pc_patients, server_patients};
use clinic_tests::scale_out::ScaledOut;
use futures_util::StreamExt;

/// More offline edits than one push batch holds, so that a sync of them is
/// several requests long and a server can die between two of them.
const OFFLINE_EDITS: usize = 6_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pcs_converge_through_the_other_servers_when_one_dies_mid_sync() {
    let app = TestApp::spawn().await;
    let mut net = ScaledOut::start(&app, 3).await;
    let clinic = app.register_clinic_as("Scaled Out Clinic", true).await;
    // A paying clinic: the trial's 1,000 patients would refuse the rest.
    sqlx::query("UPDATE tenants SET plan = 'premium', max_patients = 100000 WHERE id = $1")
        .bind(clinic.tenant_id)
        .execute(&app.owner_pool)
        .await
        .expect("upgrade the plan");
    let writer = app.pc_at(&clinic, &net.proxy).await;
    let reader = app.pc_at(&clinic, &net.proxy).await;
    writer.sync().await;
    reader.sync().await;
    for i in 0..OFFLINE_EDITS {
        writer.insert(
            "patients",
            new_patient(&format!("Offline {i}"), &format!("+9198{i:08}")),
        );
    }

    let engine = writer.engine.clone();
    let pushing = tokio::spawn(async move { engine.sync_once().await });
    let started = Instant::now();
    while writer.pending() == OFFLINE_EDITS as i64 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no batch was acknowledged\n{}",
            net.logs()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let pending_at_kill = writer.pending();
    net.servers[1].kill();
    assert!(
        pending_at_kill > 0,
        "the server was killed after the sync had finished, not during it"
    );
    // The sync that was under way may fail (its request died with the
    // server); the PC's next rounds go through the other two.
    let interrupted = pushing.await.expect("sync task");
    eprintln!("sync cut by the kill at {pending_at_kill} pending: {interrupted:?}");

    until_synced(&writer, &net).await;
    until_synced(&reader, &net).await;
    let on_server = server_patients(&app).await;
    assert_eq!(on_server.len(), OFFLINE_EDITS, "every edit arrived once");
    assert_eq!(pc_patients(&writer), on_server);
    assert_eq!(pc_patients(&reader), on_server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_pushed_through_one_server_reaches_a_pc_streaming_from_another_within_a_second() {
    let app = TestApp::spawn().await;
    let net = ScaledOut::start(&app, 3).await;
    let clinic = app.register_clinic_as("Live Clinic", true).await;
    let listening = app.pc_at(&clinic, &net.servers[0].base).await;
    let pushing = app.pc_at(&clinic, &net.servers[2].base).await;
    listening.sync().await;
    pushing.sync().await;
    let events = listening
        .engine
        .server()
        .events()
        .await
        .expect("live stream on server 1");
    let mut events = std::pin::pin!(events);

    let id = pushing.insert("patients", new_patient("Pushed via three", "+919876500001"));
    pushing.sync().await;
    let pushed = Instant::now();
    let heard = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .unwrap_or_else(|_| panic!("server 1 never told its PC\n{}", net.logs()));
    assert!(matches!(heard, Some(Ok(_))), "{heard:?}");
    listening.sync().await;
    let converged = pushed.elapsed();
    eprintln!("pushed via server 3, heard and pulled via server 1 after {converged:?}");
    assert!(
        listening
            .rows("patients")
            .iter()
            .any(|r| r["id"] == id.to_string()),
        "the PC on server 1 pulled the change"
    );
    assert!(
        converged <= Duration::from_secs(1),
        "took {converged:?} to reach the other server's PC"
    );
}

/// Syncs until nothing is pending and a round succeeds (60 s at most).
async fn until_synced(pc: &Pc, net: &ScaledOut) {
    let started = Instant::now();
    loop {
        match pc.engine.sync_once().await {
            Ok(_) if pc.pending() == 0 => return,
            Ok(_) => {}
            Err(err) => eprintln!("sync round failed, retrying: {err}"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the PC did not converge\n{}",
            net.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
