//! `POST /{section}/{slug}/comments`: a reader's comment.
//!
//! Nothing the reader typed is lost: every refusal renders the article again with the form
//! filled in and the reason above it. Success redirects (303) back to the article, to the new
//! comment or to the notice that it awaits moderation.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::captcha::{self, FormAnswer, SpendError};
use crate::content::{articles, sections};
use crate::discussion::PostError;
use crate::discussion::posts::{self, NewPost, Posted, Target};
use crate::store::now_ms;
use crate::web::auth::ClientAddress;
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::handlers::article::show::{CommentForm, render_article};
use crate::web::handlers::article::{Lookup, lookup};
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
    Form(fields): Form<CommentFields>,
) -> Result<Response, AppError> {
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

    let now = now_ms();
    let config = captcha::config::load(&state.db).await?;
    let answer = FormAnswer {
        pow: fields.altcha.as_deref(),
        words_token: fields.captcha_token.as_deref(),
        words_answer: fields.captcha_answer.as_deref(),
    };
    match captcha::check_form(&state.db, &config, &answer, now).await {
        Ok(()) => {}
        Err(SpendError::Captcha(e)) => {
            form.error = Some(e.to_string());
            return refuse(form, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(SpendError::Database(e)) => return Err(e.into()),
    }

    let section_mode = sections::find_by_slug(&state.db, &article.section_slug)
        .await?
        .and_then(|s| s.moderation_mode);
    let target = Target {
        article_id: article.id,
        title: &article.title,
        section_mode: section_mode.as_deref(),
    };
    let email = Some(fields.email.trim()).filter(|e| !e.is_empty());
    let new = NewPost {
        name: &fields.name,
        email,
        body: &fields.body,
        parent_id,
        ip_hash: &client.hash,
        address: &client.ip,
    };
    let path = articles::path(&article.section_slug, &article.slug);
    match posts::post_comment(&state.db, &target, &new, now).await {
        Ok(Posted::Published(id)) => {
            Ok(Redirect::to(&format!("{path}?comment=published#c{id}")).into_response())
        }
        Ok(Posted::Held(_)) => {
            Ok(Redirect::to(&format!("{path}?comment=held#comment-form")).into_response())
        }
        Err(PostError::Refused(reason)) => {
            form.error = Some(reason);
            refuse(form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(PostError::Invalid(reason)) => {
            form.error = Some(reason);
            form.parent_id = None;
            refuse(form, StatusCode::BAD_REQUEST).await
        }
        Err(PostError::Database(e)) => Err(e.into()),
    }
}
