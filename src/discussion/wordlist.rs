//! Editing the screening's word lists.

use serde::Serialize;

use super::screening::WordAction;
use crate::store::{Db, is_unique_violation, now_ms, query};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub word: String,
    pub action: String,
}

pub async fn list(db: &Db) -> Result<Vec<Entry>, sqlx::Error> {
    query("select id, word, action from screening_words order by action desc, word")
        .fetch_all(db)
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum WordError {
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Adds an entry, or changes the action of an existing one.
pub async fn add(db: &Db, word: &str, action: WordAction) -> Result<(), WordError> {
    let word = word.trim().to_lowercase();
    if word.is_empty() || word.chars().count() > 60 {
        return Err(WordError::Invalid(
            "An entry has 1 to 60 characters.".into(),
        ));
    }
    if !word.chars().any(char::is_alphanumeric) {
        return Err(WordError::Invalid(
            "An entry needs letters or digits.".into(),
        ));
    }
    let action = match action {
        WordAction::Hold => "hold",
        WordAction::Refuse => "refuse",
    };
    let done = query(
        "insert into screening_words (word, action, created_at) values ($1, $2, $3)
         on conflict (word) do update set action = excluded.action",
    )
    .bind(&word)
    .bind(action)
    .bind(now_ms())
    .execute(db)
    .await;
    match done {
        Err(e) if is_unique_violation(&e, "word") => Ok(()),
        other => other.map(|_| ()).map_err(Into::into),
    }
}

pub async fn remove(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    Ok(query("delete from screening_words where id = $1")
        .bind(id)
        .execute(db)
        .await?
        > 0)
}
