//! `/newsletter`: sign-up, confirmation, preferences and unsubscribing.
//!
//! The links in mails carry their own authority (a single-use confirmation token, or the
//! subscriber's signed link token), so these forms need no login and no CSRF cookie: a forged
//! request would have to know the token, and whoever knows it owns the subscription.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::content::sections::{self, Section};
use crate::distribution::mail::parse_address;
use crate::distribution::newsletter::mails::{self, Renderer};
use crate::distribution::newsletter::{self, Confirmation, Frequency, SignUp, SignUpError};
use crate::store::now_ms;
use crate::web::auth::ClientAddress;
use crate::web::chrome::Chrome;
use crate::web::extract::{PathParams, QueryParams};
use crate::web::{AppError, AppState};

/// What the sign-up and preference forms show and keep.
#[derive(Debug, Clone, Serialize)]
struct Choice {
    email: String,
    frequency: &'static str,
    sections: Vec<i64>,
}

impl Default for Choice {
    fn default() -> Self {
        Choice {
            email: String::new(),
            frequency: Frequency::Daily.as_str(),
            sections: Vec::new(),
        }
    }
}

/// Reads a posted form of repeated fields (`section=1&section=4`).
fn read_choice(fields: &[(String, String)]) -> (Choice, Option<Frequency>) {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let frequency = get("frequency").as_deref().and_then(Frequency::parse);
    let mut sections: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "section")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    sections.sort_unstable();
    sections.dedup();
    let choice = Choice {
        email: get("email").unwrap_or_default(),
        frequency: frequency.unwrap_or(Frequency::Daily).as_str(),
        sections,
    };
    (choice, frequency)
}

fn renderer<'a>(state: &'a AppState, chrome: &'a Chrome) -> Renderer<'a> {
    Renderer {
        views: &state.views,
        site: &chrome.site,
        base_url: &state.base_url,
    }
}

