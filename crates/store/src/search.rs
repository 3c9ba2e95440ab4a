//! The full-text index of transmissions and professional notes (`search_doc`, see migration 0012).
//!
//! The writers of a document call [`index`] in the transaction that writes it (or corrects it), and
//! [`remove`] when it is withdrawn, so the index never disagrees with the records. [`search`] reads
//! it with every access rule of the reader already in the SQL: what the reader may not read is never
//! fetched, so it can be neither listed nor counted.

use sqlx::FromRow;
use uuid::Uuid;

use crate::ecrit::Reader;
use crate::{Db, Result, Tx};

/// A document to index.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    pub organisation_id: Uuid,
    /// `transmission` or `ecrit`.
    pub kind: &'static str,
    pub doc_id: Uuid,
    pub usager_id: Uuid,
    /// A transmission's category, or a note's visibility.
    pub scope: String,
    /// The profession of a note's author (notes only).
    pub profession: Option<String>,
    pub written_by: Uuid,
    pub written_at: i64,
    /// Space-separated index terms (`parcours_domain::search::terms_line`).
    pub terms: String,
}

/// How many microseconds a document may be moved to find a free `seq` before giving up.
const SEQ_TRIES: i64 = 10_000;

/// Indexes a document, or re-indexes it after a correction (its place in time does not change).
pub async fn index(tx: &mut Tx, d: &SearchDoc) -> Result<()> {
    let updated = on_tx!(tx, c => sqlx::query(
        "update search_doc set usager_id = $4, scope = $5, profession = $6, terms = $7 \
         where organisation_id = $1 and kind = $2 and doc_id = $3")
        .bind(d.organisation_id).bind(d.kind).bind(d.doc_id).bind(d.usager_id).bind(&d.scope)
        .bind(&d.profession).bind(&d.terms)
        .execute(&mut *c).await?.rows_affected());
    if updated > 0 {
        return Ok(());
    }
    for shift in 0..SEQ_TRIES {
        let seq = d.written_at + shift;
        let inserted = on_tx!(tx, c => sqlx::query(
            "insert into search_doc (organisation_id, seq, kind, doc_id, usager_id, scope, profession, \
             written_by, written_at, terms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             on conflict (seq) do nothing")
            .bind(d.organisation_id).bind(seq).bind(d.kind).bind(d.doc_id).bind(d.usager_id)
            .bind(&d.scope).bind(&d.profession).bind(d.written_by).bind(d.written_at).bind(&d.terms)
            .execute(&mut *c).await?.rows_affected());
        if inserted > 0 {
            return Ok(());
        }
    }
    Err(crate::StoreError::Corrupt(format!(
        "no free search position near {}",
        d.written_at
    )))
}

/// Takes a withdrawn document out of the index.
pub async fn remove(tx: &mut Tx, org: Uuid, kind: &str, doc_id: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "delete from search_doc where organisation_id = $1 and kind = $2 and doc_id = $3")
        .bind(org).bind(kind).bind(doc_id).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Which persons the reader may read the care record of.
#[derive(Debug, Clone, PartialEq)]
pub enum Persons {
    /// These persons only (one person's page, or a list the caller computed).
    These(Vec<Uuid>),
    /// Everyone followed (placement or current séjour) in these establishments or units.
    In {
        etablissements: Vec<Uuid>,
        unites: Vec<Uuid>,
    },
}

/// A search, with the reader's rights.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub organisation_id: Uuid,
    /// `Query::fts5()`.
    pub fts5: String,
    /// `Query::tsquery()`.
    pub tsquery: String,
    pub persons: Persons,
    /// Transmissions of the soins, éducatif and social categories.
    pub care: bool,
    /// Medical transmissions of every person in scope.
    pub medical_all: bool,
    /// Medical transmissions of these persons (delegation, break-the-glass).
    pub medical_of: Vec<Uuid>,
    /// Professional notes, with the reader as their visibility rule needs them (`None`: no notes).
    pub notes: Option<Reader>,
    /// Only documents older than this `seq` (the next page).
    pub before: Option<i64>,
    pub limit: i64,
}

