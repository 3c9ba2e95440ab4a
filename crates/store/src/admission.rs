//! Queries of the admission area that are not one record's: consents (append-only), request status
//! events, capacities, occupancy, and the scoped lists of the home page.

use sqlx::FromRow;
use uuid::Uuid;

use crate::records::{ContratRow, DecisionRow, MesureRow, ProcheRow, SejourRow};
use crate::usager::ScopeFilter;
use crate::{Db, Result, Tx};

#[derive(Debug, Clone, FromRow, PartialEq, Eq, serde::Serialize)]
pub struct ConsentRow {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub usager_id: Uuid,
    pub purpose: String,
    pub decision: String,
    pub signatory_id: Option<Uuid>,
    pub decided_on: String,
    pub expires_on: Option<String>,
    pub scope: Option<String>,
    /// JSON array of partner ids.
    pub partners: String,
    pub document_ref: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: Uuid,
}

const CONSENT_COLS: &str = "organisation_id, id, usager_id, purpose, decision, signatory_id, decided_on, expires_on, \
    scope, partners, document_ref, recorded_at, recorded_by";

pub async fn insert_consent(tx: &mut Tx, r: &ConsentRow) -> Result<()> {
    let sql = format!(
        "insert into consentement ({CONSENT_COLS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(r.organisation_id).bind(r.id).bind(r.usager_id).bind(&r.purpose).bind(&r.decision)
        .bind(r.signatory_id).bind(&r.decided_on).bind(&r.expires_on).bind(&r.scope).bind(&r.partners)
        .bind(&r.document_ref).bind(r.recorded_at).bind(r.recorded_by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// A person's consent decisions in recording order (the last one of a purpose speaks).
pub async fn consents(db: &Db, org: Uuid, usager: Uuid) -> Result<Vec<ConsentRow>> {
    let sql = format!(
        "select {CONSENT_COLS} from consentement where organisation_id = $1 and usager_id = $2 \
         order by purpose, recorded_at, id"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).fetch_all(p).await?),
    )
}

/// Same, inside a transaction (to check a new decision against the previous ones atomically).
pub async fn consents_in(tx: &mut Tx, org: Uuid, usager: Uuid) -> Result<Vec<ConsentRow>> {
    let sql = format!(
        "select {CONSENT_COLS} from consentement where organisation_id = $1 and usager_id = $2 \
         order by purpose, recorded_at, id"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).fetch_all(&mut *c).await?),
    )
}

/// The consents of several persons (home page), in recording order.
pub async fn consents_of(db: &Db, org: Uuid, usagers: &[Uuid]) -> Result<Vec<ConsentRow>> {
    let mut out = Vec::new();
    for chunk in usagers.chunks(500) {
        let rows: Vec<ConsentRow> = fetch_all_built!(db, qb => {
            qb.push(format!("select {CONSENT_COLS} from consentement where organisation_id = "));
            qb.push_bind(org);
            qb.push(" and usager_id in (");
            let mut sep = qb.separated(", ");
            for u in chunk {
                sep.push_bind(*u);
            }
            qb.push(") order by usager_id, purpose, recorded_at, id");
        });
        out.extend(rows);
    }
    Ok(out)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RequestEventRow {
    pub seq: i64,
    pub status: String,
    pub reason: Option<String>,
    pub at: i64,
    pub by_user: Uuid,
}

pub async fn insert_request_event(
    tx: &mut Tx,
    org: Uuid,
    request: Uuid,
    e: &RequestEventRow,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into admission_request_event (organisation_id, request_id, seq, status, reason, at, by_user) \
         values ($1, $2, $3, $4, $5, $6, $7)")
        .bind(org).bind(request).bind(e.seq).bind(&e.status).bind(&e.reason).bind(e.at).bind(e.by_user)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn request_events(db: &Db, org: Uuid, request: Uuid) -> Result<Vec<RequestEventRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select seq, status, reason, at, by_user from admission_request_event \
         where organisation_id = $1 and request_id = $2 order by seq")
        .bind(org).bind(request).fetch_all(p).await?))
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct CapacityRow {
    pub modalite: String,
    pub capacity: i64,
}

pub async fn capacities(db: &Db, org: Uuid, etab: Uuid) -> Result<Vec<CapacityRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select modalite, capacity from etablissement_capacity where organisation_id = $1 and etablissement_id = $2 \
         order by modalite")
        .bind(org).bind(etab).fetch_all(p).await?))
}

/// Sets (or removes, with `None`) the authorised places of one modality.
pub async fn set_capacity(
    tx: &mut Tx,
    org: Uuid,
    etab: Uuid,
    modalite: &str,
    capacity: Option<i64>,
) -> Result<()> {
    on_tx!(tx, c => {
        sqlx::query("delete from etablissement_capacity where organisation_id = $1 and etablissement_id = $2 and modalite = $3")
            .bind(org).bind(etab).bind(modalite).execute(&mut *c).await?;
        if let Some(n) = capacity {
            sqlx::query("insert into etablissement_capacity (organisation_id, etablissement_id, modalite, capacity) \
                         values ($1, $2, $3, $4)")
                .bind(org).bind(etab).bind(modalite).bind(n).execute(&mut *c).await?;
        }
    });
    Ok(())
}

