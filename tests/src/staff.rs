//! Colleagues of a clinic's owner, signed in from their own PCs.

use serde_json::json;
use uuid::Uuid;

use crate::pc::Device;
use crate::{Clinic, TestApp, uuid};

/// The password a helper-added person chooses at first sign-in.
pub const DOCTOR_PASSWORD: &str = "Doctor-Pass-2026";

/// A person who has chosen a password, signed in from their own PC.
#[derive(Debug, Clone)]
pub struct Staff {
    pub email: String,
    pub user_id: Uuid,
    /// Their doctor record, when they are a doctor.
    pub doctor: Option<Uuid>,
    pub device_id: Uuid,
    pub access_token: String,
    pub refresh_token: String,
}

impl Staff {
    /// Their PC, for pushing as them.
    pub fn device(&self) -> Device {
        Device::new(self.device_id, &self.access_token)
    }

    pub fn doctor_id(&self) -> Uuid {
        self.doctor.expect("this person is a doctor")
    }
}

impl TestApp {
    /// Adds a doctor as `clinic`'s admin, signs in with the temporary
    /// password from a new PC and chooses [`DOCTOR_PASSWORD`].
    pub async fn doctor(&self, clinic: &Clinic, email: &str, licence: &str) -> Staff {
        let added = self.add_doctor(clinic, email, licence).await;
        assert_eq!(added.status, reqwest::StatusCode::CREATED, "{:?}", added.body);
        let mut doctor = self.first_sign_in(clinic, email, &added.body).await;
        doctor.doctor = Some(uuid(&added.body["doctor"]["id"]));
        doctor
    }

    /// Adds a nurse, receptionist or admin through `POST /staff`, signed
    /// in as [`TestApp::doctor`] does.
    pub async fn staff_member(&self, clinic: &Clinic, role: &str, email: &str) -> Staff {
        let added = self
            .post(
                "/staff",
                &json!({"role": role, "full_name": format!("Staff {role}"), "email": email}),
                Some(&clinic.access_token),
            )
            .await;
        assert_eq!(added.status, reqwest::StatusCode::CREATED, "{:?}", added.body);
        self.first_sign_in(clinic, email, &added.body).await
    }

    /// Signs in with the temporary password of `added` (a create reply)
    /// from a new PC and chooses [`DOCTOR_PASSWORD`].
    async fn first_sign_in(&self, clinic: &Clinic, email: &str, added: &serde_json::Value) -> Staff {
        let temporary = added["temporary_password"].as_str().expect("temporary password");
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
            doctor: None,
            device_id,
            access_token: changed.body["access_token"].as_str().expect("token").to_owned(),
            refresh_token: changed.body["refresh_token"]
                .as_str()
                .expect("refresh")
                .to_owned(),
        }
    }

    /// Another clinic's FHIR export of one patient, `first_name` on
    /// `mobile` with `allergies`: a referral to take in.
    pub async fn referral_bundle(&self, first_name: &str, mobile: &str, allergies: &[&str]) -> Vec<u8> {
        let sender = self
            .register_clinic_as(&format!("{first_name}'s first clinic"), true)
            .await;
        let mut device = Device::new(sender.device_id, &sender.access_token);
        let id = Uuid::now_v7();
        let mut fields = crate::pc::patient(first_name, mobile);
        fields["allergies"] = json!(allergies);
        let op = device.op("patients", id, domain::sync::OpKind::Insert, fields);
        assert_eq!(device.push(self, &[op]).await.op_results(), ["applied"]);
        self.http
            .get(format!("{}/api/v1/fhir/Patient/{id}/$everything", self.base))
            .bearer_auth(&sender.access_token)
            .send()
            .await
            .expect("export")
            .bytes()
            .await
            .expect("bytes")
            .to_vec()
    }
}
