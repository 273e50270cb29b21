//! The web layer: translates HTTP into calls into the areas and their results into pages.
//! It holds no rules of its own.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod chrome;
pub mod cookies;
pub mod error;
pub mod extract;
pub mod handlers;
pub mod middleware;
pub mod prefs;
pub mod proxies;
pub mod router;
pub mod site_cache;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use crate::distribution::mail::MailConfig;

use axum::Router;

use crate::store::Db;
pub use error::AppError;

/// What every handler can reach. Axum clones the state for every request and every middleware
/// that takes it, so it is one `Arc`: cloning the fields one by one (a dozen reference counts,
/// shared by both cores) took a fifth of the time of a page served from the cache.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state's contents; see [`AppState`].
#[derive(Clone)]
pub struct Shared {
    pub db: Db,
    pub views: Arc<views::Views>,
    pub assets: Arc<assets::Assets>,
    /// Public origin for absolute links, without a trailing slash.
    pub base_url: Arc<str>,
    /// Whether cookies get the `Secure` flag: the site is served over HTTPS.
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` names the client (see [`proxies`]).
    pub trusted_proxies: Arc<[proxies::Range]>,
    /// The sender and SMTP server of the site's mail.
    pub mail: Arc<MailConfig>,
    /// This node's rendered pages.
    pub cache: cache::PageCache,
    /// Purges pages here, on the other nodes and at the CDN.
    pub invalidator: cache::invalidate::Invalidator,
}

impl AppState {
    /// Builds the state; `theme` is a folder of templates overriding the built-in ones.
    pub fn new(db: Db, base_url: String, theme: Option<PathBuf>) -> anyhow::Result<AppState> {
        let assets = Arc::new(assets::Assets::load());
        let page_cache = cache::PageCache::new(cache::Limits::default());
        let views = Arc::new(views::Views::new(assets.clone(), theme)?);
        Ok(AppState(Arc::new(Shared {
            views,
            assets,
            secure_cookies: base_url.starts_with("https://"),
            trusted_proxies: Arc::from(Vec::new()),
            mail: Arc::new(MailConfig::unconfigured(&base_url)),
            cache: page_cache.clone(),
            invalidator: cache::invalidate::Invalidator::new(page_cache, db.clone()),
            db,
            base_url: base_url.into(),
        })))
    }
}

impl AppState {
    /// The same state with this page cache (e.g. [`cache::PageCache::disabled`]).
    pub fn with_cache(mut self, page_cache: cache::PageCache) -> AppState {
        let shared = Arc::make_mut(&mut self.0);
        shared.invalidator =
            cache::invalidate::Invalidator::new(page_cache.clone(), shared.db.clone());
        shared.cache = page_cache;
        self
    }

    /// The same state, calling this purge hook when pages change.
    pub fn with_purge_hook(mut self, hook: cache::hook::PurgeHook) -> AppState {
        let shared = Arc::make_mut(&mut self.0);
        shared.invalidator = shared.invalidator.clone().with_hook(hook);
        self
    }

    /// The same state, sending mail this way.
    pub fn with_mail(mut self, mail: MailConfig) -> AppState {
        Arc::make_mut(&mut self.0).mail = Arc::new(mail);
        self
    }

    /// What the background jobs need of it, on this node.
    pub fn jobs_context(&self, node: String) -> crate::jobs::runner::Context {
        crate::jobs::runner::Context {
            db: self.db.clone(),
            node,
            mail: self.mail.clone(),
            views: self.views.clone(),
            base_url: self.base_url.clone(),
            invalidator: self.invalidator.clone(),
        }
    }

    /// The same state, trusting these proxies' `X-Forwarded-For`.
    pub fn with_trusted_proxies(mut self, ranges: Vec<proxies::Range>) -> AppState {
        Arc::make_mut(&mut self.0).trusted_proxies = Arc::from(ranges);
        self
    }
}

/// The whole application: routes and the layers around them.
pub fn app(state: AppState) -> Router {
    router::routes(state)
}
