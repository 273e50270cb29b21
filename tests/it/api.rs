//! The JSON API and its OpenAPI document.

use axum::body::Body;
use axum::http::Method;
use serde_json::{Value, json};

use crate::comments::{STORY, app_with, pow_payload, say};
use crate::common::{TestApp, TestResponse};

const API: &str = "/api/v1/articles/world/rail-link-opens/comments";

async fn post_json(app: &TestApp, uri: &str, body: String) -> TestResponse {
    app.request_with_body(
        Method::POST,
        uri,
        &[("content-type", "application/json")],
        Body::from(body),
    )
    .await
}

fn json_of(res: &TestResponse) -> Value {
    assert!(
        res.header("content-type").starts_with("application/json"),
        "{}",
        res.header("content-type")
    );
    serde_json::from_str(&res.body).unwrap()
}

#[tokio::test]
async fn lists_comments_as_json() {
    let app = app_with("post").await;
    say(&app, STORY, "Ann", "Hello <b>world</b> https://x.example").await;
    let res = app.get(API).await;
    assert_eq!(res.status, 200);
    let body = json_of(&res);
    assert_eq!(body["article"]["title"], "Rail link opens");
    assert_eq!(
        body["article"]["url"],
        "http://news.example/world/rail-link-opens"
    );
    assert_eq!(body["article"]["comment_count"], 1);
    assert_eq!(body["page"], 1);
    assert_eq!(body["has_more"], false);
    let c = &body["comments"][0];
    assert_eq!(c["author_name"], "Ann");
    assert_eq!(c["depth"], 0);
    assert_eq!(c["removed"], false);
    assert!(
        c["body_html"]
            .as_str()
            .unwrap()
            .contains("&lt;b&gt;world&lt;/b&gt;")
    );
    assert!(c["created_at"].as_str().unwrap().ends_with("+00:00"));
    assert!(c.get("author_email").is_none());

    let empty = json_of(&app.get("/api/v1/articles/china/other-story/comments").await);
    assert_eq!(empty["comments"], json!([]));
}

#[tokio::test]
async fn posting_goes_through_captcha_and_screening() {
    let app = app_with("post").await;
    let payload = pow_payload(&app).await;
    let res = post_json(
        &app,
        API,
        json!({"name": "Api Reader", "body": "Posted from an app", "altcha": payload}).to_string(),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let created = json_of(&res);
    assert_eq!(created["status"], "published");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        created["url"],
        format!("http://news.example/world/rail-link-opens/comments/{id}")
    );
    assert!(app.get(STORY).await.body.contains("Posted from an app"));

    let replay = post_json(
        &app,
        API,
        json!({"name": "Api Reader", "body": "Again", "altcha": payload}).to_string(),
    )
    .await;
    assert_eq!(replay.status, 422);
    assert_eq!(json_of(&replay)["error"]["code"], "captcha_failed");

    let no_captcha = post_json(
        &app,
        API,
        json!({"name": "Bot", "body": "spam"}).to_string(),
    )
    .await;
    assert_eq!(no_captcha.status, 422);
    assert_eq!(json_of(&no_captcha)["error"]["code"], "captcha_failed");

    let payload = pow_payload(&app).await;
    let refused = post_json(
        &app,
        API,
        json!({"name": "", "body": "no name", "altcha": payload}).to_string(),
    )
    .await;
    assert_eq!(refused.status, 422);
    let err = json_of(&refused);
    assert_eq!(err["error"]["code"], "refused");
    assert_eq!(err["error"]["message"], "Please give a user name.");

    for bad in [
        "not json",
        "{\"name\": 1}",
        "{\"name\":\"a\",\"body\":\"b\",\"extra\":true}",
    ] {
        let res = post_json(&app, API, bad.to_string()).await;
        assert_eq!(res.status, 400, "{bad}");
        assert_eq!(json_of(&res)["error"]["code"], "bad_request");
    }
    let payload = pow_payload(&app).await;
    let missing = post_json(
        &app,
        "/api/v1/articles/world/nope/comments",
        json!({"name": "A", "body": "B", "altcha": payload}).to_string(),
    )
    .await;
    assert_eq!(missing.status, 404);
    assert_eq!(json_of(&missing)["error"]["code"], "not_found");
}

#[tokio::test]
async fn api_errors_are_json() {
    let app = app_with("post").await;
    let res = app.get("/api/v1/nothing-here").await;
    assert_eq!(res.status, 404);
    assert_eq!(json_of(&res)["error"]["code"], "not_found");
    let res = app.get(&format!("{API}?page=zero")).await;
    assert_eq!(res.status, 400);
    assert_eq!(json_of(&res)["error"]["code"], "bad_request");
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = app_with("post").await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status, 200);
    let doc = json_of(&res);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "http://news.example/api/v1");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/articles/{section}/{slug}/comments"));
    assert!(paths.contains_key("/captcha/challenge"));
    // Every reference resolves.
    let text = res.body.clone();
    for (i, _) in text.match_indices("#/components/schemas/") {
        let name: String = text[i + 21..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        assert!(doc["components"]["schemas"].get(&name).is_some(), "{name}");
    }
}
