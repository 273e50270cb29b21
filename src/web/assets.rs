//! Static assets with content-hashed names (`site.3f9a1c0b2e.css`).
//!
//! A hashed name changes whenever the bytes do, so hashed URLs are cached for a year and marked
//! immutable. Unhashed or outdated names still answer (a page cached elsewhere may ask for the
//! previous build's name) but with a short lifetime.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

use super::extract::PathParams;
use super::{AppError, AppState};

#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

struct Asset {
    hashed: String,
    bytes: Cow<'static, [u8]>,
    content_type: &'static str,
}

pub struct Assets {
    by_name: HashMap<String, Asset>,
    by_hashed: HashMap<String, String>,
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=300";

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash = crate::privacy::hex(&digest[..5]);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

impl Assets {
    pub fn load() -> Assets {
        let mut by_name = HashMap::new();
        let mut by_hashed = HashMap::new();
        for name in StaticFiles::iter() {
            let Some(file) = StaticFiles::get(&name) else {
                continue;
            };
            let hashed = hashed_name(&name, &file.data);
            by_hashed.insert(hashed.clone(), name.to_string());
            by_name.insert(
                name.to_string(),
                Asset {
                    hashed,
                    bytes: file.data,
                    content_type: content_type(&name),
                },
            );
        }
        Assets { by_name, by_hashed }
    }

    /// The URL of an asset by its plain name; unknown names give the plain path so that a
    /// mistake shows up as a 404 in the browser rather than a broken page.
    pub fn url(&self, name: &str) -> String {
        match self.by_name.get(name) {
            Some(asset) => format!("/static/{}", asset.hashed),
            None => format!("/static/{name}"),
        }
    }

    /// The asset a request names and whether the name was the current hashed one.
    fn find(&self, requested: &str) -> Option<(&Asset, bool)> {
        if let Some(name) = self.by_hashed.get(requested) {
            return self.by_name.get(name).map(|a| (a, true));
        }
        if let Some(asset) = self.by_name.get(requested) {
            return Some((asset, false));
        }
        // `site.<old hash>.css` from a previous build: serve today's file, briefly cached.
        let (rest, ext) = requested.rsplit_once('.')?;
        let (stem, _old_hash) = rest.rsplit_once('.')?;
        self.by_name
            .get(&format!("{stem}.{ext}"))
            .map(|a| (a, false))
    }
}

fn respond(asset: &Asset, immutable: bool) -> Response {
    let mut response = asset.bytes.clone().into_owned().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable { IMMUTABLE } else { SHORT }),
    );
    response
}

pub async fn serve(
    State(state): State<AppState>,
    PathParams(file): PathParams<String>,
) -> Result<Response, AppError> {
    let (asset, immutable) = state.assets.find(&file).ok_or(AppError::NotFound)?;
    Ok(respond(asset, immutable))
}

pub async fn favicon(State(state): State<AppState>) -> Result<Response, AppError> {
    let (asset, _) = state.assets.find("favicon.svg").ok_or(AppError::NotFound)?;
    Ok(respond(asset, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_follow_the_bytes() {
        let a = hashed_name("site.css", b"body{}");
        let b = hashed_name("site.css", b"body{color:red}");
        assert!(a.starts_with("site.") && a.ends_with(".css"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, hashed_name("site.css", b"body{}"));
    }

    #[test]
    fn every_asset_answers_to_its_hashed_and_plain_name() {
        let assets = Assets::load();
        let url = assets.url("site.css");
        let hashed = url.trim_start_matches("/static/");
        assert_ne!(hashed, "site.css");
        assert!(matches!(assets.find(hashed), Some((_, true))));
        assert!(matches!(assets.find("site.css"), Some((_, false))));
        assert!(matches!(
            assets.find("site.0000000000.css"),
            Some((_, false))
        ));
        assert!(assets.find("nope.css").is_none());
    }
}
