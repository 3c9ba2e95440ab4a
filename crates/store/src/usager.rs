//! Persons (usagers): current identity row, every previous version, placements, search tokens.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

/// The identity of a person as stored. Text columns hold the canonical forms produced by the domain
/// newtypes, so reading a row back through `Identity::parse` cannot fail on valid data.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UsagerRow {
    pub organisation_id: Uuid,
    pub id: Uuid,
    pub version: i64,
    pub birth_name: String,
    pub birth_first_name: String,
    pub birth_first_names: String,
    pub used_name: Option<String>,
    pub used_first_name: Option<String>,
    pub sex: String,
    pub birth_date: String,
    pub birth_place: String,
    pub ins_matricule: Option<String>,
    pub ins_oid: Option<String>,
    pub ins_from_insi: bool,
    pub identity_status: String,
    pub validation_mode: Option<String>,
    pub validation_date: Option<String>,
    pub attr_douteuse: bool,
    pub attr_fictive: bool,
    pub attr_homonyme: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// Folded display name, for a stable alphabetical order.
    pub sort_key: String,
    /// Folded birth name + first birth first name + birth date: the possible-duplicate key.
    pub duplicate_key: String,
    pub created_at: i64,
    pub created_by: Uuid,
    pub updated_at: i64,
    pub updated_by: Uuid,
}

/// What a list or a search shows of a person.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct UsagerSummary {
    pub id: Uuid,
    pub birth_name: String,
    pub birth_first_name: String,
    pub used_name: Option<String>,
    pub used_first_name: Option<String>,
    pub sex: String,
    pub birth_date: String,
    pub identity_status: String,
    pub sort_key: String,
}

impl UsagerSummary {
    /// The name lists show: used name (else birth name) and used first name (else the first birth
    /// first name), as stored.
    pub fn list_name(&self) -> String {
        format!(
            "{} {}",
            self.used_name.as_deref().unwrap_or(&self.birth_name),
            self.used_first_name
                .as_deref()
                .unwrap_or(&self.birth_first_name)
        )
    }
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct PlacementRow {
    pub usager_id: Uuid,
    pub etablissement_id: Uuid,
    pub unite_id: Option<Uuid>,
    pub local_id: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub change_kind: String,
    pub snapshot: String,
    pub reason: Option<String>,
    pub changed_at: i64,
    pub changed_by: Uuid,
}

/// Which persons a professional may see: those placed in one of these establishments (whole) or units.
#[derive(Debug, Clone, Default)]
pub struct ScopeFilter {
    pub etablissements: Vec<Uuid>,
    pub unites: Vec<Uuid>,
}

impl ScopeFilter {
    pub fn is_empty(&self) -> bool {
        self.etablissements.is_empty() && self.unites.is_empty()
    }
}

/// A search already analysed by the caller: folded name prefixes, an exact birth date, an INS prefix.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub name_prefixes: Vec<String>,
    pub birth_date: Option<String>,
    pub ins_prefix: Option<String>,
}

const USAGER_COLS: &str = "organisation_id, id, version, birth_name, birth_first_name, birth_first_names, used_name, \
    used_first_name, sex, birth_date, birth_place, ins_matricule, ins_oid, ins_from_insi, identity_status, \
    validation_mode, validation_date, attr_douteuse, attr_fictive, attr_homonyme, phone, email, address, \
    postal_code, city, sort_key, duplicate_key, created_at, created_by, updated_at, updated_by";

const SUMMARY_COLS: &str = "u.id, u.birth_name, u.birth_first_name, u.used_name, u.used_first_name, u.sex, \
    u.birth_date, u.identity_status, u.sort_key";

