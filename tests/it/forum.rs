//! The forum: boards, topics, article discussions as topics, the shared queue.

use broadsheet::accounts::users::Role;
use broadsheet::settings;
use broadsheet::store::query;

use crate::comments::{STORY, app_with, pow_payload, say};
use crate::common::{TestApp, TestResponse};

async fn start_topic(
    app: &TestApp,
    board: &str,
    title: &str,
    name: &str,
    body: &str,
) -> TestResponse {
    let payload = pow_payload(app).await;
    app.post_form(
        &format!("/forum/{board}"),
        "",
        &[
            ("title", title),
            ("name", name),
            ("body", body),
            ("altcha", &payload),
        ],
    )
    .await
}

async fn reply(app: &TestApp, path: &str, name: &str, body: &str) -> TestResponse {
    let payload = pow_payload(app).await;
    app.post_form(
        path,
        "",
        &[("name", name), ("body", body), ("altcha", &payload)],
    )
    .await
}

#[tokio::test]
async fn boards_list_topics_and_article_discussions() {
    let app = app_with("post").await;
    let forum = app.get("/forum").await;
    assert_eq!(forum.status, 200);
    assert!(
        forum
            .body
            .contains(r#"<a href="/forum/articles">Article discussions</a>"#)
    );
    assert!(
        forum
            .body
            .contains(r#"<a href="/forum/general">General</a>"#)
    );
    assert!(
        app.get("/")
            .await
            .body
            .contains(r#"<a href="/forum">Go to Forum</a>"#)
    );

    assert!(
        app.get("/forum/articles")
            .await
            .body
            .contains("No topics yet.")
    );
    say(&app, STORY, "Ann", "First!").await;
    let board = app.get("/forum/articles").await.body;
    assert!(
        board.contains(r##"<a href="/world/rail-link-opens#comments">Rail link opens</a>"##),
        "{board}"
    );
    assert!(board.contains("1 post "));
    assert!(
        !board.contains("Start a topic"),
        "readers do not start topics here"
    );

    let (thread,): (i64,) = query("select id from threads where article_id is not null")
        .fetch_one(app.db())
        .await
        .unwrap();
    let res = app.get(&format!("/forum/articles/{thread}")).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), "/world/rail-link-opens#comments");
    assert_eq!(app.get("/forum/nowhere").await.status, 404);
    assert_eq!(
        app.get(&format!("/forum/general/{thread}")).await.status,
        404,
        "not this board's topic"
    );
}

#[tokio::test]
async fn readers_start_topics_and_reply() {
    let app = app_with("post").await;
    let res = start_topic(
        &app,
        "general",
        "Night buses after the rail link?",
        "Ann",
        "Will the night buses keep running?",
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let topic = res.header("location").to_owned();
    assert!(topic.starts_with("/forum/general/"));
    let page = app.get(&topic).await.body;
    assert!(page.contains(r#"<h1 class="page-title">Night buses after the rail link?</h1>"#));
    assert!(page.contains("Will the night buses keep running?"));
    assert!(page.contains("Posts (1)"));
    assert!(page.contains(&format!(r#"action="{topic}""#)));

    let res = reply(&app, &topic, "Ben", "Yes, until 2 a.m.").await;
    assert_eq!(res.status, 303);
    let location = res.header("location");
    assert!(location.starts_with(&format!("{topic}?comment=published#c")));
    let id: i64 = location.rsplit_once("#c").unwrap().1.parse().unwrap();
    assert!(app.get(&topic).await.body.contains("Posts (2)"));
    let link = app.get(&format!("{topic}/posts/{id}")).await;
    assert_eq!(link.header("location"), format!("{topic}#c{id}"));

    let board = app.get("/forum/general").await.body;
    assert!(board.contains("Night buses after the rail link?"));
    assert!(board.contains("2 posts"));
}

#[tokio::test]
async fn topics_pass_the_same_captcha_screening_and_queue() {
    let app = app_with("first-time").await;
    app.user("mo@news.example", Role::Moderator, "moderator password")
        .await;
    let mo = app.login("mo@news.example", "moderator password").await;

    let no_captcha = app
        .post_form(
            "/forum/general",
            "",
            &[
                ("title", "A fine title"),
                ("name", "Ann"),
                ("body", "Text kept"),
            ],
        )
        .await;
    assert_eq!(no_captcha.status, 422);
    assert!(no_captcha.body.contains("Please complete the check"));
    assert!(
        no_captcha.body.contains(">Text kept</textarea>")
            && no_captcha.body.contains(r#"value="A fine title""#)
    );

    let short = start_topic(&app, "general", "Hi", "Ann", "Body kept").await;
    assert_eq!(short.status, 422);
    assert!(short.body.contains("needs a title of 5 to 150 characters"));
    assert!(short.body.contains(">Body kept</textarea>"));

    let closed_board = start_topic(&app, "articles", "Not allowed here", "Ann", "Kept too").await;
    assert_eq!(closed_board.status, 403);
    assert!(closed_board.body.contains(">Kept too</textarea>"));

    let slur = start_topic(&app, "general", "Go home chink", "Ann", "Nasty").await;
    assert_eq!(slur.status, 422, "the title is screened too");

    let held = start_topic(
        &app,
        "general",
        "My first topic here",
        "Newcomer",
        "Hello all",
    )
    .await;
    assert_eq!(held.status, 303);
    assert_eq!(
        held.header("location"),
        "/forum/general?topic=held#new-topic"
    );
    assert!(
        app.get("/forum/general?topic=held")
            .await
            .body
            .contains("awaiting moderation")
    );
    assert!(
        !app.get("/forum/general")
            .await
            .body
            .contains("My first topic here"),
        "hidden until approved"
    );

    // The same queue as comments.
    let queue = app.get_as("/admin/moderation", &mo).await.body;
    assert!(queue.contains("My first topic here") && queue.contains("Hello all"));
    let id = query("select max(id) from posts")
        .fetch_i64(app.db())
        .await
        .unwrap();
    let csrf = app.csrf_for(&mo).await;
    let res = app
        .post_form(
            &format!("/admin/moderation/posts/{id}"),
            &mo,
            &[("csrf", &csrf), ("action", "approve")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        app.get("/forum/general")
            .await
            .body
            .contains("My first topic here")
    );

    settings::set(app.db(), "discussion.mode", "closed")
        .await
        .unwrap();
    // Written straight to the database: purge as the settings page does.
    app.state
        .invalidator
        .purge(&broadsheet::web::cache::tags::site())
        .await;
    let closed = start_topic(&app, "general", "Another topic", "Ann", "Closed now").await;
    assert_eq!(closed.status, 422);
}
