//! Rate limits on sign-in and registration, and refusals that do not tell
//! a locked account from an unknown one.

use std::net::IpAddr;
use std::time::Duration;

use clinic_server::throttle::{Allowance, RateLimits};
use clinic_tests::{OWNER_PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

fn allowance(burst: u32) -> Allowance {
    Allowance {
        burst,
        per: Duration::from_secs(3600),
    }
}

/// A server with these bursts per hour (sign-ins per address, per clinic,
/// registrations per address). It trusts 127.0.0.1 as its proxy, so each
/// request can claim its own client address.
async fn spawn(per_address: u32, per_clinic: u32, registrations: u32) -> TestApp {
    let limits = RateLimits {
        sign_in_per_address: allowance(per_address),
        sign_in_per_clinic: allowance(per_clinic),
        registrations_per_address: allowance(registrations),
    };
    TestApp::spawn_with(move |c| {
        c.rate_limits = limits;
        c.trusted_proxy = Some(IpAddr::from([127, 0, 0, 1]));
    })
    .await
}

async fn post_from(
    app: &TestApp,
    from: &str,
    path: &str,
    body: &Value,
) -> (StatusCode, Option<String>, Value) {
    let resp = app
        .http
        .post(format!("{}/api/v1{path}", app.base))
        .header("x-forwarded-for", format!("192.0.2.200, {from}"))
        .json(body)
        .send()
        .await
        .expect("send");
    let status = resp.status();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, retry, resp.json().await.unwrap_or(Value::Null))
}

fn login_body(code: &str, email: &str) -> Value {
    json!({"clinic_code": code, "email": email, "password": "Wrong-Horse-42", "device_id": Uuid::now_v7()})
}

#[tokio::test]
async fn sign_ins_past_the_address_limit_wait_for_retry_after() {
    let app = spawn(3, 1000, 1000).await;
    let clinic = app.register_clinic("Limited Clinic").await;
    let body = login_body(&clinic.code, &clinic.owner_email);
    for attempt in 1..=3 {
        let (status, ..) = post_from(&app, "198.51.100.7", "/auth/login", &body).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt} is only a wrong password"
        );
    }
    let (status, retry, reply) = post_from(&app, "198.51.100.7", "/auth/login", &body).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{reply}");
    assert_eq!(reply["error"], "rate_limited");
    let seconds: u64 = retry.expect("Retry-After").parse().expect("seconds");
    assert!((1..=1300).contains(&seconds), "{seconds}");
    let (other, ..) = post_from(&app, "198.51.100.8", "/auth/login", &body).await;
    assert_eq!(other, StatusCode::UNAUTHORIZED, "another address is not held up");
}

#[tokio::test]
async fn a_crowd_against_one_clinic_is_limited_and_other_clinics_are_not() {
    let app = spawn(1000, 4, 1000).await;
    let target = app.register_clinic("Targeted Clinic").await;
    let bystander = app.register_clinic("Bystander Clinic").await;
    for n in 0..4 {
        let (status, ..) = post_from(
            &app,
            &format!("203.0.113.{n}"),
            "/auth/login",
            &login_body(&target.code, &target.owner_email),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, retry, _) = post_from(
        &app,
        "203.0.113.99",
        "/auth/login",
        &login_body(&target.code.to_lowercase(), &target.owner_email),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the code's case does not make a new key"
    );
    assert!(retry.is_some());
    let mut right = login_body(&bystander.code, &bystander.owner_email);
    right["password"] = json!(OWNER_PASSWORD);
    let (status, _, reply) = post_from(&app, "203.0.113.99", "/auth/login", &right).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}

#[tokio::test]
async fn registrations_from_one_address_are_limited() {
    let app = spawn(1000, 1000, 2).await;
    let register = |n: u32| {
        json!({
            "clinic_name": format!("Trial Farm {n}"),
            "owner_name": "Mallory",
            "email": format!("farm{n}.{}@example.org", Uuid::new_v4().simple()),
            "password": OWNER_PASSWORD,
        })
    };
    for n in 0..2 {
        let (status, _, reply) = post_from(&app, "198.51.100.50", "/clinics", &register(n)).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
    }
    let (status, retry, reply) = post_from(&app, "198.51.100.50", "/clinics", &register(3)).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"))
    );
    assert!(retry.is_some());
}

#[tokio::test]
async fn a_locked_account_answers_exactly_like_an_unknown_e_mail() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Enumeration Clinic").await;
    let device = Uuid::now_v7();
    for _ in 0..5 {
        app.login(&clinic.code, &clinic.owner_email, "Wrong-Horse-42", device)
            .await;
    }
    let locked = app
        .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, device)
        .await;
    let unknown = app
        .login(&clinic.code, "nobody.here@example.org", OWNER_PASSWORD, device)
        .await;
    assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (locked.status, &locked.body),
        (unknown.status, &unknown.body),
        "locked and unknown must be indistinguishable"
    );
}
