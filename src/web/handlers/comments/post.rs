//! `POST /{section}/{slug}/comments`: a reader's comment.
//!
//! Nothing the reader typed is lost: every refusal renders the article again with the form
//! filled in and the reason above it. Success redirects (303) back to the article, to the new
//! comment or to the notice that it awaits moderation.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use super::accept::{Incoming, Refusal, accept};
use crate::captcha::FormAnswer;
use crate::content::articles;
use crate::discussion::posts::Posted;
use crate::web::auth::ClientAddress;
use crate::web::chrome::Chrome;
use crate::web::cookies;
use crate::web::extract::PathParams;
use crate::web::handlers::article::show::{CommentForm, render_article};
use crate::web::handlers::article::{Lookup, lookup};
use crate::web::handlers::captcha::WORDS_COOKIE;
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct CommentFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub parent: String,
    pub altcha: Option<String>,
    pub captcha_token: Option<String>,
    pub captcha_answer: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    PathParams((section, slug)): PathParams<(String, String)>,
    client: ClientAddress,
    chrome: Chrome,
    headers: HeaderMap,
    Form(fields): Form<CommentFields>,
) -> Result<Response, AppError> {
    // On the shared (cached) page the word image's token arrives in a cookie, not the form.
    let words_token = fields
        .captcha_token
        .as_deref()
        .filter(|t| !t.is_empty())
        .or_else(|| cookies::get(&headers, WORDS_COOKIE));
    let parent_id = match fields.parent.trim() {
        "" => None,
        text => text.parse::<i64>().ok(),
    };
    let mut form = CommentForm {
        name: fields.name.clone(),
        email: fields.email.clone(),
        body: fields.body.clone(),
        parent_id,
        error: None,
        notice: None,
        reported: false,
    };

    let article = match lookup(&state, &section, &slug).await {
        Ok(Lookup::Found(article)) => article,
        // The story was unpublished (or never existed) while the reader wrote: keep the text.
        Ok(Lookup::Moved(_)) | Err(AppError::NotFound | AppError::Gone) => {
            let page = chrome.render(
                &state,
                "comment_lost_story.html",
                context! { body => fields.body.clone() },
            )?;
            return Ok((StatusCode::NOT_FOUND, page).into_response());
        }
        Err(e) => return Err(e),
    };

    let (state_ref, chrome_ref, article_ref) = (&state, &chrome, &*article);
    let refuse = move |form: CommentForm, status: StatusCode| async move {
        render_article(state_ref, chrome_ref, article_ref, 1, form, status).await
    };

    let incoming = Incoming {
        name: &fields.name,
        email: Some(fields.email.as_str()),
        body: &fields.body,
        parent_id,
        captcha: FormAnswer {
            pow: fields.altcha.as_deref(),
            words_token,
            words_answer: fields.captcha_answer.as_deref(),
        },
    };
    let path = articles::path(&article.section_slug, &article.slug);
    match accept(&state, &article, &incoming, &client).await? {
        Ok(Posted::Published(id)) => {
            Ok(Redirect::to(&format!("{path}?comment=published#c{id}")).into_response())
        }
        Ok(Posted::Held(_)) => {
            Ok(Redirect::to(&format!("{path}?comment=held#comment-form")).into_response())
        }
        Err(Refusal::Captcha(reason) | Refusal::Screening(reason)) => {
            form.error = Some(reason);
            refuse(form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(Refusal::Invalid(reason)) => {
            form.error = Some(reason);
            form.parent_id = None;
            refuse(form, StatusCode::BAD_REQUEST).await
        }
    }
}
