//! Loading many rows fast, for `fill`: each engine the way it takes rows fastest, and a table's
//! secondary indexes built once at the end instead of entry by entry.

use crate::store::{Arg, Db, Tx, built_query, query};

/// Rows for one table: multi-row inserts on SQLite, `COPY … FROM STDIN` on PostgreSQL.
pub struct Loader {
    table: &'static str,
    columns: &'static [&'static str],
    /// Rows per insert statement on SQLite. Small on purpose: the SQLite driver finds each
    /// bound value's place by name, a scan of the statement's parameters, so binding costs grow
    /// with the square of a statement's parameter count; about a hundred is the sweet spot.
    rows_per_insert: usize,
    full_insert: String,
    rows: Vec<Vec<Arg>>,
    /// COPY's text format, waiting to be sent.
    copy: String,
    copy_rows: usize,
}

/// Bytes of COPY data sent at once.
const COPY_CHUNK: usize = 4 << 20;

impl Loader {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        let rows_per_insert = (100 / columns.len()).max(1);
        Loader {
            table,
            columns,
            rows_per_insert,
            full_insert: multi_insert(table, columns, rows_per_insert),
            rows: Vec::new(),
            copy: String::new(),
            copy_rows: 0,
        }
    }

    /// Adds a row. It may reach the database at once or at the next [`Loader::flush`] (rows
    /// that refer to it go through a [`Family`]).
    pub async fn push(&mut self, tx: &mut Tx, row: Vec<Arg>) -> Result<(), sqlx::Error> {
        debug_assert_eq!(row.len(), self.columns.len());
        match tx {
            Tx::Sqlite(..) => {
                self.rows.push(row);
                if self.rows.len() == self.rows_per_insert {
                    self.flush(tx).await?;
                }
            }
            Tx::Postgres(_) => {
                for (i, value) in row.iter().enumerate() {
                    if i > 0 {
                        self.copy.push('\t');
                    }
                    copy_text(&mut self.copy, value);
                }
                self.copy.push('\n');
                self.copy_rows += 1;
            }
        }
        Ok(())
    }

    /// Rows pushed and not yet sent.
    fn unsent(&self) -> usize {
        self.rows.len() + self.copy_rows
    }

    /// Whether enough rows wait that sending them now is worth a round trip.
    fn is_large(&self) -> bool {
        self.copy.len() >= COPY_CHUNK
    }

    /// Sends every waiting row.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        match tx {
            Tx::Sqlite(..) => {
                if self.rows.is_empty() {
                    return Ok(());
                }
                let sql = if self.rows.len() == self.rows_per_insert {
                    self.full_insert.clone()
                } else {
                    multi_insert(self.table, self.columns, self.rows.len())
                };
                let mut insert = built_query(sql);
                for row in self.rows.drain(..) {
                    for value in row {
                        insert = insert.bind(value);
                    }
                }
                insert.execute(&mut *tx).await?;
            }
            Tx::Postgres(conn) => {
                if self.copy.is_empty() {
                    return Ok(());
                }
                let statement = format!(
                    "copy {} ({}) from stdin",
                    self.table,
                    self.columns.join(", ")
                );
                let mut copy = conn.copy_in_raw(&statement).await?;
                copy.send(std::mem::take(&mut self.copy).into_bytes())
                    .await?;
                copy.finish().await?;
                self.copy_rows = 0;
            }
        }
        Ok(())
    }
}

/// A table and one whose rows refer to it (stories and their search postings, threads and
/// their comments). Both engines check references as rows arrive, so a child row waits until
/// every parent pushed before it has reached the database.
pub struct Family {
    parent: Loader,
    child: Loader,
    waiting: Vec<Vec<Arg>>,
}

/// Child rows held back at most; then the parents are sent early (PostgreSQL sends nothing
/// before its buffer is large, and the children would pile up).
const MAX_WAITING: usize = 100_000;

impl Family {
    pub fn new(parent: Loader, child: Loader) -> Self {
        Family {
            parent,
            child,
            waiting: Vec::new(),
        }
    }

