//! Écrits professionnels: a head row per note (person, author, the author's profession, current
//! type, scope and version, withdrawal) and every version of its content in `ecrit_version`
//! (append-only). A person's list is read newest first by keyset (`written_at`, `id`) with the
//! visibility scope applied in SQL ([`Reader`]), the same rule as `domain::ecrit::may_read`.
//!
//! Writes go through exactly one [`insert`] and one [`correct`], each inside the caller's
//! transaction, so that whatever must follow every new content (a search index) hooks in one place.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

/// The content of one version (checked by the domain before it gets here).
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// ISO `YYYY-MM-DD`.
    pub event_date: String,
    pub scope: String,
}

/// A new note (its first version).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEcrit {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub usager_id: Uuid,
    /// The author's profession at writing time (a `Profession` code); it never changes.
    pub author_profession: String,
    pub content: Content,
    pub at: i64,
    pub by: Uuid,
}

/// A note with its current version.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct EcritRow {
    pub id: Uuid,
    pub usager_id: Uuid,
    pub kind: String,
    pub scope: String,
    pub author_profession: String,
    pub version: i64,
    pub written_at: i64,
    pub written_by: Uuid,
    pub updated_at: i64,
    pub updated_by: Uuid,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<Uuid>,
    pub withdrawal_reason: Option<String>,
    pub title: String,
    pub body: String,
    pub event_date: String,
    pub reason: Option<String>,
}

/// One version of a note.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct VersionRow {
    pub version: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub event_date: String,
    pub scope: String,
    pub reason: Option<String>,
    pub written_at: i64,
    pub written_by: Uuid,
}

/// Who reads a list, for the scope filter: their account, their profession code, and whether
/// their role reads `encadrement` notes (direction, chef de service).
#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    pub user: Uuid,
    pub profession: String,
    pub encadrement: bool,
}

/// Optional filters of a person's list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// A type code.
    pub kind: Option<String>,
    /// The author's profession code.
    pub profession: Option<String>,
}

const SELECT: &str = "select e.id, e.usager_id, e.kind, e.scope, e.author_profession, e.version, \
     e.written_at, e.written_by, e.updated_at, v.written_by as updated_by, e.withdrawn_at, \
     e.withdrawn_by, e.withdrawal_reason, v.title, v.body, v.event_date, v.reason \
     from ecrit e join ecrit_version v \
     on v.organisation_id = e.organisation_id and v.ecrit_id = e.id and v.version = e.version";

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
        "insert into ecrit_version (organisation_id, ecrit_id, version, kind, title, body, event_date, \
         scope, reason, written_at, written_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(org).bind(id).bind(version).bind(&c.kind).bind(&c.title).bind(&c.body)
        .bind(&c.event_date).bind(&c.scope).bind(reason).bind(at).bind(by)
        .execute(&mut *c_).await?.rows_affected());
    Ok(())
}

/// Writes a new note and its first version.
pub async fn insert(tx: &mut Tx, e: &NewEcrit) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into ecrit (organisation_id, id, usager_id, kind, scope, author_profession, version, \
         written_at, written_by, updated_at) values ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7)")
        .bind(e.organisation_id).bind(e.id).bind(e.usager_id).bind(&e.content.kind)
        .bind(&e.content.scope).bind(&e.author_profession).bind(e.at).bind(e.by)
        .execute(&mut *c).await?.rows_affected());
    insert_version(tx, e.organisation_id, e.id, 1, &e.content, None, e.at, e.by).await
}

/// Writes version `expected + 1`, if the current one is still `expected` and the note is not
/// withdrawn (else `Conflict`).
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
        "update ecrit set version = version + 1, kind = $1, scope = $2, updated_at = $3 \
         where organisation_id = $4 and id = $5 and version = $6 and withdrawn_at is null")
        .bind(&content.kind).bind(&content.scope).bind(at).bind(org).bind(id).bind(expected)
        .execute(&mut *c).await?.rows_affected());
    if changed != 1 {
        return Err(StoreError::Conflict { expected });
    }
    insert_version(tx, org, id, expected + 1, content, Some(reason), at, by).await?;
    Ok(expected + 1)
}

