//! The article page and its print version.

pub mod print;
pub mod show;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::content::articles::{self, Article};
use crate::web::{AppError, AppState};

/// Characters that must be escaped in a path sent in a `Location` header (non-ASCII is always
/// escaped by `utf8_percent_encode`).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// A 301 to `path`, percent-encoded for the header.
pub fn moved_permanently(path: &str) -> Response {
    let encoded = utf8_percent_encode(path, PATH).to_string();
    match HeaderValue::from_str(&encoded) {
        Ok(location) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => AppError::NotFound.into_response(),
    }
}

/// What a request for `/{section}/{slug}` finds.
pub enum Lookup {
    Found(Box<Article>),
    /// The article lives at another path now.
    Moved(String),
}

pub async fn lookup(state: &AppState, section: &str, slug: &str) -> Result<Lookup, AppError> {
    if let Some(article) = articles::find_published(&state.db, section, slug).await? {
        return Ok(Lookup::Found(Box::new(article)));
    }
    let requested = articles::path(section, slug);
    match articles::current_path_for(&state.db, &requested, slug).await? {
        Some(path) if path != requested => Ok(Lookup::Moved(path)),
        _ if articles::was_withdrawn(&state.db, section, slug).await? => Err(AppError::Gone),
        _ => Err(AppError::NotFound),
    }
}
