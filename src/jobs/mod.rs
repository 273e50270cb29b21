//! Durable background jobs: rows in `jobs`, claimed by one node at a time, retried with
//! back-off, run by a small loop in every `serve` process.
//!
//! A job is claimed by setting `locked_until`; a node that dies mid-job leaves a claim that runs
//! out, and another node takes the job up again. Handlers must therefore be idempotent, and they
//! are: publishing a scheduled article checks, in one statement, that it is still scheduled.

pub mod runner;

use serde::Serialize;

use crate::store::{Db, is_unique_violation, query};

/// How long a claim lasts before another node may take the job.
pub const CLAIM_MS: i64 = 60_000;
/// Attempts before a job is given up (and shown as failed to admins).
pub const MAX_ATTEMPTS: i64 = 8;

/// Queues a job; a second job with the same `dedupe_key` is not queued.
pub async fn enqueue(
    db: &Db,
    kind: &str,
    payload: &serde_json::Value,
    run_at: i64,
    dedupe_key: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = query(
        "insert into jobs (kind, payload, run_at, dedupe_key, created_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(run_at)
    .bind(dedupe_key)
    .bind(now)
    .execute(db)
    .await;
    match done {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e, "dedupe_key") || is_unique_violation(&e, "jobs") => {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// A claimed job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

/// Claims the next due job for `node`, if any.
pub async fn claim(db: &Db, node: &str, now: i64) -> Result<Option<Claimed>, sqlx::Error> {
    // One statement each: the sub-select and the update are atomic. PostgreSQL skips rows
    // another node holds; SQLite has one writer at a time anyway.
    match db {
        Db::Sqlite(_) => query(
            "update jobs set locked_until = $1, locked_by = $2, attempts = attempts + 1
             where id = (select id from jobs
                         where done_at is null and run_at <= $3 and attempts < $4
                           and (locked_until is null or locked_until < $3)
                         order by run_at, id limit 1)
             returning id, kind, payload, attempts",
        ),
        Db::Postgres(_) => query(
            "update jobs set locked_until = $1, locked_by = $2, attempts = attempts + 1
             where id = (select id from jobs
                         where done_at is null and run_at <= $3 and attempts < $4
                           and (locked_until is null or locked_until < $3)
                         order by run_at, id limit 1
                         for update skip locked)
             returning id, kind, payload, attempts",
        ),
    }
    .bind(now + CLAIM_MS)
    .bind(node)
    .bind(now)
    .bind(MAX_ATTEMPTS)
    .fetch_optional(db)
    .await
}

pub async fn complete(db: &Db, id: i64, now: i64) -> Result<(), sqlx::Error> {
    query("update jobs set done_at = $1, locked_until = null, last_error = null where id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Back-off after a failure: 10 s, 20 s, 40 s … up to an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    (10_000_i64 << attempts.clamp(0, 9)).min(3_600_000)
}

pub async fn fail(
    db: &Db,
    id: i64,
    attempts: i64,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    query("update jobs set locked_until = null, last_error = $1, run_at = $2 where id = $3")
        .bind(error)
        .bind(now + backoff_ms(attempts))
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Why a job did not finish. A permanent failure is not retried (a mail server that refuses an
/// address will refuse it again); admins see it and may retry it by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub permanent: bool,
}

impl Failure {
    pub fn retry(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            permanent: true,
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::retry(message)
    }
}

/// Gives a job up: no node claims it again until an admin retries it.
pub async fn give_up(db: &Db, id: i64, error: &str) -> Result<(), sqlx::Error> {
    query("update jobs set locked_until = null, last_error = $1, attempts = $2 where id = $3")
        .bind(error)
        .bind(MAX_ATTEMPTS)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Puts an unfinished job back in the queue, due now, with its attempts counted afresh.
pub async fn retry(db: &Db, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = query(
        "update jobs set attempts = 0, run_at = $1, locked_until = null
         where id = $2 and done_at is null",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(n > 0)
}

/// A job that has failed, for the admins.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Failed {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub run_at: i64,
    /// No node will try it again until an admin retries it.
    pub given_up: bool,
}

/// Unfinished jobs whose last attempt failed, given-up ones first (at most 200).
pub async fn failing(db: &Db) -> Result<Vec<Failed>, sqlx::Error> {
    query(
        "select id, kind, attempts, last_error, run_at, attempts >= $1 as given_up from jobs
         where done_at is null and last_error is not null
         order by attempts >= $1 desc, run_at limit 200",
    )
    .bind(MAX_ATTEMPTS)
    .fetch_all(db)
    .await
}

/// How one kind of job stands, for the admins.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Standing {
    /// Not done and still being tried.
    pub waiting: i64,
    /// Given up (until an admin retries).
    pub given_up: i64,
    /// Done in the last day.
    pub done_last_day: i64,
}

pub async fn standing(db: &Db, kind: &str, now: i64) -> Result<Standing, sqlx::Error> {
    let (waiting, given_up, done_last_day): (i64, i64, i64) = query(
        "select
           coalesce(sum(case when done_at is null and attempts < $2 then 1 else 0 end), 0),
           coalesce(sum(case when done_at is null and attempts >= $2 then 1 else 0 end), 0),
           coalesce(sum(case when done_at > $3 then 1 else 0 end), 0)
         from jobs where kind = $1",
    )
    .bind(kind)
    .bind(MAX_ATTEMPTS)
    .bind(now - crate::privacy::DAY_MS)
    .fetch_one(db)
    .await?;
    Ok(Standing {
        waiting,
        given_up,
        done_last_day,
    })
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0), 10_000);
        assert_eq!(backoff_ms(1), 20_000);
        assert_eq!(backoff_ms(3), 80_000);
        assert_eq!(backoff_ms(40), 3_600_000);
    }
}
