//! The newsletter end to end, against a real SMTP server (aiosmtpd): double opt-in, digests,
//! one-click unsubscribe, preferences, and mail servers that are down or say no.

use axum::body::Body;
use axum::http::Method;

use broadsheet::accounts::users::Role;
use broadsheet::distribution::newsletter::{Frequency, digest};
use broadsheet::store::{now_ms, query};

use crate::common::smtp::{Received, SmtpSink};
use crate::common::{BASE_URL, Story, TestApp};

const PASSWORD: &str = "newsletter admin password";

async fn section_id(app: &TestApp, slug: &str) -> String {
    let (id,): (i64,) = query("select id from sections where slug = $1")
        .bind(slug)
        .fetch_one(app.db())
        .await
        .unwrap();
    id.to_string()
}

fn path_of(url: &str) -> &str {
    url.strip_prefix(BASE_URL)
        .expect("an absolute link to the site")
}

/// Queues and runs a digest covering everything published up to now.
async fn send_digest(app: &TestApp, period: &str) {
    // Due now (a job is due when its time is not in the future).
    let until = now_ms();
    assert!(
        digest::queue(app.db(), Frequency::Daily, period, until, now_ms())
            .await
            .unwrap()
    );
    app.run_jobs().await;
}

async fn status_of(app: &TestApp, email: &str) -> String {
    let (status,): (String,) = query("select status from subscribers where email = $1")
        .bind(email)
        .fetch_one(app.db())
        .await
        .unwrap();
    status
}

fn only_new(before: usize, sink: &SmtpSink) -> Vec<Received> {
    sink.received().into_iter().skip(before).collect()
}

