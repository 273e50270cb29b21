//! `/media/{id}-{width}.jpg`: public images (articles' lead images). An image never changes
//! once stored, so it is cached for a year.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::media;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

/// `12-960.jpg` → (12, 960).
pub fn parse_name(file: &str) -> Option<(i64, i64)> {
    let stem = file.strip_suffix(".jpg")?;
    let (id, width) = stem.split_once('-')?;
    Some((id.parse().ok()?, width.parse().ok()?))
}

pub fn jpeg(bytes: Vec<u8>, cache: &'static str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

pub async fn serve(
    State(state): State<AppState>,
    PathParams(file): PathParams<String>,
) -> Result<Response, AppError> {
    let (id, width) = parse_name(&file).ok_or(AppError::NotFound)?;
    let bytes = media::variant(&state.db, id, width, true)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(jpeg(bytes, "public, max-age=31536000, immutable"))
}
