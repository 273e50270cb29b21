//! `/forum`: boards, topics, and article discussions listed as topics. Posts here are the same
//! model as comments, with the same CAPTCHA, screening and moderation queue.

pub mod board;
pub mod index;
pub mod topic;

use crate::captcha::{self, FormAnswer, SpendError};
use crate::store::now_ms;
use crate::web::{AppError, AppState};

/// Checks a form's CAPTCHA; `Ok(Some(message))` is a refusal for the reader.
pub async fn check_captcha(
    state: &AppState,
    altcha: Option<&str>,
    token: Option<&str>,
    answer: Option<&str>,
) -> Result<Option<String>, AppError> {
    let site = state.cache.site.get(&state.db).await?;
    let config = &site.captcha;
    let form = FormAnswer {
        pow: altcha,
        words_token: token,
        words_answer: answer,
    };
    match captcha::check_form(&state.db, config, &form, now_ms()).await {
        Ok(()) => Ok(None),
        Err(SpendError::Captcha(e)) => Ok(Some(e.to_string())),
        Err(SpendError::Database(e)) => Err(e.into()),
    }
}
