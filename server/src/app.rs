//! Application state, router assembly and the serve loop. Tests call
//! [`serve`] with a listener bound to port 0.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::auth::JwtKeys;
use crate::config::Config;
use crate::error::ApiError;
use crate::gate::ClinicGate;
use crate::mail::Mailer;
use crate::routes;
use crate::sync::events::Notifier;
use crate::throttle::Throttle;

/// The protocol version this server speaks, sent on every response.
pub const PROTOCOL_VERSION: &str = "1";
pub const PROTOCOL_HEADER: &str = "x-clinic-protocol";
/// Largest request body of most routes.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;
/// Largest settings update: a 1 MB logo is 1.4 MB in base64, plus the rest.
pub const SETTINGS_BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;
/// Largest pushed batch; PCs cut theirs at half of it.
pub const PUSH_BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

/// The server's shared state: one `Arc`. Axum clones the state several
/// times per request (the handler service, `State`, the extractors), and
/// with each part counted separately the clones and drops of a dozen
/// reference counts were about 5 % of the server's CPU at saturation.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Debug)]
pub struct Shared {
    pub pool: PgPool,
    pub jwt: JwtKeys,
    pub mailer: Option<Arc<Mailer>>,
    pub refresh_ttl_days: i32,
    pub notifier: Notifier,
    pub code_reminders: crate::routes::clinic_code::Reminders,
    pub gate: ClinicGate,
    pub sessions: Arc<crate::auth::live::LiveSessions>,
    pub expiry: crate::sync::expiry::ExpirySweeps,
    pub throttle: Throttle,
    pub trusted_proxy: Option<std::net::IpAddr>,
    pub request_timeout: Duration,
    pub public_url: Option<Arc<str>>,
}

impl AppState {
    /// Connects as the application role; never as the owner.
    pub async fn connect(config: &Config) -> anyhow::Result<Self> {
        config.check()?;
        let mut options: PgConnectOptions = config.database_url.parse()?;
        if config.transaction_pooler {
            // Statements are still named (sqlx names them), but none is
            // reused: the pooler resets each server connection after every
            // transaction (`server_reset_query_always`), see docs/scaling.md.
            options = options.statement_cache_capacity(0);
        }
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_release(|conn, _| Box::pin(crate::db::leaves_no_transaction(conn)))
            .connect_with(options)
            .await?;
        refuse_roles_that_bypass_rls(&pool).await?;
        let listener_pool = match &config.listen_database_url {
            Some(url) => PgPoolOptions::new().max_connections(1).connect(url).await?,
            None => pool.clone(),
        };
        let mailer = config
            .smtp_url
            .as_deref()
            .map(|url| Mailer::new(url, &config.mail_from).map(Arc::new))
            .transpose()?;
        let notifier = Notifier::start(listener_pool);
        Ok(Self(Arc::new(Shared {
            sessions: notifier.sessions().clone(),
            notifier,
            pool,
            jwt: JwtKeys::new(&config.jwt_secret, config.access_ttl_seconds)?,
            mailer,
            refresh_ttl_days: config.refresh_ttl_days,
            code_reminders: Default::default(),
            gate: ClinicGate::new(
                ClinicGate::share_of(config.max_connections),
                Duration::from_secs(10),
            ),
            throttle: Throttle::new(config.rate_limits),
            expiry: Default::default(),
            trusted_proxy: config.trusted_proxy,
            request_timeout: config.request_timeout,
            public_url: config.public_url.as_deref().map(Arc::from),
        })))
    }
}

/// Row-Level Security is the isolation: never serve as a role that would
/// skip it (a superuser or the owner). Asked inside a transaction, as every
/// query is, so that it also holds behind a transaction pooler.
async fn refuse_roles_that_bypass_rls(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    let bypasses: bool =
        sqlx::query_scalar("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    anyhow::ensure!(
        !bypasses,
        "refusing to serve: the database role bypasses row-level security; connect as the application role"
    );
    Ok(())
}

pub fn router(state: AppState) -> Router {
    let timeout = state.request_timeout;
    routes::router(state)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn(move |req, next| {
            deadline(timeout, req, next)
        }))
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static(PROTOCOL_HEADER),
            HeaderValue::from_static(PROTOCOL_VERSION),
        ))
        // Logs method, path, status and latency; never bodies or headers.
        .layer(TraceLayer::new_for_http())
}

/// Answers `408 request_timeout` when a request has not arrived and been
/// answered within `limit`: a body sent a byte at a time holds a task, never
/// a database connection, and not for long. A streamed answer (snapshot,
/// events) is past this point once its headers are sent.
async fn deadline(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout.into_response(),
    }
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}
