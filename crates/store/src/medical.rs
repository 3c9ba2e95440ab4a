//! The medical file: the per-role access setting of the organisation, and the active allergies of a
//! person for the safety banner. The versioned entries themselves (`MedicalAllergyRow`…) live in
//! [`crate::records`]. Temporary access (delegations, break-the-glass) is at the end.

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

// -------------------------------------------------------------------------------------------------
// Temporary access: delegations and emergency (break-the-glass) openings. Never deleted: revoking
// or reviewing fills columns that were empty, once.

const DELEGATION_COLS: &str = "organisation_id, id, usager_id, delegate_id, granted_by, reason, \
     starts_on, ends_on, created_at, revoked_at, revoked_by, revoke_reason";

/// A physician's delegation of read access to one person's medical file (dates in Europe/Paris,
/// both included).
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DelegationRow {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub usager_id: Uuid,
    pub delegate_id: Uuid,
    pub granted_by: Uuid,
    pub reason: String,
    pub starts_on: String,
    pub ends_on: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

pub async fn insert_delegation(tx: &mut Tx, row: &DelegationRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into medical_delegation (organisation_id, id, usager_id, delegate_id, granted_by, reason, \
         starts_on, ends_on, created_at, revoked_at, revoked_by, revoke_reason) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, null, null, null)")
        .bind(row.organisation_id).bind(row.id).bind(row.usager_id).bind(row.delegate_id)
        .bind(row.granted_by).bind(&row.reason).bind(&row.starts_on).bind(&row.ends_on)
        .bind(row.created_at)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Every delegation on a person's medical file, newest first.
pub async fn delegations_of_usager(db: &Db, org: Uuid, usager: Uuid) -> Result<Vec<DelegationRow>> {
    let sql = format!(
        "select {DELEGATION_COLS} from medical_delegation where organisation_id = $1 and usager_id = $2 \
         order by created_at desc, id desc"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).fetch_all(p).await?),
    )
}

/// Every delegation granted to a professional, newest first.
pub async fn delegations_to(db: &Db, org: Uuid, delegate: Uuid) -> Result<Vec<DelegationRow>> {
    let sql = format!(
        "select {DELEGATION_COLS} from medical_delegation where organisation_id = $1 and delegate_id = $2 \
         order by created_at desc, id desc"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(delegate).fetch_all(p).await?),
    )
}

pub async fn delegation(db: &Db, org: Uuid, id: Uuid) -> Result<Option<DelegationRow>> {
    let sql = format!(
        "select {DELEGATION_COLS} from medical_delegation where organisation_id = $1 and id = $2"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_optional(p).await?),
    )
}

/// The delegation, not revoked, that lets `delegate` read `usager`'s medical file on `today`
/// (`YYYY-MM-DD`), if any.
pub async fn current_delegation(
    db: &Db,
    org: Uuid,
    delegate: Uuid,
    usager: Uuid,
    today: &str,
) -> Result<Option<DelegationRow>> {
    let sql = format!(
        "select {DELEGATION_COLS} from medical_delegation where organisation_id = $1 and delegate_id = $2 \
         and usager_id = $3 and revoked_at is null and starts_on <= $4 and ends_on >= $4 \
         order by ends_on desc, id limit 1"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(delegate).bind(usager).bind(today).fetch_optional(p).await?),
    )
}

/// Revokes a delegation that is not revoked yet; false if it already was.
pub async fn revoke_delegation(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    at: i64,
    by: Uuid,
    reason: Option<&str>,
) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "update medical_delegation set revoked_at = $3, revoked_by = $4, revoke_reason = $5 \
         where organisation_id = $1 and id = $2 and revoked_at is null")
        .bind(org).bind(id).bind(at).bind(by).bind(reason)
        .execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}

const EMERGENCY_COLS: &str = "organisation_id, id, usager_id, user_id, reason, opened_at, ends_at, \
     reviewed_at, reviewed_by, review_comment";

/// An emergency opening of a person's medical file (break-the-glass), until `ends_at`.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EmergencyRow {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub usager_id: Uuid,
    pub user_id: Uuid,
    pub reason: String,
    pub opened_at: i64,
    pub ends_at: i64,
    pub reviewed_at: Option<i64>,
    pub reviewed_by: Option<Uuid>,
    pub review_comment: Option<String>,
}

pub async fn insert_emergency(tx: &mut Tx, row: &EmergencyRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into medical_emergency_access (organisation_id, id, usager_id, user_id, reason, opened_at, \
         ends_at, reviewed_at, reviewed_by, review_comment) values ($1, $2, $3, $4, $5, $6, $7, null, null, null)")
        .bind(row.organisation_id).bind(row.id).bind(row.usager_id).bind(row.user_id)
        .bind(&row.reason).bind(row.opened_at).bind(row.ends_at)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// The emergency access of `user` to `usager` still running at `now`, the longest first.
pub async fn current_emergency(
    db: &Db,
    org: Uuid,
    user: Uuid,
    usager: Uuid,
    now: i64,
) -> Result<Option<EmergencyRow>> {
    let sql = format!(
        "select {EMERGENCY_COLS} from medical_emergency_access where organisation_id = $1 and user_id = $2 \
         and usager_id = $3 and opened_at <= $4 and ends_at > $4 order by ends_at desc, id limit 1"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(user).bind(usager).bind(now).fetch_optional(p).await?),
    )
}

/// The persons whose medical file `user` may read now through a delegation (on `today`) or an
/// emergency access (at `now`): what a search adds to the reader's own medical rights.
pub async fn temporary_access_persons(
    db: &Db,
    org: Uuid,
    user: Uuid,
    today: &str,
    now: i64,
) -> Result<Vec<Uuid>> {
    Ok(on_pool!(db, p => sqlx::query_scalar(
        "select usager_id from medical_delegation where organisation_id = $1 and delegate_id = $2 \
         and revoked_at is null and starts_on <= $3 and ends_on >= $3 \
         union select usager_id from medical_emergency_access where organisation_id = $1 \
         and user_id = $2 and opened_at <= $4 and ends_at > $4")
        .bind(org).bind(user).bind(today).bind(now).fetch_all(p).await?))
}

/// Emergency accesses not reviewed yet, oldest first.
pub async fn unreviewed_emergencies(db: &Db, org: Uuid) -> Result<Vec<EmergencyRow>> {
    let sql = format!(
        "select {EMERGENCY_COLS} from medical_emergency_access where organisation_id = $1 \
         and reviewed_at is null order by opened_at, id"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).fetch_all(p).await?),
    )
}

pub async fn emergency(db: &Db, org: Uuid, id: Uuid) -> Result<Option<EmergencyRow>> {
    let sql = format!(
        "select {EMERGENCY_COLS} from medical_emergency_access where organisation_id = $1 and id = $2"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_optional(p).await?),
    )
}

/// Marks an emergency access reviewed; false if it already was.
pub async fn review_emergency(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    at: i64,
    by: Uuid,
    comment: &str,
) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "update medical_emergency_access set reviewed_at = $3, reviewed_by = $4, review_comment = $5 \
         where organisation_id = $1 and id = $2 and reviewed_at is null")
        .bind(org).bind(id).bind(at).bind(by).bind(comment)
        .execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}
