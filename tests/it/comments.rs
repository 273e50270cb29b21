//! Reader comments: the form, CAPTCHA, screening, moderation modes, threads and pages.

use broadsheet::captcha::{pow, words};
use broadsheet::settings;
use broadsheet::store::query;

use crate::common::{TestApp, TestResponse, set_cookie_value};

pub const STORY: &str = "/world/rail-link-opens";

pub async fn app_with(mode: &str) -> TestApp {
    let app = TestApp::new().await;
    settings::set(app.db(), "discussion.mode", mode)
        .await
        .unwrap();
    // Easy proof of work, so the tests solve it quickly.
    settings::set(app.db(), "captcha.pow_max_number", "500")
        .await
        .unwrap();
    app.publish(
        "world",
        "rail-link-opens",
        "Rail link opens",
        "2015-03-04T10:00:00+08:00",
    )
    .await;
    app.publish(
        "china",
        "other-story",
        "Other story",
        "2015-03-05T10:00:00+08:00",
    )
    .await;
    app
}

pub async fn pow_payload(app: &TestApp) -> String {
    let res = app.get("/api/v1/captcha/challenge").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("cache-control"), "no-store");
    let challenge: pow::Challenge = serde_json::from_str(&res.body).unwrap();
    pow::solve(&challenge).unwrap()
}

pub async fn comment(app: &TestApp, story: &str, fields: &[(&str, &str)]) -> TestResponse {
    let payload = pow_payload(app).await;
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("altcha", &payload));
    app.post_form(&format!("{story}/comments"), "", &all).await
}

pub async fn say(app: &TestApp, story: &str, name: &str, body: &str) -> TestResponse {
    comment(app, story, &[("name", name), ("body", body)]).await
}

pub fn new_id(res: &TestResponse) -> i64 {
    let location = res.header("location");
    location.rsplit_once("#c").unwrap().1.parse().unwrap()
}

