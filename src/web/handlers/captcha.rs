//! CAPTCHA endpoints: the proof-of-work challenge (ALTCHA protocol) and the word image.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::captcha::{config, image, pow, words};
use crate::store::now_ms;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

/// What a form shows of the CAPTCHA: the proof-of-work block, the word image, or both.
#[derive(Debug, serde::Serialize)]
pub struct CaptchaView {
    pub pow: bool,
    pub image: bool,
    /// A fresh word challenge, when the image is offered.
    pub token: Option<String>,
}

pub async fn view(state: &AppState) -> Result<CaptchaView, AppError> {
    let config = config::load(&state.db).await?;
    Ok(CaptchaView {
        pow: config.mode.accepts_pow(),
        image: config.mode.accepts_image(),
        token: config
            .mode
            .accepts_image()
            .then(|| words::create(&config.key, now_ms() / 1000)),
    })
}

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
