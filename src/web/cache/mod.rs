//! The rendered-page cache: whole responses for anonymous readers, kept compressed (gzip and
//! brotli) beside the plain bytes, found by URL and text size, and dropped by tag.
//!
//! A handler opts a response in by attaching [`CacheTags`] — `article:42`, `section:world`,
//! `home`, and `site` on every page (the site's name and sections are in every page's chrome).
//! When something changes, the code that changed it purges its tags through
//! [`invalidate::Invalidator`], which also tells the other nodes and an optional CDN.
//!
//! What is never cached: anything but a `200` to a `GET`; a response that sets a cookie; any
//! request carrying a staff session; a response without tags (forms with a reader's error,
//! staff pages, the CAPTCHA). A test holds the cache to this.

pub mod hook;
pub mod invalidate;
pub mod serve;
pub mod staff;
pub mod tags;

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::http::HeaderValue;

/// Tags a response carries into the cache (and out to CDNs as `Surrogate-Key` / `Cache-Tag`).
#[derive(Debug, Clone, Default)]
pub struct CacheTags(pub Vec<String>);

impl CacheTags {
    /// `site` plus the given tags.
    pub fn new<I: IntoIterator<Item = String>>(tags: I) -> CacheTags {
        let mut all = vec![SITE.to_owned()];
        all.extend(tags);
        all.dedup();
        CacheTags(all)
    }
}

/// On every cached page: purging it empties the cache (settings, sections, CAPTCHA mode).
pub const SITE: &str = "site";
/// Home page, site feeds and sitemaps: whatever lists the newest stories.
pub const HOME: &str = "home";
/// On no page: the screening's word lists, which each process keeps with the site's settings.
pub const SCREENING: &str = "screening";

pub fn article_tag(id: i64) -> String {
    format!("article:{id}")
}

pub fn section_tag(slug: &str) -> String {
    format!("section:{slug}")
}

pub fn tag_tag(slug: &str) -> String {
    format!("tag:{slug}")
}

/// A cached response.
#[derive(Debug)]
pub struct Entry {
    pub content_type: HeaderValue,
    pub identity: Bytes,
    pub gzip: Bytes,
    pub br: Bytes,
    /// Weak: the same for every encoding of the page.
    pub etag: HeaderValue,
    pub last_modified: HeaderValue,
    pub modified_at: SystemTime,
    pub surrogate_key: HeaderValue,
    pub cache_tag: HeaderValue,
    pub tags: Vec<String>,
    stored_at: Instant,
}

impl Entry {
    /// Compresses and describes a page. Compression runs once per page version, not per hit.
    pub fn build(content_type: HeaderValue, body: Bytes, tags: Vec<String>) -> Entry {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let gzip = gz
            .write_all(&body)
            .and_then(|()| gz.finish())
            .unwrap_or_default();
        let mut br = Vec::new();
        {
            // Quality 11 takes ~15 ms for an article page, paid again after every purge;
            // 9 is several times faster for a few per cent more bytes.
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            let _ = brotli::BrotliCompress(&mut &body[..], &mut br, &params);
        }
        let etag = format!("W/\"{}\"", &crate::privacy::sha256_bytes_hex(&body)[..20]);
        let modified_at = SystemTime::now();
        let header = |text: String| HeaderValue::from_str(&text).ok();
        Entry {
            content_type,
            gzip: Bytes::from(gzip),
            br: Bytes::from(br),
            identity: body,
            etag: header(etag).unwrap_or(HeaderValue::from_static("W/\"0\"")),
            last_modified: header(httpdate::fmt_http_date(modified_at))
                .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT")),
            modified_at,
            // Tags are ours (slugs are ASCII); a value that isn't a header is left out.
            surrogate_key: header(tags.join(" ")).unwrap_or(HeaderValue::from_static("site")),
            cache_tag: header(tags.join(",")).unwrap_or(HeaderValue::from_static("site")),
            tags,
            stored_at: Instant::now(),
        }
    }

    pub fn weight(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.br.len()
    }
}

/// Limits of one node's cache.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    /// A safety net: tags drop pages when they change; this bounds what no tag names (say, a
    /// related-stories link to a story retitled since).
    pub max_age: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            max_age: Duration::from_secs(600),
        }
    }
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Arc<Entry>>,
    by_tag: HashMap<String, HashSet<String>>,
    /// Keys, oldest first, for eviction when full.
    order: VecDeque<String>,
    bytes: usize,
}

impl Inner {
    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.bytes = self.bytes.saturating_sub(entry.weight());
            for tag in &entry.tags {
                if let Some(keys) = self.by_tag.get_mut(tag) {
                    keys.remove(key);
                    if keys.is_empty() {
                        self.by_tag.remove(tag);
                    }
                }
            }
        }
    }
}

/// One node's page cache. Cloning shares it.
#[derive(Clone)]
pub struct PageCache {
    inner: Arc<RwLock<Inner>>,
    limits: Limits,
    enabled: bool,
    /// Settings, sections and keys, dropped with every `site` purge (kept even when pages
    /// are not: they are not pages).
    pub site: crate::web::site_cache::SiteCache,
}

