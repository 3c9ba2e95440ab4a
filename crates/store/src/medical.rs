//! The medical file: the per-role access setting of the organisation, and the active allergies of a
//! person for the safety banner. The versioned entries themselves (`MedicalAllergyRow`…) live in
//! [`crate::records`].

use sqlx::FromRow;
use uuid::Uuid;

use crate::records::MedicalAllergyRow;
use crate::{Db, Result, Tx};

/// The organisation's choice for one role.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RoleAccessRow {
    pub role: String,
    pub can_read: bool,
    pub can_write: bool,
    pub version: i64,
    pub updated_at: i64,
    pub updated_by: Uuid,
}

/// Every role the organisation has set (roles without a row follow the permission table).
pub async fn role_access(db: &Db, org: Uuid) -> Result<Vec<RoleAccessRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select role, can_read, can_write, version, updated_at, updated_by from medical_role_access \
         where organisation_id = $1 order by role")
        .bind(org).fetch_all(p).await?))
}

/// The setting of one role, if the organisation has set it.
pub async fn role_access_of(db: &Db, org: Uuid, role: &str) -> Result<Option<RoleAccessRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select role, can_read, can_write, version, updated_at, updated_by from medical_role_access \
         where organisation_id = $1 and role = $2")
        .bind(org).bind(role).fetch_optional(p).await?))
}

/// Sets a role's access (inserted, or replaced with its version counted).
pub async fn set_role_access(tx: &mut Tx, org: Uuid, row: &RoleAccessRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into medical_role_access (organisation_id, role, can_read, can_write, version, updated_at, updated_by) \
         values ($1, $2, $3, $4, 1, $5, $6) \
         on conflict (organisation_id, role) do update set can_read = excluded.can_read, \
         can_write = excluded.can_write, version = medical_role_access.version + 1, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .bind(org).bind(&row.role).bind(row.can_read).bind(row.can_write).bind(row.updated_at).bind(row.updated_by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// The active allergies and intolerances of a person, by substance (the app orders them by severity).
pub async fn active_allergies(db: &Db, org: Uuid, usager: Uuid) -> Result<Vec<MedicalAllergyRow>> {
    let sql = format!(
        "select {} from medical_allergy where organisation_id = $1 and usager_id = $2 \
         and status = 'active' order by substance",
        MedicalAllergyRow::column_list()
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).fetch_all(p).await?),
    )
}
