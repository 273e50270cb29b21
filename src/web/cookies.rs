//! Reading and writing the few cookies the site uses.
//!
//! | name | what | flags |
//! |---|---|---|
//! | `fs` | reader's text size | readable by script, one year |
//! | `bs_session` | staff session token | `HttpOnly`, `SameSite=Lax`, `Secure` behind HTTPS |
//! | `bs_login_csrf` | token tying the login form to this browser | `HttpOnly`, `SameSite=Strict` |

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "bs_session";
pub const LOGIN_CSRF: &str = "bs_login_csrf";

/// The value of the first cookie called `name`.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for a server-only cookie. `max_age` of `None` makes it a session cookie
/// (gone when the browser closes); `Some(0)` deletes it.
pub fn http_only(
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
    same_site: &str,
    secure: bool,
) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(age) = max_age_secs {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    // Names and values are ours (hex tokens), always valid header text.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("fs=2; bs_session=abc"),
        );
        assert_eq!(get(&headers, "bs_session"), Some("abc"));
        assert_eq!(get(&headers, "fs"), Some("2"));
        assert_eq!(get(&headers, "nope"), None);
    }

    #[test]
    fn flags() {
        let c = http_only(SESSION, "t", Some(60), "Lax", true);
        assert_eq!(
            c.to_str().unwrap(),
            "bs_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        let c = http_only(SESSION, "", Some(0), "Lax", false);
        assert!(!c.to_str().unwrap().contains("Secure"));
    }
}
