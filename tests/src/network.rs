//! A switchable TCP path between the desktop app and the server: `down()`
//! closes every connection and refuses new ones, as when a clinic's
//! network or server fails; `up()` restores it.

use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;

#[derive(Debug)]
pub struct Switch {
    pub port: u16,
    target: String,
    online: watch::Sender<bool>,
    acceptor: Mutex<Option<JoinHandle<()>>>,
}

impl Switch {
    /// Starts forwarding a free local port to `target` (host:port).
    pub async fn start(target: &str) -> Arc<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (online, _) = watch::channel(true);
        let switch = Arc::new(Self {
            port,
            target: target.to_owned(),
            online,
            acceptor: Mutex::new(None),
        });
        switch.accept_on(listener).await;
        switch
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn accept_on(self: &Arc<Self>, listener: TcpListener) {
        let (target, mut stop, template) = (
            self.target.clone(),
            self.online.subscribe(),
            self.online.subscribe(),
        );
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((inbound, _)) = accepted else { continue };
                        let (target, mut online) = (target.clone(), template.clone());
                        tokio::spawn(async move {
                            let Ok(outbound) = TcpStream::connect(&target).await else { return };
                            let (mut a, mut b) = (inbound, outbound);
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut a, &mut b) => {}
                                _ = online.wait_for(|up| !*up) => {}
                            }
                        });
                    }
                    _ = stop.wait_for(|up| !*up) => return,
                }
            }
        });
        *self.acceptor.lock().await = Some(task);
    }

    /// Cuts every connection and refuses new ones (the port is closed).
    pub async fn down(self: &Arc<Self>) {
        self.online.send_replace(false);
        if let Some(task) = self.acceptor.lock().await.take() {
            let _ = task.await;
        }
    }

    /// Listens on the same port again.
    pub async fn up(self: &Arc<Self>) {
        self.online.send_replace(true);
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("rebind the same port");
        self.accept_on(listener).await;
    }
}
