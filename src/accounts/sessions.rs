//! Staff sessions: a random token in an `HttpOnly` cookie, its SHA-256 in the database.
//!
//! Sessions slide: each use more than an hour after the last pushes the expiry out again, up to
//! [`LIFETIME_MS`] of inactivity. Disabling a user or "log out everywhere" deletes the rows, so
//! the effect is immediate on every node.

use serde::Serialize;

use super::users::Role;
use crate::privacy::{random_hex, sha256_hex};
use crate::store::{Db, query};

/// A session lasts this long without use.
pub const LIFETIME_MS: i64 = 14 * 86_400_000;
/// Last-seen times are written at most this often, so reads do not turn into writes.
const TOUCH_EVERY_MS: i64 = 3_600_000;

/// A signed-in staff member.
#[derive(Debug, Clone, Serialize)]
pub struct StaffUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// The session behind a request.
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the cookie token.
    pub id: String,
    pub user: StaffUser,
    /// The token this session's forms must carry.
    pub csrf_token: String,
}

impl Session {
    /// Whether a submitted form token matches this session's (compared as digests, so the
    /// comparison's timing says nothing about the token).
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        sha256_hex(submitted) == sha256_hex(&self.csrf_token)
    }
}

/// Starts a session for a user; returns the cookie token.
pub async fn create(db: &Db, user_id: i64, now: i64) -> Result<String, sqlx::Error> {
    let token = random_hex(32);
    query(
        "insert into sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at)
         values ($1, $2, $3, $4, $4, $5)",
    )
    .bind(sha256_hex(&token))
    .bind(user_id)
    .bind(random_hex(32))
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(db)
    .await?;
    Ok(token)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    csrf_token: String,
    last_seen_at: i64,
    user_id: i64,
    email: String,
    name: String,
    role: String,
}

/// The live session for a cookie token, if any: not expired, and its user not disabled.
pub async fn find(db: &Db, token: &str, now: i64) -> Result<Option<Session>, sqlx::Error> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let row: Option<Row> = query(
        "select s.id, s.csrf_token, s.last_seen_at, u.id as user_id, u.email, u.name, u.role
         from sessions s join users u on u.id = s.user_id
         where s.id = $1 and s.expires_at > $2 and u.disabled = false",
    )
    .bind(sha256_hex(token))
    .bind(now)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let Some(role) = Role::parse(&row.role) else {
        return Ok(None);
    };
    if now - row.last_seen_at > TOUCH_EVERY_MS {
        query("update sessions set last_seen_at = $1, expires_at = $2 where id = $3")
            .bind(now)
            .bind(now + LIFETIME_MS)
            .bind(&row.id)
            .execute(db)
            .await?;
    }
    Ok(Some(Session {
        id: row.id,
        user: StaffUser {
            id: row.user_id,
            email: row.email,
            name: row.name,
            role,
        },
        csrf_token: row.csrf_token,
    }))
}

/// Ends one session.
pub async fn end(db: &Db, session_id: &str) -> Result<(), sqlx::Error> {
    query("delete from sessions where id = $1")
        .bind(session_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user ("log out everywhere", or a disabled account).
pub async fn end_all(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
    query("delete from sessions where user_id = $1")
        .bind(user_id)
        .execute(db)
        .await
}

/// Removes expired sessions; called now and then, any node may do it.
pub async fn purge_expired(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    query("delete from sessions where expires_at <= $1")
        .bind(now)
        .execute(db)
        .await
}
