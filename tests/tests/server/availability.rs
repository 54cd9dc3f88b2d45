//! One clinic cannot stall the others: unfinished bodies hold no pooled
//! connection, slow requests are cut off, and a connection never goes back
//! to the pool inside a transaction.

use std::time::{Duration, Instant};

use clinic_tests::TestApp;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Starts a push whose body never finishes: headers and a few bytes only.
async fn unfinished_push(app: &TestApp, token: &str) -> TcpStream {
    let addr = app.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/sync/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"protocol\":1,"
    );
    stream.write_all(head.as_bytes()).await.expect("send head");
    stream
}

fn p99(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[(times.len() * 99 / 100).min(times.len() - 1)]
}

#[tokio::test]
async fn sixteen_unfinished_bodies_from_one_clinic_leave_another_fast() {
    let app = TestApp::spawn_with(|c| c.request_timeout = Duration::from_secs(3)).await;
    let attacker = app.register_clinic("Stalling Clinic").await;
    let victim = app.register_clinic("Busy Clinic").await;

    let mut held = Vec::new();
    for _ in 0..16 {
        held.push(unfinished_push(&app, &attacker.access_token).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = Instant::now();
    let mut times = Vec::new();
    while times.len() < 200 && started.elapsed() < Duration::from_secs(2) {
        let sent = Instant::now();
        let reply = app.get("/sync/pull?since=0", Some(&victim.access_token)).await;
        times.push(sent.elapsed());
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    assert!(times.len() >= 20, "only {} answers in 2 s", times.len());
    let slowest = p99(times.clone());
    eprintln!(
        "{} pulls of one clinic while another held 16 unfinished pushes: p99 {slowest:?}",
        times.len()
    );
    assert!(
        slowest < Duration::from_millis(200),
        "p99 {slowest:?} over {} pulls while another clinic held 16 requests open",
        times.len()
    );

    // The unfinished requests are answered 408 once the deadline passes.
    let mut answer = String::new();
    let read = tokio::time::timeout(Duration::from_secs(10), held[0].read_to_string(&mut answer)).await;
    assert!(read.is_ok(), "the unfinished request was never answered");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}

/// Requests dropped by the client at random points (while a transaction
/// begins, mid-query, mid-commit) leave no connection inside a transaction.
#[tokio::test]
async fn cancelled_requests_leave_every_pooled_connection_idle() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Cancelled Clinic").await;
    let url = format!("{}/api/v1", app.base);
    for i in 0..150u64 {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_micros(300 + (i * 97) % 4000))
            .build()
            .expect("client");
        let request = match i % 3 {
            0 => client.get(format!("{url}/sync/pull?since=0")),
            1 => client.get(format!("{url}/doctors")),
            _ => client.get(format!("{url}/tenant")),
        };
        let _ = request.bearer_auth(&clinic.access_token).send().await;
    }
    // Whatever survived settles; then nothing may be idle inside a transaction.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stuck: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity \
          WHERE datname = current_database() AND pid <> pg_backend_pid() \
            AND state LIKE 'idle in transaction%'",
    )
    .fetch_one(&app.owner_pool)
    .await
    .expect("activity");
    assert_eq!(stuck, 0, "connections left inside a transaction");
    let after = app.get("/sync/pull?since=0", Some(&clinic.access_token)).await;
    assert_eq!(after.status, StatusCode::OK, "the server still answers");
}

/// The check the pool runs on every returned connection.
#[tokio::test]
async fn a_connection_inside_a_transaction_is_not_taken_back() {
    let app = TestApp::spawn().await;
    let mut conn = app.app_pool.acquire().await.expect("connection");
    assert!(
        clinic_server::db::leaves_no_transaction(&mut conn)
            .await
            .expect("check"),
        "a clean connection is kept"
    );
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await.expect("begin");
    assert!(
        !clinic_server::db::leaves_no_transaction(&mut conn)
            .await
            .expect("check"),
        "one left in a transaction is closed"
    );
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *conn)
        .await
        .expect("rollback");
}
