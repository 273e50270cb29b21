//! Cross-cutting HTTP behaviour: error pages, security headers, limits on URIs.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::chrome::Chrome;
use super::error::ErrorInfo;
use super::{AppError, AppState};
use crate::content::articles;

/// Longest path or query string we read, in bytes. Real links are far shorter; anything longer
/// is a mistake or a probe.
pub const MAX_URI_PART: usize = 2048;

/// Refuses URIs no page can answer before any handler sees them: over-long ones, and ones
/// carrying an encoded NUL, which no text column accepts (PostgreSQL rejects it outright).
pub async fn check_uri(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if uri.path().len() > MAX_URI_PART || uri.query().is_some_and(|q| q.len() > MAX_URI_PART) {
        return AppError::UriTooLong.into_response();
    }
    let has_nul = |part: &str| {
        part.as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"%00"))
    };
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        return AppError::BadRequest("That address contains a NUL character.".into())
            .into_response();
    }
    next.run(request).await
}

/// Headers every response carries. The policy allows nothing from other hosts: pages make no
/// third-party requests, and injected markup could not load any.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}

fn wants_page(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    if response.extensions().get::<ErrorInfo>().is_some() {
        return true;
    }
    // Framework responses (405, a caught panic) come as plain text or with no type at all.
    match response.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(ct) => ct.as_bytes().starts_with(b"text/plain"),
    }
}

/// Turns error responses into the site's error page, with navigation and, for a 404, the
/// latest stories, so a reader who followed a dead link still has somewhere to go.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let headers = request.headers().clone();
    let response = next.run(request).await;
    if !wants_page(&response) {
        return response;
    }
    let status = response.status();
    let info = response
        .extensions()
        .get::<ErrorInfo>()
        .cloned()
        .unwrap_or_else(|| {
            let error = if status.is_server_error() {
                AppError::Internal(String::new())
            } else if status == axum::http::StatusCode::NOT_FOUND {
                AppError::NotFound
            } else {
                AppError::BadRequest(
                    status
                        .canonical_reason()
                        .unwrap_or("That request cannot be served.")
                        .to_owned(),
                )
            };
            error.info()
        });

    if uri.path().starts_with("/api/") {
        // API clients get JSON, with the same stable code.
        let body = serde_json::json!({ "error": { "code": info.code, "message": info.message } });
        let (mut parts, _) = response.into_parts();
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(body.to_string()));
    }
    let html = match render_error(&state, &uri, &headers, status.as_u16(), &info).await {
        Ok(html) => html,
        Err(e) => {
            tracing::error!(error = %e, "cannot render the error page");
            format!(
                "<!doctype html><title>Error {}</title><h1>Error {}</h1><p>{}</p><p><a href=\"/\">Home</a></p>",
                status.as_u16(),
                status.as_u16(),
                minijinja::HtmlEscape(&info.message)
            )
        }
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(html))
}

async fn render_error(
    state: &AppState,
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
    status: u16,
    info: &ErrorInfo,
) -> Result<String, AppError> {
    let chrome = Chrome::load(state, uri, headers).await?;
    let latest = if status == 404 {
        articles::latest(&state.db, 5, 0).await?
    } else {
        Vec::new()
    };
    let page = context! {
        status,
        code => info.code,
        message => info.message.clone(),
        latest => Value::from(Serde(&latest)),
    };
    Ok(chrome.render(state, "error.html", page)?.0)
}
