//! Staff pages under `/admin`.

pub mod dashboard;
pub mod login;
pub mod logout;
pub mod mail;
pub mod reset;
pub mod sections;
pub mod settings;
pub mod users;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Staff pages are private: no browser or shared cache may keep them.
pub async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
