//! Posting, listing and finding posts.
//!
//! A post is acknowledged to the reader only after the transaction that stores it (and, when
//! it is published at once, updates the thread's and the article's counts) has committed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::screening::{self, Decision, Facts, Mode, Submission, WordAction, WordList};
use super::{PostError, classifier, moderation, render, threads};
use crate::privacy::hex;
use crate::store::{Db, Tx, query};

/// Replies nest at most this deep; a reply to a post at this depth joins its parent's level.
pub const MAX_DEPTH: i64 = 4;
/// Top-level comments per page of a thread.
pub const ROOTS_PER_PAGE: i64 = 30;
/// A page never carries more posts than this, however many replies its comments have.
pub const MAX_POSTS_PER_PAGE: i64 = 600;

/// The site-wide default moderation mode, when the site has not chosen one: a name's first
/// comment waits for a moderator, as WordPress does by default.
pub const DEFAULT_MODE: Mode = Mode::FirstTime;

/// The setting that holds the site-wide moderation mode.
pub const MODE_SETTING: &str = "discussion.mode";

/// A comment as submitted.
#[derive(Debug, Clone)]
pub struct NewPost<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub body: &'a str,
    pub parent_id: Option<i64>,
    /// Keyed hash of the sender's address.
    pub ip_hash: &'a str,
    /// The sender's address itself, only to check address bans; never stored.
    pub address: &'a str,
}

/// The article a comment is for.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub article_id: i64,
    pub title: &'a str,
    pub section_mode: Option<&'a str>,
}

/// What the screening follows that only staff change: each process keeps it (see
/// `web::site_cache`), so posting need not read it again.
#[derive(Debug, Clone)]
pub struct Standing<'a> {
    /// The site-wide moderation mode as stored (sections may override it).
    pub site_mode: Option<&'a str>,
    pub words: Arc<WordList>,
}

/// What the caller of [`post_comment_knowing`] already holds: the article's thread as read
/// with the article, and the [`Standing`].
#[derive(Debug, Clone)]
pub struct Known<'a> {
    /// The thread's id and whether it is closed; `None` before the first comment.
    pub thread: Option<(i64, bool)>,
    pub standing: Standing<'a>,
}

/// What happened to an accepted post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Published(i64),
    Held(i64),
}

fn body_hash(body: &str) -> String {
    hex(&Sha256::digest(
        screening::duplicate::normalise(body).as_bytes(),
    ))
}

/// The site's word lists.
pub async fn word_list(db: &Db) -> Result<WordList, sqlx::Error> {
    let rows: Vec<(String, String)> = query("select word, action from screening_words")
        .fetch_all(db)
        .await?;
    Ok(WordList::new(rows.into_iter().filter_map(|(w, a)| {
        WordAction::parse(&a).map(|action| (w, action))
    })))
}

/// The moderation mode for a section: its own, else the site's, else [`DEFAULT_MODE`].
pub fn mode_from(site_mode: Option<&str>, section_mode: Option<&str>) -> Mode {
    section_mode
        .and_then(Mode::parse)
        .or_else(|| site_mode.and_then(Mode::parse))
        .unwrap_or(DEFAULT_MODE)
}

/// [`mode_from`], reading the site's mode from the database.
pub async fn mode_for(db: &Db, section_mode: Option<&str>) -> Result<Mode, sqlx::Error> {
    let site_mode = crate::settings::get(db, MODE_SETTING).await?;
    Ok(mode_from(site_mode.as_deref(), section_mode))
}

/// The moderation mode and word lists a post is screened under.
struct Rules {
    mode: Mode,
    words: Arc<WordList>,
}

impl Rules {
    /// In a section (the forum has none: the site-wide mode).
    fn for_section(standing: &Standing<'_>, section_mode: Option<&str>) -> Rules {
        Rules {
            mode: mode_from(standing.site_mode, section_mode),
            words: standing.words.clone(),
        }
    }
}

