//! Versioned records of a person's file (admission, séjours, contracts, decisions, entourage,
//! protection, partners): one row per record with its current version, and every version kept as a
//! JSON snapshot in `record_version`. The `record!` macro writes each table's statements once, from
//! its column list, so the Rust struct, the SQL and both backends cannot drift apart.

use sqlx::FromRow;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx};

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

macro_rules! record {
    ($(#[$m:meta])* $name:ident, $table:literal, $kind:literal { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, FromRow, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            pub organisation_id: Uuid,
            pub id: Uuid,
            $(pub $field: $ty,)*
            pub version: i64,
            pub created_at: i64,
            pub created_by: Uuid,
            pub updated_at: i64,
            pub updated_by: Uuid,
        }

        impl $name {
            /// The table, and the kind stored in `record_version`.
            pub const TABLE: &'static str = $table;
            pub const KIND: &'static str = $kind;
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// The column list, in struct order.
            pub fn column_list() -> String {
                Self::cols()
            }

            fn cols() -> String {
                let mut c = vec!["organisation_id", "id"];
                c.extend_from_slice(Self::FIELDS);
                c.extend_from_slice(&["version", "created_at", "created_by", "updated_at", "updated_by"]);
                c.join(", ")
            }

            /// Inserts the record (version 1 expected) and its first snapshot.
            pub async fn insert(&self, tx: &mut Tx, usager: Option<Uuid>, reason: Option<&str>) -> Result<()> {
                let n = Self::FIELDS.len() + 7;
                let sql = format!("insert into {} ({}) values ({})", $table, Self::cols(), placeholders(1, n));
                on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(self.organisation_id).bind(self.id)
                    $(.bind(&self.$field))*
                    .bind(self.version).bind(self.created_at).bind(self.created_by)
                    .bind(self.updated_at).bind(self.updated_by)
                    .execute(&mut *c).await?.rows_affected());
                save_version(tx, self.organisation_id, $kind, self.id, self.version, usager, &snapshot(self)?, reason,
                    self.updated_at, self.updated_by).await
            }

            /// Replaces the record by `self` (whose `version` is the new one) if the stored version is
            /// still `self.version - 1`; keeps the new snapshot.
            pub async fn update(&self, tx: &mut Tx, usager: Option<Uuid>, reason: Option<&str>) -> Result<()> {
                let sets: Vec<String> = Self::FIELDS.iter().enumerate()
                    .map(|(i, f)| format!("{f} = ${}", i + 3)).collect();
                let k = Self::FIELDS.len() + 3;
                let sql = format!(
                    "update {} set {}, version = ${}, updated_at = ${}, updated_by = ${} \
                     where organisation_id = $1 and id = $2 and version = ${}",
                    $table, sets.join(", "), k, k + 1, k + 2, k + 3);
                let done = on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(self.organisation_id).bind(self.id)
                    $(.bind(&self.$field))*
                    .bind(self.version).bind(self.updated_at).bind(self.updated_by).bind(self.version - 1)
                    .execute(&mut *c).await?.rows_affected());
                if done == 0 {
                    return Err(StoreError::Conflict { expected: self.version - 1 });
                }
                save_version(tx, self.organisation_id, $kind, self.id, self.version, usager, &snapshot(self)?, reason,
                    self.updated_at, self.updated_by).await
            }

            pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<Self> {
                let sql = format!("select {} from {} where organisation_id = $1 and id = $2", Self::cols(), $table);
                Ok(on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(org).bind(id).fetch_one(p).await?))
            }

            /// Reads the record inside a transaction (to check and change it atomically).
            pub async fn get_in(tx: &mut Tx, org: Uuid, id: Uuid) -> Result<Self> {
                let sql = format!("select {} from {} where organisation_id = $1 and id = $2", Self::cols(), $table);
                Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(org).bind(id).fetch_one(&mut *c).await?))
            }

            /// Every record whose `column` (a column name written in code) equals `value`, ordered
            /// by `order` (also written in code).
            pub async fn list_by(db: &Db, org: Uuid, column: &'static str, value: Uuid, order: &'static str)
                -> Result<Vec<Self>> {
                let sql = format!("select {} from {} where organisation_id = $1 and {column} = $2 order by {order}",
                    Self::cols(), $table);
                Ok(on_pool!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(org).bind(value).fetch_all(p).await?))
            }

            /// Same as [`Self::list_by`], inside a transaction.
            pub async fn list_by_in(tx: &mut Tx, org: Uuid, column: &'static str, value: Uuid, order: &'static str)
                -> Result<Vec<Self>> {
                let sql = format!("select {} from {} where organisation_id = $1 and {column} = $2 order by {order}",
                    Self::cols(), $table);
                Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(org).bind(value).fetch_all(&mut *c).await?))
            }

            /// Records of the organisation matching a fixed condition written in code (with `$1` the
            /// organisation and `$2`… the binds given), ordered and limited.
            pub async fn select_where(db: &Db, org: Uuid, condition: &'static str, binds: &[Bind<'_>],
                order: &'static str, limit: i64) -> Result<Vec<Self>> {
                let sql = format!("select {} from {} where organisation_id = $1 and ({condition}) order by {order} limit {limit}",
                    Self::cols(), $table);
                Ok(on_pool!(db, p => {
                    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org);
                    for b in binds {
                        q = match b {
                            Bind::Id(u) => q.bind(*u),
                            Bind::Text(t) => q.bind(*t),
                        };
                    }
                    q.fetch_all(p).await?
                }))
            }
        }
    };
}

