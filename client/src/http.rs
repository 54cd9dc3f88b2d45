//! The HTTP client of the PC (reqwest). Every request carries the
//! protocol version; errors come back typed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use domain::ErrorCode;
use domain::error::ErrorBody;
use domain::sync::{
    PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse, SnapshotHeader, SnapshotRow,
};
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ClientError;

/// This app's version, as the PC reports it to the server.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Called with each new refresh token, so it can be kept (in the keychain).
pub type OnRefresh = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Clone)]
pub struct ServerClient {
    http: reqwest::Client,
    base: String,
    token: Arc<RwLock<Option<String>>>,
    refresh: Arc<RwLock<Option<String>>>,
    on_refresh: Arc<RwLock<Option<OnRefresh>>>,
    /// Set once the server answers `device_revoked`: an admin removed this
    /// PC from the clinic.
    removed: Arc<AtomicBool>,
}

impl std::fmt::Debug for ServerClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl ServerClient {
    /// `base` is the server's address, e.g. `http://127.0.0.1:8080`.
    /// Refuses a plain-http address other than this PC's own.
    pub fn new(base: &str) -> Result<Self, ClientError> {
        let base = contract::app::parse_server_url(base).map_err(|e| ClientError::Protocol(e.message))?;
        let mut headers = HeaderMap::new();
        headers.insert(PROTOCOL_HEADER, HeaderValue::from(PROTOCOL_VERSION));
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        Ok(Self {
            http,
            base,
            token: Arc::new(RwLock::new(None)),
            refresh: Arc::new(RwLock::new(None)),
            on_refresh: Arc::new(RwLock::new(None)),
            removed: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn set_token(&self, token: Option<String>) {
        if let Ok(mut slot) = self.token.write() {
            *slot = token;
        }
    }

    /// With a refresh token, an expired or missing access token is renewed
    /// once per request and `on_refresh` receives the rotated token.
    pub fn set_refresh_token(&self, token: Option<String>, on_refresh: Option<OnRefresh>) {
        if let Ok(mut slot) = self.refresh.write() {
            *slot = token;
        }
        if let Ok(mut slot) = self.on_refresh.write() {
            *slot = on_refresh;
        }
    }

    /// Trades the refresh token for a new pair.
    pub async fn refresh(&self) -> Result<(), ClientError> {
        let Some(refresh) = self.refresh.read().ok().and_then(|r| r.clone()) else {
            return Err(ClientError::Server {
                status: 401,
                code: ErrorCode::Unauthorized,
                message: "sign in again".into(),
                fields: Vec::new(),
            });
        };
        let req = self
            .http
            .post(self.url("/auth/refresh"))
            .json(&serde_json::json!({"refresh_token": refresh}));
        let resp = Self::check(
            req.send()
                .await
                .map_err(|e| ClientError::Offline(e.to_string()))?,
        )
        .await?;
        let pair: domain::api::TokenPair = Self::json(resp).await?;
        self.set_token(Some(pair.access_token));
        if let Ok(mut slot) = self.refresh.write() {
            *slot = Some(pair.refresh_token.clone());
        }
        if let Some(callback) = self.on_refresh.read().ok().and_then(|c| c.clone()) {
            callback(&pair.refresh_token);
        }
        Ok(())
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn authed(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.token.read().ok().and_then(|t| t.clone()) {
            Some(token) => req.bearer_auth(token),
            None => req,
        }
    }

    /// The access token requests carry now, if signed in online.
    pub fn access_token(&self) -> Option<String> {
        self.token.read().ok().and_then(|t| t.clone())
    }

    /// Whether the server said an admin removed this PC from the clinic.
    pub fn device_removed(&self) -> bool {
        self.removed.load(Ordering::Relaxed)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, ClientError> {
        let answer = self.send_once(req).await;
        if let Err(ClientError::Server {
            code: ErrorCode::DeviceRevoked,
            ..
        }) = &answer
        {
            self.removed.store(true, Ordering::Relaxed);
        }
        answer
    }

    async fn send_once(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, ClientError> {
        let retry = req.try_clone();
        let first = self
            .authed(req)
            .send()
            .await
            .map_err(|e| ClientError::Offline(e.to_string()));
        match Self::check(first?).await {
            Err(ClientError::Server {
                status: 401, code, ..
            }) if matches!(code, ErrorCode::TokenExpired | ErrorCode::Unauthorized)
                && retry.is_some()
                && self.refresh.read().map(|r| r.is_some()).unwrap_or(false) =>
            {
                self.refresh().await?;
                let again = retry.ok_or_else(|| ClientError::Protocol("request cannot be retried".into()))?;
                Self::check(
                    self.authed(again)
                        .send()
                        .await
                        .map_err(|e| ClientError::Offline(e.to_string()))?,
                )
                .await
            }
            other => other,
        }
    }

    async fn check(resp: reqwest::Response) -> Result<reqwest::Response, ClientError> {
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        if status.is_server_error() {
            return Err(ClientError::ServerFault {
                status: status.as_u16(),
            });
        }
        let body: ErrorBody = resp.json().await.unwrap_or(ErrorBody {
            error: ErrorCode::Internal,
            message: format!("the server answered {status}"),
            fields: Vec::new(),
        });
        Err(ClientError::Server {
            status: status.as_u16(),
            code: body.error,
            message: body.message,
            fields: body.fields,
        })
    }

    /// A body cut off mid-way (the network went) is being offline, not a
    /// protocol fault.
    async fn json<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T, ClientError> {
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ClientError::Offline(e.to_string()))?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol(e.to_string()))
    }

    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        Self::json(self.send(self.http.post(self.url(path)).json(body)).await?).await
    }

    /// A POST whose answer is a file: its bytes and the name the server
    /// suggests (Content-Disposition), if any.
    pub async fn post_for_file<B: Serialize>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<(Option<String>, Vec<u8>), ClientError> {
        Self::file(self.send(self.http.post(self.url(path)).json(body)).await?).await
    }

    /// A GET whose answer is a file (see [`Self::post_for_file`]).
    pub async fn get_file(&self, path: &str) -> Result<(Option<String>, Vec<u8>), ClientError> {
        Self::file(self.send(self.http.get(self.url(path))).await?).await
    }

    async fn file(resp: reqwest::Response) -> Result<(Option<String>, Vec<u8>), ClientError> {
        let name = resp
            .headers()
            .get(reqwest::header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split("filename=\"").nth(1))
            .and_then(|v| v.split('"').next())
            .map(str::to_owned);
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ClientError::Offline(e.to_string()))?;
        Ok((name, bytes.to_vec()))
    }

    /// A POST whose answer has no body (204).
    pub async fn post_no_answer<B: Serialize>(&self, path: &str, body: &B) -> Result<(), ClientError> {
        self.send(self.http.post(self.url(path)).json(body)).await?;
        Ok(())
    }

    pub async fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        Self::json(self.send(self.http.patch(self.url(path)).json(body)).await?).await
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        Self::json(self.send(self.http.get(self.url(path))).await?).await
    }

    pub async fn push(&self, req: &PushRequest) -> Result<PushResponse, ClientError> {
        self.post("/sync/push", req).await
    }

    /// A page of the clinic's changes after `since`; the PC reports its app
    /// version and its unsent changes with it (the admin's list of PCs).
    pub async fn pull(
        &self,
        since: i64,
        limit: i64,
        pending: i64,
        epoch: Option<uuid::Uuid>,
    ) -> Result<PullResponse, ClientError> {
        let epoch = epoch.map(|e| format!("&epoch={e}")).unwrap_or_default();
        self.get(&format!(
            "/sync/pull?since={since}&limit={limit}&app_version={APP_VERSION}&pending={pending}{epoch}"
        ))
        .await
    }

    /// The snapshot header and a stream of its rows, parsed line by line as
    /// they arrive (the whole snapshot is never held in memory).
    pub async fn snapshot(
        &self,
    ) -> Result<
        (
            SnapshotHeader,
            impl Stream<Item = Result<SnapshotRow, ClientError>> + use<>,
        ),
        ClientError,
    > {
        let resp = self.send(self.http.get(self.url("/sync/snapshot"))).await?;
        let mut lines = ndjson_lines(resp.bytes_stream());
        let first = lines
            .next()
            .await
            .ok_or_else(|| ClientError::Protocol("empty snapshot".into()))??;
        let header: SnapshotHeader =
            serde_json::from_slice(&first).map_err(|e| ClientError::Protocol(e.to_string()))?;
        let rows = lines.map(|line| {
            let line = line?;
            serde_json::from_slice::<SnapshotRow>(&line).map_err(|e| ClientError::Protocol(e.to_string()))
        });
        Ok((header, rows))
    }

    /// Live notifications: yields the clinic's new cursor each time it moves.
    pub async fn events(&self) -> Result<impl Stream<Item = Result<i64, ClientError>> + use<>, ClientError> {
        let resp = self.send(self.http.get(self.url("/sync/events"))).await?;
        Ok(ndjson_lines(resp.bytes_stream()).filter_map(|line| async move {
            match line {
                Err(e) => Some(Err(e)),
                Ok(line) => {
                    let text = String::from_utf8_lossy(&line);
                    let data = text.strip_prefix("data:")?.trim().to_owned();
                    let moved: domain::sync::SequenceMoved = serde_json::from_str(&data).ok()?;
                    Some(Ok(moved.cursor))
                }
            }
        }))
    }
}

/// Splits a byte stream into lines (without the newline).
fn ndjson_lines<S>(bytes: S) -> BoxStream<'static, Result<Vec<u8>, ClientError>>
where
    S: Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin + Send + 'static,
{
    futures_util::stream::unfold(
        (bytes, Vec::<u8>::new(), false),
        |(mut bytes, mut buf, mut done)| async move {
            loop {
                if let Some(pos) = buf.iter().position(|b| *b == b'\n') {
                    let mut line: Vec<u8> = buf.drain(..=pos).collect();
                    line.pop();
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                    if line.is_empty() {
                        continue;
                    }
                    return Some((Ok(line), (bytes, buf, done)));
                }
                if done {
                    if buf.is_empty() {
                        return None;
                    }
                    let line = std::mem::take(&mut buf);
                    return Some((Ok(line), (bytes, buf, true)));
                }
                match bytes.next().await {
                    Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
                    Some(Err(e)) => {
                        return Some((Err(ClientError::Offline(e.to_string())), (bytes, buf, true)));
                    }
                    None => done = true,
                }
            }
        },
    )
    .boxed()
}
