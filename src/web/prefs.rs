//! A reader's text size: five steps, chosen with A− / A+.
//!
//! With JavaScript the buttons change the size at once and store it in the `fs` cookie; without
//! it they are links with `?fs=N`, and the response to such a link sets the same cookie. Either
//! way the server reads the cookie and renders every later page at that size, so the choice
//! survives reloads and carries across pages.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::middleware::Next;
use axum::response::Response;

pub const COOKIE: &str = "fs";
pub const MIN: u8 = 1;
pub const MAX: u8 = 5;
pub const DEFAULT: u8 = 3;

/// The text-size step for this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontSize(pub u8);

fn parse_step(text: &str) -> Option<u8> {
    text.parse::<u8>().ok().filter(|n| (MIN..=MAX).contains(n))
}

/// The `fs` value in a query string, if valid.
fn from_query(query: Option<&str>) -> Option<u8> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .and_then(|(_, v)| parse_step(v))
}

/// The `fs` cookie, if valid.
fn from_cookies(headers: &HeaderMap) -> Option<u8> {
    super::cookies::get(headers, COOKIE).and_then(parse_step)
}

impl FontSize {
    pub fn read(uri: &Uri, headers: &HeaderMap) -> FontSize {
        FontSize(
            from_query(uri.query())
                .or_else(|| from_cookies(headers))
                .unwrap_or(DEFAULT),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for FontSize {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(FontSize::read(&parts.uri, &parts.headers))
    }
}

/// Stores a size chosen through `?fs=N` in the cookie, for readers without JavaScript.
pub async fn remember_font_size(request: Request, next: Next) -> Response {
    let chosen = from_query(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(step) = chosen {
        let cookie = format!("{COOKIE}={step}; Path=/; Max-Age=31536000; SameSite=Lax");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_wins_over_cookie_and_bad_values_are_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; fs=5; b=2"));
        assert_eq!(from_cookies(&headers), Some(5));
        assert_eq!(from_query(Some("page=2&fs=1")), Some(1));
        assert_eq!(from_query(Some("fs=9")), None);
        assert_eq!(from_query(Some("fs=")), None);
        assert_eq!(from_query(None), None);
        let mut bad = HeaderMap::new();
        bad.insert(header::COOKIE, HeaderValue::from_static("fs=0"));
        assert_eq!(from_cookies(&bad), None);
    }
}
