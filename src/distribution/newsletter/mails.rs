//! The newsletter's mails, rendered from `templates/email/<name>.html` and `.txt` (themes can
//! override both) and queued in the outbox.

use lettre::Address;
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::distribution::mail::{self, MailConfig, Outgoing, QueueError};
use crate::privacy::sha256_hex;
use crate::settings::SiteSettings;
use crate::store::Db;
use crate::web::views::Views;

/// What every newsletter mail needs to render.
pub struct Renderer<'a> {
    pub views: &'a Views,
    pub site: &'a SiteSettings,
    pub base_url: &'a str,
}

impl Renderer<'_> {
    /// Renders `email/<name>.txt` and `email/<name>.html` with the same context.
    pub fn render(&self, name: &str, page: Value) -> Result<(String, String), String> {
        let ctx = context! { ..page, ..context! {
            site => Value::from(Serde(self.site)),
            base_url => self.base_url,
        }};
        let text = self
            .views
            .render(&format!("email/{name}.txt"), ctx.clone())
            .map_err(|e| format!("cannot render email/{name}.txt: {e}"))?;
        let html = self
            .views
            .render(&format!("email/{name}.html"), ctx)
            .map_err(|e| format!("cannot render email/{name}.html: {e}"))?;
        Ok((text, html))
    }

    pub fn preferences_url(&self, token: &str) -> String {
        format!("{}/newsletter/preferences/{token}", self.base_url)
    }

    pub fn unsubscribe_url(&self, token: &str) -> String {
        format!("{}/newsletter/unsubscribe/{token}", self.base_url)
    }
}

/// A mail to one reader who asked for it (not a list mail).
struct Prompt<'a> {
    /// `email/<template>.txt` and `.html`
    template: &'a str,
    page: Value,
    subject: String,
    key: String,
}

async fn queue_prompted(
    db: &Db,
    config: &MailConfig,
    r: &Renderer<'_>,
    to: &Address,
    prompt: Prompt<'_>,
    now: i64,
) -> Result<bool, QueueError> {
    let (text, html) = r
        .render(prompt.template, prompt.page)
        .map_err(QueueError::Build)?;
    let mail = Outgoing {
        site_name: &r.site.name,
        to,
        subject: &prompt.subject,
        text,
        html,
        unsubscribe: None,
        key: &prompt.key,
    };
    mail::enqueue(db, config, &mail, now).await
}

/// Queues the double opt-in mail with its single-use link.
pub async fn queue_confirmation(
    db: &Db,
    config: &MailConfig,
    r: &Renderer<'_>,
    to: &Address,
    token: &str,
    now: i64,
) -> Result<bool, QueueError> {
    let confirm_url = format!("{}/newsletter/confirm/{token}", r.base_url);
    let prompt = Prompt {
        template: "confirm",
        page: context! { confirm_url, valid_hours => super::CONFIRM_VALID_MS / 3_600_000 },
        subject: format!("Confirm your subscription to {}", r.site.name),
        key: format!("newsletter-confirm:{}", sha256_hex(token)),
    };
    queue_prompted(db, config, r, to, prompt, now).await
}

/// Tells a subscriber who signed up again where their preferences are.
pub async fn queue_already_subscribed(
    db: &Db,
    config: &MailConfig,
    r: &Renderer<'_>,
    to: &Address,
    subscriber_id: i64,
    now: i64,
) -> Result<bool, QueueError> {
    let token = super::link_token(db, subscriber_id).await?;
    let prompt = Prompt {
        template: "already",
        page: context! { preferences_url => r.preferences_url(&token) },
        subject: format!("You already get {}'s newsletter", r.site.name),
        key: format!("newsletter-already:{subscriber_id}:{now}"),
    };
    queue_prompted(db, config, r, to, prompt, now).await
}
