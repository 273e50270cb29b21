//! `broadsheet fill`: fills an empty database with generated articles and comments, for
//! measuring the site at a newsroom's scale (see `bench/README.md`).
//!
//! Articles spread over the site's sections (the six standard ones in a new database) and ten
//! years; one article carries a very long discussion. Text comes from a fixed vocabulary through a seeded generator, so two runs
//! make the same database. Rows go in as each engine takes them fastest (see [`super::bulk_load`])
//! inside large transactions, with the big tables' secondary indexes built once at the end; the
//! search index is built as articles go in, with the same weighing as the editor's saves.

use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::Context;
use super::bulk_load::{Family, Loader, SuspendedIndexes};
use crate::content::{articles, sections};
use crate::store::{Db, Tx, built_query, now_ms, query};

#[derive(Debug, Args)]
pub struct FillArgs {
    /// Articles to make
    #[arg(long, default_value_t = 1_000_000)]
    pub articles: i64,
    /// Comments to make, in all
    #[arg(long, default_value_t = 10_000_000)]
    pub comments: i64,
    /// Comments on the one big discussion (part of --comments)
    #[arg(long, default_value_t = 50_000)]
    pub big_thread: i64,
}

const WORDS: &[&str] = &[
    "city",
    "council",
    "river",
    "harbour",
    "railway",
    "station",
    "minister",
    "budget",
    "school",
    "hospital",
    "market",
    "village",
    "province",
    "election",
    "court",
    "festival",
    "museum",
    "bridge",
    "airport",
    "factory",
    "farmers",
    "teachers",
    "workers",
    "students",
    "doctors",
    "water",
    "energy",
    "solar",
    "wind",
    "coal",
    "rain",
    "storm",
    "flood",
    "drought",
    "harvest",
    "rice",
    "tea",
    "trade",
    "export",
    "import",
    "bank",
    "price",
    "wages",
    "housing",
    "rent",
    "transport",
    "traffic",
    "bus",
    "metro",
    "cycling",
    "football",
    "tennis",
    "marathon",
    "swimming",
    "team",
    "coach",
    "season",
    "final",
    "record",
    "film",
    "music",
    "theatre",
    "concert",
    "novel",
    "artist",
    "director",
    "actor",
    "fashion",
    "food",
    "recipe",
    "garden",
    "travel",
    "mountain",
    "coast",
    "island",
    "forest",
    "park",
    "climate",
    "science",
    "research",
    "space",
    "satellite",
    "telescope",
    "computer",
    "network",
    "phone",
    "software",
    "police",
    "fire",
    "rescue",
    "volunteers",
    "charity",
    "library",
    "archive",
    "history",
    "heritage",
    "temple",
    "palace",
    "opens",
    "closes",
    "plans",
    "rises",
    "falls",
    "wins",
    "loses",
    "agrees",
    "rejects",
    "announces",
    "reports",
    "warns",
    "expects",
    "builds",
    "repairs",
    "celebrates",
    "new",
    "old",
    "first",
    "last",
    "largest",
    "smallest",
    "northern",
    "southern",
    "eastern",
    "western",
    "local",
    "national",
    "annual",
    "weekly",
    "quiet",
    "busy",
    "early",
    "late",
    "record",
    "public",
    "private",
    "green",
    "digital",
    "historic",
    "modern",
    "rural",
    "urban",
];

/// Made-up syllables for the long tail of the vocabulary.
const SYLLABLES: [&str; 30] = [
    "ba", "ko", "ri", "sen", "ta", "lu", "mi", "dor", "ven", "sha", "pel", "qua", "ron", "zi",
    "mar", "tel", "fo", "gan", "hu", "jin", "las", "nor", "pi", "sul", "tra", "vo", "wen", "xi",
    "yor", "ze",
];

/// Some 28,000 words where a word's chance falls with its rank (log-uniform, close to the Zipf
/// law of real text): the news words above sit between rank 100 and 6,400, so each is in a few
/// per cent of stories or fewer (`harbour`, rank ~210, in about 7 %), not in half of them.
fn vocabulary() -> Vec<String> {
    let mut made: Vec<String> = Vec::new();
    for a in SYLLABLES {
        for b in SYLLABLES {
            made.push(format!("{a}{b}"));
            for c in SYLLABLES {
                made.push(format!("{a}{b}{c}"));
            }
        }
    }
    let mut rng = Rng(0x0000_0000_00C0_FFEE);
    for i in (1..made.len()).rev() {
        made.swap(i, rng.below(i as u64 + 1) as usize);
    }
    for (i, word) in WORDS.iter().enumerate() {
        made.insert(100 + 37 * i, (*word).to_owned());
    }
    made
}