/// A value bound into a `select_where` condition.
#[derive(Debug, Clone, Copy)]
pub enum Bind<'a> {
    Id(Uuid),
    Text(&'a str),
}

fn snapshot<T: serde::Serialize>(row: &T) -> Result<String> {
    serde_json::to_string(row).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[allow(clippy::too_many_arguments)]
async fn save_version(
    tx: &mut Tx,
    org: Uuid,
    kind: &str,
    id: Uuid,
    version: i64,
    usager: Option<Uuid>,
    snapshot: &str,
    reason: Option<&str>,
    at: i64,
    by: Uuid,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into record_version (organisation_id, kind, record_id, version, usager_id, snapshot, reason, \
         changed_at, changed_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(org).bind(kind).bind(id).bind(version).bind(usager).bind(snapshot).bind(reason).bind(at).bind(by)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// One stored version of a record.
#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub kind: String,
    pub record_id: Uuid,
    pub version: i64,
    pub snapshot: String,
    pub reason: Option<String>,
    pub changed_at: i64,
    pub changed_by: Uuid,
}

/// Every version of one record, oldest first.
pub async fn versions(db: &Db, org: Uuid, kind: &str, id: Uuid) -> Result<Vec<VersionRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select kind, record_id, version, snapshot, reason, changed_at, changed_by from record_version \
         where organisation_id = $1 and kind = $2 and record_id = $3 order by version")
        .bind(org).bind(kind).bind(id).fetch_all(p).await?))
}

/// The latest changes of a person's records, newest first.
pub async fn versions_of_usager(
    db: &Db,
    org: Uuid,
    usager: Uuid,
    limit: i64,
) -> Result<Vec<VersionRow>> {
    Ok(on_pool!(db, p => sqlx::query_as(
        "select kind, record_id, version, snapshot, reason, changed_at, changed_by from record_version \
         where organisation_id = $1 and usager_id = $2 order by changed_at desc, version desc limit $3")
        .bind(org).bind(usager).bind(limit).fetch_all(p).await?))
}

record!(
    /// A request for admission, on an establishment's waiting list.
    AdmissionRequestRow, "admission_request", "demande" {
        usager_id: Uuid,
        etablissement_id: Uuid,
        modalite: String,
        origin: String,
        received_on: String,
        priority: i64,
        status: String,
        expectations: Option<String>,
        documents: Option<String>,
        notes: Option<String>,
        status_reason: Option<String>,
        sejour_id: Option<Uuid>,
    }
);

record!(
    /// A stay in one establishment (and unit) with one modality.
    SejourRow, "sejour", "sejour" {
        usager_id: Uuid,
        etablissement_id: Uuid,
        unite_id: Option<Uuid>,
        modalite: String,
        request_id: Option<Uuid>,
        previous_id: Option<Uuid>,
        planned_entry: String,
        entry_date: Option<String>,
        planned_exit: Option<String>,
        exit_date: Option<String>,
        entry_mode: Option<String>,
        exit_mode: Option<String>,
        exit_destination: Option<String>,
        status: String,
        over_capacity: bool,
    }
);

record!(
    /// A contrat de séjour, DIPC or avenant.
    ContratRow, "contrat", "contrat" {
        usager_id: Uuid,
        sejour_id: Uuid,
        kind: String,
        parent_id: Option<Uuid>,
        object: Option<String>,
        handed_on: Option<String>,
        signed_on: Option<String>,
        signatories: Option<String>,
        document_ref: Option<String>,
    }
);

