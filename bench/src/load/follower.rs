//! A PC as the load generator drives it: pulling from where its last pull
//! ended, as an online PC does (an idle PC's pull finds nothing new; a
//! change in its clinic is pulled once, then it is idle again).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::Deserialize;

use super::fleet::Pc;

#[derive(Debug, Clone)]
pub struct Follower {
    http: reqwest::Client,
    base: String,
    /// `Bearer <token>`, made once: the generator's own work per request
    /// should be what any client's is, not more.
    authorization: HeaderValue,
    cursor: Arc<AtomicI64>,
}

/// The parts of a pull's reply the follower acts on (as the desktop's
/// engine, it reads the reply into a typed value, not a JSON tree).
#[derive(Deserialize)]
struct PullReply {
    cursor: i64,
    has_more: bool,
}

/// What a pull ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pulled {
    /// Answered as asked; `true` when more changes wait.
    Answered {
        more: bool,
    },
    Failed,
}

impl Follower {
    /// One follower per client connection, each for its PC, at cursor 0.
    pub fn all(base: &str, clients: &[reqwest::Client], pcs: &[Pc]) -> Vec<Self> {
        clients
            .iter()
            .zip(pcs)
            .map(|(http, pc)| Self {
                http: http.clone(),
                base: base.to_owned(),
                authorization: HeaderValue::try_from(format!("Bearer {}", pc.token))
                    .expect("a JWT is a valid header value"),
                cursor: Arc::default(),
            })
            .collect()
    }

    /// Pulls once from the cursor and moves it to the answer's. Without a
    /// token (`signed_in` false) the server must refuse it (401) before
    /// any database work: the floor of the HTTP stack.
    pub async fn pull(&self, signed_in: bool) -> Pulled {
        let since = self.cursor.load(Ordering::Relaxed);
        let request = self
            .http
            .get(format!("{}/api/v1/sync/pull?since={since}&limit=100", self.base));
        if !signed_in {
            return match request.send().await {
                Ok(reply) if reply.status().as_u16() == 401 => {
                    let _ = reply.bytes().await;
                    Pulled::Answered { more: false }
                }
                _ => Pulled::Failed,
            };
        }
        let Ok(reply) = request
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await
        else {
            return Pulled::Failed;
        };
        if !reply.status().is_success() {
            return Pulled::Failed;
        }
        let Ok(page) = reply.json::<PullReply>().await else {
            return Pulled::Failed;
        };
        self.cursor.fetch_max(page.cursor, Ordering::Relaxed);
        Pulled::Answered { more: page.has_more }
    }

    /// Pulls until nothing more waits.
    pub async fn catch_up(&self) -> anyhow::Result<()> {
        loop {
            match self.pull(true).await {
                Pulled::Answered { more: true } => {}
                Pulled::Answered { more: false } => return Ok(()),
                Pulled::Failed => anyhow::bail!("a warm-up pull failed"),
            }
        }
    }
}
