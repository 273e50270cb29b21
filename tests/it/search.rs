//! Search: relevance, highlighting, Chinese, filters, bad queries, an index kept current.

use broadsheet::content::editing::{self, Draft};
use broadsheet::store::query;

use crate::common::{Story, TestApp};

async fn app() -> TestApp {
    let app = TestApp::new().await;
    app.save(Story {
        slug: "rail-headline",
        title: "Rail link opens",
        body: "Trains run hourly.",
        date: "2015-03-01T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app.save(Story {
        slug: "rail-body",
        title: "City budget",
        body: "The budget mentions the rail link once.",
        date: "2015-03-05T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app.save(Story {
        section: "china",
        slug: "diplomacy",
        title: "外交部：欢迎对话",
        body: "外交部发言人表示欢迎各方加强对话。互联网发展迅速。",
        date: "2015-03-03T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app.save(Story {
        section: "sports",
        slug: "net",
        title: "Tennis final",
        body: "A net cord decided it.",
        date: "2015-03-04T10:00:00+08:00",
        ..Story::default()
    })
    .await;
    app
}

fn result_titles(html: &str) -> Vec<String> {
    let marker = r#"<h2 class="card-title"><a href=""#;
    html.match_indices(marker)
        .map(|(i, _)| {
            let rest = &html[i + marker.len()..];
            let start = rest.find("\">").unwrap() + 2;
            let end = start + rest[start..].find("</a>").unwrap();
            rest[start..end]
                .replace("<mark>", "")
                .replace("</mark>", "")
        })
        .collect()
}

#[tokio::test]
async fn english_results_rank_headlines_first_and_mark_the_words() {
    let app = app().await;
    let page = app.get("/search?q=rail+link").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        result_titles(&page.body),
        ["Rail link opens", "City budget"]
    );
    assert!(
        page.body
            .contains("<mark>Rail</mark> <mark>link</mark> opens")
    );
    assert!(
        page.body
            .contains("mentions the <mark>rail</mark> <mark>link</mark> once")
    );
    assert!(
        app.get("/").await.body.contains(
            r#"<form class="masthead-search" method="get" action="/search" role="search">"#
        )
    );
}

#[tokio::test]
async fn chinese_one_and_two_character_queries_find_their_articles() {
    let app = app().await;
    for q in ["外交", "%E5%A4%96%E4%BA%A4", "网", "外交部", "对话"] {
        let page = app.get(&format!("/search?q={q}")).await;
        assert_eq!(page.status, 200, "{q}");
        assert_eq!(result_titles(&page.body), ["外交部：欢迎对话"], "{q}");
    }
    let page = app.get("/search?q=外交").await.body;
    assert!(page.contains("<mark>外交</mark>"));
    // Scattered characters are not a phrase: 外 and 话 both occur, 外话 does not.
    assert!(
        app.get("/search?q=外话")
            .await
            .body
            .contains("No stories match")
    );
}

#[tokio::test]
async fn filters_by_section_and_date() {
    let app = app().await;
    let only_world = app.get("/search?q=rail&section=world").await.body;
    assert_eq!(result_titles(&only_world).len(), 2);
    assert!(
        app.get("/search?q=rail&section=sports")
            .await
            .body
            .contains("No stories match")
    );
    // Dates are days in the site's zone (UTC here), inclusive.
    let dated = app
        .get("/search?q=rail&from=2015-03-04&to=2015-03-05")
        .await
        .body;
    assert_eq!(result_titles(&dated), ["City budget"]);
    let bad = app.get("/search?q=rail&from=yesterday").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("is not a date"));
}

#[tokio::test]
async fn odd_queries_get_clear_messages_not_errors() {
    let app = app().await;
    let long = app.get(&format!("/search?q={}", "a".repeat(1500))).await;
    assert_eq!(long.status, 400);
    assert!(long.body.contains("That search is too long"));
    let too_long_for_uri = app.get(&format!("/search?q={}", "a".repeat(10_000))).await;
    assert_eq!(too_long_for_uri.status, 414);
    for q in ["%22", "*", "%22%2A%28%29", "---", "%3B"] {
        let res = app.get(&format!("/search?q={q}")).await;
        assert_eq!(res.status, 400, "{q}");
        assert!(res.body.contains("Type a word to search for."), "{q}");
    }
    for q in [
        "NEAR(rail",
        "rail*",
        "%22rail%22",
        "rail+OR+link",
        "rail%27%3B+drop+table+articles%3B--",
    ] {
        let res = app.get(&format!("/search?q={q}")).await;
        assert!(res.status.is_success(), "{q}: {}", res.status);
    }
    assert_eq!(
        query("select count(*) from articles")
            .fetch_i64(app.db())
            .await
            .unwrap(),
        4
    );
    assert_eq!(app.get("/search").await.status, 200, "an empty form");
    assert_eq!(app.get("/search?q=rail&page=9").await.status, 404);
    assert_eq!(app.get("/search?q=rail&page=x").await.status, 400);
}