record!(
    /// An orientation decision of the CDAPH.
    DecisionRow, "orientation_decision", "decision" {
        usager_id: Uuid,
        decision_type: String,
        category_code: String,
        modalite: Option<String>,
        decided_on: Option<String>,
        start_date: String,
        end_date: Option<String>,
        decision_number: Option<String>,
        viatrajectoire_id: Option<String>,
        creton: bool,
        mdph: Option<String>,
        notes: Option<String>,
    }
);

record!(
    /// A member of the person's entourage.
    ProcheRow, "proche", "proche" {
        usager_id: Uuid,
        relation: String,
        last_name: String,
        first_name: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        address: Option<String>,
        aidant: bool,
        personne_confiance: bool,
        personne_a_prevenir: bool,
        autorite_parentale: bool,
        partenaire_id: Option<Uuid>,
        notes: Option<String>,
        active: bool,
    }
);

record!(
    /// A legal protection measure and the member of the entourage in charge.
    MesureRow, "protection_measure", "mesure" {
        usager_id: Uuid,
        kind: String,
        start_date: String,
        end_date: Option<String>,
        representative_id: Uuid,
        judgment_ref: Option<String>,
        court: Option<String>,
    }
);

record!(
    /// An outside organisation or professional, or a territorial resource.
    PartenaireRow, "partenaire", "partenaire" {
        kind: String,
        name: String,
        rpps: Option<String>,
        finess: Option<String>,
        address: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        notes: Option<String>,
        search_key: String,
        active: bool,
    }
);

record!(
    /// A partner's role for one person.
    LienPartenaireRow, "usager_partenaire", "lien_partenaire" {
        usager_id: Uuid,
        partenaire_id: Uuid,
        role: String,
        start_date: Option<String>,
        end_date: Option<String>,
        notes: Option<String>,
    }
);

record!(
    /// An evaluation: needs against SERAFIN-PH, or AGGIR (adverbs in `content`, result computed).
    EvaluationRow, "evaluation", "evaluation" {
        usager_id: Uuid,
        etablissement_id: Option<Uuid>,
        kind: String,
        evaluated_on: String,
        evaluator_id: Uuid,
        context: Option<String>,
        content: String,
        letters: Option<String>,
        rang: Option<i64>,
        gir: Option<i64>,
        status: String,
        status_reason: Option<String>,
    }
);

record!(
    /// One version of a projet personnalisé (an avenant is a new row).
    ProjetRow, "projet", "projet" {
        usager_id: Uuid,
        etablissement_id: Uuid,
        kind: String,
        number: i64,
        previous_id: Option<Uuid>,
        status: String,
        started_on: Option<String>,
        ended_on: Option<String>,
        content: String,
        content_version: i64,
    }
);

record!(
    /// A bilan of a projet personnalisé.
    BilanRow, "projet_bilan", "bilan" {
        usager_id: Uuid,
        projet_id: Uuid,
        bilan_date: String,
        content: String,
        synthese: String,
        next_bilan_on: String,
        author_id: Uuid,
    }
);

// The medical file (medical secret). Their versions are saved without `usager_id`, so that the
// person's record history (readable by every role) never lists them; the medical page reads each
// entry's versions by its id.

record!(
    /// An allergy or intolerance.
    MedicalAllergyRow, "medical_allergy", "medical_allergie" {
        usager_id: Uuid,
        substance: String,
        reaction: Option<String>,
        severity: String,
        kind: String,
        status: String,
        noted_on: Option<String>,
        resolved_on: Option<String>,
    }
);

record!(
    /// An antécédent, with its optional CIM-10 code.
    MedicalAntecedentRow, "medical_antecedent", "medical_antecedent" {
        usager_id: Uuid,
        cim10: Option<String>,
        texte: String,
        since_on: Option<String>,
    }
);

record!(
    /// A vaccination.
    MedicalVaccinationRow, "medical_vaccination", "medical_vaccination" {
        usager_id: Uuid,
        vaccine: String,
        given_on: String,
        lot: Option<String>,
        dose: Option<String>,
    }
);

record!(
    /// The summary of current treatments (one per person).
    MedicalTreatmentRow, "medical_treatment", "medical_traitement" {
        usager_id: Uuid,
        texte: String,
    }
);

record!(
    /// A medical observation or consultation.
    MedicalObservationRow, "medical_observation", "medical_observation" {
        usager_id: Uuid,
        observed_on: String,
        kind: String,
        author_id: Uuid,
        texte: String,
    }
);
