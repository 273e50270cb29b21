//! Staff login, sessions, CSRF, throttling and role gates.

use broadsheet::accounts::users::{self, Role};

use crate::common::{TestApp, hidden_field, set_cookie_value};

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn logging_in_sets_a_safe_session_cookie_and_shows_the_dashboard() {
    let app = TestApp::new().await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let (cookie, csrf) = app.login_form().await;
    let res = app
        .post_form(
            "/admin/login",
            &cookie,
            &[
                ("email", "Ed@News.Example"),
                ("password", PASSWORD),
                ("csrf", &csrf),
                ("next", "/admin"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), "/admin");
    let set = res
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("bs_session="))
        .unwrap();
    assert!(
        set.contains("; HttpOnly") && set.contains("; SameSite=Lax") && set.contains("; Path=/"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain-HTTP test site: {set}");

    let session = format!(
        "bs_session={}",
        set_cookie_value(&res, "bs_session").unwrap()
    );
    let dash = app.get_as("/admin", &session).await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("ed@news.example"));
    assert!(dash.body.contains("<strong>editor</strong> role"));
    assert_eq!(dash.header("cache-control"), "no-store");
}

#[tokio::test]
async fn a_wrong_password_keeps_the_email_and_sets_no_session() {
    let app = TestApp::new().await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let (cookie, csrf) = app.login_form().await;
    for (email, password) in [
        ("ed@news.example", "wrong password!"),
        ("nobody@news.example", PASSWORD),
    ] {
        let res = app
            .post_form(
                "/admin/login",
                &cookie,
                &[("email", email), ("password", password), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, 401, "{email}");
        assert!(
            res.body.contains("Wrong e-mail address or password."),
            "same answer for {email}"
        );
        assert!(
            res.body.contains(&format!(r#"value="{email}""#)),
            "email kept"
        );
        assert!(set_cookie_value(&res, "bs_session").is_none());
    }
}

#[tokio::test]
async fn a_login_without_the_form_token_is_refused() {
    let app = TestApp::new().await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let (cookie, _) = app.login_form().await;
    for (cookie, csrf) in [(cookie.as_str(), "forged"), ("", "")] {
        let res = app
            .post_form(
                "/admin/login",
                cookie,
                &[
                    ("email", "ed@news.example"),
                    ("password", PASSWORD),
                    ("csrf", csrf),
                ],
            )
            .await;
        assert_eq!(res.status, 403);
        assert!(res.body.contains("This form had expired"));
        assert!(
            res.body.contains(r#"value="ed@news.example""#),
            "email kept"
        );
        assert!(set_cookie_value(&res, "bs_session").is_none());
    }
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let app = TestApp::new().await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let (cookie, csrf) = app.login_form().await;
    for _ in 0..5 {
        let res = app
            .post_form(
                "/admin/login",
                &cookie,
                &[
                    ("email", "ed@news.example"),
                    ("password", "wrong password"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(res.status, 401);
    }
    let res = app
        .post_form(
            "/admin/login",
            &cookie,
            &[
                ("email", "ed@news.example"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(res.status, 429);
    assert!(
        res.body
            .contains("Too many failed attempts; try again in 15 minute(s)."),
        "{}",
        res.body
    );
    // Another account is not locked by it.
    app.user("mo@news.example", Role::Moderator, PASSWORD).await;
    app.login("mo@news.example", PASSWORD).await;
}

#[tokio::test]
async fn after_login_the_browser_returns_where_it_was_going_but_never_off_site() {
    let app = TestApp::new().await;
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    let anonymous = app.get("/admin/users").await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(
        anonymous.header("location"),
        "/admin/login?next=%2Fadmin%2Fusers"
    );

    let form = app.get("/admin/login?next=%2Fadmin%2Fusers").await;
    assert_eq!(hidden_field(&form.body, "next"), "/admin/users");
    let (cookie, csrf) = app.login_form().await;
    for (next, expected) in [
        ("/admin/users", "/admin/users"),
        ("//evil.example", "/admin"),
        ("https://evil.example", "/admin"),
    ] {
        let res = app
            .post_form(
                "/admin/login",
                &cookie,
                &[
                    ("email", "admin@news.example"),
                    ("password", PASSWORD),
                    ("csrf", &csrf),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(res.header("location"), expected, "{next}");
    }
}

#[tokio::test]
async fn each_role_reaches_only_its_own_pages() {
    let app = TestApp::new().await;
    let admin_id = app.user("admin@news.example", Role::Admin, PASSWORD).await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    app.user("mo@news.example", Role::Moderator, PASSWORD).await;
    let admin = app.login("admin@news.example", PASSWORD).await;
    let editor = app.login("ed@news.example", PASSWORD).await;
    let moderator = app.login("mo@news.example", PASSWORD).await;

    // Any staff member: the dashboard.
    for who in [&admin, &editor, &moderator] {
        assert_eq!(app.get_as("/admin", who).await.status, 200);
    }
    assert_eq!(app.get("/admin").await.status, 303);

    // Admins only: users.
    assert_eq!(app.get_as("/admin/users", &admin).await.status, 200);
    for who in [&editor, &moderator] {
        let res = app.get_as("/admin/users", who).await;
        assert_eq!(res.status, 403);
        assert!(res.body.contains("This page is for the admin role"));
        let csrf = app.csrf_for(who).await;
        let res = app
            .post_form(
                &format!("/admin/users/{admin_id}/disable"),
                who,
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, 403);
    }
    let list = app.get_as("/admin/users", &admin).await.body;
    assert!(list.contains("ed@news.example") && list.contains("mo@news.example"));
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_blocks_login() {
    let app = TestApp::new().await;
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    let ed_id = app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let admin = app.login("admin@news.example", PASSWORD).await;
    let editor = app.login("ed@news.example", PASSWORD).await;
    let csrf = app.csrf_for(&admin).await;

    let forged = app
        .post_form(
            &format!("/admin/users/{ed_id}/disable"),
            &admin,
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(forged.status, 403, "CSRF token required");
    assert_eq!(app.get_as("/admin", &editor).await.status, 200);

    let res = app
        .post_form(
            &format!("/admin/users/{ed_id}/disable"),
            &admin,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        app.get_as("/admin", &editor).await.status,
        303,
        "session ended"
    );

    let (cookie, login_csrf) = app.login_form().await;
    let res = app
        .post_form(
            "/admin/login",
            &cookie,
            &[
                ("email", "ed@news.example"),
                ("password", PASSWORD),
                ("csrf", &login_csrf),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(res.body.contains("This account has been disabled"));

    app.post_form(
        &format!("/admin/users/{ed_id}/enable"),
        &admin,
        &[("csrf", &csrf)],
    )
    .await;
    app.login("ed@news.example", PASSWORD).await;

    let admin_id = users::list(app.db())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == "admin")
        .unwrap()
        .id;
    let res = app
        .post_form(
            &format!("/admin/users/{admin_id}/disable"),
            &admin,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status, 400, "cannot lock yourself out");
}

#[tokio::test]
async fn logout_ends_this_session_and_logout_everywhere_ends_all() {
    let app = TestApp::new().await;
    app.user("ed@news.example", Role::Editor, PASSWORD).await;
    let laptop = app.login("ed@news.example", PASSWORD).await;
    let phone = app.login("ed@news.example", PASSWORD).await;
    let tablet = app.login("ed@news.example", PASSWORD).await;

    let csrf = app.csrf_for(&laptop).await;
    let res = app
        .post_form("/admin/logout", &laptop, &[("csrf", "wrong")])
        .await;
    assert_eq!(res.status, 403);
    let res = app
        .post_form("/admin/logout", &laptop, &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        res.header("set-cookie").starts_with("bs_session=; "),
        "cookie cleared"
    );
    assert_eq!(app.get_as("/admin", &laptop).await.status, 303);
    assert_eq!(app.get_as("/admin", &phone).await.status, 200);

    let csrf = app.csrf_for(&phone).await;
    let res = app
        .post_form("/admin/logout-everywhere", &phone, &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(app.get_as("/admin", &phone).await.status, 303);
    assert_eq!(app.get_as("/admin", &tablet).await.status, 303);
}

#[tokio::test]
async fn a_garbage_session_cookie_is_just_logged_out() {
    let app = TestApp::new().await;
    for cookie in [
        "bs_session=abc",
        "bs_session=",
        &format!("bs_session={}", "f".repeat(64)),
        "bs_session=%00",
    ] {
        let res = app.get_as("/admin", cookie).await;
        assert_eq!(res.status, 303, "{cookie}");
    }
    // Public pages do not care.
    assert_eq!(app.get_as("/", "bs_session=abc").await.status, 200);
}

#[tokio::test]
async fn admins_add_staff_and_issue_single_use_password_links() {
    let app = TestApp::new().await;
    app.user("admin@news.example", Role::Admin, PASSWORD).await;
    let admin = app.login("admin@news.example", PASSWORD).await;
    let csrf = app.csrf_for(&admin).await;
    let res = app
        .post_form(
            "/admin/users",
            &admin,
            &[
                ("csrf", &csrf),
                ("email", "New@News.Example"),
                ("name", "New Editor"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let start = res.body.find("/admin/reset/").unwrap();
    let token: String = res.body[start + 13..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64);

    let form = app.get(&format!("/admin/reset/{token}")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("new@news.example"));
    let short = app
        .post_form(
            &format!("/admin/reset/{token}"),
            "",
            &[("password", "short"), ("again", "short")],
        )
        .await;
    assert_eq!(short.status, 422);
    let differ = app
        .post_form(
            &format!("/admin/reset/{token}"),
            "",
            &[
                ("password", "a long password 1"),
                ("again", "a long password 2"),
            ],
        )
        .await;
    assert_eq!(differ.status, 422);
    let ok = app
        .post_form(
            &format!("/admin/reset/{token}"),
            "",
            &[
                ("password", "a brand new password"),
                ("again", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("Password set"));
    let editor = app.login("new@news.example", "a brand new password").await;
    assert_eq!(app.get_as("/admin", &editor).await.status, 200);

    let again = app
        .post_form(
            &format!("/admin/reset/{token}"),
            "",
            &[
                ("password", "another password!"),
                ("again", "another password!"),
            ],
        )
        .await;
    assert_eq!(again.status, 410, "single use");
    assert_eq!(app.get("/admin/reset/not-a-token").await.status, 410);

    // A new link for an existing account ends its sessions once used.
    let id = users::list(app.db())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "new@news.example")
        .unwrap()
        .id;
    let res = app
        .post_form(
            &format!("/admin/users/{id}/reset-link"),
            &admin,
            &[("csrf", &csrf)],
        )
        .await;
    let start = res.body.find("/admin/reset/").unwrap();
    let token: String = res.body[start + 13..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    app.post_form(
        &format!("/admin/reset/{token}"),
        "",
        &[
            ("password", "the third password"),
            ("again", "the third password"),
        ],
    )
    .await;
    assert_eq!(
        app.get_as("/admin", &editor).await.status,
        303,
        "old session ended"
    );

    let dup = app
        .post_form(
            "/admin/users",
            &admin,
            &[
                ("csrf", &csrf),
                ("email", "new@news.example"),
                ("name", "Dup"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(dup.status, 400);
    assert!(dup.body.contains("already exists"));
}
