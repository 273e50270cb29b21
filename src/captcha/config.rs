//! The site's CAPTCHA settings: `captcha.mode` and `captcha.pow_max_number`.

use super::{Mode, pow};
use crate::privacy;
use crate::settings;
use crate::store::Db;

pub const MODE_KEY: &str = "captcha.mode";
pub const DIFFICULTY_KEY: &str = "captcha.pow_max_number";

#[derive(Debug, Clone)]
pub struct CaptchaConfig {
    pub mode: Mode,
    pub max_number: u64,
    /// The signing key shared by every node.
    pub key: String,
}

pub async fn load(db: &Db) -> Result<CaptchaConfig, sqlx::Error> {
    let mode = settings::get(db, MODE_KEY)
        .await?
        .and_then(|m| Mode::parse(&m))
        .unwrap_or_default();
    let max_number = settings::get(db, DIFFICULTY_KEY)
        .await?
        .and_then(|n| n.parse().ok())
        .unwrap_or(pow::DEFAULT_MAX_NUMBER);
    Ok(CaptchaConfig {
        mode,
        max_number,
        key: privacy::server_secret(db, "captcha").await?,
    })
}