pub async fn insert(tx: &mut Tx, r: &UsagerRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into usager (organisation_id, id, version, birth_name, birth_first_name, birth_first_names, \
         used_name, used_first_name, sex, birth_date, birth_place, ins_matricule, ins_oid, ins_from_insi, \
         identity_status, validation_mode, validation_date, attr_douteuse, attr_fictive, attr_homonyme, phone, email, \
         address, postal_code, city, sort_key, duplicate_key, created_at, created_by, updated_at, updated_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
         $23, $24, $25, $26, $27, $28, $29, $30, $31)")
        .bind(r.organisation_id).bind(r.id).bind(r.version).bind(&r.birth_name).bind(&r.birth_first_name)
        .bind(&r.birth_first_names).bind(&r.used_name).bind(&r.used_first_name).bind(&r.sex).bind(&r.birth_date)
        .bind(&r.birth_place).bind(&r.ins_matricule).bind(&r.ins_oid).bind(r.ins_from_insi)
        .bind(&r.identity_status).bind(&r.validation_mode).bind(&r.validation_date).bind(r.attr_douteuse)
        .bind(r.attr_fictive).bind(r.attr_homonyme).bind(&r.phone).bind(&r.email).bind(&r.address)
        .bind(&r.postal_code).bind(&r.city).bind(&r.sort_key).bind(&r.duplicate_key).bind(r.created_at)
        .bind(r.created_by).bind(r.updated_at).bind(r.updated_by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Writes `r` as version `r.version`, only if the stored row is still at `r.version - 1`: the
/// optimistic check that turns a concurrent edit into a conflict instead of a silent overwrite.
pub async fn update(tx: &mut Tx, r: &UsagerRow) -> Result<()> {
    let expected = r.version - 1;
    let done = on_tx!(tx, c => sqlx::query(
        "update usager set version = $3, birth_name = $4, birth_first_name = $5, birth_first_names = $6, \
         used_name = $7, used_first_name = $8, sex = $9, birth_date = $10, birth_place = $11, ins_matricule = $12, \
         ins_oid = $13, ins_from_insi = $14, identity_status = $15, validation_mode = $16, validation_date = $17, \
         attr_douteuse = $18, attr_fictive = $19, attr_homonyme = $20, phone = $21, email = $22, address = $23, \
         postal_code = $24, city = $25, sort_key = $26, duplicate_key = $27, updated_at = $28, updated_by = $29 \
         where organisation_id = $1 and id = $2 and version = $30")
        .bind(r.organisation_id).bind(r.id).bind(r.version).bind(&r.birth_name).bind(&r.birth_first_name)
        .bind(&r.birth_first_names).bind(&r.used_name).bind(&r.used_first_name).bind(&r.sex).bind(&r.birth_date)
        .bind(&r.birth_place).bind(&r.ins_matricule).bind(&r.ins_oid).bind(r.ins_from_insi)
        .bind(&r.identity_status).bind(&r.validation_mode).bind(&r.validation_date).bind(r.attr_douteuse)
        .bind(r.attr_fictive).bind(r.attr_homonyme).bind(&r.phone).bind(&r.email).bind(&r.address)
        .bind(&r.postal_code).bind(&r.city).bind(&r.sort_key).bind(&r.duplicate_key).bind(r.updated_at)
        .bind(r.updated_by).bind(expected)
        .execute(&mut *c).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::Conflict { expected });
    }
    Ok(())
}

/// Keeps a full snapshot of each version: corrections never lose what was written before.
pub async fn insert_version(
    tx: &mut Tx,
    r: &UsagerRow,
    kind: &str,
    reason: Option<&str>,
) -> Result<()> {
    let snapshot = serde_json::to_string(r).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    on_tx!(tx, c => sqlx::query(
        "insert into usager_version (organisation_id, usager_id, version, change_kind, snapshot, reason, changed_at, \
         changed_by) values ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(r.organisation_id).bind(r.id).bind(r.version).bind(kind).bind(snapshot).bind(reason)
        .bind(r.updated_at).bind(r.updated_by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<UsagerRow> {
    let sql = format!("select {USAGER_COLS} from usager where organisation_id = $1 and id = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_one(p).await?),
    )
}

pub async fn versions(db: &Db, org: Uuid, id: Uuid) -> Result<Vec<VersionRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select version, change_kind, snapshot, reason, changed_at, changed_by from usager_version \
         where organisation_id = $1 and usager_id = $2 order by version desc")
        .bind(org).bind(id).fetch_all(p).await?))
}

pub async fn insert_placement(tx: &mut Tx, org: Uuid, p: &PlacementRow, now: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into usager_placement (organisation_id, usager_id, etablissement_id, unite_id, local_id, created_at) \
         values ($1, $2, $3, $4, $5, $6)")
        .bind(org).bind(p.usager_id).bind(p.etablissement_id).bind(p.unite_id).bind(&p.local_id).bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub async fn placements(db: &Db, org: Uuid, usager: Uuid) -> Result<Vec<PlacementRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select usager_id, etablissement_id, unite_id, local_id from usager_placement \
         where organisation_id = $1 and usager_id = $2 order by etablissement_id")
        .bind(org).bind(usager).fetch_all(p).await?))
}

