//! `/admin/discussion`: how discussion works on this site (admins): the moderation mode for
//! the site and for each section, and the CAPTCHA.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::captcha::{self, config as captcha_config};
use crate::content::sections;
use crate::discussion::posts;
use crate::discussion::screening::Mode;
use crate::settings;
use crate::web::auth::{Admin, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::{AppError, AppState};

const MODES: [&str; 4] = ["pre", "post", "first-time", "closed"];
const CAPTCHA_MODES: [&str; 4] = ["pow+image-fallback", "pow", "image", "off"];

pub async fn show(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = admin.session();
    let site_mode = posts::mode_for(&state.db, None).await?;
    let captcha = captcha_config::load(&state.db).await?;
    let captcha_mode = settings::get(&state.db, captcha_config::MODE_KEY)
        .await?
        .unwrap_or_else(|| "pow+image-fallback".into());
    let all = sections::list_all(&state.db).await?;
    chrome.render(
        &state,
        "admin/discussion.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            modes => MODES,
            captcha_modes => CAPTCHA_MODES,
            site_mode => site_mode.as_str(),
            captcha_mode,
            difficulty => captcha.max_number,
            sections => Value::from(Serde(&all)),
        },
    )
}

/// Fields: `mode`, `captcha_mode`, `difficulty`, and `section-<id>` (a mode or empty).
pub async fn save(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let session = admin.session();
    check_csrf(
        session,
        fields.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let field = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or("");
    let mode = Mode::parse(field("mode"))
        .ok_or_else(|| AppError::BadRequest("Choose a moderation mode.".into()))?;
    let captcha_mode = captcha::Mode::parse(field("captcha_mode"))
        .ok_or_else(|| AppError::BadRequest("Choose a CAPTCHA mode.".into()))?;
    let difficulty: u64 = field("difficulty")
        .parse()
        .ok()
        .filter(|n| (1..=10_000_000).contains(n))
        .ok_or_else(|| {
            AppError::BadRequest("The difficulty is a number from 1 to 10,000,000.".into())
        })?;
    let all = sections::list_all(&state.db).await?;
    let mut section_modes = Vec::new();
    for section in &all {
        let chosen = field(&format!("section-{}", section.id));
        let mode = match chosen {
            "" => None,
            m => Some(Mode::parse(m).ok_or_else(|| {
                AppError::BadRequest(format!("Unknown mode for {}.", section.name))
            })?),
        };
        section_modes.push((section.id, mode));
    }
    settings::set(&state.db, posts::MODE_SETTING, mode.as_str()).await?;
    let captcha_text = CAPTCHA_MODES
        .into_iter()
        .find(|m| captcha::Mode::parse(m) == Some(captcha_mode))
        .unwrap_or("pow+image-fallback");
    settings::set(&state.db, captcha_config::MODE_KEY, captcha_text).await?;
    settings::set(
        &state.db,
        captcha_config::DIFFICULTY_KEY,
        &difficulty.to_string(),
    )
    .await?;
    for (id, mode) in section_modes {
        sections::set_moderation_mode(&state.db, id, mode.map(Mode::as_str)).await?;
    }
    tracing::info!(by = session.user.id, "discussion settings changed");
    Ok(Redirect::to("/admin/discussion?saved=1").into_response())
}
