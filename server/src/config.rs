//! Server configuration from environment variables (see README).

use std::net::SocketAddr;

#[derive(Clone)]
pub struct Config {
    /// Connection string of the application role (NOSUPERUSER NOBYPASSRLS).
    pub database_url: String,
    pub bind: SocketAddr,
    /// At least 32 bytes; signs access tokens.
    pub jwt_secret: Vec<u8>,
    pub access_ttl_seconds: i64,
    pub refresh_ttl_days: i32,
    /// `None` disables e-mail (new doctors' passwords are then only shown).
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub max_connections: u32,
    pub rate_limits: crate::throttle::RateLimits,
    /// A reverse proxy whose `X-Forwarded-For` names the real client.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Longest a request may take to arrive and be answered (streams
    /// excepted once their first byte is sent).
    pub request_timeout: std::time::Duration,
    /// The address PCs reach this server at (`https://clinic.example.org`),
    /// for the download links of updates. Unset: taken from each request's
    /// `Host`, over http.
    pub public_url: Option<String>,
    /// `database_url` reaches PostgreSQL through a pooler in transaction
    /// mode (pgbouncer): a server connection is this process's only for one
    /// transaction, so no prepared statement is kept from one to the next.
    pub transaction_pooler: bool,
    /// A direct address of PostgreSQL for the live-event listener: LISTEN
    /// needs a session of its own, which a transaction pooler cannot give.
    /// Unset: the listener connects like every other query.
    pub listen_database_url: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("access_ttl_seconds", &self.access_ttl_seconds)
            .field("refresh_ttl_days", &self.refresh_ttl_days)
            .field("smtp", &self.smtp_url.is_some())
            .field("mail_from", &self.mail_from)
            .field("max_connections", &self.max_connections)
            .field("trusted_proxy", &self.trusted_proxy)
            .field("request_timeout", &self.request_timeout)
            .field("transaction_pooler", &self.transaction_pooler)
            .field("listen_direct", &self.listen_database_url.is_some())
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Defaults for everything except the database and the secret.
    pub fn new(database_url: String, jwt_secret: Vec<u8>) -> Self {
        Self {
            database_url,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            jwt_secret,
            access_ttl_seconds: 15 * 60,
            refresh_ttl_days: 30,
            smtp_url: None,
            mail_from: "Clinic <no-reply@clinic.localhost>".to_owned(),
            max_connections: 10,
            rate_limits: Default::default(),
            trusted_proxy: None,
            request_timeout: std::time::Duration::from_secs(30),
            public_url: None,
            transaction_pooler: false,
            listen_database_url: None,
        }
    }

    /// Reads `CLINIC_DATABASE_URL`, `CLINIC_JWT_SECRET` (required) and the
    /// optional `CLINIC_BIND`, `CLINIC_ACCESS_TTL_SECONDS`,
    /// `CLINIC_REFRESH_TTL_DAYS`, `CLINIC_SMTP_URL`, `CLINIC_MAIL_FROM`,
    /// `CLINIC_DB_MAX_CONNECTIONS`, `CLINIC_TRUSTED_PROXY`, `CLINIC_PUBLIC_URL`,
    /// `CLINIC_DB_TRANSACTION_POOLER` (`1`: behind pgbouncer in transaction
    /// mode) and `CLINIC_LISTEN_DATABASE_URL`.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let database_url =
            var("CLINIC_DATABASE_URL").ok_or_else(|| anyhow::anyhow!("CLINIC_DATABASE_URL is not set"))?;
        let secret =
            var("CLINIC_JWT_SECRET").ok_or_else(|| anyhow::anyhow!("CLINIC_JWT_SECRET is not set"))?;
        let mut config = Self::new(database_url, secret.into_bytes());
        if let Some(bind) = var("CLINIC_BIND") {
            config.bind = bind.parse()?;
        }
        if let Some(ttl) = var("CLINIC_ACCESS_TTL_SECONDS") {
            config.access_ttl_seconds = ttl.parse()?;
        }
        if let Some(days) = var("CLINIC_REFRESH_TTL_DAYS") {
            config.refresh_ttl_days = days.parse()?;
        }
        config.smtp_url = var("CLINIC_SMTP_URL");
        if let Some(from) = var("CLINIC_MAIL_FROM") {
            config.mail_from = from;
        }
        if let Some(n) = var("CLINIC_DB_MAX_CONNECTIONS") {
            config.max_connections = n.parse()?;
        }
        if let Some(proxy) = var("CLINIC_TRUSTED_PROXY") {
            config.trusted_proxy = Some(proxy.parse()?);
        }
        config.public_url = var("CLINIC_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned());
        config.transaction_pooler =
            var("CLINIC_DB_TRANSACTION_POOLER").is_some_and(|v| v == "1" || v == "true");
        config.listen_database_url = var("CLINIC_LISTEN_DATABASE_URL");
        config.check()?;
        Ok(config)
    }

    /// Settings that cannot work together.
    pub fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            !self.transaction_pooler || self.listen_database_url.is_some(),
            "behind a transaction pooler the live-event listener needs its own session: \
             set CLINIC_LISTEN_DATABASE_URL to a direct address of PostgreSQL"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn a_transaction_pooler_needs_a_direct_address_for_listen() {
        let mut config = Config::new("postgres://bouncer/db".into(), vec![7; 32]);
        config.transaction_pooler = true;
        let refused = config.check().expect_err("LISTEN would go through the pooler");
        assert!(
            refused.to_string().contains("CLINIC_LISTEN_DATABASE_URL"),
            "{refused}"
        );
        config.listen_database_url = Some("postgres://postgres-itself/db".into());
        config.check().expect("a direct address for the listener");
    }
}
