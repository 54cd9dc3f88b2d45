//! A switchable TCP path between the desktop app and the server: `down()`
//! cuts every connection and turns new ones away, as when a clinic's
//! network or server fails; `up()` restores it.
//!
//! The listening port stays bound for the switch's whole life. Closing it
//! while "down" let the kernel hand the free port to another socket (a
//! parallel test's listener or any outgoing connection's source port), and
//! `up()` then failed with "address in use".

use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug)]
pub struct Switch {
    pub port: u16,
    online: watch::Sender<bool>,
    acceptor: JoinHandle<()>,
}

impl Drop for Switch {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

impl Switch {
    /// Starts forwarding a free local port to `target` (host:port).
    pub async fn start(target: &str) -> Arc<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (online, _) = watch::channel(true);
        let acceptor = tokio::spawn(forward(listener, target.to_owned(), online.subscribe()));
        Arc::new(Self {
            port,
            online,
            acceptor,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Cuts every connection; new ones are closed as soon as they arrive,
    /// so a request fails at once as it would against a dead server.
    pub async fn down(self: &Arc<Self>) {
        self.online.send_replace(false);
    }

    /// Forwards new connections again.
    pub async fn up(self: &Arc<Self>) {
        self.online.send_replace(true);
    }
}

/// Accepts for ever; each connection is piped to `target` while the switch
/// is up and dropped when it goes (or already is) down.
async fn forward(listener: TcpListener, target: String, online: watch::Receiver<bool>) {
    loop {
        let Ok((inbound, _)) = listener.accept().await else {
            continue;
        };
        let (target, mut online) = (target.clone(), online.clone());
        tokio::spawn(async move {
            if !*online.borrow_and_update() {
                return;
            }
            let Ok(outbound) = TcpStream::connect(&target).await else {
                return;
            };
            let (mut a, mut b) = (inbound, outbound);
            tokio::select! {
                _ = tokio::io::copy_bidirectional(&mut a, &mut b) => {}
                _ = online.wait_for(|up| !*up) => {}
            }
        });
    }
}