/// A document found.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct Hit {
    pub seq: i64,
    pub kind: String,
    pub doc_id: Uuid,
    pub usager_id: Uuid,
    pub scope: String,
    pub written_at: i64,
}

/// Appends the reader's rules (organisation, persons, categories, note visibility) to a search
/// statement; a macro so that the same text serves both engines' query builders.
macro_rules! push_rules {
    ($qb:ident, $f:expr) => {{
        let f = $f;
        $qb.push(" and d.organisation_id = ")
            .push_bind(f.organisation_id);
        match &f.persons {
            Persons::These(ids) => {
                $qb.push(" and d.usager_id in (");
                let mut sep = $qb.separated(", ");
                for id in ids {
                    sep.push_bind(*id);
                }
                $qb.push(")");
            }
            Persons::In {
                etablissements,
                unites,
            } => {
                // A correlated EXISTS per candidate (an index probe), not IN over the union: with
                // `order by seq desc limit`, engines otherwise compare each candidate with the
                // whole materialised list of persons.
                $qb.push(" and (");
                for (i, table) in ["usager_placement", "sejour"].iter().enumerate() {
                    if i > 0 {
                        $qb.push(" or ");
                    }
                    $qb.push(format!(
                        "exists (select 1 from {table} x where x.organisation_id = d.organisation_id \
                         and x.usager_id = d.usager_id"
                    ));
                    if *table == "sejour" {
                        $qb.push(" and x.status in ('prevu', 'en_cours')");
                    }
                    $qb.push(" and (1 = 0");
                    for e in etablissements {
                        $qb.push(" or x.etablissement_id = ").push_bind(*e);
                    }
                    for u in unites {
                        $qb.push(" or x.unite_id = ").push_bind(*u);
                    }
                    $qb.push("))");
                }
                $qb.push(")");
            }
        }
        // Each kind of document with its own rule; a reader with none of them got no query at all.
        $qb.push(" and ((d.kind = 'transmission' and (1 = 0");
        if f.care {
            $qb.push(" or d.scope <> 'medical'");
        }
        if f.medical_all {
            $qb.push(" or d.scope = 'medical'");
        } else if !f.medical_of.is_empty() {
            $qb.push(" or (d.scope = 'medical' and d.usager_id in (");
            let mut sep = $qb.separated(", ");
            for id in &f.medical_of {
                sep.push_bind(*id);
            }
            $qb.push("))");
        }
        $qb.push("))");
        // The visibility of notes, as `domain::ecrit::may_read` decides it.
        if let Some(n) = &f.notes {
            $qb.push(" or (d.kind = 'ecrit' and (d.written_by = ")
                .push_bind(n.user)
                .push(" or d.scope = 'equipe'")
                .push(" or (d.scope in ('profession', 'encadrement') and d.profession = ")
                .push_bind(n.profession.clone())
                .push(")");
            if n.encadrement {
                $qb.push(" or d.scope = 'encadrement'");
            }
            $qb.push("))");
        }
        $qb.push(")");
    }};
}

