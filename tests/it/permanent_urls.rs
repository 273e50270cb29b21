//! Permanent URLs: once published, an article's address keeps working.

use crate::common::{Story, TestApp};
use broadsheet::content::articles;

#[tokio::test]
async fn a_changed_slug_redirects_permanently() {
    let app = TestApp::new().await;
    let id = app
        .publish(
            "world",
            "first-slug",
            "A story",
            "2015-03-04T10:00:00+08:00",
        )
        .await;
    articles::change_slug(app.db(), id, "second-slug")
        .await
        .unwrap();
    articles::change_slug(app.db(), id, "third-slug")
        .await
        .unwrap();

    for old in ["/world/first-slug", "/world/second-slug"] {
        let page = app.get(old).await;
        assert_eq!(page.status, 301, "{old}");
        assert_eq!(page.header("location"), "/world/third-slug");
        let print = app.get(&format!("{old}/print")).await;
        assert_eq!(print.status, 301);
        assert_eq!(print.header("location"), "/world/third-slug/print");
    }
    assert_eq!(app.get("/world/third-slug").await.status, 200);
}

#[tokio::test]
async fn a_slug_clash_is_a_clear_error() {
    let app = TestApp::new().await;
    app.publish("world", "taken", "Taken", "2015-03-04T10:00:00+08:00")
        .await;
    let id = app
        .publish("world", "other", "Other", "2015-03-04T10:00:00+08:00")
        .await;
    let err = articles::change_slug(app.db(), id, "taken")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already uses the slug"), "{err}");
    assert_eq!(app.get("/world/other").await.status, 200);
}

#[tokio::test]
async fn a_section_change_redirects_permanently() {
    let app = TestApp::new().await;
    app.publish(
        "world",
        "moving",
        "Moving story",
        "2015-03-04T10:00:00+08:00",
    )
    .await;
    // Saving the same slug under another section moves the article.
    app.save(Story {
        section: "china",
        slug: "moving",
        title: "Moving story",
        ..Story::default()
    })
    .await;
    let page = app.get("/world/moving").await;
    assert_eq!(page.status, 301);
    assert_eq!(page.header("location"), "/china/moving");
    assert_eq!(app.get("/china/moving").await.status, 200);
}

#[tokio::test]
async fn a_known_slug_under_the_wrong_section_redirects() {
    let app = TestApp::new().await;
    app.publish(
        "sports",
        "cup-final",
        "Cup final",
        "2015-03-04T10:00:00+08:00",
    )
    .await;
    let page = app.get("/world/cup-final").await;
    assert_eq!(page.status, 301);
    assert_eq!(page.header("location"), "/sports/cup-final");
}

#[tokio::test]
async fn chinese_slugs_redirect_with_an_encoded_location() {
    let app = TestApp::new().await;
    let id = app
        .publish("china", "外交", "外交新闻", "2015-03-04T10:00:00+08:00")
        .await;
    articles::change_slug(app.db(), id, "外交部").await.unwrap();
    let page = app.get("/china/%E5%A4%96%E4%BA%A4").await;
    assert_eq!(page.status, 301);
    assert_eq!(
        page.header("location"),
        "/china/%E5%A4%96%E4%BA%A4%E9%83%A8"
    );
}

#[tokio::test]
async fn drafts_leave_no_redirects() {
    let app = TestApp::new().await;
    let id = app
        .save(Story {
            slug: "draft-one",
            status: articles::Status::Draft,
            ..Story::default()
        })
        .await;
    articles::change_slug(app.db(), id, "draft-two")
        .await
        .unwrap();
    assert_eq!(app.get("/world/draft-one").await.status, 404);
}
