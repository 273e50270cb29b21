//! `/posts/{id}/report`: a reader reports a comment or forum post to the moderators.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::discussion::moderation::Reason;
use crate::discussion::render;
use crate::discussion::reports::{self, ReportError};
use crate::store::{now_ms, query};
use crate::web::auth::ClientAddress;
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

#[derive(sqlx::FromRow)]
struct Reportable {
    author_name: String,
    body: String,
    thread_id: i64,
    thread_title: String,
    section_slug: Option<String>,
    article_slug: Option<String>,
    board_slug: String,
}

impl Reportable {
    /// Where the post is read: its article, or its forum topic.
    fn place(&self) -> String {
        match (&self.section_slug, &self.article_slug) {
            (Some(s), Some(a)) => format!("/{s}/{a}"),
            _ => format!("/forum/{}/{}", self.board_slug, self.thread_id),
        }
    }
}

async fn find(state: &AppState, post_id: i64) -> Result<Reportable, AppError> {
    query(
        "select p.author_name, p.body, t.id as thread_id, t.title as thread_title,
                s.slug as section_slug, a.slug as article_slug, b.slug as board_slug
         from posts p
         join threads t on t.id = p.thread_id
         join boards b on b.id = t.board_id
         left join articles a on a.id = t.article_id
         left join sections s on s.id = a.section_id
         where p.id = $1 and p.status = 'published'
           and (t.article_id is null or a.status = 'published')",
    )
    .bind(post_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

fn render_form(
    state: &AppState,
    chrome: &Chrome,
    post_id: i64,
    post: &Reportable,
    form: &ReportForm,
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
            title => post.thread_title.clone(),
            path => post.place(),
            post_id,
            author_name => post.author_name.clone(),
            body_html => render::comment_html(&post.body),
            reasons,
            reason => form.reason.clone(),
            note => form.note.clone(),
            error,
        },
    )?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    PathParams(post_id): PathParams<i64>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let post = find(&state, post_id).await?;
    let empty = ReportForm {
        reason: String::new(),
        note: String::new(),
    };
    render_form(&state, &chrome, post_id, &post, &empty, None)
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
    PathParams(post_id): PathParams<i64>,
    ClientAddress { hash: ip_hash, .. }: ClientAddress,
    chrome: Chrome,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let post = find(&state, post_id).await?;
    let reason = Reason::parse(&form.reason);
    match reports::report(&state.db, post_id, reason, &form.note, &ip_hash, now_ms()).await {
        Ok(_) => Ok(
            Redirect::to(&format!("{}?reported={post_id}#c{post_id}", post.place()))
                .into_response(),
        ),
        Err(ReportError::Database(e)) => Err(e.into()),
        Err(e) => render_form(&state, &chrome, post_id, &post, &form, Some(e.to_string())),
    }
}
