//! A spam classifier that learns from this site's own moderators.
//!
//! Naive Bayes over the words of a post (Latin words, and overlapping pairs of Chinese
//! characters, since Chinese is written without spaces) and the domains it links to. An
//! approval teaches "not spam", a removal as spam teaches "spam". The counts live in the
//! database, so every node shares what was learned and no reader text leaves the server.

use std::collections::{HashMap, HashSet};

use crate::store::{Db, Tx, query};

/// Below this many decisions of each kind the classifier stays silent.
pub const MIN_DOCS_PER_CLASS: i64 = 5;
/// At most this many distinct tokens of a post are considered.
const MAX_TOKENS: usize = 200;

use crate::content::language::is_han;

/// The distinct tokens of a text.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |t: String, out: &mut Vec<String>| {
        if seen.insert(t.clone()) {
            out.push(t);
        }
    };
    let finder = linkify::LinkFinder::new();
    for link in finder.links(text) {
        let url = link.as_str();
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .trim_start_matches("www.")
            .to_lowercase();
        if !host.is_empty() {
            push(format!("link:{host}"), &mut out);
        }
    }
    let mut latin = String::new();
    let mut han: Vec<char> = Vec::new();
    let flush_han = |han: &mut Vec<char>,
                     out: &mut Vec<String>,
                     push: &mut dyn FnMut(String, &mut Vec<String>)| {
        if han.len() == 1 {
            push(han[0].to_string(), out);
        }
        for pair in han.windows(2) {
            push(pair.iter().collect(), out);
        }
        han.clear();
    };
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_han(c) {
            if latin.len() >= 2 && latin.len() <= 30 {
                push(latin.clone(), &mut out);
            }
            latin.clear();
            han.push(c);
        } else if c.is_alphanumeric() {
            flush_han(&mut han, &mut out, &mut push);
            latin.extend(c.to_lowercase());
        } else {
            flush_han(&mut han, &mut out, &mut push);
            if latin.chars().count() >= 2 && latin.chars().count() <= 30 {
                push(latin.clone(), &mut out);
            }
            latin.clear();
        }
    }
    out.truncate(MAX_TOKENS);
    out
}

/// What the classifier knows about some tokens.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub ham_docs: i64,
    pub spam_docs: i64,
    pub per_token: HashMap<String, (i64, i64)>,
}

/// The probability that a text is spam, or `None` while too little has been learned.
pub fn spam_probability(counts: &Counts, tokens: &[String]) -> Option<f64> {
    if counts.ham_docs < MIN_DOCS_PER_CLASS || counts.spam_docs < MIN_DOCS_PER_CLASS {
        return None;
    }
    let (hd, sd) = (counts.ham_docs as f64, counts.spam_docs as f64);
    let mut log_spam = (sd / (sd + hd)).ln();
    let mut log_ham = (hd / (sd + hd)).ln();
    let mut known = 0;
    for t in tokens {
        // Only tokens seen before carry evidence; unseen ones would only echo the class sizes.
        if let Some(&(ham, spam)) = counts.per_token.get(t) {
            known += 1;
            log_spam += ((spam as f64 + 1.0) / (sd + 2.0)).ln();
            log_ham += ((ham as f64 + 1.0) / (hd + 2.0)).ln();
        }
    }
    if known == 0 {
        return None;
    }
    Some(1.0 / (1.0 + (log_ham - log_spam).exp()))
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    token: String,
    ham: i64,
    spam: i64,
}

/// Loads the counts for a text's tokens.
pub async fn load(db: &Db, tokens: &[String]) -> Result<Counts, sqlx::Error> {
    let (ham_docs, spam_docs): (i64, i64) =
        query("select ham_docs, spam_docs from classifier_totals where id = 1")
            .fetch_optional(db)
            .await?
            .unwrap_or((0, 0));
    if ham_docs < MIN_DOCS_PER_CLASS || spam_docs < MIN_DOCS_PER_CLASS || tokens.is_empty() {
        return Ok(Counts {
            ham_docs,
            spam_docs,
            per_token: HashMap::new(),
        });
    }
    let list = serde_json::to_string(tokens).unwrap_or_else(|_| "[]".into());
    // The token list travels as one JSON array; each engine unpacks it its own way.
    let rows: Vec<TokenRow> = match db {
        Db::Sqlite(_) => query(
            "select token, ham, spam from classifier_tokens
             where token in (select value from json_each($1))",
        ),
        Db::Postgres(_) => query(
            "select token, ham, spam from classifier_tokens
             where token in (select json_array_elements_text($1::json))",
        ),
    }
    .bind(list)
    .fetch_all(db)
    .await?;
    Ok(Counts {
        ham_docs,
        spam_docs,
        per_token: rows
            .into_iter()
            .map(|r| (r.token, (r.ham, r.spam)))
            .collect(),
    })
}

/// Learns one decision about a text.
pub async fn learn(tx: &mut Tx, text: &str, spam: bool) -> Result<(), sqlx::Error> {
    let (ham_inc, spam_inc) = if spam { (0, 1) } else { (1, 0) };
    for token in tokens(text) {
        query(
            "insert into classifier_tokens (token, ham, spam) values ($1, $2, $3)
             on conflict (token) do update set ham = classifier_tokens.ham + excluded.ham,
                                               spam = classifier_tokens.spam + excluded.spam",
        )
        .bind(token)
        .bind(ham_inc)
        .bind(spam_inc)
        .execute(&mut *tx)
        .await?;
    }
    query(
        "update classifier_totals set ham_docs = ham_docs + $1, spam_docs = spam_docs + $2
         where id = 1",
    )
    .bind(ham_inc)
    .bind(spam_inc)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cover_words_chinese_pairs_and_link_domains() {
        let t = tokens("Buy CHEAP pills at https://www.pills.example/buy 今天天气");
        for expected in [
            "buy",
            "cheap",
            "pills",
            "link:pills.example",
            "今天",
            "天天",
            "天气",
        ] {
            assert!(t.contains(&expected.to_string()), "{expected} in {t:?}");
        }
        assert_eq!(tokens("a a a").len(), 0, "one-letter words are noise");
        assert_eq!(tokens("好"), vec!["好"]);
    }

    fn trained() -> Counts {
        let mut per_token = HashMap::new();
        for t in [
            "cheap",
            "pills",
            "casino",
            "link:pills.example",
            "发票",
            "代开",
        ] {
            per_token.insert(t.to_string(), (0, 8));
        }
        for t in ["rail", "station", "commute", "policy", "列车", "车站"] {
            per_token.insert(t.to_string(), (8, 0));
        }
        Counts {
            ham_docs: 10,
            spam_docs: 10,
            per_token,
        }
    }

    #[test]
    fn learns_english_and_chinese_spam() {
        let c = trained();
        let p = |text: &str| spam_probability(&c, &tokens(text)).unwrap();
        assert!(p("cheap pills casino") > 0.95);
        assert!(p("代开发票") > 0.9);
        assert!(p("The new rail station will help my commute") < 0.05);
        assert!(p("列车车站") < 0.1);
    }

    #[test]
    fn silent_until_trained_or_when_nothing_is_known() {
        let c = Counts {
            ham_docs: 2,
            spam_docs: 40,
            per_token: HashMap::new(),
        };
        assert_eq!(spam_probability(&c, &tokens("cheap pills")), None);
        assert_eq!(
            spam_probability(&trained(), &tokens("entirely unseen words")),
            None
        );
    }
}
