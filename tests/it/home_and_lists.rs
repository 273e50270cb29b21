//! Home, section and tag pages.

use crate::common::{Story, TestApp};

#[tokio::test]
async fn demo_home_has_lead_latest_and_a_block_per_section() {
    let app = TestApp::with_demo().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    let html = &page.body;
    assert!(html.contains("<title>The Broadsheet</title>"), "site name");
    assert!(html.contains("News from China and the world"), "tagline");
    assert!(html.contains(r#"id="lead-title""#), "lead story");
    assert!(html.contains(r#"id="latest-title""#), "latest stories");
    for (slug, name) in [
        ("video", "Video"),
        ("china", "China"),
        ("world", "World"),
        ("entertainment", "Entertainment"),
        ("sports", "Sports"),
        ("lifestyle", "Lifestyle"),
    ] {
        assert!(
            html.contains(&format!(r#"<li><a href="/{slug}">{name}</a></li>"#)),
            "navigation links {name}"
        );
        assert!(
            html.contains(&format!(r#"id="block-{slug}""#)),
            "home block for {name}"
        );
    }
    // The newest demo story leads.
    assert!(html.contains("Negotiators agree to a second round of talks"));
    // Follow links come from the site settings.
    assert!(html.contains("Follow The Broadsheet on Weibo"));
}

#[tokio::test]
async fn empty_site_says_so() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No stories have been published yet."));
    let section = app.get("/world").await;
    assert_eq!(section.status, 200);
    assert!(section.body.contains("No stories in World yet."));
}

#[tokio::test]
async fn section_lists_newest_first_and_paginates_with_stable_urls() {
    let app = TestApp::new().await;
    for day in 1..=25 {
        let slug = format!("story-{day:02}");
        let title = format!("Story number {day:02}");
        let date = format!("2015-03-{day:02}T10:00:00+08:00");
        app.publish("world", &slug, &title, &date).await;
    }
    app.publish(
        "sports",
        "elsewhere",
        "A sports story",
        "2015-03-30T10:00:00+08:00",
    )
    .await;

    let first = app.get("/world").await;
    assert_eq!(first.status, 200);
    let main = first.main();
    assert_eq!(main.matches(r#"<article class="card">"#).count(), 20);
    let p25 = main.find("Story number 25").unwrap();
    let p24 = main.find("Story number 24").unwrap();
    assert!(p25 < p24, "newest first");
    assert!(!main.contains("Story number 05"), "page 1 stops at 20");
    assert!(!main.contains("A sports story"), "only this section");
    assert!(
        main.contains(r#"rel="next" href="/world?page=2""#),
        "{main}"
    );
    assert!(!main.contains(r#"rel="prev""#));

    let second = app.get("/world?page=2").await;
    assert_eq!(second.status, 200);
    let main = second.main();
    assert_eq!(main.matches(r#"<article class="card">"#).count(), 5);
    assert!(main.contains("Story number 05") && main.contains("Story number 01"));
    assert!(main.contains(r#"rel="prev" href="/world""#));
    assert!(!main.contains(r#"rel="next""#));
    assert!(
        second
            .body
            .contains(r#"<link rel="canonical" href="http://news.example/world?page=2">"#)
    );

    assert_eq!(app.get("/world?page=3").await.status, 404);
}

#[tokio::test]
async fn drafts_are_never_listed_or_shown() {
    let app = TestApp::new().await;
    app.save(Story {
        slug: "secret-draft",
        title: "Secret draft",
        status: broadsheet::content::articles::Status::Draft,
        tags: &["leaks"],
        ..Story::default()
    })
    .await;
    assert!(!app.get("/").await.body.contains("Secret draft"));
    assert!(!app.get("/world").await.body.contains("Secret draft"));
    assert!(!app.get("/tag/leaks").await.body.contains("Secret draft"));
    assert_eq!(app.get("/world/secret-draft").await.status, 404);
}

#[tokio::test]
async fn tag_pages_list_tagged_stories() {
    let app = TestApp::new().await;
    app.save(Story {
        slug: "rail-opens",
        title: "Rail opens",
        tags: &["Transport", "Rail"],
        ..Story::default()
    })
    .await;
    app.save(Story {
        section: "china",
        slug: "bus-strike",
        title: "Bus strike",
        tags: &["Transport"],
        date: "2015-03-05T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app.publish(
        "world",
        "unrelated",
        "Unrelated",
        "2015-03-06T10:00:00+08:00",
    )
    .await;

    let page = app.get("/tag/transport").await;
    assert_eq!(page.status, 200);
    let main = page.main();
    assert!(main.contains("<h1 class=\"page-title\">Transport</h1>"));
    assert!(main.contains("Rail opens") && main.contains("Bus strike"));
    assert!(!main.contains("Unrelated"));
    assert!(main.find("Bus strike").unwrap() < main.find("Rail opens").unwrap());

    assert_eq!(app.get("/tag/no-such-tag").await.status, 404);
}

#[tokio::test]
async fn comment_counts_count_exactly_the_visible_comments() {
    use broadsheet::discussion::posts::{self, NewPost, Target};
    let app = TestApp::new().await;
    broadsheet::settings::set(app.db(), "discussion.mode", "post")
        .await
        .unwrap();
    let id = app
        .publish(
            "world",
            "counted",
            "Counted story",
            "2015-03-04T10:00:00+08:00",
        )
        .await;
    let page = app.get("/world/counted").await;
    assert!(page.body.contains("Comments (0)"));
    assert!(page.body.contains("No comments."));
    assert!(
        !app.get("/world").await.body.contains("comment"),
        "no count shown for zero"
    );

    let target = Target {
        article_id: id,
        title: "Counted story",
        section_mode: None,
    };
    for (i, body) in ["One", "Two", "Three", "You idiot"].iter().enumerate() {
        let new = NewPost {
            name: &format!("Reader {i}"),
            email: None,
            body,
            parent_id: None,
            ip_hash: &format!("ip{i}"),
            address: "192.0.2.1",
        };
        posts::post_comment(app.db(), &target, &new, broadsheet::store::now_ms())
            .await
            .unwrap();
    }
    // Written straight to the database: purge as the comment form does.
    let touched = broadsheet::web::cache::tags::for_article(app.db(), id)
        .await
        .unwrap();
    app.state.invalidator.purge(&touched).await;
    let page = app.get("/world/counted").await;
    assert!(
        page.body.contains("Comments (3)"),
        "the held fourth is not counted"
    );
    assert!(!page.body.contains("No comments."));
    assert!(app.get("/world").await.body.contains("3 comments"));
    assert!(app.get("/").await.body.contains("3 comments"));
}
