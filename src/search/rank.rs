//! Finding the best matches without adding up whole posting lists.
//!
//! Each term's postings are read best first — by weight, then newest, then highest id, the
//! order results are shown in — a batch at a time. Every story met for the first time is
//! looked up in the other terms' lists by key (it must have them all), which gives its exact
//! score. After each round, a story not yet met can score at most the sum of the weights the
//! lists have been read down to; once the page's last place is already better than that, no
//! unread posting can change the page and reading stops. (This is Fagin's threshold
//! algorithm.) A common word therefore costs a page's worth of postings, not its hundreds of
//! thousands; a story met that cannot reach the page even at its best is not looked up.
//!
//! The results are exactly those of ranking every matching story, on both engines.

use std::collections::{HashMap, HashSet};

use crate::store::{Db, built_query, query};

/// A posting's place in its list: (weight, published_at, article_id); greater comes first.
type Key = (i64, i64, i64);

/// Filters applied while reading the lists (every term's list alike).
#[derive(Debug, Clone, Copy, Default)]
pub struct Filters {
    pub section_id: Option<i64>,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// A matching story: its score and its place in the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ranked {
    pub score: i64,
    pub published_at: i64,
    pub article_id: i64,
}

const FIRST_BATCH: i64 = 64;
const LARGEST_BATCH: i64 = 4096;
/// Stories looked up per statement.
const LOOKUP_CHUNK: usize = 500;

/// A story met in some lists and still to be looked up in the others.
struct Partial {
    id: i64,
    published_at: i64,
    /// The summed weight of the terms it has shown.
    shown: i64,
}

struct List {
    term: String,
    /// The last posting read; `None` before the first batch.
    cursor: Option<Key>,
    exhausted: bool,
}

/// The best `wanted` stories having every term, best first.
pub async fn top(
    db: &Db,
    terms: &[String],
    filters: Filters,
    wanted: usize,
) -> Result<Vec<Ranked>, sqlx::Error> {
    let first_batch = FIRST_BATCH.max(wanted as i64 + 1);
    top_reading(db, terms, filters, wanted, first_batch).await
}

/// [`top`], reading `first_batch` postings of each list in the first round (then four times
/// as many each round). Tests read one posting at a time to reach every way of stopping.
pub async fn top_reading(
    db: &Db,
    terms: &[String],
    filters: Filters,
    wanted: usize,
    first_batch: i64,
) -> Result<Vec<Ranked>, sqlx::Error> {
    if wanted == 0 || terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut lists: Vec<List> = terms
        .iter()
        .map(|t| List {
            term: t.clone(),
            cursor: None,
            exhausted: false,
        })
        .collect();
    let mut seen: HashSet<i64> = HashSet::new();
    let mut found: Vec<Ranked> = Vec::new();
    let mut batch = first_batch.max(1);
    // What it cost, for the debug log.
    let (mut rounds, mut read, mut looked_up) = (0, 0, 0);
    loop {
        rounds += 1;
        // Sorted access: the next batch of every list.
        let mut met: HashMap<i64, (i64, Vec<Option<i64>>)> = HashMap::new();
        for (i, list) in lists.iter_mut().enumerate() {
            let rows = read_batch(db, list, filters, batch).await?;
            read += rows.len();
            list.exhausted = (rows.len() as i64) < batch;
            if let Some(&(w, p, id)) = rows.last() {
                list.cursor = Some((w, p, id));
            }
            for (w, p, id) in rows {
                if seen.contains(&id) {
                    continue;
                }
                let entry = met
                    .entry(id)
                    .or_insert_with(|| (p, vec![None; terms.len()]));
                entry.1[i] = Some(w);
            }
        }
        // A story met now can score at most what it showed plus, in each list it has not
        // shown up in yet, that list's current weight (absent from a finished list: no match).
        let bar = (found.len() >= wanted).then(|| nth_best(&mut found, wanted));
        // Stories to look up, grouped by the terms they have not shown: only those are probed.
        let mut to_look_up: HashMap<Vec<usize>, Vec<Partial>> = HashMap::new();
        for (id, (published_at, weights)) in met {
            seen.insert(id);
            let best: Option<i64> = weights
                .iter()
                .zip(&lists)
                .map(|(w, list)| match (w, list.exhausted, list.cursor) {
                    (Some(w), _, _) => Some(*w),
                    (None, false, Some((cw, _, _))) => Some(cw),
                    _ => None,
                })
                .sum();
            let Some(best) = best else { continue };
            let could = Ranked {
                score: best,
                published_at,
                article_id: id,
            };
            if bar.is_none_or(|bar| could > bar) {
                let missing: Vec<usize> =
                    (0..terms.len()).filter(|&i| weights[i].is_none()).collect();
                if missing.is_empty() {
                    found.push(could);
                } else {
                    to_look_up.entry(missing).or_default().push(Partial {
                        id,
                        published_at,
                        shown: weights.iter().flatten().sum(),
                    });
                }
            }
        }
        // Random access: the full score of each story that could still make the page.
        for (missing, stories) in to_look_up {
            looked_up += stories.len();
            let wanted_terms: Vec<&str> = missing.iter().map(|&i| terms[i].as_str()).collect();
            for chunk in stories.chunks(LOOKUP_CHUNK) {
                let scores = look_up(db, &wanted_terms, chunk).await?;
                for story in chunk {
                    if let Some(&(count, rest)) = scores.get(&story.id)
                        && count == wanted_terms.len()
                    {
                        found.push(Ranked {
                            score: story.shown + rest,
                            published_at: story.published_at,
                            article_id: story.id,
                        });
                    }
                }
            }
        }
        if lists.iter().any(|l| l.exhausted) {
            // Every story with all the terms appears in the finished list: all were met.
            break;
        }
        if found.len() >= wanted {
            let last = nth_best(&mut found, wanted);
            if cannot_be_beaten(&lists, last) {
                break;
            }
        }
        batch = (batch * 4).min(LARGEST_BATCH);
    }
    found.sort_unstable_by(|a, b| b.cmp(a));
    found.truncate(wanted);
    tracing::debug!(
        terms = terms.len(),
        rounds,
        read,
        looked_up,
        "search ranked"
    );
    Ok(found)
}

