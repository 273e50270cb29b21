//! `/admin/sections`: add, rename, reorder and hide sections (admins).

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::content::{ContentError, sections};
use crate::web::auth::{Admin, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::{AppError, AppState};

async fn render(
    state: &AppState,
    chrome: &Chrome,
    admin: &RequireRole<Admin>,
    error: Option<String>,
    new_name: &str,
    new_slug: &str,
) -> Result<Response, AppError> {
    let session = admin.session();
    let all = sections::list_all(&state.db).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = chrome.render(
        state,
        "admin/sections.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            sections => Value::from(Serde(&all)),
            error,
            new_name,
            new_slug,
        },
    )?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    render(&state, &chrome, &admin, None, "", "").await
}

/// Fields: `csrf`, then for the new section `new_name`, `new_slug`; for each existing one
/// `name-<id>`, `position-<id>`, `hidden-<id>` (present when ticked).
pub async fn save(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    chrome: Chrome,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    check_csrf(
        admin.session(),
        fields.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let fail = |e: ContentError| async {
        match e {
            ContentError::Invalid { message, .. } => {
                render(
                    &state,
                    &chrome,
                    &admin,
                    Some(message),
                    get("new_name"),
                    get("new_slug"),
                )
                .await
            }
            ContentError::Database(e) => Err(e.into()),
        }
    };
    if !get("new_name").trim().is_empty() {
        if let Err(e) = sections::create(&state.db, get("new_name"), get("new_slug")).await {
            return fail(e).await;
        }
        return Ok(Redirect::to("/admin/sections").into_response());
    }
    for section in sections::list_all(&state.db).await? {
        let id = section.id;
        let name = fields
            .get(&format!("name-{id}"))
            .cloned()
            .unwrap_or(section.name.clone());
        let position = match fields.get(&format!("position-{id}")) {
            Some(p) => p.trim().parse::<i64>().map_err(|_| {
                AppError::BadRequest(format!(
                    "The position of {} must be a whole number.",
                    section.name
                ))
            })?,
            None => section.position,
        };
        let hidden = fields.contains_key(&format!("hidden-{id}"));
        if let Err(e) = sections::update(&state.db, id, &name, position, hidden).await {
            return fail(e).await;
        }
    }
    Ok(Redirect::to("/admin/sections?saved=1").into_response())
}
