//! What every page shows around its content: the site's name, the section navigation, the
//! "Follow us" links, the reader's text size.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri};
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::prefs::FontSize;
use super::{AppError, AppState};
use crate::content::sections::Section;
use crate::settings::SiteSettings;

pub struct Chrome {
    pub site: SiteSettings,
    pub nav: Vec<Section>,
    pub font: FontSize,
    /// The request path, to mark the current section in the navigation.
    pub path: String,
}

impl Chrome {
    pub async fn load(
        state: &AppState,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Result<Chrome, AppError> {
        let snapshot = state.cache.site.get(&state.db).await?;
        Ok(Chrome {
            site: snapshot.site.clone(),
            nav: snapshot.nav.clone(),
            font: FontSize::read(uri, headers),
            path: uri.path().to_owned(),
        })
    }

    fn context(&self, state: &AppState) -> Value {
        context! {
            site => Value::from(Serde(&self.site)),
            nav => Value::from(Serde(&self.nav)),
            fs => self.font.0,
            fs_min => super::prefs::MIN,
            fs_max => super::prefs::MAX,
            current_path => self.path.clone(),
            base_url => state.base_url.to_string(),
            year => jiff::ZonedDateTime::now().year(),
        }
    }

    /// Renders a page template with the chrome and the page's own values.
    pub fn render(
        &self,
        state: &AppState,
        template: &str,
        page: Value,
    ) -> Result<Html<String>, AppError> {
        let ctx = context! { ..page, ..self.context(state) };
        Ok(Html(state.views.render(template, ctx)?))
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // Inside a nested router `parts.uri` lacks the prefix; the navigation wants the full path.
        let uri = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|original| original.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        Chrome::load(state, &uri, &parts.headers).await
    }
}
