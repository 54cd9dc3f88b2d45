//! Registration, sign-in, refresh rotation, lockout, password change and
//! token verification.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clinic_server::auth::JwtKeys;
use clinic_server::auth::jwt::Grant;
use clinic_tests::{OWNER_PASSWORD, TestApp, uuid};
use domain::ids::{DeviceId, TenantId, UserId};
use domain::user::Role;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn registration_creates_a_trial_clinic_and_signs_the_owner_in() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Smile Dental Care", true).await;
    let t = &clinic.body["tenant"];
    assert_eq!(t["plan"], "trial");
    assert_eq!(t["status"], "active");
    assert!(clinic.code.starts_with("SMILEDEN_"), "{}", clinic.code);
    // Nine symbols of 29 in three groups: more than 40 random bits.
    let groups: Vec<&str> = clinic.code["SMILEDEN_".len()..].split('_').collect();
    assert_eq!(groups.len(), 3, "{}", clinic.code);
    assert!(
        groups
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| "23456789ABCDEFGHJKMNPQRSTWXYZ".contains(c))),
        "{}",
        clinic.code
    );
    assert_eq!(t["limits"]["max_doctors"], 5);
    assert_eq!(clinic.body["user"]["role"], "admin");
    assert!(
        clinic.body["user"]["doctor_id"].is_string(),
        "owner_is_doctor makes a doctor row"
    );

    let overview = app.get("/tenant", Some(&clinic.access_token)).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert_eq!(overview.body["days_until_expiry"], 30);
    assert_eq!(overview.body["usage"]["doctors"], 1);
    assert_eq!(overview.body["can_create_records"], true);

    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(clinic.owner_id)
        .fetch_one(&app.owner_pool)
        .await
        .expect("owner row");
    assert!(hash.starts_with("$argon2id$"), "passwords are argon2id");
}