async fn gather_facts(
    db: &Db,
    thread_id: Option<i64>,
    new: &NewPost<'_>,
    hash: &str,
    rules: Rules,
    now: i64,
) -> Result<Facts, sqlx::Error> {
    let Rules { mode, words } = rules;
    // The screening's counts in one statement: each is a probe of its own index.
    let (recent_from_address, recent_from_name, in_thread, elsewhere, published_before_by_name): (
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = query(
        "select
           (select count(*) from posts where ip_hash = $1 and created_at > $2),
           (select count(*) from posts where author_name = $3 and created_at > $2),
           (select count(*) from posts
             where thread_id = $4 and body_hash = $5 and status <> 'removed'),
           (select count(*) from posts where ip_hash = $1 and body_hash = $5 and created_at > $6),
           case when $7 then (select count(*) from posts
                              where author_name = $3 and status = 'published')
                else 0 end",
    )
    .bind(new.ip_hash)
    .bind(now - screening::flood::WINDOW_MS)
    .bind(new.name.trim())
    .bind(thread_id)
    .bind(hash)
    .bind(now - 86_400_000)
    .bind(mode == Mode::FirstTime)
    .fetch_one(db)
    .await?;
    let tokens = classifier::tokens(&format!("{}\n{}", new.name, new.body));
    let counts = classifier::load(db, &tokens).await?;
    Ok(Facts {
        recent_from_address,
        recent_from_name,
        duplicate_in_thread: in_thread > 0,
        duplicate_elsewhere: elsewhere > 0,
        published_before_by_name,
        mode,
        words,
        spam_probability: classifier::spam_probability(&counts, &tokens),
        banned: moderation::bans::active_for(db, new.name, new.address, now).await?,
    })
}

/// Runs the screening for a post; a refusal becomes the error the reader sees.
async fn screen_post(
    db: &Db,
    thread_id: Option<i64>,
    new: &NewPost<'_>,
    screened_text: &str,
    hash: &str,
    rules: Rules,
    now: i64,
) -> Result<screening::Verdict, PostError> {
    let facts = gather_facts(db, thread_id, new, hash, rules, now).await?;
    let verdict = screening::screen(
        &Submission {
            name: new.name,
            email: new.email,
            body: screened_text,
        },
        &facts,
    );
    if verdict.decision == Decision::Refuse {
        return Err(PostError::Refused(
            verdict
                .reason
                .clone()
                .unwrap_or_else(|| "This post cannot be accepted.".into()),
        ));
    }
    Ok(verdict)
}

/// Screens and stores a comment on an article, reading the thread, the site's moderation mode
/// and the word lists first; see [`post_comment_knowing`].
pub async fn post_comment(
    db: &Db,
    target: &Target<'_>,
    new: &NewPost<'_>,
    now: i64,
) -> Result<Posted, PostError> {
    let thread = threads::of_article(db, target.article_id).await?;
    let site_mode = crate::settings::get(db, MODE_SETTING).await?;
    let known = Known {
        thread: thread.map(|t| (t.id, t.is_closed())),
        standing: Standing {
            site_mode: site_mode.as_deref(),
            words: Arc::new(word_list(db).await?),
        },
    };
    post_comment_knowing(db, target, &known, new, now).await
}

/// Screens and stores a comment on an article, with what the caller holds already.
pub async fn post_comment_knowing(
    db: &Db,
    target: &Target<'_>,
    known: &Known<'_>,
    new: &NewPost<'_>,
    now: i64,
) -> Result<Posted, PostError> {
    let hash = body_hash(new.body);
    if known.thread.is_some_and(|(_, closed)| closed) {
        return Err(PostError::Refused(
            "Comments are closed for this story.".into(),
        ));
    }
    let rules = Rules::for_section(&known.standing, target.section_mode);
    let thread_id = known.thread.map(|(id, _)| id);
    let verdict = screen_post(db, thread_id, new, new.body, &hash, rules, now).await?;
    let mut tx = db.begin().await?;
    let thread_id = match thread_id {
        Some(id) => id,
        None => {
            threads::for_article(&mut tx, target.article_id, target.title, now)
                .await?
                .id
        }
    };
    let posted = insert_in_thread(&mut tx, thread_id, new, &hash, &verdict, now).await?;
    tx.commit().await?;
    Ok(posted)
}

/// Screens and stores a reply in a forum topic.
pub async fn reply_in_topic(
    db: &Db,
    thread: &threads::Thread,
    standing: &Standing<'_>,
    new: &NewPost<'_>,
    now: i64,
) -> Result<Posted, PostError> {
    if thread.is_closed() {
        return Err(PostError::Refused("This topic is closed.".into()));
    }
    let hash = body_hash(new.body);
    let rules = Rules::for_section(standing, None);
    let verdict = screen_post(db, Some(thread.id), new, new.body, &hash, rules, now).await?;
    let mut tx = db.begin().await?;
    let posted = insert_in_thread(&mut tx, thread.id, new, &hash, &verdict, now).await?;
    tx.commit().await?;
    Ok(posted)
}

/// Titles of forum topics, in characters.
pub const TITLE_CHARS: std::ops::RangeInclusive<usize> = 5..=150;

/// Screens and starts a forum topic: a thread and its first post. The topic shows in its board
/// once that first post is published.
pub async fn start_topic(
    db: &Db,
    board_id: i64,
    title: &str,
    standing: &Standing<'_>,
    new: &NewPost<'_>,
    now: i64,
) -> Result<(i64, Posted), PostError> {
    let title = title.trim();
    if !TITLE_CHARS.contains(&title.chars().count()) {
        return Err(PostError::Refused(format!(
            "A topic needs a title of {} to {} characters.",
            TITLE_CHARS.start(),
            TITLE_CHARS.end()
        )));
    }
    let hash = body_hash(new.body);
    let rules = Rules::for_section(standing, None);
    // The title is screened with the text: words and links in it count too.
    let screened = format!("{title}\n\n{}", new.body);
    let verdict = screen_post(db, None, new, &screened, &hash, rules, now).await?;
    let mut tx = db.begin().await?;
    let thread_id = query(
        "insert into threads (board_id, title, status, post_count, created_at, last_post_at)
         values ($1, $2, 'open', 0, $3, $3) returning id",
    )
    .bind(board_id)
    .bind(title)
    .bind(now)
    .fetch_i64(&mut tx)
    .await?;
    let first = NewPost {
        parent_id: None,
        ..new.clone()
    };
    let posted = insert_in_thread(&mut tx, thread_id, &first, &hash, &verdict, now).await?;
    tx.commit().await?;
    Ok((thread_id, posted))
}

/// Stores a screened post in a thread (inside the caller's transaction).
async fn insert_in_thread(
    tx: &mut Tx,
    thread_id: i64,
    new: &NewPost<'_>,
    hash: &str,
    verdict: &screening::Verdict,
    now: i64,
) -> Result<Posted, PostError> {
    let (parent_id, root_id, depth) = match new.parent_id {
        None => (None, None, 0),
        Some(parent) => {
            let row: Option<(i64, Option<i64>, Option<i64>, i64)> = query(
                "select id, parent_id, root_id, depth from posts
                 where id = $1 and thread_id = $2 and status = 'published'",
            )
            .bind(parent)
            .bind(thread_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id, grandparent, root, parent_depth)) = row else {
                return Err(PostError::Invalid(
                    "The comment you are replying to is not in this discussion, or has been removed."
                        .into(),
                ));
            };
            let root = root.unwrap_or(id);
            if parent_depth >= MAX_DEPTH {
                (grandparent.or(Some(id)), Some(root), parent_depth)
            } else {
                (Some(id), Some(root), parent_depth + 1)
            }
        }
    };
    let published = verdict.decision == Decision::Publish;
    let status = if published { "published" } else { "held" };
    let email = new.email.map(str::trim).filter(|e| !e.is_empty());
    let id = query(
        "insert into posts (thread_id, parent_id, root_id, depth, author_name, author_email, body,
                            body_hash, status, ip_hash, screening, created_at, published_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         returning id",
    )
    .bind(thread_id)
    .bind(parent_id)
    .bind(root_id)
    .bind(depth)
    .bind(new.name.trim())
    .bind(email)
    .bind(new.body.trim())
    .bind(hash)
    .bind(status)
    .bind(new.ip_hash)
    .bind(verdict.to_json())
    .bind(now)
    .bind(published.then_some(now))
    .fetch_i64(&mut *tx)
    .await?;
    if root_id.is_none() {
        query("update posts set root_id = id where id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if published {
        count_published(tx, thread_id, 1, now).await?;
    }
    Ok(if published {
        Posted::Published(id)
    } else {
        Posted::Held(id)
    })
}

/// Adds `delta` to the published counts of a thread and of its article.
pub async fn count_published(
    tx: &mut Tx,
    thread_id: i64,
    delta: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    query(
        "update threads set post_count = post_count + $1,
                last_post_at = case when $1 > 0 then $2 else last_post_at end
         where id = $3",
    )
    .bind(delta)
    .bind(now)
    .bind(thread_id)
    .execute(&mut *tx)
    .await?;
    query(
        "update articles set comment_count = comment_count + $1
         where id = (select article_id from threads where id = $2)",
    )
    .bind(delta)
    .bind(thread_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: i64,
    parent_id: Option<i64>,
    root_id: Option<i64>,
    depth: i64,
    author_name: String,
    body: String,
    status: String,
    removed_reason: Option<String>,
    created_at: i64,
}

/// A post as a thread page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub author_name: String,
    /// Escaped and linkified; empty for a removed post.
    pub body_html: String,
    pub removed: bool,
    pub removed_reason: Option<String>,
    pub created_at: i64,
    /// `zh` for a comment written mostly in Chinese.
    pub lang: Option<&'static str>,
}

/// One page of a thread: top-level posts newest first, each followed by its replies in
/// conversation order. Held posts are never shown; removed ones show as a notice.
pub async fn page(
    db: &Db,
    thread_id: i64,
    page: i64,
) -> Result<(Vec<PostView>, bool), sqlx::Error> {
    let offset = (page - 1).saturating_mul(ROOTS_PER_PAGE);
    // One statement: the page's roots (and the next page's first, to know there is one) with
    // all their replies.
    let rows: Vec<Row> = query(
        "select id, parent_id, root_id, depth, author_name, body, status, removed_reason, created_at
         from posts
         where thread_id = $1 and status <> 'held' and root_id in (
             select id from posts where thread_id = $1 and depth = 0 and status <> 'held'
             order by id desc limit $2 offset $3)
         order by root_id desc, id
         limit $4",
    )
    .bind(thread_id)
    .bind(ROOTS_PER_PAGE + 1)
    .bind(offset)
    .bind(MAX_POSTS_PER_PAGE)
    .fetch_all(db)
    .await?;
    let mut roots: Vec<i64> = Vec::new();
    for root in rows.iter().filter_map(|r| r.root_id) {
        if roots.last() != Some(&root) {
            roots.push(root);
        }
    }
    // The next page's first root, or rows cut short by the limit: there is more.
    let has_next = roots.len() as i64 > ROOTS_PER_PAGE || rows.len() as i64 == MAX_POSTS_PER_PAGE;
    roots.truncate(ROOTS_PER_PAGE as usize);
    let wanted: HashSet<i64> = roots.iter().copied().collect();
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| r.root_id.is_some_and(|root| wanted.contains(&root)))
        .collect();
    Ok((in_conversation_order(&roots, rows), has_next))
}

