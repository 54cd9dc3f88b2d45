//! The few API calls the demo makes, as any client would.

use anyhow::{Context, bail};
use domain::ids::DeviceId;
use domain::sync::{HlcClock, Op, OpKind, PROTOCOL_VERSION};
use serde_json::{Map, Value, json};
use uuid::Uuid;

#[derive(Debug)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(server: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: format!("{}/api/v1", server.trim_end_matches('/')),
        }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .json(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req
            .send()
            .await
            .with_context(|| format!("{method} {path}: the server did not answer"))?;
        let status = resp.status();
        let text = resp.text().await?;
        if !status.is_success() {
            bail!("{method} {path} answered {status}: {text}");
        }
        Ok(if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)?
        })
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> anyhow::Result<Value> {
        self.send(reqwest::Method::POST, path, body, token).await
    }

    pub async fn patch(&self, path: &str, body: &Value, token: &str) -> anyhow::Result<Value> {
        self.send(reqwest::Method::PATCH, path, body, Some(token)).await
    }
}

/// The PC the demo writes from: its clock and batch numbers.
#[derive(Debug)]
pub struct DemoPc {
    pub token: String,
    device: Uuid,
    clock: HlcClock,
    next_batch: i64,
    ops: Vec<Op>,
}

impl DemoPc {
    pub fn new(device: Uuid, token: String) -> Self {
        Self {
            token,
            device,
            clock: HlcClock::new(DeviceId::from_uuid(device)),
            next_batch: 1,
            ops: Vec::new(),
        }
    }

    /// Queues a new row of `table`; returns its id.
    pub fn insert(&mut self, table: &str, fields: Value) -> Uuid {
        let id = Uuid::now_v7();
        let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default();
        let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
        self.ops.push(Op {
            op_id: Uuid::now_v7(),
            table: table.to_owned(),
            row_id: id,
            kind: OpKind::Insert,
            fields,
            hlc: self.clock.tick(now),
        });
        id
    }

    /// Pushes what is queued, in batches, and insists every op applied.
    pub async fn push(&mut self, api: &Api) -> anyhow::Result<()> {
        let ops = std::mem::take(&mut self.ops);
        for chunk in ops.chunks(300) {
            let body = json!({"protocol": PROTOCOL_VERSION, "device_id": self.device,
                              "batch_seq": self.next_batch, "ops": chunk});
            self.next_batch += 1;
            let reply = api.post("/sync/push", &body, Some(&self.token)).await?;
            let refused: Vec<&Value> = reply["results"]
                .as_array()
                .map(|r| r.iter().filter(|x| x["status"] == "refused").collect())
                .unwrap_or_default();
            if !refused.is_empty() {
                bail!("the server refused demo data: {refused:?}");
            }
        }
        Ok(())
    }
}
