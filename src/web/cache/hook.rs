//! The purge hook: when pages change, a configured URL is called with the tags to drop, so a
//! CDN in front (Fastly, Cloudflare, Varnish, or a small relay to any of them) drops exactly
//! those pages.
//!
//! `POST <url>` with `{"tags": ["article:42", "section:world", "home"]}` and, when configured,
//! `Authorization: Bearer <token>`. Purges are queued and sent by a background task: a hook
//! that is slow or down never slows or fails a request. When the queue is full (the hook has
//! been down a while), purges are dropped and logged; the CDN's `s-maxage` bounds the staleness.

use std::time::Duration;

use tokio::sync::mpsc;

/// Purges waiting to be sent, at most.
const QUEUE: usize = 1024;
/// One call to the hook may take this long.
const TIMEOUT: Duration = Duration::from_secs(5);

pub struct PurgeHook {
    queue: mpsc::Sender<Vec<String>>,
}

impl PurgeHook {
    /// Starts the sender. `token` is a secret: it goes in a header, never in logs.
    pub fn start(url: String, token: Option<String>) -> Result<PurgeHook, String> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| format!("cannot make the purge hook's HTTP client: {e}"))?;
        reqwest::Url::parse(&url).map_err(|e| format!("the purge hook URL is not usable: {e}"))?;
        let (queue, mut waiting) = mpsc::channel::<Vec<String>>(QUEUE);
        tokio::spawn(async move {
            while let Some(mut tags) = waiting.recv().await {
                // Send what has piled up in one call.
                while let Ok(more) = waiting.try_recv() {
                    tags.extend(more);
                    if tags.len() > 500 {
                        break;
                    }
                }
                tags.sort();
                tags.dedup();
                let mut request = client.post(&url).json(&serde_json::json!({ "tags": tags }));
                if let Some(token) = &token {
                    request = request.bearer_auth(token);
                }
                match request.send().await {
                    Ok(r) if r.status().is_success() => {}
                    Ok(r) => tracing::warn!(status = %r.status(), "the purge hook refused a purge"),
                    Err(e) => {
                        tracing::warn!(error = %e.without_url(), "cannot reach the purge hook")
                    }
                }
            }
        });
        Ok(PurgeHook { queue })
    }

    /// Queues a purge without waiting.
    pub fn send(&self, tags: Vec<String>) {
        if self.queue.try_send(tags).is_err() {
            tracing::warn!("the purge hook is behind; a purge was dropped");
        }
    }
}