    pub async fn push_parent(&mut self, tx: &mut Tx, row: Vec<Arg>) -> Result<(), sqlx::Error> {
        self.parent.push(tx, row).await?;
        if self.parent.unsent() == 0 {
            self.release(tx).await?;
        }
        Ok(())
    }

    /// Adds a row that refers to a parent pushed before it.
    pub async fn push_child(&mut self, tx: &mut Tx, row: Vec<Arg>) -> Result<(), sqlx::Error> {
        self.waiting.push(row);
        if self.waiting.len() >= MAX_WAITING {
            self.parent.flush(tx).await?;
            self.release(tx).await?;
        }
        Ok(())
    }

    /// Sends every waiting row, parents first.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        self.parent.flush(tx).await?;
        self.release(tx).await?;
        self.child.flush(tx).await
    }

    /// Passes the waiting children on; call only when no parent is unsent.
    async fn release(&mut self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        for row in self.waiting.drain(..) {
            self.child.push(tx, row).await?;
        }
        if self.child.is_large() {
            self.child.flush(tx).await?;
        }
        Ok(())
    }
}

/// One value in COPY's text format: `\N` for null, backslash escapes for the separators.
fn copy_text(out: &mut String, value: &Arg) {
    match value {
        Arg::Int(Some(v)) => out.push_str(&v.to_string()),
        Arg::Int(None) | Arg::Text(None) => out.push_str("\\N"),
        Arg::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Arg::Text(Some(s)) => {
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
        }
        Arg::Bytes(b) => {
            out.push_str("\\\\x");
            for byte in b {
                out.push_str(&format!("{byte:02x}"));
            }
        }
    }
}

/// `insert into <table> (<columns>) values (…), (…), …` for `rows` rows.
pub fn multi_insert(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("insert into {table} ({}) values ", columns.join(", "));
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${n}"));
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// A table's secondary indexes (not its primary key or unique constraints), dropped for a bulk
/// load and built again afterwards from their own definitions, as the schema holds them.
pub struct SuspendedIndexes {
    definitions: Vec<String>,
}

impl SuspendedIndexes {
    pub async fn drop_for(db: &Db, table: &str) -> Result<Self, sqlx::Error> {
        let indexes: Vec<(String, String)> = match db {
            Db::Sqlite(_) => query(
                "select name, sql from sqlite_master
                 where type = 'index' and tbl_name = $1 and sql is not null",
            ),
            Db::Postgres(_) => query(
                "select i.indexname, i.indexdef from pg_indexes i
                 where i.tablename = $1 and i.schemaname = current_schema()
                   and not exists (select 1 from pg_constraint c where c.conname = i.indexname)",
            ),
        }
        .bind(table)
        .fetch_all(db)
        .await?;
        let mut definitions = Vec::new();
        for (name, definition) in indexes {
            built_query(format!("drop index {name}"))
                .execute(db)
                .await?;
            definitions.push(definition);
        }
        Ok(SuspendedIndexes { definitions })
    }

    pub async fn rebuild(self, db: &Db) -> Result<(), sqlx::Error> {
        let mut tx = db.begin().await?;
        if let Db::Postgres(_) = db {
            // Sorting a hundred million entries in 64 MB pieces is what makes this slow.
            query("set local maintenance_work_mem = '1GB'")
                .execute(&mut tx)
                .await?;
        }
        for definition in self.definitions {
            built_query(definition).execute(&mut tx).await?;
        }
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_inserts_number_their_parameters() {
        assert_eq!(
            multi_insert("t", &["a", "b"], 2),
            "insert into t (a, b) values ($1, $2), ($3, $4)"
        );
    }

    #[test]
    fn copy_text_escapes_its_separators() {
        let mut out = String::new();
        for v in [
            Arg::Text(Some("a\tb\nc\\d".into())),
            Arg::Int(None),
            Arg::Int(Some(-4)),
            Arg::Bool(true),
        ] {
            copy_text(&mut out, &v);
            out.push('|');
        }
        assert_eq!(out, "a\\tb\\nc\\\\d|\\N|-4|t|");
    }
}