/// A small, fast, seeded generator (xorshift64*): the same seed makes the same newsroom.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A word of `vocab`, rank chosen log-uniformly.
    fn word<'v>(&mut self, vocab: &'v [String]) -> &'v str {
        let u = (self.next() >> 11) as f64 / (1_u64 << 53) as f64;
        let rank = ((vocab.len() as f64).ln() * u).exp() as usize - 1;
        vocab.get(rank).map(String::as_str).unwrap_or("news")
    }

    fn words(&mut self, vocab: &[String], n: usize) -> String {
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.word(vocab));
        }
        out
    }

    /// A sentence of `min` to `min + spread - 1` words.
    fn sentence_of(&mut self, vocab: &[String], min: usize, spread: u64) -> String {
        let n = min + self.below(spread) as usize;
        self.sentence(vocab, n)
    }

    fn sentence(&mut self, vocab: &[String], n: usize) -> String {
        let mut s = self.words(vocab, n);
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + s.get(1..).unwrap_or_default();
        }
        s.push('.');
        s
    }
}

const ARTICLE_COLUMNS: [&str; 14] = [
    "id",
    "section_id",
    "slug",
    "title",
    "summary",
    "body_md",
    "body_html",
    "source",
    "byline",
    "status",
    "published_at",
    "created_at",
    "updated_at",
    "comment_count",
];
const POSTING_COLUMNS: [&str; 5] = ["term", "article_id", "weight", "published_at", "section_id"];
const THREAD_COLUMNS: [&str; 8] = [
    "id",
    "board_id",
    "article_id",
    "title",
    "status",
    "post_count",
    "created_at",
    "last_post_at",
];
const POST_COLUMNS: [&str; 10] = [
    "id",
    "thread_id",
    "root_id",
    "author_name",
    "body",
    "body_hash",
    "status",
    "ip_hash",
    "created_at",
    "published_at",
];
/// Articles per transaction.
const ARTICLES_PER_TX: i64 = 20_000;
/// Tables whose secondary indexes are built after the load.
const BIG_TABLES: [&str; 3] = ["search_postings", "posts", "articles"];

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what}, {{per_sec}}, {{eta}} left");
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub async fn run(ctx: &Context, args: FillArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.articles >= 1, "--articles must be at least 1");
    anyhow::ensure!(
        args.big_thread <= args.comments,
        "--big-thread is part of --comments, so it cannot be larger"
    );
    let (db, _) = ctx.open().await?;
    if articles::count_all(&db).await? > 0 {
        anyhow::bail!(
            "the database already has articles; `fill` only fills an empty database \
             (it is for benchmarks, never for a newsroom's own)"
        );
    }
    let started = std::time::Instant::now();
    // The site's own sections (a new database has the six standard ones).
    let section_ids: Vec<i64> = sections::list_visible(&db)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    anyhow::ensure!(
        !section_ids.is_empty(),
        "the site has no visible sections to fill"
    );
    let now = now_ms();
    let span = 10 * 365 * crate::privacy::DAY_MS;
    let mut rng = Rng(0x005E_ED0F_B0AD_5EE7);
    let vocab = vocabulary();

    // How many comments each article gets: the big one its share, the rest spread evenly.
    let rest = args.comments - args.big_thread;
    let per_article = |id: i64| -> i64 {
        if id == 1 {
            return args.big_thread;
        }
        let others = (args.articles - 1).max(1);
        rest / others + i64::from((id - 2) < rest % others)
    };

    let mut suspended = Vec::new();
    for table in BIG_TABLES {
        suspended.push(SuspendedIndexes::drop_for(&db, table).await?);
    }

    let bar_a = bar(args.articles as u64, "articles");
    let mut stories = Family::new(
        Loader::new("articles", &ARTICLE_COLUMNS),
        Loader::new("search_postings", &POSTING_COLUMNS),
    );
    let mut id = 1_i64;
    while id <= args.articles {
        let mut tx = begin(&db).await?;
        let end = (id + ARTICLES_PER_TX - 1).min(args.articles);
        for a in id..=end {
            let section = section_ids[(a as usize) % section_ids.len()];
            let title = rng.sentence_of(&vocab, 6, 5);
            let summary = rng.sentence_of(&vocab, 14, 10);
            let paragraphs: Vec<String> = (0..3)
                .map(|_| {
                    (0..4)
                        .map(|_| rng.sentence_of(&vocab, 8, 8))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let body_md = paragraphs.join("\n\n");
            let body_html = paragraphs
                .iter()
                .map(|p| format!("<p>{p}</p>\n"))
                .collect::<String>();
            // Newest first by id: article 1 (the big discussion) is the newest.
            let published = now - (a * span / args.articles.max(1)) - 60_000;
            let terms = crate::search::weigh(&title, &summary, &body_md);
            let row = vec![
                a.into(),
                section.into(),
                format!("story-{a}").into(),
                title.into(),
                summary.into(),
                body_md.into(),
                body_html.into(),
                "Broadsheet wire".into(),
                "Generated".into(),
                "published".into(),
                published.into(),
                published.into(),
                published.into(),
                per_article(a).into(),
            ];
            stories.push_parent(&mut tx, row).await?;
            for (term, weight) in terms {
                let row = vec![
                    term.into(),
                    a.into(),
                    weight.into(),
                    published.into(),
                    section.into(),
                ];
                stories.push_child(&mut tx, row).await?;
            }
            if a % 100 == 0 {
                bar_a.inc(100);
            }
        }
        stories.flush(&mut tx).await?;
        tx.commit().await?;
        id = end + 1;
    }
    bar_a.finish();
    advance_identity(&db, "articles").await?;

    fill_comments(&db, &args, &per_article, now, &mut rng, &vocab).await?;

    println!("building indexes…");
    for indexes in suspended {
        indexes.rebuild(&db).await?;
    }

    // Fresh statistics, so the planners know the tables' new sizes (and on PostgreSQL the
    // visibility map, without which no scan can answer from an index alone).
    let analyze = match db {
        Db::Sqlite(_) => "analyze",
        Db::Postgres(_) => "vacuum analyze",
    };
    query(analyze).execute(&db).await?;
    println!(
        "filled {} articles and {} comments in {:.0} s",
        args.articles,
        args.comments,
        started.elapsed().as_secs_f64()
    );
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// A transaction for bulk loading. On SQLite its connection gets a large page cache, so that
/// the indexes being filled stay in memory between statements (a setting of the connection,
/// not of the database).
async fn begin(db: &Db) -> Result<Tx, sqlx::Error> {
    let mut tx = db.begin().await?;
    if let Db::Sqlite(_) = db {
        query("pragma cache_size = -524288")
            .execute(&mut tx)
            .await?;
    }
    Ok(tx)
}

/// Identity columns do not advance on explicit ids (PostgreSQL; SQLite takes the next id from
/// the largest).
async fn advance_identity(db: &Db, table: &str) -> Result<(), sqlx::Error> {
    if let Db::Postgres(_) = db {
        built_query(format!(
            "select setval(pg_get_serial_sequence('{table}', 'id'), (select max(id) from {table}))"
        ))
        .execute(db)
        .await?;
    }
    Ok(())
}

async fn fill_comments(
    db: &Db,
    args: &FillArgs,
    per_article: &dyn Fn(i64) -> i64,
    now: i64,
    rng: &mut Rng,
    vocab: &[String],
) -> anyhow::Result<()> {
    let (board,): (i64,) = query("select id from boards where slug = 'articles'")
        .fetch_one(db)
        .await?;
    let bar_c = bar(args.comments as u64, "comments");
    let mut threads = Family::new(
        Loader::new("threads", &THREAD_COLUMNS),
        Loader::new("posts", &POST_COLUMNS),
    );
    let mut post_id = 0_i64;
    let mut tx = begin(db).await?;
    let mut in_tx = 0_i64;
    for article in 1..=args.articles {
        let count = per_article(article);
        if count == 0 {
            continue;
        }
        // The thread's id is the article's: one thread per article.
        let row = vec![
            article.into(),
            board.into(),
            article.into(),
            format!("Story {article}").into(),
            "open".into(),
            count.into(),
            now.into(),
            now.into(),
        ];
        threads.push_parent(&mut tx, row).await?;
        for c in 0..count {
            let body = rng.sentence_of(vocab, 10, 20);
            let hash = crate::privacy::sha256_hex(&body);
            let created = now - (count - c) * 1_000;
            post_id += 1;
            // Every generated comment is top level: its own root.
            let row = vec![
                post_id.into(),
                article.into(),
                post_id.into(),
                format!("Reader {}", rng.below(100_000)).into(),
                body.into(),
                hash.into(),
                "published".into(),
                "generated".into(),
                created.into(),
                created.into(),
            ];
            threads.push_child(&mut tx, row).await?;
        }
        bar_c.inc(count as u64);
        in_tx += count;
        if in_tx >= 200_000 {
            threads.flush(&mut tx).await?;
            tx.commit().await?;
            tx = begin(db).await?;
            in_tx = 0;
        }
    }
    threads.flush(&mut tx).await?;
    tx.commit().await?;
    advance_identity(db, "threads").await?;
    advance_identity(db, "posts").await?;
    bar_c.finish();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_repeatable() {
        let vocab = vocabulary();
        let (mut a, mut b) = (Rng(7), Rng(7));
        assert_eq!(a.sentence(&vocab, 8), b.sentence(&vocab, 8));
        assert!(a.sentence(&vocab, 3).ends_with('.'));
    }

    #[test]
    fn common_words_are_common_and_news_words_are_not() {
        let vocab = vocabulary();
        assert!(vocab.len() > 27_000);
        let mut rng = Rng(11);
        let draws = 200_000;
        let mut top = 0;
        let mut harbour = 0;
        for _ in 0..draws {
            let w = rng.word(&vocab);
            if std::ptr::eq(w, vocab[0].as_str()) {
                top += 1;
            }
            if w == "harbour" {
                harbour += 1;
            }
        }
        assert!(top > draws / 20, "the commonest word is common: {top}");
        assert!(
            harbour > 0 && harbour < draws / 1000,
            "news words are rarer: {harbour}"
        );
    }
}
