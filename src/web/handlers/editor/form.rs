//! Writing: the new-article form, the edit form, saving with conflict detection, preview.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use crate::accounts::sessions::Session;
use crate::accounts::users::Role;
use crate::content::editing::{self, Draft, EditError, Editable};
use crate::content::{articles, markdown, sections};
use crate::store::now_ms;
use crate::web::auth::{Editor, MaybeStaff, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::extract::{PathParams, QueryParams};
use crate::web::{AppError, AppState};

/// The editor's fields, as typed.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ArticleFields {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body_md: String,
    #[serde(default)]
    pub section_id: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub byline: String,
    /// Comma-separated.
    #[serde(default)]
    pub tags: String,
    /// The revision this edit started from.
    #[serde(default)]
    pub revision: String,
    pub mark_updated: Option<String>,
    /// `save` or `preview`.
    #[serde(default, skip_serializing)]
    pub action: String,
    #[serde(default, skip_serializing)]
    pub csrf: String,
}

impl ArticleFields {
    fn from_article(a: &Editable, tags: &[String]) -> ArticleFields {
        ArticleFields {
            title: a.title.clone(),
            summary: a.summary.clone(),
            body_md: a.body_md.clone(),
            section_id: a.section_id.to_string(),
            slug: a.slug.clone(),
            source: a.source.clone(),
            byline: a.byline.clone(),
            tags: tags.join(", "),
            revision: a.revision.to_string(),
            ..ArticleFields::default()
        }
    }

    fn draft(&self) -> Result<Draft, AppError> {
        Ok(Draft {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body_md: self.body_md.clone(),
            section_id: self
                .section_id
                .trim()
                .parse()
                .map_err(|_| AppError::BadRequest("Choose a section.".into()))?,
            slug: self.slug.clone(),
            source: self.source.clone(),
            byline: self.byline.clone(),
            tags: self
                .tags
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
        })
    }
}

/// What the edit page shows besides the fields.
#[derive(Default)]
pub struct PageState {
    pub error: Option<String>,
    pub preview_html: Option<String>,
    pub conflict: Option<(Editable, Vec<editing::DiffLine>)>,
    pub notice: Option<&'static str>,
}

async fn render(
    state: &AppState,
    chrome: &Chrome,
    session: &Session,
    article: Option<&Editable>,
    fields: &ArticleFields,
    page: PageState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let all_sections = sections::list_all(&state.db).await?;
    let (corrections, revisions) = match article {
        Some(a) => (
            editing::corrections(&state.db, a.id).await?,
            editing::revisions(&state.db, a.id).await?.len(),
        ),
        None => (Vec::new(), 0),
    };
    let view_path = article
        .filter(|a| a.status == "published")
        .map(|a| articles::path(&a.section_slug, &a.slug));
    let lead_sizes = match article.and_then(|a| a.lead_image_id) {
        Some(m) => crate::media::sizes(&state.db, m).await?,
        None => Vec::new(),
    };
    let (conflict, conflict_diff) = match page.conflict {
        Some((current, diff)) => (Some(current), diff),
        None => (None, Vec::new()),
    };
    let html = chrome.render(
        state,
        "editor/edit.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            article => Value::from(Serde(&article)),
            fields => Value::from(Serde(fields)),
            sections => Value::from(Serde(&all_sections)),
            corrections => Value::from(Serde(&corrections)),
            revisions,
            view_path,
            error => page.error,
            preview_html => page.preview_html,
            conflict => Value::from(Serde(&conflict)),
            conflict_diff => Value::from(Serde(&conflict_diff)),
            notice => page.notice,
            lead_sizes => Value::from(Serde(&lead_sizes)),
        },
    )?;
    let mut response = (status, html).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The editor behind a save, or — when the session ran out while they wrote — a page that
/// keeps what they wrote (a redirect to the login form would throw it away).
fn editor_or_kept(
    state: &AppState,
    chrome: &Chrome,
    staff: MaybeStaff,
    fields: &ArticleFields,
) -> Result<Result<Session, Response>, AppError> {
    match staff.0 {
        Some(session) if session.user.role.covers(Role::Editor) => Ok(Ok(session)),
        Some(session) => Err(AppError::Forbidden(format!(
            "This page is for the editor role; you are signed in as {}.",
            session.user.role.as_str()
        ))),
        None => {
            let page = chrome.render(
                state,
                "editor/session_expired.html",
                context! { fields => Value::from(Serde(fields)) },
            )?;
            Ok(Err((StatusCode::UNAUTHORIZED, page).into_response()))
        }
    }
}

/// `GET /admin/articles/new`
pub async fn new(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let fields = ArticleFields::default();
    render(
        &state,
        &chrome,
        editor.session(),
        None,
        &fields,
        PageState::default(),
        StatusCode::OK,
    )
    .await
}

