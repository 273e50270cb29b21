//! The article page: everything the portal's article page shows, and safety of what it prints.

use crate::common::{Story, TestApp};
use broadsheet::settings::{self, FollowLink};

async fn app_with_story() -> TestApp {
    let app = TestApp::new().await;
    settings::set(app.db(), settings::NAME, "Daily Test")
        .await
        .unwrap();
    settings::set(app.db(), settings::TIMEZONE, "Asia/Shanghai")
        .await
        .unwrap();
    settings::set_follow(
        app.db(),
        &[FollowLink {
            network: "Weibo".into(),
            url: "https://weibo.com/dailytest".into(),
        }],
    )
    .await
    .unwrap();
    app.save(Story {
        section: "china",
        slug: "rail-link-opens",
        title: "Rail link opens",
        summary: "Two cities, one hour.",
        body: "The line opens **on Monday**.\n\n## Tickets\n\nOn sale now.",
        source: "CNTV",
        byline: "Li Wei",
        // 20:00 UTC on March 3 is March 4 in Beijing.
        date: "2015-03-03T20:00:00Z",
        tags: &["Transport", "Rail"],
        ..Story::default()
    })
    .await;
    app.publish(
        "china",
        "older-story",
        "An older China story",
        "2015-03-01T10:00:00+08:00",
    )
    .await;
    app.publish(
        "world",
        "world-story",
        "A World story",
        "2015-03-02T10:00:00+08:00",
    )
    .await;
    app
}

