//! The two dialects' migrations must describe one schema. This test builds both and compares
//! tables, columns, column kinds, nullability and index names. It needs PostgreSQL, so it runs
//! in the PostgreSQL pass of the suite (`BROADSHEET_TEST_DATABASE_URL`).

use std::collections::BTreeMap;

use broadsheet::store::{Db, query};

use crate::common::TestDb;

/// table → column → (kind, not null)
type Columns = BTreeMap<String, BTreeMap<String, (String, bool)>>;

fn kind(declared: &str) -> String {
    let d = declared.to_lowercase();
    if d.contains("int") {
        "integer".into()
    } else if d.contains("bool") {
        "boolean".into()
    } else if d.contains("blob") || d.contains("bytea") {
        "bytes".into()
    } else if d.contains("text") || d.contains("char") {
        "text".into()
    } else {
        d
    }
}

#[derive(sqlx::FromRow)]
struct Col {
    table_name: String,
    column_name: String,
    data_type: String,
    not_null: bool,
}

async fn columns(db: &Db) -> Columns {
    let rows: Vec<Col> = match db {
        Db::Sqlite(_) => query(
            "select m.name as table_name, p.name as column_name, p.type as data_type,
                    (p.\"notnull\" = 1 or p.pk > 0) as not_null
             from sqlite_master m join pragma_table_info(m.name) p
             where m.type = 'table' and m.name not like 'sqlite_%' and m.name <> '_sqlx_migrations'",
        ),
        Db::Postgres(_) => query(
            "select table_name::text as table_name, column_name::text as column_name,
                    data_type::text as data_type, (is_nullable = 'NO') as not_null
             from information_schema.columns
             where table_schema = current_schema() and table_name <> '_sqlx_migrations'",
        ),
    }
    .fetch_all(db)
    .await
    .unwrap();
    let mut out = Columns::new();
    for c in rows {
        out.entry(c.table_name)
            .or_default()
            .insert(c.column_name, (kind(&c.data_type), c.not_null));
    }
    out
}

async fn indexes(db: &Db) -> Vec<String> {
    let rows: Vec<(String,)> = match db {
        Db::Sqlite(_) => query(
            "select name from sqlite_master where type = 'index' and sql is not null order by name",
        ),
        Db::Postgres(_) => query(
            "select indexname::text from pg_indexes where schemaname = current_schema()
             and indexname not like '%_pkey' and indexname not like '%_key' order by indexname",
        ),
    }
    .fetch_all(db)
    .await
    .unwrap();
    rows.into_iter().map(|(n,)| n).collect()
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    let Ok(pg_url) = std::env::var("BROADSHEET_TEST_DATABASE_URL") else {
        eprintln!(
            "schema drift check needs BROADSHEET_TEST_DATABASE_URL; it runs in the PostgreSQL pass"
        );
        return;
    };
    assert!(pg_url.starts_with("postgres"));
    let pg = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let sqlite =
        broadsheet::store::connect(&format!("sqlite://{}", dir.path().join("s.db").display()))
            .await
            .unwrap();
    broadsheet::store::migrate::run(&sqlite).await.unwrap();

    let (a, b) = (columns(&sqlite).await, columns(&pg.db).await);
    assert!(!a.is_empty());
    assert_eq!(
        a, b,
        "columns differ between migrations/sqlite and migrations/postgres"
    );
    assert_eq!(
        indexes(&sqlite).await,
        indexes(&pg.db).await,
        "indexes differ"
    );

    // The seeded rows agree too.
    let q = "select slug from sections order by position";
    let s: Vec<(String,)> = query(q).fetch_all(&sqlite).await.unwrap();
    let p: Vec<(String,)> = query(q).fetch_all(&pg.db).await.unwrap();
    assert_eq!(s, p);
}