impl PageCache {
    pub fn new(limits: Limits) -> PageCache {
        PageCache {
            inner: Arc::default(),
            limits,
            enabled: true,
            site: Default::default(),
        }
    }

    /// A cache that stores nothing (`serve --no-page-cache`, and benchmarks of rendering).
    pub fn disabled() -> PageCache {
        PageCache {
            enabled: false,
            ..PageCache::new(Limits::default())
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn get(&self, key: &str) -> Option<Arc<Entry>> {
        if !self.enabled {
            return None;
        }
        let inner = self.inner.read().ok()?;
        let entry = inner.entries.get(key)?;
        (entry.stored_at.elapsed() < self.limits.max_age).then(|| entry.clone())
    }

    pub fn put(&self, key: String, entry: Arc<Entry>) {
        if !self.enabled || entry.weight() > self.limits.max_bytes / 4 {
            return;
        }
        let Ok(mut inner) = self.inner.write() else {
            return;
        };
        inner.remove(&key);
        while inner.bytes + entry.weight() > self.limits.max_bytes {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            inner.remove(&oldest);
        }
        for tag in &entry.tags {
            inner
                .by_tag
                .entry(tag.clone())
                .or_default()
                .insert(key.clone());
        }
        inner.bytes += entry.weight();
        inner.order.push_back(key.clone());
        inner.entries.insert(key, entry);
        // Keys purged by tag stay in `order` until they come round; keep it from growing
        // without bound when pages are purged far more often than the cache fills.
        if inner.order.len() > 4 * inner.entries.len() + 1024 {
            let live: HashSet<String> = inner.entries.keys().cloned().collect();
            inner.order.retain(|k| live.contains(k));
        }
    }

    /// Drops every page carrying any of `tags`; returns how many.
    pub fn purge(&self, tags: &[String]) -> usize {
        let everything = tags.iter().any(|t| t == SITE);
        if everything || tags.iter().any(|t| t == SCREENING) {
            self.site.clear();
        }
        let Ok(mut inner) = self.inner.write() else {
            return 0;
        };
        if everything {
            let n = inner.entries.len();
            *inner = Inner::default();
            return n;
        }
        let keys: HashSet<String> = tags
            .iter()
            .filter_map(|t| inner.by_tag.get(t))
            .flatten()
            .cloned()
            .collect();
        for key in &keys {
            inner.remove(key);
        }
        keys.len()
    }

    /// Pages held now.
    pub fn len(&self) -> usize {
        self.inner.read().map(|i| i.entries.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tags: &[&str], size: usize) -> Arc<Entry> {
        Arc::new(Entry::build(
            HeaderValue::from_static("text/html"),
            Bytes::from(vec![b'a'; size]),
            tags.iter().map(|t| t.to_string()).collect(),
        ))
    }

    #[test]
    fn purging_a_tag_drops_only_its_pages() {
        let cache = PageCache::new(Limits::default());
        cache.put(
            "/world/a".into(),
            entry(&["site", "article:1", "section:world"], 10),
        );
        cache.put("/world".into(), entry(&["site", "section:world"], 10));
        cache.put("/china/b".into(), entry(&["site", "article:2"], 10));
        assert_eq!(cache.purge(&["article:1".into()]), 1);
        assert!(cache.get("/world/a").is_none());
        assert!(cache.get("/world").is_some() && cache.get("/china/b").is_some());
        assert_eq!(cache.purge(&["section:world".into(), "nothing".into()]), 1);
        assert!(cache.get("/china/b").is_some());
        assert_eq!(
            cache.purge(&[SCREENING.into()]),
            0,
            "word lists are on no page"
        );
        assert_eq!(cache.purge(&[SITE.into()]), 1);
        assert!(cache.is_empty());
    }

    #[test]
    fn a_full_cache_drops_the_oldest_pages() {
        let cache = PageCache::new(Limits {
            max_bytes: 4000,
            max_age: Duration::from_secs(60),
        });
        for i in 0..10 {
            cache.put(format!("/p{i}"), entry(&["site"], 600));
        }
        assert!(cache.get("/p0").is_none(), "the oldest went first");
        assert!(cache.get("/p9").is_some());
        let held = cache.inner.read().unwrap().bytes;
        assert!(held <= 4000, "{held}");
    }

    #[test]
    fn old_pages_are_not_served() {
        let cache = PageCache::new(Limits {
            max_bytes: 1 << 20,
            max_age: Duration::ZERO,
        });
        cache.put("/".into(), entry(&["site"], 10));
        assert!(cache.get("/").is_none());
    }

    #[test]
    fn compressed_copies_decompress_to_the_page() {
        use std::io::Read;
        let page = entry(&["site"], 5000);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&page.gzip[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, page.identity);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &page.br[..], &mut out).unwrap();
        assert_eq!(out, page.identity);
        assert!(page.gzip.len() < 200 && page.br.len() < 200);
        assert!(page.etag.to_str().unwrap().starts_with("W/\""));
    }
}
