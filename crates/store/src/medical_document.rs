//! Medical documents: a head row per document (`medical_document`: person, current version,
//! withdrawal), every version of its metadata (`medical_document_version`, append-only) and the
//! files (`medical_document_content`, append-only). Lists read the metadata and the size, type and
//! hash of the files, never their bytes; the bytes are read one file at a time, for a download.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

/// A file to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContent {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub usager_id: Uuid,
    pub media_type: String,
    pub sha256: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    pub created_at: i64,
    pub created_by: Uuid,
}

/// The metadata of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub doc_type: String,
    pub title: String,
    pub document_date: String,
    pub content_id: Uuid,
}

/// A document with its current version and the description of its current file.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: Uuid,
    pub usager_id: Uuid,
    pub version: i64,
    pub created_at: i64,
    pub created_by: Uuid,
    pub updated_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<Uuid>,
    pub withdraw_reason: Option<String>,
    pub doc_type: String,
    pub title: String,
    pub document_date: String,
    pub content_id: Uuid,
    pub reason: Option<String>,
    pub updated_by: Uuid,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub filename: String,
}

/// One version of a document, with the description of its file.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct VersionRow {
    pub version: i64,
    pub doc_type: String,
    pub title: String,
    pub document_date: String,
    pub content_id: Uuid,
    pub reason: Option<String>,
    pub written_at: i64,
    pub written_by: Uuid,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub filename: String,
}

/// A file with its bytes.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ContentRow {
    pub id: Uuid,
    pub usager_id: Uuid,
    pub media_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

const SELECT: &str = "select d.id, d.usager_id, d.version, d.created_at, d.created_by, d.updated_at, \
     d.withdrawn_at, d.withdrawn_by, d.withdraw_reason, v.doc_type, v.title, v.document_date, v.content_id, \
     v.reason, v.written_by as updated_by, c.media_type, c.size_bytes, c.sha256, c.filename \
     from medical_document d \
     join medical_document_version v on v.organisation_id = d.organisation_id and v.document_id = d.id \
     and v.version = d.version \
     join medical_document_content c on c.organisation_id = v.organisation_id and c.id = v.content_id";

pub async fn insert_content(tx: &mut Tx, c: &NewContent) -> Result<()> {
    let size = i64::try_from(c.bytes.len()).unwrap_or(i64::MAX);
    on_tx!(tx, conn => sqlx::query(
        "insert into medical_document_content (organisation_id, id, usager_id, media_type, size_bytes, \
         sha256, filename, bytes, created_at, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(c.organisation_id).bind(c.id).bind(c.usager_id).bind(&c.media_type).bind(size)
        .bind(&c.sha256).bind(&c.filename).bind(&c.bytes).bind(c.created_at).bind(c.created_by)
        .execute(&mut *conn).await?.rows_affected());
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    version: i64,
    m: &Meta,
    reason: Option<&str>,
    at: i64,
    by: Uuid,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into medical_document_version (organisation_id, document_id, version, doc_type, title, \
         document_date, content_id, reason, written_at, written_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(org).bind(id).bind(version).bind(&m.doc_type).bind(&m.title).bind(&m.document_date)
        .bind(m.content_id).bind(reason).bind(at).bind(by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// A new document and its first version (its file inserted before).
pub async fn insert(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    usager: Uuid,
    meta: &Meta,
    at: i64,
    by: Uuid,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into medical_document (organisation_id, id, usager_id, version, created_at, created_by, \
         updated_at, withdrawn_at, withdrawn_by, withdraw_reason) values ($1, $2, $3, 1, $4, $5, $4, null, null, null)")
        .bind(org).bind(id).bind(usager).bind(at).bind(by)
        .execute(&mut *c).await?.rows_affected());
    insert_version(tx, org, id, 1, meta, None, at, by).await
}

/// Writes version `expected + 1`, if the current one is still `expected` and the document is not
/// withdrawn (else `Conflict`).
#[allow(clippy::too_many_arguments)]
pub async fn new_version(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    expected: i64,
    meta: &Meta,
    reason: Option<&str>,
    at: i64,
    by: Uuid,
) -> Result<i64> {
    let changed = on_tx!(tx, c => sqlx::query(
        "update medical_document set version = version + 1, updated_at = $1 \
         where organisation_id = $2 and id = $3 and version = $4 and withdrawn_at is null")
        .bind(at).bind(org).bind(id).bind(expected)
        .execute(&mut *c).await?.rows_affected());
    if changed != 1 {
        return Err(StoreError::Conflict { expected });
    }
    insert_version(tx, org, id, expected + 1, meta, reason, at, by).await?;
    Ok(expected + 1)
}

/// Withdraws a document that is not withdrawn yet; false if it already was.
pub async fn withdraw(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    at: i64,
    by: Uuid,
    reason: &str,
) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "update medical_document set withdrawn_at = $3, withdrawn_by = $4, withdraw_reason = $5, updated_at = $3 \
         where organisation_id = $1 and id = $2 and withdrawn_at is null")
        .bind(org).bind(id).bind(at).bind(by).bind(reason)
        .execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}

/// A person's documents (withdrawn ones included), newest first; no bytes.
pub async fn list(db: &Db, org: Uuid, usager: Uuid) -> Result<Vec<DocumentRow>> {
    let sql = format!(
        "{SELECT} where d.organisation_id = $1 and d.usager_id = $2 \
         order by v.document_date desc, d.created_at desc, d.id desc"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).fetch_all(p).await?),
    )
}

/// One document with its current version; no bytes.
pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<Option<DocumentRow>> {
    let sql = format!("{SELECT} where d.organisation_id = $1 and d.id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_optional(p).await?),
    )
}

/// Every version of a document, oldest first; no bytes.
pub async fn versions(db: &Db, org: Uuid, id: Uuid) -> Result<Vec<VersionRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select v.version, v.doc_type, v.title, v.document_date, v.content_id, v.reason, v.written_at, \
         v.written_by, c.media_type, c.size_bytes, c.sha256, c.filename \
         from medical_document_version v join medical_document_content c \
         on c.organisation_id = v.organisation_id and c.id = v.content_id \
         where v.organisation_id = $1 and v.document_id = $2 order by v.version")
        .bind(org).bind(id).fetch_all(p).await?))
}

/// The file of one version of a document, with its bytes.
pub async fn content_of(db: &Db, org: Uuid, id: Uuid, version: i64) -> Result<Option<ContentRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select c.id, c.usager_id, c.media_type, c.sha256, c.bytes \
         from medical_document_version v join medical_document_content c \
         on c.organisation_id = v.organisation_id and c.id = v.content_id \
         where v.organisation_id = $1 and v.document_id = $2 and v.version = $3")
        .bind(org).bind(id).bind(version).fetch_optional(p).await?))
}
