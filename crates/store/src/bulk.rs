//! Bulk loading (the synthetic-data generator only; the use cases write one row at a time).
//!
//! Growing an index row by row costs about one page write per row once the index outgrows the
//! cache (the keys — a person, a unit — arrive in random order), which makes loading millions of
//! transmissions take hours. So a bulk load drops the secondary indexes of the tables it fills and
//! the SQLite full-text trigger, and builds them once at the end: a sort, several times faster.
//! The definitions are read back from the catalogue before dropping, so they are exactly those
//! the migrations created. If the load dies half-way the indexes stay dropped: it is a benchmark
//! data set, and `parcours search-reindex` rebuilds the term index.

use crate::{Backend, Db, Result};

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

/// The catalogue of indexes and triggers as (kind, name, SQL that creates it), per engine.
fn catalogue(db: &Db) -> &'static str {
    match db.backend() {
        Backend::Sqlite => {
            "select type, name, sql from sqlite_master \
             where type in ('index', 'trigger') and sql is not null"
        }
        Backend::Postgres => {
            "select 'index'::text, indexname::text, indexdef from pg_indexes \
             where schemaname = current_schema()"
        }
    }
}

/// Drops the deferred indexes (and the SQLite full-text trigger) before a bulk load.
pub async fn start(db: &Db) -> Result<BulkLoad> {
    let mut dropped = Vec::new();
    on_pool!(db, p => {
        let mut c = p.acquire().await?;
        let objects: Vec<(String, String, String)> =
            sqlx::query_as(catalogue(db)).fetch_all(&mut *c).await?;
        for (kind, name, sql) in objects {
            if DEFERRED.contains(&name.as_str()) {
                sqlx::query(sqlx::AssertSqlSafe(format!("drop {kind} {name}")))
                    .execute(&mut *c)
                    .await?;
                dropped.push((name, sql));
            }
        }
    });
    Ok(BulkLoad { dropped })
}

/// Builds again what [`start`] dropped; on SQLite, rebuilds the FTS5 term index from
/// `search_doc` first (its trigger was not there to feed it during the load); on PostgreSQL, with
/// enough memory to sort in one pass.
pub async fn finish(db: &Db, load: BulkLoad) -> Result<()> {
    let before: &[&str] = match db.backend() {
        Backend::Sqlite if load.dropped.iter().any(|(n, _)| n == "search_doc_ai") => {
            &["insert into search_fts (search_fts) values ('rebuild')"]
        }
        Backend::Sqlite => &[],
        Backend::Postgres => &["set maintenance_work_mem = '1GB'"],
    };
    on_pool!(db, p => {
        let mut c = p.acquire().await?;
        let statements = before.iter().copied().chain(load.dropped.iter().map(|(_, sql)| sql.as_str()));
        for sql in statements {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *c).await?;
        }
    });
    Ok(())
}
