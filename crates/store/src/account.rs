//! Professionals' accounts and their assignments to establishments and units.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub profession: String,
    pub rpps: Option<String>,
    pub adeli: Option<String>,
    pub role: String,
    pub active: bool,
    pub password_hash: String,
    pub version: i64,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AssignmentRow {
    pub user_id: Uuid,
    pub etablissement_id: Uuid,
    pub unite_id: Option<Uuid>,
}

const USER_COLS: &str = "organisation_id, id, login, first_name, last_name, profession, rpps, adeli, role, active, \
                         password_hash, version from user_account";

pub async fn insert_user(tx: &mut Tx, row: &UserRow, now: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into user_account (organisation_id, id, login, first_name, last_name, profession, rpps, adeli, role, \
         active, password_hash, version, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)")
        .bind(row.organisation_id).bind(row.id).bind(&row.login).bind(&row.first_name).bind(&row.last_name)
        .bind(&row.profession).bind(&row.rpps).bind(&row.adeli).bind(&row.role).bind(row.active)
        .bind(&row.password_hash).bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Updates the profile (not the password) if nobody changed it since `row.version` was read.
pub async fn update_user(tx: &mut Tx, row: &UserRow, now: i64) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query(
        "update user_account set first_name = $3, last_name = $4, profession = $5, rpps = $6, adeli = $7, \
         role = $8, active = $9, version = version + 1, updated_at = $10 \
         where organisation_id = $1 and id = $2 and version = $11")
        .bind(row.organisation_id).bind(row.id).bind(&row.first_name).bind(&row.last_name).bind(&row.profession)
        .bind(&row.rpps).bind(&row.adeli).bind(&row.role).bind(row.active).bind(now).bind(row.version)
        .execute(&mut *c).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::Conflict {
            expected: row.version,
        });
    }
    Ok(())
}

pub async fn set_password(tx: &mut Tx, org: Uuid, id: Uuid, hash: &str, now: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "update user_account set password_hash = $3, version = version + 1, updated_at = $4 \
         where organisation_id = $1 and id = $2")
        .bind(org).bind(id).bind(hash).bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn get_user(db: &Db, org: Uuid, id: Uuid) -> Result<UserRow> {
    let sql = format!("select {USER_COLS} where organisation_id = $1 and id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_one(p).await?),
    )
}

/// Logins are unique across the installation, so a professional logs in without naming an organisation.
pub async fn find_user_by_login(db: &Db, login: &str) -> Result<Option<UserRow>> {
    let sql = format!("select {USER_COLS} where login = $1");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(login).fetch_optional(p).await?),
    )
}

pub async fn list_users(db: &Db, org: Uuid) -> Result<Vec<UserRow>> {
    let sql =
        format!("select {USER_COLS} where organisation_id = $1 order by last_name, first_name, id");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
    )
}

pub async fn count_users(db: &Db) -> Result<i64> {
    Ok(
        on_pool!(db, p => sqlx::query_scalar("select count(*) from user_account").fetch_one(p).await?),
    )
}

/// Replaces the whole set of a user's assignments (the admin form edits them as one list).
pub async fn replace_assignments(
    tx: &mut Tx,
    org: Uuid,
    user: Uuid,
    assignments: &[(Uuid, Uuid, Option<Uuid>)],
) -> Result<()> {
    on_tx!(tx, c => {
        sqlx::query("delete from user_assignment where organisation_id = $1 and user_id = $2")
            .bind(org).bind(user).execute(&mut *c).await?;
        for (id, etab, unite) in assignments {
            sqlx::query("insert into user_assignment (organisation_id, id, user_id, etablissement_id, unite_id) \
                         values ($1, $2, $3, $4, $5)")
                .bind(org).bind(id).bind(user).bind(etab).bind(unite)
                .execute(&mut *c).await?;
        }
    });
    Ok(())
}

pub async fn list_assignments(db: &Db, org: Uuid, user: Uuid) -> Result<Vec<AssignmentRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select user_id, etablissement_id, unite_id from user_assignment where organisation_id = $1 and user_id = $2 \
         order by etablissement_id, unite_id")
        .bind(org).bind(user).fetch_all(p).await?))
}

pub async fn list_all_assignments(db: &Db, org: Uuid) -> Result<Vec<AssignmentRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select user_id, etablissement_id, unite_id from user_assignment where organisation_id = $1 \
         order by user_id, etablissement_id, unite_id")
        .bind(org).fetch_all(p).await?))
}
