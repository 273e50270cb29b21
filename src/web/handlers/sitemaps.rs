//! `/sitemap.xml`, `/sitemaps/…`, `/news-sitemap.xml`, `/robots.txt`.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::distribution::sitemaps;
use crate::settings;
use crate::store::now_ms;
use crate::web::cache::serve::tagged;
use crate::web::cache::{CacheTags, HOME};
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

fn xml(body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=600"),
    );
    // Sitemaps list the newest stories, as the home page does.
    tagged(response, CacheTags::new([HOME.to_owned()]))
}

pub async fn index(State(state): State<AppState>) -> Result<Response, AppError> {
    let count = sitemaps::published_count(&state.db).await?;
    Ok(xml(sitemaps::index(&state.base_url, count)))
}

pub async fn child(
    State(state): State<AppState>,
    PathParams(file): PathParams<String>,
) -> Result<Response, AppError> {
    if file == "pages.xml" {
        return Ok(xml(sitemaps::pages(&state.db, &state.base_url).await?));
    }
    let n: i64 = file
        .strip_prefix("articles-")
        .and_then(|f| f.strip_suffix(".xml"))
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1)
        .ok_or(AppError::NotFound)?;
    let body = sitemaps::articles(&state.db, &state.base_url, n)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(xml(body))
}

pub async fn news(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = settings::load(&state.db).await?;
    Ok(xml(sitemaps::news(
        &state.db,
        &state.base_url,
        &site.name,
        &site.language,
        now_ms(),
    )
    .await?))
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let mut response = sitemaps::robots(&state.base_url).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