fn message_of(e: &EditError) -> String {
    match e {
        EditError::Invalid { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// `POST /admin/articles`
pub async fn create(
    State(state): State<AppState>,
    staff: MaybeStaff,
    chrome: Chrome,
    Form(fields): Form<ArticleFields>,
) -> Result<Response, AppError> {
    let session = match editor_or_kept(&state, &chrome, staff, &fields)? {
        Ok(session) => session,
        Err(kept) => return Ok(kept),
    };
    let session = &session;
    check_csrf(session, &fields.csrf)?;
    if fields.action == "preview" {
        let page = PageState {
            preview_html: Some(markdown::render(&fields.body_md)),
            ..PageState::default()
        };
        return render(
            &state,
            &chrome,
            session,
            None,
            &fields,
            page,
            StatusCode::OK,
        )
        .await;
    }
    let draft = match fields.draft() {
        Ok(d) => d,
        Err(AppError::BadRequest(m)) => {
            let page = PageState {
                error: Some(m),
                ..PageState::default()
            };
            return render(
                &state,
                &chrome,
                session,
                None,
                &fields,
                page,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e),
    };
    match editing::create(&state.db, &draft, session.user.id, now_ms()).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response()),
        Err(e @ EditError::Invalid { .. }) => {
            let page = PageState {
                error: Some(message_of(&e)),
                ..PageState::default()
            };
            render(
                &state,
                &chrome,
                session,
                None,
                &fields,
                page,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    pub saved: Option<String>,
    pub done: Option<String>,
}

async fn tag_names(state: &AppState, id: i64) -> Result<Vec<String>, AppError> {
    Ok(crate::content::tags::of_article(&state.db, id)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect())
}

/// `GET /admin/articles/{id}`
pub async fn edit(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    QueryParams(q): QueryParams<EditQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let article = editing::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = ArticleFields::from_article(&article, &tag_names(&state, id).await?);
    let notice = match (q.saved.is_some(), q.done.as_deref()) {
        (true, _) => Some("Saved."),
        (_, Some("published")) => Some("Published."),
        (_, Some("scheduled")) => Some("Scheduled."),
        (_, Some("unpublished")) => {
            Some("Unpublished: the story's address now says it was withdrawn.")
        }
        (_, Some("draft")) => Some("Back to draft."),
        (_, Some("corrected")) => Some("Correction added."),
        (_, Some("restored")) => Some("Revision restored."),
        (_, Some("image")) => Some("Lead image saved."),
        (_, Some("image-removed")) => Some("Lead image removed."),
        _ => None,
    };
    let page = PageState {
        notice,
        ..PageState::default()
    };
    render(
        &state,
        &chrome,
        editor.session(),
        Some(&article),
        &fields,
        page,
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/articles/{id}`: save, or preview without saving.
pub async fn save(
    State(state): State<AppState>,
    staff: MaybeStaff,
    PathParams(id): PathParams<i64>,
    chrome: Chrome,
    Form(fields): Form<ArticleFields>,
) -> Result<Response, AppError> {
    let session = match editor_or_kept(&state, &chrome, staff, &fields)? {
        Ok(session) => session,
        Err(kept) => return Ok(kept),
    };
    let session = &session;
    check_csrf(session, &fields.csrf)?;
    let article = editing::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if fields.action == "preview" {
        let page = PageState {
            preview_html: Some(markdown::render(&fields.body_md)),
            ..PageState::default()
        };
        return render(
            &state,
            &chrome,
            session,
            Some(&article),
            &fields,
            page,
            StatusCode::OK,
        )
        .await;
    }
    let refuse = |message: String| {
        let (state, chrome, article, fields) = (&state, &chrome, &article, &fields);
        async move {
            let page = PageState {
                error: Some(message),
                ..PageState::default()
            };
            render(
                state,
                chrome,
                session,
                Some(article),
                fields,
                page,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let draft = match fields.draft() {
        Ok(d) => d,
        Err(AppError::BadRequest(m)) => return refuse(m).await,
        Err(e) => return Err(e),
    };
    let base: i64 = fields.revision.trim().parse().unwrap_or(-1);
    let mark = fields.mark_updated.is_some();
    match editing::update(&state.db, id, &draft, base, mark, session.user.id, now_ms()).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response()),
        Err(EditError::Conflict { current }) => {
            // Show what is saved now beside what this editor typed; the typed text stays in the
            // form, now based on the current revision, so saving again is a deliberate choice.
            let theirs = format!("Headline: {}\n\n{}\n", current.title, current.body_md);
            let mine = format!("Headline: {}\n\n{}\n", fields.title, fields.body_md);
            let diff = editing::diff(&theirs, &mine);
            let mut kept = fields.clone();
            kept.revision = current.revision.to_string();
            let page = PageState {
                error: Some(
                    "Someone else saved this article while you were editing. Nothing was overwritten: compare below, then save again to replace their version with yours."
                        .into(),
                ),
                conflict: Some((*current.clone(), diff)),
                ..PageState::default()
            };
            render(
                &state,
                &chrome,
                session,
                Some(&current),
                &kept,
                page,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e @ EditError::Invalid { .. }) => refuse(message_of(&e)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    pub body_md: String,
    #[serde(default)]
    pub csrf: String,
}

/// `POST /admin/preview`: rendered, sanitised HTML of some Markdown, for the live preview.
pub async fn preview(
    editor: RequireRole<Editor>,
    Form(form): Form<PreviewForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    let mut response = Html(markdown::render(&form.body_md)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
