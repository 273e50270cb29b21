//! The database handle.
//!
//! Broadsheet runs on an embedded SQLite file or on PostgreSQL, chosen at run time by the URL.
//! Areas write each query once, with `$1` placeholders that both engines accept, and run it on
//! either pool through [`Query`]. Only what really differs between the dialects (DDL, full-text
//! search, locking) is written twice, side by side, named for its dialect.
//!
//! Portable storage conventions: ids are 64-bit integers, times are `BIGINT` Unix milliseconds,
//! booleans are `BOOLEAN` (SQLite stores 0/1; sqlx decodes both to `bool`).

mod connect;
pub mod migrate;
mod query;

pub use connect::{ConnectError, connect, redact};
pub use query::{Arg, Query, Target, built_query, query};

use sqlx::{PgPool, SqlitePool};

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A pool on one of the two supported engines.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on one of the two engines; pass `&mut tx` where a [`Target`] is expected.
#[derive(Debug)]
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// Milliseconds since the Unix epoch: the one portable form of a stored time.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Whether an error is a violation of the unique constraint (or index) whose name contains
/// `name`, so that callers turn it into a form error instead of a 500.
pub fn is_unique_violation(err: &sqlx::Error, name: &str) -> bool {
    match err {
        sqlx::Error::Database(db_err) => {
            db_err.is_unique_violation()
                && (db_err.constraint().is_some_and(|c| c.contains(name))
                    // SQLite names the columns, not the constraint, in its message.
                    || db_err.message().contains(name))
        }
        _ => false,
    }
}
