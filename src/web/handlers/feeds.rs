//! Feeds: `/feed.rss`, `/feed.atom`, and the same under each section and tag.

use axum::extract::State;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::content::articles::{self, Card};
use crate::content::{sections, tags};
use crate::distribution::feeds::{self, FeedInfo};
use crate::settings;
use crate::web::cache::serve::tagged;
use crate::web::cache::{CacheTags, HOME, section_tag, tag_tag};
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

/// Entries in a feed.
const ITEMS: i64 = 30;

fn respond(body: String, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// RSS (true) or Atom (false), from the address's extension.
fn kind(uri: &Uri) -> Result<bool, AppError> {
    let path = uri.path();
    if path.ends_with("/feed.rss") {
        Ok(true)
    } else if path.ends_with("/feed.atom") {
        Ok(false)
    } else {
        Err(AppError::NotFound)
    }
}

async fn render(
    state: &AppState,
    is_rss: bool,
    title: &str,
    description: &str,
    path: &str,
    items: &[Card],
) -> Result<Response, AppError> {
    let site = settings::load(&state.db).await?;
    let base = state.base_url.to_string();
    let page_url = format!("{base}{path}");
    let self_url = format!(
        "{base}{}feed",
        if path.ends_with('/') {
            path.to_owned()
        } else {
            format!("{path}/")
        }
    );
    let full_title = if title == site.name {
        site.name.clone()
    } else {
        format!("{title} | {}", site.name)
    };
    let info = FeedInfo {
        title: &full_title,
        description,
        page_url: &page_url,
        self_url: &self_url,
        base_url: &base,
        language: &site.language,
        timezone: &site.timezone,
    };
    Ok(if is_rss {
        respond(
            feeds::rss(&info, items),
            "application/rss+xml; charset=utf-8",
        )
    } else {
        respond(
            feeds::atom(&info, items),
            "application/atom+xml; charset=utf-8",
        )
    })
}

pub async fn site(State(state): State<AppState>, uri: Uri) -> Result<Response, AppError> {
    let is_rss = kind(&uri)?;
    let site = settings::load(&state.db).await?;
    let items = articles::latest(&state.db, ITEMS, 0).await?;
    let description = if site.tagline.is_empty() {
        format!("Latest stories from {}", site.name)
    } else {
        site.tagline.clone()
    };
    let feed = render(&state, is_rss, &site.name, &description, "/", &items).await?;
    Ok(tagged(feed, CacheTags::new([HOME.to_owned()])))
}

pub async fn section(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    let is_rss = kind(&uri)?;
    let section = sections::find_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = articles::in_section(&state.db, section.id, ITEMS, 0).await?;
    let description = format!("Latest stories in {}", section.name);
    let feed = render(
        &state,
        is_rss,
        &section.name,
        &description,
        &format!("/{}", section.slug),
        &items,
    )
    .await?;
    Ok(tagged(feed, CacheTags::new([section_tag(&section.slug)])))
}

pub async fn tag(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    let is_rss = kind(&uri)?;
    let tag = tags::find_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = articles::with_tag(&state.db, tag.id, ITEMS, 0).await?;
    let description = format!("Stories tagged {}", tag.name);
    let feed = render(
        &state,
        is_rss,
        &tag.name,
        &description,
        &format!("/tag/{}", tag.slug),
        &items,
    )
    .await?;
    Ok(tagged(feed, CacheTags::new([tag_tag(&tag.slug)])))
}
