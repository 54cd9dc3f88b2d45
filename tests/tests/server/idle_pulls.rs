//! Idle pulls answered from the server's memory: they touch no database,
//! and never hide a change, a suspension or a restore for longer than it
//! takes the clinic's NOTIFY to reach the server process.

use std::time::{Duration, Instant};

use clinic_server::operator::{AdminAction, execute};
use clinic_tests::pc::{Device, clinic_with_patient, patient};
use clinic_tests::{Clinic, OWNER_PASSWORD, Reply, TestApp};
use domain::sync::OpKind;
use reqwest::StatusCode;
use uuid::Uuid;

/// A second PC of the clinic, signed in as its owner.
async fn second_pc(app: &TestApp, clinic: &Clinic) -> Device {
    let device = Uuid::now_v7();
    let reply = app
        .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, device)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    Device::new(device, reply.body["access_token"].as_str().expect("token"))
}

/// Pulls from `since` until `seen` holds or a second has gone by.
async fn pull_until(pc: &Device, node: &TestApp, since: i64, seen: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let reply = pc.pull(node, since).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        if seen(&reply) || Instant::now() > deadline {
            return reply;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn cursor(reply: &Reply) -> i64 {
    reply.body["cursor"].as_i64().expect("cursor")
}

fn changes(reply: &Reply) -> usize {
    reply.body["changes"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn an_idle_pull_is_answered_without_the_database_and_a_new_report_goes_to_it() {
    let app = TestApp::spawn().await;
    let (clinic, _, _) = clinic_with_patient(&app, "Idle Clinic", "+919812345670").await;
    let pc = second_pc(&app, &clinic).await;
    let head = cursor(&pc.pull(&app, 0).await);
    let idle = pc.pull(&app, head).await;
    assert_eq!((changes(&idle), cursor(&idle)), (0, head));

    // Every database pull reads the clinic's position; hold it locked.
    let mut lock = app.owner_pool.begin().await.expect("begin");
    sqlx::query("LOCK TABLE tenant_sync_state IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .expect("lock");
    let started = Instant::now();
    let remembered = tokio::time::timeout(Duration::from_secs(3), pc.pull(&app, head))
        .await
        .expect("an idle pull is answered from memory, not held up by the lock");
    assert_eq!(remembered.body, idle.body, "the same answer");
    assert!(started.elapsed() < Duration::from_secs(1));

    // A PC reporting new pending changes is noted in the database.
    let token = pc.token.clone();
    let base = app.base.clone();
    let reporting = tokio::spawn(async move {
        reqwest::Client::new()
            .get(format!("{base}/api/v1/sync/pull?since={head}&pending=4"))
            .bearer_auth(token)
            .send()
            .await
            .map(|r| r.status())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!reporting.is_finished(), "a new report waits for the database");
    lock.rollback().await.expect("unlock");
    assert_eq!(reporting.await.expect("task").expect("reply"), StatusCode::OK);
    let pending: i32 = sqlx::query_scalar("SELECT pending_changes FROM devices WHERE id = $1")
        .bind(pc.id)
        .fetch_one(&app.owner_pool)
        .await
        .expect("device row");
    assert_eq!(pending, 4);
}

#[tokio::test]
async fn a_change_pushed_through_any_server_process_reaches_an_idle_pc_at_once() {
    let app = TestApp::spawn().await;
    let other_node = app.another_node().await;
    let (clinic, mut writer, _) = clinic_with_patient(&app, "Two Nodes Clinic", "+919812345671").await;
    let reader = second_pc(&app, &clinic).await;
    let head = cursor(&reader.pull(&app, 0).await);
    assert_eq!(changes(&reader.pull(&app, head).await), 0, "idle, remembered");

    // Through this process: its own write makes the memory stale before
    // the push is answered, so the very next pull sees it.
    let op = writer.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Ira", "+919812345672"),
    );
    assert_eq!(writer.push(&app, &[op]).await.op_results(), ["applied"]);
    let next = reader.pull(&app, head).await;
    assert_eq!(changes(&next), 1, "{:?}", next.body);
    let head = cursor(&next);
    assert_eq!(changes(&reader.pull(&app, head).await), 0);

    // Through another process: heard by NOTIFY.
    let op = writer.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Anu", "+919812345673"),
    );
    let pushed = writer.push(&other_node, &[op]).await;
    assert_eq!(pushed.op_results(), ["applied"]);
    let started = Instant::now();
    let seen = pull_until(&reader, &app, head, |r| changes(r) == 1).await;
    assert_eq!(changes(&seen), 1, "the change reached the other process's memory");
    assert_eq!(seen.body["cursor"], pushed.body["cursor"]);
    eprintln!(
        "idle-pulls: seen through the other process after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_idle_pc_learns_of_a_suspension_and_of_a_restore_without_waiting() {
    let app = TestApp::spawn().await;
    let (clinic, _, _) = clinic_with_patient(&app, "Standing Clinic", "+919812345674").await;
    let pc = second_pc(&app, &clinic).await;
    let first = pc.pull(&app, 0).await;
    let head = cursor(&first);
    assert_eq!(pc.pull(&app, head).await.body["standing"]["status"], "active");

    let suspend = AdminAction::Suspend {
        clinic: clinic.code.clone(),
        reason: "Invoice unpaid".into(),
    };
    execute(&app.owner_pool, "ops", &suspend).await.expect("suspend");
    let seen = pull_until(&pc, &app, head, |r| r.body["standing"]["status"] == "suspended").await;
    assert_eq!(seen.body["standing"]["status"], "suspended");
    let reactivate = AdminAction::Reactivate {
        clinic: clinic.code.clone(),
    };
    execute(&app.owner_pool, "ops", &reactivate)
        .await
        .expect("reactivate");
    let seen = pull_until(&pc, &app, head, |r| r.body["standing"]["status"] == "active").await;
    assert_eq!(seen.body["standing"]["status"], "active");

    // A restore gives the clinic a new epoch: a PC on the old one must
    // take a snapshot, even though its cursor did not move.
    let epoch = first.body["epoch"].as_str().expect("epoch").to_owned();
    let ask = format!("/sync/pull?since={head}&epoch={epoch}");
    assert_eq!(
        app.get(&ask, Some(&pc.token)).await.body["snapshot_required"],
        false
    );
    assert_eq!(
        app.get(&ask, Some(&pc.token)).await.body["snapshot_required"],
        false
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let key = clinic_tests::backups::age_key(dir.path(), "idle");
    let file = app.take_backup(&clinic.code, &key, dir.path()).await;
    app.restore_replacing(&file, &key).await.expect("restores");
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut reply = app.get(&ask, Some(&pc.token)).await;
    while reply.body["snapshot_required"] != true && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
        reply = app.get(&ask, Some(&pc.token)).await;
    }
    assert_eq!(reply.body["snapshot_required"], true, "{:?}", reply.body);
}
