//! `/forum/{board}`: a board's topics, and starting a new one.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use super::check_captcha;
use crate::discussion::PostError;
use crate::discussion::boards::{self, Board};
use crate::discussion::posts::{self, NewPost, Posted};
use crate::store::now_ms;
use crate::web::auth::ClientAddress;
use crate::web::chrome::Chrome;
use crate::web::extract::{PathParams, QueryParams};
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    pub page: Option<String>,
    /// `held` after a topic went to the moderators.
    pub topic: Option<String>,
}

/// The new-topic form as the reader left it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct TopicForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub body: String,
    #[serde(skip_serializing)]
    pub altcha: Option<String>,
    #[serde(skip_serializing)]
    pub captcha_token: Option<String>,
    #[serde(skip_serializing)]
    pub captcha_answer: Option<String>,
}

/// What to say above the new-topic form.
enum Notice {
    None,
    /// A topic went to the moderators.
    Held,
    /// The reader's topic was refused.
    Error(String),
}

async fn render(
    state: &AppState,
    chrome: &Chrome,
    board: &Board,
    page: i64,
    form: &TopicForm,
    notice: Notice,
    status: StatusCode,
) -> Result<Response, AppError> {
    let held = matches!(notice, Notice::Held);
    let error = match notice {
        Notice::Error(message) => Some(message),
        _ => None,
    };
    let (topics, more) = boards::topics(&state.db, board.id, page).await?;
    if page > 1 && topics.is_empty() {
        return Err(AppError::NotFound);
    }
    let captcha = crate::web::handlers::captcha::view(state, false).await?;
    let html = chrome.render(
        state,
        "forum/board.html",
        context! {
            board => Value::from(Serde(board)),
            topics => Value::from(Serde(&topics)),
            page,
            more,
            form => Value::from(Serde(form)),
            error,
            held,
            captcha => Value::from(Serde(&captcha)),
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    QueryParams(q): QueryParams<BoardQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let board = boards::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = crate::web::extract::PageQuery { page: q.page }.number()?;
    let notice = if q.topic.as_deref() == Some("held") {
        Notice::Held
    } else {
        Notice::None
    };
    render(
        &state,
        &chrome,
        &board,
        page,
        &TopicForm::default(),
        notice,
        StatusCode::OK,
    )
    .await
}

pub async fn start(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    client: ClientAddress,
    chrome: Chrome,
    Form(form): Form<TopicForm>,
) -> Result<Response, AppError> {
    let board = boards::find(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let refuse = |error: String, status| {
        let (state, chrome, board, form) = (&state, &chrome, &board, &form);
        async move { render(state, chrome, board, 1, form, Notice::Error(error), status).await }
    };
    if !board.open_to_readers {
        return refuse(
            "Readers cannot start topics on this board.".into(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    if let Some(message) = check_captcha(
        &state,
        form.altcha.as_deref(),
        form.captcha_token.as_deref(),
        form.captcha_answer.as_deref(),
    )
    .await?
    {
        return refuse(message, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let email = Some(form.email.trim()).filter(|e| !e.is_empty());
    let new = NewPost {
        name: &form.name,
        email,
        body: &form.body,
        parent_id: None,
        ip_hash: &client.hash,
        address: &client.ip,
    };
    let site = state.cache.site.get(&state.db).await?;
    let standing = site.standing();
    match posts::start_topic(&state.db, board.id, &form.title, &standing, &new, now_ms()).await {
        Ok((topic, Posted::Published(_))) => {
            Ok(Redirect::to(&format!("/forum/{}/{topic}", board.slug)).into_response())
        }
        Ok((_, Posted::Held(_))) => Ok(Redirect::to(&format!(
            "/forum/{}?topic=held#new-topic",
            board.slug
        ))
        .into_response()),
        Err(PostError::Refused(m) | PostError::Invalid(m)) => {
            refuse(m, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(PostError::Database(e)) => Err(e.into()),
    }
}
