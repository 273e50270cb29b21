//! Importing Markdown through the content area.

use std::path::PathBuf;

use broadsheet::content::import;

use crate::common::TestApp;

pub fn write_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("2015");
    std::fs::create_dir(&nested).unwrap();
    std::fs::write(
        dir.path().join("good-one.md"),
        "---\ntitle: First good story\nsection: World\nsource: Wire\nbyline: A. Writer\ndate: 2015-03-04T10:00:00+08:00\ntags: [one, two]\nsummary: The first.\n---\nBody one.\n",
    )
    .unwrap();
    std::fs::write(
        nested.join("good-two.md"),
        "---\ntitle: Second good story\nsection: china\nslug: second\ndate: 2015-03-05T10:00:00[Asia/Shanghai]\n---\nBody two.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.md"),
        "---\ntitle: Broken story\nsection: World\ndate: last tuesday\n---\nBody.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not markdown, ignored").unwrap();
    dir
}

#[tokio::test]
async fn a_folder_with_a_broken_file_imports_the_good_ones_and_names_the_bad_one() {
    let app = TestApp::new().await;
    let dir = write_folder();
    let paths = vec![dir.path().to_path_buf()];
    let mut started = 0;
    let mut seen = Vec::new();
    let report = import::import_paths(
        app.db(),
        &paths,
        |n| started = n,
        |p| seen.push(p.to_path_buf()),
    )
    .await
    .unwrap();
    assert_eq!(started, 3);
    assert_eq!(seen.len(), 3);
    assert_eq!((report.created, report.updated), (2, 0));
    assert_eq!(report.failures.len(), 1);
    let failure = report.failures[0].to_string();
    assert!(failure.contains("broken.md"), "{failure}");
    assert!(failure.contains("date:"), "{failure}");
    assert_eq!(
        report.summary(),
        "imported 2 file(s): 2 new, 0 updated, 1 failed"
    );

    assert_eq!(app.get("/world/first-good-story").await.status, 200);
    assert_eq!(app.get("/china/second").await.status, 200);
    assert_eq!(app.get("/world/broken-story").await.status, 404);
}

#[tokio::test]
async fn reimporting_updates_and_never_duplicates() {
    let app = TestApp::new().await;
    let dir = write_folder();
    let paths = vec![dir.path().to_path_buf()];
    import::import_paths(app.db(), &paths, |_| {}, |_| {})
        .await
        .unwrap();
    std::fs::write(
        dir.path().join("good-one.md"),
        "---\ntitle: First good story, corrected\nsection: World\nslug: first-good-story\ndate: 2015-03-04T10:00:00+08:00\ntags: [two]\n---\nBody one, corrected.\n",
    )
    .unwrap();
    let report = import::import_paths(app.db(), &paths, |_| {}, |_| {})
        .await
        .unwrap();
    assert_eq!((report.created, report.updated), (0, 2));
    let count = broadsheet::store::query("select count(*) from articles")
        .fetch_i64(app.db())
        .await
        .unwrap();
    assert_eq!(count, 2);
    let page = app.get("/world/first-good-story").await.body;
    assert!(page.contains("First good story, corrected"));
    assert!(page.contains("Body one, corrected."));
    assert!(!page.contains("/tag/one\""), "tags replaced");
}

#[tokio::test]
async fn missing_paths_are_reported() {
    let app = TestApp::new().await;
    let report = import::import_paths(
        app.db(),
        &[PathBuf::from("/no/such/folder")],
        |_| {},
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.failures.len(), 1);
    assert!(
        report.failures[0]
            .to_string()
            .contains("no such file or folder")
    );
}
