//! CAPTCHA endpoints: the proof-of-work challenge (ALTCHA protocol) and the word image.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::captcha::{config, image, pow, words};
use crate::store::now_ms;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /api/v1/captcha/challenge`
pub async fn challenge(State(state): State<AppState>) -> Result<Response, AppError> {
    let config = config::load(&state.db).await?;
    let challenge = pow::create(&config.key, config.max_number, now_ms() / 1000);
    Ok(no_store(Json(challenge).into_response()))
}

/// `GET /captcha/{token}.png`
pub async fn word_image(
    State(state): State<AppState>,
    PathParams(file): PathParams<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".png").ok_or(AppError::NotFound)?;
    let config = config::load(&state.db).await?;
    let [a, b] =
        words::words_for(&config.key, token, now_ms() / 1000).map_err(|_| AppError::NotFound)?;
    let png = image::render(&format!("{a} {b}"));
    let mut response = png.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    Ok(no_store(response))
}
