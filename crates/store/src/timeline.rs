//! The person's timeline: one query per source that can hold many rows per person, each reading
//! one page newest first from an index on `(organisation_id, usager_id, time, id)` with a keyset
//! bound and a limit (never a scan of the person's whole history, let alone the organisation's).
//! The app merges the pages of the sources. Sources with few rows per person (projets, séjours)
//! are read through their own modules.
//!
//! The bound `(before, before_id)` keeps the rows with `time < before or (time = before and
//! id < before_id)`; the period `[from, to)` (instants) or `[from, to]` (days) and the author are
//! filters on the same index range.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result};

/// A page request on a source dated by instants (unix microseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub before: i64,
    pub before_id: Uuid,
    pub from: i64,
    pub to: i64,
    pub author: Option<Uuid>,
    pub limit: i64,
}

/// A page request on a source dated by civil days (ISO `YYYY-MM-DD`, compared as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayWindow {
    pub before: String,
    pub before_id: Uuid,
    pub from: String,
    pub to: String,
    pub author: Option<Uuid>,
    pub limit: i64,
}

/// A transmission as the timeline shows it (its current version).
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct TransmissionEntry {
    pub id: Uuid,
    pub category: String,
    pub important: bool,
    pub version: i64,
    pub written_at: i64,
    pub written_by: Uuid,
    pub cible: String,
    pub donnees: String,
}

/// A person's transmissions below the bound, newest first; the medical ones only when
/// `with_medical`.
pub async fn transmissions(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    with_medical: bool,
    w: &Window,
) -> Result<Vec<TransmissionEntry>> {
    let medical = if with_medical {
        ""
    } else {
        " and t.category <> 'medical'"
    };
    let sql = format!(
        "select t.id, t.category, t.important, t.version, t.written_at, t.written_by, v.cible, v.donnees \
         from transmission t join transmission_version v on v.organisation_id = t.organisation_id \
         and v.transmission_id = t.id and v.version = t.version \
         where t.organisation_id = $1 and t.usager_id = $2{medical} \
         and (t.written_at < $3 or (t.written_at = $3 and t.id < $4)) \
         and t.written_at >= $5 and t.written_at < $6 and ($7 is null or t.written_by = $7) \
         order by t.written_at desc, t.id desc limit $8"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(w.before).bind(w.before_id).bind(w.from).bind(w.to)
        .bind(w.author).bind(w.limit).fetch_all(p).await?),
    )
}

/// A measure as the timeline shows it, with whether it was cancelled.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct MesureEntry {
    pub id: Uuid,
    pub kind: String,
    pub measured_at: i64,
    pub value: f64,
    pub value2: Option<f64>,
    pub recorded_by: Uuid,
    pub cancelled_at: Option<i64>,
}

/// A person's measures of every kind below the bound, newest first (by measurement time).
pub async fn mesures(db: &Db, org: Uuid, usager: Uuid, w: &Window) -> Result<Vec<MesureEntry>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select m.id, m.kind, m.measured_at, m.value, m.value2, m.recorded_by, a.at as cancelled_at \
         from soin_mesure m left join soin_mesure_annulation a \
         on a.organisation_id = m.organisation_id and a.mesure_id = m.id \
         where m.organisation_id = $1 and m.usager_id = $2 \
         and (m.measured_at < $3 or (m.measured_at = $3 and m.id < $4)) \
         and m.measured_at >= $5 and m.measured_at < $6 and ($7 is null or m.recorded_by = $7) \
         order by m.measured_at desc, m.id desc limit $8")
        .bind(org).bind(usager).bind(w.before).bind(w.before_id).bind(w.from).bind(w.to)
        .bind(w.author).bind(w.limit).fetch_all(p).await?))
}

/// An occurrence of the plan de soins recorded as done or not done, with its task's label.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct RealisationEntry {
    pub id: Uuid,
    pub label: String,
    pub due_date: String,
    pub due_time: String,
    pub resultat: String,
    pub motif: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: Uuid,
}

/// A person's recorded care below the bound, newest first (by recording time).
pub async fn realisations(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    w: &Window,
) -> Result<Vec<RealisationEntry>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select r.id, t.label, r.due_date, r.due_time, r.resultat, r.motif, r.recorded_at, r.recorded_by \
         from plan_soin_realisation r join plan_soin_tache t on t.organisation_id = r.organisation_id \
         and t.id = r.tache_id and t.version = r.tache_version \
         where r.organisation_id = $1 and r.usager_id = $2 \
         and (r.recorded_at < $3 or (r.recorded_at = $3 and r.id < $4)) \
         and r.recorded_at >= $5 and r.recorded_at < $6 and ($7 is null or r.recorded_by = $7) \
         order by r.recorded_at desc, r.id desc limit $8")
        .bind(org).bind(usager).bind(w.before).bind(w.before_id).bind(w.from).bind(w.to)
        .bind(w.author).bind(w.limit).fetch_all(p).await?))
}

/// An evaluation as the timeline shows it.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct EvaluationEntry {
    pub id: Uuid,
    pub kind: String,
    pub evaluated_on: String,
    pub evaluator_id: Uuid,
    pub gir: Option<i64>,
    pub status: String,
}

/// A person's evaluations (needs and AGGIR, cancelled ones included) below the bound, newest
/// first by evaluation day.
pub async fn evaluations(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    w: &DayWindow,
) -> Result<Vec<EvaluationEntry>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select id, kind, evaluated_on, evaluator_id, gir, status from evaluation \
         where organisation_id = $1 and usager_id = $2 \
         and (evaluated_on < $3 or (evaluated_on = $3 and id < $4)) \
         and evaluated_on >= $5 and evaluated_on <= $6 and ($7 is null or evaluator_id = $7) \
         order by evaluated_on desc, id desc limit $8")
        .bind(org).bind(usager).bind(&w.before).bind(w.before_id).bind(&w.from).bind(&w.to)
        .bind(w.author).bind(w.limit).fetch_all(p).await?))
}
