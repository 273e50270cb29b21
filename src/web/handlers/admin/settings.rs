//! `/admin/settings`: the site's name, tagline, time zone, language and "Follow us" links
//! (admins).

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use crate::content::dates;
use crate::settings::{self, FollowLink};
use crate::web::auth::{Admin, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SettingsForm {
    #[serde(default, skip_serializing)]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub tagline: String,
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub language: String,
    /// One link a line: `Network https://…`
    #[serde(default)]
    pub follow: String,
}

fn follow_text(links: &[FollowLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} {}", l.network, l.url))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the "Follow us" lines; the error names the line at fault.
pub fn parse_follow(text: &str) -> Result<Vec<FollowLink>, String> {
    let mut links = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let line = line.trim();
        let Some((network, url)) = line.rsplit_once(char::is_whitespace) else {
            return Err(format!(
                "Line {}: write the network's name, a space, then its address.",
                n + 1
            ));
        };
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(['<', '>', '"'])
        {
            return Err(format!("Line {}: `{url}` is not a web address.", n + 1));
        }
        links.push(FollowLink {
            network: network.trim().to_owned(),
            url: url.to_owned(),
        });
    }
    Ok(links)
}

async fn render(
    state: &AppState,
    chrome: &Chrome,
    admin: &RequireRole<Admin>,
    form: &SettingsForm,
    error: Option<String>,
    saved: bool,
) -> Result<Response, AppError> {
    let session = admin.session();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = chrome.render(
        state,
        "admin/settings.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            form => Value::from(Serde(form)),
            error,
            saved,
        },
    )?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    crate::web::extract::QueryParams(q): crate::web::extract::QueryParams<SavedQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let site = settings::load(&state.db).await?;
    let form = SettingsForm {
        name: site.name,
        tagline: site.tagline,
        timezone: site.timezone,
        language: site.language,
        follow: follow_text(&site.follow),
        ..SettingsForm::default()
    };
    render(&state, &chrome, &admin, &form, None, q.saved.is_some()).await
}

pub async fn save(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    chrome: Chrome,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    check_csrf(admin.session(), &form.csrf)?;
    let problem = if form.name.trim().is_empty() || form.name.chars().count() > 80 {
        Some("The site's name has 1 to 80 characters.".to_owned())
    } else if !dates::is_known_zone(form.timezone.trim()) {
        Some(format!(
            "`{}` is not a time zone; use a name such as Asia/Shanghai or Europe/London.",
            form.timezone.trim()
        ))
    } else if form.language.trim().is_empty()
        || !form
            .language
            .trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        Some("The language is a code such as en or zh-Hans.".to_owned())
    } else {
        None
    };
    if let Some(message) = problem {
        return render(&state, &chrome, &admin, &form, Some(message), false).await;
    }
    let links = match parse_follow(&form.follow) {
        Ok(l) => l,
        Err(message) => return render(&state, &chrome, &admin, &form, Some(message), false).await,
    };
    settings::set(&state.db, settings::NAME, form.name.trim()).await?;
    settings::set(&state.db, settings::TAGLINE, form.tagline.trim()).await?;
    settings::set(&state.db, settings::TIMEZONE, form.timezone.trim()).await?;
    settings::set(&state.db, settings::LANGUAGE, form.language.trim()).await?;
    settings::set_follow(&state.db, &links).await?;
    Ok(Redirect::to("/admin/settings?saved=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_follow;

    #[test]
    fn follow_lines() {
        let links =
            parse_follow("Weibo https://weibo.com/x\n\nYou Tube https://youtube.com/@x").unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(links[1].network, "You Tube");
        assert!(parse_follow("Weibo").is_err());
        assert!(parse_follow("Evil javascript:alert(1)").is_err());
    }
}
