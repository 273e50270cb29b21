//! `/admin/articles`: the newsroom's editor (editors and admins).

pub mod form;
pub mod image;
pub mod lifecycle;
pub mod list;
pub mod revisions;

use crate::content::editing::EditError;
use crate::web::AppError;

impl From<EditError> for AppError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::NotFound => AppError::NotFound,
            EditError::Invalid { message, .. } => AppError::BadRequest(message),
            EditError::Conflict { .. } => AppError::BadRequest(
                "This article was saved by someone else since you opened it. Reload it and try again."
                    .into(),
            ),
            EditError::Database(e) => e.into(),
        }
    }
}
