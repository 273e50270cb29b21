//! Logging out of this browser, or of every browser at once.

use axum::Form;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::sessions;
use crate::web::auth::{Staff, check_csrf};
use crate::web::{AppError, AppState, cookies};

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

fn clearing_cookie(state: &AppState, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::http_only(cookies::SESSION, "", Some(0), "Lax", state.secure_cookies),
    );
    response
}

pub async fn this_browser(
    State(state): State<AppState>,
    Staff(session): Staff,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(&session, &form.csrf)?;
    sessions::end(&state.db, &session.id).await?;
    Ok(clearing_cookie(&state, "/"))
}

pub async fn everywhere(
    State(state): State<AppState>,
    Staff(session): Staff,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(&session, &form.csrf)?;
    let ended = sessions::end_all(&state.db, session.user.id).await?;
    tracing::info!(
        user = session.user.id,
        sessions = ended,
        "logged out everywhere"
    );
    Ok(clearing_cookie(&state, "/admin/login"))
}
