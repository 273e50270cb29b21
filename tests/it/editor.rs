//! The newsroom editor: writing, conflicts, the life cycle, scheduling jobs, revisions,
//! corrections.

use broadsheet::accounts::users::Role;
use broadsheet::content::editing;
use broadsheet::jobs;
use broadsheet::store::{now_ms, query};

use crate::common::{TestApp, TestResponse, hidden_field};

const PASSWORD: &str = "editor password!";

async fn editor(app: &TestApp) -> String {
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    app.login("ed@news.example", PASSWORD).await
}

async fn world_id(app: &TestApp) -> String {
    let (id,): (i64,) = query("select id from sections where slug = 'world'")
        .fetch_one(app.db())
        .await
        .unwrap();
    id.to_string()
}

async fn create(app: &TestApp, cookie: &str, title: &str, body: &str) -> i64 {
    let csrf = app.csrf_for(cookie).await;
    let section = world_id(app).await;
    let res = app
        .post_form(
            "/admin/articles",
            cookie,
            &[
                ("csrf", &csrf),
                ("title", title),
                ("summary", "A summary."),
                ("section_id", &section),
                ("body_md", body),
                ("source", "Wire"),
                ("byline", "Ed"),
                ("tags", "rail, transport"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    res.header("location")
        .trim_start_matches("/admin/articles/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap()
}

async fn post(app: &TestApp, cookie: &str, path: &str, fields: &[(&str, &str)]) -> TestResponse {
    let csrf = app.csrf_for(cookie).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    app.post_form(path, cookie, &all).await
}

#[tokio::test]
async fn only_editors_and_admins_write() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    app.user("mo@news.example", Role::Moderator, PASSWORD).await;
    let mo = app.login("mo@news.example", PASSWORD).await;
    for path in ["/admin/articles", "/admin/articles/new"] {
        assert_eq!(app.get(path).await.status, 303);
        assert_eq!(app.get_as(path, &mo).await.status, 403);
        assert_eq!(app.get_as(path, &ed).await.status, 200);
    }
    let csrf = app.csrf_for(&mo).await;
    let res = app
        .post_form(
            "/admin/articles",
            &mo,
            &[("csrf", &csrf), ("title", "x"), ("section_id", "1")],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = app
        .post_form(
            "/admin/articles",
            &ed,
            &[("csrf", "forged"), ("title", "x"), ("section_id", "1")],
        )
        .await;
    assert_eq!(res.status, 403, "CSRF");
}

#[tokio::test]
async fn write_preview_publish_and_read() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let section = world_id(&app).await;
    let csrf = app.csrf_for(&ed).await;
    let preview = app
        .post_form(
            "/admin/articles",
            &ed,
            &[
                ("csrf", &csrf),
                ("title", "Draft"),
                ("section_id", &section),
                ("body_md", "**bold** <script>x</script>"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<strong>bold</strong>") && !preview.body.contains("<script>x"));
    assert_eq!(
        query("select count(*) from articles")
            .fetch_i64(app.db())
            .await
            .unwrap(),
        0,
        "preview saves nothing"
    );
    let live = app
        .post_form(
            "/admin/preview",
            &ed,
            &[("csrf", &csrf), ("body_md", "# Hi")],
        )
        .await;
    assert_eq!(live.body.trim(), "<h1>Hi</h1>");

    let id = create(
        &app,
        &ed,
        "Rail link opens on Monday",
        "The line **opens**.",
    )
    .await;
    assert_eq!(
        app.get("/world/rail-link-opens-on-monday").await.status,
        404,
        "drafts are private"
    );
    let list = app.get_as("/admin/articles?status=draft", &ed).await.body;
    assert!(list.contains("Rail link opens on Monday"));

    assert_eq!(
        post(&app, &ed, &format!("/admin/articles/{id}/publish"), &[])
            .await
            .status,
        303
    );
    let page = app.get("/world/rail-link-opens-on-monday").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The line <strong>opens</strong>."));
    assert!(page.body.contains(r#"<span class="source">Wire</span>"#));
    assert!(
        page.body
            .contains(r#"<a href="/tag/rail" rel="tag">rail</a>"#)
    );
}

#[tokio::test]
async fn a_stale_edit_is_a_conflict_and_overwrites_nothing() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let id = create(&app, &ed, "Budget story", "First text.").await;
    let form = app.get_as(&format!("/admin/articles/{id}"), &ed).await.body;
    let revision = hidden_field(&form, "revision");
    let section = world_id(&app).await;

    let first = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}"),
        &[
            ("title", "Budget story"),
            ("section_id", &section),
            ("body_md", "Colleague's text."),
            ("revision", &revision),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(first.status, 303);
    let stale = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}"),
        &[
            ("title", "Budget story"),
            ("section_id", &section),
            ("body_md", "My late text."),
            ("revision", &revision),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Someone else saved this article"));
    assert!(
        stale.body.contains(">My late text.</textarea>"),
        "my text kept"
    );
    assert!(
        stale
            .body
            .contains(r#"<span class="diff-removed">- Colleague&#x27;s text.</span>"#)
            || stale.body.contains("diff-removed")
    );
    let article = editing::find(app.db(), id).await.unwrap().unwrap();
    assert_eq!(article.body_md, "Colleague's text.", "nothing overwritten");

    // Saving again from the conflict page is a deliberate overwrite.
    let newer = hidden_field(&stale.body, "revision");
    let again = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}"),
        &[
            ("title", "Budget story"),
            ("section_id", &section),
            ("body_md", "My late text."),
            ("revision", &newer),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(again.status, 303);
    assert_eq!(
        editing::find(app.db(), id).await.unwrap().unwrap().body_md,
        "My late text."
    );
}

#[tokio::test]
async fn bad_input_keeps_the_text() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let section = world_id(&app).await;
    let empty = post(
        &app,
        &ed,
        "/admin/articles",
        &[
            ("title", "  "),
            ("section_id", &section),
            ("body_md", "Long careful body"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("A headline is required."));
    assert!(empty.body.contains(">Long careful body</textarea>"));

    create(&app, &ed, "Taken title", "x").await;
    let clash = post(
        &app,
        &ed,
        "/admin/articles",
        &[
            ("title", "Other"),
            ("slug", "taken-title"),
            ("section_id", &section),
            ("body_md", "Kept body"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(clash.status, 422);
    assert!(clash.body.contains("already uses the slug"));
    assert!(clash.body.contains(">Kept body</textarea>"));
}

#[tokio::test]
async fn slug_and_section_changes_keep_old_urls_working() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let id = create(&app, &ed, "Moving story", "Text").await;
    post(&app, &ed, &format!("/admin/articles/{id}/publish"), &[]).await;
    let revision = hidden_field(
        &app.get_as(&format!("/admin/articles/{id}"), &ed).await.body,
        "revision",
    );
    let (china,): (i64,) = query("select id from sections where slug = 'china'")
        .fetch_one(app.db())
        .await
        .unwrap();
    let res = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}"),
        &[
            ("title", "Moving story"),
            ("slug", "moved-story"),
            ("section_id", &china.to_string()),
            ("body_md", "Text"),
            ("revision", &revision),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(res.status, 303);
    let old = app.get("/world/moving-story").await;
    assert_eq!(old.status, 301);
    assert_eq!(old.header("location"), "/china/moved-story");
}

#[tokio::test]
async fn scheduled_articles_are_published_once_by_the_job() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let id = create(&app, &ed, "Embargoed results", "Numbers.").await;
    let past = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}/schedule"),
        &[("publish_at", "2001-01-01T06:00")],
    )
    .await;
    assert_eq!(past.status, 400);
    let garbage = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}/schedule"),
        &[("publish_at", "soon")],
    )
    .await;
    assert_eq!(garbage.status, 400);
    let res = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}/schedule"),
        &[("publish_at", "2099-06-01T06:00")],
    )
    .await;
    assert_eq!(res.status, 303);
    let article = editing::find(app.db(), id).await.unwrap().unwrap();
    assert_eq!(article.status, "scheduled");
    let at = article.scheduled_at.unwrap();
    assert_eq!(app.get("/world/embargoed-results").await.status, 404);
    let searched = app.get("/search?q=embargoed").await.body;
    assert!(searched.contains("No stories match"), "not searchable yet");

    // Not due: nothing to claim.
    assert!(
        jobs::claim(app.db(), "node-a", now_ms())
            .await
            .unwrap()
            .is_none()
    );
    // Due: one node claims it, the other finds nothing.
    let job = jobs::claim(app.db(), "node-a", at + 1)
        .await
        .unwrap()
        .expect("due job");
    assert!(
        jobs::claim(app.db(), "node-b", at + 1)
            .await
            .unwrap()
            .is_none(),
        "claimed once"
    );
    editing::run_publish_job(app.db(), &job.payload, at + 1)
        .await
        .unwrap();
    jobs::complete(app.db(), job.id, at + 1).await.unwrap();
    // Running it again changes nothing.
    editing::run_publish_job(app.db(), &job.payload, at + 2)
        .await
        .unwrap();
    let article = editing::find(app.db(), id).await.unwrap().unwrap();
    assert_eq!(article.status, "published");
    assert_eq!(article.published_at, Some(at));
    assert_eq!(app.get("/world/embargoed-results").await.status, 200);
    assert!(
        app.get("/search?q=embargoed")
            .await
            .body
            .contains("<mark>Embargoed</mark> results"),
        "searchable once published"
    );
    let published_revisions =
        query("select count(*) from revisions where article_id = $1 and status = 'published'")
            .bind(id)
            .fetch_i64(app.db())
            .await
            .unwrap();
    assert_eq!(published_revisions, 1);
}

#[tokio::test]
async fn a_crashed_claim_runs_out_and_another_node_takes_the_job() {
    let app = TestApp::new().await;
    let now = now_ms();
    jobs::enqueue(
        app.db(),
        "publish-article",
        &serde_json::json!({"article_id": 999, "at": now}),
        now,
        "k1",
        now,
    )
    .await
    .unwrap();
    assert!(
        !jobs::enqueue(
            app.db(),
            "publish-article",
            &serde_json::json!({}),
            now,
            "k1",
            now
        )
        .await
        .unwrap(),
        "deduplicated"
    );
    let first = jobs::claim(app.db(), "node-a", now).await.unwrap().unwrap();
    assert!(
        jobs::claim(app.db(), "node-b", now + 1000)
            .await
            .unwrap()
            .is_none()
    );
    let again = jobs::claim(app.db(), "node-b", now + jobs::CLAIM_MS + 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!(again.attempts, 2);
}

#[tokio::test]
async fn unpublished_stories_say_they_were_withdrawn() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let id = create(&app, &ed, "Withdrawn story", "Text").await;
    post(&app, &ed, &format!("/admin/articles/{id}/publish"), &[]).await;
    assert_eq!(
        post(&app, &ed, &format!("/admin/articles/{id}/unpublish"), &[])
            .await
            .status,
        303
    );
    let page = app.get("/world/withdrawn-story").await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("Story withdrawn"));
    assert!(!app.get("/world").await.body.contains("Withdrawn story"));
}

#[tokio::test]
async fn corrections_and_updates_show_on_the_story_and_revisions_restore() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let id = create(
        &app,
        &ed,
        "Census figures",
        "The city has 2 million people.",
    )
    .await;
    post(&app, &ed, &format!("/admin/articles/{id}/publish"), &[]).await;
    let res = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}/corrections"),
        &[(
            "correction",
            "An earlier version gave the wrong population.",
        )],
    )
    .await;
    assert_eq!(res.status, 303);
    let revision = hidden_field(
        &app.get_as(&format!("/admin/articles/{id}"), &ed).await.body,
        "revision",
    );
    let section = world_id(&app).await;
    post(
        &app,
        &ed,
        &format!("/admin/articles/{id}"),
        &[
            ("title", "Census figures"),
            ("section_id", &section),
            ("body_md", "The city has 3 million people."),
            ("revision", &revision),
            ("mark_updated", "on"),
            ("action", "save"),
        ],
    )
    .await;

    let page = app.get("/world/census-figures").await.body;
    assert!(page.contains("An earlier version gave the wrong population."));
    assert!(page.contains(r#"<p class="story-updated">Updated"#));
    assert!(page.contains("3 million"));

    let history = app
        .get_as(&format!("/admin/articles/{id}/revisions"), &ed)
        .await;
    assert_eq!(history.status, 200);
    assert!(
        history
            .body
            .contains(r#"<span class="diff-removed">- The city has 2 million people.</span>"#)
    );
    assert!(
        history
            .body
            .contains(r#"<span class="diff-added">+ The city has 3 million people.</span>"#)
    );
    assert_eq!(
        app.get_as(&format!("/admin/articles/{id}/revisions?from=1&to=99"), &ed)
            .await
            .status,
        404
    );

    let res = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}/revisions/1/restore"),
        &[],
    )
    .await;
    assert_eq!(res.status, 303);
    assert!(
        app.get("/world/census-figures")
            .await
            .body
            .contains("2 million")
    );
}

#[tokio::test]
async fn lead_images_are_re_encoded_resized_and_served_with_srcset() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let id = create(&app, &ed, "Harbour at dawn", "Photo story.").await;
    post(&app, &ed, &format!("/admin/articles/{id}/publish"), &[]).await;
    let csrf = app.csrf_for(&ed).await;
    let photo = crate::common::png(1200, 800);

    let no_alt = app
        .post_multipart(
            &format!("/admin/articles/{id}/image"),
            &ed,
            &[("csrf", &csrf), ("alt", " ")],
            &[("photo", "x.png", photo.clone())],
        )
        .await;
    assert_eq!(no_alt.status, 400);
    assert!(no_alt.body.contains("alternative text"));
    let fake = app
        .post_multipart(
            &format!("/admin/articles/{id}/image"),
            &ed,
            &[("csrf", &csrf), ("alt", "x")],
            &[("photo", "photo.jpg", b"<?php echo 1; ?>".to_vec())],
        )
        .await;
    assert_eq!(
        fake.status, 400,
        "a name says nothing; the content is checked"
    );
    assert!(fake.body.contains("not a JPEG, PNG, WebP or GIF"));
    let forged = app
        .post_multipart(
            &format!("/admin/articles/{id}/image"),
            &ed,
            &[("csrf", "nope"), ("alt", "x")],
            &[("photo", "x.png", photo.clone())],
        )
        .await;
    assert_eq!(forged.status, 403);

    let ok = app
        .post_multipart(
            &format!("/admin/articles/{id}/image"),
            &ed,
            &[
                ("csrf", &csrf),
                ("alt", "Boats in the harbour at dawn"),
                ("caption", "The harbour, 6 a.m."),
            ],
            &[("photo", "dawn.png", photo)],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = app.get("/world/harbour-at-dawn").await.body;
    let (media,): (i64,) = query("select lead_image_id from articles where id = $1")
        .bind(id)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert!(page.contains(&format!("/media/{media}-480.jpg 480w, /media/{media}-960.jpg 960w, /media/{media}-1200.jpg 1200w")), "{page}");
    assert!(page.contains(r#"alt="Boats in the harbour at dawn""#));
    assert!(page.contains("<figcaption>The harbour, 6 a.m.</figcaption>"));
    let img = app.get(&format!("/media/{media}-960.jpg")).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.header("content-type"), "image/jpeg");
    assert_eq!(
        img.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        app.get(&format!("/media/{media}-777.jpg")).await.status,
        404
    );
    assert_eq!(app.get("/media/nonsense").await.status, 404);

    let res = post(
        &app,
        &ed,
        &format!("/admin/articles/{id}/image/remove"),
        &[],
    )
    .await;
    assert_eq!(res.status, 303);
    assert!(
        !app.get("/world/harbour-at-dawn")
            .await
            .body
            .contains("<figure")
    );
}

#[tokio::test]
async fn an_expired_session_keeps_the_text() {
    let app = TestApp::new().await;
    let ed = editor(&app).await;
    let id = create(&app, &ed, "Long read", "Draft one").await;
    let res = app
        .post_form(
            &format!("/admin/articles/{id}"),
            "bs_session=expired",
            &[
                ("title", "Long read"),
                ("body_md", "Two hours of careful writing"),
                ("csrf", "old"),
            ],
        )
        .await;
    assert_eq!(res.status, 401);
    assert!(res.body.contains("Your session has expired"));
    assert!(
        res.body
            .contains(">Two hours of careful writing</textarea>")
    );
    assert_eq!(
        editing::find(app.db(), id).await.unwrap().unwrap().body_md,
        "Draft one"
    );
}
