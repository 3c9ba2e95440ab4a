//! The audit trail: append-only (the database refuses UPDATE and DELETE) and hash-chained per
//! organisation, so that removing, reordering or editing an event is detected by `verify`.
//!
//! Appending takes the organisation's `audit_head` row with an `update … returning`: the row lock
//! (PostgreSQL) or the write lock (SQLite, `BEGIN IMMEDIATE`) orders appends without advisory locks.

use sha2::{Digest, Sha256};
use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, Tx};

/// The `prev_hash` of the first event of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub at: i64,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub usager_id: Option<Uuid>,
    pub target: String,
    pub ip: String,
    /// JSON object with the why and the what (reason, changed fields…). Never free text from a note.
    pub detail: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EventRow {
    pub organisation_id: Uuid,
    pub seq: i64,
    pub id: Uuid,
    pub at: i64,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub usager_id: Option<Uuid>,
    pub target: String,
    pub ip: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

const EVENT_COLS: &str = "organisation_id, seq, id, at, actor_id, actor_label, action, usager_id, target, ip, detail, prev_hash, hash";

/// The hash of an event: SHA-256 over the previous hash and every field, each length-prefixed so
/// that no two different events can serialise to the same bytes.
pub fn event_hash(prev_hash: &str, seq: i64, e: &NewEvent) -> String {
    let mut h = Sha256::new();
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let fields = [
        prev_hash.to_string(),
        e.organisation_id.to_string(),
        seq.to_string(),
        e.id.to_string(),
        e.at.to_string(),
        opt(e.actor_id),
        e.actor_label.clone(),
        e.action.clone(),
        opt(e.usager_id),
        e.target.clone(),
        e.ip.clone(),
        e.detail.clone(),
    ];
    for f in &fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends an event to its organisation's chain, inside the caller's transaction.
pub async fn append(tx: &mut Tx, e: &NewEvent) -> Result<i64> {
    let seq = on_tx!(tx, c => {
        let (seq, prev): (i64, String) = sqlx::query_as(
            "update audit_head set seq = seq + 1 where organisation_id = $1 returning seq, hash")
            .bind(e.organisation_id).fetch_one(&mut *c).await?;
        let hash = event_hash(&prev, seq, e);
        sqlx::query(
            "insert into audit_event (organisation_id, seq, id, at, actor_id, actor_label, action, usager_id, target, \
             ip, detail, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
            .bind(e.organisation_id).bind(seq).bind(e.id).bind(e.at).bind(e.actor_id).bind(&e.actor_label)
            .bind(&e.action).bind(e.usager_id).bind(&e.target).bind(&e.ip).bind(&e.detail).bind(&prev).bind(&hash)
            .execute(&mut *c).await?;
        sqlx::query("update audit_head set hash = $2 where organisation_id = $1")
            .bind(e.organisation_id).bind(&hash).execute(&mut *c).await?;
        seq
    });
    Ok(seq)
}

/// A person's events, newest first, before `before_seq` when paging.
pub async fn for_usager(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<EventRow>> {
    let sql = format!(
        "select {EVENT_COLS} from audit_event where organisation_id = $1 and usager_id = $2 and seq < $3 \
         order by seq desc limit $4"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(before_seq.unwrap_or(i64::MAX)).bind(limit).fetch_all(p).await?),
    )
}

/// Events of an organisation after `after_seq`, oldest first (for verification and export).
pub async fn page(db: &Db, org: Uuid, after_seq: i64, limit: i64) -> Result<Vec<EventRow>> {
    let sql = format!(
        "select {EVENT_COLS} from audit_event where organisation_id = $1 and seq > $2 order by seq limit $3"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(after_seq).bind(limit).fetch_all(p).await?),
    )
}

/// Where a chain stops being trustworthy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// Checks one organisation's chain from its first event: sequence without gaps, each `prev_hash`
/// equal to the previous `hash`, each `hash` recomputed from the fields, and the head matching the
/// last event. Returns the number of events checked, or the first broken link.
pub async fn verify(db: &Db, org: Uuid) -> Result<std::result::Result<i64, BrokenLink>> {
    let mut expected_seq = 1;
    let mut prev = GENESIS_HASH.to_string();
    loop {
        let rows = page(db, org, expected_seq - 1, 2000).await?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            if r.seq != expected_seq {
                return Ok(Err(BrokenLink {
                    seq: expected_seq,
                    reason: format!("event {expected_seq} is missing"),
                }));
            }
            if r.prev_hash != prev {
                return Ok(Err(BrokenLink {
                    seq: r.seq,
                    reason: "prev_hash does not match the previous event".into(),
                }));
            }
            let e = NewEvent {
                organisation_id: r.organisation_id,
                id: r.id,
                at: r.at,
                actor_id: r.actor_id,
                actor_label: r.actor_label.clone(),
                action: r.action.clone(),
                usager_id: r.usager_id,
                target: r.target.clone(),
                ip: r.ip.clone(),
                detail: r.detail.clone(),
            };
            if event_hash(&prev, r.seq, &e) != r.hash {
                return Ok(Err(BrokenLink {
                    seq: r.seq,
                    reason: "content does not match its hash".into(),
                }));
            }
            prev = r.hash;
            expected_seq += 1;
        }
    }
    let head: (i64, String) = on_pool!(db, p => sqlx::query_as(
        "select seq, hash from audit_head where organisation_id = $1").bind(org).fetch_one(p).await?);
    let checked = expected_seq - 1;
    if head.0 != checked {
        return Ok(Err(BrokenLink {
            seq: checked + 1,
            reason: format!("the head says {} events but {} were found", head.0, checked),
        }));
    }
    if head.1 != prev {
        return Ok(Err(BrokenLink {
            seq: checked,
            reason: "the head hash does not match the last event".into(),
        }));
    }
    Ok(Ok(checked))
}
