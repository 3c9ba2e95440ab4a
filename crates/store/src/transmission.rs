//! Transmissions ciblées: a head row per transmission (person, unit, category, current version) and
//! every version of its content in `transmission_version` (append-only); read receipts in
//! `transmission_lecture`; each professional's visits of a unit's relève in `releve_visite`.
//! A person's list is read newest first by keyset (`written_at`, `id`); a unit's relève by the time
//! of the last write (`updated_at`), so a correction comes back to the relève.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

/// A new transmission (its first version).
#[derive(Debug, Clone, PartialEq)]
pub struct NewTransmission {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub usager_id: Uuid,
    pub etablissement_id: Uuid,
    pub unite_id: Option<Uuid>,
    pub category: String,
    pub content: Content,
    pub at: i64,
    pub by: Uuid,
}

/// The content of one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub cible: String,
    pub donnees: String,
    pub actions: Option<String>,
    pub resultats: Option<String>,
    pub important: bool,
}

/// A transmission with its current version.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct TransmissionRow {
    pub id: Uuid,
    pub usager_id: Uuid,
    pub etablissement_id: Uuid,
    pub unite_id: Option<Uuid>,
    pub category: String,
    pub important: bool,
    pub version: i64,
    pub written_at: i64,
    pub written_by: Uuid,
    pub updated_at: i64,
    pub updated_by: Uuid,
    pub cible: String,
    pub donnees: String,
    pub actions: Option<String>,
    pub resultats: Option<String>,
    pub reason: Option<String>,
}

/// One version of a transmission's content.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct VersionRow {
    pub version: i64,
    pub cible: String,
    pub donnees: String,
    pub actions: Option<String>,
    pub resultats: Option<String>,
    pub important: bool,
    pub reason: Option<String>,
    pub written_at: i64,
    pub written_by: Uuid,
}

/// A professional's relève of one unit: where it starts and when it was last opened.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct VisitRow {
    pub since_at: i64,
    pub seen_at: i64,
}

const SELECT: &str = "select t.id, t.usager_id, t.etablissement_id, t.unite_id, t.category, \
     t.important, t.version, t.written_at, t.written_by, t.updated_at, v.written_by as updated_by, \
     v.cible, v.donnees, v.actions, v.resultats, v.reason from transmission t join transmission_version v \
     on v.organisation_id = t.organisation_id and v.transmission_id = t.id and v.version = t.version";

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    version: i64,
    c: &Content,
    reason: Option<&str>,
    at: i64,
    by: Uuid,
) -> Result<()> {
    on_tx!(tx, c_ => sqlx::query(
        "insert into transmission_version (organisation_id, transmission_id, version, cible, donnees, \
         actions, resultats, important, reason, written_at, written_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(org).bind(id).bind(version).bind(&c.cible).bind(&c.donnees).bind(&c.actions)
        .bind(&c.resultats).bind(c.important).bind(reason).bind(at).bind(by)
        .execute(&mut *c_).await?.rows_affected());
    Ok(())
}

pub async fn insert(tx: &mut Tx, t: &NewTransmission) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into transmission (organisation_id, id, usager_id, etablissement_id, unite_id, category, \
         important, version, written_at, written_by, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8)")
        .bind(t.organisation_id).bind(t.id).bind(t.usager_id).bind(t.etablissement_id).bind(t.unite_id)
        .bind(&t.category).bind(t.content.important).bind(t.at).bind(t.by)
        .execute(&mut *c).await?.rows_affected());
    insert_version(tx, t.organisation_id, t.id, 1, &t.content, None, t.at, t.by).await
}

/// Writes version `expected + 1`, if the current one is still `expected` (else `Conflict`).
#[allow(clippy::too_many_arguments)]
pub async fn correct(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    expected: i64,
    content: &Content,
    reason: &str,
    at: i64,
    by: Uuid,
) -> Result<i64> {
    let changed = on_tx!(tx, c => sqlx::query(
        "update transmission set version = version + 1, important = $1, updated_at = $2 \
         where organisation_id = $3 and id = $4 and version = $5")
        .bind(content.important).bind(at).bind(org).bind(id).bind(expected)
        .execute(&mut *c).await?.rows_affected());
    if changed != 1 {
        return Err(StoreError::Conflict { expected });
    }
    insert_version(tx, org, id, expected + 1, content, Some(reason), at, by).await?;
    Ok(expected + 1)
}

pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<TransmissionRow> {
    let sql = format!("{SELECT} where t.organisation_id = $1 and t.id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_one(p).await?),
    )
}

/// Every version of a transmission, oldest first.
pub async fn versions(db: &Db, org: Uuid, id: Uuid) -> Result<Vec<VersionRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select version, cible, donnees, actions, resultats, important, reason, written_at, written_by \
         from transmission_version where organisation_id = $1 and transmission_id = $2 order by version")
        .bind(org).bind(id).fetch_all(p).await?))
}