/// The `n`th best found so far (1-based); keeps `found` trimmed to the best `n`.
fn nth_best(found: &mut Vec<Ranked>, n: usize) -> Ranked {
    found.sort_unstable_by(|a, b| b.cmp(a));
    found.truncate(n);
    found[n - 1]
}

/// Whether no story yet unread can rank above `last`. Such a story comes after every list's
/// cursor, so it scores at most the sum of the cursors' weights; scoring exactly that, it has
/// each cursor's weight and comes after each cursor in (published_at, article_id) too.
fn cannot_be_beaten(lists: &[List], last: Ranked) -> bool {
    let mut threshold = 0;
    let mut earliest = (i64::MAX, i64::MAX);
    for list in lists {
        let Some((w, p, id)) = list.cursor else {
            return false;
        };
        threshold += w;
        earliest = earliest.min((p, id));
    }
    last.score > threshold
        || (last.score == threshold && (last.published_at, last.article_id) >= earliest)
}

async fn read_batch(
    db: &Db,
    list: &List,
    filters: Filters,
    batch: i64,
) -> Result<Vec<Key>, sqlx::Error> {
    // Two statements rather than one with an optional cursor: a condition that may be null
    // would stop either engine from starting the index scan at the cursor.
    //
    // The batch comes back as one text, "w,p,id w,p,id …": the SQLite driver hands every row
    // from its database thread to ours through a channel, and for thousands of small rows
    // those hand-offs cost more than reading the index.
    let sql = match list.cursor {
        None => concat!(
            "select string_agg(weight || ',' || published_at || ',' || article_id, ' '
                              order by weight desc, published_at desc, article_id desc)
             from (select weight, published_at, article_id from search_postings
                   where term = $1",
            include_str!("read_batch.sql")
        ),
        Some(_) => concat!(
            "select string_agg(weight || ',' || published_at || ',' || article_id, ' '
                              order by weight desc, published_at desc, article_id desc)
             from (select weight, published_at, article_id from search_postings
                   where term = $1 and (weight, published_at, article_id) < ($6, $7, $8)",
            include_str!("read_batch.sql")
        ),
    };
    let mut q = query(sql)
        .bind(list.term.as_str())
        .bind(filters.section_id)
        .bind(filters.from)
        .bind(filters.until)
        .bind(batch);
    if let Some((w, p, id)) = list.cursor {
        q = q.bind(w).bind(p).bind(id);
    }
    let (packed,): (Option<String>,) = q.fetch_one(db).await?;
    unpack(packed.as_deref().unwrap_or_default())
        .ok_or_else(|| sqlx::Error::Decode("a search batch that does not parse".into()))
}

