//! Proof of work in the ALTCHA protocol.
//!
//! A challenge is `{algorithm, challenge, maxnumber, salt, signature}`: the server picks a
//! secret number `n ≤ maxnumber`, publishes `challenge = SHA-256(salt ‖ n)` and signs the
//! challenge with HMAC-SHA-256. The browser tries numbers until the hash matches and sends back
//! base64(JSON) of the same fields plus `number`. The expiry travels in the salt
//! (`…?expires=<unix seconds>`), covered by the hash and so by the signature.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::CaptchaError;
use crate::privacy::{hex, random_hex};

pub const ALGORITHM: &str = "SHA-256";
/// Default difficulty: about 50,000 hashes on average, well under a second in a browser.
pub const DEFAULT_MAX_NUMBER: u64 = 100_000;
/// How long a challenge may be solved and sent.
pub const LIFETIME_SECS: i64 = 20 * 60;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Challenge {
    pub algorithm: String,
    pub challenge: String,
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
}

#[derive(Debug, Deserialize)]
struct Payload {
    algorithm: String,
    challenge: String,
    number: u64,
    salt: String,
    signature: String,
}

fn sign(key: &str, challenge: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(challenge.as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn hash(salt: &str, number: u64) -> String {
    hex(&Sha256::digest(format!("{salt}{number}").as_bytes()))
}

/// Issues a challenge.
pub fn create(key: &str, max_number: u64, now_secs: i64) -> Challenge {
    let expires = now_secs + LIFETIME_SECS;
    let salt = format!("{}?expires={expires}", random_hex(12));
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = now_secs.to_le_bytes();
    }
    let number = u64::from_le_bytes(bytes) % (max_number.max(1) + 1);
    let challenge = hash(&salt, number);
    Challenge {
        algorithm: ALGORITHM.into(),
        signature: sign(key, &challenge),
        challenge,
        maxnumber: max_number,
        salt,
    }
}

/// What a verified solution is recorded as, to be accepted once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solved {
    pub id: String,
    pub expires_at_secs: i64,
}

fn expiry_of(salt: &str) -> Option<i64> {
    let (_, params) = salt.split_once('?')?;
    params
        .split('&')
        .find_map(|kv| kv.strip_prefix("expires="))
        .and_then(|v| v.parse().ok())
}

/// Checks a browser's answer.
pub fn verify(key: &str, payload_b64: &str, now_secs: i64) -> Result<Solved, CaptchaError> {
    let payload = payload_b64.trim();
    if payload.is_empty() {
        return Err(CaptchaError::Missing);
    }
    let json = STANDARD.decode(payload).map_err(|_| CaptchaError::Wrong)?;
    let p: Payload = serde_json::from_slice(&json).map_err(|_| CaptchaError::Wrong)?;
    if p.algorithm != ALGORITHM {
        return Err(CaptchaError::Wrong);
    }
    if sign(key, &p.challenge) != p.signature.to_lowercase() {
        return Err(CaptchaError::Wrong);
    }
    if hash(&p.salt, p.number) != p.challenge.to_lowercase() {
        return Err(CaptchaError::Wrong);
    }
    let expires = expiry_of(&p.salt).ok_or(CaptchaError::Wrong)?;
    if expires < now_secs {
        return Err(CaptchaError::Expired);
    }
    Ok(Solved {
        id: format!("pow:{}", p.challenge.to_lowercase()),
        expires_at_secs: expires,
    })
}

/// Solves a challenge the way a browser does (for tests and benchmarks).
pub fn solve(challenge: &Challenge) -> Option<String> {
    (0..=challenge.maxnumber)
        .find(|n| hash(&challenge.salt, *n) == challenge.challenge)
        .map(|number| {
            let json = serde_json::json!({
                "algorithm": challenge.algorithm,
                "challenge": challenge.challenge,
                "number": number,
                "salt": challenge.salt,
                "signature": challenge.signature,
                "took": 1,
            });
            STANDARD.encode(json.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "server key";
    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_solved_challenge_verifies() {
        let c = create(KEY, 2_000, NOW);
        assert!(c.salt.contains("?expires="));
        let payload = solve(&c).unwrap();
        let solved = verify(KEY, &payload, NOW + 60).unwrap();
        assert_eq!(solved.id, format!("pow:{}", c.challenge));
        assert_eq!(solved.expires_at_secs, NOW + LIFETIME_SECS);
    }

    #[test]
    fn expired_forged_and_garbled_answers_fail() {
        let c = create(KEY, 2_000, NOW);
        let payload = solve(&c).unwrap();
        assert_eq!(
            verify(KEY, &payload, NOW + LIFETIME_SECS + 1),
            Err(CaptchaError::Expired)
        );
        assert_eq!(
            verify("another key", &payload, NOW),
            Err(CaptchaError::Wrong)
        );
        assert_eq!(verify(KEY, "", NOW), Err(CaptchaError::Missing));
        assert_eq!(verify(KEY, "not base64!!", NOW), Err(CaptchaError::Wrong));
        assert_eq!(
            verify(KEY, &STANDARD.encode("{}"), NOW),
            Err(CaptchaError::Wrong)
        );

        // A wrong number.
        let json: serde_json::Value =
            serde_json::from_slice(&STANDARD.decode(&payload).unwrap()).unwrap();
        let mut wrong = json.clone();
        wrong["number"] = serde_json::json!(json["number"].as_u64().unwrap() + 1);
        assert_eq!(
            verify(KEY, &STANDARD.encode(wrong.to_string()), NOW),
            Err(CaptchaError::Wrong)
        );

        // A later expiry in the salt breaks the hash.
        let mut stretched = json;
        stretched["salt"] = serde_json::json!(c.salt.replace("expires=", "expires=9"));
        assert_eq!(
            verify(KEY, &STANDARD.encode(stretched.to_string()), NOW),
            Err(CaptchaError::Wrong)
        );
    }
}
