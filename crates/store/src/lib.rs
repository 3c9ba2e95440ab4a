//! Storage for Parcours: one `Db` over two concrete sqlx backends (SQLite, PostgreSQL).
//!
//! Why not `sqlx::Any`: it loses UUIDs and forces runtime driver installation. Why not a generic
//! `DB: Database` bound everywhere: the trait bounds drown the SQL. Instead every statement is written
//! once and expanded for both backends by [`on_pool!`] / [`on_tx!`], so the same lowercase SQL with
//! `$1` placeholders is type-checked against both drivers. Only statements that truly differ live in
//! per-backend arms.
//!
//! Conventions shared with the migrations: ids are UUIDs made in Rust; instants are unix microseconds
//! (`i64`); civil dates are ISO `YYYY-MM-DD` text; statuses are text with a check constraint; every
//! tenant table is keyed by `organisation_id` first and every query filters on it.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, SqlSafeStr, Sqlite, Transaction};

/// Runs `$body` with `$p` bound to the concrete pool of either backend.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($p) => $body,
            $crate::Db::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the concrete connection of an open transaction.
/// Inside the body, pass `&mut *$c` to each query so that it can be used several times.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $c: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

/// Runs a statement assembled with `QueryBuilder` (`$build` pushes fragments and binds into `$qb`)
/// on the concrete backend, and fetches every row.
#[macro_export]
macro_rules! fetch_all_built {
    ($db:expr, $qb:ident => $build:expr) => {
        match $db {
            $crate::Db::Sqlite(p) => {
                let mut $qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new("");
                $build;
                $qb.build_query_as().fetch_all(p).await?
            }
            $crate::Db::Postgres(p) => {
                let mut $qb = sqlx::QueryBuilder::<sqlx::Postgres>::new("");
                $build;
                $qb.build_query_as().fetch_all(p).await?
            }
        }
    };
}

pub mod account;
pub mod admission;
pub mod audit;
pub mod bulk;
pub mod ecrit;
pub mod lecture;
pub mod liaison;
pub mod medical;
pub mod medical_document;
pub mod organisation;
pub mod plan_soins;
pub mod projet;
pub mod records;
pub mod search;
pub mod session;
pub mod soins;
pub mod timeline;
pub mod transmission;
pub mod usager;

/// Errors of the storage layer. Constraint names are the same on both backends, so callers can
/// match on them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the row was changed by someone else (expected version {expected})")]
    Conflict { expected: i64 },
    #[error("not found")]
    NotFound,
    #[error("unique constraint violated: {0}")]
    Unique(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("unsupported database url (use sqlite:… or postgres://…)")]
    UnsupportedUrl,
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Unique(d.constraint().unwrap_or(d.message()).to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Which engine a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: chosen from the URL at start-up; cheap to clone (pools are shared).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open write transaction on either backend. Dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The migrations, embedded so the binary needs nothing at run time. Each version exists in both
/// folders with the same number and constraint names (checked by `tests/schema_parity.rs`).
pub const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "admission",
        include_str!("../migrations/sqlite/0002_admission.sql"),
        include_str!("../migrations/postgres/0002_admission.sql"),
    ),
    (
        3,
        "projet",
        include_str!("../migrations/sqlite/0003_projet.sql"),
        include_str!("../migrations/postgres/0003_projet.sql"),
    ),
    (
        4,
        "medical",
        include_str!("../migrations/sqlite/0004_medical.sql"),
        include_str!("../migrations/postgres/0004_medical.sql"),
    ),
    (
        5,
        "soins",
        include_str!("../migrations/sqlite/0005_soins.sql"),
        include_str!("../migrations/postgres/0005_soins.sql"),
    ),
    (
        6,
        "medical_access",
        include_str!("../migrations/sqlite/0006_medical_access.sql"),
        include_str!("../migrations/postgres/0006_medical_access.sql"),
    ),
    (
        7,
        "transmissions",
        include_str!("../migrations/sqlite/0007_transmissions.sql"),
        include_str!("../migrations/postgres/0007_transmissions.sql"),
    ),
    (
        8,
        "plan_soins",
        include_str!("../migrations/sqlite/0008_plan_soins.sql"),
        include_str!("../migrations/postgres/0008_plan_soins.sql"),
    ),
    (
        9,
        "liaison",
        include_str!("../migrations/sqlite/0009_liaison.sql"),
        include_str!("../migrations/postgres/0009_liaison.sql"),
    ),
    (
        10,
        "ecrits",
        include_str!("../migrations/sqlite/0010_ecrits.sql"),
        include_str!("../migrations/postgres/0010_ecrits.sql"),
    ),
    (
        11,
        "medical_documents",
        include_str!("../migrations/sqlite/0011_medical_documents.sql"),
        include_str!("../migrations/postgres/0011_medical_documents.sql"),
    ),
    (
        12,
        "search",
        include_str!("../migrations/sqlite/0012_search.sql"),
        include_str!("../migrations/postgres/0012_search.sql"),
    ),
    (
        13,
        "timeline",
        include_str!("../migrations/sqlite/0013_timeline.sql"),
        include_str!("../migrations/postgres/0013_timeline.sql"),
    ),
    (
        14,
        "search_merge",
        include_str!("../migrations/sqlite/0014_search_merge.sql"),
        include_str!("../migrations/postgres/0014_search_merge.sql"),
    ),
];

fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, postgres)| {
            let sql = match backend {
                Backend::Sqlite => *sqlite,
                Backend::Postgres => *postgres,
            };
            Migration::new(
                *version,
                (*description).into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

impl Db {
    /// Opens a database from a URL: `sqlite:PATH` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            Self::connect_postgres(options).await
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or(url.strip_prefix("sqlite:"))
        {
            Self::open_sqlite(Path::new(path)).await
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// Opens (creating it if needed) an SQLite file with the settings a legal record needs:
    /// WAL for concurrent readers, `synchronous=FULL` so an acknowledged commit survives a power
    /// loss, foreign keys on, and a busy timeout so writers queue instead of failing.
    ///
    /// The write-ahead log is moved into the database by a background task ([`upkeep`]) rather
    /// than by the commit that happens to fill it: that copy writes pages all over a file of
    /// gigabytes and would otherwise land on one professional's request every few dozen writes.
    /// The automatic checkpoint stays, at a higher mark, as a bound should the task fall behind.
    /// Must be called within a Tokio runtime.
    pub async fn open_sqlite(path: &Path) -> Result<Db> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        tokio::spawn(upkeep(pool.clone()));
        Ok(Db::Sqlite(pool))
    }

    pub async fn connect_postgres(options: PgConnectOptions) -> Result<Db> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the pending migrations of this backend.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => migrator(Backend::Sqlite).run(p).await?,
            Db::Postgres(p) => migrator(Backend::Postgres).run(p).await?,
        }
        Ok(())
    }

    /// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so the write lock is taken
    /// up front and two writers never deadlock on a lock upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Refreshes the planner's statistics (SQLite `PRAGMA optimize` runs `ANALYZE` where useful;
    /// PostgreSQL `ANALYZE`). Without them SQLite may walk the alphabetical index of 100,000
    /// persons instead of the birth-date index. Run at start-up and after bulk loads.
    pub async fn optimize(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => {
                sqlx::query("pragma optimize = 0x10002").execute(p).await?;
            }
            Db::Postgres(p) => {
                sqlx::query("analyze").execute(p).await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}

/// Pages of write-ahead log after which a commit checkpoints by itself (SQLite's default is 1,000):
/// reached only if the [`upkeep`] task falls behind.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// How often the [`upkeep`] task runs.
const UPKEEP_EVERY: Duration = Duration::from_secs(1);

/// The SQLite work that would otherwise fall on a professional's request, done every
/// [`UPKEEP_EVERY`] until the pool is closed: merging the new segments of the full-text index
/// (at most 200 pages at a time, so that a writer never waits long behind it; migration 0014 took
/// this work out of the writers' transactions), then moving the write-ahead log into the
/// database in `PASSIVE` mode (it never waits for readers or writers; what it cannot copy now it
/// copies next time).
async fn upkeep(pool: SqlitePool) {
    let mut tick = tokio::time::interval(UPKEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        for statement in [
            "insert into search_fts (search_fts, rank) values ('merge', 200)",
            "pragma wal_checkpoint(passive)",
        ] {
            if pool.is_closed() {
                return;
            }
            if let Err(e) = sqlx::query(statement).execute(&pool).await {
                if pool.is_closed() {
                    return;
                }
                // Before the migrations have run the index does not exist yet: nothing to merge.
                if !e.to_string().contains("no such table") {
                    tracing::warn!(error = %e, statement, "SQLite upkeep failed; retried at the next tick");
                }
            }
        }
    }
}

/// Helpers for tests of this and upper crates: a fresh, migrated database on either backend.
pub mod testing {
    use super::*;

    /// The PostgreSQL server the test suite uses (`PARCOURS_TEST_PG_URL`, default the local one).
    pub fn pg_url() -> String {
        std::env::var("PARCOURS_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
    }

    /// A fresh SQLite database in a temporary file (removed with the returned guard).
    pub async fn sqlite() -> Result<(Db, TempDir)> {
        let dir = TempDir::new()?;
        let db = Db::open_sqlite(&dir.path.join("test.sqlite")).await?;
        db.migrate().await?;
        Ok((db, dir))
    }

    /// A fresh PostgreSQL schema of its own, so tests run in parallel without seeing each other.
    pub async fn postgres(name: &str) -> Result<Db> {
        let url = pg_url();
        let schema = format!("t_{}_{}", sanitize(name), unique_suffix());
        let admin = PgPool::connect(&url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("create schema {schema}")))
            .execute(&admin)
            .await?;
        admin.close().await;
        let options = PgConnectOptions::from_str(&url)?.options([("search_path", schema.as_str())]);
        let db = Db::connect_postgres(options).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// A PostgreSQL schema kept between runs (created if missing, migrated): the benchmark's
    /// large data set is loaded once and measured many times.
    pub async fn postgres_kept(schema: &str) -> Result<Db> {
        let url = pg_url();
        let schema = sanitize(schema);
        let admin = PgPool::connect(&url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "create schema if not exists {schema}"
        )))
        .execute(&admin)
        .await?;
        admin.close().await;
        let options = PgConnectOptions::from_str(&url)?.options([("search_path", schema.as_str())]);
        let db = Db::connect_postgres(options).await?;
        db.migrate().await?;
        Ok(db)
    }

    fn sanitize(name: &str) -> String {
        name.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(30)
            .collect::<String>()
            .to_lowercase()
    }

    fn unique_suffix() -> String {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        format!("{}_{}_{}", std::process::id(), nanos % 1_000_000_000, n)
    }

    /// A temporary directory removed on drop (kept minimal to avoid a dependency).
    pub struct TempDir {
        pub path: std::path::PathBuf,
    }

    impl TempDir {
        pub fn new() -> Result<TempDir> {
            let path = std::env::temp_dir().join(format!("parcours-test-{}", unique_suffix()));
            std::fs::create_dir_all(&path).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(TempDir { path })
        }
        pub fn path(&self) -> &Path {
            &self.path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
