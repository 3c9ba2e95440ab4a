//! Organisation (organisme gestionnaire), établissements/services and their units.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

#[derive(Debug, Clone, FromRow)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub finess_ej: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct EtablissementRow {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub name: String,
    pub finess: String,
    pub category_code: String,
    pub capacity: i64,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct UniteRow {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub name: String,
    pub active: bool,
    pub version: i64,
}

/// Creates an organisation and the head of its audit chain in the same transaction, so the chain
/// never has to be created lazily under concurrency.
pub async fn insert_organisation(tx: &mut Tx, row: &OrganisationRow, now: i64) -> Result<()> {
    on_tx!(tx, c => {
        sqlx::query("insert into organisation (id, name, finess_ej, created_at) values ($1, $2, $3, $4)")
            .bind(row.id).bind(&row.name).bind(&row.finess_ej).bind(now)
            .execute(&mut *c).await?;
        sqlx::query("insert into audit_head (organisation_id, seq, hash) values ($1, 0, $2)")
            .bind(row.id).bind(crate::audit::GENESIS_HASH)
            .execute(&mut *c).await?;
    });
    Ok(())
}

/// Renames the organisation or corrects its FINESS juridique.
pub async fn update_organisation(tx: &mut Tx, row: &OrganisationRow) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query("update organisation set name = $2, finess_ej = $3 where id = $1")
        .bind(row.id).bind(&row.name).bind(&row.finess_ej).execute(&mut *c).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn list_organisations(db: &Db) -> Result<Vec<OrganisationRow>> {
    Ok(
        on_pool!(db, p => sqlx::query_as("select id, name, finess_ej from organisation order by created_at, id")
        .fetch_all(p).await?),
    )
}

pub async fn get_organisation(db: &Db, id: Uuid) -> Result<OrganisationRow> {
    Ok(
        on_pool!(db, p => sqlx::query_as("select id, name, finess_ej from organisation where id = $1")
        .bind(id).fetch_one(p).await?),
    )
}

const ETAB_COLS: &str = "organisation_id, id, name, finess, category_code, capacity, active, version from etablissement";

pub async fn insert_etablissement(tx: &mut Tx, row: &EtablissementRow, now: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into etablissement (organisation_id, id, name, finess, category_code, capacity, active, version, \
         created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)")
        .bind(row.organisation_id).bind(row.id).bind(&row.name).bind(&row.finess).bind(&row.category_code)
        .bind(row.capacity).bind(row.active).bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Updates an établissement if nobody changed it since `row.version` was read.
pub async fn update_etablissement(tx: &mut Tx, row: &EtablissementRow, now: i64) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query(
        "update etablissement set name = $3, finess = $4, category_code = $5, capacity = $6, active = $7, \
         version = version + 1, updated_at = $8 where organisation_id = $1 and id = $2 and version = $9")
        .bind(row.organisation_id).bind(row.id).bind(&row.name).bind(&row.finess).bind(&row.category_code)
        .bind(row.capacity).bind(row.active).bind(now).bind(row.version)
        .execute(&mut *c).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::Conflict {
            expected: row.version,
        });
    }
    Ok(())
}

pub async fn list_etablissements(db: &Db, org: Uuid) -> Result<Vec<EtablissementRow>> {
    let sql = format!("select {ETAB_COLS} where organisation_id = $1 order by name, id");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
    )
}

pub async fn get_etablissement(db: &Db, org: Uuid, id: Uuid) -> Result<EtablissementRow> {
    let sql = format!("select {ETAB_COLS} where organisation_id = $1 and id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_one(p).await?),
    )
}

const UNITE_COLS: &str = "organisation_id, id, etablissement_id, name, active, version from unite";

pub async fn insert_unite(tx: &mut Tx, row: &UniteRow, now: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into unite (organisation_id, id, etablissement_id, name, active, version, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, 1, $6, $6)")
        .bind(row.organisation_id).bind(row.id).bind(row.etablissement_id).bind(&row.name).bind(row.active)
        .bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn update_unite(tx: &mut Tx, row: &UniteRow, now: i64) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query(
        "update unite set name = $3, active = $4, version = version + 1, updated_at = $5 \
         where organisation_id = $1 and id = $2 and version = $6")
        .bind(row.organisation_id).bind(row.id).bind(&row.name).bind(row.active).bind(now).bind(row.version)
        .execute(&mut *c).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::Conflict {
            expected: row.version,
        });
    }
    Ok(())
}

pub async fn list_unites(db: &Db, org: Uuid) -> Result<Vec<UniteRow>> {
    let sql = format!("select {UNITE_COLS} where organisation_id = $1 order by name, id");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
    )
}

pub async fn get_unite(db: &Db, org: Uuid, id: Uuid) -> Result<UniteRow> {
    let sql = format!("select {UNITE_COLS} where organisation_id = $1 and id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_one(p).await?),
    )
}
