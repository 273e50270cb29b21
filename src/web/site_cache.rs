//! What every page needs and almost never changes — the site's settings, its sections, the
//! CAPTCHA's mode and key, the discussion mode and word lists — read once per process and kept until a change
//! purges the `site` tag, which drops it on every node together with the cached pages (see
//! [`super::cache::invalidate`]). Without it an article page made eleven queries, seven of
//! them for these.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::captcha::config::{self as captcha_config, CaptchaConfig};
use crate::content::sections::{self, Section};
use crate::discussion::posts::Standing;
use crate::discussion::screening::WordList;
use crate::settings::{self, SiteSettings};
use crate::store::Db;

#[derive(Debug)]
pub struct SiteSnapshot {
    pub site: SiteSettings,
    /// Visible sections, in navigation order.
    pub nav: Vec<Section>,
    pub captcha: CaptchaConfig,
    /// The site-wide moderation mode as stored (sections may override it).
    pub discussion_mode: Option<String>,
    /// The screening's word lists (dropped by the `screening` purge too).
    pub words: Arc<WordList>,
}

/// Shared by clones.
#[derive(Clone, Default)]
pub struct SiteCache {
    current: Arc<RwLock<Option<Arc<SiteSnapshot>>>>,
    /// Bumped by every clear, so that a snapshot read while a change was being made is not kept.
    generation: Arc<AtomicU64>,
}

impl SiteSnapshot {
    /// What the screening of a post follows.
    pub fn standing(&self) -> Standing<'_> {
        Standing {
            site_mode: self.discussion_mode.as_deref(),
            words: self.words.clone(),
        }
    }
}

impl SiteCache {
    pub async fn get(&self, db: &Db) -> Result<Arc<SiteSnapshot>, sqlx::Error> {
        if let Some(snapshot) = self.current.read().ok().and_then(|c| c.clone()) {
            return Ok(snapshot);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let snapshot = Arc::new(SiteSnapshot {
            site: settings::load(db).await?,
            nav: sections::list_visible(db).await?,
            captcha: captcha_config::load(db).await?,
            discussion_mode: settings::get(db, crate::discussion::posts::MODE_SETTING).await?,
            words: Arc::new(crate::discussion::posts::word_list(db).await?),
        });
        if let Ok(mut current) = self.current.write()
            && self.generation.load(Ordering::SeqCst) == generation
        {
            *current = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    /// Forgets the snapshot; the next request reads the database again.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut current) = self.current.write() {
            *current = None;
        }
    }
}
