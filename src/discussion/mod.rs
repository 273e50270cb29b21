//! Reader discussion: comments under articles and forum posts are one model (a post in a
//! thread), screened the same way and moderated from one queue.

pub mod boards;
pub mod classifier;
pub mod moderation;
pub mod posts;
pub mod render;
pub mod reports;
pub mod screening;
pub mod threads;
pub mod wordlist;

/// Why a post was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// Screening turned it away; the message is for the reader.
    #[error("{0}")]
    Refused(String),
    /// The request itself is wrong (a reply to a comment elsewhere, say).
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}
