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

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};

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
    /// With the process's turn to write to that file (see [`Db::begin`]).
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>, WriteTurn),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// One writing transaction at a time per SQLite file, within this process.
pub type WriteTurn = tokio::sync::OwnedMutexGuard<()>;

/// How long a transaction waits for its turn before giving up, as SQLite's busy timeout would.
const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The turn to write to the pool's file, shared by every pool this process opens on it.
fn write_turns(pool: &SqlitePool) -> Arc<tokio::sync::Mutex<()>> {
    static TURNS: LazyLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
        LazyLock::new(Mutex::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut turns = TURNS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    turns.entry(file).or_default().clone()
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Begins a transaction. Every transaction here writes. SQLite takes one writer at a time:
    /// waiting for the turn inside the process wakes the next writer the moment the last one
    /// commits, where SQLite's own busy handler would poll with sleeps of up to 100 ms; then
    /// `begin immediate` takes the file's write lock at once, so a transaction that reads before
    /// it writes never finds, at its first write, that another committed in between.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => {
                let turn = tokio::time::timeout(WRITE_WAIT, write_turns(pool).lock_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?;
                Tx::Sqlite(pool.begin_with("begin immediate").await?, turn)
            }
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
            Tx::Sqlite(tx, _turn) => tx.commit().await,
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
