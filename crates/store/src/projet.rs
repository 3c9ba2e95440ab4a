//! Projets personnalisés and evaluations: the append-only status events and accords of a projet, and
//! the records of several persons at once for the home page. The versioned rows themselves
//! (`EvaluationRow`, `ProjetRow`, `BilanRow`) live in [`crate::records`].

use sqlx::FromRow;
use uuid::Uuid;

use crate::admission::of_usagers;
use crate::records::{BilanRow, EvaluationRow, ProjetRow};
use crate::{Db, Result, Tx};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ProjetEventRow {
    pub seq: i64,
    pub status: String,
    pub note: Option<String>,
    pub at: i64,
    pub by_user: Uuid,
}

pub async fn insert_event(tx: &mut Tx, org: Uuid, projet: Uuid, e: &ProjetEventRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into projet_event (organisation_id, projet_id, seq, status, note, at, by_user) \
         values ($1, $2, $3, $4, $5, $6, $7)")
        .bind(org).bind(projet).bind(e.seq).bind(&e.status).bind(&e.note).bind(e.at).bind(e.by_user)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn events(db: &Db, org: Uuid, projet: Uuid) -> Result<Vec<ProjetEventRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select seq, status, note, at, by_user from projet_event \
         where organisation_id = $1 and projet_id = $2 order by seq")
        .bind(org).bind(projet).fetch_all(p).await?))
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AccordRow {
    pub id: Uuid,
    pub projet_id: Uuid,
    /// The projet's `content_version` when signed.
    pub content_version: i64,
    pub partie: String,
    pub signatory_user: Option<Uuid>,
    pub signatory_proche: Option<Uuid>,
    pub signatory_name: String,
    pub signed_on: String,
    pub recorded_at: i64,
    pub recorded_by: Uuid,
}

pub async fn insert_accord(tx: &mut Tx, org: Uuid, a: &AccordRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into projet_accord (organisation_id, id, projet_id, content_version, partie, signatory_user, \
         signatory_proche, signatory_name, signed_on, recorded_at, recorded_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(org).bind(a.id).bind(a.projet_id).bind(a.content_version).bind(&a.partie).bind(a.signatory_user)
        .bind(a.signatory_proche).bind(&a.signatory_name).bind(&a.signed_on).bind(a.recorded_at)
        .bind(a.recorded_by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn accords(db: &Db, org: Uuid, projet: Uuid) -> Result<Vec<AccordRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select id, projet_id, content_version, partie, signatory_user, signatory_proche, signatory_name, signed_on, recorded_at, \
         recorded_by from projet_accord where organisation_id = $1 and projet_id = $2 order by recorded_at, id")
        .bind(org).bind(projet).fetch_all(p).await?))
}

of_usagers!(projets_of, ProjetRow);
of_usagers!(bilans_of, BilanRow);
of_usagers!(evaluations_of, EvaluationRow);

/// The running projets (en cours, en pause) of the persons in a professional's scope: in one of
/// their establishments, or followed in one of their units (placement or open séjour).
pub async fn scoped_running(
    db: &Db,
    org: Uuid,
    scope: &crate::usager::ScopeFilter,
    limit: i64,
) -> Result<Vec<ProjetRow>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    Ok(fetch_all_built!(db, qb => {
        qb.push(format!("select {} from projet where organisation_id = ", ProjetRow::column_list()));
        qb.push_bind(org);
        qb.push(" and status in ('en_cours', 'en_pause') and (1 = 0");
        if !scope.etablissements.is_empty() {
            qb.push(" or etablissement_id in (");
            let mut sep = qb.separated(", ");
            for e in &scope.etablissements {
                sep.push_bind(*e);
            }
            qb.push(")");
        }
        if !scope.unites.is_empty() {
            for (table, extra) in [
                ("usager_placement", ""),
                ("sejour", " and status in ('prevu', 'en_cours')"),
            ] {
                qb.push(format!(" or usager_id in (select usager_id from {table} where organisation_id = "));
                qb.push_bind(org);
                qb.push(format!("{extra} and unite_id in ("));
                let mut sep = qb.separated(", ");
                for u in &scope.unites {
                    sep.push_bind(*u);
                }
                qb.push("))");
            }
        }
        qb.push(") order by id limit ");
        qb.push_bind(limit);
    }))
}

/// The next sequence number of a projet's events, read inside the writing transaction.
pub async fn next_event_seq(tx: &mut Tx, org: Uuid, projet: Uuid) -> Result<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "select coalesce(max(seq), 0) + 1 from projet_event where organisation_id = $1 and projet_id = $2")
        .bind(org).bind(projet).fetch_one(&mut *c).await?);
    Ok(n)
}
