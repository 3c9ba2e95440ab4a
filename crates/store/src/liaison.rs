//! The cahier de liaison: a head row per message (destination, current version, removal), every
//! version of its content in `liaison_message_version` (append-only), read receipts in
//! `liaison_lecture`, follow-up items in `liaison_suivi` with every change of their state in
//! `liaison_suivi_etat` (append-only). Lists are read newest first; the notebook's list is filtered
//! by the reader's workplaces in SQL, so what is out of scope is never read.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

/// A new message (its first version).
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub organisation_id: Uuid,
    pub id: Uuid,
    /// `unite`, `equipe` or `usager`.
    pub destination: String,
    pub etablissement_id: Option<Uuid>,
    pub unite_id: Option<Uuid>,
    pub equipe: Option<String>,
    pub usager_id: Option<Uuid>,
    pub content: Content,
    pub at: i64,
    pub by: Uuid,
}

/// The content of one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub subject: String,
    pub body: String,
    pub important: bool,
}

/// A message with its current version.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct MessageRow {
    pub id: Uuid,
    pub destination: String,
    pub etablissement_id: Option<Uuid>,
    pub unite_id: Option<Uuid>,
    pub equipe: Option<String>,
    pub usager_id: Option<Uuid>,
    pub important: bool,
    pub version: i64,
    pub written_at: i64,
    pub written_by: Uuid,
    pub updated_at: i64,
    pub updated_by: Uuid,
    pub subject: String,
    pub body: String,
    pub reason: Option<String>,
    pub removed_at: Option<i64>,
    pub removed_by: Option<Uuid>,
    pub removed_reason: Option<String>,
}

/// One version of a message's content.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct VersionRow {
    pub version: i64,
    pub subject: String,
    pub body: String,
    pub important: bool,
    pub reason: Option<String>,
    pub written_at: i64,
    pub written_by: Uuid,
}

/// A follow-up item with its current state.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct SuiviRow {
    pub id: Uuid,
    pub message_id: Uuid,
    pub texte: String,
    /// `YYYY-MM-DD`.
    pub echeance: Option<String>,
    pub assigne_id: Option<Uuid>,
    pub done: bool,
    pub state_seq: i64,
    pub created_at: i64,
    pub created_by: Uuid,
}

/// One change of a follow-up item's state.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct SuiviEventRow {
    pub suivi_id: Uuid,
    pub seq: i64,
    pub done: bool,
    pub changed_at: i64,
    pub changed_by: Uuid,
}

/// Which messages a reader's workplaces open, for [`list`]. Empty lists match nothing.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// Units the reader is assigned to (their messages).
    pub unites: Vec<Uuid>,
    /// Establishments the reader is assigned to as a whole (the messages of all their units).
    pub whole_etablissements: Vec<Uuid>,
    /// Establishments the reader works in, wholly or in a unit (their teams' messages)…
    pub team_etablissements: Vec<Uuid>,
    /// …for these teams.
    pub equipes: Vec<String>,
    /// Whether to include messages about persons placed or followed in the reader's scope (the
    /// caller still asks the gate for each person).
    pub persons: bool,
    /// The reader (their own messages are always candidates).
    pub me: Uuid,
}

const SELECT: &str = "select m.id, m.destination, m.etablissement_id, m.unite_id, m.equipe, \
     m.usager_id, m.important, m.version, m.written_at, m.written_by, m.updated_at, \
     v.written_by as updated_by, v.subject, v.body, v.reason, m.removed_at, m.removed_by, \
     m.removed_reason from liaison_message m join liaison_message_version v \
     on v.organisation_id = m.organisation_id and v.message_id = m.id and v.version = m.version";

const SUIVI_COLS: &str = "id, message_id, texte, echeance, assigne_id, done, state_seq, \
     created_at, created_by";

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
        "insert into liaison_message_version (organisation_id, message_id, version, subject, body, \
         important, reason, written_at, written_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(org).bind(id).bind(version).bind(&c.subject).bind(&c.body).bind(c.important)
        .bind(reason).bind(at).bind(by)
        .execute(&mut *c_).await?.rows_affected());
    Ok(())
}

