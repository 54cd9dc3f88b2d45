//! Colleagues of a clinic's owner, signed in from their own PCs.

use serde_json::json;
use uuid::Uuid;

use crate::pc::Device;
use crate::{Clinic, TestApp, uuid};

/// The password a helper-added doctor chooses at first sign-in.
pub const DOCTOR_PASSWORD: &str = "Doctor-Pass-2026";

/// A doctor who has chosen a password, signed in from their own PC.
#[derive(Debug, Clone)]
pub struct Staff {
    pub email: String,
    pub user_id: Uuid,
    pub doctor_id: Uuid,
    pub device_id: Uuid,
    pub access_token: String,
    pub refresh_token: String,
}

impl Staff {
    /// The doctor's PC, for pushing as them.
    pub fn device(&self) -> Device {
        Device::new(self.device_id, &self.access_token)
    }
}

impl TestApp {
    /// Adds a doctor as `clinic`'s admin, signs in with the temporary
    /// password from a new PC and chooses [`DOCTOR_PASSWORD`].
    pub async fn doctor(&self, clinic: &Clinic, email: &str, licence: &str) -> Staff {
        let added = self.add_doctor(clinic, email, licence).await;
        assert_eq!(added.status, reqwest::StatusCode::CREATED, "{:?}", added.body);
        let temporary = added.body["temporary_password"]
            .as_str()
            .expect("temporary password");
        let device_id = Uuid::now_v7();
        let first = self.login(&clinic.code, email, temporary, device_id).await;
        let pending = first.body["access_token"].as_str().expect("token");
        let changed = self
            .post(
                "/auth/password",
                &json!({"current_password": temporary, "new_password": DOCTOR_PASSWORD}),
                Some(pending),
            )
            .await;
        assert_eq!(changed.status, reqwest::StatusCode::OK, "{:?}", changed.body);
        Staff {
            email: email.to_owned(),
            user_id: uuid(&first.body["user"]["id"]),
            doctor_id: uuid(&added.body["doctor"]["id"]),
            device_id,
            access_token: changed.body["access_token"].as_str().expect("token").to_owned(),
            refresh_token: changed.body["refresh_token"]
                .as_str()
                .expect("refresh")
                .to_owned(),
        }
    }
}
