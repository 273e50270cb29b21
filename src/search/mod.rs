//! Search: an inverted index in ordinary tables, written and read the same way on both engines.
//!
//! Text is cut into terms by [`terms`]: Latin-script words, lower-cased; Chinese characters both
//! one by one and in overlapping pairs, because Chinese has no spaces and readers search for
//! one- and two-character words (网, 外交). A query is cut the same way; an article matches
//! when it has every term of the query, and ranks by the summed weight of those terms
//! (headline counts most, then summary, then body).

pub mod highlight;

use std::collections::HashMap;

use serde::Serialize;

use crate::store::{Db, Tx, query};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most terms a query may have.
pub const MAX_QUERY_TERMS: usize = 12;
const TITLE_WEIGHT: i64 = 10;
const SUMMARY_WEIGHT: i64 = 3;
const BODY_WEIGHT: i64 = 1;
/// A term's weight in one article is capped, so that repetition does not win.
const MAX_WEIGHT: i64 = 60;

pub use crate::content::language::is_han;

/// The terms of a text, in order, with repeats. For Chinese, each character and each pair of
/// neighbouring characters.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() && word.chars().count() <= 40 {
            out.push(std::mem::take(word));
        }
        word.clear();
    };
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        for c in run.iter() {
            out.push(c.to_string());
        }
        for pair in run.windows(2) {
            out.push(pair.iter().collect());
        }
        run.clear();
    };
    for c in text.chars() {
        if is_han(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "China's" → "chinas", as slugs do.
        } else {
            flush_word(&mut word, &mut out);
            flush_run(&mut run, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_run(&mut run, &mut out);
    out
}

/// The terms a query must all match: for Chinese, pairs (or the single character of a
/// one-character query), which find the phrase without matching its characters scattered.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let push = |t: String, out: &mut Vec<String>| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if run.len() == 1 {
            push(run[0].to_string(), out);
        }
        for pair in run.windows(2) {
            push(pair.iter().collect(), out);
        }
        run.clear();
    };
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_han(c) {
            if !word.is_empty() {
                push(std::mem::take(&mut word), &mut out);
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
        } else {
            flush_run(&mut run, &mut out);
            if !word.is_empty() {
                push(std::mem::take(&mut word), &mut out);
            }
        }
    }
    out
}

/// Plain text of Markdown, for indexing and snippets.
pub fn markdown_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The weighted terms of an article.
pub fn weigh(title: &str, summary: &str, body_md: &str) -> HashMap<String, i64> {
    let mut weights: HashMap<String, i64> = HashMap::new();
    for (text, w) in [
        (title, TITLE_WEIGHT),
        (summary, SUMMARY_WEIGHT),
        (&markdown_text(body_md)[..], BODY_WEIGHT),
    ] {
        for term in terms(text) {
            let entry = weights.entry(term).or_default();
            *entry = (*entry + w).min(MAX_WEIGHT);
        }
    }
    weights
}

/// Rewrites an article's entries in the index (inside the caller's transaction).
pub async fn index_article(tx: &mut Tx, article_id: i64) -> Result<(), sqlx::Error> {
    let row: Option<(String, String, String)> =
        query("select title, summary, body_md from articles where id = $1")
            .bind(article_id)
            .fetch_optional(&mut *tx)
            .await?;
    query("delete from search_terms where article_id = $1")
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
    let Some((title, summary, body)) = row else {
        return Ok(());
    };
    for (term, weight) in weigh(&title, &summary, &body) {
        query("insert into search_terms (term, article_id, weight) values ($1, $2, $3)")
            .bind(term)
            .bind(article_id)
            .bind(weight)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Rebuilds the whole index; `on_article` is called after each article.
pub async fn reindex(
    db: &Db,
    mut on_start: impl FnMut(u64),
    mut on_article: impl FnMut(),
) -> Result<u64, sqlx::Error> {
    let ids: Vec<(i64,)> = query("select id from articles order by id")
        .fetch_all(db)
        .await?;
    on_start(ids.len() as u64);
    for (id,) in &ids {
        let mut tx = db.begin().await?;
        index_article(&mut tx, *id).await?;
        tx.commit().await?;
        on_article();
    }
    Ok(ids.len() as u64)
}

/// What a reader asked for.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub text: String,
    pub section: Option<String>,
    /// Unix milliseconds, inclusive.
    pub from: Option<i64>,
    /// Unix milliseconds, exclusive.
    pub until: Option<i64>,
    pub page: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    #[error("Type a word to search for.")]
    Empty,
    #[error("That search is too long; please use at most {MAX_QUERY_CHARS} characters.")]
    TooLong,
    #[error("Please search for at most {MAX_QUERY_TERMS} words at a time.")]
    TooManyTerms,
}

pub const PAGE_SIZE: i64 = 20;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub slug: String,
    pub section_slug: String,
    pub section_name: String,
    pub published_at: i64,
    pub score: i64,
}