/// Where these persons are followed, for the gate, as (person, establishment, unit): their
/// placements, plus the establishment and unit of every planned or current séjour (a DITEP internat
/// and its SESSAD both see the person).
pub async fn access_placements(
    db: &Db,
    org: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid, Option<Uuid>)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(400) {
        let rows: Vec<(Uuid, Uuid, Option<Uuid>)> = fetch_all_built!(db, qb => {
            for (i, table) in ["usager_placement", "sejour"].iter().enumerate() {
                if i > 0 {
                    qb.push(" union ");
                }
                qb.push(format!(
                    "select usager_id, etablissement_id, unite_id from {table} where organisation_id = "
                ));
                qb.push_bind(org);
                if *table == "sejour" {
                    qb.push(" and status in ('prevu', 'en_cours')");
                }
                qb.push(" and usager_id in (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
            }
        });
        out.extend(rows);
    }
    Ok(out)
}

/// Summaries of the given persons (no scope filter: the caller already decided access).
pub async fn summaries(db: &Db, org: Uuid, ids: &[Uuid]) -> Result<Vec<UsagerSummary>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<UsagerSummary> = fetch_all_built!(db, qb => {
            qb.push(format!("select {SUMMARY_COLS} from usager u where u.organisation_id = "));
            qb.push_bind(org);
            qb.push(" and u.id in (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
        });
        out.extend(rows);
    }
    Ok(out)
}

/// Stores the folded name tokens that search matches by prefix (with the person's sort key).
pub async fn insert_tokens(
    tx: &mut Tx,
    org: Uuid,
    usager: Uuid,
    tokens: &[String],
    sort_key: &str,
) -> Result<()> {
    on_tx!(tx, c => {
        for t in tokens {
            sqlx::query("insert into usager_search_token (organisation_id, token, usager_id, sort_key) values ($1, $2, $3, $4) \
                         on conflict (organisation_id, token, usager_id) do nothing")
                .bind(org).bind(t).bind(usager).bind(sort_key).execute(&mut *c).await?;
        }
    });
    Ok(())
}

/// Replaces a person's tokens after an identity change.
pub async fn replace_tokens(
    tx: &mut Tx,
    org: Uuid,
    usager: Uuid,
    tokens: &[String],
    sort_key: &str,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("delete from usager_search_token where organisation_id = $1 and usager_id = $2")
        .bind(org).bind(usager).execute(&mut *c).await?.rows_affected());
    insert_tokens(tx, org, usager, tokens, sort_key).await
}

pub async fn find_by_duplicate_key(db: &Db, org: Uuid, key: &str) -> Result<Vec<UsagerSummary>> {
    let sql = format!(
        "select {SUMMARY_COLS} from usager u where u.organisation_id = $1 and u.duplicate_key = $2 \
         order by u.sort_key, u.id limit 20"
    );
    Ok(
        on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(key).fetch_all(p).await?),
    )
}

/// How many tokens start with `prefix`, counted up to `COUNT_CAP` (an index-only range scan).
const COUNT_CAP: i64 = 3_000;

async fn count_token_range(db: &Db, org: Uuid, prefix: &str, upper: &str) -> Result<i64> {
    Ok(on_pool!(db, p => sqlx::query_scalar(
        "select count(*) from (select 1 from usager_search_token where organisation_id = $1 and token >= $2 \
         and token < $3 limit $4) x")
        .bind(org).bind(prefix).bind(upper).bind(COUNT_CAP).fetch_one(p).await?))
}

/// Pushes ` and (exists placement in scope or exists open séjour in scope)` for the person `u`.
macro_rules! push_scope {
    ($qb:ident, $scope:expr) => {{
        $qb.push(" and (");
        for (i, (table, extra)) in [
            ("usager_placement", ""),
            ("sejour", " and pl.status in ('prevu', 'en_cours')"),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                $qb.push(" or ");
            }
            $qb.push(format!(
                "exists (select 1 from {table} pl where pl.organisation_id = u.organisation_id \
                 and pl.usager_id = u.id{extra} and ("
            ));
            let mut first = true;
            if !$scope.etablissements.is_empty() {
                $qb.push("pl.etablissement_id in (");
                let mut sep = $qb.separated(", ");
                for e in &$scope.etablissements {
                    sep.push_bind(*e);
                }
                $qb.push(")");
                first = false;
            }
            if !$scope.unites.is_empty() {
                if !first {
                    $qb.push(" or ");
                }
                $qb.push("pl.unite_id in (");
                let mut sep = $qb.separated(", ");
                for u in &$scope.unites {
                    sep.push_bind(*u);
                }
                $qb.push(")");
            }
            $qb.push("))");
        }
        $qb.push(")");
    }};
}

