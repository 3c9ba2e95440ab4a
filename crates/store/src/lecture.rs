//! Read receipts: who first read a transmission or a cahier de liaison message, and when. Both
//! live in append-only tables of the same shape (`transmission_lecture`, `liaison_lecture`), so
//! one pair of statements serves both.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, Tx};

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lu {
    Transmission,
    Liaison,
}

impl Lu {
    /// The receipts table and its document column (fixed names, never user input).
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Lu::Transmission => ("transmission_lecture", "transmission_id"),
            Lu::Liaison => ("liaison_lecture", "message_id"),
        }
    }
}

/// Someone's first reading of a document.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct ReadRow {
    pub doc_id: Uuid,
    pub user_id: Uuid,
    pub read_at: i64,
}

/// Who has read the given documents, earliest reading first.
pub async fn readers(db: &Db, what: Lu, org: Uuid, ids: &[Uuid]) -> Result<Vec<ReadRow>> {
    let (table, key) = what.table();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<ReadRow> = fetch_all_built!(db, qb => {
            qb.push(format!(
                "select {key} as doc_id, user_id, read_at from {table} where organisation_id = "
            ));
            qb.push_bind(org);
            qb.push(format!(" and {key} in ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(") order by read_at, user_id");
        });
        out.extend(rows);
    }
    Ok(out)
}

/// Records a reading (a second one by the same professional changes nothing). Returns whether it
/// was the first.
pub async fn mark_read(
    tx: &mut Tx,
    what: Lu,
    org: Uuid,
    id: Uuid,
    user: Uuid,
    at: i64,
) -> Result<bool> {
    let (table, key) = what.table();
    let sql = format!(
        "insert into {table} (organisation_id, {key}, user_id, read_at) values ($1, $2, $3, $4) \
         on conflict (organisation_id, {key}, user_id) do nothing"
    );
    let n = on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).bind(user).bind(at)
        .execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}
