//! Feeds, sitemaps, robots.txt and what search engines read on article pages.

use broadsheet::content::articles::Status;
use broadsheet::store::now_ms;

use crate::common::{Story, TestApp};

async fn app_with_stories() -> TestApp {
    let app = TestApp::new().await;
    app.save(Story {
        slug: "older",
        title: "Older story",
        summary: "First.",
        tags: &["rail"],
        date: "2015-03-01T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app.save(Story {
        slug: "newer",
        title: "Newer <story> & co",
        summary: "Second.",
        byline: "Li Wei",
        date: "2015-03-02T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app.save(Story {
        section: "china",
        slug: "china-story",
        title: "China story",
        tags: &["rail"],
        date: "2015-03-03T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app.save(Story {
        slug: "secret",
        title: "Draft story",
        status: Status::Draft,
        ..Story::default()
    })
    .await;
    app
}

#[tokio::test]
async fn rss_and_atom_for_the_site_sections_and_tags() {
    let app = app_with_stories().await;
    let res = app.get("/feed.rss").await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("content-type"),
        "application/rss+xml; charset=utf-8"
    );
    let channel = rss::Channel::read_from(res.body.as_bytes()).unwrap();
    let titles: Vec<_> = channel
        .items
        .iter()
        .map(|i| i.title.clone().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["China story", "Newer <story> & co", "Older story"],
        "newest first, no drafts"
    );
    assert_eq!(
        channel.items[1].link.as_deref(),
        Some("http://news.example/world/newer")
    );
    assert!(
        channel.items[1]
            .guid
            .as_ref()
            .unwrap()
            .value
            .starts_with("tag:news.example,2026:article-")
    );

    let atom = app.get("/feed.atom").await;
    assert_eq!(
        atom.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    let feed = atom_syndication::Feed::read_from(atom.body.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 3);
    assert_eq!(feed.entries[1].authors[0].name, "Li Wei");

    let world = rss::Channel::read_from(app.get("/world/feed.rss").await.body.as_bytes()).unwrap();
    assert_eq!(world.items.len(), 2);
    let tagged =
        atom_syndication::Feed::read_from(app.get("/tag/rail/feed.atom").await.body.as_bytes())
            .unwrap();
    let tagged: Vec<_> = tagged
        .entries
        .iter()
        .map(|e| e.title.value.clone())
        .collect();
    assert_eq!(tagged, ["China story", "Older story"]);
    assert_eq!(app.get("/nowhere/feed.rss").await.status, 404);
    assert_eq!(app.get("/tag/nothing/feed.atom").await.status, 404);
}

#[tokio::test]
async fn pages_announce_their_feeds() {
    let app = app_with_stories().await;
    let home = app.get("/").await.body;
    assert!(home.contains(r#"<link rel="alternate" type="application/rss+xml" title="Broadsheet (RSS)" href="http://news.example/feed.rss">"#));
    let section = app.get("/world").await.body;
    assert!(section.contains(r#"href="http://news.example/world/feed.atom""#));
    assert!(section.contains(r#"href="http://news.example/feed.rss""#));
    let tag = app.get("/tag/rail").await.body;
    assert!(tag.contains(r#"href="http://news.example/tag/rail/feed.rss""#));
}

#[tokio::test]
async fn sitemaps_and_robots() {
    let app = app_with_stories().await;
    // One story from within the last two days for the news sitemap.
    let recent = broadsheet::content::dates::display(
        now_ms() - 3_600_000,
        &broadsheet::content::dates::zone("UTC"),
    )
    .iso;
    app.save(Story {
        slug: "fresh",
        title: "Fresh story",
        date: &recent,
        ..Story::default()
    })
    .await;

    let index = app.get("/sitemap.xml").await;
    assert_eq!(
        index.header("content-type"),
        "application/xml; charset=utf-8"
    );
    assert!(
        index
            .body
            .contains("<loc>http://news.example/sitemaps/articles-1.xml</loc>")
    );
    assert!(
        index
            .body
            .contains("<loc>http://news.example/sitemaps/pages.xml</loc>")
    );
    let articles = app.get("/sitemaps/articles-1.xml").await.body;
    assert!(articles.contains("<loc>http://news.example/world/newer</loc>"));
    assert!(!articles.contains("secret"), "no drafts");
    assert_eq!(app.get("/sitemaps/articles-2.xml").await.status, 404);
    assert_eq!(app.get("/sitemaps/articles-0.xml").await.status, 404);
    assert_eq!(app.get("/sitemaps/other.xml").await.status, 404);
    assert!(
        app.get("/sitemaps/pages.xml")
            .await
            .body
            .contains("<loc>http://news.example/world</loc>")
    );

    let news = app.get("/news-sitemap.xml").await.body;
    assert!(news.contains("xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\""));
    assert!(news.contains("<news:title>Fresh story</news:title>"));
    assert!(!news.contains("Older story"), "only the last 48 hours");

    let robots = app.get("/robots.txt").await;
    assert!(robots.header("content-type").starts_with("text/plain"));
    assert!(
        robots
            .body
            .contains("Sitemap: http://news.example/sitemap.xml")
    );
    assert!(robots.body.contains("Disallow: /admin/"));
}

#[tokio::test]
async fn article_pages_carry_open_graph_and_news_article_data() {
    let app = TestApp::new().await;
    app.save(Story {
        slug: "tricky",
        title: "Ends </script><script>alert(1)</script>",
        summary: "Summary here.",
        byline: "Li Wei",
        ..Story::default()
    })
    .await;
    let html = app.get("/world/tricky").await.body;
    assert!(html.contains(r#"<meta property="og:type" content="article">"#));
    assert!(
        html.contains(r#"<meta property="og:url" content="http://news.example/world/tricky">"#)
    );
    assert!(html.contains(r#"<meta name="twitter:card" content="summary">"#));
    let start = html.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let json: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(json["@type"], "NewsArticle");
    assert_eq!(json["headline"], "Ends </script><script>alert(1)</script>");
    assert_eq!(json["author"][0]["name"], "Li Wei");
    assert_eq!(json["articleSection"], "World");
    assert_eq!(json["datePublished"], "2015-03-04T02:00:00+00:00");
    assert!(
        !html.contains("<script>alert(1)"),
        "the JSON cannot end its script element"
    );
}