/// Orders posts depth-first: each root, then its replies, each reply followed by its own.
fn in_conversation_order(roots: &[i64], rows: Vec<Row>) -> Vec<PostView> {
    let mut children: HashMap<Option<i64>, Vec<Row>> = HashMap::new();
    for row in rows {
        let key = if row.depth == 0 { None } else { row.parent_id };
        children.entry(key).or_default().push(row);
    }
    let mut by_id: HashMap<i64, Row> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut out = Vec::new();
    for root in roots {
        if let Some(row) = by_id.remove(root) {
            visit(row, &mut children, &mut out);
        }
    }
    out
}

fn visit(row: Row, children: &mut HashMap<Option<i64>, Vec<Row>>, out: &mut Vec<PostView>) {
    let id = row.id;
    let removed = row.status == "removed";
    out.push(PostView {
        id,
        parent_id: row.parent_id,
        depth: row.depth,
        author_name: if removed {
            String::new()
        } else {
            row.author_name
        },
        body_html: if removed {
            String::new()
        } else {
            render::comment_html(&row.body)
        },
        removed,
        removed_reason: row.removed_reason,
        created_at: row.created_at,
        lang: crate::content::language::guess(&row.body),
    });
    if let Some(kids) = children.remove(&Some(id)) {
        for kid in kids {
            visit(kid, children, out);
        }
    }
}

