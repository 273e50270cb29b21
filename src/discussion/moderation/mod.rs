//! Moderation: the queue, decisions, bans and the audit log.
//!
//! Every decision is written to `moderation_log` in the same transaction as the change it
//! records, and teaches the spam classifier: an approval is "not spam", a removal as spam is
//! "spam". Comment counts change in that transaction too, so a reader never sees a count that
//! disagrees with the comments shown.

pub mod bans;
pub mod decide;
pub mod log;
pub mod queue;

use serde::Serialize;

/// Why a moderator removed a post or banned its author; readers see it in the thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    Racist,
    Abusive,
    OffTopic,
    Spam,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::Racist,
        Reason::Abusive,
        Reason::OffTopic,
        Reason::Spam,
        Reason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Racist => "racist",
            Reason::Abusive => "abusive",
            Reason::OffTopic => "off-topic",
            Reason::Spam => "spam",
            Reason::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("no such post")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}
