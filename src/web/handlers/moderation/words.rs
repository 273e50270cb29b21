//! `/admin/moderation/words`: the word lists the screening uses (moderators and admins).

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use crate::discussion::screening::WordAction;
use crate::discussion::wordlist::{self, WordError};
use crate::web::auth::{Moderator, RequireRole, check_csrf};
use crate::web::cache::tags;
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::handlers::admin::logout::CsrfForm;
use crate::web::{AppError, AppState};

async fn render(
    state: &AppState,
    chrome: &Chrome,
    moderator: &RequireRole<Moderator>,
    word: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let session = moderator.session();
    let entries = wordlist::list(&state.db).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = chrome.render(
        state,
        "admin/words.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            entries => Value::from(Serde(&entries)),
            word,
            error,
        },
    )?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    render(&state, &chrome, &moderator, "", None).await
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub word: String,
    #[serde(default)]
    pub action: String,
}

pub async fn add(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    chrome: Chrome,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    check_csrf(moderator.session(), &form.csrf)?;
    let Some(action) = WordAction::parse(&form.action) else {
        return render(
            &state,
            &chrome,
            &moderator,
            &form.word,
            Some("Choose hold or refuse.".into()),
        )
        .await;
    };
    match wordlist::add(&state.db, &form.word, action).await {
        Ok(()) => {
            state.invalidator.purge(&tags::screening()).await;
            Ok(Redirect::to("/admin/moderation/words").into_response())
        }
        Err(WordError::Invalid(why)) => {
            render(&state, &chrome, &moderator, &form.word, Some(why)).await
        }
        Err(WordError::Database(e)) => Err(e.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(moderator.session(), &form.csrf)?;
    if !wordlist::remove(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    state.invalidator.purge(&tags::screening()).await;
    Ok(Redirect::to("/admin/moderation/words").into_response())
}
