//! Opening a database by URL: `sqlite://PATH` or `postgres://…`.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use super::Db;

/// A database that could not be opened, with the URL (password hidden) and the cause.
#[derive(Debug, thiserror::Error)]
#[error("cannot open database {url}: {cause}")]
pub struct ConnectError {
    pub url: String,
    pub cause: String,
}

impl ConnectError {
    fn new(url: &str, cause: impl ToString) -> Self {
        ConnectError {
            url: redact(url),
            cause: cause.to_string(),
        }
    }
}

/// Hides the password of a URL so that it can be logged or shown.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Opens a pool on the engine the URL names. SQLite files (and their folder) are created when
/// missing and run in WAL mode with foreign keys on.
pub async fn connect(url: &str) -> Result<Db, ConnectError> {
    if url.starts_with("sqlite:") {
        connect_sqlite(url).await
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        connect_postgres(url).await
    } else {
        Err(ConnectError::new(
            url,
            "unsupported URL; use sqlite://PATH or postgres://USER@HOST/DB",
        ))
    }
}

async fn connect_sqlite(url: &str) -> Result<Db, ConnectError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| ConnectError::new(url, e))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL with NORMAL is durable across application crashes; only a power cut can lose the
        // last transactions, which is the trade-off SQLite recommends for WAL.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let path = options.get_filename();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| ConnectError::new(url, format!("{}: {e}", parent.display())))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| ConnectError::new(url, e))?;
    Ok(Db::Sqlite(pool))
}

async fn connect_postgres(url: &str) -> Result<Db, ConnectError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| ConnectError::new(url, e))?;
    // One direct attempt first: the pool retries refused connections until its timeout, and a
    // wrong URL should fail at once with the server's own reason.
    let probe = options
        .connect()
        .await
        .map_err(|e| ConnectError::new(url, e))?;
    probe.close().await.map_err(|e| ConnectError::new(url, e))?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| ConnectError::new(url, e))?;
    Ok(Db::Postgres(pool))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(
            redact("postgres://news:s3cret@db.local:5432/paper"),
            "postgres://news:***@db.local:5432/paper"
        );
        assert_eq!(
            redact("postgres://news@db.local/paper"),
            "postgres://news@db.local/paper"
        );
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
