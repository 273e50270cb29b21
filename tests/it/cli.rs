//! The real `broadsheet` binary, on the test's database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use broadsheet::store::query;

use crate::common::TestDb;

fn broadsheet(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_broadsheet"));
    cmd.current_dir(dir);
    for (key, _) in std::env::vars() {
        if key.starts_with("BROADSHEET_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn run(mut cmd: Command, stdin: &str) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn import_reports_bad_files_and_imports_the_rest() {
    let test_db = TestDb::new().await;
    let folder = crate::import::write_folder();
    let work = tempfile::tempdir().unwrap();
    let mut cmd = broadsheet(work.path());
    cmd.env("BROADSHEET_DATABASE_URL", &test_db.url)
        .arg("import")
        .arg(folder.path());
    let out = run(cmd, "");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !out.status.success(),
        "a failed file makes the exit code non-zero"
    );
    assert!(
        stdout.contains("imported 2 file(s): 2 new, 0 updated, 1 failed"),
        "{stdout}"
    );
    assert!(stderr.contains("broken.md: date:"), "{stderr}");

    let mut again = broadsheet(work.path());
    again
        .env("BROADSHEET_DATABASE_URL", &test_db.url)
        .arg("import")
        .arg(folder.path().join("good-one.md"));
    let out = run(again, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 file(s): 0 new, 1 updated, 0 failed"));
    let count = query("select count(*) from articles")
        .fetch_i64(&test_db.db)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_and_hashes_it() {
    let test_db = TestDb::new().await;
    let work = tempfile::tempdir().unwrap();
    let add = |email: &str, password: &str| {
        let mut cmd = broadsheet(work.path());
        cmd.env("BROADSHEET_DATABASE_URL", &test_db.url).args([
            "user", "add", email, "--name", "Ed Itor", "--role", "editor",
        ]);
        run(cmd, &format!("{password}\n"))
    };
    let out = add("Ed@News.Example", "a long enough password");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("added ed@news.example (Ed Itor) as editor"));

    let (hash, role): (String, String) =
        query("select password_hash, role from users where email = $1")
            .bind("ed@news.example")
            .fetch_one(&test_db.db)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(broadsheet::accounts::password::verify(
        "a long enough password",
        &hash
    ));
    assert_eq!(role, "editor");

    let dup = add("ed@news.example", "another long password");
    assert!(!dup.status.success());
    assert!(
        text(&dup.stderr).contains("already exists"),
        "{}",
        text(&dup.stderr)
    );

    let short = add("new@news.example", "short");
    assert!(!short.status.success());
    assert!(text(&short.stderr).contains("at least 10 characters"));

    let bad_role = {
        let mut cmd = broadsheet(work.path());
        cmd.env("BROADSHEET_DATABASE_URL", &test_db.url).args([
            "user",
            "add",
            "x@news.example",
            "--name",
            "X",
            "--role",
            "owner",
        ]);
        run(cmd, "a long enough password\n")
    };
    assert!(!bad_role.status.success());
    assert!(text(&bad_role.stderr).contains("invalid value 'owner'"));
}

#[test]
fn migrate_says_which_migrations_it_applied() {
    let work = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", work.path().join("fresh/news.db").display());
    let mut first = broadsheet(work.path());
    first.args(["migrate", "--database-url", &url]);
    let out = run(first, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("applied 20261128000001 foundation"),
        "{stdout}"
    );

    let mut second = broadsheet(work.path());
    second.args(["migrate", "--database-url", &url]);
    let out = run(second, "");
    assert!(
        text(&out.stdout).contains("up to date"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn settings_come_from_broadsheet_toml_and_flags_win() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("broadsheet.toml"),
        "data = \"from-toml\"\n",
    )
    .unwrap();
    let out = run(
        {
            let mut c = broadsheet(work.path());
            c.arg("migrate");
            c
        },
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(work.path().join("from-toml/broadsheet.db").exists());

    let out = run(
        {
            let mut c = broadsheet(work.path());
            c.args(["migrate", "--data", "from-flag"]);
            c
        },
        "",
    );
    assert!(out.status.success());
    assert!(work.path().join("from-flag/broadsheet.db").exists());

    std::fs::write(work.path().join("broadsheet.toml"), "dta = \"typo\"\n").unwrap();
    let out = run(
        {
            let mut c = broadsheet(work.path());
            c.arg("migrate");
            c
        },
        "",
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("broadsheet.toml"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_database_that_cannot_be_opened_is_one_clear_line() {
    let work = tempfile::tempdir().unwrap();
    let blocker = work.path().join("not-a-folder");
    std::fs::write(&blocker, "a file where a folder should be").unwrap();
    let url = format!("sqlite://{}/news.db", blocker.display());
    let out = run(
        {
            let mut c = broadsheet(work.path());
            c.args(["migrate", "--database-url", &url]);
            c
        },
        "",
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot open database sqlite://"),
        "{stderr}"
    );
    assert!(stderr.contains("not-a-folder"), "{stderr}");

    let out = run(
        {
            let mut c = broadsheet(work.path());
            c.args([
                "migrate",
                "--database-url",
                "postgres://nobody:secret@127.0.0.1:1/none",
            ]);
            c
        },
        "",
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("postgres://nobody:***@127.0.0.1:1/none"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "password hidden: {stderr}");

    let out = run(
        {
            let mut c = broadsheet(work.path());
            c.args(["migrate", "--database-url", "mysql://x"]);
            c
        },
        "",
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unsupported URL"));
}

#[test]
fn every_command_has_help() {
    let work = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["import", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["migrate", "--help"],
    ] {
        let out = run(
            {
                let mut c = broadsheet(work.path());
                c.args(&args);
                c
            },
            "",
        );
        assert!(out.status.success(), "{args:?}");
        assert!(text(&out.stdout).contains("Usage: broadsheet"), "{args:?}");
    }
}

#[tokio::test]
async fn fill_makes_a_newsroom_to_measure_and_refuses_a_real_one() {
    let test_db = TestDb::new().await;
    let work = tempfile::tempdir().unwrap();
    let indexes = || async {
        let sql = match &test_db.db {
            broadsheet::store::Db::Sqlite(_) => {
                "select name from sqlite_master where type = 'index' order by name"
            }
            broadsheet::store::Db::Postgres(_) => {
                "select indexname from pg_indexes where schemaname = current_schema() order by indexname"
            }
        };
        let names: Vec<(String,)> = query(sql).fetch_all(&test_db.db).await.unwrap();
        names.into_iter().map(|(n,)| n).collect::<Vec<_>>()
    };
    let indexes_before = indexes().await;
    let mut cmd = broadsheet(work.path());
    cmd.env("BROADSHEET_DATABASE_URL", &test_db.url).args([
        "fill",
        "--articles",
        "900",
        "--comments",
        "1300",
        "--big-thread",
        "400",
    ]);
    let out = run(cmd, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("filled 900 articles and 1300 comments"));

    let db = &test_db.db;
    let count = |sql: &'static str| query(sql).fetch_i64(db);
    assert_eq!(count("select count(*) from articles").await.unwrap(), 900);
    assert_eq!(count("select count(*) from posts").await.unwrap(), 1300);
    assert_eq!(
        count("select count(distinct section_id) from articles")
            .await
            .unwrap(),
        6
    );
    assert_eq!(
        count("select comment_count from articles where id = 1")
            .await
            .unwrap(),
        400,
        "the big discussion"
    );
    assert_eq!(
        count("select cast(sum(comment_count) as bigint) from articles")
            .await
            .unwrap(),
        1300,
        "counts match the comments"
    );
    assert_eq!(
        count("select count(*) from posts where root_id is null")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        count("select count(*) from posts where root_id <> id")
            .await
            .unwrap(),
        0,
        "generated comments are top level"
    );
    // Indexes dropped for the load are all back.
    assert_eq!(indexes().await, indexes_before);
    // The generated stories are in the search index.
    assert!(count("select count(*) from search_postings").await.unwrap() > 9_000);
    assert!(
        count("select count(*) from search_postings where term = 'harbour'")
            .await
            .unwrap()
            > 0
    );

    let mut again = broadsheet(work.path());
    again
        .env("BROADSHEET_DATABASE_URL", &test_db.url)
        .args(["fill", "--articles", "5"]);
    let out = run(again, "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("only fills an empty database"));
}
