//! Static assets: content-hashed names, long-lived caching.

use crate::common::TestApp;

fn asset_url(html: &str, name_start: &str) -> String {
    let html = html.to_owned();
    let start = html
        .find(&format!("/static/{name_start}."))
        .expect("asset linked");
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_owned()
}

#[tokio::test]
async fn hashed_assets_are_immutable_for_a_year() {
    let app = TestApp::new().await;
    let home = app.get("/").await.body;
    for (name, kind) in [
        ("site", "text/css"),
        ("print", "text/css"),
        ("site", "text/javascript"),
    ] {
        let url = if kind == "text/javascript" {
            let html = home.clone();
            let start = html
                .find("/static/site.")
                .and_then(|_| html.find("<script src=\""))
                .unwrap()
                + 13;
            let end = start + html[start..].find('"').unwrap();
            html[start..end].to_owned()
        } else {
            asset_url(&home, name)
        };
        assert!(url.split('.').count() == 3, "{url} carries a hash");
        let res = app.get(&url).await;
        assert_eq!(res.status, 200, "{url}");
        assert!(res.header("content-type").starts_with(kind), "{url}");
        assert_eq!(
            res.header("cache-control"),
            "public, max-age=31536000, immutable"
        );
    }
}

#[tokio::test]
async fn plain_and_outdated_names_are_served_briefly_cached() {
    let app = TestApp::new().await;
    for url in ["/static/site.css", "/static/site.0123456789.css"] {
        let res = app.get(url).await;
        assert_eq!(res.status, 200, "{url}");
        assert_eq!(res.header("cache-control"), "public, max-age=300");
    }
    assert_eq!(app.get("/static/missing.css").await.status, 404);
    assert_eq!(app.get("/favicon.ico").await.status, 200);
}

#[tokio::test]
async fn assets_are_compressed_for_clients_that_ask() {
    let app = TestApp::new().await;
    let res = app
        .request(
            axum::http::Method::GET,
            "/static/site.css",
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(res.header("content-encoding"), "gzip");
    let res = app
        .request(axum::http::Method::GET, "/", &[("accept-encoding", "br")])
        .await;
    assert_eq!(res.header("content-encoding"), "br");
}
