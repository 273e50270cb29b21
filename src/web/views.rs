//! Templates (minijinja). The defaults are embedded in the binary; a newsroom may override any
//! of them from a theme folder, file by file. `.html` templates auto-escape everything.

use std::path::PathBuf;
use std::sync::Arc;

use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use rust_embed::RustEmbed;

use super::assets::Assets;
use crate::content::{dates, language};

#[derive(RustEmbed)]
#[folder = "templates/"]
struct BuiltinTemplates;

pub struct Views {
    env: Environment<'static>,
}

fn load_template(theme: Option<&PathBuf>, name: &str) -> Result<Option<String>, Error> {
    if let Some(dir) = theme {
        // Template names come from our own code and templates, never from requests; still,
        // refuse anything that would leave the theme folder.
        if !name.split('/').any(|part| part == ".." || part.is_empty()) {
            let path = dir.join(name);
            if path.is_file() {
                return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                    Error::new(
                        ErrorKind::TemplateNotFound,
                        format!("{}: {e}", path.display()),
                    )
                });
            }
        }
    }
    Ok(BuiltinTemplates::get(name).map(|f| String::from_utf8_lossy(&f.data).into_owned()))
}

/// The site's zone, read from the `site` value every page context carries.
fn site_zone(state: &State) -> jiff::tz::TimeZone {
    let name = state
        .lookup("site")
        .and_then(|site| site.get_attr("timezone").ok())
        .and_then(|tz| tz.as_str().map(str::to_owned))
        .unwrap_or_else(|| "UTC".into());
    dates::zone(&name)
}

impl Views {
    pub fn new(assets: Arc<Assets>, theme: Option<PathBuf>) -> anyhow::Result<Views> {
        if let Some(dir) = &theme {
            anyhow::ensure!(
                dir.is_dir(),
                "theme folder {} does not exist",
                dir.display()
            );
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_loader(move |name| load_template(theme.as_ref(), name));
        // Asset URLs are ours (`/static/name.hash.ext`), not user input: no escaping needed.
        env.add_function("asset", move |name: &str| {
            Value::from_safe_string(assets.url(name))
        });
        // `{{ ms|date }}` → "March 4, 2015" in the site's zone; `|isodate` for <time datetime>.
        env.add_filter("date", |state: &State, ms: i64| {
            dates::display(ms, &site_zone(state)).human
        });
        env.add_filter("isodate", |state: &State, ms: i64| {
            dates::display(ms, &site_zone(state)).iso
        });
        // `{{ ms|datetime }}` → "March 4, 2015, 18:30" for comments.
        env.add_filter("datetime", |state: &State, ms: i64| {
            dates::display_with_time(ms, &site_zone(state))
        });
        // `<h2{{ a.title|lang_attr }}>` adds ` lang="zh"` where the text is in another language
        // than the site.
        env.add_filter("lang_attr", |state: &State, text: &str| {
            let site_lang = state
                .lookup("site")
                .and_then(|site| site.get_attr("language").ok())
                .and_then(|l| l.as_str().map(str::to_owned))
                .unwrap_or_default();
            match language::guess(text) {
                Some(lang) if !site_lang.starts_with(lang) => {
                    Value::from_safe_string(format!(" lang=\"{lang}\""))
                }
                _ => Value::from(""),
            }
        });
        Ok(Views { env })
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, Error> {
        self.env.get_template(name)?.render(ctx)
    }
}
