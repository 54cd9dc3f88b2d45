//! Backups in tests: an age key pair in a temp dir, taking and restoring
//! through the server library (as the CLI does), and a fingerprint of a
//! clinic's rows to compare two databases by.

use std::path::{Path, PathBuf};

use clinic_server::backup::crypt::{Key, Lock};
use clinic_server::backup::restore::{Options, Restored};
use clinic_server::backup::{BackupError, TABLES};
use domain::tenant::TenantCode;
use uuid::Uuid;

use crate::TestApp;

/// An age key pair: the public key text and the identity file.
#[derive(Debug)]
pub struct AgeKey {
    pub recipient: String,
    pub identity_file: PathBuf,
}

pub fn age_key(dir: &Path, name: &str) -> AgeKey {
    let identity = age::x25519::Identity::generate();
    let identity_file = dir.join(format!("{name}.key"));
    let secret = age::secrecy::ExposeSecret::expose_secret(&identity.to_string()).to_owned();
    std::fs::write(&identity_file, format!("# test key\n{secret}\n")).expect("write identity");
    AgeKey {
        recipient: identity.to_public().to_string(),
        identity_file,
    }
}

impl TestApp {
    /// Backs up the clinic with `code` into `dir`, for `key`.
    pub async fn take_backup(&self, code: &str, key: &AgeKey, dir: &Path) -> PathBuf {
        let out = dir.join(format!("{code}.clinic-backup"));
        let code = TenantCode::parse(code).expect("code");
        let lock = Lock::recipient(&key.recipient).expect("recipient");
        clinic_server::backup::take::to_file(&self.owner_pool, &code, &lock, &out)
            .await
            .expect("backup");
        out
    }

    /// Restores `file` into this server's database.
    pub async fn restore_backup(
        &self,
        file: &Path,
        key: &AgeKey,
        options: &Options,
    ) -> Result<Restored, BackupError> {
        let key = Key::identity_file(&key.identity_file)?;
        let input = clinic_server::backup::crypt::open(std::fs::File::open(file)?, &key)?;
        clinic_server::backup::restore::restore(&self.owner_pool, input, options).await
    }

    /// Restores `file` over the live clinic it holds (`--replace`).
    pub async fn restore_replacing(&self, file: &Path, key: &AgeKey) -> Result<Restored, BackupError> {
        let options = Options {
            replace: true,
            ..Options::default()
        };
        self.restore_backup(file, key, &options).await
    }

    /// Per table: the clinic's row count and an md5 of its rows (sorted,
    /// without the tenant id, so a copy under another id compares equal).
    /// `tenant_sync_state` is left out: its epoch changes on restore.
    pub async fn clinic_fingerprint(&self, tenant: Uuid) -> Vec<(String, i64, String)> {
        let mut tx = self.owner_tx(tenant).await;
        let mut out = Vec::new();
        for table in TABLES.iter().filter(|t| **t != "tenant_sync_state") {
            let (scope, drop) = if *table == "tenants" {
                ("id = app_tenant()", "'id' - 'code'")
            } else {
                ("tenant_id = app_tenant()", "'tenant_id'")
            };
            let sql = format!(
                "SELECT count(*), coalesce(md5(string_agg(r, '|' ORDER BY r)), '') \
                   FROM (SELECT (to_jsonb(t) - {drop})::text AS r FROM {table} t WHERE {scope}) s"
            );
            let (count, digest): (i64, String) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *tx)
                .await
                .expect("fingerprint");
            out.push(((*table).to_owned(), count, digest));
        }
        out
    }

    /// An owner transaction scoped to the clinic `tenant`.
    async fn owner_tx(&self, tenant: Uuid) -> sqlx::Transaction<'static, sqlx::Postgres> {
        let mut tx = self.owner_pool.begin().await.expect("begin");
        sqlx::query("SELECT set_config('app.current_tenant_id', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await
            .expect("tenant");
        tx
    }

    /// A transaction holding `tenant`'s log lock, as a push in progress
    /// holds it (every writer of the clinic's log queues behind it).
    pub async fn hold_log(&self, tenant: Uuid) -> sqlx::Transaction<'static, sqlx::Postgres> {
        let mut tx = self.owner_pool.begin().await.expect("begin");
        sqlx::query("SELECT 1 FROM tenant_sync_state WHERE tenant_id = $1 FOR UPDATE")
            .bind(tenant)
            .execute(&mut *tx)
            .await
            .expect("take the clinic's log lock");
        tx
    }

    /// The clinic's change-log head: last sequence and hash.
    pub async fn chain_head(&self, tenant: Uuid) -> (i64, Vec<u8>) {
        let mut tx = self.owner_tx(tenant).await;
        sqlx::query_as("SELECT last_seq, last_hash FROM tenant_sync_state WHERE tenant_id = app_tenant()")
            .fetch_one(&mut *tx)
            .await
            .expect("head")
    }
}
