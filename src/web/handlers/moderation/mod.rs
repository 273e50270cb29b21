//! `/admin/moderation`: the one queue for comments and forum posts (moderators and admins).

pub mod bans;
pub mod decide;
pub mod log;
pub mod queue;
pub mod settings;
pub mod words;

use crate::discussion::moderation::ModerationError;
use crate::web::AppError;

/// Where to return after an action: a queue page, never anywhere else.
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(path)
            if path.starts_with("/admin/moderation") && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/admin/moderation".to_owned(),
    }
}

impl From<ModerationError> for AppError {
    fn from(e: ModerationError) -> Self {
        match e {
            ModerationError::NotFound => AppError::NotFound,
            ModerationError::Invalid(why) => AppError::BadRequest(why),
            ModerationError::Database(e) => e.into(),
        }
    }
}
