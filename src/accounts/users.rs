//! Creating staff users.

use serde::Serialize;

use super::password;
use crate::store::{Db, is_unique_violation, now_ms, query};

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Users, sections and settings, and everything editors and moderators do.
    Admin,
    /// Articles, sections' content and reader submissions.
    Editor,
    /// Reader discussion.
    Moderator,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            "moderator" => Some(Role::Moderator),
            _ => None,
        }
    }

    /// Whether this role may do what `needed` may. Admins may do everything; editors and
    /// moderators each have their own part and not the other's.
    pub fn covers(self, needed: Role) -> bool {
        self == Role::Admin || self == needed
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Moderator => "moderator",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("`{0}` is not an e-mail address")]
    BadEmail(String),
    #[error("a name is required")]
    NoName,
    #[error("the password must have at least {} characters", password::MIN_CHARS)]
    ShortPassword,
    #[error("a user with the e-mail {0} already exists")]
    EmailTaken(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// A plausible address: one `@`, something before it, a dotted domain after, no spaces.
/// Deliverability is for the mail component to find out.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254
}

/// Creates a staff user and returns its id.
pub async fn create(
    db: &Db,
    email: &str,
    name: &str,
    role: Role,
    password_text: &str,
) -> Result<i64, UserError> {
    let email = email.trim().to_lowercase();
    if !is_plausible_email(&email) {
        return Err(UserError::BadEmail(email));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(UserError::NoName);
    }
    if password_text.chars().count() < password::MIN_CHARS {
        return Err(UserError::ShortPassword);
    }
    let hash = password::hash(password_text).map_err(|e| UserError::Hash(e.to_string()))?;
    let created = query(
        "insert into users (email, name, role, password_hash, created_at)
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(&email)
    .bind(name)
    .bind(role.as_str())
    .bind(hash)
    .bind(now_ms())
    .fetch_i64(db)
    .await;
    match created {
        Err(e) if is_unique_violation(&e, "email") => Err(UserError::EmailTaken(email)),
        other => Ok(other?),
    }
}

/// Creates an account that has no usable password yet: its owner sets one through a link.
pub async fn invite(db: &Db, email: &str, name: &str, role: Role) -> Result<i64, UserError> {
    let placeholder = crate::privacy::random_hex(32);
    create(db, email, name, role, &placeholder).await
}

/// A staff account as the admin pages list it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: i64,
}

pub async fn list(db: &Db) -> Result<Vec<UserSummary>, sqlx::Error> {
    query("select id, email, name, role, disabled, created_at from users order by name, id")
        .fetch_all(db)
        .await
}

/// Disables or re-enables an account. Disabling ends all of its sessions at once.
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool) -> Result<bool, sqlx::Error> {
    let changed = query("update users set disabled = $1 where id = $2")
        .bind(disabled)
        .bind(user_id)
        .execute(db)
        .await?;
    if disabled {
        super::sessions::end_all(db, user_id).await?;
    }
    Ok(changed > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_cover_their_own_part_and_admins_everything() {
        assert!(Role::Admin.covers(Role::Editor));
        assert!(Role::Admin.covers(Role::Moderator));
        assert!(Role::Editor.covers(Role::Editor));
        assert!(!Role::Editor.covers(Role::Moderator));
        assert!(!Role::Moderator.covers(Role::Editor));
        assert!(!Role::Editor.covers(Role::Admin));
        assert_eq!(Role::parse("editor"), Some(Role::Editor));
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn email_plausibility() {
        assert!(is_plausible_email("editor@news.example"));
        assert!(!is_plausible_email("editor"));
        assert!(!is_plausible_email("editor@localhost"));
        assert!(!is_plausible_email("ed itor@news.example"));
        assert!(!is_plausible_email("@news.example"));
        assert!(!is_plausible_email("a@b@news.example"));
    }
}
