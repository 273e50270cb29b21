//! The moderation console: queues, decisions, reports, bans, the audit log, the classifier.

use broadsheet::accounts::users::Role;
use broadsheet::store::query;

use crate::comments::{STORY, app_with, say};
use crate::common::TestApp;

const PASSWORD: &str = "moderator password";

async fn moderator(app: &TestApp) -> String {
    app.user("mo@news.example", Role::Moderator, PASSWORD).await;
    app.login("mo@news.example", PASSWORD).await
}

async fn decide(app: &TestApp, cookie: &str, id: i64, fields: &[(&str, &str)]) -> u16 {
    let csrf = app.csrf_for(cookie).await;
    let mut all = vec![
        ("csrf", csrf.as_str()),
        ("back", "/admin/moderation?queue=held"),
    ];
    all.extend_from_slice(fields);
    let res = app
        .post_form(&format!("/admin/moderation/posts/{id}"), cookie, &all)
        .await;
    if res.status == 303 {
        assert_eq!(res.header("location"), "/admin/moderation?queue=held");
    }
    res.status.as_u16()
}

async fn last_post(app: &TestApp) -> i64 {
    query("select max(id) from posts")
        .fetch_i64(app.db())
        .await
        .unwrap()
}

async fn status_of(app: &TestApp, id: i64) -> String {
    let (s,): (String,) = query("select status from posts where id = $1")
        .bind(id)
        .fetch_one(app.db())
        .await
        .unwrap();
    s
}

