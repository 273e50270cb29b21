//! `/{section}/{slug}/comments/{id}/report`: a reader reports a comment to the moderators.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use crate::content::articles::{self, Article};
use crate::discussion::moderation::Reason;
use crate::discussion::render;
use crate::discussion::reports::{self, ReportError};
use crate::store::{now_ms, query};
use crate::web::auth::ClientIpHash;
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::handlers::article::{Lookup, lookup, moved_permanently};
use crate::web::{AppError, AppState};

#[derive(sqlx::FromRow)]
struct Reportable {
    author_name: String,
    body: String,
}

async fn find(state: &AppState, article: &Article, post_id: i64) -> Result<Reportable, AppError> {
    query(
        "select p.author_name, p.body from posts p join threads t on t.id = p.thread_id
         where p.id = $1 and t.article_id = $2 and p.status = 'published'",
    )
    .bind(post_id)
    .bind(article.id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

#[expect(
    clippy::too_many_arguments,
    reason = "a form re-rendered with everything the reader gave"
)]
fn render_form(
    state: &AppState,
    chrome: &Chrome,
    article: &Article,
    post_id: i64,
    post: &Reportable,
    reason: &str,
    note: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let reasons: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = chrome.render(
        state,
        "report.html",
        context! {
            article => Value::from(Serde(article)),
            path => articles::path(&article.section_slug, &article.slug),
            post_id,
            author_name => post.author_name.clone(),
            body_html => render::comment_html(&post.body),
            reasons,
            reason,
            note,
            error,
        },
    )?;
    Ok((status, page).into_response())
}

async fn article_for(
    state: &AppState,
    section: &str,
    slug: &str,
    post_id: i64,
) -> Result<Result<Box<Article>, Response>, AppError> {
    Ok(match lookup(state, section, slug).await? {
        Lookup::Found(a) => Ok(a),
        Lookup::Moved(path) => Err(moved_permanently(&format!(
            "{path}/comments/{post_id}/report"
        ))),
    })
}

pub async fn show(
    State(state): State<AppState>,
    PathParams((section, slug, post_id)): PathParams<(String, String, i64)>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let article = match article_for(&state, &section, &slug, post_id).await? {
        Ok(a) => a,
        Err(redirect) => return Ok(redirect),
    };
    let post = find(&state, &article, post_id).await?;
    render_form(&state, &chrome, &article, post_id, &post, "", "", None)
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

pub async fn submit(
    State(state): State<AppState>,
    PathParams((section, slug, post_id)): PathParams<(String, String, i64)>,
    ClientIpHash(ip_hash): ClientIpHash,
    chrome: Chrome,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let article = match article_for(&state, &section, &slug, post_id).await? {
        Ok(a) => a,
        Err(redirect) => return Ok(redirect),
    };
    let post = find(&state, &article, post_id).await?;
    let reason = Reason::parse(&form.reason);
    match reports::report(&state.db, post_id, reason, &form.note, &ip_hash, now_ms()).await {
        Ok(_) => {
            let path = articles::path(&article.section_slug, &article.slug);
            Ok(Redirect::to(&format!("{path}?reported={post_id}#c{post_id}")).into_response())
        }
        Err(ReportError::Database(e)) => Err(e.into()),
        Err(e) => render_form(
            &state,
            &chrome,
            &article,
            post_id,
            &post,
            &form.reason,
            &form.note,
            Some(e.to_string()),
        ),
    }
}
