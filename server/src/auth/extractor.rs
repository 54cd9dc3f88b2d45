//! Request extractors. The tenant of a request comes only from a verified
//! access token and is set with `set_config(..., true)` inside the request's
//! own transaction, so it can never leak to another request on the same
//! pooled connection.
//!
//! Extracting a caller touches no database: a handler reads and validates
//! its body first and only then calls [`Caller::begin`], so a slow or
//! unfinished body never holds a pooled connection.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use domain::user::Role;
use sqlx::{PgPool, Postgres, Transaction};
use tokio::sync::OwnedSemaphorePermit;

use crate::app::AppState;
use crate::auth::jwt::Claims;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::sync::idle::IdlePulls;
use crate::sync::wakes::Stamp;

/// A verified caller, not yet holding any database resource.
#[derive(Debug, Clone)]
pub struct Caller {
    pub auth: Claims,
    /// The request changes something (any method but GET/HEAD/OPTIONS):
    /// refused while the platform has the clinic suspended, unless the
    /// route says it must work even then.
    writes: bool,
    /// The request is not a read (unlike `writes`, whatever the suspension).
    mutates: bool,
    /// The server's state (one reference count: the pool, the clinics'
    /// shares, the live sign-ins and the idle pulls are all read from it).
    state: AppState,
}

/// Like [`Caller`] but also admits a user who still has to replace a
/// temporary password (only the password-change route takes this).
#[derive(Debug)]
pub struct PendingPasswordCaller(pub Caller);

/// An open transaction scoped to the caller's clinic, holding one unit of
/// the clinic's share of the pool. Handlers must `commit` it; dropping it
/// rolls back.
#[derive(Debug)]
pub struct TenantTx {
    pub auth: Claims,
    pub tx: Transaction<'static, Postgres>,
    _share: OwnedSemaphorePermit,
    /// A write makes the clinic's remembered idle pulls stale at commit,
    /// before it is answered (this process's NOTIFY arrives later).
    stales: Option<Arc<IdlePulls>>,
}

impl Caller {
    /// Refuses callers whose role is not in `allowed`.
    pub fn require(&self, allowed: &[Role]) -> ApiResult<()> {
        require(&self.auth, allowed)
    }

    /// For the few writes a suspended clinic still needs: signing out,
    /// changing a password, removing a stolen PC, enrolling a PC to read,
    /// sending the audit trail, downloading its own backup.
    pub fn even_when_suspended(mut self) -> Self {
        self.writes = false;
        self
    }

    /// Waits for the clinic's share, then opens its transaction.
    pub async fn begin(self) -> ApiResult<TenantTx> {
        self.begin_with("BEGIN").await
    }

    /// Opens a pull's transaction. Its sign-in is checked again whatever is
    /// remembered of it, by the page's own statement ([`PullTx::page`]):
    /// an idle PC's pulls come to the database only when their remembered
    /// answer runs out (every 15-30 s), and renewing the "still live"
    /// answer on those trips spares the trips of its own it would
    /// otherwise cost (half of all pulls that reached the database in
    /// `bench load`), at no round trip of its own.
    pub async fn begin_pull(self) -> ApiResult<PullTx> {
        let share = self.enter().await?;
        let (stamp, tx) = self.scoped("BEGIN").await?;
        let (writes, state) = (self.writes, self.state.clone());
        Ok(PullTx {
            t: self.holding(tx, share),
            stamp,
            writes,
            state,
        })
    }

    /// Like [`Self::begin`], in a REPEATABLE READ transaction: every read
    /// sees one instant (a backup of the clinic).
    pub async fn begin_snapshot(self) -> ApiResult<TenantTx> {
        self.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ").await
    }

    async fn begin_with(self, statement: &'static str) -> ApiResult<TenantTx> {
        let share = self.enter().await?;
        let tx = self.open(statement).await?;
        Ok(self.holding(tx, share))
    }

    /// The caller's transaction, holding `share` of the clinic's pool.
    fn holding(self, tx: Transaction<'static, Postgres>, share: OwnedSemaphorePermit) -> TenantTx {
        TenantTx {
            stales: self.mutates.then(|| self.state.notifier.idle().clone()),
            auth: self.auth,
            tx,
            _share: share,
        }
    }

    /// One unit of the clinic's share, for work that opens its own
    /// connection (the snapshot stream).
    pub async fn enter(&self) -> ApiResult<OwnedSemaphorePermit> {
        self.state.gate.enter(self.auth.tid.as_uuid()).await
    }