pub async fn set_unite_capacity(
    tx: &mut Tx,
    org: Uuid,
    unite: Uuid,
    capacity: Option<i64>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("update unite set capacity = $3 where organisation_id = $1 and id = $2")
        .bind(org).bind(unite).bind(capacity).execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn unite_capacities(db: &Db, org: Uuid) -> Result<Vec<(Uuid, Option<i64>)>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select id, capacity from unite where organisation_id = $1")
        .bind(org).fetch_all(p).await?))
}

/// Séjours of an establishment that are not cancelled and touch `[from, to]` (ISO dates): the input
/// of occupancy, counted in the domain. Read inside the admission transaction when `tx` is given, so
/// that two admissions racing for the last place see each other (SQLite serialises writers; on
/// PostgreSQL the caller locks the establishment row first).
pub async fn sejours_touching(
    tx: &mut Tx,
    org: Uuid,
    etab: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<SejourRow>> {
    SejourRow::select_in(tx, org, etab, from, to).await
}

impl SejourRow {
    async fn select_in(
        tx: &mut Tx,
        org: Uuid,
        etab: Uuid,
        from: &str,
        to: &str,
    ) -> Result<Vec<SejourRow>> {
        let sql = format!(
            "select {} from sejour where organisation_id = $1 and etablissement_id = $2 and status <> 'annule' \
             and coalesce(entry_date, planned_entry) <= $4 \
             and (coalesce(exit_date, planned_exit) is null or coalesce(exit_date, planned_exit) > $3)",
            SejourRow::column_list()
        );
        Ok(
            on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(org).bind(etab).bind(from).bind(to).fetch_all(&mut *c).await?),
        )
    }
}

/// Locks the establishment row for the rest of the transaction (PostgreSQL; SQLite's
/// `BEGIN IMMEDIATE` already serialises writers), so capacity checks cannot race.
pub async fn lock_etablissement(tx: &mut Tx, org: Uuid, etab: Uuid) -> Result<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query(
            "select id from etablissement where organisation_id = $1 and id = $2 for update",
        )
        .bind(org)
        .bind(etab)
        .fetch_optional(&mut **t)
        .await?;
    }
    Ok(())
}

/// Planned and current séjours in a professional's scope (establishments whole, or units), for the
/// home page; at most `limit`.
pub async fn scoped_open_sejours(
    db: &Db,
    org: Uuid,
    scope: &ScopeFilter,
    limit: i64,
) -> Result<Vec<SejourRow>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    Ok(fetch_all_built!(db, qb => {
        qb.push(format!("select {} from sejour where organisation_id = ", SejourRow::column_list()));
        qb.push_bind(org);
        qb.push(" and status in ('prevu', 'en_cours') and (");
        let mut first = true;
        if !scope.etablissements.is_empty() {
            qb.push("etablissement_id in (");
            let mut sep = qb.separated(", ");
            for e in &scope.etablissements {
                sep.push_bind(*e);
            }
            qb.push(")");
            first = false;
        }
        if !scope.unites.is_empty() {
            if !first {
                qb.push(" or ");
            }
            qb.push("unite_id in (");
            let mut sep = qb.separated(", ");
            for u in &scope.unites {
                sep.push_bind(*u);
            }
            qb.push(")");
        }
        qb.push(") order by planned_entry, id limit ");
        qb.push_bind(limit);
    }))
}

macro_rules! of_usagers {
    ($fn:ident, $row:ty) => {
        /// The records of several persons (home page), oldest first.
        pub async fn $fn(db: &Db, org: Uuid, usagers: &[Uuid]) -> Result<Vec<$row>> {
            let mut out = Vec::new();
            for chunk in usagers.chunks(500) {
                let rows: Vec<$row> = fetch_all_built!(db, qb => {
                    qb.push(format!("select {} from {} where organisation_id = ", <$row>::column_list(), <$row>::TABLE));
                    qb.push_bind(org);
                    qb.push(" and usager_id in (");
                    let mut sep = qb.separated(", ");
                    for u in chunk {
                        sep.push_bind(*u);
                    }
                    qb.push(") order by created_at, id");
                });
                out.extend(rows);
            }
            Ok(out)
        }
    };
}

pub(crate) use of_usagers;

of_usagers!(decisions_of, DecisionRow);
of_usagers!(contrats_of, ContratRow);
of_usagers!(proches_of, ProcheRow);
of_usagers!(mesures_of, MesureRow);

/// The next sequence number of a request's events, read inside the writing transaction.
pub async fn next_request_event_seq(tx: &mut Tx, org: Uuid, request: Uuid) -> Result<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "select coalesce(max(seq), 0) + 1 from admission_request_event \
         where organisation_id = $1 and request_id = $2")
        .bind(org).bind(request).fetch_one(&mut *c).await?);
    Ok(n)
}