#[tokio::test]
async fn the_form_has_everything_the_portal_shows() {
    let app = app_with("post").await;
    let html = app.get(STORY).await.body;
    assert!(html.contains("No comments."));
    assert!(html.contains("Add your comments"));
    assert!(html.contains(r#"<label for="comment-name">User Name</label>"#));
    assert!(html.contains(r#"<label for="comment-body">Your Comment</label>"#));
    assert!(html.contains(r#"<label for="comment-email">E-mail"#));
    assert!(html.contains(r#"<label for="captcha-answer">Enter the words you see</label>"#));
    assert!(html.contains(r#"data-altcha="/api/v1/captcha/challenge""#));
    assert!(
        html.contains("Racist, abusive and off-topic comments may be removed by the moderator.")
    );
}

#[tokio::test]
async fn a_published_comment_appears_and_is_counted_everywhere() {
    let app = app_with("post").await;
    let res = comment(
        &app,
        STORY,
        &[
            ("name", "Li Wei"),
            ("email", "li.wei@mail.example"),
            (
                "body",
                "Great news for commuters.\n\nSee https://rail.example/map",
            ),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(
        res.header("location")
            .starts_with("/world/rail-link-opens?comment=published#c")
    );
    let id = new_id(&res);

    let page = app.get(&format!("{STORY}?comment=published")).await.body;
    assert!(page.contains("Thank you: your comment is published."));
    assert!(page.contains(&format!(r#"<li id="c{id}" class="comment depth-0">"#)));
    assert!(page.contains(r#"<strong class="comment-author">Li Wei</strong>"#));
    assert!(page.contains("<p>Great news for commuters.</p>"));
    assert!(page.contains(r#"<a href="https://rail.example/map" rel="nofollow ugc noopener">"#));
    assert!(page.contains("Comments (1)"));
    assert!(!page.contains("No comments."));
    for path in ["/", "/world", STORY] {
        assert!(
            !app.get(path).await.body.contains("li.wei@mail.example"),
            "e-mail never shown on {path}"
        );
    }
    assert!(app.get("/world").await.body.contains("1 comment<"));

    // The permalink leads to it.
    let link = app.get(&format!("{STORY}/comments/{id}")).await;
    assert_eq!(link.status, 303);
    assert_eq!(link.header("location"), format!("{STORY}#c{id}"));
}

#[tokio::test]
async fn first_time_names_wait_for_a_moderator() {
    let app = app_with("first-time").await;
    let res = say(&app, STORY, "Newcomer", "Hello, first time here.").await;
    assert_eq!(res.status, 303);
    assert_eq!(
        res.header("location"),
        format!("{STORY}?comment=held#comment-form")
    );
    let page = app.get(&format!("{STORY}?comment=held")).await.body;
    assert!(page.contains("Your comment is awaiting moderation"));
    assert!(
        !page.contains("Hello, first time here."),
        "held comments are not shown"
    );
    assert!(page.contains("Comments (0)"));

    // Once a moderator has let one through, the name's next comments go straight up.
    query("update posts set status = 'published' where author_name = 'Newcomer'")
        .execute(app.db())
        .await
        .unwrap();
    let res = say(&app, STORY, "Newcomer", "Thanks for approving me.").await;
    assert!(res.header("location").contains("comment=published"));
}

#[tokio::test]
async fn pre_moderation_holds_everything_and_closed_refuses_with_the_text_kept() {
    let app = app_with("pre").await;
    assert!(
        say(&app, STORY, "Ann", "Looks good.")
            .await
            .header("location")
            .contains("comment=held")
    );

    settings::set(app.db(), "discussion.mode", "closed")
        .await
        .unwrap();
    // Changed behind the admin pages' back: purge as they would.
    app.state
        .invalidator
        .purge(&broadsheet::web::cache::tags::site())
        .await;
    let page = app.get(STORY).await.body;
    assert!(page.contains("Comments are closed for this story."));
    let res = say(&app, STORY, "Ann", "Can I still comment?").await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Comments are closed for this story."));

    // A section can differ from the site.
    settings::set(app.db(), "discussion.mode", "pre")
        .await
        .unwrap();
    query("update sections set moderation_mode = 'post' where slug = 'world'")
        .execute(app.db())
        .await
        .unwrap();
    assert!(
        say(&app, STORY, "Ann", "World is post-moderated.")
            .await
            .header("location")
            .contains("comment=published")
    );
}

#[tokio::test]
async fn refused_comments_keep_everything_the_reader_typed() {
    let app = app_with("post").await;
    let long = "长".repeat(5001);
    for (name, body, email, expect) in [
        (
            "",
            "A comment without a name",
            "",
            "Please give a user name.",
        ),
        ("Ann", "   ", "", "Please write a comment."),
        ("Ann", long.as_str(), "", "at most 5000 characters"),
        ("Ann", "Fine text", "not-an-email", "does not look right"),
    ] {
        let res = comment(
            &app,
            STORY,
            &[("name", name), ("body", body), ("email", email)],
        )
        .await;
        assert_eq!(res.status, 422, "{expect}");
        assert!(
            res.body.contains(expect),
            "{expect}: {}",
            &res.body[..res.body.len().min(300)]
        );
        assert!(res.body.contains(r#"role="alert""#));
        if !body.trim().is_empty() {
            assert!(
                res.body.contains(&format!(">{body}</textarea>")),
                "text kept for {expect}"
            );
        }
        assert!(res.body.contains(&format!(
            r#"name="name" required maxlength="60" autocomplete="nickname" value="{name}""#
        )));
        assert!(res.body.contains(&format!(r#"value="{email}">"#)));
    }
}

#[tokio::test]
async fn the_captcha_is_required_single_use_and_unforgeable() {
    let app = app_with("post").await;
    let missing = app
        .post_form(
            &format!("{STORY}/comments"),
            "",
            &[("name", "Bot"), ("body", "spam spam")],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert!(
        missing
            .body
            .contains("Please complete the check that you are human.")
    );
    assert!(missing.body.contains(">spam spam</textarea>"));

    let forged = app
        .post_form(
            &format!("{STORY}/comments"),
            "",
            &[
                ("name", "Bot"),
                ("body", "x"),
                ("altcha", "eyJhbGdvcml0aG0iOiJTSEEtMjU2In0="),
            ],
        )
        .await;
    assert_eq!(forged.status, 422);

    let payload = pow_payload(&app).await;
    let first = app
        .post_form(
            &format!("{STORY}/comments"),
            "",
            &[("name", "Ann"), ("body", "First"), ("altcha", &payload)],
        )
        .await;
    assert_eq!(first.status, 303);
    let replay = app
        .post_form(
            &format!("{STORY}/comments"),
            "",
            &[("name", "Ann"), ("body", "Second"), ("altcha", &payload)],
        )
        .await;
    assert_eq!(replay.status, 422);
    assert!(replay.body.contains("already been used"));
}

#[tokio::test]
async fn readers_without_javascript_type_the_words_in_the_image() {
    let app = app_with("post").await;
    // The article page is the same for every reader (it is cached): its image hands the
    // challenge's token to the browser in a cookie.
    let page = app.get(STORY).await;
    assert!(page.body.contains(r#"src="/captcha/words.png""#));
    assert!(!page.body.contains("captcha_token"));
    let image = app.get("/captcha/words.png").await;
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), "image/png");
    assert_eq!(image.header("cache-control"), "no-store");
    let token = set_cookie_value(&image, "bs_words").expect("the token comes in a cookie");
    let cookie = format!("bs_words={token}");

    let key = broadsheet::privacy::server_secret(app.db(), "captcha")
        .await
        .unwrap();
    let [a, b] = words::words_for(&key, &token, broadsheet::store::now_ms() / 1000).unwrap();
    let wrong = app
        .post_form(
            &format!("{STORY}/comments"),
            &cookie,
            &[
                ("name", "Ann"),
                ("body", "No script here"),
                ("captcha_answer", "wrong words"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("The check was not passed"));
    let answer = format!("{} {}", a.to_uppercase(), b);
    let right = app
        .post_form(
            &format!("{STORY}/comments"),
            &cookie,
            &[
                ("name", "Ann"),
                ("body", "No script here"),
                ("captcha_answer", &answer),
            ],
        )
        .await;
    assert_eq!(right.status, 303, "{}", right.body);
    let again = app
        .post_form(
            &format!("{STORY}/comments"),
            "",
            &[
                ("name", "Ann"),
                ("body", "Once more"),
                ("captcha_token", &token),
                ("captcha_answer", &answer),
            ],
        )
        .await;
    assert_eq!(again.status, 422, "a word challenge is single-use too");

    // With the image mode off, words are not accepted.
    settings::set(app.db(), "captcha.mode", "pow")
        .await
        .unwrap();
    // Changed behind the admin pages' back: purge as they would.
    app.state
        .invalidator
        .purge(&broadsheet::web::cache::tags::site())
        .await;
    assert!(
        !app.get(STORY)
            .await
            .body
            .contains("Enter the words you see")
    );
}

#[tokio::test]
async fn replies_nest_and_stay_on_their_own_story() {
    let app = app_with("post").await;
    let root = new_id(&say(&app, STORY, "Ann", "Top level").await);
    let one = new_id(
        &comment(
            &app,
            STORY,
            &[
                ("name", "Ben"),
                ("body", "Reply one"),
                ("parent", &root.to_string()),
            ],
        )
        .await,
    );
    let two = new_id(
        &comment(
            &app,
            STORY,
            &[
                ("name", "Cai"),
                ("body", "Reply two"),
                ("parent", &one.to_string()),
            ],
        )
        .await,
    );
    let three = new_id(
        &comment(
            &app,
            STORY,
            &[
                ("name", "Dee"),
                ("body", "Reply three"),
                ("parent", &two.to_string()),
            ],
        )
        .await,
    );
    let html = app.get(STORY).await.body;
    for (id, depth) in [(root, 0), (one, 1), (two, 2), (three, 3)] {
        assert!(
            html.contains(&format!(r#"<li id="c{id}" class="comment depth-{depth}">"#)),
            "{id} at {depth}"
        );
    }
    let order: Vec<usize> = [root, one, two, three]
        .iter()
        .map(|id| html.find(&format!("id=\"c{id}\"")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "conversation order");

    let reply_page = app.get(&format!("{STORY}?reply={one}")).await.body;
    assert!(reply_page.contains("Replying to <strong>Ben</strong>"));

    let elsewhere = comment(
        &app,
        "/china/other-story",
        &[
            ("name", "Eve"),
            ("body", "Cross-thread reply"),
            ("parent", &root.to_string()),
        ],
    )
    .await;
    assert_eq!(elsewhere.status, 400);
    assert!(elsewhere.body.contains("not in this discussion"));
    assert!(elsewhere.body.contains(">Cross-thread reply</textarea>"));
}

#[tokio::test]
async fn abuse_is_held_or_refused_but_political_names_pass() {
    let app = app_with("post").await;
    let held = say(&app, STORY, "Ann", "You are an idiot.").await;
    assert!(held.header("location").contains("comment=held"));
    let held_zh = say(&app, STORY, "Ben", "你是傻逼").await;
    assert!(held_zh.header("location").contains("comment=held"));
    let slur = say(&app, STORY, "Cai", "Go back, chink.").await;
    assert_eq!(slur.status, 422);
    assert!(slur.body.contains("not allowed here"));
    for (name, text) in [
        ("Dee", "习近平今天会见了代表团。"),
        ("Eve", "共产党的政策引发了很多讨论。"),
        ("Fay", "天安门广场上游客很多。"),
        ("Gus", "The government's rail policy is a costly failure."),
    ] {
        let res = say(&app, STORY, name, text).await;
        assert!(
            res.header("location").contains("comment=published"),
            "{text}: {}",
            res.status
        );
    }
    let html = app.get(STORY).await.body;
    assert!(
        html.contains(r#"<div class="comment-body" lang="zh"><p>习近平今天会见了代表团。</p>"#)
    );
}

#[tokio::test]
async fn duplicates_and_floods_are_refused() {
    let app = app_with("post").await;
    assert_eq!(say(&app, STORY, "Ann", "Same words").await.status, 303);
    let dup = say(&app, STORY, "Ann", "same   WORDS!").await;
    assert_eq!(dup.status, 422);
    assert!(dup.body.contains("already been posted"));

    for i in 0..5 {
        assert_eq!(
            say(
                &app,
                STORY,
                &format!("Name {i}"),
                &format!("Comment number {i}")
            )
            .await
            .status,
            303
        );
    }
    let flood = say(&app, STORY, "Another", "One more").await;
    assert_eq!(flood.status, 422);
    assert!(flood.body.contains("posting too quickly"));
    assert!(flood.body.contains(">One more</textarea>"));
}

#[tokio::test]
async fn reader_text_is_escaped() {
    let app = app_with("post").await;
    let res = say(
        &app,
        STORY,
        "<b>Mallory</b>",
        "<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)",
    )
    .await;
    assert_eq!(res.status, 303);
    let html = app.get(STORY).await.body;
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>Mallory"));
    assert!(html.contains("&lt;b&gt;Mallory&lt;/b&gt;"));
    assert!(!html.contains("href=\"javascript"));
}

#[tokio::test]
async fn a_story_unpublished_while_writing_keeps_the_text() {
    let app = app_with("post").await;
    query("update articles set status = 'draft' where slug = 'rail-link-opens'")
        .execute(app.db())
        .await
        .unwrap();
    let res = say(&app, STORY, "Ann", "My carefully written thoughts").await;
    assert_eq!(res.status, 404);
    assert!(res.body.contains("My carefully written thoughts"));
}

#[tokio::test]
async fn long_threads_are_paginated_and_permalinks_find_their_page() {
    let app = app_with("post").await;
    settings::set(app.db(), "captcha.mode", "off")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..35 {
        // Different names and addresses would be needed to beat the flood limit over HTTP;
        // write straight through the area instead.
        let target = broadsheet::discussion::posts::Target {
            article_id: 1,
            title: "Rail link opens",
            section_mode: None,
        };
        let new = broadsheet::discussion::posts::NewPost {
            name: &format!("Reader {i}"),
            email: None,
            body: &format!("Comment body {i}"),
            parent_id: None,
            ip_hash: &format!("ip{i}"),
            address: "192.0.2.1",
        };
        let posted = broadsheet::discussion::posts::post_comment(
            app.db(),
            &target,
            &new,
            broadsheet::store::now_ms(),
        )
        .await
        .unwrap();
        let broadsheet::discussion::posts::Posted::Published(id) = posted else {
            panic!("held")
        };
        ids.push(id);
    }
    let first = app.get(STORY).await.body;
    assert_eq!(first.matches(r#"class="comment depth-0""#).count(), 30);
    assert!(first.contains("Comment body 34") && !first.contains("Comment body 4<"));
    assert!(first.contains("?cpage=2#comments"));
    let second = app.get(&format!("{STORY}?cpage=2")).await.body;
    assert_eq!(second.matches(r#"class="comment depth-0""#).count(), 5);
    assert!(second.contains("Comment body 0<"));
    assert_eq!(app.get(&format!("{STORY}?cpage=3")).await.status, 404);
    assert_eq!(app.get(&format!("{STORY}?cpage=zero")).await.status, 400);

    let link = app.get(&format!("{STORY}/comments/{}", ids[0])).await;
    assert_eq!(
        link.header("location"),
        format!("{STORY}?cpage=2#c{}", ids[0])
    );
    assert_eq!(
        app.get(&format!("{STORY}/comments/999999")).await.status,
        404
    );
}

#[tokio::test]
async fn removed_comments_leave_a_statement_of_reasons() {
    let app = app_with("post").await;
    let id = new_id(&say(&app, STORY, "Ann", "Off on a tangent").await);
    query("update posts set status = 'removed', removed_reason = 'off-topic' where id = $1")
        .bind(id)
        .execute(app.db())
        .await
        .unwrap();
    let html = app.get(STORY).await.body;
    assert!(html.contains("Comment removed by the moderator: off-topic."));
    assert!(!html.contains("Off on a tangent"));
}

#[tokio::test]
async fn invalid_utf8_never_causes_a_server_error() {
    let app = app_with("post").await;
    let payload = pow_payload(&app).await;
    let body = format!(
        "name=Ann&body=caf%E9%20au%20lait%FF&altcha={}",
        percent_encoding::utf8_percent_encode(&payload, percent_encoding::NON_ALPHANUMERIC)
    );
    let res = app
        .request_with_body(
            axum::http::Method::POST,
            &format!("{STORY}/comments"),
            &[("content-type", "application/x-www-form-urlencoded")],
            axum::body::Body::from(body),
        )
        .await;
    assert!(
        res.status.is_redirection() || res.status.is_client_error(),
        "{}",
        res.status
    );
    let raw = app
        .request_with_body(
            axum::http::Method::POST,
            &format!("{STORY}/comments"),
            &[("content-type", "application/x-www-form-urlencoded")],
            axum::body::Body::from(vec![b'n', b'a', b'm', b'e', b'=', 0xff, 0xfe]),
        )
        .await;
    assert!(raw.status.is_client_error(), "{}", raw.status);
}

#[tokio::test]
async fn readers_behind_the_sites_proxy_are_told_apart_and_others_cannot_pretend() {
    use axum::extract::ConnectInfo;
    use tower::ServiceExt;

    let app = app_with("post").await;
    settings::set(app.db(), "captcha.mode", "off")
        .await
        .unwrap();
    let state =
        broadsheet::web::AppState::new(app.db().clone(), crate::common::BASE_URL.into(), None)
            .unwrap()
            .with_trusted_proxies(vec![
                broadsheet::web::proxies::Range::parse("10.0.0.0/8").unwrap(),
            ]);
    let router = broadsheet::web::app(state);
    let post = |peer: &'static str, forwarded: &'static str, n: usize| {
        let router = router.clone();
        async move {
            let body = format!("name=Reader+{n}&body=Comment+number+{n}+from+{forwarded}");
            let request = axum::http::Request::builder()
                .method("POST")
                .uri(format!("{STORY}/comments"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-forwarded-for", forwarded)
                .extension(ConnectInfo(peer.parse::<std::net::SocketAddr>().unwrap()))
                .body(axum::body::Body::from(body))
                .unwrap();
            router.oneshot(request).await.unwrap().status().as_u16()
        }
    };
    // Six comments from one reader behind the proxy fill that reader's flood allowance…
    for n in 0..6 {
        assert_eq!(post("10.0.0.2:4000", "203.0.113.1", n).await, 303);
    }
    assert_eq!(post("10.0.0.2:4000", "203.0.113.1", 6).await, 422);
    // …but not another reader's behind the same proxy.
    assert_eq!(post("10.0.0.2:4000", "203.0.113.2", 7).await, 303);
    // Someone not behind our proxy is counted by their own address, whatever header they send.
    for n in 10..16 {
        assert_eq!(
            post("198.51.100.7:5000", "203.0.113.50", n).await,
            303,
            "{n}"
        );
    }
    assert_eq!(
        post("198.51.100.7:5000", "203.0.113.51", 16).await,
        422,
        "a forged header does not reset the limit"
    );
}

/// Readers comment and reply at the same moment. A reply reads its parent before it writes; on
/// SQLite, had another comment committed in between, that first write would fail unless
/// transactions take their turn to write at the start. Every comment is stored, once, and the
/// counts agree.
#[tokio::test]
async fn simultaneous_comments_and_replies_are_all_stored() {
    use broadsheet::discussion::posts::{self, NewPost, Posted, Target};
    let app = app_with("post").await;
    let (article,): (i64,) = query("select id from articles where slug = 'rail-link-opens'")
        .fetch_one(app.db())
        .await
        .unwrap();
    let post = |db: broadsheet::store::Db, i: usize, parent: Option<i64>| async move {
        let target = Target {
            article_id: article,
            title: "Rail link opens",
            section_mode: None,
        };
        let new = NewPost {
            name: &format!("Reader {i}"),
            email: None,
            body: &format!("Comment number {i}"),
            parent_id: parent,
            ip_hash: &format!("ip{i}"),
            address: "192.0.2.1",
        };
        posts::post_comment(&db, &target, &new, broadsheet::store::now_ms()).await
    };
    let Ok(Posted::Published(root)) = post(app.db().clone(), 0, None).await else {
        panic!("the first comment is published");
    };
    let mut tasks = tokio::task::JoinSet::new();
    for i in 1..=40 {
        let parent = (i % 2 == 0).then_some(root);
        tasks.spawn(post(app.db().clone(), i, parent));
    }
    while let Some(done) = tasks.join_next().await {
        let done = done.unwrap();
        assert!(
            matches!(done, Ok(Posted::Published(_))),
            "every comment is taken: {done:?}"
        );
    }
    let count = |sql: &'static str| query(sql).bind(article).fetch_i64(app.db());
    assert_eq!(
        count("select count(*) from posts p join threads t on t.id = p.thread_id where t.article_id = $1")
            .await
            .unwrap(),
        41
    );
    assert_eq!(
        count("select comment_count from articles where id = $1")
            .await
            .unwrap(),
        41
    );
}