#[tokio::test]
async fn the_index_follows_edits_and_publication() {
    use broadsheet::accounts::users::{self, Role};
    let app = app().await;
    let author = users::create(
        app.db(),
        "ed@news.example",
        "Ed",
        Role::Editor,
        "a long password",
    )
    .await
    .unwrap();
    let (id, section): (i64, i64) = query("select id, section_id from articles where slug = 'net'")
        .fetch_one(app.db())
        .await
        .unwrap();
    let current = editing::find(app.db(), id).await.unwrap().unwrap();
    let draft = Draft {
        title: "Tennis final".into(),
        body_md: "A volley decided it.".into(),
        section_id: section,
        slug: "net".into(),
        ..Draft::default()
    };
    editing::update(
        app.db(),
        id,
        &draft,
        current.revision,
        false,
        author,
        broadsheet::store::now_ms(),
    )
    .await
    .unwrap();
    assert!(
        app.get("/search?q=volley")
            .await
            .body
            .contains("Tennis final")
    );
    assert!(
        app.get("/search?q=cord")
            .await
            .body
            .contains("No stories match")
    );
    editing::unpublish(app.db(), id, author, broadsheet::store::now_ms())
        .await
        .unwrap();
    assert!(
        app.get("/search?q=volley")
            .await
            .body
            .contains("No stories match")
    );
}

#[tokio::test]
async fn reindex_rebuilds_the_index() {
    let app = app().await;
    query("delete from search_postings")
        .execute(app.db())
        .await
        .unwrap();
    assert!(
        app.get("/search?q=rail")
            .await
            .body
            .contains("No stories match")
    );
    let n = broadsheet::search::reindex(app.db(), |_| {}, || {})
        .await
        .unwrap();
    assert_eq!(n, 4);
    assert_eq!(
        result_titles(&app.get("/search?q=rail").await.body).len(),
        2
    );
}

/// A small deterministic generator, so that a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

