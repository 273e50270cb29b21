//! Admins run the site from the browser: sections and settings.

use broadsheet::accounts::users::Role;
use broadsheet::store::query;

use crate::common::TestApp;

const PASSWORD: &str = "admin password!!";

async fn admin(app: &TestApp) -> String {
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    app.login("admin@news.example", PASSWORD).await
}

#[tokio::test]
async fn only_admins_manage_sections_and_settings() {
    let app = TestApp::new().await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let ed = app.login("ed@news.example", PASSWORD).await;
    let ad = admin(&app).await;
    for path in [
        "/admin/sections",
        "/admin/settings",
        "/admin/discussion",
        "/admin/users",
    ] {
        assert_eq!(app.get(path).await.status, 303, "{path}");
        assert_eq!(app.get_as(path, &ed).await.status, 403, "{path}");
        assert_eq!(app.get_as(path, &ad).await.status, 200, "{path}");
    }
}

#[tokio::test]
async fn sections_are_added_renamed_reordered_and_hidden() {
    let app = TestApp::new().await;
    let ad = admin(&app).await;
    let csrf = app.csrf_for(&ad).await;
    let res = app
        .post_form(
            "/admin/sections",
            &ad,
            &[("csrf", &csrf), ("new_name", "Business")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        app.get("/")
            .await
            .body
            .contains(r#"<a href="/business">Business</a>"#)
    );
    let reserved = app
        .post_form(
            "/admin/sections",
            &ad,
            &[
                ("csrf", &csrf),
                ("new_name", "Admin"),
                ("new_slug", "admin"),
            ],
        )
        .await;
    assert_eq!(reserved.status, 422);
    assert!(
        reserved
            .body
            .contains("one of the site&#x27;s own addresses")
            || reserved.body.contains("one of the site's own addresses")
    );
    assert!(reserved.body.contains(r#"value="Admin""#), "input kept");
    let dup = app
        .post_form(
            "/admin/sections",
            &ad,
            &[("csrf", &csrf), ("new_name", "World")],
        )
        .await;
    assert_eq!(dup.status, 422);

    let rows: Vec<(i64, String)> = query("select id, slug from sections")
        .fetch_all(app.db())
        .await
        .unwrap();
    let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    for (id, slug) in &rows {
        let name = if slug == "world" {
            "International".to_string()
        } else {
            slug.clone()
        };
        let position = if slug == "business" { "0" } else { "5" };
        fields.push((format!("name-{id}"), name));
        fields.push((format!("position-{id}"), position.into()));
        if slug == "video" {
            fields.push((format!("hidden-{id}"), "on".into()));
        }
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = app.post_form("/admin/sections", &ad, &borrowed).await;
    assert_eq!(res.status, 303);
    let home = app.get("/").await.body;
    assert!(home.contains(r#"<a href="/world">International</a>"#));
    assert!(!home.contains(r#"<a href="/video">"#), "hidden");
    assert!(
        home.find("/business").unwrap() < home.find("/world").unwrap(),
        "reordered"
    );
    assert_eq!(
        app.get("/video").await.status,
        200,
        "a hidden section's page still answers"
    );
}

#[tokio::test]
async fn site_settings_change_what_readers_see() {
    let app = TestApp::new().await;
    let ad = admin(&app).await;
    app.publish("world", "dated", "Dated story", "2015-03-04T20:00:00Z")
        .await;
    let csrf = app.csrf_for(&ad).await;
    let bad_zone = app
        .post_form(
            "/admin/settings",
            &ad,
            &[
                ("csrf", &csrf),
                ("name", "Paper"),
                ("timezone", "Mars/Base"),
                ("language", "en"),
                ("follow", ""),
            ],
        )
        .await;
    assert_eq!(bad_zone.status, 422);
    assert!(bad_zone.body.contains("is not a time zone"));
    assert!(bad_zone.body.contains(r#"value="Paper""#), "kept");
    let bad_link = app
        .post_form(
            "/admin/settings",
            &ad,
            &[
                ("csrf", &csrf),
                ("name", "Paper"),
                ("timezone", "UTC"),
                ("language", "en"),
                ("follow", "Evil javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(bad_link.status, 422);
    let res = app
        .post_form(
            "/admin/settings",
            &ad,
            &[
                ("csrf", &csrf),
                ("name", "The Harbour Paper"),
                ("tagline", "Local news"),
                ("timezone", "Asia/Shanghai"),
                ("language", "en"),
                (
                    "follow",
                    "Weibo https://weibo.com/harbour\nX https://x.com/harbour",
                ),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = app.get("/world/dated").await.body;
    assert!(page.contains("<title>Dated story | The Harbour Paper</title>"));
    assert!(page.contains("March 5, 2015"), "dates in the new zone");
    assert!(page.contains("Follow The Harbour Paper on Weibo"));
}