/// The postings of "w,p,id w,p,id …".
fn unpack(packed: &str) -> Option<Vec<Key>> {
    packed
        .split_ascii_whitespace()
        .map(|posting| {
            let mut parts = posting.split(',').map(str::parse::<i64>);
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(Ok(w)), Some(Ok(p)), Some(Ok(id)), None) => Some((w, p, id)),
                _ => None,
            }
        })
        .collect()
}

/// Ids as "1,2,3", to write into a statement or bind as one text.
pub(super) fn id_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

/// For each story, how many of the terms it has and their summed weight.
async fn look_up(
    db: &Db,
    terms: &[&str],
    stories: &[Partial],
) -> Result<HashMap<i64, (usize, i64)>, sqlx::Error> {
    // Each engine must probe the primary key once per (term, story). SQLite does so for two
    // `in` lists; the ids are our own integers, written into the statement (its text differs
    // every time, so it is not kept prepared), the terms stay bound. PostgreSQL would rather
    // read the terms' whole posting lists into a hash join, which grows with the archive, so it
    // gets a lateral join behind an `offset 0` fence, which it cannot flatten, in one fixed
    // statement that takes the ids and terms as text (terms never hold spaces: see `terms`).
    let ids = id_list(stories.iter().map(|s| s.id));
    let q = match db {
        Db::Sqlite(_) => {
            let placeholders = (1..=terms.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(",");
            let mut q = built_query(format!(
                "select article_id, weight from search_postings
                 where term in ({placeholders}) and article_id in ({ids})"
            ))
            .once();
            for t in terms {
                q = q.bind(*t);
            }
            q
        }
        Db::Postgres(_) => query(
            "select v.id, x.weight from unnest(string_to_array($1, ',')::bigint[]) as v (id)
                 cross join lateral (select p.weight from search_postings p
                                     where p.term = any(string_to_array($2, ' '))
                                       and p.article_id = v.id
                                     offset 0) x",
        )
        .bind(ids)
        .bind(terms.join(" ")),
    };
    let rows: Vec<(i64, i64)> = q.fetch_all(db).await?;
    let mut out: HashMap<i64, (usize, i64)> = HashMap::new();
    for (id, weight) in rows {
        let e = out.entry(id).or_default();
        e.0 += 1;
        e.1 += weight;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(cursor: Key) -> List {
        List {
            term: String::new(),
            cursor: Some(cursor),
            exhausted: false,
        }
    }

    fn ranked(score: i64, published_at: i64, article_id: i64) -> Ranked {
        Ranked {
            score,
            published_at,
            article_id,
        }
    }

    #[test]
    fn reading_stops_only_when_nothing_unread_can_rank_higher() {
        let lists = [list((5, 100, 7)), list((3, 90, 2))];
        // Unread stories score at most 8.
        assert!(cannot_be_beaten(&lists, ranked(9, 0, 1)));
        assert!(!cannot_be_beaten(&lists, ranked(7, 1_000, 1)));
        // Scoring exactly 8, an unread story is older than (90, 2): it loses to anything newer.
        assert!(cannot_be_beaten(&lists, ranked(8, 90, 2)));
        assert!(cannot_be_beaten(&lists, ranked(8, 95, 1)));
        assert!(!cannot_be_beaten(&lists, ranked(8, 89, 1)));
        // Before a list is read at all, anything may follow.
        let unread = [List {
            term: String::new(),
            cursor: None,
            exhausted: false,
        }];
        assert!(!cannot_be_beaten(&unread, ranked(100, 0, 0)));
    }

    #[test]
    fn batches_unpack_or_say_they_do_not() {
        assert_eq!(
            unpack("12,1700,5 3,-4,9"),
            Some(vec![(12, 1700, 5), (3, -4, 9)])
        );
        assert_eq!(unpack(""), Some(vec![]));
        assert_eq!(unpack("1,2"), None);
        assert_eq!(unpack("1,2,x"), None);
        assert_eq!(unpack("1,2,3,4"), None);
    }

    #[test]
    fn results_rank_by_score_then_newest_then_id() {
        let mut found = vec![
            ranked(3, 5, 1),
            ranked(4, 1, 2),
            ranked(3, 5, 9),
            ranked(3, 6, 0),
        ];
        assert_eq!(nth_best(&mut found, 2), ranked(3, 6, 0));
        assert_eq!(found, vec![ranked(4, 1, 2), ranked(3, 6, 0)]);
    }
}
