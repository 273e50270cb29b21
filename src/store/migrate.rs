//! Migrations: one folder per dialect (`migrations/sqlite`, `migrations/postgres`) holding the
//! same schema history. Applied migrations are history: append, never edit.

use sqlx::migrate::{MigrateError, Migrator};

use super::{Db, query};

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// A migration that [`run`] applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub version: i64,
    pub description: String,
}

fn migrator(db: &Db) -> &'static Migrator {
    match db {
        Db::Sqlite(_) => &SQLITE,
        Db::Postgres(_) => &POSTGRES,
    }
}

/// Versions already recorded as applied (none on a fresh database).
async fn applied_versions(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    let exists = match db {
        Db::Sqlite(_) => query(
            "select count(*) from sqlite_master where type = 'table' and name = '_sqlx_migrations'",
        ),
        Db::Postgres(_) => query(
            "select count(*) from information_schema.tables
             where table_schema = current_schema() and table_name = '_sqlx_migrations'",
        ),
    }
    .fetch_i64(db)
    .await?;
    if exists == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> = query("select version from _sqlx_migrations where success")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}

/// Applies every pending migration and returns those it applied, oldest first.
pub async fn run(db: &Db) -> Result<Vec<Applied>, MigrateError> {
    let before = applied_versions(db).await?;
    let migrator = migrator(db);
    match db {
        Db::Sqlite(pool) => migrator.run(pool).await?,
        Db::Postgres(pool) => migrator.run(pool).await?,
    }
    Ok(migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration() && !before.contains(&m.version))
        .map(|m| Applied {
            version: m.version,
            description: m.description.to_string(),
        })
        .collect())
}
