//! `/{section}/{slug}`: the article page, with its comments and the comment form.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use super::{Lookup, lookup, moved_permanently};
use crate::content::articles::{self, Article};
use crate::content::tags;
use crate::discussion::posts;
use crate::discussion::screening::Mode;
use crate::web::cache::serve::tagged;
use crate::web::cache::{CacheTags, article_tag};
use crate::web::chrome::Chrome;
use crate::web::extract::{PathParams, QueryParams};
use crate::web::{AppError, AppState};

/// Related stories listed under the article.
const RELATED: i64 = 4;

#[derive(Debug, Default, Deserialize)]
pub struct ArticleQuery {
    /// Page of the comments.
    pub cpage: Option<String>,
    /// The comment being answered.
    pub reply: Option<String>,
    /// `published` or `held`, after a comment was sent.
    pub comment: Option<String>,
    /// Set after a reader reported a comment.
    pub reported: Option<String>,
}

/// The comment form as the reader left it, with what to say above it.
#[derive(Debug, Default, Clone, Serialize)]
pub struct CommentForm {
    pub name: String,
    pub email: String,
    pub body: String,
    pub parent_id: Option<i64>,
    pub error: Option<String>,
    pub notice: Option<&'static str>,
    /// Thank the reader for a report.
    pub reported: bool,
}

pub async fn show(
    State(state): State<AppState>,
    PathParams((section, slug)): PathParams<(String, String)>,
    QueryParams(query): QueryParams<ArticleQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let article = match lookup(&state, &section, &slug).await? {
        Lookup::Found(article) => article,
        Lookup::Moved(path) => return Ok(moved_permanently(&path)),
    };
    let cpage = crate::web::extract::PageQuery { page: query.cpage }.number()?;
    let form = CommentForm {
        parent_id: query.reply.as_deref().and_then(|r| r.parse().ok()),
        notice: match query.comment.as_deref() {
            Some("published") => Some("published"),
            Some("held") => Some("held"),
            _ => None,
        },
        reported: query.reported.is_some(),
        ..CommentForm::default()
    };
    render_article(&state, &chrome, &article, cpage, form, StatusCode::OK).await
}

/// schema.org `NewsArticle` for search engines, as JSON safe to put inside `<script>`.
fn news_article_jsonld(
    state: &AppState,
    chrome: &Chrome,
    article: &Article,
    url: &str,
    image: Option<&str>,
) -> String {
    let tz = crate::content::dates::zone("UTC");
    let iso = |ms: i64| crate::content::dates::display(ms, &tz).iso;
    let published = article.published_at.unwrap_or(article.updated_at);
    let author = if article.byline.is_empty() {
        serde_json::json!([{ "@type": "Organization", "name": chrome.site.name }])
    } else {
        serde_json::json!([{ "@type": "Person", "name": article.byline }])
    };
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": iso(published),
        "dateModified": iso(article.updated_note_at.unwrap_or(published).max(published)),
        "author": author,
        "publisher": {
            "@type": "Organization",
            "name": chrome.site.name,
            "url": format!("{}/", state.base_url),
        },
        "image": image.map(|i| vec![i.to_owned()]).unwrap_or_default(),
        "articleSection": article.section_name,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "url": url,
        "inLanguage": crate::content::language::guess(&article.title).unwrap_or(&chrome.site.language),
    });
    // `<` never appears raw, so the JSON cannot close the script element it sits in.
    value.to_string().replace('<', "\\u003c")
}

/// Renders the article page; the comment form carries `form` (a refused comment's text).
pub async fn render_article(
    state: &AppState,
    chrome: &Chrome,
    article: &Article,
    cpage: i64,
    form: CommentForm,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tags = match article.tag_count {
        0 => Vec::new(),
        _ => tags::of_article(&state.db, article.id).await?,
    };
    let corrections = match article.correction_count {
        0 => Vec::new(),
        _ => crate::content::editing::corrections(&state.db, article.id).await?,
    };
    let lead_sizes = match article.lead_image_id {
        Some(m) => crate::media::sizes(&state.db, m).await?,
        None => Vec::new(),
    };
    let related = articles::related(&state.db, article, RELATED).await?;
    let (comments, more_comments) = match article.thread_id {
        Some(thread) => posts::page(&state.db, thread, cpage).await?,
        None => (Vec::new(), false),
    };
    if cpage > 1 && comments.is_empty() {
        return Err(AppError::NotFound);
    }
    let replying_to = form.parent_id.and_then(|id| {
        comments
            .iter()
            .find(|c| c.id == id && !c.removed)
            .map(|c| c.author_name.clone())
    });
    let site = state.cache.site.get(&state.db).await?;
    let mode = posts::mode_from(
        site.discussion_mode.as_deref(),
        article.section_moderation_mode.as_deref(),
    );
    let comments_open = mode != Mode::Closed && !article.thread_closed();

    // The page as every reader first sees it is cached; a page that carries one reader's
    // refused comment is theirs alone, and gets a word challenge of its own.
    let shared = status == StatusCode::OK && form.error.is_none() && form.body.is_empty();
    let captcha = crate::web::handlers::captcha::view(state, shared).await?;

    let path = articles::path(&article.section_slug, &article.slug);
    let url = format!("{}{}", state.base_url, path);
    let image_url = match (article.lead_image_id, lead_sizes.last()) {
        (Some(id), Some(size)) => Some(format!("{}/media/{id}-{}.jpg", state.base_url, size.width)),
        _ => None,
    };
    let jsonld = news_article_jsonld(state, chrome, article, &url, image_url.as_deref());
    let page = chrome.render(
        state,
        "article.html",
        context! {
            article => Value::from(Serde(article)),
            tags => Value::from(Serde(&tags)),
            corrections => Value::from(Serde(&corrections)),
            lead_sizes => Value::from(Serde(&lead_sizes)),
            image_url,
            jsonld => Value::from_safe_string(jsonld),
            related => Value::from(Serde(&related)),
            comments => Value::from(Serde(&comments)),
            cpage,
            more_comments,
            comments_open,
            replying_to,
            reported => form.reported,
            form => Value::from(Serde(&form)),
            captcha => Value::from(Serde(&captcha)),
            path,
            url,
        },
    )?;
    let response = (status, page).into_response();
    Ok(if shared {
        tagged(response, CacheTags::new([article_tag(article.id)]))
    } else {
        response
    })
}
