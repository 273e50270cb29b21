//! One error type for every handler, mapped to HTTP in one place.
//!
//! Policy: readers get a helpful page with a stable code (`not_found`, `bad_request`, …);
//! the cause of a 5xx goes to the log and never to the page. The page itself is rendered by
//! [`super::middleware::error_pages`], which has the site's templates and navigation; here the
//! error only says what happened.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// An article that was published and then withdrawn.
    #[error("gone")]
    Gone,
    #[error("{0}")]
    BadRequest(String),
    #[error("the address is too long")]
    UriTooLong,
    /// A staff page asked for without a session: send the browser to the login form.
    #[error("login required")]
    LoginRequired { next: String },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// What the error page needs to know; travels as a response extension.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Stable, snake_case, for translations and API clients.
    pub code: &'static str,
    pub message: String,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::UriTooLong => StatusCode::URI_TOO_LONG,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn info(&self) -> ErrorInfo {
        let (code, message) = match self {
            AppError::NotFound => (
                "not_found",
                "We could not find that page. It may have moved, or the address may be mistyped."
                    .to_owned(),
            ),
            AppError::Gone => (
                "gone",
                "This story has been withdrawn by the newsroom and is no longer available."
                    .to_owned(),
            ),
            AppError::BadRequest(why) => ("bad_request", why.clone()),
            AppError::UriTooLong => (
                "uri_too_long",
                "That address is too long for us to read.".to_owned(),
            ),
            AppError::LoginRequired { .. } => ("login_required", "Please log in.".to_owned()),
            AppError::Forbidden(why) => ("forbidden", why.clone()),
            AppError::TooManyRequests(why) => ("too_many_requests", why.clone()),
            AppError::Internal(_) => (
                "internal",
                "Something went wrong on our side. Please try again in a moment.".to_owned(),
            ),
        };
        ErrorInfo { code, message }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        if let AppError::LoginRequired { next } = &self {
            let target = format!(
                "/admin/login?next={}",
                percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
            );
            return axum::response::Redirect::to(&target).into_response();
        }
        let info = self.info();
        let mut response = (self.status(), info.message.clone()).into_response();
        response.extensions_mut().insert(info);
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        AppError::Internal(format!("template: {e:#}"))
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        AppError::BadRequest("That address is malformed.".into())
    }
}

impl From<axum::extract::rejection::FormRejection> for AppError {
    fn from(e: axum::extract::rejection::FormRejection) -> Self {
        AppError::BadRequest(format!("The form could not be read: {}", e.body_text()))
    }
}

impl From<QueryRejection> for AppError {
    fn from(e: QueryRejection) -> Self {
        AppError::BadRequest(format!("The query string is malformed: {}", e.body_text()))
    }
}
