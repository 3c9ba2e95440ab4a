//! The care record's measures (constantes): append-only rows, a mistaken one cancelled with its
//! reason in `soin_mesure_annulation`, a correction a new row naming the cancelled one. Reads join
//! the cancellation so a measure always comes with its state.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, Tx};

/// A measure as written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMesure {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub usager_id: Uuid,
    pub kind: String,
    pub measured_at: i64,
    pub value: f64,
    pub value2: Option<f64>,
    pub note: Option<String>,
    pub corrects_id: Option<Uuid>,
    pub recorded_at: i64,
    pub recorded_by: Uuid,
}

/// A measure as read, with its cancellation if any.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct MesureRow {
    pub id: Uuid,
    pub usager_id: Uuid,
    pub kind: String,
    pub measured_at: i64,
    pub value: f64,
    pub value2: Option<f64>,
    pub note: Option<String>,
    pub corrects_id: Option<Uuid>,
    pub recorded_at: i64,
    pub recorded_by: Uuid,
    pub cancel_reason: Option<String>,
    pub cancelled_at: Option<i64>,
    pub cancelled_by: Option<Uuid>,
}

const SELECT: &str = "select m.id, m.usager_id, m.kind, m.measured_at, m.value, m.value2, m.note, \
     m.corrects_id, m.recorded_at, m.recorded_by, a.reason as cancel_reason, a.at as cancelled_at, \
     a.by_user as cancelled_by from soin_mesure m left join soin_mesure_annulation a \
     on a.organisation_id = m.organisation_id and a.mesure_id = m.id";

pub async fn insert(tx: &mut Tx, m: &NewMesure) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into soin_mesure (organisation_id, id, usager_id, kind, measured_at, value, value2, note, \
         corrects_id, recorded_at, recorded_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(m.organisation_id).bind(m.id).bind(m.usager_id).bind(&m.kind).bind(m.measured_at)
        .bind(m.value).bind(m.value2).bind(&m.note).bind(m.corrects_id).bind(m.recorded_at)
        .bind(m.recorded_by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Cancels a measure (a second cancellation violates `soin_mesure_annulation_pk`).
pub async fn cancel(
    tx: &mut Tx,
    org: Uuid,
    mesure: Uuid,
    reason: &str,
    at: i64,
    by: Uuid,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into soin_mesure_annulation (organisation_id, mesure_id, reason, at, by_user) \
         values ($1, $2, $3, $4, $5)")
        .bind(org).bind(mesure).bind(reason).bind(at).bind(by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<MesureRow> {
    let sql = format!("{SELECT} where m.organisation_id = $1 and m.id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_one(p).await?),
    )
}

/// A person's measures of one kind measured in `[from, to)` (microseconds), oldest first, the
/// cancelled ones included.
pub async fn series(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    kind: &str,
    from: i64,
    to: i64,
) -> Result<Vec<MesureRow>> {
    let sql = format!(
        "{SELECT} where m.organisation_id = $1 and m.usager_id = $2 and m.kind = $3 \
         and m.measured_at >= $4 and m.measured_at < $5 order by m.measured_at, m.id"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(kind).bind(from).bind(to).fetch_all(p).await?),
    )
}

/// A person's latest valid (not cancelled) measure of one kind, by measurement time.
pub async fn latest(db: &Db, org: Uuid, usager: Uuid, kind: &str) -> Result<Option<MesureRow>> {
    let sql = format!(
        "{SELECT} where m.organisation_id = $1 and m.usager_id = $2 and m.kind = $3 \
         and a.mesure_id is null order by m.measured_at desc, m.id desc limit 1"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(kind).fetch_optional(p).await?),
    )
}
