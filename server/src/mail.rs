//! Outgoing e-mail through an SMTP server (lettre).

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:port` (plain, for a local
    /// relay), `smtp://user:pass@host:587?tls=required` or `smtps://...`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        Ok(Self {
            transport,
            from: from.parse()?,
        })
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(subject)
            .body(body)?;
        self.transport.send(message).await?;
        Ok(())
    }
}

/// Sends in the background: the request that triggers a mail neither
/// waits for nor fails with the mail server. The subject and body are
/// never logged (some carry passwords).
pub fn send_in_background(mailer: Option<&Mailer>, to: String, subject: String, body: String) {
    let Some(mailer) = mailer.cloned() else {
        return;
    };
    tokio::spawn(async move {
        if let Err(err) = mailer.send(&to, &subject, body).await {
            tracing::warn!(error = %err, "an e-mail could not be sent");
        }
    });
}

/// Tells a user their account was locked by failed sign-ins: the
/// sign-in screen says no more than "wrong code, e-mail or password".
pub fn account_locked(full_name: &str, until: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "Dear {full_name},\n\n\
         Five wrong passwords were tried for your clinic account, so it is\n\
         locked until {} UTC. After that you can sign in as usual.\n\n\
         If this was not you, tell your clinic's admin: someone may be\n\
         guessing your password.\n",
        until.format("%H:%M")
    )
}

/// The people an account welcome names.
#[derive(Debug)]
pub struct Welcome<'a> {
    pub clinic_name: &'a str,
    pub clinic_code: &'a str,
    pub full_name: &'a str,
    pub email: &'a str,
}

/// E-mails a new account its temporary password, waiting for the mail
/// server, so the admin can be told whether it went. A failure does not
/// undo the account: the admin still sees the password once. The body
/// carries the password, which is why it is never logged.
pub async fn send_account_welcome(mailer: Option<&Mailer>, to: &Welcome<'_>, password: &str) -> bool {
    let Some(mailer) = mailer else {
        return false;
    };
    let Welcome {
        clinic_name,
        clinic_code,
        full_name,
        email,
    } = to;
    let body = format!(
        "Dear {full_name},\n\n\
         An account has been created for you at {clinic_name}.\n\n\
         Clinic code: {clinic_code}\n\
         E-mail:      {email}\n\
         Temporary password: {password}\n\n\
         Sign in from the clinic app. You will be asked to choose\n\
         your own password first.\n"
    );
    match mailer
        .send(email, &format!("Your account at {clinic_name}"), body)
        .await
    {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, "could not e-mail a new account's credentials");
            false
        }
    }
}

/// The message a clinic's owner receives on registering: the clinic code
/// everyone signs in with, where it is easy to find again.
pub fn clinic_welcome(clinic_name: &str, clinic_code: &str, owner_name: &str) -> String {
    format!(
        "Dear {owner_name},\n\n\
         {clinic_name} is registered and its 30-day trial has started.\n\n\
         Your clinic code: {clinic_code}\n\n\
         You and your staff sign in with this code, your e-mail address\n\
         and your own password. Keep this message: if the code is ever\n\
         lost, \"Forgot the clinic code?\" on the sign-in screen sends it\n\
         to your e-mail address again.\n"
    )
}

/// The answer to "Forgot the clinic code?": every clinic where this
/// address has an account.
pub fn clinic_code_reminder(clinics: &[(String, String)]) -> String {
    let lines: Vec<String> = clinics
        .iter()
        .map(|(code, name)| format!("  {name}: {code}"))
        .collect();
    format!(
        "Hello,\n\n\
         Someone asked for the clinic code of the accounts that use this\n\
         e-mail address. Your clinic code{}:\n\n{}\n\n\
         Sign in with the code, your e-mail address and your password.\n\
         If you did not ask, you can ignore this message.\n",
        if clinics.len() == 1 { " is" } else { "s are" },
        lines.join("\n")
    )
}
