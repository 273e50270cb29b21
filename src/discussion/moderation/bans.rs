//! Bans on a name or an address, for a set time.
//!
//! Addresses are never stored. An address ban keeps the post's address hash and the day that
//! hash was made for; a new request's address is hashed for each such day and compared. The
//! ban thus follows the address across days without the site keeping anything that names it.

use serde::Serialize;

use super::decide::log;
use super::{ModerationError, Reason};
use crate::privacy::{self, DAY_MS};
use crate::store::{Db, query};

/// Longest ban a moderator can set.
pub const MAX_DAYS: i64 = 3650;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BanRequest {
    pub name: bool,
    pub address: bool,
    pub days: i64,
    pub reason: Reason,
}

#[derive(sqlx::FromRow)]
struct PostFacts {
    author_name: String,
    ip_hash: String,
    created_at: i64,
}

/// Bans the author of a post (by name, by address, or both).
pub async fn ban_author(
    db: &Db,
    post_id: i64,
    request: BanRequest,
    moderator_id: i64,
    now: i64,
) -> Result<(), ModerationError> {
    if !request.name && !request.address {
        return Err(ModerationError::Invalid(
            "Choose the name, the address, or both.".into(),
        ));
    }
    if !(1..=MAX_DAYS).contains(&request.days) {
        return Err(ModerationError::Invalid(format!(
            "A ban lasts from 1 to {MAX_DAYS} days."
        )));
    }
    let facts: PostFacts =
        query("select author_name, ip_hash, created_at from posts where id = $1")
            .bind(post_id)
            .fetch_optional(db)
            .await?
            .ok_or(ModerationError::NotFound)?;
    let expires = now + request.days * DAY_MS;
    let mut tx = db.begin().await?;
    let mut targets = Vec::new();
    if request.name {
        targets.push(("name", facts.author_name.trim().to_lowercase(), None));
    }
    if request.address {
        targets.push((
            "address",
            facts.ip_hash.clone(),
            Some(facts.created_at.div_euclid(DAY_MS)),
        ));
    }
    for (kind, value, day) in targets {
        query(
            "insert into bans (kind, value, hash_day, reason, post_id, created_by, created_at, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(kind)
        .bind(value)
        .bind(day)
        .bind(request.reason.as_str())
        .bind(post_id)
        .bind(moderator_id)
        .bind(now)
        .bind(expires)
        .execute(&mut tx)
        .await?;
    }
    let what = match (request.name, request.address) {
        (true, true) => "name and address",
        (true, false) => "name",
        _ => "address",
    };
    log(
        &mut tx,
        Some(post_id),
        moderator_id,
        "ban",
        Some(request.reason.as_str()),
        &format!("{what} for {} day(s)", request.days),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An active ban that applies to this name or address, if any: its reason.
pub async fn active_for(
    db: &Db,
    name: &str,
    address: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let by_name: Option<(String,)> = query(
        "select reason from bans where kind = 'name' and value = $1 and expires_at > $2
         and lifted_at is null",
    )
    .bind(name.trim().to_lowercase())
    .bind(now)
    .fetch_optional(db)
    .await?;
    if let Some((reason,)) = by_name {
        return Ok(Some(reason));
    }
    let days: Vec<(i64,)> = query(
        "select distinct hash_day from bans where kind = 'address' and expires_at > $1
         and lifted_at is null and hash_day is not null",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    if days.is_empty() {
        return Ok(None);
    }
    let secret = privacy::server_secret(db, "ip-hash").await?;
    for (day,) in days {
        let hash = privacy::ip_hash(&secret, address, day * DAY_MS);
        let hit: Option<(String,)> = query(
            "select reason from bans where kind = 'address' and value = $1 and hash_day = $2
             and expires_at > $3 and lifted_at is null",
        )
        .bind(hash)
        .bind(day)
        .bind(now)
        .fetch_optional(db)
        .await?;
        if let Some((reason,)) = hit {
            return Ok(Some(reason));
        }
    }
    Ok(None)
}

/// A ban as the console lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BanView {
    pub id: i64,
    pub kind: String,
    /// The name, or a short prefix of the address hash.
    pub value: String,
    pub reason: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub moderator: Option<String>,
}

pub async fn list_active(db: &Db, now: i64) -> Result<Vec<BanView>, sqlx::Error> {
    let mut bans: Vec<BanView> = query(
        "select b.id, b.kind, b.value, b.reason, b.created_at, b.expires_at, u.name as moderator
         from bans b left join users u on u.id = b.created_by
         where b.expires_at > $1 and b.lifted_at is null
         order by b.created_at desc",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    for ban in &mut bans {
        if ban.kind == "address" {
            ban.value = format!("address #{}", &ban.value[..ban.value.len().min(8)]);
        }
    }
    Ok(bans)
}

/// Ends a ban early.
pub async fn lift(
    db: &Db,
    ban_id: i64,
    moderator_id: i64,
    now: i64,
) -> Result<bool, ModerationError> {
    let mut tx = db.begin().await?;
    let post: Option<(Option<i64>,)> =
        query("select post_id from bans where id = $1 and lifted_at is null")
            .bind(ban_id)
            .fetch_optional(&mut tx)
            .await?;
    let Some((post_id,)) = post else {
        return Ok(false);
    };
    query("update bans set lifted_at = $1 where id = $2")
        .bind(now)
        .bind(ban_id)
        .execute(&mut tx)
        .await?;
    log(
        &mut tx,
        post_id,
        moderator_id,
        "lift-ban",
        None,
        &format!("ban #{ban_id}"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
