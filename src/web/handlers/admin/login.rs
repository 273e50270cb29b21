//! `/admin/login`: the staff login form.
//!
//! The form is tied to the browser by a token in an `HttpOnly`, `SameSite=Strict` cookie and a
//! hidden field (double submit): another site cannot log a newsroom member into an account of
//! its choosing. A refused login shows the form again with the e-mail address kept.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::accounts::login::{self, LoginError};
use crate::accounts::sessions;
use crate::privacy::random_hex;
use crate::store::now_ms;
use crate::web::auth::{ClientAddress, MaybeStaff};
use crate::web::chrome::Chrome;
use crate::web::extract::QueryParams;
use crate::web::{AppError, AppState, cookies};

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// Where to go after logging in: only a path on this site, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

fn render_form(
    state: &AppState,
    chrome: &Chrome,
    status: StatusCode,
    csrf: &str,
    email: &str,
    next: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let page = chrome.render(
        state,
        "admin/login.html",
        context! { csrf, email, next, error },
    )?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    MaybeStaff(session): MaybeStaff,
    QueryParams(query): QueryParams<NextQuery>,
    headers: HeaderMap,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let next = safe_next(query.next.as_deref());
    if session.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let existing = cookies::get(&headers, cookies::LOGIN_CSRF)
        .filter(|t| t.len() == 64)
        .map(str::to_owned);
    let csrf = existing.clone().unwrap_or_else(|| random_hex(32));
    let mut response = render_form(&state, &chrome, StatusCode::OK, &csrf, "", &next, None)?;
    if existing.is_none() {
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::http_only(
                cookies::LOGIN_CSRF,
                &csrf,
                None,
                "Strict",
                state.secure_cookies,
            ),
        );
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub csrf: String,
    pub next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress { hash: ip_hash, .. }: ClientAddress,
    headers: HeaderMap,
    chrome: Chrome,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next.as_deref());
    let cookie_token = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or("");
    let fresh = random_hex(32);
    let csrf = if cookie_token.len() == 64 {
        cookie_token
    } else {
        &fresh
    };
    let again = |status, error: String| {
        render_form(
            &state,
            &chrome,
            status,
            csrf,
            &form.email,
            &next,
            Some(error),
        )
    };

    if cookie_token.len() != 64 || form.csrf != cookie_token {
        let mut response = again(
            StatusCode::FORBIDDEN,
            "This form had expired. Please enter your password again.".into(),
        )?;
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::http_only(
                cookies::LOGIN_CSRF,
                csrf,
                None,
                "Strict",
                state.secure_cookies,
            ),
        );
        return Ok(response);
    }
    if form.email.trim().is_empty() || form.password.is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter your e-mail address and your password.".into(),
        );
    }

    let now = now_ms();
    match login::attempt(&state.db, &form.email, &form.password, &ip_hash, now).await {
        Ok(user) => {
            let token = sessions::create(&state.db, user.id, now).await?;
            tracing::info!(user = user.id, role = user.role.as_str(), "staff login");
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::http_only(
                    cookies::SESSION,
                    &token,
                    Some(sessions::LIFETIME_MS / 1000),
                    "Lax",
                    state.secure_cookies,
                ),
            );
            Ok(response)
        }
        Err(LoginError::Database(e)) => Err(e.into()),
        Err(e @ LoginError::Throttled { .. }) => {
            again(StatusCode::TOO_MANY_REQUESTS, capitalise(&e.to_string()))
        }
        Err(e @ LoginError::Disabled) => again(StatusCode::FORBIDDEN, capitalise(&e.to_string())),
        Err(e @ LoginError::WrongCredentials) => {
            again(StatusCode::UNAUTHORIZED, capitalise(&e.to_string()))
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("/world?page=2")), "/world?page=2");
        assert_eq!(safe_next(Some("//evil.example/")), "/admin");
        assert_eq!(safe_next(Some("/\\evil.example")), "/admin");
        assert_eq!(safe_next(Some("https://evil.example")), "/admin");
        assert_eq!(safe_next(Some("/ok\r\nSet-Cookie: x")), "/admin");
        assert_eq!(safe_next(None), "/admin");
    }
}