#[tokio::test]
async fn sign_up_confirm_digest_and_one_click_unsubscribe() {
    let sink = SmtpSink::start();
    let app = TestApp::with_smtp(Some(&sink.url())).await;
    let now = now_ms();
    let recent = jiff::Timestamp::from_millisecond(now - 3_600_000)
        .unwrap()
        .to_string();
    app.save(Story {
        section: "world",
        slug: "summit-ends",
        title: "Summit ends with a deal",
        summary: "Leaders agree on water.",
        date: &recent,
        ..Story::default()
    })
    .await;
    app.save(Story {
        section: "sports",
        slug: "cup-final",
        title: "Cup final goes to penalties",
        date: &recent,
        ..Story::default()
    })
    .await;
    let world = section_id(&app, "world").await;

    let form = app.get("/newsletter").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"name="email""#) && form.body.contains(">Subscribe<"));
    let res = app
        .post_form(
            "/newsletter",
            "",
            &[
                ("email", "  Reader@Example.ORG "),
                ("frequency", "daily"),
                ("section", &world),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.header("location"), "/newsletter?sent=1");
    assert!(
        app.get("/newsletter?sent=1")
            .await
            .body
            .contains("Check your inbox")
    );

    // Nothing is sent before confirmation, not even a digest.
    send_digest(&app, "before-confirmation").await;
    let mails = sink.received();
    assert_eq!(mails.len(), 1, "only the confirmation: {mails:#?}");
    let confirm = &mails[0];
    assert_eq!(confirm.rcpt_tos, vec!["reader@example.org"]);
    assert_eq!(confirm.mail_from, "newsletter@news.example");
    assert!(confirm.header("from").contains("newsletter@news.example"));
    assert!(confirm.header("subject").contains("Confirm"), "{confirm:?}");
    assert_eq!(confirm.content_type, "multipart/alternative");
    assert!(confirm.defects.is_empty(), "{:?}", confirm.defects);
    assert_eq!(confirm.header("list-unsubscribe"), "");
    let link = confirm.link(&format!("{BASE_URL}/newsletter/confirm/"));
    assert!(confirm.html().contains(&link), "both parts carry the link");
    assert_eq!(status_of(&app, "reader@example.org").await, "pending");

    let page = app.get(path_of(&link)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("You are subscribed"));
    assert_eq!(status_of(&app, "reader@example.org").await, "active");
    let again = app.get(path_of(&link)).await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains("already used"), "a link works once");

    // Stories published after confirming (a later millisecond), in the chosen section only.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    app.publish(
        "world",
        "after-confirming",
        "Rivers rise after the storm",
        &jiff::Timestamp::from_millisecond(now_ms())
            .unwrap()
            .to_string(),
    )
    .await;
    app.publish(
        "sports",
        "not-chosen",
        "Marathon record falls",
        &jiff::Timestamp::from_millisecond(now_ms())
            .unwrap()
            .to_string(),
    )
    .await;
    let before = sink.received().len();
    send_digest(&app, "first").await;
    let digests = only_new(before, &sink);
    assert_eq!(digests.len(), 1, "{digests:#?}");
    let d = &digests[0];
    assert_eq!(d.rcpt_tos, vec!["reader@example.org"]);
    assert!(d.defects.is_empty(), "{:?}", d.defects);
    assert_eq!(d.content_type, "multipart/alternative");
    assert!(
        d.text.contains("Rivers rise after the storm")
            && d.html().contains("Rivers rise after the storm")
    );
    assert!(
        !d.text.contains("Marathon record falls"),
        "only the chosen sections"
    );
    assert!(
        !d.text.contains("Summit ends"),
        "stories from before the confirmation are not news to them"
    );
    assert!(
        d.text
            .contains(&format!("{BASE_URL}/world/after-confirming"))
    );
    let unsubscribe = d.header("list-unsubscribe");
    assert!(unsubscribe.starts_with(&format!("<{BASE_URL}/newsletter/unsubscribe/")));
    assert_eq!(
        d.header("list-unsubscribe-post"),
        "List-Unsubscribe=One-Click"
    );
    assert!(d.header("message-id").ends_with("@news.example>"));

    // The preferences page is reachable from the mail.
    let prefs_link = d.link(&format!("{BASE_URL}/newsletter/preferences/"));
    let prefs = app.get(path_of(&prefs_link)).await;
    assert_eq!(prefs.status, 200);
    assert!(prefs.body.contains("reader@example.org"));
    assert!(prefs.body.contains(&format!(r#"value="{world}" checked"#)));

    // Running the same digest again (a node died after queuing) sends nothing twice.
    assert!(
        !digest::queue(app.db(), Frequency::Daily, "first", now_ms(), now_ms())
            .await
            .unwrap(),
        "a period is queued once"
    );
    query("update jobs set done_at = null, attempts = 0 where kind = 'newsletter-digest'")
        .execute(app.db())
        .await
        .unwrap();
    app.run_jobs().await;
    assert_eq!(sink.received().len(), before + 1, "no mail twice");

    // One-click unsubscribe as mail programs do it (RFC 8058): a POST, no cookies.
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    let res = app
        .request_with_body(
            Method::POST,
            path_of(url),
            &[("content-type", "application/x-www-form-urlencoded")],
            Body::from("List-Unsubscribe=One-Click"),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(status_of(&app, "reader@example.org").await, "unsubscribed");
    app.publish(
        "world",
        "after-leaving",
        "Bridge reopens",
        &jiff::Timestamp::from_millisecond(now_ms())
            .unwrap()
            .to_string(),
    )
    .await;
    let before = sink.received().len();
    send_digest(&app, "after-unsubscribing").await;
    assert_eq!(sink.received().len(), before, "no mail after unsubscribing");

    // Opening the link (as a mail scanner would) does not unsubscribe; it asks.
    let prefs = app
        .post_form(
            path_of(&prefs_link),
            "",
            &[("frequency", "weekly"), ("section", &world)],
        )
        .await;
    assert_eq!(prefs.status, 303, "saving preferences subscribes again");
    assert_eq!(status_of(&app, "reader@example.org").await, "active");
    let ask = app.get(path_of(url)).await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("Unsubscribe?"));
    assert_eq!(status_of(&app, "reader@example.org").await, "active");
}

#[tokio::test]
async fn bad_addresses_links_and_repeated_sign_ups() {
    let sink = SmtpSink::start();
    let app = TestApp::with_smtp(Some(&sink.url())).await;

    for bad in [
        "",
        "reader",
        "reader@",
        "reader@@example.org",
        "a b@example.org",
    ] {
        let res = app
            .post_form(
                "/newsletter",
                "",
                &[("email", bad), ("frequency", "weekly"), ("section", "1")],
            )
            .await;
        assert_eq!(res.status, 422, "{bad:?} was accepted");
        assert!(res.body.contains(r#"role="alert""#));
        if !bad.is_empty() {
            assert!(
                res.main().contains(&format!(r#"value="{bad}""#)),
                "the text is kept"
            );
        }
        assert!(
            res.body.contains(r#"value="weekly" checked"#),
            "the choice is kept"
        );
    }
    let huge = format!("{}@example.org", "x".repeat(10_000));
    let res = app
        .post_form(
            "/newsletter",
            "",
            &[("email", &huge), ("frequency", "daily")],
        )
        .await;
    assert_eq!(res.status, 422);
    let res = app
        .post_form(
            "/newsletter",
            "",
            &[("email", "ok@example.org"), ("frequency", "hourly")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("daily or weekly"));
    let (queued,): (i64,) = query("select count(*) from jobs where kind = 'mail'")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(queued, 0, "refused forms queue no mail");

    // Links that are not ours.
    assert_eq!(app.get("/newsletter/confirm/nonsense").await.status, 404);
    assert_eq!(app.get("/newsletter/preferences/1.00").await.status, 404);
    assert_eq!(
        app.get(&format!("/newsletter/preferences/1.{}", "0".repeat(32)))
            .await
            .status,
        404
    );
    assert_eq!(app.get("/newsletter/unsubscribe/x").await.status, 404);
    let posted = app
        .post_form("/newsletter/unsubscribe/999.abc", "", &[])
        .await;
    assert_eq!(posted.status, 404);

    // Two sign-ups in a row mail once.
    for _ in 0..2 {
        let res = app
            .post_form(
                "/newsletter",
                "",
                &[("email", "twice@example.org"), ("frequency", "daily")],
            )
            .await;
        assert_eq!(res.status, 303);
    }
    app.run_jobs().await;
    assert_eq!(sink.received().len(), 1);

    // An expired link says so, and a new sign-up sends a fresh one that works.
    let old_link = sink.received()[0].link(&format!("{BASE_URL}/newsletter/confirm/"));
    query("update subscribers set confirm_expires_at = $1, prompted_at = $1")
        .bind(now_ms() - 3_600_000)
        .execute(app.db())
        .await
        .unwrap();
    let expired = app.get(path_of(&old_link)).await;
    assert_eq!(expired.status, 410);
    assert!(expired.body.contains("expired") && expired.body.contains("/newsletter"));
    app.post_form(
        "/newsletter",
        "",
        &[("email", "twice@example.org"), ("frequency", "daily")],
    )
    .await;
    app.run_jobs().await;
    let fresh = sink.received()[1].link(&format!("{BASE_URL}/newsletter/confirm/"));
    assert_ne!(fresh, old_link);
    assert_eq!(
        app.get(path_of(&old_link)).await.status,
        404,
        "the old link is void"
    );
    assert_eq!(app.get(path_of(&fresh)).await.status, 200);
    assert_eq!(status_of(&app, "twice@example.org").await, "active");

    // Signing up an address that already subscribes answers the same, changes nothing, and
    // mails the owner their preferences link.
    query("update subscribers set prompted_at = $1")
        .bind(now_ms() - 3_600_000)
        .execute(app.db())
        .await
        .unwrap();
    let res = app
        .post_form(
            "/newsletter",
            "",
            &[("email", "twice@example.org"), ("frequency", "weekly")],
        )
        .await;
    assert_eq!(res.header("location"), "/newsletter?sent=1");
    app.run_jobs().await;
    let already = &sink.received()[2];
    assert!(already.header("subject").contains("already"));
    assert!(already.text.contains("/newsletter/preferences/"));
    let (frequency,): (String,) =
        query("select frequency from subscribers where email = 'twice@example.org'")
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(
        frequency, "daily",
        "a stranger cannot change someone's choices"
    );
}

#[tokio::test]
async fn a_mail_server_that_is_down_or_refuses_loses_nothing() {
    // A port with nobody listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("smtp://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let app = TestApp::with_smtp(Some(&dead_url)).await;
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    let admin = app.login("admin@news.example", PASSWORD).await;

    let res = app
        .post_form(
            "/newsletter",
            "",
            &[("email", "patient@example.org"), ("frequency", "daily")],
        )
        .await;
    assert_eq!(
        res.status, 303,
        "the reader is not told about our mail server"
    );
    assert_eq!(app.run_jobs().await, 1);
    let (id, attempts, error, done): (i64, i64, Option<String>, Option<i64>) =
        query("select id, attempts, last_error, done_at from jobs where kind = 'mail'")
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!((attempts, done), (1, None));
    assert!(
        error
            .as_deref()
            .unwrap_or("")
            .contains("cannot reach the SMTP server")
    );
    let page = app.get_as("/admin/newsletter", &admin).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("cannot reach the SMTP server"),
        "{}",
        page.main()
    );
    assert!(page.body.contains(&format!("/admin/jobs/{id}/retry")));
    assert_eq!(app.run_jobs().await, 0, "retried later, with back-off");

    // The server comes back; an admin retries; the mail goes out once.
    let sink = SmtpSink::start();
    let working = std::sync::Arc::new(
        broadsheet::distribution::mail::MailConfig::new(Some(&sink.url()), None, BASE_URL).unwrap(),
    );
    let csrf = app.csrf_for(&admin).await;
    let res = app
        .post_form(
            &format!("/admin/jobs/{id}/retry"),
            &admin,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(app.run_jobs_with(working.clone()).await, 1);
    assert_eq!(app.run_jobs_with(working.clone()).await, 0);
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos, vec!["patient@example.org"]);

    // A permanent refusal (550) is not retried and is shown as given up.
    app.post_form(
        "/newsletter",
        "",
        &[("email", "refuse-me@example.org"), ("frequency", "daily")],
    )
    .await;
    assert_eq!(app.run_jobs_with(working.clone()).await, 1);
    assert_eq!(app.run_jobs_with(working.clone()).await, 0);
    let page = app.get_as("/admin/newsletter", &admin).await;
    assert!(
        page.body
            .contains("refused the mail to refuse-me@example.org")
    );
    assert!(page.body.contains("given up"));
    assert_eq!(sink.received().len(), 1);
}