/// Validates a query and returns its terms.
pub fn parse(text: &str) -> Result<Vec<String>, SearchError> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::TooLong);
    }
    let terms = query_terms(text);
    if terms.is_empty() {
        return Err(SearchError::Empty);
    }
    if terms.len() > MAX_QUERY_TERMS {
        return Err(SearchError::TooManyTerms);
    }
    Ok(terms)
}

/// Published articles with every term, best first; and whether more follow.
pub async fn run(
    db: &Db,
    search: &Search,
    terms: &[String],
) -> Result<(Vec<Hit>, bool), sqlx::Error> {
    let list = serde_json::to_string(terms).unwrap_or_else(|_| "[]".into());
    // The same statement on both engines but for how a JSON array becomes rows.
    let sql: &'static str = match db {
        Db::Sqlite(_) => concat!(
            "with matched as (select article_id, cast(sum(weight) as bigint) as score from search_terms
              where term in (select value from json_each($1))
              group by article_id having count(*) = $2) ",
            include_str!("search_select.sql")
        ),
        Db::Postgres(_) => concat!(
            "with matched as (select article_id, cast(sum(weight) as bigint) as score from search_terms
              where term in (select json_array_elements_text($1::json))
              group by article_id having count(*) = $2) ",
            include_str!("search_select.sql")
        ),
    };
    let mut hits: Vec<Hit> = query(sql)
        .bind(list)
        .bind(terms.len() as i64)
        .bind(search.section.clone())
        .bind(search.from)
        .bind(search.until)
        .bind(PAGE_SIZE + 1)
        .bind((search.page - 1).saturating_mul(PAGE_SIZE))
        .fetch_all(db)
        .await?;
    let more = hits.len() as i64 > PAGE_SIZE;
    hits.truncate(PAGE_SIZE as usize);
    Ok((hits, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_gives_characters_and_pairs() {
        assert_eq!(terms("外交部"), ["外", "交", "部", "外交", "交部"]);
        assert_eq!(terms("Rail 网 link"), ["rail", "网", "link"]);
    }

    #[test]
    fn queries_use_pairs_and_single_characters() {
        assert_eq!(query_terms("外交"), ["外交"]);
        assert_eq!(query_terms("网"), ["网"]);
        assert_eq!(query_terms("外交部 Rail, rail!"), ["外交", "交部", "rail"]);
        assert_eq!(query_terms("China's"), ["chinas"]);
    }

    #[test]
    fn bad_queries_are_named() {
        assert_eq!(parse(""), Err(SearchError::Empty));
        assert_eq!(parse("\" * ( ) -- ; ^"), Err(SearchError::Empty));
        assert_eq!(parse(&"x".repeat(10_000)), Err(SearchError::TooLong));
        assert_eq!(
            parse("a b c d e f g h i j k l m"),
            Err(SearchError::TooManyTerms)
        );
        assert_eq!(
            parse("NEAR(rail"),
            Ok(vec!["near".to_owned(), "rail".to_owned()])
        );
    }

    #[test]
    fn headlines_weigh_most() {
        let w = weigh("Rail link", "rail", "Some rail text about a link.");
        assert_eq!(w["rail"], 10 + 3 + 1);
        assert_eq!(w["link"], 10 + 1);
        assert_eq!(w["text"], 1);
    }

    #[test]
    fn markdown_is_read_as_text() {
        assert_eq!(
            markdown_text("**Bold** [link](http://x)").trim(),
            "Bold link"
        );
    }
}
