//! The plan de soins: every version of a care task (append-only; the current task is its highest
//! version, and a second writer of the same next version violates `plan_soin_tache_pk`), and the
//! record of each occurrence (append-only, at most one per occurrence:
//! `plan_soin_realisation_occurrence_uq`).

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

/// One version of a task, as written and read.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct TacheRow {
    pub id: Uuid,
    pub version: i64,
    pub usager_id: Uuid,
    pub label: String,
    pub details: Option<String>,
    pub jours: Option<String>,
    pub intervalle: Option<i64>,
    pub heures: String,
    pub date_debut: String,
    pub date_fin: Option<String>,
    pub roles: String,
    pub status: String,
    pub recorded_at: i64,
    pub recorded_by: Uuid,
}

/// The record of one occurrence.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RealisationRow {
    pub id: Uuid,
    pub tache_id: Uuid,
    pub tache_version: i64,
    pub usager_id: Uuid,
    pub due_date: String,
    pub due_time: String,
    pub resultat: String,
    pub motif: Option<String>,
    pub note: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: Uuid,
}

const TACHE_COLS: &str = "t.id, t.version, t.usager_id, t.label, t.details, t.jours, t.intervalle, \
     t.heures, t.date_debut, t.date_fin, t.roles, t.status, t.recorded_at, t.recorded_by";

/// Keeps the highest version of each task.
const CURRENT: &str = "t.version = (select max(x.version) from plan_soin_tache x \
     where x.organisation_id = t.organisation_id and x.id = t.id)";

/// The persons followed in unit `$2`: placed there, or with a planned or current séjour there.
const UNIT_PERSONS: &str = "(select p.usager_id from usager_placement p where p.organisation_id = $1 \
     and p.unite_id = $2 union select s.usager_id from sejour s where s.organisation_id = $1 \
     and s.unite_id = $2 and s.status in ('prevu', 'en_cours'))";

const REAL_COLS: &str = "r.id, r.tache_id, r.tache_version, r.usager_id, r.due_date, r.due_time, \
     r.resultat, r.motif, r.note, r.recorded_at, r.recorded_by";

/// Writes a version of a task; a version already written (a concurrent change) is a conflict.
pub async fn insert_version(tx: &mut Tx, org: Uuid, t: &TacheRow) -> Result<()> {
    let r = on_tx!(tx, c => sqlx::query(
        "insert into plan_soin_tache (organisation_id, id, version, usager_id, label, details, jours, \
         intervalle, heures, date_debut, date_fin, roles, status, recorded_at, recorded_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
        .bind(org).bind(t.id).bind(t.version).bind(t.usager_id).bind(&t.label).bind(&t.details)
        .bind(&t.jours).bind(t.intervalle).bind(&t.heures).bind(&t.date_debut).bind(&t.date_fin)
        .bind(&t.roles).bind(&t.status).bind(t.recorded_at).bind(t.recorded_by)
        .execute(&mut *c).await.map(|r| r.rows_affected()));
    match r {
        Ok(_) => Ok(()),
        Err(e) => match StoreError::from(e) {
            // The key is (organisation, task, version): only a concurrent change can repeat it.
            StoreError::Unique(_) => Err(StoreError::Conflict {
                expected: t.version - 1,
            }),
            other => Err(other),
        },
    }
}

/// The current version of a task.
pub async fn current(db: &Db, org: Uuid, id: Uuid) -> Result<TacheRow> {
    let sql = format!(
        "select {TACHE_COLS} from plan_soin_tache t where t.organisation_id = $1 and t.id = $2 \
         and {CURRENT}"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_one(p).await?),
    )
}

/// One version of a task.
pub async fn version(db: &Db, org: Uuid, id: Uuid, version: i64) -> Result<TacheRow> {
    let sql = format!(
        "select {TACHE_COLS} from plan_soin_tache t where t.organisation_id = $1 and t.id = $2 \
         and t.version = $3"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).bind(version).fetch_one(p).await?),
    )
}

/// Every version of a person's tasks (oldest first per task): the occurrences of a past day
/// follow the version that was current then.
pub async fn for_usager(db: &Db, org: Uuid, usager: Uuid) -> Result<Vec<TacheRow>> {
    let sql = format!(
        "select {TACHE_COLS} from plan_soin_tache t where t.organisation_id = $1 \
         and t.usager_id = $2 order by t.recorded_at, t.id, t.version"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).fetch_all(p).await?),
    )
}

/// Every version of the tasks of the persons followed in a unit (oldest first per task).
pub async fn for_unit(db: &Db, org: Uuid, unite: Uuid) -> Result<Vec<TacheRow>> {
    let sql = format!(
        "select {TACHE_COLS} from plan_soin_tache t where t.organisation_id = $1 \
         and t.usager_id in {UNIT_PERSONS} order by t.recorded_at, t.id, t.version"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(unite).fetch_all(p).await?),
    )
}

/// Records one occurrence; a second record of the same occurrence violates
/// `plan_soin_realisation_occurrence_uq`.
pub async fn insert_realisation(tx: &mut Tx, org: Uuid, r: &RealisationRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into plan_soin_realisation (organisation_id, id, tache_id, tache_version, usager_id, \
         due_date, due_time, resultat, motif, note, recorded_at, recorded_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(org).bind(r.id).bind(r.tache_id).bind(r.tache_version).bind(r.usager_id)
        .bind(&r.due_date).bind(&r.due_time).bind(&r.resultat).bind(&r.motif).bind(&r.note)
        .bind(r.recorded_at).bind(r.recorded_by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// A person's records of occurrences due in `[from, to]` (ISO days).
pub async fn realisations_for_usager(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<RealisationRow>> {
    let sql = format!(
        "select {REAL_COLS} from plan_soin_realisation r where r.organisation_id = $1 \
         and r.usager_id = $2 and r.due_date >= $3 and r.due_date <= $4 \
         order by r.due_date, r.due_time, r.id"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(from).bind(to).fetch_all(p).await?),
    )
}

/// The records of occurrences due on `day` for the persons followed in a unit.
pub async fn realisations_for_unit(
    db: &Db,
    org: Uuid,
    unite: Uuid,
    day: &str,
) -> Result<Vec<RealisationRow>> {
    let sql = format!(
        "select {REAL_COLS} from plan_soin_realisation r where r.organisation_id = $1 \
         and r.usager_id in {UNIT_PERSONS} and r.due_date = $3 order by r.due_time, r.id"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(unite).bind(day).fetch_all(p).await?),
    )
}