pub async fn insert(tx: &mut Tx, m: &NewMessage) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into liaison_message (organisation_id, id, destination, etablissement_id, unite_id, \
         equipe, usager_id, important, version, written_at, written_by, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9)")
        .bind(m.organisation_id).bind(m.id).bind(&m.destination).bind(m.etablissement_id)
        .bind(m.unite_id).bind(&m.equipe).bind(m.usager_id).bind(m.content.important)
        .bind(m.at).bind(m.by)
        .execute(&mut *c).await?.rows_affected());
    insert_version(tx, m.organisation_id, m.id, 1, &m.content, None, m.at, m.by).await
}

/// Writes version `expected + 1` if the current one is still `expected` and the message is not
/// removed (else `Conflict`).
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
        "update liaison_message set version = version + 1, important = $1, updated_at = $2 \
         where organisation_id = $3 and id = $4 and version = $5 and removed_at is null")
        .bind(content.important).bind(at).bind(org).bind(id).bind(expected)
        .execute(&mut *c).await?.rows_affected());
    if changed != 1 {
        return Err(StoreError::Conflict { expected });
    }
    insert_version(tx, org, id, expected + 1, content, Some(reason), at, by).await?;
    Ok(expected + 1)
}

/// Removes a message (once: a second removal is a `Conflict`).
pub async fn remove(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    reason: &str,
    at: i64,
    by: Uuid,
) -> Result<()> {
    let changed = on_tx!(tx, c => sqlx::query(
        "update liaison_message set removed_at = $1, removed_by = $2, removed_reason = $3 \
         where organisation_id = $4 and id = $5 and removed_at is null")
        .bind(at).bind(by).bind(reason).bind(org).bind(id)
        .execute(&mut *c).await?.rows_affected());
    if changed != 1 {
        return Err(StoreError::Conflict { expected: 0 });
    }
    Ok(())
}

pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<MessageRow> {
    let sql = format!("{SELECT} where m.organisation_id = $1 and m.id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_one(p).await?),
    )
}

/// Every version of a message, oldest first.
pub async fn versions(db: &Db, org: Uuid, id: Uuid) -> Result<Vec<VersionRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select version, subject, body, important, reason, written_at, written_by \
         from liaison_message_version where organisation_id = $1 and message_id = $2 order by version")
        .bind(org).bind(id).fetch_all(p).await?))
}

/// The messages about a person that are not removed, newest first (at most `limit`).
pub async fn for_usager(db: &Db, org: Uuid, usager: Uuid, limit: i64) -> Result<Vec<MessageRow>> {
    let sql = format!(
        "{SELECT} where m.organisation_id = $1 and m.usager_id = $2 and m.removed_at is null \
         order by m.written_at desc, m.id desc limit $3"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(usager).bind(limit).fetch_all(p).await?),
    )
}

/// The messages a reader's workplaces open (see [`Reach`]), not removed, newest first (at most
/// `limit`). Person messages are candidates only: the caller asks the gate for each person.
pub async fn list(db: &Db, org: Uuid, reach: &Reach, limit: i64) -> Result<Vec<MessageRow>> {
    macro_rules! ids_in {
        ($qb:ident, $col:literal, $ids:expr) => {{
            if $ids.is_empty() {
                $qb.push("1 = 0");
            } else {
                $qb.push(concat!($col, " in ("));
                let mut sep = $qb.separated(", ");
                for id in $ids.iter() {
                    sep.push_bind(id.clone());
                }
                $qb.push(")");
            }
        }};
    }
    Ok(fetch_all_built!(db, qb => {
        qb.push(format!("{SELECT} where m.organisation_id = "));
        qb.push_bind(org);
        qb.push(" and m.removed_at is null and ((m.destination = 'unite' and (");
        ids_in!(qb, "m.unite_id", reach.unites);
        qb.push(" or ");
        ids_in!(qb, "m.etablissement_id", reach.whole_etablissements);
        qb.push(")) or (m.destination = 'equipe' and ");
        ids_in!(qb, "m.etablissement_id", reach.team_etablissements);
        qb.push(" and ");
        ids_in!(qb, "m.equipe", reach.equipes);
        qb.push(")");
        if reach.persons {
            for (table, extra) in [
                ("usager_placement", ""),
                ("sejour", " and pl.status in ('prevu', 'en_cours')"),
            ] {
                qb.push(format!(
                    " or (m.destination = 'usager' and exists (select 1 from {table} pl \
                     where pl.organisation_id = m.organisation_id and pl.usager_id = m.usager_id{extra} and ("
                ));
                ids_in!(qb, "pl.unite_id", reach.unites);
                qb.push(" or ");
                ids_in!(qb, "pl.etablissement_id", reach.whole_etablissements);
                qb.push(")))");
            }
        }
        qb.push(" or m.written_by = ");
        qb.push_bind(reach.me);
        qb.push(") order by m.written_at desc, m.id desc limit ");
        qb.push_bind(limit);
    }))
}

