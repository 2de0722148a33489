//! Shares hosted by a long-running process (the dashboard's `S` in the QR
//! pane): one loopback server, started on the first share and kept for the
//! process's life, serving every share opened since.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use super::live::{self, LiveEvent, Source};
use super::state::Shares;
use super::token::Token;
use super::{listen, server};
use crate::i18n::Lang;

/// How long a link from the dashboard works (as `wadash share`'s default).
pub const DASHBOARD_SHARE_FOR: Duration = Duration::from_secs(15 * 60);

#[derive(Clone, Default)]
pub struct ShareHost {
    shares: Arc<Shares>,
    /// The server's base URL, once it listens.
    base: Arc<OnceCell<String>>,
}

impl ShareHost {
    /// Open a share of `source`'s code for `valid`; its link, or why not.
    pub async fn open(
        &self,
        source: Source,
        lang: Lang,
        valid: Duration,
    ) -> Result<String, String> {
        let base = self.base.get_or_try_init(|| self.listen()).await?;
        let token = Token::generate()?;
        let now = Instant::now();
        let ends_at = now + valid;
        self.shares
            .open(token.clone(), &source.label, lang, ends_at, now);
        let url = listen::link(base, &token);
        let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(live::run(source, self.shares.clone(), token, ends_at, tx));
        // Nobody watches a dashboard share's events; the log keeps the ends.
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                match event {
                    LiveEvent::Failed(e) => tracing::warn!("share ended: {e}"),
                    LiveEvent::Linked { .. } => tracing::info!("share: linked"),
                    LiveEvent::Expired => tracing::info!("share: expired"),
                    LiveEvent::Code { .. } | LiveEvent::Warning(_) => {}
                }
            }
        });
        Ok(url)
    }

    async fn listen(&self) -> Result<String, String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("cannot start the share server: {e}"))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot start the share server: {e}"))?;
        let shares = self.shares.clone();
        tokio::spawn(async move {
            if let Err(e) = server::serve(listener, shares, std::future::pending()).await {
                tracing::warn!("the share server stopped: {e}");
            }
        });
        listen::base_url(None, local)
    }
}
