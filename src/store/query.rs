//! One SQL string, either engine.
//!
//! `query("select … where id = $1").bind(id).fetch_one::<Row>(&db)` runs the same text on SQLite
//! or PostgreSQL. Arguments are collected as [`Arg`] values and encoded for whichever engine the
//! target turns out to be, so an area function never matches on the engine itself.

use sqlx::error::BoxDynError;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Arguments, Database, Encode, FromRow, Type};

use super::{Db, Tx};

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
    Bytes(Vec<u8>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<i32> for Arg {
    fn from(v: i32) -> Self {
        Arg::Int(Some(i64::from(v)))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(Some(v.clone()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_owned))
    }
}
impl From<Vec<u8>> for Arg {
    fn from(v: Vec<u8>) -> Self {
        Arg::Bytes(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}

/// Where a query runs: a pool or an open transaction.
pub enum Target<'a> {
    Pool(&'a Db),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Db> for Target<'a> {
    fn from(db: &'a Db) -> Self {
        Target::Pool(db)
    }
}
impl<'a> From<&'a mut Tx> for Target<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        Target::Tx(tx)
    }
}

/// A query under construction; see the module docs.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is run"]
pub struct Query {
    sql: sqlx::SqlStr,
    args: Vec<Arg>,
    /// Whether the connection keeps the statement prepared for next time.
    persistent: bool,
}

/// Starts a query. The text must be portable SQL with `$n` placeholders.
pub fn query(sql: &'static str) -> Query {
    Query {
        sql: sqlx::SqlSafeStr::into_sql_str(sql),
        args: Vec::new(),
        persistent: true,
    }
}

/// A statement put together at run time from the program's own fixed pieces — never from
/// input — such as a multi-row insert with one value list per row. Values are still bound.
pub fn built_query(sql: String) -> Query {
    Query {
        sql: sqlx::SqlSafeStr::into_sql_str(sqlx::AssertSqlSafe(sql)),
        args: Vec::new(),
        persistent: true,
    }
}

/// Rows that both engines can decode.
pub trait PortableRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> PortableRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

fn encode<DB: Database>(args: Vec<Arg>) -> Result<DB::Arguments, BoxDynError>
where
    for<'t> Option<i64>: Encode<'t, DB> + Type<DB>,
    for<'t> Option<String>: Encode<'t, DB> + Type<DB>,
    for<'t> bool: Encode<'t, DB> + Type<DB>,
    for<'t> Vec<u8>: Encode<'t, DB> + Type<DB>,
{
    let mut out = DB::Arguments::default();
    for arg in args {
        match arg {
            Arg::Int(v) => out.add(v)?,
            Arg::Text(v) => out.add(v)?,
            Arg::Bool(v) => out.add(v)?,
            Arg::Bytes(v) => out.add(v)?,
        }
    }
    Ok(out)
}

/// Runs `$body` with `$conn` bound to the executor and `$DB` to the engine's type.
macro_rules! dispatch {
    ($target:expr, $conn:ident, $DB:ident => $body:expr) => {
        match $target {
            Target::Pool(Db::Sqlite(pool)) => {
                type $DB = sqlx::Sqlite;
                let $conn = pool;
                $body
            }
            Target::Pool(Db::Postgres(pool)) => {
                type $DB = sqlx::Postgres;
                let $conn = pool;
                $body
            }
            Target::Tx(Tx::Sqlite(tx, _)) => {
                type $DB = sqlx::Sqlite;
                let $conn = &mut **tx;
                $body
            }
            Target::Tx(Tx::Postgres(tx)) => {
                type $DB = sqlx::Postgres;
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

impl Query {
    /// A statement whose text will not recur (it carries its own values): not kept prepared,
    /// where it would only push out statements that do recur.
    pub fn once(mut self) -> Self {
        self.persistent = false;
        self
    }

    pub fn bind(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Runs a statement and returns the number of rows it changed.
    pub async fn execute<'a>(self, target: impl Into<Target<'a>>) -> Result<u64, sqlx::Error> {
        let Query {
            sql,
            args,
            persistent,
        } = self;
        dispatch!(target.into(), conn, DB => {
            let done = sqlx::query_with::<DB, _>(sql, encode::<DB>(args).map_err(sqlx::Error::Encode)?)
                .persistent(persistent)
                .execute(conn)
                .await?;
            Ok(done.rows_affected())
        })
    }

    pub async fn fetch_all<'a, T: PortableRow>(
        self,
        target: impl Into<Target<'a>>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let Query {
            sql,
            args,
            persistent,
        } = self;
        dispatch!(target.into(), conn, DB => {
            sqlx::query_as_with::<DB, T, _>(sql, encode::<DB>(args).map_err(sqlx::Error::Encode)?)
                .persistent(persistent)
                .fetch_all(conn)
                .await
        })
    }

    pub async fn fetch_optional<'a, T: PortableRow>(
        self,
        target: impl Into<Target<'a>>,
    ) -> Result<Option<T>, sqlx::Error> {
        let Query {
            sql,
            args,
            persistent,
        } = self;
        dispatch!(target.into(), conn, DB => {
            sqlx::query_as_with::<DB, T, _>(sql, encode::<DB>(args).map_err(sqlx::Error::Encode)?)
                .persistent(persistent)
                .fetch_optional(conn)
                .await
        })
    }

    pub async fn fetch_one<'a, T: PortableRow>(
        self,
        target: impl Into<Target<'a>>,
    ) -> Result<T, sqlx::Error> {
        let Query {
            sql,
            args,
            persistent,
        } = self;
        dispatch!(target.into(), conn, DB => {
            sqlx::query_as_with::<DB, T, _>(sql, encode::<DB>(args).map_err(sqlx::Error::Encode)?)
                .persistent(persistent)
                .fetch_one(conn)
                .await
        })
    }

    /// The first column of the one row, e.g. a `count(*)` or a `returning id`.
    pub async fn fetch_i64<'a>(self, target: impl Into<Target<'a>>) -> Result<i64, sqlx::Error> {
        let (v,) = self.fetch_one::<(i64,)>(target).await?;
        Ok(v)
    }
}
