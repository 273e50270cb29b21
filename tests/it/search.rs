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
    query("delete from search_terms")
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