/// Search reads each term's postings best first and stops as soon as nothing unread can reach
/// the page. Whatever the query, filters and page, it must give exactly what ranking every
/// matching story would.
#[tokio::test]
async fn reading_best_first_gives_exactly_the_full_ranking() {
    use broadsheet::content::articles::{self, ArticleInput, Status};
    use broadsheet::content::sections;
    use broadsheet::search::{self, Search, rank};

    let app = TestApp::new().await;
    const WORDS: [&str; 7] = [
        "amber", "birch", "cedar", "delta", "ember", "fjord", "grove",
    ];
    const SECTIONS: [&str; 3] = ["world", "china", "sports"];
    let mut rng = Lcg(7);
    let mut section_ids = Vec::new();
    for slug in SECTIONS {
        section_ids.push(
            sections::find_by_slug(app.db(), slug)
                .await
                .unwrap()
                .unwrap()
                .id,
        );
    }
    // (id, section, published_at, title, summary, body, published?)
    let mut stories = Vec::new();
    for i in 0..240 {
        // Skewed towards the first words, so that some lists are long and some short.
        let mut text = |max: usize| {
            let n = rng.below(max + 1);
            (0..n)
                .map(|_| WORDS[rng.below(WORDS.len()) * rng.below(WORDS.len()) / WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (title, summary, body) = (text(3), text(5), text(40));
        let section = rng.below(SECTIONS.len());
        // Few distinct times, so that ties between equal scores are common.
        let published_at = 1_420_070_400_000 + rng.below(40) as i64 * 86_400_000;
        let status = if i % 10 == 9 {
            Status::Draft
        } else {
            Status::Published
        };
        let input = ArticleInput {
            slug: format!("story-{i}"),
            section_id: section_ids[section],
            title: format!("Story {i} {title}"),
            summary: summary.clone(),
            body_md: body.clone(),
            source: String::new(),
            byline: String::new(),
            status,
            published_at: Some(published_at),
            tags: Vec::new(),
        };
        let id = match articles::save(app.db(), &input).await.unwrap() {
            articles::Saved::Created(id) | articles::Saved::Updated(id) => id,
        };
        stories.push((
            id,
            SECTIONS[section],
            published_at,
            search::weigh(&input.title, &summary, &body),
            status == Status::Published,
        ));
    }

    let mut queries: Vec<Vec<&str>> = WORDS.iter().map(|w| vec![*w]).collect();
    for (i, a) in WORDS.iter().enumerate() {
        for b in &WORDS[i + 1..] {
            queries.push(vec![a, b]);
        }
    }
    queries.push(vec!["amber", "birch", "cedar"]);
    queries.push(vec!["amber", "delta", "grove", "fjord"]);
    queries.push(vec!["amber", "nowhere"]);
    let day = 86_400_000;
    let filters: [(Option<&str>, Option<i64>, Option<i64>); 3] = [
        (None, None, None),
        (Some("china"), None, None),
        (
            None,
            Some(1_420_070_400_000 + 10 * day),
            Some(1_420_070_400_000 + 25 * day),
        ),
    ];
    let mut compared = 0;
    for words in &queries {
        let terms: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        for (section, from, until) in filters {
            let mut expected: Vec<(i64, i64, i64)> = stories
                .iter()
                .filter(|s| s.4 && section.is_none_or(|x| x == s.1))
                .filter(|s| from.is_none_or(|f| s.2 >= f) && until.is_none_or(|u| s.2 < u))
                .filter_map(|s| {
                    let score: Option<i64> = terms.iter().map(|t| s.3.get(t).copied()).sum();
                    score.map(|score| (score, s.2, s.0))
                })
                .collect();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            // The ranking itself, read from one posting at a time upwards, so that reading
            // stops in every possible place.
            let section_id =
                section.map(|x| section_ids[SECTIONS.iter().position(|s| *s == x).unwrap()]);
            let filter = rank::Filters {
                section_id,
                from,
                until,
            };
            for first_batch in [1, 2, 5] {
                for wanted in [1, 4, 30] {
                    let top = rank::top_reading(app.db(), &terms, filter, wanted, first_batch)
                        .await
                        .unwrap();
                    let top: Vec<(i64, i64, i64)> = top
                        .iter()
                        .map(|r| (r.score, r.published_at, r.article_id))
                        .collect();
                    let want = &expected[..wanted.min(expected.len())];
                    assert_eq!(
                        top, want,
                        "{words:?} {section:?} {from:?} {first_batch} {wanted}"
                    );
                }
            }
            let expected: Vec<i64> = expected.into_iter().map(|e| e.2).collect();
            let mut got = Vec::new();
            for page in 1.. {
                let request = Search {
                    text: words.join(" "),
                    section: section.map(str::to_owned),
                    from,
                    until,
                    page,
                };
                let (hits, more) = search::run(app.db(), &request, &terms).await.unwrap();
                got.extend(hits.iter().map(|h| h.id));
                if !more {
                    break;
                }
            }
            assert_eq!(got, expected, "{words:?} {section:?} {from:?} {until:?}");
            compared += expected.len();
        }
    }
    // The data must give the comparison something to compare, over several pages.
    assert!(compared > 2_000, "{compared}");
}

/// The one subtle way to stop early: the page's last place scores exactly what an unread story
/// could. Here, after two rounds, X (3 + 1, old) is the best found and the lists are read down
/// to weight 2 each, so an unread story can still score 4 — and Y (2 + 2, newer) does.
#[tokio::test]
async fn a_tie_with_what_is_unread_keeps_reading() {
    use broadsheet::search::rank;

    let app = TestApp::new().await;
    let day = |d: u32| format!("2015-03-{d:02}T10:00:00+08:00");
    let mut stories: Vec<(String, &str, &str, String)> = vec![
        ("x".into(), "amber", "birch", day(1)),
        ("y".into(), "", "amber amber birch birch", day(5)),
    ];
    for i in 1..=4 {
        stories.push((format!("a{i}"), "", "amber amber", day(21 - i)));
        stories.push((format!("b{i}"), "", "birch birch", day(30 - i)));
    }
    stories.push(("b0".into(), "", "birch birch", day(30)));
    let mut ids = std::collections::HashMap::new();
    for (slug, summary, body, date) in &stories {
        let id = app
            .save(Story {
                slug,
                title: "Story",
                summary,
                body,
                date,
                ..Story::default()
            })
            .await;
        ids.insert(slug.clone(), id);
    }
    let terms = ["amber".to_owned(), "birch".to_owned()];
    let found = |wanted| rank::top_reading(app.db(), &terms, rank::Filters::default(), wanted, 1);
    let best: Vec<(i64, i64)> = found(2)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.article_id, r.score))
        .collect();
    assert_eq!(best, [(ids["y"], 4), (ids["x"], 4)]);
    assert_eq!(found(1).await.unwrap()[0].article_id, ids["y"]);
}
