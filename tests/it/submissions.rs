//! "Send your stories" and the editors' inbox.

use broadsheet::accounts::users::Role;
use broadsheet::settings;
use broadsheet::store::query;

use crate::comments::pow_payload;
use crate::common::{TestApp, TestResponse, png};

const PASSWORD: &str = "editor password!";

async fn app() -> TestApp {
    let app = TestApp::new().await;
    settings::set(app.db(), "captcha.pow_max_number", "500")
        .await
        .unwrap();
    app
}

async fn send(app: &TestApp, fields: &[(&str, &str)], photos: Vec<Vec<u8>>) -> TestResponse {
    let payload = pow_payload(app).await;
    let mut all = fields.to_vec();
    all.push(("altcha", &payload));
    let files: Vec<(&str, &str, Vec<u8>)> = photos
        .into_iter()
        .map(|p| ("photos", "photo.png", p))
        .collect();
    app.post_multipart("/submit", "", &all, &files).await
}

const STORY: &[(&str, &str)] = &[
    ("name", "Mei Lin"),
    ("email", "mei@mail.example"),
    ("headline", "Flooded underpass on Canal Road"),
    (
        "body",
        "The underpass has been under water since six this morning; buses are diverted.",
    ),
];

#[tokio::test]
async fn readers_send_stories_with_photos_and_editors_read_them() {
    let app = app().await;
    let form = app.get("/submit").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body
            .contains(r#"<label for="s-headline">Headline</label>"#)
    );
    assert!(
        app.get("/")
            .await
            .body
            .contains(r#"<a href="/submit">Send your stories</a>"#)
    );

    let res = send(&app, STORY, vec![png(900, 600), png(300, 300)]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.header("location"), "/submit?sent=1");
    assert!(
        app.get("/submit?sent=1")
            .await
            .body
            .contains("Your story has reached our editors")
    );

    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let ed = app.login("ed@news.example", PASSWORD).await;
    let inbox = app.get_as("/admin/submissions?status=new", &ed).await.body;
    assert!(inbox.contains("Flooded underpass on Canal Road"));
    let (id,): (i64,) = query("select id from submissions")
        .fetch_one(app.db())
        .await
        .unwrap();
    let page = app
        .get_as(&format!("/admin/submissions/{id}"), &ed)
        .await
        .body;
    assert!(page.contains("mei@mail.example"));
    assert!(page.contains("mailto:mei@mail.example?subject=Re%3A%20Flooded"));
    let (status,): (String,) = query("select status from submissions")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(status, "read");

    let photos: Vec<(i64,)> = query("select media_id from submission_photos order by position")
        .fetch_all(app.db())
        .await
        .unwrap();
    assert_eq!(photos.len(), 2);
    let first = photos[0].0;
    let url = format!("/admin/submissions/{id}/photos/{first}-900.jpg");
    let photo = app.get_as(&url, &ed).await;
    assert_eq!(photo.status, 200);
    assert_eq!(photo.header("content-type"), "image/jpeg");
    assert_eq!(app.get(&url).await.status, 303, "not for anonymous readers");
    assert_eq!(
        app.get(&format!("/media/{first}-900.jpg")).await.status,
        404,
        "not public"
    );

    app.user("mo@news.example", Role::Moderator, PASSWORD).await;
    let mo = app.login("mo@news.example", PASSWORD).await;
    assert_eq!(app.get_as("/admin/submissions", &mo).await.status, 403);
}

#[tokio::test]
async fn refused_stories_keep_the_text() {
    let app = app().await;
    let mut bad_email = STORY.to_vec();
    bad_email[1] = ("email", "not an address");
    let res = send(&app, &bad_email, vec![png(50, 50)]).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("an e-mail address at which we can reply"));
    assert!(res.body.contains("Please choose your photos again."));
    assert!(res.body.contains(
        ">The underpass has been under water since six this morning; buses are diverted.</textarea>"
    ));

    let no_captcha = app.post_multipart("/submit", "", STORY, &[]).await;
    assert_eq!(no_captcha.status, 422);
    assert!(no_captcha.body.contains("Please complete the check"));

    let fake = send(&app, STORY, vec![b"not an image at all".to_vec()]).await;
    assert_eq!(fake.status, 422);
    assert!(fake.body.contains("Photo 1: The file is not a JPEG"));
    assert_eq!(
        query("select count(*) from submissions")
            .fetch_i64(app.db())
            .await
            .unwrap(),
        0,
        "nothing half-stored"
    );

    let too_many = send(
        &app,
        STORY,
        vec![png(10, 10), png(10, 10), png(10, 10), png(10, 10)],
    )
    .await;
    assert_eq!(too_many.status, 422);
    assert!(too_many.body.contains("At most 3 photos"));
}

#[tokio::test]
async fn a_story_becomes_a_draft_credited_to_the_reader() {
    let app = app().await;
    send(&app, STORY, vec![png(800, 600)]).await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let ed = app.login("ed@news.example", PASSWORD).await;
    let (id,): (i64,) = query("select id from submissions")
        .fetch_one(app.db())
        .await
        .unwrap();
    let (world,): (i64,) = query("select id from sections where slug = 'world'")
        .fetch_one(app.db())
        .await
        .unwrap();
    let csrf = app.csrf_for(&ed).await;
    let res = app
        .post_form(
            &format!("/admin/submissions/{id}/draft"),
            &ed,
            &[("csrf", &csrf), ("section_id", &world.to_string())],
        )
        .await;
    assert_eq!(res.status, 303);
    let article: i64 = res
        .header("location")
        .trim_start_matches("/admin/articles/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap();
    let (byline, source, status, image): (String, String, String, Option<i64>) =
        query("select byline, source, status, lead_image_id from articles where id = $1")
            .bind(article)
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(
        (byline.as_str(), source.as_str(), status.as_str()),
        ("Mei Lin", "Reader's story", "draft")
    );
    let image = image.expect("the reader's photo leads");
    assert_eq!(
        app.get("/world/flooded-underpass-on-canal-road")
            .await
            .status,
        404,
        "a draft"
    );

    let publish = app
        .post_form(
            &format!("/admin/articles/{article}/publish"),
            &ed,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(publish.status, 303);
    let page = app.get("/world/flooded-underpass-on-canal-road").await.body;
    assert!(page.contains("By Mei Lin"));
    assert!(page.contains(&format!("/media/{image}-800.jpg")));
    assert_eq!(
        app.get(&format!("/media/{image}-800.jpg")).await.status,
        200,
        "public once it leads a story"
    );
    assert!(!page.contains("mei@mail.example"));

    let (status,): (String,) = query("select status from submissions")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(status, "drafted");
}

#[tokio::test]
async fn editors_reject_with_a_note() {
    let app = app().await;
    send(&app, STORY, vec![]).await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let ed = app.login("ed@news.example", PASSWORD).await;
    let (id,): (i64,) = query("select id from submissions")
        .fetch_one(app.db())
        .await
        .unwrap();
    let csrf = app.csrf_for(&ed).await;
    let res = app
        .post_form(
            &format!("/admin/submissions/{id}/reject"),
            &ed,
            &[("csrf", &csrf), ("note", "Already covered")],
        )
        .await;
    assert_eq!(res.status, 303);
    let (status, note): (String, String) = query("select status, note from submissions")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(
        (status.as_str(), note.as_str()),
        ("rejected", "Already covered")
    );
}