async fn log_actions(app: &TestApp) -> Vec<(String, Option<String>)> {
    query("select action, reason from moderation_log order by id")
        .fetch_all(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn only_moderators_and_admins_reach_the_console() {
    let app = app_with("pre").await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    let editor = app.login("ed@news.example", PASSWORD).await;
    let admin = app.login("admin@news.example", PASSWORD).await;
    let mo = moderator(&app).await;
    for path in [
        "/admin/moderation",
        "/admin/moderation/log",
        "/admin/moderation/bans",
    ] {
        assert_eq!(app.get(path).await.status, 303, "{path} anonymous");
        assert_eq!(app.get_as(path, &editor).await.status, 403, "{path} editor");
        assert_eq!(app.get_as(path, &mo).await.status, 200, "{path} moderator");
        assert_eq!(app.get_as(path, &admin).await.status, 200, "{path} admin");
    }
    say(&app, STORY, "Ann", "Hello there").await;
    let id = last_post(&app).await;
    let csrf = app.csrf_for(&editor).await;
    let res = app
        .post_form(
            &format!("/admin/moderation/posts/{id}"),
            &editor,
            &[("csrf", &csrf), ("action", "approve")],
        )
        .await;
    assert_eq!(res.status, 403, "editors cannot moderate");
    assert_eq!(status_of(&app, id).await, "held");
}

#[tokio::test]
async fn held_comments_wait_in_the_queue_with_their_screening_and_approval_publishes_them() {
    let app = app_with("pre").await;
    let mo = moderator(&app).await;
    say(
        &app,
        STORY,
        "Ann",
        "See https://a.example https://b.example https://c.example",
    )
    .await;
    let id = last_post(&app).await;
    let queue = app.get_as("/admin/moderation", &mo).await;
    assert_eq!(queue.header("cache-control"), "no-store");
    let html = &queue.body;
    assert!(html.contains("Held (1)"));
    assert!(html.contains(&format!(r#"id="post-{id}""#)));
    assert!(
        html.contains(r#"<span class="step">links</span> 3 links"#),
        "screening shown"
    );
    assert!(html.contains(r#"<span class="step">mode</span> pre-moderation"#));

    assert_eq!(decide(&app, &mo, id, &[("action", "approve")]).await, 303);
    assert_eq!(status_of(&app, id).await, "published");
    let page = app.get(STORY).await.body;
    assert!(page.contains(&format!(r#"id="c{id}""#)));
    assert!(page.contains("Comments (1)"));
    assert!(
        app.get_as("/admin/moderation", &mo)
            .await
            .body
            .contains("Held (0)")
    );
    assert_eq!(log_actions(&app).await, vec![("approve".to_string(), None)]);
    let log = app.get_as("/admin/moderation/log", &mo).await.body;
    assert!(log.contains("approve") && log.contains("Test User") && log.contains("by Ann"));
}

#[tokio::test]
async fn removal_leaves_a_reason_in_the_thread_and_fixes_the_count() {
    let app = app_with("post").await;
    let mo = moderator(&app).await;
    say(&app, STORY, "Ann", "Totally unrelated football chat").await;
    let id = last_post(&app).await;
    assert!(app.get(STORY).await.body.contains("Comments (1)"));

    // Without the form token nothing happens.
    let res = app
        .post_form(
            &format!("/admin/moderation/posts/{id}"),
            &mo,
            &[("action", "remove"), ("reason", "off-topic")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(status_of(&app, id).await, "published");

    assert_eq!(
        decide(&app, &mo, id, &[("action", "remove")]).await,
        400,
        "a reason is required"
    );
    assert_eq!(
        decide(
            &app,
            &mo,
            id,
            &[
                ("action", "remove"),
                ("reason", "off-topic"),
                ("note", "stay on the story")
            ]
        )
        .await,
        303
    );
    let page = app.get(STORY).await.body;
    assert!(page.contains("Comment removed by the moderator: off-topic."));
    assert!(!page.contains("Totally unrelated football chat"));
    assert!(page.contains("Comments (0)"));
    assert_eq!(
        log_actions(&app).await,
        vec![("remove".to_string(), Some("off-topic".to_string()))]
    );

    assert_eq!(decide(&app, &mo, id, &[("action", "restore")]).await, 303);
    assert!(app.get(STORY).await.body.contains("Comments (1)"));
    // Deciding the same thing twice changes nothing.
    assert_eq!(decide(&app, &mo, id, &[("action", "approve")]).await, 303);
    assert!(app.get(STORY).await.body.contains("Comments (1)"));
    assert_eq!(log_actions(&app).await.len(), 2);
}

#[tokio::test]
async fn bulk_actions_and_filters() {
    let app = app_with("pre").await;
    let mo = moderator(&app).await;
    say(&app, STORY, "Ann", "First held").await;
    let a = last_post(&app).await;
    say(&app, "/china/other-story", "Ben", "Second held").await;
    let b = last_post(&app).await;
    say(&app, STORY, "Cai", "Third held").await;
    let c = last_post(&app).await;

    let by_name = app
        .get_as("/admin/moderation?queue=held&name=ben", &mo)
        .await
        .body;
    assert!(by_name.contains("Second held") && !by_name.contains("First held"));
    let by_section = app
        .get_as("/admin/moderation?queue=held&section=world", &mo)
        .await
        .body;
    assert!(
        by_section.contains("First held")
            && by_section.contains("Third held")
            && !by_section.contains("Second held")
    );
    assert_eq!(
        app.get_as("/admin/moderation?queue=nonsense", &mo)
            .await
            .status,
        400
    );
    assert_eq!(
        app.get_as("/admin/moderation?article=abc", &mo)
            .await
            .status,
        400
    );

    let csrf = app.csrf_for(&mo).await;
    let (ka, kc) = (format!("post-{a}"), format!("post-{c}"));
    let res = app
        .post_form(
            "/admin/moderation/bulk",
            &mo,
            &[
                ("csrf", &csrf),
                ("action", "approve"),
                (&ka, "on"),
                (&kc, "on"),
                ("back", "/admin/moderation?queue=held"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(status_of(&app, a).await, "published");
    assert_eq!(status_of(&app, b).await, "held");
    assert_eq!(status_of(&app, c).await, "published");
    let res = app
        .post_form(
            "/admin/moderation/bulk",
            &mo,
            &[("csrf", &csrf), ("action", "approve")],
        )
        .await;
    assert_eq!(res.status, 400, "nothing selected");
}

#[tokio::test]
async fn readers_report_comments_and_moderators_resolve_them() {
    let app = app_with("post").await;
    let mo = moderator(&app).await;
    say(&app, STORY, "Ann", "A borderline remark").await;
    let id = last_post(&app).await;
    let form = app.get(&format!("/posts/{id}/report")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("A borderline remark"));

    let missing = app
        .post_form(
            &format!("/posts/{id}/report"),
            "",
            &[("note", "see the second line")],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("Please choose a reason."));
    assert!(
        missing.body.contains(">see the second line</textarea>"),
        "note kept"
    );

    let sent = app
        .post_form(
            &format!("/posts/{id}/report"),
            "",
            &[("reason", "abusive"), ("note", "insults a reader")],
        )
        .await;
    assert_eq!(sent.status, 303);
    assert_eq!(
        sent.header("location"),
        format!("{STORY}?reported={id}#c{id}")
    );
    assert!(
        app.get(&format!("{STORY}?reported={id}"))
            .await
            .body
            .contains("Thank you for your report.")
    );
    let again = app
        .post_form(&format!("/posts/{id}/report"), "", &[("reason", "spam")])
        .await;
    assert_eq!(
        again.status, 303,
        "a second report from the same reader is accepted quietly"
    );

    let queue = app
        .get_as("/admin/moderation?queue=reported", &mo)
        .await
        .body;
    assert!(queue.contains("Reported (1)"));
    assert!(queue.contains("Reported 1 time: abusive: insults a reader"));
    assert_eq!(decide(&app, &mo, id, &[("action", "dismiss")]).await, 303);
    assert!(
        app.get_as("/admin/moderation?queue=reported", &mo)
            .await
            .body
            .contains("Reported (0)")
    );
    assert_eq!(status_of(&app, id).await, "published");

    assert_eq!(app.get("/posts/999/report").await.status, 404);
}

#[tokio::test]
async fn bans_block_a_name_and_an_address_until_lifted() {
    let app = app_with("post").await;
    let mo = moderator(&app).await;
    say(&app, STORY, "Troll", "Something nasty but not listed").await;
    let id = last_post(&app).await;
    let csrf = app.csrf_for(&mo).await;
    let res = app
        .post_form(
            &format!("/admin/moderation/posts/{id}/ban"),
            &mo,
            &[
                ("csrf", &csrf),
                ("name", "on"),
                ("address", "on"),
                ("days", "7"),
                ("reason", "abusive"),
                ("remove", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(status_of(&app, id).await, "removed");

    let refused = say(&app, STORY, "troll", "I am back").await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("blocked comments from this name or connection")
    );
    assert!(refused.body.contains(">I am back</textarea>"));
    // Tests share one (unknown) address, so the address ban catches a new name too.
    assert_eq!(say(&app, STORY, "Innocent Name", "Hello").await.status, 422);

    let bans = app.get_as("/admin/moderation/bans", &mo).await.body;
    assert!(bans.contains("Name “troll”"));
    assert!(bans.contains("address #"));
    let ids: Vec<(i64,)> = query("select id from bans")
        .fetch_all(app.db())
        .await
        .unwrap();
    for (ban,) in ids {
        let res = app
            .post_form(
                &format!("/admin/moderation/bans/{ban}/lift"),
                &mo,
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, 303);
    }
    assert_eq!(say(&app, STORY, "Troll", "Reformed now").await.status, 303);
    let actions: Vec<String> = log_actions(&app)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["ban", "remove", "lift-ban", "lift-ban"]);
}

async fn post(app: &TestApp, i: usize, body: String) -> i64 {
    use broadsheet::discussion::posts::{self, NewPost, Posted, Target};
    let target = Target {
        article_id: 1,
        title: "Rail link opens",
        section_mode: None,
    };
    let new = NewPost {
        name: &format!("N{i}"),
        email: None,
        body: &body,
        parent_id: None,
        ip_hash: &format!("h{i}"),
        address: "192.0.2.9",
    };
    match posts::post_comment(app.db(), &target, &new, broadsheet::store::now_ms())
        .await
        .unwrap()
    {
        Posted::Published(id) | Posted::Held(id) => id,
    }
}

#[tokio::test]
async fn the_classifier_learns_from_decisions_and_holds_spam() {
    let app = app_with("post").await;
    let mo = moderator(&app).await;
    for i in 0..6 {
        let ham = post(
            &app,
            i,
            format!("The rail station opening will shorten my commute, number {i}"),
        )
        .await;
        query("update posts set status = 'held' where id = $1")
            .bind(ham)
            .execute(app.db())
            .await
            .unwrap();
        assert_eq!(decide(&app, &mo, ham, &[("action", "approve")]).await, 303);
        let spam = post(
            &app,
            100 + i,
            format!("Cheap replica watches casino bonus visit shop {i}"),
        )
        .await;
        assert_eq!(
            decide(&app, &mo, spam, &[("action", "remove"), ("reason", "spam")]).await,
            303
        );
    }
    let (ham_docs, spam_docs): (i64, i64) =
        query("select ham_docs, spam_docs from classifier_totals")
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!((ham_docs, spam_docs), (6, 6));

    let held = post(
        &app,
        500,
        "Cheap casino bonus, replica watches at the shop".into(),
    )
    .await;
    assert_eq!(status_of(&app, held).await, "held");
    let (screening,): (String,) = query("select screening from posts where id = $1")
        .bind(held)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert!(screening.contains("\"step\":\"classifier\""), "{screening}");
    let fine = post(
        &app,
        501,
        "Will the rail station open before my commute changes?".into(),
    )
    .await;
    assert_eq!(status_of(&app, fine).await, "published");
}

#[tokio::test]
async fn moderators_edit_the_word_lists_and_screening_follows() {
    let app = app_with("post").await;
    let mo = moderator(&app).await;
    assert!(
        say(&app, STORY, "Ann", "What a numpty")
            .await
            .header("location")
            .contains("published")
    );
    let csrf = app.csrf_for(&mo).await;
    let res = app
        .post_form(
            "/admin/moderation/words",
            &mo,
            &[("csrf", &csrf), ("word", "Numpty"), ("action", "hold")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        app.get_as("/admin/moderation/words", &mo)
            .await
            .body
            .contains("<td>numpty</td>")
    );
    assert!(
        say(&app, STORY, "Ben", "Another numpty here")
            .await
            .header("location")
            .contains("held")
    );

    let bad = app
        .post_form(
            "/admin/moderation/words",
            &mo,
            &[("csrf", &csrf), ("word", "  ...  "), ("action", "hold")],
        )
        .await;
    assert_eq!(bad.status, 422);
    let (id,): (i64,) = query("select id from screening_words where word = 'numpty'")
        .fetch_one(app.db())
        .await
        .unwrap();
    let res = app
        .post_form(
            &format!("/admin/moderation/words/{id}/delete"),
            &mo,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        say(&app, STORY, "Cai", "Numpty again")
            .await
            .header("location")
            .contains("published")
    );
}

#[tokio::test]
async fn admins_set_moderation_and_captcha_modes() {
    let app = app_with("post").await;
    let mo = moderator(&app).await;
    assert_eq!(
        app.get_as("/admin/discussion", &mo).await.status,
        403,
        "moderators do not change settings"
    );
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    let admin = app.login("admin@news.example", PASSWORD).await;
    let page = app.get_as("/admin/discussion", &admin).await;
    assert_eq!(page.status, 200);
    let csrf = app.csrf_for(&admin).await;
    let (world,): (i64,) = query("select id from sections where slug = 'world'")
        .fetch_one(app.db())
        .await
        .unwrap();
    let field = format!("section-{world}");
    let res = app
        .post_form(
            "/admin/discussion",
            &admin,
            &[
                ("csrf", &csrf),
                ("mode", "post"),
                ("captcha_mode", "image"),
                ("difficulty", "2000"),
                (&field, "pre"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        say(&app, STORY, "Ann", "World is pre-moderated now")
            .await
            .status
            == 422,
        "pow no longer accepted"
    );
    let html = app.get(STORY).await.body;
    assert!(html.contains("Enter the words you see") && !html.contains("data-altcha"));
    let bad = app
        .post_form(
            "/admin/discussion",
            &admin,
            &[
                ("csrf", &csrf),
                ("mode", "sometimes"),
                ("captcha_mode", "pow"),
                ("difficulty", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
}
