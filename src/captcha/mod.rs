//! CAPTCHAs, self-hosted: nothing is sent to a third party.
//!
//! - [`pow`]: proof of work in the ALTCHA protocol. A reader's browser solves it in the
//!   background; the official `altcha` widget works against the same endpoint.
//! - [`words`]: "Enter the words you see", a server-drawn image of two real words, for
//!   readers without JavaScript.
//!
//! Both are signed with a server key from the database (every node verifies what any node
//! issued), expire, and are accepted once: a used solution is recorded in `captcha_spent`.

pub mod config;
pub mod image;
pub mod pow;
pub mod words;

use serde::Serialize;

use crate::store::{Db, is_unique_violation, query};

/// Which CAPTCHA readers get; a site setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Mode {
    /// Proof of work only (readers need JavaScript).
    #[serde(rename = "pow")]
    Pow,
    /// Words in an image only.
    #[serde(rename = "image")]
    Image,
    /// Proof of work, with the image for readers without JavaScript.
    #[default]
    #[serde(rename = "pow+image-fallback")]
    PowWithImageFallback,
    /// No CAPTCHA (e.g. a site behind its own login wall, or a benchmark).
    #[serde(rename = "off")]
    Off,
}

impl Mode {
    pub fn parse(text: &str) -> Option<Mode> {
        match text.trim() {
            "pow" => Some(Mode::Pow),
            "image" => Some(Mode::Image),
            "pow+image-fallback" => Some(Mode::PowWithImageFallback),
            "off" => Some(Mode::Off),
            _ => None,
        }
    }

    pub fn accepts_pow(self) -> bool {
        matches!(self, Mode::Pow | Mode::PowWithImageFallback)
    }

    pub fn accepts_image(self) -> bool {
        matches!(self, Mode::Image | Mode::PowWithImageFallback)
    }
}

/// Why a CAPTCHA answer was not accepted; the message is for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptchaError {
    #[error("Please complete the check that you are human.")]
    Missing,
    #[error("The check has expired. Please try again.")]
    Expired,
    #[error("The check was not passed. Please try again.")]
    Wrong,
    #[error("This check has already been used. Please try again.")]
    Replayed,
}

/// Records a solution as used; a second use of the same solution is refused.
pub async fn spend(db: &Db, id: &str, expires_at_ms: i64) -> Result<(), SpendError> {
    let done = query("insert into captcha_spent (id, expires_at) values ($1, $2)")
        .bind(id)
        .bind(expires_at_ms)
        .execute(db)
        .await;
    match done {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e, "captcha_spent") || is_unique_violation(&e, "id") => {
            Err(SpendError::Captcha(CaptchaError::Replayed))
        }
        Err(e) => Err(SpendError::Database(e)),
    }
}

/// Forgets used solutions that have expired anyway.
pub async fn purge_spent(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    query("delete from captcha_spent where expires_at < $1")
        .bind(now_ms)
        .execute(db)
        .await
}

/// Checks whichever answer the form carries against the site's mode, and spends it.
pub async fn check_form(
    db: &Db,
    config: &config::CaptchaConfig,
    answer: &FormAnswer<'_>,
    now_ms: i64,
) -> Result<(), SpendError> {
    if config.mode == Mode::Off {
        return Ok(());
    }
    let now_secs = now_ms / 1000;
    let solved = match (answer.pow, answer.words_token) {
        (Some(payload), _) if config.mode.accepts_pow() && !payload.trim().is_empty() => {
            pow::verify(&config.key, payload, now_secs)?
        }
        (_, Some(token)) if config.mode.accepts_image() && !token.trim().is_empty() => {
            words::verify(
                &config.key,
                token,
                answer.words_answer.unwrap_or(""),
                now_secs,
            )?
        }
        _ => return Err(CaptchaError::Missing.into()),
    };
    spend(db, &solved.id, solved.expires_at_secs.saturating_mul(1000)).await
}

/// The CAPTCHA fields of a submitted form.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormAnswer<'a> {
    /// The ALTCHA payload (field `altcha`).
    pub pow: Option<&'a str>,
    /// The word challenge's token and the reader's answer.
    pub words_token: Option<&'a str>,
    pub words_answer: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum SpendError {
    #[error(transparent)]
    Captcha(#[from] CaptchaError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}
