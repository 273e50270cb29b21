//! Search: an inverted index in ordinary tables, written and read the same way on both engines.
//!
//! Text is cut into terms by [`terms`]: Latin-script words, lower-cased; Chinese characters both
//! one by one and in overlapping pairs, because Chinese has no spaces and readers search for
//! one- and two-character words (网, 外交). A query is cut the same way; an article matches
//! when it has every term of the query, and ranks by the summed weight of those terms
//! (headline counts most, then summary, then body).

pub mod highlight;
pub mod rank;

use std::collections::HashMap;

use serde::Serialize;

use crate::store::{Db, Tx, built_query, query};

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

/// Rewrites an article's entries in the index (inside the caller's transaction). Only a
/// published story has entries: call this after every change of text, section or status.
pub async fn index_article(tx: &mut Tx, article_id: i64) -> Result<(), sqlx::Error> {
    query("delete from search_postings where article_id = $1")
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
    let row: Option<(String, String, String, i64, i64)> = query(
        "select title, summary, body_md, published_at, section_id from articles
         where id = $1 and status = 'published' and published_at is not null",
    )
    .bind(article_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((title, summary, body, published_at, section_id)) = row else {
        return Ok(());
    };
    for (term, weight) in weigh(&title, &summary, &body) {
        query(
            "insert into search_postings (term, article_id, weight, published_at, section_id)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(term)
        .bind(article_id)
        .bind(weight)
        .bind(published_at)
        .bind(section_id)
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
/// Results are shown up to this page (a thousand stories); nobody reads further, and each page
/// costs more than the one before.
pub const MAX_PAGE: i64 = 50;

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

/// Published articles with every term, best first (summed weight, then newest); and whether
/// more follow.
pub async fn run(
    db: &Db,
    search: &Search,
    terms: &[String],
) -> Result<(Vec<Hit>, bool), sqlx::Error> {
    if search.page > MAX_PAGE {
        return Ok((Vec::new(), false));
    }
    let section_id = match &search.section {
        None => None,
        Some(slug) => {
            let found: Option<(i64,)> = query("select id from sections where slug = $1")
                .bind(slug)
                .fetch_optional(db)
                .await?;
            match found {
                Some((id,)) => Some(id),
                None => return Ok((Vec::new(), false)),
            }
        }
    };
    let filters = rank::Filters {
        section_id,
        from: search.from,
        until: search.until,
    };
    let skip = ((search.page - 1) * PAGE_SIZE) as usize;
    let ranked = rank::top(db, terms, filters, skip + PAGE_SIZE as usize + 1).await?;
    let more = ranked.len() > skip + PAGE_SIZE as usize && search.page < MAX_PAGE;
    let ids: Vec<i64> = ranked
        .iter()
        .skip(skip)
        .take(PAGE_SIZE as usize)
        .map(|r| r.article_id)
        .collect();
    if ids.is_empty() {
        return Ok((Vec::new(), false));
    }
    // Our own integers, written into the statement (see `rank::look_up`).
    let list = rank::id_list(ids.iter().copied());
    let stories: Vec<Hit> = built_query(format!(
        "select a.id, a.title, a.summary, a.body_md, a.slug, s.slug as section_slug,
                s.name as section_name, a.published_at
         from articles a join sections s on s.id = a.section_id
         where a.status = 'published' and a.id in ({list})"
    ))
    .once()
    .fetch_all(db)
    .await?;
    let mut by_id: HashMap<i64, Hit> = stories.into_iter().map(|h| (h.id, h)).collect();
    let hits = ids.iter().filter_map(|id| by_id.remove(id)).collect();
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
