//! Bulk loading (the synthetic-data generator only; the use cases write one row at a time).
//!
//! Growing an index row by row costs about one page write per row once the index outgrows the
//! cache (the keys — a person, a unit — arrive in random order), which makes loading millions of
//! transmissions take hours. So a bulk load drops the secondary indexes of the tables it fills and
//! the SQLite full-text trigger, and builds them once at the end: a sort, several times faster.
//! The definitions are read back from the catalogue before dropping, so they are exactly those
//! the migrations created. If the load dies half-way the indexes stay dropped: it is a benchmark
//! data set, and `parcours search-reindex` rebuilds the term index.

use sqlx::Row;

use crate::{Db, Result};

/// The indexes and triggers a bulk load of transmissions and search documents drops. The
/// primary keys and unique constraints stay: the generator's keys arrive in increasing order, so
/// they grow at their right edge at no cost, and they keep guarding the data.
const DEFERRED: &[&str] = &[
    "transmission_usager_ix",
    "transmission_unite_ix",
    "search_doc_usager_ix",
    // PostgreSQL: the GIN term index.
    "search_doc_terms_ix",
    // SQLite: the trigger feeding the FTS5 term index, rebuilt from `search_doc` at the end.
    "search_doc_ai",
];

/// What [`start`] dropped, to build again with [`finish`].
#[derive(Debug)]
#[must_use = "the dropped indexes are only built again by `finish`"]
pub struct BulkLoad {
    /// (name, SQL that creates it), in the catalogue's order.
    dropped: Vec<(String, String)>,
}

/// Drops the deferred indexes (and the SQLite full-text trigger) before a bulk load.
pub async fn start(db: &Db) -> Result<BulkLoad> {
    let mut dropped = Vec::new();
    match db {
        Db::Sqlite(p) => {
            let mut c = p.acquire().await?;
            let rows = sqlx::query(
                "select type, name, sql from sqlite_master \
                 where type in ('index', 'trigger') and sql is not null",
            )
            .fetch_all(&mut *c)
            .await?;
            for r in rows {
                let (kind, name, sql): (String, String, String) =
                    (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                if !DEFERRED.contains(&name.as_str()) {
                    continue;
                }
                sqlx::query(sqlx::AssertSqlSafe(format!("drop {kind} {name}")))
                    .execute(&mut *c)
                    .await?;
                dropped.push((name, sql));
            }
        }
        Db::Postgres(p) => {
            let mut c = p.acquire().await?;
            let rows = sqlx::query(
                "select indexname, indexdef from pg_indexes \
                 where schemaname = current_schema() and indexname = any($1)",
            )
            .bind(DEFERRED)
            .fetch_all(&mut *c)
            .await?;
            for r in rows {
                let (name, sql): (String, String) = (r.try_get(0)?, r.try_get(1)?);
                sqlx::query(sqlx::AssertSqlSafe(format!("drop index {name}")))
                    .execute(&mut *c)
                    .await?;
                dropped.push((name, sql));
            }
        }
    }
    Ok(BulkLoad { dropped })
}

/// Builds again what [`start`] dropped; on SQLite, rebuilds the FTS5 term index from
/// `search_doc` (its trigger was not there to feed it during the load).
pub async fn finish(db: &Db, load: BulkLoad) -> Result<()> {
    match db {
        Db::Sqlite(p) => {
            let mut c = p.acquire().await?;
            if load.dropped.iter().any(|(n, _)| n == "search_doc_ai") {
                sqlx::query("insert into search_fts (search_fts) values ('rebuild')")
                    .execute(&mut *c)
                    .await?;
            }
            for (_, sql) in &load.dropped {
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .execute(&mut *c)
                    .await?;
            }
        }
        Db::Postgres(p) => {
            let mut c = p.acquire().await?;
            sqlx::query("set maintenance_work_mem = '1GB'")
                .execute(&mut *c)
                .await?;
            for (_, sql) in &load.dropped {
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .execute(&mut *c)
                    .await?;
            }
        }
    }
    Ok(())
}