/// Withdraws a note (once): `Conflict` if it changed since `expected` or is already withdrawn.
#[allow(clippy::too_many_arguments)]
pub async fn withdraw(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    expected: i64,
    reason: &str,
    at: i64,
    by: Uuid,
) -> Result<()> {
    let changed = on_tx!(tx, c => sqlx::query(
        "update ecrit set withdrawn_at = $1, withdrawn_by = $2, withdrawal_reason = $3, updated_at = $1 \
         where organisation_id = $4 and id = $5 and version = $6 and withdrawn_at is null")
        .bind(at).bind(by).bind(reason).bind(org).bind(id).bind(expected)
        .execute(&mut *c).await?.rows_affected());
    if changed != 1 {
        return Err(StoreError::Conflict { expected });
    }
    Ok(())
}

/// A note by id (no scope check: the caller decides with `domain::ecrit::may_read`).
pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<EcritRow> {
    let sql = format!("{SELECT} where e.organisation_id = $1 and e.id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_one(p).await?),
    )
}

/// Every version of a note, oldest first.
pub async fn versions(db: &Db, org: Uuid, id: Uuid) -> Result<Vec<VersionRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select version, kind, title, body, event_date, scope, reason, written_at, written_by \
         from ecrit_version where organisation_id = $1 and ecrit_id = $2 order by version")
        .bind(org).bind(id).fetch_all(p).await?))
}

/// A person's notes that `reader` may read by their scope, newest first, after the keyset cursor
/// `(written_at, id)` if given. The gate (`ReadCareRecord` on the person) is the caller's.
pub async fn for_usager(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    reader: &Reader,
    filter: &Filter,
    before: Option<(i64, Uuid)>,
    limit: i64,
) -> Result<Vec<EcritRow>> {
    let (at, id) = before.unwrap_or((i64::MAX, Uuid::max()));
    // The scope rule of `domain::ecrit::may_read`, in SQL.
    let sql = format!(
        "{SELECT} where e.organisation_id = $1 and e.usager_id = $2 \
         and (e.written_by = $3 or e.scope = 'equipe' \
              or (e.scope = 'encadrement' and (e.author_profession = $4 or $5 = 1)) \
              or (e.scope = 'profession' and e.author_profession = $4)) \
         and ($6 is null or e.kind = $6) and ($7 is null or e.author_profession = $7) \
         and (e.written_at < $8 or (e.written_at = $8 and e.id < $9)) \
         order by e.written_at desc, e.id desc limit $10"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(reader.user).bind(&reader.profession)
        .bind(i64::from(reader.encadrement)).bind(&filter.kind).bind(&filter.profession)
        .bind(at).bind(id).bind(limit).fetch_all(p).await?),
    )
}

/// A note with its organisation (for walking every organisation's notes).
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct OrgEcritRow {
    pub organisation_id: Uuid,
    #[sqlx(flatten)]
    pub row: EcritRow,
}

/// Every note of every organisation with its current version, by (organisation, id) after
/// `after`: the search index rebuild walks them in pages.
pub async fn page_all(
    db: &Db,
    after: Option<(Uuid, Uuid)>,
    limit: i64,
) -> Result<Vec<OrgEcritRow>> {
    let (org, id) = after.unwrap_or((Uuid::nil(), Uuid::nil()));
    let sql = format!(
        "{} where (e.organisation_id > $1 or (e.organisation_id = $1 and e.id > $2)) \
         order by e.organisation_id, e.id limit $3",
        SELECT.replacen("select ", "select e.organisation_id, ", 1)
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).bind(limit).fetch_all(p).await?),
    )
}
