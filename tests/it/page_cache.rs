//! The rendered-page cache and the HTTP caching headers: what is kept, for whom, and exactly
//! what a change drops — on one node and across two nodes on one PostgreSQL database.

use std::io::Read;
use std::time::Duration;

use axum::http::Method;

use broadsheet::accounts::users::Role;
use broadsheet::store::query;

use crate::comments::{STORY, app_with, say};
use crate::common::{TestApp, TestResponse};

const PASSWORD: &str = "page cache test password";

async fn id_of(app: &TestApp, slug: &str) -> i64 {
    let (id,): (i64,) = query("select id from articles where slug = $1")
        .bind(slug)
        .fetch_one(app.db())
        .await
        .unwrap();
    id
}

async fn get_with(app: &TestApp, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
    app.request(Method::GET, uri, headers).await
}

/// The response's encoding and its bytes as sent.
async fn raw(app: &TestApp, uri: &str, accept_encoding: &str) -> (String, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app
        .router
        .clone()
        .oneshot(
            axum::http::Request::get(uri)
                .header("accept-encoding", accept_encoding)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let encoding = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (encoding, bytes.to_vec())
}

async fn correct(app: &TestApp, cookie: &str, id: i64, text: &str) {
    let csrf = app.csrf_for(cookie).await;
    let res = app
        .post_form(
            &format!("/admin/articles/{id}/corrections"),
            cookie,
            &[("csrf", &csrf), ("correction", text)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
}

#[tokio::test]
async fn readers_get_cached_pages_with_validators_and_cdn_tags() {
    let app = app_with("post").await;
    let id = id_of(&app, "rail-link-opens").await;

    let first = app.get(STORY).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-cache"), "MISS");
    let second = app.get(STORY).await;
    assert_eq!(second.header("x-cache"), "HIT");
    assert_eq!(second.body, first.body, "the same page");

    let cc = second.header("cache-control");
    assert!(
        cc.contains("public") && cc.contains("s-maxage=") && cc.contains("stale-while-revalidate="),
        "{cc}"
    );
    let keys = second.header("surrogate-key");
    assert!(
        keys.split(' ').any(|k| k == format!("article:{id}")),
        "{keys}"
    );
    assert!(keys.split(' ').any(|k| k == "site"));
    assert!(
        second
            .header("cache-tag")
            .contains(&format!("article:{id}"))
    );
    assert_eq!(second.header("vary"), "Accept-Encoding");
    assert!(!second.header("last-modified").is_empty());
    let etag = second.header("etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");

    // Revalidation: 304 with no body, by ETag or by date.
    let again = get_with(&app, STORY, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), etag);
    let since = second.header("last-modified").to_owned();
    assert_eq!(
        get_with(&app, STORY, &[("if-modified-since", &since)])
            .await
            .status,
        304
    );
    assert_eq!(
        get_with(&app, STORY, &[("if-none-match", "W/\"something-else\"")])
            .await
            .status,
        200
    );

    // Kept compressed: brotli and gzip decode to the very page.
    let (enc, br) = raw(&app, STORY, "gzip, deflate, br").await;
    assert_eq!(enc, "br");
    let mut page = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut page).unwrap();
    assert_eq!(
        String::from_utf8(page).unwrap().replace("&#x2f;", "/"),
        first.body
    );
    let (enc, gz) = raw(&app, STORY, "gzip").await;
    assert_eq!(enc, "gzip");
    let mut page = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut page)
        .unwrap();
    assert_eq!(page.replace("&#x2f;", "/"), first.body);

    // Text size is part of the key: a reader at size 5 gets size 5.
    let big = get_with(&app, STORY, &[("cookie", "fs=5")]).await;
    assert!(big.body.contains(r#"class="fs-5""#));
    assert!(app.get(STORY).await.body.contains(r#"class="fs-3""#));
}

#[tokio::test]
async fn a_change_drops_exactly_the_pages_that_show_it() {
    let app = app_with("post").await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let ed = app.login("ed@news.example", PASSWORD).await;
    let rail = id_of(&app, "rail-link-opens").await;
    let pages = [
        "/",
        "/world",
        "/china",
        STORY,
        "/china/other-story",
        "/feed.rss",
    ];
    for page in pages {
        app.get(page).await;
        assert_eq!(app.get(page).await.header("x-cache"), "HIT", "{page}");
    }

    correct(&app, &ed, rail, "An earlier version misnamed the line.").await;
    let story = app.get(STORY).await;
    assert_eq!(story.header("x-cache"), "MISS");
    assert!(story.body.contains("misnamed the line"));
    assert_eq!(app.get("/world").await.header("x-cache"), "MISS");
    assert_eq!(app.get("/").await.header("x-cache"), "MISS");
    assert_eq!(app.get("/feed.rss").await.header("x-cache"), "MISS");
    assert_eq!(
        app.get("/china/other-story").await.header("x-cache"),
        "HIT",
        "another story's page is left alone"
    );
    assert_eq!(app.get("/china").await.header("x-cache"), "HIT");

    // A comment that appears at once drops the story's page (and the counts in lists).
    for page in pages {
        app.get(page).await;
    }
    let posted = say(&app, STORY, "Ann", "Well reported.").await;
    assert_eq!(posted.status, 303);
    let story = app.get(STORY).await;
    assert_eq!(story.header("x-cache"), "MISS");
    assert!(story.body.contains("Well reported."));
    assert_eq!(app.get("/china/other-story").await.header("x-cache"), "HIT");

    // A site setting changes every page's chrome: everything goes.
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    let admin = app.login("admin@news.example", PASSWORD).await;
    let csrf = app.csrf_for(&admin).await;
    let res = app
        .post_form(
            "/admin/settings",
            &admin,
            &[
                ("csrf", &csrf),
                ("name", "The Evening Paper"),
                ("tagline", ""),
                ("timezone", "UTC"),
                ("language", "en"),
                ("follow", ""),
            ],
        )
        .await;
    assert!(res.status.is_redirection(), "{}: {}", res.status, res.body);
    let other = app.get("/china/other-story").await;
    assert_eq!(other.header("x-cache"), "MISS");
    assert!(other.body.contains("The Evening Paper"));
}

#[tokio::test]
async fn one_readers_private_page_is_never_served_to_another() {
    let app = app_with("post").await;
    app.get(STORY).await;

    // A refused comment comes back with the reader's text and their own word challenge…
    let refused = app
        .post_form(
            &format!("{STORY}/comments"),
            "",
            &[
                ("name", "Ann"),
                ("body", "My private draft text"),
                ("altcha", "forged"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("My private draft text"));
    assert_eq!(refused.header("x-cache"), "");
    // …and nobody else ever sees it.
    let next = app.get(STORY).await;
    assert!(!next.body.contains("My private draft text"));
    assert!(
        !next.body.contains("captcha_token"),
        "no one reader's challenge in a shared page"
    );

    // Staff bypass the cache both ways: they neither get nor leave cached pages.
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let ed = app.login("ed@news.example", PASSWORD).await;
    let staff_view = app.get_as(STORY, &ed).await;
    assert_eq!(staff_view.header("x-cache"), "");
    let admin_page = app.get_as("/admin", &ed).await;
    assert_eq!(admin_page.header("x-cache"), "");
    assert!(admin_page.header("cache-control").contains("no-store"));

    // Pages that differ per reader or per request are never tagged, so never kept.
    for uri in ["/search?q=rail", "/newsletter", "/submit", "/admin/login"] {
        let page = app.get(uri).await;
        assert_eq!(page.header("x-cache"), "", "{uri}");
        assert_eq!(app.get(uri).await.header("x-cache"), "", "{uri}");
    }
    // The word image for readers without JavaScript is new every time.
    let image = app.get("/captcha/words.png").await;
    assert_eq!(image.header("cache-control"), "no-store");
    assert_eq!(image.header("x-cache"), "");
    // A response that sets a cookie is not kept (the cookie is one reader's).
    let sized = app.get("/?fs=4").await;
    assert!(sized.header("set-cookie").starts_with("fs=4"));
    let sized_again = app.get("/?fs=4").await;
    assert!(sized_again.body.contains(r#"class="fs-4""#));
}

#[tokio::test]
async fn a_purge_hook_hears_the_tags_and_a_dead_one_harms_nothing() {
    use std::sync::{Arc, Mutex};

    // A tiny CDN stand-in that records what it is told to purge.
    let heard: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let record = heard.clone();
    let cdn = axum::Router::new().route(
        "/purge",
        axum::routing::post(move |body: axum::Json<serde_json::Value>| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(body.0);
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, cdn).await });

    let app = app_with("post").await;
    let hooked = broadsheet::web::cache::hook::PurgeHook::start(
        format!("http://127.0.0.1:{port}/purge"),
        Some("secret-token".into()),
    )
    .unwrap();
    let invalidator = app.state.invalidator.clone().with_hook(hooked);
    let rail = id_of(&app, "rail-link-opens").await;
    let tags = broadsheet::web::cache::tags::for_article(app.db(), rail)
        .await
        .unwrap();
    invalidator.purge(&tags).await;
    let mut got = Vec::new();
    for _ in 0..100 {
        got = heard.lock().unwrap().clone();
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(got.len(), 1, "{got:?}");
    let sent: Vec<String> = serde_json::from_value(got[0]["tags"].clone()).unwrap();
    assert!(sent.contains(&format!("article:{rail}")));
    assert!(sent.contains(&"section:world".to_string()) && sent.contains(&"home".to_string()));

    // A hook nobody answers: purging still returns at once and the page still changes.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!(
        "http://127.0.0.1:{}/purge",
        closed.local_addr().unwrap().port()
    );
    drop(closed);
    let dead_hook = broadsheet::web::cache::hook::PurgeHook::start(dead, None).unwrap();
    let invalidator = app.state.invalidator.clone().with_hook(dead_hook);
    app.get(STORY).await;
    let started = std::time::Instant::now();
    for _ in 0..50 {
        invalidator.purge(&tags).await;
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "purges wait for nobody"
    );
    assert_eq!(app.get(STORY).await.header("x-cache"), "MISS");
}

/// Two nodes (each its own pool, cache and listener) on one PostgreSQL database: a change made
/// through one reaches the other's cache within a second. SQLite has one node; skipped there.
#[tokio::test]
async fn a_purge_on_one_node_reaches_the_other_within_a_second() {
    let node_a = app_with("post").await;
    let broadsheet::store::Db::Postgres(_) = node_a.db() else {
        return;
    };
    let db_b = broadsheet::store::connect(&node_a.test_db.url)
        .await
        .unwrap();
    let state_b =
        broadsheet::web::AppState::new(db_b, crate::common::BASE_URL.into(), None).unwrap();
    let router_b = broadsheet::web::app(state_b.clone());
    tokio::spawn(node_a.state.invalidator.clone().listen());
    tokio::spawn(state_b.invalidator.clone().listen());
    // Give both listeners time to subscribe (they empty their caches when they do).
    tokio::time::sleep(Duration::from_millis(500)).await;

    let get_b = |uri: &'static str| {
        let router = router_b.clone();
        async move {
            use tower::ServiceExt;
            let response = router
                .oneshot(
                    axum::http::Request::get(uri)
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let cache = response
                .headers()
                .get("x-cache")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (cache, response)
        }
    };
    get_b(STORY).await;
    assert_eq!(get_b(STORY).await.0, "HIT");
    assert_eq!(get_b("/china/other-story").await.0, "MISS");
    assert_eq!(get_b("/china/other-story").await.0, "HIT");

    // A reader comments through node A.
    assert_eq!(
        say(&node_a, STORY, "Ann", "Seen from node A.").await.status,
        303
    );
    let started = std::time::Instant::now();
    loop {
        if get_b(STORY).await.0 == "MISS" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "node B still serves the old page after a second"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        get_b("/china/other-story").await.0,
        "HIT",
        "node B dropped only what changed"
    );
}
