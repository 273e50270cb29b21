//! `GET /admin/moderation`: a queue, filtered.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use crate::content::sections;
use crate::discussion::moderation::{Reason, queue};
use crate::web::auth::{Moderator, RequireRole};
use crate::web::chrome::Chrome;
use crate::web::extract::{PageQuery, QueryParams};
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    pub queue: Option<String>,
    pub article: Option<String>,
    pub section: Option<String>,
    pub name: Option<String>,
    pub page: Option<String>,
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn show(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    QueryParams(q): QueryParams<QueueQuery>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = moderator.session();
    let which = match q.queue.as_deref() {
        None | Some("") => queue::Queue::Held,
        Some(name) => queue::Queue::parse(name)
            .ok_or_else(|| AppError::BadRequest(format!("There is no queue called `{name}`.")))?,
    };
    let page = PageQuery { page: q.page }.number()?;
    let article_id = match non_empty(q.article) {
        None => None,
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| AppError::BadRequest("`article` must be an article number.".into()))?,
        ),
    };
    let filter = queue::Filter {
        article_id,
        section: non_empty(q.section),
        name: non_empty(q.name),
    };
    let (items, has_next) = queue::list(&state.db, which, &filter, page).await?;
    let (held, reported) = queue::counts(&state.db).await?;
    let all_sections = sections::list_all(&state.db).await?;
    let reasons: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();

    // The current address, for the forms to come back to.
    let mut back = format!(
        "/admin/moderation?queue={}",
        serde_json::to_value(which)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    );
    if let Some(id) = filter.article_id {
        back.push_str(&format!("&article={id}"));
    }
    if let Some(s) = &filter.section {
        back.push_str(&format!(
            "&section={}",
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        ));
    }
    if let Some(n) = &filter.name {
        back.push_str(&format!(
            "&name={}",
            percent_encoding::utf8_percent_encode(n, percent_encoding::NON_ALPHANUMERIC)
        ));
    }

    chrome.render(
        &state,
        "admin/moderation.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            queue => Value::from(Serde(which)),
            items => Value::from(Serde(&items)),
            page,
            has_next,
            held,
            reported,
            sections => Value::from(Serde(&all_sections)),
            reasons,
            filter_article => filter.article_id,
            filter_section => filter.section.clone(),
            filter_name => filter.name.clone(),
            back,
        },
    )
}
