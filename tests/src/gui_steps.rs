//! Steps a person takes in the window that several window tests share.

use crate::TestApp;
use crate::gui::Desktop;

/// The password window tests register and sign in with.
pub const PASSWORD: &str = "Window-Pass-2026";

impl TestApp {
    /// The code of the clinic registered last (the window shows it once;
    /// tests read it back here).
    pub async fn latest_clinic_code(&self) -> String {
        sqlx::query_scalar("SELECT code FROM tenants ORDER BY created_at DESC LIMIT 1")
            .fetch_one(&self.owner_pool)
            .await
            .expect("clinic code")
    }
}

impl Desktop {
    /// Registers a clinic through the window with [`PASSWORD`]; returns the
    /// owner's e-mail.
    pub async fn register(&self, clinic: &str) -> String {
        let email = format!("owner.{}@example.org", uuid::Uuid::now_v7().simple());
        self.click("go-register").await;
        self.fill("clinic-name", clinic).await;
        self.fill("owner-name", "Dr Asha Rao").await;
        self.fill("owner-email", &email).await;
        self.fill("owner-password", PASSWORD).await;
        self.click("register-submit").await;
        self.wait_text("clinic-name", |t| t == clinic).await;
        email
    }

    pub async fn sign_in(&self, code: &str, email: &str, password: &str) {
        self.fill("clinic-code", code).await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.click("sign-in-submit").await;
    }

    /// Signs out and signs in as `email` on this PC (the clinic code field
    /// keeps the last code, so it is typed over).
    pub async fn switch_user(&self, code: &str, email: &str, password: &str) {
        self.click("sign-out").await;
        self.wait("sign-in-form").await;
        self.retype("clinic-code", code).await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.click("sign-in-submit").await;
    }

    /// Registers a patient from the patients page (born 21/04/1990,
    /// typed in the clinic's day-first style) and waits for the list.
    pub async fn add_patient(&self, first: &str, mobile: &str, allergy: Option<&str>) {
        self.click("new-patient").await;
        self.fill("patient-first-name", first).await;
        self.fill("patient-mobile", mobile).await;
        self.fill("patient-dob", "21/04/1990").await;
        self.select("patient-gender", "female").await;
        if let Some(allergy) = allergy {
            self.fill("patient-allergies", allergy).await;
        }
        self.click("patient-save").await;
        self.wait_text("patient-list", |t| t.contains(first)).await;
    }

    /// Adds a doctor from the admin page's "Add staff"; returns the
    /// temporary password the screen shows once.
    pub async fn add_doctor(&self, name: &str, email: &str, licence: &str, specialization: &str) -> String {
        self.click("add-staff").await;
        self.select("staff-role", "doctor").await;
        self.fill("staff-name", name).await;
        self.fill("staff-email", email).await;
        self.fill("doctor-licence", licence).await;
        self.fill("doctor-specialization", specialization).await;
        self.click("add-staff-submit").await;
        self.text("temporary-password").await
    }

    /// Adds a nurse, receptionist or admin from the admin page; returns
    /// the temporary password.
    pub async fn add_staff(&self, role: &str, name: &str, email: &str) -> String {
        self.click("add-staff").await;
        self.select("staff-role", role).await;
        self.fill("staff-name", name).await;
        self.fill("staff-email", email).await;
        self.click("add-staff-submit").await;
        self.text("temporary-password").await
    }

    /// Clicks the `n`th (from 0) of the elements with test id `id`, e.g.
    /// one row's button in a list, once there are that many.
    pub async fn click_nth(&self, id: &str, n: usize) {
        for _ in 0..100 {
            let found = self
                .client
                .find_all(fantoccini::Locator::Css(&crate::gui::testid(id)))
                .await
                .unwrap_or_default();
            if let Some(element) = found.get(n)
                && element.click().await.is_ok()
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        let shot = self.screenshot(&format!("failed-clicking-{id}-{n}")).await;
        panic!("{id} number {n} could not be clicked; screen: {}", shot.display())
    }

    /// Replaces a temporary password on the forced change screen.
    pub async fn choose_password(&self, temporary: &str, new: &str) {
        self.wait("change-password-form").await;
        self.fill("current-password", temporary).await;
        self.fill("new-password", new).await;
        self.fill("repeat-password", new).await;
        self.click("change-password-submit").await;
    }
}
