//! Decisions: one post at a time, or many at once.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::safe_back;
use crate::discussion::moderation::decide::{self, Action};
use crate::discussion::moderation::{Reason, bans};
use crate::store::now_ms;
use crate::web::auth::{Moderator, RequireRole, check_csrf};
use crate::web::cache;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

fn action_of(action: &str, reason: Option<&str>) -> Result<Option<Action>, AppError> {
    Ok(Some(match action {
        "approve" => Action::Approve,
        "restore" => Action::Restore,
        "remove" => Action::Remove(
            reason
                .and_then(Reason::parse)
                .ok_or_else(|| AppError::BadRequest("Choose a reason for the removal.".into()))?,
        ),
        "dismiss" => return Ok(None),
        other => return Err(AppError::BadRequest(format!("Unknown action `{other}`."))),
    }))
}

#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub action: String,
    pub reason: Option<String>,
    #[serde(default)]
    pub note: String,
    pub back: Option<String>,
}

/// `POST /admin/moderation/posts/{id}`
pub async fn one(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    PathParams(post_id): PathParams<i64>,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let session = moderator.session();
    check_csrf(session, &form.csrf)?;
    let now = now_ms();
    match action_of(&form.action, form.reason.as_deref())? {
        Some(action) => {
            decide::decide(&state.db, post_id, action, session.user.id, &form.note, now).await?;
            let touched = cache::tags::for_post(&state.db, post_id).await?;
            state.invalidator.purge(&touched).await;
        }
        None => {
            decide::dismiss_reports(&state.db, post_id, session.user.id, now).await?;
        }
    }
    Ok(Redirect::to(&safe_back(form.back.as_deref())).into_response())
}

/// `POST /admin/moderation/bulk`: checkboxes are named `post-<id>`, so that the form stays a
/// plain map of names to values.
pub async fn bulk(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let session = moderator.session();
    check_csrf(
        session,
        fields.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let action = action_of(
        fields.get("action").map(String::as_str).unwrap_or(""),
        fields.get("reason").map(String::as_str),
    )?;
    let mut ids: Vec<i64> = fields
        .keys()
        .filter_map(|k| k.strip_prefix("post-"))
        .filter_map(|id| id.parse().ok())
        .collect();
    ids.sort_unstable();
    if ids.is_empty() {
        return Err(AppError::BadRequest("Select at least one post.".into()));
    }
    let now = now_ms();
    let mut touched = Vec::new();
    for id in ids {
        match action {
            Some(action) => {
                decide::decide(&state.db, id, action, session.user.id, "bulk", now).await?;
                touched.extend(cache::tags::for_post(&state.db, id).await?);
            }
            None => {
                decide::dismiss_reports(&state.db, id, session.user.id, now).await?;
            }
        }
    }
    touched.sort();
    touched.dedup();
    state.invalidator.purge(&touched).await;
    Ok(Redirect::to(&safe_back(fields.get("back").map(String::as_str))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct BanForm {
    #[serde(default)]
    pub csrf: String,
    pub name: Option<String>,
    pub address: Option<String>,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub reason: String,
    /// Also remove the post.
    pub remove: Option<String>,
    pub back: Option<String>,
}

/// `POST /admin/moderation/posts/{id}/ban`
pub async fn ban(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    PathParams(post_id): PathParams<i64>,
    Form(form): Form<BanForm>,
) -> Result<Response, AppError> {
    let session = moderator.session();
    check_csrf(session, &form.csrf)?;
    let reason = Reason::parse(&form.reason)
        .ok_or_else(|| AppError::BadRequest("Choose a reason for the ban.".into()))?;
    let days = form
        .days
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("Choose how long the ban lasts.".into()))?;
    let request = bans::BanRequest {
        name: form.name.is_some(),
        address: form.address.is_some(),
        days,
        reason,
    };
    let now = now_ms();
    bans::ban_author(&state.db, post_id, request, session.user.id, now).await?;
    if form.remove.is_some() {
        decide::decide(
            &state.db,
            post_id,
            Action::Remove(reason),
            session.user.id,
            "with ban",
            now,
        )
        .await?;
        let touched = cache::tags::for_post(&state.db, post_id).await?;
        state.invalidator.purge(&touched).await;
    }
    Ok(Redirect::to(&safe_back(form.back.as_deref())).into_response())
}