#[tokio::test]
async fn login_is_per_clinic_and_wrong_passwords_say_invalid_credentials() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic("Alpha Clinic").await;
    let b = app.register_clinic("Beta Clinic").await;
    let device = Uuid::now_v7();

    let ok = app
        .login(&a.code.to_lowercase(), &a.owner_email, OWNER_PASSWORD, device)
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert_eq!(ok.body["must_change_password"], false);
    assert_eq!(uuid(&ok.body["tenant"]["id"]), a.tenant_id);

    // Right e-mail and password, wrong clinic: the user does not exist there.
    let wrong_clinic = app.login(&b.code, &a.owner_email, OWNER_PASSWORD, device).await;
    assert_eq!(
        (wrong_clinic.status, wrong_clinic.code()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    let wrong_pw = app.login(&a.code, &a.owner_email, "Wrong-Horse-42", device).await;
    assert_eq!(
        (wrong_pw.status, wrong_pw.code()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    let no_clinic = app
        .login("NOPE_0000", &a.owner_email, OWNER_PASSWORD, device)
        .await;
    assert_eq!(no_clinic.code(), "invalid_credentials");
}

#[tokio::test]
async fn five_failures_lock_the_account_even_against_the_right_password() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Lockout Clinic").await;
    let device = Uuid::now_v7();
    for attempt in 1..=4 {
        let r = app
            .login(&clinic.code, &clinic.owner_email, "Wrong-Horse-42", device)
            .await;
        assert_eq!(r.code(), "invalid_credentials", "attempt {attempt}");
    }
    let fifth = app
        .login(&clinic.code, &clinic.owner_email, "Wrong-Horse-42", device)
        .await;
    assert_eq!(
        (fifth.status, fifth.code()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        "a locked account answers like any wrong sign-in"
    );
    let right = app
        .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, device)
        .await;
    assert_eq!(
        right.code(),
        "invalid_credentials",
        "a correct password does not unlock early"
    );
    let locked_until: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT locked_until FROM users WHERE id = $1")
            .bind(clinic.owner_id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("lock");
    assert!(
        locked_until.is_some_and(|t| t > chrono::Utc::now()),
        "the account is locked"
    );
    app.smtp
        .wait_for_containing(&clinic.owner_email, "Five wrong passwords")
        .await
        .expect("the owner is told by e-mail that the account is locked");

    // Fifteen minutes later (moved back in time by the owner) it works again.
    sqlx::query("UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1")
        .bind(clinic.owner_id)
        .execute(&app.owner_pool)
        .await
        .expect("expire lock");
    sqlx::query("UPDATE login_attempts SET attempted_at = attempted_at - interval '16 minutes'")
        .execute(&app.owner_pool)
        .await
        .expect("age attempts");
    let later = app
        .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, device)
        .await;
    assert_eq!(later.status, StatusCode::OK, "{:?}", later.body);
    let attempts = app.owner_count("SELECT count(*) FROM login_attempts").await;
    assert_eq!(attempts, 7, "every attempt is recorded");
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Rotation Clinic").await;
    let first = app
        .post(
            "/auth/refresh",
            &json!({"refresh_token": clinic.refresh_token}),
            None,
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let second_token = first.body["refresh_token"]
        .as_str()
        .expect("new refresh")
        .to_owned();
    assert_ne!(second_token, clinic.refresh_token);
    let access = first.body["access_token"].as_str().expect("access");
    assert_eq!(app.get("/tenant", Some(access)).await.status, StatusCode::OK);

    // The old token again: theft suspected, the whole sign-in ends.
    let reuse = app
        .post(
            "/auth/refresh",
            &json!({"refresh_token": clinic.refresh_token}),
            None,
        )
        .await;
    assert_eq!(
        (reuse.status, reuse.code()),
        (StatusCode::UNAUTHORIZED, "refresh_token_reused")
    );
    let after = app
        .post("/auth/refresh", &json!({"refresh_token": second_token}), None)
        .await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "the newer token of the family is revoked too"
    );

    let garbage = app
        .post("/auth/refresh", &json!({"refresh_token": "rt1.x.y.z"}), None)
        .await;
    assert_eq!(garbage.code(), "unauthorized");
}

#[tokio::test]
async fn logout_ends_the_sign_in() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Logout Clinic").await;
    crate::sessions::sign_out(&app, &clinic.refresh_token).await;
    let refresh = app
        .post(
            "/auth/refresh",
            &json!({"refresh_token": clinic.refresh_token}),
            None,
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn temporary_password_must_be_changed_before_anything_else() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Password Clinic").await;
    let added = app.add_doctor(&clinic, "vikram@example.org", "KA-1001").await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let temp = added.body["temporary_password"]
        .as_str()
        .expect("temp password")
        .to_owned();
    let device = Uuid::now_v7();

    let login = app.login(&clinic.code, "vikram@example.org", &temp, device).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.body["must_change_password"], true);
    let token = login.body["access_token"].as_str().expect("access").to_owned();
    let blocked = app.get("/doctors", Some(&token)).await;
    assert_eq!(
        (blocked.status, blocked.code()),
        (StatusCode::FORBIDDEN, "password_change_required")
    );

    let wrong_current = app
        .post(
            "/auth/password",
            &json!({"current_password": "nope", "new_password": "Fresh-Start-2026"}),
            Some(&token),
        )
        .await;
    assert_eq!(wrong_current.code(), "invalid_credentials");
    let weak = app
        .post(
            "/auth/password",
            &json!({"current_password": temp, "new_password": "short"}),
            Some(&token),
        )
        .await;
    assert_eq!(
        (weak.status, weak.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let changed = app
        .post(
            "/auth/password",
            &json!({"current_password": temp, "new_password": "Fresh-Start-2026"}),
            Some(&token),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    let fresh = changed.body["access_token"].as_str().expect("fresh access");
    assert_eq!(app.get("/doctors", Some(fresh)).await.status, StatusCode::OK);

    let old = app.login(&clinic.code, "vikram@example.org", &temp, device).await;
    assert_eq!(old.code(), "invalid_credentials");
    let new = app
        .login(&clinic.code, "vikram@example.org", "Fresh-Start-2026", device)
        .await;
    assert_eq!(new.body["must_change_password"], false);
}

fn forge(payload: &str, header: &str, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

#[tokio::test]
async fn tampered_expired_and_unsigned_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Token Clinic").await;
    let other = app.register_clinic("Other Clinic").await;

    // Change the tenant inside a valid token: the signature no longer fits.
    let parts: Vec<&str> = clinic.access_token.split('.').collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("utf8");
    let swapped = payload.replace(&clinic.tenant_id.to_string(), &other.tenant_id.to_string());
    let tampered = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(&swapped), parts[2]);
    let r = app.get("/tenant", Some(&tampered)).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNAUTHORIZED, "unauthorized"));

    let unsigned = forge(&swapped, r#"{"alg":"none","typ":"JWT"}"#, "");
    assert_eq!(app.get("/tenant", Some(&unsigned)).await.code(), "unauthorized");

    let owner_grant = Grant {
        tenant: TenantId::from_uuid(clinic.tenant_id),
        user: UserId::from_uuid(clinic.owner_id),
        role: Role::Admin,
        device: DeviceId::from_uuid(clinic.device_id),
        session: Uuid::now_v7(),
        must_change_password: false,
    };
    let expired_keys = JwtKeys::new(&app.jwt_secret, -120).expect("keys");
    let expired = expired_keys.issue(&owner_grant).expect("issue");
    let r = app.get("/tenant", Some(&expired)).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNAUTHORIZED, "token_expired"));

    let foreign_keys = JwtKeys::new(&[7u8; 32], 600).expect("keys");
    let foreign = foreign_keys.issue(&owner_grant).expect("issue");
    assert_eq!(app.get("/tenant", Some(&foreign)).await.code(), "unauthorized");
    assert_eq!(app.get("/tenant", None).await.code(), "unauthorized");
}