#[tokio::test]
async fn shows_headline_source_date_byline_and_body() {
    let app = app_with_story().await;
    let page = app.get("/china/rail-link-opens").await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert!(html.contains("<title>Rail link opens | Daily Test</title>"));
    assert!(html.contains(r#"<h1 id="story-title" class="story-title">Rail link opens</h1>"#));
    assert!(html.contains(
        r#"<span class="source">CNTV</span>, <time datetime="2015-03-04T04:00:00+08:00">March 4, 2015</time>"#
    ), "source and date in the site's zone");
    assert!(html.contains(r#"<p class="byline">By Li Wei</p>"#));
    assert!(html.contains("<strong>on Monday</strong>"));
    assert!(html.contains("<h2>Tickets</h2>"));
    assert!(
        html.contains(r#"<link rel="canonical" href="http://news.example/china/rail-link-opens">"#)
    );
    assert!(
        html.contains(r#"<a href="/china" aria-current="true">China</a>"#),
        "section marked in nav"
    );
}

#[tokio::test]
async fn has_the_reader_tools() {
    let app = app_with_story().await;
    let html = app.get("/china/rail-link-opens").await.body;
    // Comment count linking to the comments area, and the empty state.
    assert!(html.contains(r##"<a class="tool" href="#comments">Comments (0)</a>"##));
    assert!(html.contains(r#"<section id="comments""#));
    assert!(html.contains("No comments."));
    // Print page.
    assert!(html.contains(r#"href="/china/rail-link-opens/print""#));
    // E-mail: a mailto link with the headline and URL; we never relay mail.
    assert!(html.contains(
        "href=\"mailto:?subject=Rail%20link%20opens&amp;body=Rail%20link%20opens%0A%0Ahttp%3A//news.example/china/rail-link-opens\""
    ), "{html}");
    // Text size: links that work without JavaScript.
    assert!(html.contains(r#"href="?fs=2" data-fs-delta="-1">A&minus;<span class="visually-hidden"> smaller text</span></a>"#));
    assert!(html.contains(
        r#"href="?fs=4" data-fs-delta="1">A+<span class="visually-hidden"> larger text</span></a>"#
    ));
    // Bookmark and share: plain links, no scripts from the networks.
    assert!(html.contains(r#"rel="bookmark""#));
    for host in [
        "https://service.weibo.com/share/share.php?url=http%3A//news.example/china/rail-link-opens",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://x.com/intent/post?url=",
        "https://www.linkedin.com/sharing/share-offsite/?url=",
    ] {
        assert!(html.contains(host), "share link {host}");
    }
    // Follow links from the settings.
    assert!(html.contains(
        r#"<a href="https://weibo.com/dailytest" rel="noopener">Follow Daily Test on Weibo</a>"#
    ));
    // Tags.
    assert!(html.contains(r#"<a href="/tag/transport" rel="tag">Transport</a>"#));
    // Related: the same section only.
    let related = &html[html.find("related-title").unwrap()..];
    assert!(related.contains("An older China story"));
    assert!(!related.contains("A World story"));
}

#[tokio::test]
async fn makes_no_third_party_requests() {
    let app = app_with_story().await;
    for path in [
        "/",
        "/china",
        "/china/rail-link-opens",
        "/china/rail-link-opens/print",
        "/tag/rail",
    ] {
        let html = app.get(path).await.body;
        for attr in [
            " src=\"",
            "<link rel=\"stylesheet\" href=\"",
            "<link rel=\"icon\" href=\"",
        ] {
            for (i, _) in html.match_indices(attr) {
                let value = &html[i + attr.len()..];
                assert!(
                    value.starts_with('/'),
                    "{path}: resource from elsewhere: {}",
                    &value[..value.len().min(60)]
                );
            }
        }
        assert!(!html.contains("<iframe"), "{path}");
    }
}

#[tokio::test]
async fn print_page_has_the_story_without_navigation() {
    let app = app_with_story().await;
    let page = app.get("/china/rail-link-opens/print").await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert!(html.contains("Rail link opens"));
    assert!(html.contains("<strong>on Monday</strong>"));
    assert!(html.contains("March 4, 2015"));
    assert!(
        !html.contains(r#"class="sections""#),
        "no section navigation"
    );
    assert!(!html.contains("site-footer"), "no footer");
    assert!(!html.contains("Article tools"), "no tools");
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(html.contains("From Daily Test: http://news.example/china/rail-link-opens"));
    // The print stylesheet applies on screen too.
    assert!(html.contains(r#"<link rel="canonical" href="http://news.example/china/rail-link-opens"><link rel="stylesheet" href="/static/print."#));
}

#[tokio::test]
async fn everything_a_writer_types_is_escaped_or_sanitised() {
    let app = TestApp::new().await;
    app.save(Story {
        slug: "escaping",
        title: r#"<script>alert("t")</script> & "quotes""#,
        summary: "<img src=x onerror=alert(1)>",
        source: "<b>Wire</b>",
        byline: "</p><script>alert(2)</script>",
        body: "Hello <script>alert(3)</script> <a href=\"javascript:alert(4)\">x</a>\n\n<iframe src=\"https://evil.example\"></iframe>",
        tags: &["<i>tag</i>"],
        ..Story::default()
    })
    .await;
    for path in ["/world/escaping", "/world/escaping/print", "/world", "/"] {
        let html = app.get(path).await.body;
        assert!(!html.contains("<script>alert"), "{path}: script survived");
        assert!(
            !html.contains("<img src=x onerror"),
            "{path}: handler survived"
        );
        assert!(!html.contains("<i>tag</i>"), "{path}: markup in a tag");
        assert!(
            !html.contains("javascript:"),
            "{path}: javascript: link survived"
        );
        assert!(!html.contains("<iframe"), "{path}: iframe survived");
        assert!(!html.contains("<b>Wire</b>"), "{path}: markup in source");
    }
    let html = app.get("/world/escaping").await.body;
    assert!(
        html.contains("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;")
    );
}

#[tokio::test]
async fn chinese_stories_are_marked_as_chinese() {
    let app = TestApp::new().await;
    settings::set(app.db(), settings::LANGUAGE, "en")
        .await
        .unwrap();
    app.publish(
        "china",
        "外交部-欢迎对话",
        "外交部：欢迎对话",
        "2015-03-04T10:00:00+08:00",
    )
    .await;
    let page = app
        .get("/china/%E5%A4%96%E4%BA%A4%E9%83%A8-%E6%AC%A2%E8%BF%8E%E5%AF%B9%E8%AF%9D")
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(r#"<article class="story" aria-labelledby="story-title" lang="zh">"#)
    );
    let home = app.get("/").await.body;
    assert!(home.contains(r#"class="lead-title" lang="zh""#));
}

#[tokio::test]
async fn text_size_from_query_sets_a_cookie_and_the_cookie_is_honoured() {
    let app = app_with_story().await;
    let page = app.get("/china/rail-link-opens?fs=5").await;
    assert!(page.body.contains(r#"<html lang="en" class="fs-5">"#));
    assert!(
        page.header("set-cookie")
            .starts_with("fs=5; Path=/; Max-Age=31536000")
    );
    assert!(
        page.body
            .contains(r#"href="?fs=5" data-fs-delta="1" aria-disabled="true">A+"#)
    );

    let later = app
        .request(
            axum::http::Method::GET,
            "/world",
            &[("cookie", "theme=x; fs=1")],
        )
        .await;
    assert!(
        later.body.contains(r#"class="fs-1""#),
        "size carries across pages"
    );
    assert!(later.header("set-cookie").is_empty());

    let bad = app.get("/china/rail-link-opens?fs=42").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains(r#"class="fs-3""#));
    assert!(bad.header("set-cookie").is_empty());
}

#[tokio::test]
async fn security_headers_are_set() {
    let app = app_with_story().await;
    let page = app.get("/china/rail-link-opens").await;
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn article_main_snapshot() {
    let app = app_with_story().await;
    // The word image's token is random; the snapshot shows the proof-of-work form.
    settings::set(app.db(), "captcha.mode", "pow")
        .await
        .unwrap();
    let page = app.get("/china/rail-link-opens").await;
    insta::assert_snapshot!(page.main());
}