/// A person's transmissions, newest first, after the keyset cursor `(written_at, id)` if given;
/// the medical ones only when `with_medical`.
pub async fn for_usager(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    with_medical: bool,
    before: Option<(i64, Uuid)>,
    limit: i64,
) -> Result<Vec<TransmissionRow>> {
    let medical = if with_medical {
        ""
    } else {
        " and t.category <> 'medical'"
    };
    let (at, id) = before.unwrap_or((i64::MAX, Uuid::max()));
    let sql = format!(
        "{SELECT} where t.organisation_id = $1 and t.usager_id = $2{medical} \
         and (t.written_at < $3 or (t.written_at = $3 and t.id < $4)) \
         order by t.written_at desc, t.id desc limit $5"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(at).bind(id).bind(limit).fetch_all(p).await?),
    )
}

/// A unit's transmissions written or corrected at or after `since`, newest first (at most
/// `limit`; the caller filters what the reader may not see).
pub async fn for_unite(
    db: &Db,
    org: Uuid,
    unite: Uuid,
    since: i64,
    limit: i64,
) -> Result<Vec<TransmissionRow>> {
    let sql = format!(
        "{SELECT} where t.organisation_id = $1 and t.unite_id = $2 and t.updated_at >= $3 \
         order by t.updated_at desc, t.id desc limit $4"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(unite).bind(since).bind(limit).fetch_all(p).await?),
    )
}

pub async fn visit(db: &Db, org: Uuid, user: Uuid, unite: Uuid) -> Result<Option<VisitRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select since_at, seen_at from releve_visite where organisation_id = $1 and user_id = $2 \
         and unite_id = $3")
        .bind(org).bind(user).bind(unite).fetch_optional(p).await?))
}

pub async fn set_visit(
    tx: &mut Tx,
    org: Uuid,
    user: Uuid,
    unite: Uuid,
    v: &VisitRow,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into releve_visite (organisation_id, user_id, unite_id, since_at, seen_at) \
         values ($1, $2, $3, $4, $5) on conflict (organisation_id, user_id, unite_id) \
         do update set since_at = excluded.since_at, seen_at = excluded.seen_at")
        .bind(org).bind(user).bind(unite).bind(v.since_at).bind(v.seen_at)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Inserts many first versions at once (the synthetic-data generator; the use cases write one at a
/// time through [`insert`]). Rows per statement stay under SQLite's bound-parameter limit.
pub async fn bulk_insert(tx: &mut Tx, rows: &[NewTransmission]) -> Result<()> {
    for chunk in rows.chunks(1000) {
        on_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new(
                "insert into transmission (organisation_id, id, usager_id, etablissement_id, unite_id, \
                 category, important, version, written_at, written_by, updated_at) ");
            qb.push_values(chunk, |mut b, t| {
                b.push_bind(t.organisation_id).push_bind(t.id).push_bind(t.usager_id)
                    .push_bind(t.etablissement_id).push_bind(t.unite_id).push_bind(&t.category)
                    .push_bind(t.content.important).push_bind(1i64).push_bind(t.at).push_bind(t.by)
                    .push_bind(t.at);
            });
            qb.build().execute(&mut *c).await?;
            let mut qb = sqlx::QueryBuilder::new(
                "insert into transmission_version (organisation_id, transmission_id, version, cible, \
                 donnees, actions, resultats, important, reason, written_at, written_by) ");
            qb.push_values(chunk, |mut b, t| {
                b.push_bind(t.organisation_id).push_bind(t.id).push_bind(1i64)
                    .push_bind(&t.content.cible).push_bind(&t.content.donnees)
                    .push_bind(&t.content.actions).push_bind(&t.content.resultats)
                    .push_bind(t.content.important).push_bind(None::<String>).push_bind(t.at)
                    .push_bind(t.by);
            });
            qb.build().execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// A transmission with its organisation (for walking every organisation's transmissions).
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct OrgTransmissionRow {
    pub organisation_id: Uuid,
    #[sqlx(flatten)]
    pub row: TransmissionRow,
}

/// Every transmission of every organisation with its current version, by (organisation, id)
/// after `after`: the search index rebuild walks them in pages.
pub async fn page_all(
    db: &Db,
    after: Option<(Uuid, Uuid)>,
    limit: i64,
) -> Result<Vec<OrgTransmissionRow>> {
    let (org, id) = after.unwrap_or((Uuid::nil(), Uuid::nil()));
    let sql = format!(
        "{} where (t.organisation_id > $1 or (t.organisation_id = $1 and t.id > $2)) \
         order by t.organisation_id, t.id limit $3",
        SELECT.replacen("select ", "select t.organisation_id, ", 1)
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).bind(limit).fetch_all(p).await?),
    )
}
