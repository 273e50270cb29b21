//! Every protected route refuses the roles that may not use it: one table, every route.

use axum::http::Method;

use broadsheet::accounts::users::Role;

use crate::common::TestApp;

const PASSWORD: &str = "role test password";

/// (method, path, roles allowed). Admins cover every role.
const ROUTES: &[(&str, &str, &[Role])] = &[
    (
        "GET",
        "/admin",
        &[Role::Admin, Role::Editor, Role::Moderator],
    ),
    ("GET", "/admin/users", &[Role::Admin]),
    ("POST", "/admin/users", &[Role::Admin]),
    ("POST", "/admin/users/1/disable", &[Role::Admin]),
    ("POST", "/admin/users/1/enable", &[Role::Admin]),
    ("POST", "/admin/users/1/reset-link", &[Role::Admin]),
    ("GET", "/admin/sections", &[Role::Admin]),
    ("POST", "/admin/sections", &[Role::Admin]),
    ("GET", "/admin/settings", &[Role::Admin]),
    ("POST", "/admin/settings", &[Role::Admin]),
    ("GET", "/admin/discussion", &[Role::Admin]),
    ("POST", "/admin/discussion", &[Role::Admin]),
    ("GET", "/admin/newsletter", &[Role::Admin]),
    ("POST", "/admin/jobs/1/retry", &[Role::Admin]),
    ("GET", "/admin/articles", &[Role::Admin, Role::Editor]),
    ("POST", "/admin/articles", &[Role::Admin, Role::Editor]),
    ("GET", "/admin/articles/new", &[Role::Admin, Role::Editor]),
    ("GET", "/admin/articles/1", &[Role::Admin, Role::Editor]),
    ("POST", "/admin/articles/1", &[Role::Admin, Role::Editor]),
    (
        "POST",
        "/admin/articles/1/publish",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/articles/1/schedule",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/articles/1/unpublish",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/articles/1/draft",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/articles/1/corrections",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/articles/1/image",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/articles/1/image/remove",
        &[Role::Admin, Role::Editor],
    ),
    (
        "GET",
        "/admin/articles/1/revisions",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/articles/1/revisions/1/restore",
        &[Role::Admin, Role::Editor],
    ),
    ("POST", "/admin/preview", &[Role::Admin, Role::Editor]),
    ("GET", "/admin/submissions", &[Role::Admin, Role::Editor]),
    ("GET", "/admin/submissions/1", &[Role::Admin, Role::Editor]),
    (
        "GET",
        "/admin/submissions/1/photos/1-480.jpg",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/submissions/1/reject",
        &[Role::Admin, Role::Editor],
    ),
    (
        "POST",
        "/admin/submissions/1/draft",
        &[Role::Admin, Role::Editor],
    ),
    ("GET", "/admin/moderation", &[Role::Admin, Role::Moderator]),
    (
        "POST",
        "/admin/moderation/posts/1",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "POST",
        "/admin/moderation/posts/1/ban",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "POST",
        "/admin/moderation/bulk",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "GET",
        "/admin/moderation/log",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "GET",
        "/admin/moderation/bans",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "POST",
        "/admin/moderation/bans/1/lift",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "GET",
        "/admin/moderation/words",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "POST",
        "/admin/moderation/words",
        &[Role::Admin, Role::Moderator],
    ),
    (
        "POST",
        "/admin/moderation/words/1/delete",
        &[Role::Admin, Role::Moderator],
    ),
];

#[tokio::test]
async fn every_staff_route_refuses_the_wrong_roles_and_anonymous_visitors() {
    let app = TestApp::new().await;
    let mut cookies = Vec::new();
    for (role, email) in [
        (Role::Admin, "a@news.example"),
        (Role::Editor, "e@news.example"),
        (Role::Moderator, "m@news.example"),
    ] {
        app.user(email, role, PASSWORD).await;
        let cookie = app.login(email, PASSWORD).await;
        let csrf = app.csrf_for(&cookie).await;
        cookies.push((role, cookie, csrf));
    }
    for (method, path, allowed) in ROUTES {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let anonymous = app
            .request(
                method.clone(),
                path,
                &[("content-type", "application/x-www-form-urlencoded")],
            )
            .await;
        if method == Method::POST && (*path == "/admin/articles" || *path == "/admin/articles/1") {
            // Saving an article keeps the text when the session has run out.
            assert_eq!(anonymous.status, 401, "{method} {path} anonymous");
        } else {
            assert_eq!(anonymous.status, 303, "{method} {path} anonymous");
            assert!(
                anonymous
                    .header("location")
                    .starts_with("/admin/login?next="),
                "{method} {path}"
            );
        }
        for (role, cookie, csrf) in &cookies {
            // A valid form token, so that only the role decides.
            let res = app
                .request_with_body(
                    method.clone(),
                    path,
                    &[
                        ("cookie", cookie),
                        ("content-type", "application/x-www-form-urlencoded"),
                    ],
                    axum::body::Body::from(format!("csrf={csrf}")),
                )
                .await;
            if allowed.contains(role) || *role == Role::Admin {
                assert!(
                    !res.body.contains("This page is for the"),
                    "{method} {path} should let {role:?} in: {}",
                    res.status
                );
                assert!(
                    res.status.as_u16() < 500,
                    "{method} {path} as {role:?}: {}",
                    res.status
                );
            } else {
                assert_eq!(res.status, 403, "{method} {path} must refuse {role:?}");
                assert!(
                    res.body.contains("data-error-code=\"forbidden\""),
                    "{method} {path}"
                );
            }
        }
    }
}