    pub fn pool(&self) -> &PgPool {
        &self.state.pool
    }

    /// Whether the sign-in is known live without asking the database
    /// (see [`crate::auth::live`]), for a read.
    pub fn known_live(&self) -> bool {
        !self.mutates && self.state.sessions.known_live(self.auth.sid)
    }

    /// Whether the caller's sign-in is still live, checked in a short
    /// transaction of its own (for long streams).
    pub async fn still_live(&self) -> ApiResult<()> {
        Ok(self.open("BEGIN").await?.commit().await?)
    }

    /// Opens the clinic's transaction without checking the sign-in (see
    /// [`Unchecked`]); `open` and `begin_pull` check it, each its own way.
    async fn scoped(&self, statement: &'static str) -> ApiResult<Unchecked> {
        let stamp = self.state.sessions.stamp(self.auth.tid.as_uuid());
        let tx = self
            .state
            .pool
            .begin_with(db::begin_scoped(statement, self.auth.tid))
            .await?;
        Ok((stamp, tx))
    }

    /// A transaction scoped to the caller's clinic, once its sign-in is
    /// known to be live.
    async fn open(&self, statement: &'static str) -> ApiResult<Transaction<'static, Postgres>> {
        let (stamp, mut tx) = self.scoped(statement).await?;
        self.state
            .sessions
            .ensure(&mut tx, &self.auth, self.writes, stamp)
            .await?;
        Ok(tx)
    }
}

/// A transaction scoped to the caller's clinic, its sign-in not checked
/// yet, and the sign-ins' stamp taken just before it opened (whatever it
/// reads is then at least as new; see [`crate::auth::live`]).
type Unchecked = (Option<Stamp>, Transaction<'static, Postgres>);

/// A pull's transaction before its sign-in is checked: the only way on is
/// [`Self::page`], which checks it in the page's statement and refuses the
/// caller before anything read is answered.
#[derive(Debug)]
pub struct PullTx {
    t: TenantTx,
    /// Taken before the transaction opened (see [`crate::auth::live`]).
    stamp: Option<Stamp>,
    writes: bool,
    state: AppState,
}

impl PullTx {
    pub async fn page(mut self, ask: db::pull::Ask<'_>) -> ApiResult<(TenantTx, db::pull::Page)> {
        let (device, family) = (self.t.auth.did.as_uuid(), self.t.auth.sid);
        let tenant = self.t.auth.tid.as_uuid();
        let page = db::pull::page(&mut self.t.tx, ask, device, family, tenant).await?;
        self.state
            .sessions
            .settle(&self.t.auth, page.session.clone(), self.writes, self.stamp)?;
        Ok((self.t, page))
    }
}

impl TenantTx {
    /// Refuses callers whose role is not in `allowed`.
    pub fn require(&self, allowed: &[Role]) -> ApiResult<()> {
        require(&self.auth, allowed)
    }

    /// Takes the clinic's change-log lock. A push takes it before it locks
    /// the rows it changes; a request that changes synced rows takes it
    /// first too, before any row, or the two can deadlock.
    pub async fn lock_log(&mut self) -> ApiResult<()> {
        db::changes::lock_counter(&mut self.tx).await?;
        Ok(())
    }

    pub async fn commit(self) -> ApiResult<()> {
        self.tx.commit().await?;
        if let Some(idle) = self.stales {
            idle.wake(self.auth.tid.as_uuid());
        }
        Ok(())
    }
}

fn require(auth: &Claims, allowed: &[Role]) -> ApiResult<()> {
    if allowed.contains(&auth.role) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("your role does not allow this"))
    }
}

/// Verified claims alone, for routes that need no database.
#[derive(Debug, Clone)]
pub struct Auth(pub Claims);

fn bearer(parts: &Parts) -> ApiResult<&str> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("sign in first"))?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the access token is not valid"))?;
    value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized("use an Authorization: Bearer token"))
}

fn verify(parts: &Parts, state: &AppState, allow_pending_password: bool) -> ApiResult<Caller> {
    let claims = state.jwt.verify(bearer(parts)?)?;
    if claims.pwc && !allow_pending_password {
        return Err(ApiError::PasswordChangeRequired);
    }
    Ok(Caller {
        auth: claims,
        writes: !parts.method.is_safe(),
        mutates: !parts.method.is_safe(),
        state: state.clone(),
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        verify(parts, state, false)
    }
}

impl FromRequestParts<AppState> for PendingPasswordCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        verify(parts, state, true).map(Self)
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        verify(parts, state, false).map(|caller| Self(caller.auth))
    }
}
