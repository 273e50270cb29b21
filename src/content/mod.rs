//! Content: sections, articles, tags, slugs, dates and Markdown.
//!
//! The rules for what may be stored live here; the web layer and the CLI only call in.

pub mod articles;
pub mod dates;
pub mod editing;
pub mod import;
pub mod language;
pub mod markdown;
pub mod sections;
pub mod slug;
pub mod tags;

/// Why a piece of content could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// Input that breaks a rule; `field` names the offending field for the form or the CLI.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl ContentError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ContentError::Invalid {
            field,
            message: message.into(),
        }
    }
}
