//! The newsletter's subscribers: sign-up with double opt-in, confirmation by a single-use link,
//! preferences and unsubscribing through a link that every mail carries.
//!
//! Nothing is sent to an address until its owner clicks the confirmation link. The form answers
//! the same whatever the address's state, so it cannot be used to learn who subscribes; and it
//! mails one address at most once per [`PROMPT_GAP_MS`], so it cannot be used to flood an inbox.

pub mod digest;
pub mod mails;

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::privacy::{hex, random_hex, sha256_hex};
use crate::store::{Db, Tx, is_unique_violation, query};

/// How long a confirmation link works.
pub const CONFIRM_VALID_MS: i64 = 48 * 3_600_000;
/// The form mails one address at most this often.
pub const PROMPT_GAP_MS: i64 = 10 * 60_000;
/// Sign-ups (that send mail) per connection per hour.
pub const PROMPTS_PER_HOUR: i64 = 5;
/// The server secret that signs preference links.
pub(crate) const SECRET: &str = "newsletter-links";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Daily,
    Weekly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    pub fn parse(text: &str) -> Option<Frequency> {
        match text {
            "daily" => Some(Frequency::Daily),
            "weekly" => Some(Frequency::Weekly),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub frequency: String,
    /// pending | active | unsubscribed
    pub status: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    pub digest_from: Option<i64>,
}

/// What a sign-up led to. The reader is told the same in every case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUp {
    /// Mail this confirmation token to the address.
    Confirm { id: i64, token: String },
    /// The address already subscribes: mail it a link to its preferences instead.
    AlreadyActive { id: i64 },
    /// The address was mailed moments ago; send nothing more.
    Quiet,
}

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    #[error("Too many sign-ups from your connection; please try again in an hour.")]
    TooMany,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Records a sign-up. `sections` are section ids (none means every section); ids that are not
