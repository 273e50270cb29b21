//! The middleware in front of the pages: answers from the cache, stores what handlers tagged,
//! and gives every cacheable page the headers browsers and CDNs need (`ETag` and `304`,
//! `Last-Modified`, `Cache-Control` with `s-maxage` and `stale-while-revalidate`,
//! `Surrogate-Key` and `Cache-Tag`).

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{CacheTags, Entry};
use crate::web::{AppState, cookies, prefs};

/// Browsers revalidate every time (cheap with the ETag); shared caches keep a page a minute and
/// may serve it stale for half a minute more while they fetch the new one. With the purge hook
/// configured, a CDN drops a page as soon as it changes.
const PUBLIC: HeaderValue =
    HeaderValue::from_static("public, max-age=0, s-maxage=60, stale-while-revalidate=30");
/// Pages are the largest thing we cache; anything bigger is passed through untouched.
const MAX_BODY: usize = 8 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// The best encoding the client accepts (`q=0` refuses one).
fn pick_encoding(headers: &HeaderMap) -> Encoding {
    let accepted = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';');
            let name = parts.next()?.trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (!refused).then_some(name)
        })
        .collect::<Vec<_>>();
    if accepted.iter().any(|e| e == "br") {
        Encoding::Br
    } else if accepted.iter().any(|e| e == "gzip" || e == "*") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// The cache key: the URL and the one request detail that changes a public page, the reader's
/// text size (from `?fs=` or the cookie).
fn key(request: &Request) -> String {
    let uri = request.uri();
    let fs = prefs::FontSize::read(uri, request.headers()).0;
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    format!("{fs}|{target}")
}

fn bypass(request: &Request) -> bool {
    let method = request.method();
    (method != Method::GET && method != Method::HEAD)
        || request.uri().path().starts_with("/admin")
        || cookies::get(request.headers(), cookies::SESSION).is_some()
}

fn not_modified(entry: &Entry, headers: &HeaderMap) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
        let wanted = tags.to_str().unwrap_or("");
        let ours = entry.etag.to_str().unwrap_or("");
        let bare = ours.trim_start_matches("W/");
        // Weak comparison (RFC 9110 §13.1.2): `W/"x"` and `"x"` match.
        return wanted
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.trim_start_matches("W/") == bare);
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| {
            // HTTP dates have whole seconds.
            let ours = entry
                .modified_at
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let theirs = since
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            ours <= theirs
        })
}

/// A response from a cached entry, in the encoding the client prefers.
pub fn respond(entry: &Entry, request_headers: &HeaderMap, head: bool, hit: bool) -> Response {
    let mut response = if not_modified(entry, request_headers) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, encoding) = match pick_encoding(request_headers) {
            Encoding::Br if !entry.br.is_empty() => (entry.br.clone(), Some("br")),
            Encoding::Br | Encoding::Gzip if !entry.gzip.is_empty() => {
                (entry.gzip.clone(), Some("gzip"))
            }
            _ => (entry.identity.clone(), None),
        };
        let length = body.len();
        let mut response = if head {
            Response::new(Body::empty())
        } else {
            Response::new(Body::from(body))
        };
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, entry.content_type.clone());
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, entry.etag.clone());
    headers.insert(header::LAST_MODIFIED, entry.last_modified.clone());
    headers.insert(header::CACHE_CONTROL, PUBLIC);
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert("surrogate-key", entry.surrogate_key.clone());
    headers.insert("cache-tag", entry.cache_tag.clone());
    headers.insert(
        "x-cache",
        HeaderValue::from_static(if hit { "HIT" } else { "MISS" }),
    );
    response
}

/// `from_fn_with_state` middleware.
pub async fn page_cache(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Without a cache (`--no-page-cache`) pages go out as rendered, compressed on the fly.
    if !state.cache.enabled() || bypass(&request) {
        return next.run(request).await;
    }
    let key = key(&request);
    let head = request.method() == Method::HEAD;
    if let Some(entry) = state.cache.get(&key) {
        return respond(&entry, request.headers(), head, true);
    }
    if head {
        // HEAD answers have no body to keep; the GET that follows fills the cache.
        return next.run(request).await;
    }
    // The fresh page is answered like a hit, so keep what the client asked for.
    let request_headers = request.headers().clone();
    let response = next.run(request).await;
    let Some(CacheTags(tags)) = response.extensions().get::<CacheTags>().cloned() else {
        return response;
    };
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
    let entry = Arc::new(Entry::build(content_type, bytes, tags));
    state.cache.put(key, entry.clone());
    let mut fresh = respond(&entry, &request_headers, head, false);
    // Headers the handler set that the entry does not carry (e.g. Content-Language) pass on.
    for (name, value) in &parts.headers {
        if !fresh.headers().contains_key(name) && name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    fresh
}

/// Marks a response cacheable under these tags.
pub fn tagged(mut response: Response, tags: CacheTags) -> Response {
    response.extensions_mut().insert(tags);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        h
    }

    #[test]
    fn encodings_follow_accept_encoding() {
        assert!(pick_encoding(&with("gzip, deflate, br, zstd")) == Encoding::Br);
        assert!(pick_encoding(&with("gzip")) == Encoding::Gzip);
        assert!(pick_encoding(&with("br;q=0, gzip;q=0.8")) == Encoding::Gzip);
        assert!(pick_encoding(&with("identity")) == Encoding::Identity);
        assert!(pick_encoding(&HeaderMap::new()) == Encoding::Identity);
    }

    #[test]
    fn etags_match_weakly_and_dates_by_the_second() {
        let entry = Entry::build(
            HeaderValue::from_static("text/html"),
            axum::body::Bytes::from_static(b"page"),
            vec!["site".into()],
        );
        let etag = entry.etag.to_str().unwrap().to_owned();
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
        assert!(not_modified(&entry, &h));
        let strong = etag.trim_start_matches("W/").to_owned();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"other\", {strong}")).unwrap(),
        );
        assert!(not_modified(&entry, &h));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!not_modified(&entry, &h));
        let mut h = HeaderMap::new();
        h.insert(header::IF_MODIFIED_SINCE, entry.last_modified.clone());
        assert!(not_modified(&entry, &h));
        h.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Thu, 01 Jan 2015 00:00:00 GMT"),
        );
        assert!(!not_modified(&entry, &h));
    }
}
