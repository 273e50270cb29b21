//! CAPTCHA endpoints: the proof-of-work challenge (ALTCHA protocol) and the word image.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::captcha::{image, pow, words};
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
    /// The image is fetched from `/captcha/words.png`, which hands its token over in a cookie:
    /// the page itself is the same for every reader, so the page cache can keep it.
    pub cookie: bool,
}

/// The cookie that carries the token of the last word image a reader's browser fetched.
pub const WORDS_COOKIE: &str = "bs_words";
/// The cookie lives as long as a word challenge is valid.
const WORDS_COOKIE_SECS: i64 = 1800;

/// What a form shows. `shared`: the page is the same for every reader (the cached article
/// page), so the word image fetches its own challenge and hands the token over in a cookie;
/// otherwise the page carries a fresh challenge of its own.
pub async fn view(state: &AppState, shared: bool) -> Result<CaptchaView, AppError> {
    let site = state.cache.site.get(&state.db).await?;
    let mode = site.captcha.mode;
    let image = mode.accepts_image();
    Ok(CaptchaView {
        pow: mode.accepts_pow(),
        image,
        token: (image && !shared).then(|| words::create(&site.captcha.key, now_ms() / 1000)),
        cookie: image && shared,
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
    let site = state.cache.site.get(&state.db).await?;
    let config = &site.captcha;
    let challenge = pow::create(&config.key, config.max_number, now_ms() / 1000);
    Ok(no_store(Json(challenge).into_response()))
}

/// `GET /captcha/{token}.png`, and `GET /captcha/words.png`: a fresh challenge whose token comes
/// in the `bs_words` cookie.
pub async fn word_image(
    State(state): State<AppState>,
    PathParams(file): PathParams<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".png").ok_or(AppError::NotFound)?;
    let site = state.cache.site.get(&state.db).await?;
    let config = &site.captcha;
    if token == "words" {
        if !config.mode.accepts_image() {
            return Err(AppError::NotFound);
        }
        let token = words::create(&config.key, now_ms() / 1000);
        let [a, b] = words::words_for(&config.key, &token, now_ms() / 1000)
            .map_err(|_| AppError::Internal("a fresh word challenge did not verify".into()))?;
        let mut response = png_response(image::render(&format!("{a} {b}")));
        let secure = if state.secure_cookies { "; Secure" } else { "" };
        let cookie = format!(
            "{WORDS_COOKIE}={token}; Path=/; Max-Age={WORDS_COOKIE_SECS}; HttpOnly; SameSite=Lax{secure}"
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        return Ok(no_store(response));
    }
    let [a, b] =
        words::words_for(&config.key, token, now_ms() / 1000).map_err(|_| AppError::NotFound)?;
    Ok(no_store(png_response(image::render(&format!("{a} {b}")))))
}

fn png_response(png: Vec<u8>) -> Response {
    let mut response = png.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    response
}
