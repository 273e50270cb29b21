//! Password links: single-use, expiring, kept only as a hash.

use super::{password, sessions};
use crate::privacy::{random_hex, sha256_hex};
use crate::store::{Db, query};

/// How long a link works.
pub const LIFETIME_MS: i64 = 24 * 3_600_000;

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error(
        "This link is not valid: it may have been used already or have expired. Ask an administrator for a new one."
    )]
    Invalid,
    #[error("The password must have at least {} characters.", password::MIN_CHARS)]
    Short,
    #[error("The two passwords differ.")]
    Mismatch,
    #[error("cannot hash the password")]
    Hash,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Issues a link token for a user; the caller shows it once.
pub async fn issue(db: &Db, user_id: i64, by: i64, now: i64) -> Result<String, sqlx::Error> {
    let token = random_hex(32);
    // A new link replaces any earlier unused one.
    query("update password_resets set used_at = $1 where user_id = $2 and used_at is null")
        .bind(now)
        .bind(user_id)
        .execute(db)
        .await?;
    query(
        "insert into password_resets (token_hash, user_id, created_by, created_at, expires_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(&token))
    .bind(user_id)
    .bind(by)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(db)
    .await?;
    Ok(token)
}

/// The user a live token belongs to: (id, email).
pub async fn check(db: &Db, token: &str, now: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    query(
        "select u.id, u.email from password_resets r join users u on u.id = r.user_id
         where r.token_hash = $1 and r.used_at is null and r.expires_at > $2 and u.disabled = false",
    )
    .bind(sha256_hex(token))
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Sets the password with a token, once. Ends every session of the account.
pub async fn use_token(
    db: &Db,
    token: &str,
    new: &str,
    again: &str,
    now: i64,
) -> Result<i64, ResetError> {
    let (user_id, _) = check(db, token, now).await?.ok_or(ResetError::Invalid)?;
    if new.chars().count() < password::MIN_CHARS {
        return Err(ResetError::Short);
    }
    if new != again {
        return Err(ResetError::Mismatch);
    }
    let hash = password::hash(new).map_err(|_| ResetError::Hash)?;
    let mut tx = db.begin().await?;
    let claimed = query(
        "update password_resets set used_at = $1
         where token_hash = $2 and used_at is null and expires_at > $1",
    )
    .bind(now)
    .bind(sha256_hex(token))
    .execute(&mut tx)
    .await?;
    if claimed == 0 {
        return Err(ResetError::Invalid);
    }
    query("update users set password_hash = $1 where id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    sessions::end_all(db, user_id).await?;
    Ok(user_id)
}
