//! Logging in: password check with throttling per account and per address.
//!
//! After [`MAX_PER_ACCOUNT`] failures for one e-mail address, or [`MAX_PER_ADDRESS`] from one
//! (hashed) address, within [`WINDOW_MS`], further attempts are refused without checking the
//! password until the window has moved on. The same answer is given for an unknown address and
//! a wrong password, and an unknown address costs the same hashing time, so the form does not
//! reveal who has an account.

use super::password;
use super::sessions::StaffUser;
use super::users::Role;
use crate::store::{Db, query};

pub const WINDOW_MS: i64 = 15 * 60_000;
pub const MAX_PER_ACCOUNT: i64 = 5;
pub const MAX_PER_ADDRESS: i64 = 20;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong e-mail address or password")]
    WrongCredentials,
    #[error("this account has been disabled; ask an administrator")]
    Disabled,
    #[error("too many failed attempts; try again in {minutes} minute(s)")]
    Throttled { minutes: i64 },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

fn account_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

fn address_key(ip_hash: &str) -> String {
    format!("ip:{ip_hash}")
}

/// A hash to verify against when the account does not exist, so that the time taken does not
/// tell the two cases apart.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| password::hash("decoy password for timing").unwrap_or_default())
}

/// When the oldest counted failure for `key` leaves the window, if `key` is over `limit`.
async fn blocked_until(
    db: &Db,
    key: &str,
    limit: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let (count, oldest): (i64, Option<i64>) =
        query("select count(*), min(at) from login_failures where throttle_key = $1 and at > $2")
            .bind(key)
            .bind(now - WINDOW_MS)
            .fetch_one(db)
            .await?;
    Ok((count >= limit).then(|| oldest.unwrap_or(now) + WINDOW_MS))
}

async fn record_failure(db: &Db, keys: &[&str], now: i64) -> Result<(), sqlx::Error> {
    for key in keys {
        query("insert into login_failures (throttle_key, at) values ($1, $2)")
            .bind(*key)
            .bind(now)
            .execute(db)
            .await?;
    }
    // Keep the table small: nothing older than a day matters.
    query("delete from login_failures where at < $1")
        .bind(now - 86_400_000)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    email: String,
    name: String,
    role: String,
    password_hash: String,
    disabled: bool,
}

/// Checks an e-mail address and password. `ip_hash` is the keyed hash of the client address.
pub async fn attempt(
    db: &Db,
    email: &str,
    password_text: &str,
    ip_hash: &str,
    now: i64,
) -> Result<StaffUser, LoginError> {
    let account = account_key(email);
    let address = address_key(ip_hash);
    for (key, limit) in [(&account, MAX_PER_ACCOUNT), (&address, MAX_PER_ADDRESS)] {
        if let Some(until) = blocked_until(db, key, limit, now).await? {
            let minutes = ((until - now) as f64 / 60_000.0).ceil().max(1.0) as i64;
            return Err(LoginError::Throttled { minutes });
        }
    }

    let candidate: Option<Candidate> =
        query("select id, email, name, role, password_hash, disabled from users where email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(db)
            .await?;

    let hash = candidate
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_owned());
    let given = password_text.to_owned();
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || password::verify(&given, &hash))
        .await
        .unwrap_or(false);

    match candidate {
        Some(c) if verified => {
            if c.disabled {
                return Err(LoginError::Disabled);
            }
            let role = Role::parse(&c.role).ok_or(LoginError::WrongCredentials)?;
            query("delete from login_failures where throttle_key = $1")
                .bind(&account)
                .execute(db)
                .await?;
            Ok(StaffUser {
                id: c.id,
                email: c.email,
                name: c.name,
                role,
            })
        }
        _ => {
            record_failure(db, &[&account, &address], now).await?;
            Err(LoginError::WrongCredentials)
        }
    }
}