/// The page of its thread a visible post is on, for permalinks.
pub async fn page_of(db: &Db, thread_id: i64, post_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> =
        query("select root_id from posts where id = $1 and thread_id = $2 and status <> 'held'")
            .bind(post_id)
            .bind(thread_id)
            .fetch_optional(db)
            .await?;
    let Some((Some(root),)) = row else {
        return Ok(None);
    };
    let newer_roots = query(
        "select count(*) from posts where thread_id = $1 and depth = 0 and status <> 'held' and id > $2",
    )
    .bind(thread_id)
    .bind(root)
    .fetch_i64(db)
    .await?;
    Ok(Some(newer_roots / ROOTS_PER_PAGE + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, parent: Option<i64>, root: i64, depth: i64) -> Row {
        Row {
            id,
            parent_id: parent,
            root_id: Some(root),
            depth,
            author_name: format!("n{id}"),
            body: format!("b{id}"),
            status: "published".into(),
            removed_reason: None,
            created_at: id,
        }
    }

    #[test]
    fn conversation_order_is_depth_first_under_each_root() {
        let rows = vec![
            row(1, None, 1, 0),
            row(2, Some(1), 1, 1),
            row(3, Some(2), 1, 2),
            row(4, Some(1), 1, 1),
            row(5, None, 5, 0),
            row(6, Some(5), 5, 1),
        ];
        let order: Vec<i64> = in_conversation_order(&[5, 1], rows)
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(order, [5, 6, 1, 2, 3, 4]);
    }

    #[test]
    fn removed_posts_lose_their_text_but_keep_their_place() {
        let mut removed = row(2, Some(1), 1, 1);
        removed.status = "removed".into();
        removed.removed_reason = Some("off-topic".into());
        let views = in_conversation_order(
            &[1],
            vec![row(1, None, 1, 0), removed, row(3, Some(2), 1, 2)],
        );
        assert_eq!(views.len(), 3);
        assert!(
            views[1].removed && views[1].body_html.is_empty() && views[1].author_name.is_empty()
        );
        assert_eq!(views[1].removed_reason.as_deref(), Some("off-topic"));
        assert_eq!(views[2].id, 3);
    }
}