/// Candidates read per round of a name search.
const CANDIDATES: i64 = 200;

/// The next candidates of a name search, in alphabetical order, from the token indexes alone (no
/// table row is read): the driving prefix's range on `(organisation_id, token, sort_key, usager_id)`;
/// each other prefix either intersected as a range of its own (when it is not too common: two sorted
/// index ranges merge cheaply) or probed per candidate on `(organisation_id, usager_id, token)`.
async fn token_candidates(
    db: &Db,
    org: Uuid,
    driver: (&str, &str),
    intersect: &[(&str, &str)],
    probe: &[(&str, &str)],
    after: Option<(&str, Uuid)>,
) -> Result<Vec<(String, Uuid)>> {
    let (key, id) = after.unwrap_or(("", Uuid::nil()));
    macro_rules! build {
        ($qb:ident) => {{
            macro_rules! range {
                ($alias:literal, $range:expr) => {{
                    $qb.push(concat!("select ", $alias, ".sort_key, ", $alias, ".usager_id from usager_search_token ", $alias,
                                     " where ", $alias, ".organisation_id = "));
                    $qb.push_bind(org);
                    $qb.push(concat!(" and ", $alias, ".token >= "));
                    $qb.push_bind($range.0);
                    $qb.push(concat!(" and ", $alias, ".token < "));
                    $qb.push_bind($range.1);
                    $qb.push(concat!(" and (", $alias, ".sort_key > "));
                    $qb.push_bind(key);
                    $qb.push(concat!(" or (", $alias, ".sort_key = "));
                    $qb.push_bind(key);
                    $qb.push(concat!(" and ", $alias, ".usager_id > "));
                    $qb.push_bind(id);
                    $qb.push("))");
                }};
            }
            range!("t", driver);
            for (prefix, upper) in probe {
                $qb.push(" and exists (select 1 from usager_search_token o where o.organisation_id = t.organisation_id \
                          and o.usager_id = t.usager_id and o.token >= ");
                $qb.push_bind(*prefix);
                $qb.push(" and o.token < ");
                $qb.push_bind(*upper);
                $qb.push(")");
            }
            for other in intersect {
                $qb.push(" intersect ");
                range!("i", other);
            }
            $qb.push(" order by 1, 2 limit ");
            $qb.push_bind(CANDIDATES);
        }};
    }
    Ok(fetch_all_built!(db, qb => build!(qb)))
}

/// The candidates that are in scope, by primary key (no ORDER BY: the caller keeps the candidates'
/// order, so no engine is tempted to walk the alphabetical index instead).
async fn in_scope(
    db: &Db,
    org: Uuid,
    scope: &ScopeFilter,
    ids: &[Uuid],
) -> Result<Vec<UsagerSummary>> {
    macro_rules! build {
        ($qb:ident) => {{
            $qb.push(format!(
                "select {SUMMARY_COLS} from usager u where u.organisation_id = "
            ));
            $qb.push_bind(org);
            $qb.push(" and u.id in (");
            let mut sep = $qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            $qb.push(")");
            push_scope!($qb, scope);
        }};
    }
    Ok(fetch_all_built!(db, qb => build!(qb)))
}

