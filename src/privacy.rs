//! Privacy and secrets shared by the areas.
//!
//! Policy: an IP address is never stored. Where the product must recognise "the same address"
//! (login throttling now, floods and bans later) it stores a keyed hash: HMAC-SHA-256 under a
//! server key that lives in the database (so every node agrees) with the day folded in, so that
//! a hash cannot be linked to the same address on another day, nor reversed by hashing all
//! 2³² IPv4 addresses without the key.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::store::{Db, is_unique_violation, now_ms, query};

pub const DAY_MS: i64 = 86_400_000;

/// `n` random bytes from the operating system, hex-encoded.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    // The OS generator failing means the machine cannot do cryptography at all; a constant
    // here would be worse than stopping.
    #[expect(clippy::expect_used, reason = "no safe fallback for a broken OS RNG")]
    getrandom::fill(&mut bytes).expect("the operating system's random generator works");
    hex(&bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a string, hex-encoded.
pub fn sha256_hex(text: &str) -> String {
    sha256_bytes_hex(text.as_bytes())
}

/// SHA-256 of bytes, hex-encoded.
pub fn sha256_bytes_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The named server secret, created (32 random bytes) the first time any node asks.
pub async fn server_secret(db: &Db, name: &str) -> Result<String, sqlx::Error> {
    let find = || query("select value from secrets where name = $1").bind(name);
    if let Some((value,)) = find().fetch_optional::<(String,)>(db).await? {
        return Ok(value);
    }
    let created = query("insert into secrets (name, value, created_at) values ($1, $2, $3)")
        .bind(name)
        .bind(random_hex(32))
        .bind(now_ms())
        .execute(db)
        .await;
    match created {
        // Another node made it first: use theirs.
        Err(e) if is_unique_violation(&e, "name") || is_unique_violation(&e, "secrets") => {}
        other => {
            other?;
        }
    }
    let (value,) = find().fetch_one::<(String,)>(db).await?;
    Ok(value)
}

/// The keyed, day-scoped hash of an address (first 16 bytes, hex).
pub fn ip_hash(secret: &str, ip: &str, now_ms: i64) -> String {
    let day = now_ms.div_euclid(DAY_MS);
    // HMAC accepts keys of any length; this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(&day.to_be_bytes());
    mac.update(ip.as_bytes());
    hex(&mac.finalize().into_bytes()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_hashes_depend_on_key_address_and_day() {
        let day1 = 20_000 * DAY_MS + 5;
        let a = ip_hash("key", "192.0.2.1", day1);
        assert_eq!(a.len(), 32);
        assert_eq!(a, ip_hash("key", "192.0.2.1", day1 + 1000));
        assert_ne!(a, ip_hash("key", "192.0.2.2", day1));
        assert_ne!(a, ip_hash("other key", "192.0.2.1", day1));
        assert_ne!(a, ip_hash("key", "192.0.2.1", day1 + DAY_MS));
        assert!(!a.contains("192"));
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_hex(32);
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_hex(32));
    }
}
