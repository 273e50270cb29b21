//! `/api/v1/articles/{section}/{slug}/comments`

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::captcha::FormAnswer;
use crate::content::{articles, dates};
use crate::discussion::posts::{self, Posted};
use crate::web::auth::ClientAddress;
use crate::web::extract::{PageQuery, PathParams, QueryParams};
use crate::web::handlers::article::{Lookup, lookup};
use crate::web::handlers::comments::accept::{Incoming, Refusal, accept};
use crate::web::{AppError, AppState};

/// A JSON error with a stable code.
fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message.into() } });
    (status, Json(body)).into_response()
}

#[derive(Serialize)]
struct ArticleRef {
    title: String,
    url: String,
    comment_count: i64,
}

#[derive(Serialize)]
struct CommentOut {
    id: i64,
    parent_id: Option<i64>,
    depth: i64,
    author_name: Option<String>,
    body_html: Option<String>,
    removed: bool,
    removed_reason: Option<String>,
    created_at: String,
    url: String,
}

#[derive(Serialize)]
struct CommentPage {
    article: ArticleRef,
    page: i64,
    has_more: bool,
    comments: Vec<CommentOut>,
}

async fn find_article(
    state: &AppState,
    section: &str,
    slug: &str,
) -> Result<Option<Box<articles::Article>>, AppError> {
    match lookup(state, section, slug).await {
        Ok(Lookup::Found(a)) => Ok(Some(a)),
        Ok(Lookup::Moved(_)) | Err(AppError::NotFound | AppError::Gone) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `GET`: one page of comments, top-level comments newest first, replies after their parent.
pub async fn list(
    State(state): State<AppState>,
    PathParams((section, slug)): PathParams<(String, String)>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, AppError> {
    let page = match query.number() {
        Ok(p) => p,
        Err(e) => return Ok(error(StatusCode::BAD_REQUEST, "bad_request", e.to_string())),
    };
    let Some(article) = find_article(&state, &section, &slug).await? else {
        return Ok(error(
            StatusCode::NOT_FOUND,
            "not_found",
            "No published article has that address.",
        ));
    };
    let path = articles::path(&article.section_slug, &article.slug);
    let (comments, has_more) = match article.thread_id {
        Some(thread) => posts::page(&state.db, thread, page).await?,
        None => (Vec::new(), false),
    };
    let utc = dates::zone("UTC");
    let body = CommentPage {
        article: ArticleRef {
            title: article.title.clone(),
            url: format!("{}{}", state.base_url, path),
            comment_count: article.comment_count,
        },
        page,
        has_more,
        comments: comments
            .into_iter()
            .map(|c| CommentOut {
                id: c.id,
                parent_id: c.parent_id,
                depth: c.depth,
                author_name: (!c.removed).then_some(c.author_name),
                body_html: (!c.removed).then_some(c.body_html),
                removed: c.removed,
                removed_reason: c.removed_reason,
                created_at: dates::display(c.created_at, &utc).iso,
                url: format!("{}{}/comments/{}", state.base_url, path, c.id),
            })
            .collect(),
    };
    Ok(Json(body).into_response())
}

/// What a client sends to post a comment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub name: String,
    pub body: String,
    pub email: Option<String>,
    pub parent_id: Option<i64>,
    /// The ALTCHA payload: base64 JSON of the solved challenge.
    pub altcha: Option<String>,
    pub captcha_token: Option<String>,
    pub captcha_answer: Option<String>,
}

#[derive(Serialize)]
struct Created {
    id: i64,
    status: &'static str,
    url: String,
}

/// `POST`: the same CAPTCHA and screening as the form on the page.
pub async fn create(
    State(state): State<AppState>,
    PathParams((section, slug)): PathParams<(String, String)>,
    client: ClientAddress,
    payload: Result<Json<NewComment>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(input) = match payload {
        Ok(p) => p,
        Err(e) => return Ok(error(StatusCode::BAD_REQUEST, "bad_request", e.body_text())),
    };
    let Some(article) = find_article(&state, &section, &slug).await? else {
        return Ok(error(
            StatusCode::NOT_FOUND,
            "not_found",
            "No published article has that address.",
        ));
    };
    let incoming = Incoming {
        name: &input.name,
        email: input.email.as_deref(),
        body: &input.body,
        parent_id: input.parent_id,
        captcha: FormAnswer {
            pow: input.altcha.as_deref(),
            words_token: input.captcha_token.as_deref(),
            words_answer: input.captcha_answer.as_deref(),
        },
    };
    let path = articles::path(&article.section_slug, &article.slug);
    match accept(&state, &article, &incoming, &client).await? {
        Ok(posted) => {
            let (id, status) = match posted {
                Posted::Published(id) => (id, "published"),
                Posted::Held(id) => (id, "held"),
            };
            let url = format!("{}{}/comments/{id}", state.base_url, path);
            Ok((StatusCode::CREATED, Json(Created { id, status, url })).into_response())
        }
        Err(Refusal::Captcha(m)) => {
            Ok(error(StatusCode::UNPROCESSABLE_ENTITY, "captcha_failed", m))
        }
        Err(Refusal::Screening(m)) => Ok(error(StatusCode::UNPROCESSABLE_ENTITY, "refused", m)),
        Err(Refusal::Invalid(m)) => Ok(error(StatusCode::BAD_REQUEST, "invalid_reply", m)),
    }
}
