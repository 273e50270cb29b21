//! `/submit`: readers send a story (with up to three photos).

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use crate::store::now_ms;
use crate::submissions::{self, NewSubmission, SubmitError};
use crate::web::auth::ClientAddress;
use crate::web::chrome::Chrome;
use crate::web::extract::QueryParams;
use crate::web::handlers::editor::image::read_form;
use crate::web::handlers::forum::check_captcha;
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Serialize)]
struct Fields {
    name: String,
    email: String,
    headline: String,
    body: String,
}

async fn render(
    state: &AppState,
    chrome: &Chrome,
    fields: &Fields,
    error: Option<String>,
    sent: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let captcha = crate::web::handlers::captcha::view(state, false).await?;
    let page = chrome.render(
        state,
        "submissions/form.html",
        context! {
            fields => Value::from(Serde(fields)),
            error,
            sent,
            captcha => Value::from(Serde(&captcha)),
            max_photos => submissions::MAX_PHOTOS,
        },
    )?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct SentQuery {
    pub sent: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<SentQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    render(
        &state,
        &chrome,
        &Fields::default(),
        None,
        q.sent.is_some(),
        StatusCode::OK,
    )
    .await
}

pub async fn submit(
    State(state): State<AppState>,
    client: ClientAddress,
    chrome: Chrome,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (map, photos) = read_form(multipart, "photos", submissions::MAX_PHOTOS).await?;
    let get = |k: &str| map.get(k).cloned().unwrap_or_default();
    let fields = Fields {
        name: get("name"),
        email: get("email"),
        headline: get("headline"),
        body: get("body"),
    };
    // Browsers cannot refill a file input, so a refused form asks for the photos again.
    let had_photos = !photos.is_empty();
    let again = |message: String| {
        let (state, chrome, fields) = (&state, &chrome, &fields);
        async move {
            let note = if had_photos {
                format!("{message} (Please choose your photos again.)")
            } else {
                message
            };
            render(
                state,
                chrome,
                fields,
                Some(note),
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    if let Some(message) = check_captcha(
        &state,
        map.get("altcha").map(String::as_str),
        map.get("captcha_token").map(String::as_str),
        map.get("captcha_answer").map(String::as_str),
    )
    .await?
    {
        return again(message).await;
    }
    let new = NewSubmission {
        name: &fields.name,
        email: &fields.email,
        headline: &fields.headline,
        body: &fields.body,
        ip_hash: &client.hash,
        address: &client.ip,
    };
    match submissions::submit(&state.db, &new, &photos, now_ms()).await {
        Ok(_) => Ok(Redirect::to("/submit?sent=1").into_response()),
        Err(SubmitError::Refused(message)) => again(message).await,
        Err(SubmitError::Database(e)) => Err(e.into()),
    }
}
