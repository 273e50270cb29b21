//! The lead image: upload (multipart) and removal.

use axum::Form;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::content::editing;
use crate::media::{self, MediaError};
use crate::store::now_ms;
use crate::web::auth::{Editor, RequireRole, check_csrf};
use crate::web::extract::PathParams;
use crate::web::handlers::admin::logout::CsrfForm;
use crate::web::{AppError, AppState};

/// Reads a multipart form: text fields and files named `file_field` (at most `max_files + 1`
/// are kept; the body limit bounds the rest).
pub async fn read_form(
    mut multipart: Multipart,
    file_field: &str,
    max_files: usize,
) -> Result<(std::collections::HashMap<String, String>, Vec<Vec<u8>>), AppError> {
    let mut fields = std::collections::HashMap::new();
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == file_field {
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(format!("The upload could not be read: {e}")))?;
            if bytes.is_empty() {
                continue;
            }
            if bytes.len() > media::MAX_BYTES {
                return Err(AppError::BadRequest(MediaError::TooLarge.to_string()));
            }
            // One more than allowed is kept, so that the caller can refuse with the form kept.
            if files.len() <= max_files {
                files.push(bytes.to_vec());
            }
        } else {
            let text = field
                .text()
                .await
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?;
            fields.insert(name, text);
        }
    }
    Ok((fields, files))
}

pub async fn upload(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (fields, files) = read_form(multipart, "photo", 1).await?;
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    check_csrf(editor.session(), get("csrf"))?;
    editing::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(bytes) = files.first() else {
        return Err(AppError::BadRequest("Choose a photo to upload.".into()));
    };
    if get("alt").trim().is_empty() {
        return Err(AppError::BadRequest(
            "Describe the image for readers who cannot see it (alternative text).".into(),
        ));
    }
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let media_id =
        match media::store(&mut tx, bytes, false, Some(editor.session().user.id), now).await {
            Ok(id) => id,
            Err(MediaError::Database(e)) => return Err(e.into()),
            Err(e) => return Err(AppError::BadRequest(e.to_string())),
        };
    tx.commit().await?;
    editing::set_lead_image(
        &state.db,
        id,
        Some(media_id),
        get("alt"),
        get("caption"),
        now,
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?done=image")).into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    editing::set_lead_image(&state.db, id, None, "", "", now_ms()).await?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?done=image-removed")).into_response())
}