/// The upper bound of a prefix range: every string starting with `prefix` sorts below it in byte order
/// (SQLite BINARY, PostgreSQL "C" collation), so `token >= prefix and token < upper` uses the index.
fn prefix_upper(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// Persons in scope matching every part of the query, in alphabetical order, after the keyset
/// `(sort_key, id)` when given. An empty scope matches nothing.
///
/// The plan is chosen here rather than left to each engine's statistics, so it is the same on
/// SQLite and PostgreSQL: a birth date or an INS drives through its own index; otherwise the longest
/// name prefix is read in alphabetical order from the token index, by rounds of `CANDIDATES`, and
/// each round is filtered (other prefixes, scope) until `limit` persons are found.
pub async fn search(
    db: &Db,
    org: Uuid,
    scope: &ScopeFilter,
    q: &SearchQuery,
    after: Option<(&str, Uuid)>,
    limit: i64,
) -> Result<Vec<UsagerSummary>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let uppers: Vec<String> = q.name_prefixes.iter().map(|p| prefix_upper(p)).collect();
    let driven = q.birth_date.is_none() && q.ins_prefix.is_none() && !q.name_prefixes.is_empty();
    if !driven {
        return filtered(db, org, scope, q, &uppers, after, limit).await;
    }
    // The driving word: the longest (a longer prefix matches fewer names), the rarest on a tie.
    // Every other word is counted (up to `COUNT_CAP`): a rare one is intersected, a common one probed.
    let mut counts = Vec::with_capacity(q.name_prefixes.len());
    for (prefix, upper) in q.name_prefixes.iter().zip(&uppers) {
        counts.push(if q.name_prefixes.len() > 1 {
            count_token_range(db, org, prefix, upper).await?
        } else {
            0
        });
    }
    let longest = q
        .name_prefixes
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(0);
    let rarest = (0..q.name_prefixes.len())
        .filter(|i| q.name_prefixes[*i].chars().count() == longest)
        .min_by_key(|i| counts[*i])
        .unwrap_or(0);
    let mut intersect: Vec<(&str, &str)> = Vec::new();
    let mut probe: Vec<(&str, &str)> = Vec::new();
    for (i, (prefix, upper)) in q.name_prefixes.iter().zip(&uppers).enumerate() {
        if i != rarest {
            let range = (prefix.as_str(), upper.as_str());
            if counts[i] < COUNT_CAP {
                intersect.push(range)
            } else {
                probe.push(range)
            }
        }
    }
    let mut found: Vec<UsagerSummary> = Vec::new();
    let mut cursor: Option<(String, Uuid)> = after.map(|(k, id)| (k.to_string(), id));
    loop {
        let candidates = token_candidates(
            db,
            org,
            (&q.name_prefixes[rarest], &uppers[rarest]),
            &intersect,
            &probe,
            cursor.as_ref().map(|(k, id)| (k.as_str(), *id)),
        )
        .await?;
        let Some(last) = candidates.last().cloned() else {
            break;
        };
        let mut ids: Vec<Uuid> = candidates.iter().map(|(_, id)| *id).collect();
        ids.dedup();
        let rows = in_scope(db, org, scope, &ids).await?;
        for id in ids {
            if let Some(r) = rows.iter().find(|r| r.id == id)
                && !found.iter().any(|f| f.id == id)
            {
                found.push(r.clone());
            }
        }
        if found.len() as i64 >= limit || (candidates.len() as i64) < CANDIDATES {
            break;
        }
        cursor = Some(last);
    }
    found.truncate(limit as usize);
    Ok(found)
}

/// One filtering statement: every prefix as an `exists` on the token index, the birth date, the
/// INS, the scope; alphabetical, after a keyset.
async fn filtered(
    db: &Db,
    org: Uuid,
    scope: &ScopeFilter,
    q: &SearchQuery,
    uppers: &[String],
    after: Option<(&str, Uuid)>,
    limit: i64,
) -> Result<Vec<UsagerSummary>> {
    let ins_upper = q.ins_prefix.as_deref().map(prefix_upper);
    // The statement is assembled from fixed fragments only; every value is a bound parameter.
    macro_rules! build {
        ($qb:ident) => {{
            $qb.push(format!("select {SUMMARY_COLS} from usager u where u.organisation_id = "));
            $qb.push_bind(org);
            for (prefix, upper) in q.name_prefixes.iter().zip(uppers) {
                $qb.push(" and exists (select 1 from usager_search_token t where t.organisation_id = u.organisation_id \
                          and t.usager_id = u.id and t.token >= ");
                $qb.push_bind(prefix.as_str());
                $qb.push(" and t.token < ");
                $qb.push_bind(upper.as_str());
                $qb.push(")");
            }
            if let Some(d) = &q.birth_date {
                $qb.push(" and u.birth_date = ");
                $qb.push_bind(d.as_str());
            }
            if let (Some(p), Some(upper)) = (&q.ins_prefix, &ins_upper) {
                $qb.push(" and u.ins_matricule >= ");
                $qb.push_bind(p.as_str());
                $qb.push(" and u.ins_matricule < ");
                $qb.push_bind(upper.as_str());
            }
            push_scope!($qb, scope);
            if let Some((key, id)) = after {
                $qb.push(" and (u.sort_key > ");
                $qb.push_bind(key);
                $qb.push(" or (u.sort_key = ");
                $qb.push_bind(key);
                $qb.push(" and u.id > ");
                $qb.push_bind(id);
                $qb.push("))");
            }
            $qb.push(" order by u.sort_key, u.id limit ");
            $qb.push_bind(limit);
        }};
    }
    Ok(fetch_all_built!(db, qb => build!(qb)))
}

pub async fn count(db: &Db, org: Uuid) -> Result<i64> {
    Ok(
        on_pool!(db, p => sqlx::query_scalar("select count(*) from usager where organisation_id = $1")
        .bind(org).fetch_one(p).await?),
    )
}