async fn signup_page(
    state: &AppState,
    chrome: &Chrome,
    choice: &Choice,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let all = sections::list_visible(&state.db).await?;
    let page = chrome.render(
        state,
        "newsletter/signup.html",
        context! {
            choice => Value::from(Serde(choice)),
            sections => Value::from(Serde(&all)),
            error,
        },
    )?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SignupQuery {
    pub sent: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<SignupQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    if q.sent.is_some() {
        let page = chrome.render(&state, "newsletter/check_inbox.html", context! {})?;
        return Ok(page.into_response());
    }
    signup_page(&state, &chrome, &Choice::default(), None, StatusCode::OK).await
}

pub async fn sign_up(
    State(state): State<AppState>,
    client: ClientAddress,
    chrome: Chrome,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (choice, frequency) = read_choice(&fields);
    let refuse = |message: String| {
        let (state, chrome, choice) = (&state, &chrome, &choice);
        async move {
            signup_page(
                state,
                chrome,
                choice,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let address = match parse_address(&choice.email) {
        Ok(address) => address,
        Err(message) => return refuse(message).await,
    };
    let Some(frequency) = frequency else {
        return refuse("Please choose daily or weekly.".into()).await;
    };
    let now = now_ms();
    let email = address.to_string();
    let outcome = newsletter::sign_up(
        &state.db,
        &email,
        &choice.sections,
        frequency,
        &client.hash,
        now,
    )
    .await;
    let r = renderer(&state, &chrome);
    let queued = match outcome {
        Err(SignUpError::TooMany) => return refuse(SignUpError::TooMany.to_string()).await,
        Err(SignUpError::Database(e)) => return Err(e.into()),
        Ok(SignUp::Quiet) => Ok(false),
        Ok(SignUp::Confirm { token, .. }) => {
            mails::queue_confirmation(&state.db, &state.mail, &r, &address, &token, now).await
        }
        Ok(SignUp::AlreadyActive { id }) => {
            mails::queue_already_subscribed(&state.db, &state.mail, &r, &address, id, now).await
        }
    };
    queued.map_err(|e| AppError::Internal(e.to_string()))?;
    // The same answer whatever the address's state: the form tells nobody who subscribes.
    Ok(Redirect::to("/newsletter?sent=1").into_response())
}

pub async fn confirm(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let outcome = newsletter::confirm(&state.db, &token, now_ms()).await?;
    let (status, kind, preferences) = match outcome {
        Confirmation::Confirmed { id } => (
            StatusCode::OK,
            "confirmed",
            Some(newsletter::link_token(&state.db, id).await?),
        ),
        Confirmation::AlreadyUsed { id } => (
            StatusCode::OK,
            "already",
            Some(newsletter::link_token(&state.db, id).await?),
        ),
        Confirmation::Expired => (StatusCode::GONE, "expired", None),
        Confirmation::Unknown => (StatusCode::NOT_FOUND, "unknown", None),
    };
    let page = chrome.render(
        &state,
        "newsletter/confirmed.html",
        context! { kind, preferences },
    )?;
    Ok((status, page).into_response())
}

/// The subscriber a link names, or the page that says the link is wrong.
async fn subscriber_for(
    state: &AppState,
    token: &str,
) -> Result<Option<newsletter::Subscriber>, AppError> {
    let Some(id) = newsletter::verify_link(&state.db, token).await? else {
        return Ok(None);
    };
    Ok(newsletter::find(&state.db, id).await?)
}

fn bad_link(state: &AppState, chrome: &Chrome) -> Result<Response, AppError> {
    let page = chrome.render(
        state,
        "newsletter/confirmed.html",
        context! { kind => "unknown" },
    )?;
    Ok((StatusCode::NOT_FOUND, page).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

async fn preferences_page(
    state: &AppState,
    chrome: &Chrome,
    token: &str,
    subscriber: &newsletter::Subscriber,
    all: &[Section],
    saved: bool,
) -> Result<Response, AppError> {
    let chosen = newsletter::sections_of(&state.db, subscriber.id).await?;
    let choice = Choice {
        email: subscriber.email.clone(),
        frequency: Frequency::parse(&subscriber.frequency)
            .unwrap_or(Frequency::Daily)
            .as_str(),
        sections: chosen,
    };
    let page = chrome.render(
        state,
        "newsletter/preferences.html",
        context! {
            token,
            status => &subscriber.status,
            choice => Value::from(Serde(&choice)),
            sections => Value::from(Serde(all)),
            saved,
        },
    )?;
    Ok(page.into_response())
}

pub async fn preferences(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
    QueryParams(q): QueryParams<SavedQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let Some(subscriber) = subscriber_for(&state, &token).await? else {
        return bad_link(&state, &chrome);
    };
    let all = sections::list_visible(&state.db).await?;
    preferences_page(
        &state,
        &chrome,
        &token,
        &subscriber,
        &all,
        q.saved.is_some(),
    )
    .await
}

pub async fn save_preferences(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
    chrome: Chrome,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let Some(subscriber) = subscriber_for(&state, &token).await? else {
        return bad_link(&state, &chrome);
    };
    let (choice, frequency) = read_choice(&fields);
    let frequency = frequency.unwrap_or(Frequency::Daily);
    newsletter::update(
        &state.db,
        subscriber.id,
        frequency,
        &choice.sections,
        now_ms(),
    )
    .await?;
    Ok(Redirect::to(&format!("/newsletter/preferences/{token}?saved=1")).into_response())
}

/// GET shows a button: mail scanners open links, and opening one must not unsubscribe.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let Some(subscriber) = subscriber_for(&state, &token).await? else {
        return bad_link(&state, &chrome);
    };
    let page = chrome.render(
        &state,
        "newsletter/unsubscribe.html",
        context! { token, status => &subscriber.status, done => false },
    )?;
    Ok(page.into_response())
}

/// POST unsubscribes: the page's button, and mail programs' one-click unsubscribe (RFC 8058),
/// which post `List-Unsubscribe=One-Click` to the URL in the `List-Unsubscribe` header.
pub async fn unsubscribe(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let Some(subscriber) = subscriber_for(&state, &token).await? else {
        return bad_link(&state, &chrome);
    };
    newsletter::unsubscribe(&state.db, subscriber.id, now_ms()).await?;
    let page = chrome.render(
        &state,
        "newsletter/unsubscribe.html",
        context! { token, status => "unsubscribed", done => true },
    )?;
    Ok(page.into_response())
}
