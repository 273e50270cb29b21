//! THE route table: every URL of the product, grouped by area, with who may use it.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use super::handlers::{
    admin, api, article, captcha, comments, editor, feeds, forum, home, media, moderation,
    newsletter, search, section, sitemaps, submissions, tag,
};
use super::{AppState, assets, cache, middleware, prefs};

/// Largest request body for forms that carry photos: three photos and the text.
pub const UPLOAD_LIMIT: usize = 3 * crate::media::MAX_BYTES + 1024 * 1024;

pub fn routes(state: AppState) -> Router {
    Router::new()
        // Reading — anyone.
        .route("/", get(home::show))
        .route("/search", get(search::show))
        .route("/tag/{tag}", get(tag::show))
        // Feeds, sitemaps, robots — anyone.
        .route("/feed.rss", get(feeds::site))
        .route("/feed.atom", get(feeds::site))
        .route("/{section}/feed.rss", get(feeds::section))
        .route("/{section}/feed.atom", get(feeds::section))
        .route("/tag/{tag}/feed.rss", get(feeds::tag))
        .route("/tag/{tag}/feed.atom", get(feeds::tag))
        .route("/sitemap.xml", get(sitemaps::index))
        .route("/sitemaps/{file}", get(sitemaps::child))
        .route("/news-sitemap.xml", get(sitemaps::news))
        .route("/robots.txt", get(sitemaps::robots))
        .route("/{section}", get(section::show))
        .route("/{section}/{slug}", get(article::show::show))
        .route("/{section}/{slug}/print", get(article::print::show))
        // Discussion — anyone; every post passes the CAPTCHA and the screening.
        .route("/{section}/{slug}/comments", post(comments::post::submit))
        .route(
            "/{section}/{slug}/comments/{id}",
            get(comments::permalink::show),
        )
        .route(
            "/posts/{id}/report",
            get(comments::report::show).post(comments::report::submit),
        )
        .route(
            "/submit",
            get(submissions::form::show)
                .post(submissions::form::submit)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        // Newsletter — anyone; mailed links carry their own proof (see the handlers).
        .route(
            "/newsletter",
            get(newsletter::show).post(newsletter::sign_up),
        )
        .route("/newsletter/confirm/{token}", get(newsletter::confirm))
        .route(
            "/newsletter/preferences/{token}",
            get(newsletter::preferences).post(newsletter::save_preferences),
        )
        .route(
            "/newsletter/unsubscribe/{token}",
            get(newsletter::unsubscribe_page).post(newsletter::unsubscribe),
        )
        .route("/forum", get(forum::index::show))
        .route(
            "/forum/{board}",
            get(forum::board::show).post(forum::board::start),
        )
        .route(
            "/forum/{board}/{topic}",
            get(forum::topic::show).post(forum::topic::reply),
        )
        .route(
            "/forum/{board}/{topic}/posts/{id}",
            get(forum::topic::permalink),
        )
        .route("/captcha/{file}", get(captcha::word_image))
        // JSON API — anyone; the same CAPTCHA and screening as the forms.
        .route("/api/v1/openapi.json", get(api::openapi::show))
        .route("/api/v1/captcha/challenge", get(captcha::challenge))
        .route(
            "/api/v1/articles/{section}/{slug}/comments",
            get(api::comments::list).post(api::comments::create),
        )
        // Assets — anyone; hashed names are cached for a year.
        .route("/static/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/media/{file}", get(media::serve))
        .route("/healthz", get(|| async { "ok" }))
        .nest(
            "/admin",
            staff_routes().layer(from_fn_with_state(
                state.clone(),
                cache::staff::purge_after_changes,
            )),
        )
        .fallback(home::not_found)
        // The last layer added is the outermost: a request meets tracing first; an error
        // response from anything inside `error_pages` becomes the site's error page.
        .layer(CatchPanicLayer::new())
        .layer(from_fn(middleware::check_uri))
        .layer(from_fn_with_state(state.clone(), middleware::error_pages))
        .layer(from_fn_with_state(state.clone(), cache::serve::page_cache))
        .layer(from_fn(prefs::remember_font_size))
        .layer(from_fn(middleware::security_headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `/admin`: who may use each route is the extractor its handler takes.
fn staff_routes() -> Router<AppState> {
    Router::new()
        // Anyone (the login form itself, and password links, whose token is the proof).
        .route("/login", get(admin::login::show).post(admin::login::submit))
        .route(
            "/reset/{token}",
            get(admin::reset::show).post(admin::reset::set),
        )
        // Any signed-in staff member.
        .route("/", get(admin::dashboard::show))
        .route("/logout", post(admin::logout::this_browser))
        .route("/logout-everywhere", post(admin::logout::everywhere))
        // Admins.
        .route(
            "/sections",
            get(admin::sections::show).post(admin::sections::save),
        )
        .route(
            "/settings",
            get(admin::settings::show).post(admin::settings::save),
        )
        .route("/users", get(admin::users::list).post(admin::reset::invite))
        .route("/users/{id}/reset-link", post(admin::reset::issue))
        .route("/users/{id}/disable", post(admin::users::disable))
        .route("/users/{id}/enable", post(admin::users::enable))
        .route("/newsletter", get(admin::mail::show))
        .route("/jobs/{id}/retry", post(admin::mail::retry))
        // Editors (and admins).
        .route(
            "/articles",
            get(editor::list::show).post(editor::form::create),
        )
        .route("/articles/new", get(editor::form::new))
        .route(
            "/articles/{id}",
            get(editor::form::edit).post(editor::form::save),
        )
        .route("/articles/{id}/publish", post(editor::lifecycle::publish))
        .route("/articles/{id}/schedule", post(editor::lifecycle::schedule))
        .route(
            "/articles/{id}/unpublish",
            post(editor::lifecycle::unpublish),
        )
        .route("/articles/{id}/draft", post(editor::lifecycle::to_draft))
        .route(
            "/articles/{id}/corrections",
            post(editor::lifecycle::correct),
        )
        .route(
            "/articles/{id}/image",
            post(editor::image::upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/articles/{id}/image/remove", post(editor::image::remove))
        .route("/articles/{id}/revisions", get(editor::revisions::list))
        .route(
            "/articles/{id}/revisions/{number}/restore",
            post(editor::revisions::restore),
        )
        .route("/preview", post(editor::form::preview))
        .route("/submissions", get(submissions::inbox::list))
        .route("/submissions/{id}", get(submissions::inbox::show))
        .route(
            "/submissions/{id}/photos/{file}",
            get(submissions::inbox::photo),
        )
        .route("/submissions/{id}/reject", post(submissions::inbox::reject))
        .route(
            "/submissions/{id}/draft",
            post(submissions::inbox::to_draft),
        )
        // Moderators (and admins).
        .route("/moderation", get(moderation::queue::show))
        .route("/moderation/posts/{id}", post(moderation::decide::one))
        .route("/moderation/posts/{id}/ban", post(moderation::decide::ban))
        .route("/moderation/bulk", post(moderation::decide::bulk))
        .route("/moderation/log", get(moderation::log::show))
        .route("/moderation/bans", get(moderation::bans::list))
        .route("/moderation/bans/{id}/lift", post(moderation::bans::lift))
        .route(
            "/moderation/words",
            get(moderation::words::list).post(moderation::words::add),
        )
        .route(
            "/moderation/words/{id}/delete",
            post(moderation::words::remove),
        )
        // Admins: how discussion works on the site.
        .route(
            "/discussion",
            get(moderation::settings::show).post(moderation::settings::save),
        )
        .layer(from_fn(admin::no_store))
}
