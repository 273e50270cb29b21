//! "Enter the words you see": two common English words drawn by [`super::image`].
//!
//! Stateless until answered: the token is `<expires>.<nonce>.<signature>`, and the words are
//! derived from the token with the server key, so the image can be drawn by any node without
//! storing anything; the answer is recorded as spent only when it is given.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::CaptchaError;
use crate::privacy::{hex, random_hex};

/// How long a word challenge may be answered.
pub const LIFETIME_SECS: i64 = 30 * 60;

/// Short, common, unambiguous words: no proper names, nothing offensive.
pub const WORDS: &[&str] = &[
    "apple", "river", "stone", "cloud", "bread", "chair", "green", "house", "light", "music",
    "night", "ocean", "paper", "plant", "queen", "radio", "sugar", "table", "tiger", "train",
    "water", "wheat", "bridge", "candle", "garden", "market", "orange", "pocket", "rabbit",
    "silver", "summer", "window", "winter", "yellow", "forest", "harbor", "island", "jacket",
    "kettle", "ladder", "meadow", "needle", "pepper", "planet", "rocket", "saddle", "tunnel",
    "velvet", "basket", "button", "carpet", "dragon", "engine", "finger", "ginger", "hammer",
    "kitten", "lemon", "mango", "north", "olive", "piano", "quiet", "robin", "salad", "tower",
    "uncle", "valley", "whale", "zebra", "amber", "beach", "camel", "dance", "eagle", "fable",
    "grape", "honey", "ivory", "juice", "koala", "lunar", "maple", "noble", "otter", "pearl",
    "raven", "spoon", "thumb", "urban", "vivid", "woven", "young", "brave", "crisp", "daisy",
    "ember", "frost", "globe", "hazel", "jewel", "karma", "lotus", "medal", "nest", "oasis",
    "prism", "quest", "ridge", "shore", "torch", "unity", "vapor", "wagon", "acorn", "blaze",
    "coral", "dune", "elbow", "flute", "grove", "heron", "index", "jumbo", "kayak", "linen",
    "mirth", "nutmeg", "onion", "pixel", "quartz", "relay", "spark", "tulip", "umber", "vine",
];

fn mac(key: &str, parts: &[&str]) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return Vec::new();
    };
    for part in parts {
        mac.update(part.as_bytes());
        mac.update(b"\x1f");
    }
    mac.finalize().into_bytes().to_vec()
}

/// Issues a token.
pub fn create(key: &str, now_secs: i64) -> String {
    let body = format!("{}.{}", now_secs + LIFETIME_SECS, random_hex(8));
    let signature = hex(&mac(key, &["words-token", &body])[..12]);
    format!("{body}.{signature}")
}

/// The token's expiry and words, if the token is ours (expired or not).
fn open(key: &str, token: &str) -> Option<(i64, [&'static str; 2])> {
    let (body, signature) = token.rsplit_once('.')?;
    if hex(&mac(key, &["words-token", body])[..12]) != signature {
        return None;
    }
    let expires: i64 = body.split('.').next()?.parse().ok()?;
    let pick = mac(key, &["words-pick", body]);
    let first = usize::from(u16::from_be_bytes([pick[0], pick[1]])) % WORDS.len();
    let mut second = usize::from(u16::from_be_bytes([pick[2], pick[3]])) % WORDS.len();
    if second == first {
        second = (second + 1) % WORDS.len();
    }
    Some((expires, [WORDS[first], WORDS[second]]))
}

/// The words to draw for a token.
pub fn words_for(key: &str, token: &str, now_secs: i64) -> Result<[&'static str; 2], CaptchaError> {
    let (expires, words) = open(key, token).ok_or(CaptchaError::Wrong)?;
    if expires < now_secs {
        return Err(CaptchaError::Expired);
    }
    Ok(words)
}

/// Checks a reader's answer: case and spacing do not matter.
pub fn verify(
    key: &str,
    token: &str,
    answer: &str,
    now_secs: i64,
) -> Result<super::pow::Solved, CaptchaError> {
    if token.trim().is_empty() || answer.trim().is_empty() {
        return Err(CaptchaError::Missing);
    }
    let words = words_for(key, token.trim(), now_secs)?;
    let given: String = answer
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("")
        .to_lowercase();
    if given != format!("{}{}", words[0], words[1]) {
        return Err(CaptchaError::Wrong);
    }
    let expires = open(key, token.trim()).map(|(e, _)| e).unwrap_or(now_secs);
    Ok(super::pow::Solved {
        id: format!("words:{}", token.trim()),
        expires_at_secs: expires,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "k";
    const NOW: i64 = 1_800_000_000;

    #[test]
    fn the_right_words_in_any_case_and_spacing_pass() {
        let token = create(KEY, NOW);
        let [a, b] = words_for(KEY, &token, NOW).unwrap();
        assert_ne!(a, b);
        for answer in [
            format!("{a} {b}"),
            format!("  {} {} ", a.to_uppercase(), b),
            format!("{a}{b}"),
        ] {
            assert!(verify(KEY, &token, &answer, NOW + 10).is_ok(), "{answer}");
        }
        assert_eq!(
            verify(KEY, &token, &format!("{b} {a}"), NOW),
            Err(CaptchaError::Wrong)
        );
        assert_eq!(verify(KEY, &token, "", NOW), Err(CaptchaError::Missing));
    }

    #[test]
    fn forged_and_expired_tokens_fail() {
        let token = create(KEY, NOW);
        let [a, b] = words_for(KEY, &token, NOW).unwrap();
        let answer = format!("{a} {b}");
        assert_eq!(
            verify("other", &token, &answer, NOW),
            Err(CaptchaError::Wrong)
        );
        assert_eq!(
            verify(KEY, &token, &answer, NOW + LIFETIME_SECS + 1),
            Err(CaptchaError::Expired)
        );
        let forged = token.replacen(
            &(NOW + LIFETIME_SECS).to_string(),
            &(NOW + 99_999).to_string(),
            1,
        );
        assert_eq!(verify(KEY, &forged, &answer, NOW), Err(CaptchaError::Wrong));
    }

    #[test]
    fn words_are_spread_over_the_list() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let token = create(KEY, NOW);
            seen.extend(words_for(KEY, &token, NOW).unwrap());
        }
        assert!(seen.len() > 60, "{}", seen.len());
    }
}
