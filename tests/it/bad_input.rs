//! Bad input gets a proper 4xx page, never a 5xx.

use axum::http::Method;

use crate::common::TestApp;

#[tokio::test]
async fn unknown_pages_get_a_helpful_404() {
    let app = TestApp::with_demo().await;
    for path in [
        "/no-such-section",
        "/world/no-such-story",
        "/world/no-such-story/print",
        "/a/b/c/d",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{path}"
        );
        let html = &page.body;
        assert!(html.contains("Page not found"), "{path}");
        assert!(html.contains(r#"data-error-code="not_found""#), "{path}");
        assert!(
            html.contains(r#"<a href="/world">World</a>"#),
            "{path}: sections to go to"
        );
        assert!(html.contains("Latest stories"), "{path}: latest stories");
        assert!(html.contains("Negotiators agree"), "{path}");
    }
}

#[tokio::test]
async fn bad_page_numbers_are_refused_clearly() {
    let app = TestApp::with_demo().await;
    for (query, status) in [
        ("page=abc", 400),
        ("page=0", 400),
        ("page=-1", 400),
        ("page=99999999999999999999999", 400),
        ("page=1.5", 400),
        ("page=999999", 404),
        ("page=9223372036854775807", 404),
    ] {
        let page = app.get(&format!("/world?{query}")).await;
        assert_eq!(page.status, status, "{query}");
        assert!(page.body.contains("<main"), "{query}: the site's page");
        let tag = app.get(&format!("/tag/rail?{query}")).await;
        assert_eq!(tag.status, status, "tag {query}");
    }
    let page = app.get("/world?page=abc").await;
    assert!(
        page.body.contains("must be a whole number"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn overlong_addresses_get_414() {
    let app = TestApp::new().await;
    let long_query = format!("/world?q={}", "x".repeat(5000));
    let page = app.get(&long_query).await;
    assert_eq!(page.status, 414);
    assert!(page.body.contains("too long"));
    let long_path = format!("/{}", "a".repeat(5000));
    assert_eq!(app.get(&long_path).await.status, 414);
}

#[tokio::test]
async fn malformed_urls_never_cause_a_server_error() {
    let app = TestApp::with_demo().await;
    for path in [
        "/%FF",
        "/world/%FF%FE",
        "/tag/%C0%AF",
        "/%00",
        "/world/%00/print",
        "/..%2F..%2Fetc%2Fpasswd",
        "/static/..%2FCargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "//",
        "/world//",
        "/world/?page=%FF",
        "/world?page=%00",
        "/world?page=1&page=2",
        "/?fs=%FF",
        "/tag/",
        "/world/x/print/extra",
    ] {
        let page = app.get(path).await;
        assert!(
            page.status.is_client_error()
                || page.status.is_success()
                || page.status.is_redirection(),
            "{path} gave {}",
            page.status
        );
        if page.status.is_client_error() {
            assert!(page.body.contains("<main"), "{path}: error page");
        }
    }
    for path in ["/%FF", "/%00", "/world/a%00b", "/world?page=%00"] {
        assert_eq!(app.get(path).await.status, 400, "{path}");
    }
}

#[tokio::test]
async fn wrong_methods_get_405_not_500() {
    let app = TestApp::new().await;
    let page = app.request(Method::POST, "/", &[]).await;
    assert_eq!(page.status, 405);
    assert!(page.body.contains("<main"));
    let page = app.request(Method::DELETE, "/world", &[]).await;
    assert_eq!(page.status, 405);
}
