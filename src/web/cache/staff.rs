//! Purges after staff changes: a layer on the staff routes, so that no editor or admin action
//! can forget to tell the cache.
//!
//! - `/admin/articles/{id}/…`: the article's pages, as they were before and are after (a story
//!   moved to another section leaves the old section's list too). A new article's id comes
//!   from where the response sends the editor.
//! - sections, site settings, discussion settings: every page (they change every page's
//!   chrome, or every comment form).
//!
//! Moderation decisions purge in their handlers, which know the posts they touched.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;

use super::tags;
use crate::web::AppState;

/// The article an editor path names; with or without the `/admin` prefix (the layer sits on
/// the nested staff router, which sees paths without it).
fn article_id_in(path: &str) -> Option<i64> {
    let path = path.strip_prefix("/admin").unwrap_or(path);
    path.strip_prefix("/articles/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

pub async fn purge_after_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let path = path.strip_prefix("/admin").unwrap_or(&path).to_owned();
    let site_wide = matches!(path.as_str(), "/sections" | "/settings" | "/discussion");
    let article = article_id_in(&path);
    let mut before = Vec::new();
    if let Some(id) = article {
        before = tags::for_article(&state.db, id).await.unwrap_or_default();
    }
    let response = next.run(request).await;
    // Refused changes (4xx) change nothing; redirects and pages after a change do.
    if response.status().is_client_error() || response.status().is_server_error() {
        return response;
    }
    let mut purge = before;
    if site_wide {
        purge.extend(tags::site());
    }
    let changed = article.or_else(|| {
        // A new article: the response sends the editor to `/admin/articles/{id}`.
        (path == "/articles")
            .then(|| response.headers().get(header::LOCATION))
            .flatten()
            .and_then(|l| l.to_str().ok())
            .and_then(article_id_in)
    });
    if let Some(id) = changed {
        purge.extend(tags::for_article(&state.db, id).await.unwrap_or_default());
    }
    purge.sort();
    purge.dedup();
    state.invalidator.purge(&purge).await;
    response
}

#[cfg(test)]
mod tests {
    use super::article_id_in;

    #[test]
    fn article_ids_come_from_editor_paths() {
        assert_eq!(article_id_in("/admin/articles/42/publish"), Some(42));
        assert_eq!(article_id_in("/admin/articles/42"), Some(42));
        assert_eq!(article_id_in("/admin/articles/new"), None);
        assert_eq!(article_id_in("/admin/users/3"), None);
        assert_eq!(article_id_in("/articles/7/image"), Some(7));
    }
}
