//! Purging: this node's cache at once, every other node's through PostgreSQL `NOTIFY`, and a
//! CDN's through the optional purge hook.
//!
//! Each node `LISTEN`s on one channel; a purge is one `pg_notify` carrying the tags, which
//! PostgreSQL delivers to every listening node when the purging transaction has committed
//! (within milliseconds). A node whose listening connection drops may have missed purges, so it
//! empties its cache when it reconnects. On SQLite there is one node, and nothing to tell.

use std::sync::Arc;
use std::time::Duration;

use super::{PageCache, SITE};
use crate::store::{Db, query};

/// The PostgreSQL channel purges travel on.
pub const CHANNEL: &str = "broadsheet_cache";
/// `pg_notify` payloads are limited to 8,000 bytes; longer lists are sent in pieces.
const MAX_PAYLOAD: usize = 7_000;

/// Where purges go. Cloning shares it.
#[derive(Clone)]
pub struct Invalidator {
    pub cache: PageCache,
    db: Db,
    hook: Option<Arc<super::hook::PurgeHook>>,
}

impl Invalidator {
    pub fn new(cache: PageCache, db: Db) -> Invalidator {
        Invalidator {
            cache,
            db,
            hook: None,
        }
    }

    pub fn with_hook(mut self, hook: super::hook::PurgeHook) -> Invalidator {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Drops every cached page carrying one of `tags`, here and on every node, and asks the
    /// CDN to do the same. Never fails the caller: a purge that cannot be sent is logged, and
    /// the pages' age limit bounds how long another node may show them.
    pub async fn purge(&self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        self.cache.purge(tags);
        if let Db::Postgres(_) = self.db {
            for chunk in payloads(tags) {
                let sent = query("select pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(chunk)
                    .execute(&self.db)
                    .await;
                if let Err(e) = sent {
                    tracing::warn!(error = %e, "cannot tell the other nodes to purge");
                }
            }
        }
        if let Some(hook) = &self.hook {
            hook.send(tags.to_vec());
        }
    }

    /// Listens for other nodes' purges until the process ends (PostgreSQL only).
    pub async fn listen(self) {
        let Db::Postgres(pool) = &self.db else {
            return;
        };
        loop {
            let subscribed = async {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen(CHANNEL).await?;
                Ok::<_, sqlx::Error>(listener)
            };
            let mut listener = match subscribed.await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for purges; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            // Whatever was purged while we were not listening is unknown: start afresh.
            self.cache.purge(&[SITE.to_owned()]);
            loop {
                match listener.try_recv().await {
                    Ok(Some(note)) => {
                        let tags: Vec<String> =
                            note.payload().split(' ').map(str::to_owned).collect();
                        self.cache.purge(&tags);
                    }
                    // The connection dropped and came back: purges may have been missed.
                    Ok(None) => {
                        self.cache.purge(&[SITE.to_owned()]);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "lost the purge channel; reconnecting");
                        break;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Space-separated tag lists, each short enough for one notification.
fn payloads(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for tag in tags {
        if !current.is_empty() && current.len() + 1 + tag.len() > MAX_PAYLOAD {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(tag);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::payloads;

    #[test]
    fn long_tag_lists_are_split_under_the_payload_limit() {
        let tags: Vec<String> = (0..3000).map(|i| format!("article:{i}")).collect();
        let parts = payloads(&tags);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.len() <= super::MAX_PAYLOAD));
        let back: Vec<&str> = parts.iter().flat_map(|p| p.split(' ')).collect();
        assert_eq!(back.len(), 3000);
        assert_eq!(payloads(&["home".into()]), vec!["home".to_string()]);
    }
}