/// A new follow-up item (à faire).
#[derive(Debug, Clone, PartialEq)]
pub struct NewSuivi {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub message_id: Uuid,
    pub texte: String,
    pub echeance: Option<String>,
    pub assigne_id: Option<Uuid>,
    pub at: i64,
    pub by: Uuid,
}

pub async fn insert_suivi(tx: &mut Tx, s: &NewSuivi) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into liaison_suivi (organisation_id, id, message_id, texte, echeance, assigne_id, \
         done, state_seq, created_at, created_by) values ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)")
        .bind(s.organisation_id).bind(s.id).bind(s.message_id).bind(&s.texte).bind(&s.echeance)
        .bind(s.assigne_id).bind(false).bind(s.at).bind(s.by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn get_suivi(db: &Db, org: Uuid, id: Uuid) -> Result<SuiviRow> {
    let sql =
        format!("select {SUIVI_COLS} from liaison_suivi where organisation_id = $1 and id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(org).bind(id).fetch_one(p).await?),
    )
}

/// The follow-up items of the given messages, in the order they were written.
pub async fn suivis(db: &Db, org: Uuid, messages: &[Uuid]) -> Result<Vec<SuiviRow>> {
    let mut out = Vec::new();
    for chunk in messages.chunks(500) {
        let rows: Vec<SuiviRow> = fetch_all_built!(db, qb => {
            qb.push(format!("select {SUIVI_COLS} from liaison_suivi where organisation_id = "));
            qb.push_bind(org);
            qb.push(" and message_id in (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(") order by created_at, id");
        });
        out.extend(rows);
    }
    Ok(out)
}

/// Every state change of the given follow-up items, oldest first.
pub async fn suivi_events(db: &Db, org: Uuid, suivis: &[Uuid]) -> Result<Vec<SuiviEventRow>> {
    let mut out = Vec::new();
    for chunk in suivis.chunks(500) {
        let rows: Vec<SuiviEventRow> = fetch_all_built!(db, qb => {
            qb.push("select suivi_id, seq, done, changed_at, changed_by from liaison_suivi_etat \
                     where organisation_id = ");
            qb.push_bind(org);
            qb.push(" and suivi_id in (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(") order by changed_at, seq");
        });
        out.extend(rows);
    }
    Ok(out)
}

/// Sets a follow-up item's state with a new event `expected + 1`, if its latest event is still
/// `expected` (else `Conflict`).
pub async fn set_suivi(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    expected: i64,
    done: bool,
    at: i64,
    by: Uuid,
) -> Result<()> {
    let changed = on_tx!(tx, c => sqlx::query(
        "update liaison_suivi set done = $1, state_seq = state_seq + 1 \
         where organisation_id = $2 and id = $3 and state_seq = $4")
        .bind(done).bind(org).bind(id).bind(expected)
        .execute(&mut *c).await?.rows_affected());
    if changed != 1 {
        return Err(StoreError::Conflict { expected });
    }
    on_tx!(tx, c => sqlx::query(
        "insert into liaison_suivi_etat (organisation_id, suivi_id, seq, done, changed_at, changed_by) \
         values ($1, $2, $3, $4, $5, $6)")
        .bind(org).bind(id).bind(expected + 1).bind(done).bind(at).bind(by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}
