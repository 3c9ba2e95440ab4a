//! Server-side sessions (revocable) and the login attempts used for throttling.
//! Only a SHA-256 of the session token is stored: a stolen database does not yield live sessions.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, Tx};

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub organisation_id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub ip: String,
    pub user_agent: String,
}

const SESSION_COLS: &str = "token_hash, organisation_id, user_id, kind, created_at, last_seen_at, expires_at, \
                            revoked_at, ip, user_agent from session";

pub async fn insert_session(tx: &mut Tx, row: &SessionRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into session (token_hash, organisation_id, user_id, kind, created_at, last_seen_at, expires_at, \
         revoked_at, ip, user_agent) values ($1, $2, $3, $4, $5, $6, $7, null, $8, $9)")
        .bind(&row.token_hash).bind(row.organisation_id).bind(row.user_id).bind(&row.kind).bind(row.created_at)
        .bind(row.last_seen_at).bind(row.expires_at).bind(&row.ip).bind(&row.user_agent)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn get_session(db: &Db, token_hash: &str) -> Result<Option<SessionRow>> {
    let sql = format!("select {SESSION_COLS} where token_hash = $1");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash)
        .fetch_optional(p).await?),
    )
}

/// Records activity; callers only do it when the stored value is stale, to spare writes.
pub async fn touch_session(db: &Db, token_hash: &str, now: i64) -> Result<()> {
    on_pool!(db, p => sqlx::query("update session set last_seen_at = $2 where token_hash = $1 and revoked_at is null")
        .bind(token_hash).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

pub async fn revoke_session(tx: &mut Tx, token_hash: &str, now: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("update session set revoked_at = $2 where token_hash = $1 and revoked_at is null")
        .bind(token_hash).bind(now).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// "Log out everywhere", and what disabling an account does.
pub async fn revoke_user_sessions(tx: &mut Tx, org: Uuid, user: Uuid, now: i64) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "update session set revoked_at = $3 where organisation_id = $1 and user_id = $2 and revoked_at is null")
        .bind(org).bind(user).bind(now).execute(&mut *c).await?.rows_affected()))
}

pub async fn list_active_sessions(
    db: &Db,
    org: Uuid,
    user: Uuid,
    now: i64,
) -> Result<Vec<SessionRow>> {
    let sql = format!(
        "select {SESSION_COLS} where organisation_id = $1 and user_id = $2 and revoked_at is null and expires_at > $3 \
         order by last_seen_at desc"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(user).bind(now)
        .fetch_all(p).await?),
    )
}

pub async fn record_login_attempt(
    db: &Db,
    id: Uuid,
    login: &str,
    ip: &str,
    at: i64,
    success: bool,
) -> Result<()> {
    on_pool!(db, p => sqlx::query("insert into login_attempt (id, login, ip, at, success) values ($1, $2, $3, $4, $5)")
        .bind(id).bind(login).bind(ip).bind(at).bind(success).execute(p).await?.rows_affected());
    Ok(())
}

/// Failed attempts for a login since `since`, not counting those before its last success.
pub async fn recent_failures_for_login(db: &Db, login: &str, since: i64) -> Result<i64> {
    Ok(on_pool!(db, p => sqlx::query_scalar(
        "select count(*) from login_attempt where login = $1 and at >= $2 and success = false and at > \
         coalesce((select max(at) from login_attempt where login = $1 and success = true), 0)")
        .bind(login).bind(since).fetch_one(p).await?))
}

pub async fn recent_failures_for_ip(db: &Db, ip: &str, since: i64) -> Result<i64> {
    Ok(on_pool!(db, p => sqlx::query_scalar(
        "select count(*) from login_attempt where ip = $1 and at >= $2 and success = false")
        .bind(ip).bind(since).fetch_one(p).await?))
}