/// visible sections are dropped.
pub async fn sign_up(
    db: &Db,
    email: &str,
    sections: &[i64],
    frequency: Frequency,
    ip_hash: &str,
    now: i64,
) -> Result<SignUp, SignUpError> {
    let recent =
        query("select count(*) from subscribers where signup_ip_hash = $1 and prompted_at > $2")
            .bind(ip_hash)
            .bind(now - 3_600_000)
            .fetch_i64(db)
            .await?;
    if recent >= PROMPTS_PER_HOUR {
        return Err(SignUpError::TooMany);
    }
    let existing: Option<(i64, String, Option<i64>)> =
        query("select id, status, prompted_at from subscribers where email = $1")
            .bind(email)
            .fetch_optional(db)
            .await?;
    let token = random_hex(24);
    let mut tx = db.begin().await?;
    let outcome = match existing {
        Some((_, _, Some(at))) if at > now - PROMPT_GAP_MS => return Ok(SignUp::Quiet),
        Some((id, status, _)) if status == "active" => {
            query("update subscribers set prompted_at = $1, signup_ip_hash = $2 where id = $3")
                .bind(now)
                .bind(ip_hash)
                .bind(id)
                .execute(&mut tx)
                .await?;
            SignUp::AlreadyActive { id }
        }
        // Pending or unsubscribed: a fresh link (the old one stops working), with the new choice.
        Some((id, _, _)) => {
            query(
                "update subscribers set status = 'pending', frequency = $1, confirm_hash = $2,
                        confirm_expires_at = $3, prompted_at = $4, signup_ip_hash = $5
                 where id = $6",
            )
            .bind(frequency.as_str())
            .bind(sha256_hex(&token))
            .bind(now + CONFIRM_VALID_MS)
            .bind(now)
            .bind(ip_hash)
            .bind(id)
            .execute(&mut tx)
            .await?;
            set_sections(&mut tx, id, sections).await?;
            SignUp::Confirm { id, token }
        }
        None => {
            let inserted = query(
                "insert into subscribers (email, frequency, status, confirm_hash,
                     confirm_expires_at, prompted_at, signup_ip_hash, created_at)
                 values ($1, $2, 'pending', $3, $4, $5, $6, $5) returning id",
            )
            .bind(email)
            .bind(frequency.as_str())
            .bind(sha256_hex(&token))
            .bind(now + CONFIRM_VALID_MS)
            .bind(now)
            .bind(ip_hash)
            .fetch_one::<(i64,)>(&mut tx)
            .await;
            let id = match inserted {
                Ok((id,)) => id,
                // The same address, signed up a moment ago by a second request.
                Err(e)
                    if is_unique_violation(&e, "email")
                        || is_unique_violation(&e, "subscribers") =>
                {
                    return Ok(SignUp::Quiet);
                }
                Err(e) => return Err(e.into()),
            };
            set_sections(&mut tx, id, sections).await?;
            SignUp::Confirm { id, token }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

async fn set_sections(tx: &mut Tx, id: i64, sections: &[i64]) -> Result<(), sqlx::Error> {
    query("delete from subscriber_sections where subscriber_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for section in sections {
        query(
            "insert into subscriber_sections (subscriber_id, section_id)
             select $1, id from sections where id = $2 and hidden = false",
        )
        .bind(id)
        .bind(*section)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// What following a confirmation link led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed {
        id: i64,
    },
    /// The link worked before; the subscription stands (or was ended since).
    AlreadyUsed {
        id: i64,
    },
    Expired,
    Unknown,
}

pub async fn confirm(db: &Db, token: &str, now: i64) -> Result<Confirmation, sqlx::Error> {
    let hash = sha256_hex(token);
    let found: Option<(i64, String, Option<i64>)> =
        query("select id, status, confirm_expires_at from subscribers where confirm_hash = $1")
            .bind(&hash)
            .fetch_optional(db)
            .await?;
    let Some((id, status, expires)) = found else {
        return Ok(Confirmation::Unknown);
    };
    if status != "pending" {
        return Ok(Confirmation::AlreadyUsed { id });
    }
    if expires.is_none_or(|at| at < now) {
        return Ok(Confirmation::Expired);
    }
    // One statement decides, so two clicks at once confirm once.
    let changed = query(
        "update subscribers set status = 'active', confirmed_at = $1, digest_from = $1,
                unsubscribed_at = null
         where id = $2 and status = 'pending' and confirm_hash = $3",
    )
    .bind(now)
    .bind(id)
    .bind(&hash)
    .execute(db)
    .await?;
    Ok(if changed == 1 {
        Confirmation::Confirmed { id }
    } else {
        Confirmation::AlreadyUsed { id }
    })
}

fn mac(secret: &str, id: i64) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(b"newsletter-preferences:");
    mac.update(&id.to_be_bytes());
    Some(mac)
}

/// The token in a subscriber's preference and unsubscribe links: their id, signed.
pub async fn link_token(db: &Db, id: i64) -> Result<String, sqlx::Error> {
    let secret = crate::privacy::server_secret(db, SECRET).await?;
    Ok(sign_link(&secret, id))
}

/// [`link_token`] with the secret at hand.
pub fn sign_link(secret: &str, id: i64) -> String {
    let sig = mac(secret, id)
        .map(|m| hex(&m.finalize().into_bytes()[..16]))
        .unwrap_or_default();
    format!("{id}.{sig}")
}

/// The subscriber a link token names, if its signature holds.
pub async fn verify_link(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    let Some((id, sig)) = token.split_once('.') else {
        return Ok(None);
    };
    let (Ok(id), Some(sig)) = (id.parse::<i64>(), decode_hex(sig)) else {
        return Ok(None);
    };
    let secret = crate::privacy::server_secret(db, SECRET).await?;
    let valid = mac(&secret, id).is_some_and(|m| m.verify_truncated_left(&sig).is_ok());
    Ok(valid.then_some(id))
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Subscriber>, sqlx::Error> {
    query(
        "select id, email, frequency, status, created_at, confirmed_at, digest_from
         from subscribers where id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The section ids a subscriber chose (empty: every section).
pub async fn sections_of(db: &Db, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = query(
        "select section_id from subscriber_sections where subscriber_id = $1 order by section_id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

/// Saves preferences from the preferences page. A reader who had unsubscribed (or signed up
/// again and not yet confirmed) and saves preferences subscribes: preference links are only
/// ever mailed to confirmed addresses, and the link's signature proves it came from one.
pub async fn update(
    db: &Db,
    id: i64,
    frequency: Frequency,
    sections: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    query(
        "update subscribers set frequency = $1, status = 'active',
                digest_from = case when status = 'active' then digest_from else $2 end,
                confirmed_at = coalesce(confirmed_at, $2), unsubscribed_at = null
         where id = $3",
    )
    .bind(frequency.as_str())
    .bind(now)
    .bind(id)
    .execute(&mut tx)
    .await?;
    set_sections(&mut tx, id, sections).await?;
    tx.commit().await
}

/// Ends a subscription. Returns whether it was running (pending counts: its link stops working).
pub async fn unsubscribe(db: &Db, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let changed = query(
        "update subscribers set status = 'unsubscribed', unsubscribed_at = $1
         where id = $2 and status <> 'unsubscribed'",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(changed > 0)
}

/// Subscriber numbers for the admins.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub active: i64,
    pub pending: i64,
    pub unsubscribed: i64,
}

pub async fn counts(db: &Db) -> Result<Counts, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        query("select status, count(*) from subscribers group by status")
            .fetch_all(db)
            .await?;
    let mut counts = Counts::default();
    for (status, n) in rows {
        match status.as_str() {
            "active" => counts.active = n,
            "pending" => counts.pending = n,
            _ => counts.unsubscribed += n,
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequencies_round_trip() {
        for f in [Frequency::Daily, Frequency::Weekly] {
            assert_eq!(Frequency::parse(f.as_str()), Some(f));
        }
        assert_eq!(Frequency::parse("hourly"), None);
    }

    #[test]
    fn hex_signatures_are_checked_for_shape() {
        assert_eq!(decode_hex("00ff"), None);
        assert_eq!(decode_hex(&"zz".repeat(16)), None);
        assert_eq!(decode_hex(&"0a".repeat(16)), Some(vec![10; 16]));
    }
}
