//! `/search?q=…&section=…&from=…&to=…&page=N`: results ranked by relevance, the matching words
//! marked, filterable by section and date.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use crate::content::{dates, sections};
use crate::search::{self, Search, highlight};
use crate::web::chrome::Chrome;
use crate::web::extract::{PageQuery, QueryParams};
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub section: String,
    /// `YYYY-MM-DD`, in the site's zone.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default, skip_serializing)]
    pub page: Option<String>,
}

#[derive(Serialize)]
struct Result_ {
    url: String,
    title_html: String,
    snippet_html: String,
    section_name: String,
    published_at: i64,
}

/// Midnight of a `YYYY-MM-DD` date in the zone; `days_after` moves to a later midnight.
fn day_start(text: &str, tz: &jiff::tz::TimeZone, days_after: i64) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date: jiff::civil::Date = text
        .parse()
        .map_err(|_| format!("`{text}` is not a date; use the form 2015-03-04."))?;
    let date = date
        .checked_add(jiff::Span::new().days(days_after))
        .map_err(|e| e.to_string())?;
    let zoned = date
        .to_zoned_datetime(tz.clone())
        .map_err(|e| e.to_string())?;
    Ok(Some(zoned.timestamp().as_millisecond()))
}

pub async fn show(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<SearchQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let page = PageQuery {
        page: q.page.clone(),
    }
    .number()?;
    let all_sections = sections::list_visible(&state.db).await?;
    let tz = dates::zone(&chrome.site.timezone);
    let mut error = None;
    let mut results = Vec::new();
    let mut more = false;
    let mut searched = false;
    if !q.q.trim().is_empty() || q.page.is_some() {
        let from = day_start(&q.from, &tz, 0);
        let until = day_start(&q.to, &tz, 1);
        match (search::parse(&q.q), from, until) {
            (Err(e), _, _) => error = Some(e.to_string()),
            (_, Err(e), _) | (_, _, Err(e)) => error = Some(e),
            (Ok(terms), Ok(from), Ok(until)) => {
                searched = true;
                let section = Some(q.section.trim().to_owned()).filter(|s| !s.is_empty());
                let request = Search {
                    text: q.q.clone(),
                    section,
                    from,
                    until,
                    page,
                };
                let (hits, has_more) = search::run(&state.db, &request, &terms).await?;
                more = has_more;
                results = hits
                    .into_iter()
                    .map(|h| Result_ {
                        url: format!("/{}/{}", h.section_slug, h.slug),
                        title_html: highlight::mark(&h.title, &terms),
                        snippet_html: highlight::snippet(
                            &format!("{} {}", h.summary, search::markdown_text(&h.body_md)),
                            &terms,
                            220,
                        ),
                        section_name: h.section_name,
                        published_at: h.published_at,
                    })
                    .collect();
                if page > 1 && results.is_empty() {
                    return Err(AppError::NotFound);
                }
            }
        }
    }
    // The query string for the pager's links, without the page.
    let keep = serde_urlencoded_pairs(&q);
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let html = chrome.render(
        &state,
        "search.html",
        context! {
            q => Value::from(Serde(&q)),
            results => Value::from(Serde(&results)),
            searched,
            error,
            page,
            more,
            keep,
            sections => Value::from(Serde(&all_sections)),
        },
    )?;
    Ok((status, html).into_response())
}

fn serde_urlencoded_pairs(q: &SearchQuery) -> String {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    format!(
        "q={}&section={}&from={}&to={}",
        enc(&q.q),
        enc(&q.section),
        enc(&q.from),
        enc(&q.to)
    )
}