/// The documents matching the query that the reader may read, newest first.
pub async fn search(db: &Db, f: &Filter) -> Result<Vec<Hit>> {
    if !f.care && !f.medical_all && f.medical_of.is_empty() && f.notes.is_none() {
        return Ok(Vec::new());
    }
    if matches!(&f.persons, Persons::These(v) if v.is_empty()) {
        return Ok(Vec::new());
    }
    Ok(match db {
        Db::Sqlite(p) => {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "select d.seq, d.kind, d.doc_id, d.usager_id, d.scope, d.written_at \
                 from search_fts f join search_doc d on d.seq = f.rowid where search_fts match ",
            );
            qb.push_bind(f.fts5.clone());
            if let Some(b) = f.before {
                qb.push(" and f.rowid < ").push_bind(b);
            }
            push_rules!(qb, f);
            qb.push(" order by f.rowid desc limit ").push_bind(f.limit);
            qb.build_query_as().fetch_all(p).await?
        }
        Db::Postgres(p) => {
            let mut qb = sqlx::QueryBuilder::<sqlx::Postgres>::new(
                "select d.seq, d.kind, d.doc_id, d.usager_id, d.scope, d.written_at from search_doc d \
                 where array_to_tsvector(string_to_array(d.terms, ' ')) @@ ",
            );
            qb.push_bind(f.tsquery.clone()).push("::tsquery");
            if let Some(b) = f.before {
                qb.push(" and d.seq < ").push_bind(b);
            }
            push_rules!(qb, f);
            qb.push(" order by d.seq desc limit ").push_bind(f.limit);
            qb.build_query_as().fetch_all(p).await?
        }
    })
}

/// The persons followed (placement or current séjour) in these establishments or units, at most
/// `limit`: a reader who follows few persons is searched with their list, which lets the engines
/// start from each person's documents rather than from every document holding the words.
pub async fn persons_in(
    db: &Db,
    org: Uuid,
    etablissements: &[Uuid],
    unites: &[Uuid],
    limit: i64,
) -> Result<Vec<Uuid>> {
    if etablissements.is_empty() && unites.is_empty() {
        return Ok(Vec::new());
    }
    Ok(fetch_all_built!(db, qb => {
        qb.push("select usager_id from (");
        for (i, table) in ["usager_placement", "sejour"].iter().enumerate() {
            if i > 0 {
                qb.push(" union ");
            }
            qb.push(format!("select usager_id from {table} where organisation_id = "));
            qb.push_bind(org);
            if *table == "sejour" {
                qb.push(" and status in ('prevu', 'en_cours')");
            }
            qb.push(" and (1 = 0");
            for e in etablissements {
                qb.push(" or etablissement_id = ").push_bind(*e);
            }
            for u in unites {
                qb.push(" or unite_id = ").push_bind(*u);
            }
            qb.push(")");
        }
        qb.push(") p limit ").push_bind(limit);
    })
    .into_iter()
    .map(|(id,): (Uuid,)| id)
    .collect())
}

/// Indexes many documents at once, each at `seq = written_at` (the synthetic-data generator, whose
/// writing times are distinct; the use cases go through [`index`]).
pub async fn bulk_index(tx: &mut Tx, docs: &[SearchDoc]) -> Result<()> {
    for chunk in docs.chunks(1000) {
        on_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new(
                "insert into search_doc (organisation_id, seq, kind, doc_id, usager_id, scope, \
                 profession, written_by, written_at, terms) ");
            qb.push_values(chunk, |mut b, d| {
                b.push_bind(d.organisation_id).push_bind(d.written_at).push_bind(d.kind)
                    .push_bind(d.doc_id).push_bind(d.usager_id).push_bind(&d.scope)
                    .push_bind(&d.profession).push_bind(d.written_by).push_bind(d.written_at)
                    .push_bind(&d.terms);
            });
            qb.build().execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// PostgreSQL only: drops the term index before a bulk load, to build it once afterwards with
/// [`bulk_load_end`] (an index built at once is several times faster than one grown row by row).
pub async fn bulk_load_start(db: &Db) -> Result<()> {
    if let Db::Postgres(p) = db {
        sqlx::query("drop index if exists search_doc_terms_ix")
            .execute(p)
            .await?;
    }
    Ok(())
}

/// PostgreSQL only: builds the term index again after a bulk load (same definition as migration
/// 0012).
pub async fn bulk_load_end(db: &Db) -> Result<()> {
    if let Db::Postgres(p) = db {
        let mut c = p.acquire().await?;
        sqlx::query("set maintenance_work_mem = '1GB'")
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "create index if not exists search_doc_terms_ix on search_doc \
             using gin (array_to_tsvector(string_to_array(terms, ' ')))",
        )
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}
