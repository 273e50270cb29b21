//! Sitemaps (an index, paginated article sitemaps, a Google News sitemap of the last two days)
//! and robots.txt. XML is written with quick-xml's event writer, which escapes every text.

use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::content::dates;
use crate::store::{Db, query};

/// URLs per article sitemap (the protocol allows 50,000).
pub const PER_SITEMAP: i64 = 10_000;
/// A Google News sitemap lists the last two days.
pub const NEWS_WINDOW_MS: i64 = 48 * 3_600_000;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

struct Xml(Writer<Cursor<Vec<u8>>>);

impl Xml {
    fn new() -> Xml {
        let mut w = Writer::new(Cursor::new(Vec::new()));
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        Xml(w)
    }
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let mut start = BytesStart::new(name);
        for a in attrs {
            start.push_attribute(*a);
        }
        let _ = self.0.write_event(Event::Start(start));
    }
    fn close(&mut self, name: &str) {
        let _ = self.0.write_event(Event::End(BytesEnd::new(name)));
    }
    fn leaf(&mut self, name: &str, text: &str) {
        self.open(name, &[]);
        let _ = self.0.write_event(Event::Text(BytesText::new(text)));
        self.close(name);
    }
    fn finish(self) -> String {
        String::from_utf8(self.0.into_inner().into_inner()).unwrap_or_default()
    }
}

fn iso(ms: i64) -> String {
    dates::display(ms, &dates::zone("UTC")).iso
}

pub async fn published_count(db: &Db) -> Result<i64, sqlx::Error> {
    query("select count(*) from articles where status = 'published'")
        .fetch_i64(db)
        .await
}

/// The index: the pages sitemap and one sitemap per 10,000 articles.
pub fn index(base: &str, articles: i64) -> String {
    let mut x = Xml::new();
    x.open("sitemapindex", &[("xmlns", SITEMAP_NS)]);
    x.open("sitemap", &[]);
    x.leaf("loc", &format!("{base}/sitemaps/pages.xml"));
    x.close("sitemap");
    let pages = (articles + PER_SITEMAP - 1) / PER_SITEMAP;
    for n in 1..=pages.max(1) {
        x.open("sitemap", &[]);
        x.leaf("loc", &format!("{base}/sitemaps/articles-{n}.xml"));
        x.close("sitemap");
    }
    x.close("sitemapindex");
    x.finish()
}

/// The home page, the sections and the forum.
pub async fn pages(db: &Db, base: &str) -> Result<String, sqlx::Error> {
    let sections: Vec<(String,)> =
        query("select slug from sections where hidden = false order by position")
            .fetch_all(db)
            .await?;
    let mut x = Xml::new();
    x.open("urlset", &[("xmlns", SITEMAP_NS)]);
    for path in std::iter::once("/".to_owned())
        .chain(sections.into_iter().map(|(s,)| format!("/{s}")))
        .chain(std::iter::once("/forum".to_owned()))
    {
        x.open("url", &[]);
        x.leaf("loc", &format!("{base}{path}"));
        x.leaf("changefreq", "hourly");
        x.close("url");
    }
    x.close("urlset");
    Ok(x.finish())
}

#[derive(sqlx::FromRow)]
struct Entry {
    section_slug: String,
    slug: String,
    updated_at: i64,
}

/// Articles `(n-1)*10,000 + 1 …`, oldest first so that pages stay stable as news arrives.
pub async fn articles(db: &Db, base: &str, n: i64) -> Result<Option<String>, sqlx::Error> {
    let rows: Vec<Entry> = query(
        "select s.slug as section_slug, a.slug, a.updated_at
         from articles a join sections s on s.id = a.section_id
         where a.status = 'published' order by a.id limit $1 offset $2",
    )
    .bind(PER_SITEMAP)
    .bind((n - 1).saturating_mul(PER_SITEMAP))
    .fetch_all(db)
    .await?;
    if rows.is_empty() && n > 1 {
        return Ok(None);
    }
    let mut x = Xml::new();
    x.open("urlset", &[("xmlns", SITEMAP_NS)]);
    for r in rows {
        x.open("url", &[]);
        x.leaf("loc", &format!("{base}/{}/{}", r.section_slug, r.slug));
        x.leaf("lastmod", &iso(r.updated_at));
        x.close("url");
    }
    x.close("urlset");
    Ok(Some(x.finish()))
}

#[derive(sqlx::FromRow)]
struct NewsEntry {
    section_slug: String,
    slug: String,
    title: String,
    published_at: i64,
}

/// The Google News sitemap: stories published in the last 48 hours.
pub async fn news(
    db: &Db,
    base: &str,
    site_name: &str,
    language: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let rows: Vec<NewsEntry> = query(
        "select s.slug as section_slug, a.slug, a.title, a.published_at
         from articles a join sections s on s.id = a.section_id
         where a.status = 'published' and a.published_at > $1
         order by a.published_at desc limit 1000",
    )
    .bind(now - NEWS_WINDOW_MS)
    .fetch_all(db)
    .await?;
    let mut x = Xml::new();
    x.open("urlset", &[("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)]);
    for r in rows {
        x.open("url", &[]);
        x.leaf("loc", &format!("{base}/{}/{}", r.section_slug, r.slug));
        x.open("news:news", &[]);
        x.open("news:publication", &[]);
        x.leaf("news:name", site_name);
        x.leaf("news:language", language);
        x.close("news:publication");
        x.leaf("news:publication_date", &iso(r.published_at));
        x.leaf("news:title", &r.title);
        x.close("news:news");
        x.close("url");
    }
    x.close("urlset");
    Ok(x.finish())
}

pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /captcha/\nDisallow: /posts/\n\nSitemap: {base}/sitemap.xml\nSitemap: {base}/news-sitemap.xml\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_lists_one_sitemap_per_ten_thousand_articles() {
        let xml = index("https://n.example", 25_000);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<loc>https://n.example/sitemaps/articles-3.xml</loc>"));
        assert!(!xml.contains("articles-4.xml"));
        assert!(index("https://n.example", 0).contains("articles-1.xml"));
    }
}
