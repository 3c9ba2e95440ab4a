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
    /// `Query::groups`: a document matches when its terms hold one term of every group.
    pub groups: Vec<Vec<String>>,
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
                    // OFFSET keeps PostgreSQL from turning the probe into a hash of every
                    // placement of the organisation (built in full before the first row).
                    $qb.push(") limit 1 offset 0)");
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

/// Appends the full-text condition tested on each document's own terms (no term index): every
/// group has one of its terms among the space-separated terms. The terms are ASCII letters and
/// digits (`parcours_domain::search::terms`), so LIKE needs no escaping and means the same on both
/// engines.
macro_rules! push_terms_contain {
    ($qb:ident, $groups:expr) => {{
        for group in $groups {
            $qb.push(" and (1 = 0");
            for t in group {
                $qb.push(" or ' ' || d.terms || ' ' like ")
                    .push_bind(format!("% {t} %"));
            }
            $qb.push(")");
        }
    }};
}

/// The documents matching the query that the reader may read, newest first.
///
/// Two plans, chosen here rather than left to the engines (whose estimates cannot see how many
/// matches a reader may read): a reader of a few persons (`Persons::These`) starts from those
/// persons' documents and tests the terms on each, a cost bounded by their number of documents
/// whatever the words; a wider reader walks the matches newest first and stops at the limit, which
/// ends quickly because most matches are theirs (FTS5 walks its index in that order; PostgreSQL
/// goes window by window, see [`search_pg_windows`]).
pub async fn search(db: &Db, f: &Filter) -> Result<Vec<Hit>> {
    if !f.care && !f.medical_all && f.medical_of.is_empty() && f.notes.is_none() {
        return Ok(Vec::new());
    }
    if matches!(&f.persons, Persons::These(v) if v.is_empty()) {
        return Ok(Vec::new());
    }
    if let Persons::These(_) = &f.persons {
        return Ok(fetch_all_built!(db, qb => {
            qb.push(format!("{COLS} from search_doc d where 1 = 1"));
            push_terms_contain!(qb, &f.groups);
            if let Some(b) = f.before {
                qb.push(" and d.seq < ").push_bind(b);
            }
            push_rules!(qb, f);
            qb.push(" order by d.seq desc limit ").push_bind(f.limit);
        }));
    }
    Ok(match db {
        Db::Sqlite(p) => {
            // CROSS JOIN fixes the order: walk the matches newest first and stop at the limit.
            // Left to itself, SQLite may start from the reader's persons and test the full-text
            // query document by document, which takes seconds on millions.
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
                "{COLS} from search_fts f cross join search_doc d on d.seq = f.rowid \
                 where search_fts match "
            ));
            qb.push_bind(f.fts5.clone());
            if let Some(b) = f.before {
                qb.push(" and f.rowid < ").push_bind(b);
            }
            push_rules!(qb, f);
            qb.push(" order by f.rowid desc limit ").push_bind(f.limit);
            qb.build_query_as().fetch_all(p).await?
        }
        Db::Postgres(p) => search_pg_windows(p, f).await?,
    })
}

/// The columns of a [`Hit`].
const COLS: &str = "select d.seq, d.kind, d.doc_id, d.usager_id, d.scope, d.written_at";

/// Documents in the first window of the PostgreSQL search (then 4, 16, 64… times as many).
const FIRST_WINDOW_DOCS: f64 = 2_000.0;

/// Windows of at most this many documents are walked testing each document's terms; larger ones
/// use the term index.
const WALK_WINDOW_DOCS: f64 = 10_000.0;

/// The wide search on PostgreSQL, newest window of time first. A GIN index returns its matches in
/// no useful order, so the planner either walks the documents newest first testing each (quick
/// for a common word, endless for a rare one) or takes every match and sorts them (quick for a
/// rare word, long for a common one), and it chooses from estimates that go wrong as soon as the
/// words of a query tend to appear together. So the search asks window after window, each four
/// times as long as the one before, the first ones holding about [`FIRST_WINDOW_DOCS`] documents
/// (from the table's size and time span): those are walked, testing each document's terms, which
/// finds any word that is not rare; the later ones use the term index, with the planner's choice
/// bounded by the window. Each window is planned with its own values (`force_custom_plan`): a
/// generic plan would know neither the words nor the window.
async fn search_pg_windows(p: &sqlx::PgPool, f: &Filter) -> Result<Vec<Hit>> {
    let mut c = p.begin().await?;
    sqlx::query("set local plan_cache_mode = force_custom_plan")
        .execute(&mut *c)
        .await?;
    let (oldest, newest, docs): (Option<i64>, Option<i64>, f32) = sqlx::query_as(
        "select min(seq), max(seq), (select reltuples from pg_class \
         where oid = 'search_doc'::regclass) from search_doc where seq < $1",
    )
    .bind(f.before.unwrap_or(i64::MAX))
    .fetch_one(&mut *c)
    .await?;
    let (Some(oldest), Some(newest)) = (oldest, newest) else {
        return Ok(Vec::new());
    };
    // Documents per microsecond, on average (`reltuples` is -1 before the first statistics).
    let per_micro = f64::from(docs.max(1.0)) / ((newest - oldest).max(1) as f64);
    let mut hits: Vec<Hit> = Vec::new();
    let mut hi = newest.saturating_add(1);
    let mut window_docs = FIRST_WINDOW_DOCS;
    while hits.len() < f.limit as usize && hi > oldest {
        let span = (window_docs / per_micro).clamp(1.0, i64::MAX as f64) as i64;
        let lo = hi.saturating_sub(span).max(oldest);
        let mut qb = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
            "{COLS} from search_doc d where d.seq >= "
        ));
        qb.push_bind(lo).push(" and d.seq < ").push_bind(hi);
        if window_docs <= WALK_WINDOW_DOCS {
            push_terms_contain!(qb, &f.groups);
        } else {
            qb.push(" and array_to_tsvector(string_to_array(d.terms, ' ')) @@ ")
                .push_bind(f.tsquery.clone())
                .push("::tsquery");
        }
        push_rules!(qb, f);
        qb.push(" order by d.seq desc limit ")
            .push_bind(f.limit - hits.len() as i64);
        let found: Vec<Hit> = qb.build_query_as().fetch_all(&mut *c).await?;
        hits.extend(found);
        hi = lo;
        window_docs *= 4.0;
    }
    c.commit().await?;
    Ok(hits)
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
