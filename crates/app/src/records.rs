//! The history of a person's administrative records (requests, séjours, contracts, decisions,
//! entourage, protection measures, partner links): every version is kept in `record_version` by the
//! store; this shows, newest first, what changed, when, by whom and why.

use parcours_domain::authz::Action;
use parcours_domain::ids::UsagerId;
use parcours_store::records as store;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::audit::AuditAction;
use crate::usager::micros_to_ts;
use crate::{App, AppError, AppResult, Ctx};

/// Bookkeeping columns, not shown as changes.
const BOOKKEEPING: &[&str] = &[
    "organisation_id",
    "usager_id",
    "id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "search_key",
];

/// What professionals read for a stored column name.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("status", "statut"),
    ("status_reason", "motif"),
    ("priority", "priorité"),
    ("modalite", "modalité"),
    ("unite_id", "unité"),
    ("etablissement_id", "établissement"),
    ("planned_entry", "entrée prévue"),
    ("entry_date", "date d'entrée"),
    ("planned_exit", "sortie prévue"),
    ("exit_date", "date de sortie"),
    ("entry_mode", "mode d'entrée"),
    ("exit_mode", "mode de sortie"),
    ("exit_destination", "destination"),
    ("signed_on", "date de signature"),
    ("handed_on", "date de remise"),
    ("signatories", "signataires"),
    ("document_ref", "document"),
    ("start_date", "début"),
    ("end_date", "fin"),
    ("decision_number", "numéro de décision"),
    ("creton", "amendement Creton"),
    ("relation", "lien"),
    ("last_name", "nom"),
    ("first_name", "prénom"),
    ("phone", "téléphone"),
    ("email", "courriel"),
    ("address", "adresse"),
    ("personne_confiance", "personne de confiance"),
    ("personne_a_prevenir", "personne à prévenir"),
    ("autorite_parentale", "autorité parentale"),
    ("representative_id", "représentant"),
    ("active", "actif"),
    ("role", "rôle"),
    ("notes", "observations"),
    ("content", "contenu"),
    ("kind", "type"),
    ("number", "numéro d'avenant"),
    ("started_on", "début de mise en œuvre"),
    ("ended_on", "fin"),
    ("synthese", "synthèse"),
    ("next_bilan_on", "prochain bilan"),
    ("evaluated_on", "date d'évaluation"),
];

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "demande" => "Demande d'admission",
        "sejour" => "Séjour",
        "contrat" => "Contrat de séjour / DIPC",
        "decision" => "Décision d'orientation",
        "proche" => "Entourage",
        "mesure" => "Mesure de protection",
        "lien_partenaire" => "Partenaire de l'usager",
        "projet" => "Projet personnalisé",
        "bilan" => "Bilan de projet personnalisé",
        "evaluation" => "Évaluation",
        _ => "Dossier",
    }
}

fn field_label(f: &str) -> String {
    FIELD_LABELS
        .iter()
        .find(|(c, _)| *c == f)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| f.replace('_', " "))
}

/// One version of one record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordChange {
    pub kind: String,
    pub kind_label: &'static str,
    pub record_id: String,
    pub version: i64,
    #[schema(value_type = String)]
    pub at: jiff::Timestamp,
    pub by: String,
    pub reason: Option<String>,
    /// The fields that changed from the previous version (empty for a creation).
    pub changed: Vec<String>,
    /// The record as it was after this change.
    #[schema(value_type = Object)]
    pub snapshot: Value,
}

impl RecordChange {
    /// The snapshot as (label, value) lines for reading, bookkeeping columns left out.
    pub fn fields(&self) -> Vec<(String, String)> {
        let Value::Object(m) = &self.snapshot else {
            return Vec::new();
        };
        m.iter()
            .filter(|(k, v)| !BOOKKEEPING.contains(&k.as_str()) && !v.is_null())
            .map(|(k, v)| {
                let shown = match v {
                    Value::String(s) => s.clone(),
                    Value::Bool(true) => "oui".to_string(),
                    Value::Bool(false) => "non".to_string(),
                    other => other.to_string(),
                };
                (field_label(k), shown)
            })
            .collect()
    }
}

fn changed_fields(prev: &Map<String, Value>, cur: &Map<String, Value>) -> Vec<String> {
    cur.iter()
        .filter(|(k, v)| !BOOKKEEPING.contains(&k.as_str()) && prev.get(*k) != Some(*v))
        .map(|(k, _)| field_label(k))
        .collect()
}

impl App {
    /// The latest `limit` changes of the person's administrative records, newest first.
    pub async fn record_history(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        limit: i64,
    ) -> AppResult<Vec<RecordChange>> {
        self.gate_person(ctx, Action::ViewIdentityHistory, usager)
            .await?;
        let names = self.user_names(ctx).await?;
        let rows =
            store::versions_of_usager(&self.db, ctx.org(), usager.as_uuid(), limit.clamp(1, 500))
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let cur: Map<String, Value> = serde_json::from_str(&r.snapshot)
                .map_err(|e| AppError::Internal(format!("snapshot of {}: {e}", r.record_id)))?;
            let changed = if r.version > 1 {
                let prev = store::versions(&self.db, ctx.org(), &r.kind, r.record_id)
                    .await?
                    .into_iter()
                    .find(|v| v.version == r.version - 1);
                match prev {
                    Some(p) => {
                        let prev: Map<String, Value> =
                            serde_json::from_str(&p.snapshot).map_err(|e| {
                                AppError::Internal(format!("snapshot of {}: {e}", p.record_id))
                            })?;
                        changed_fields(&prev, &cur)
                    }
                    None => Vec::new(),
                }
            } else {
                Vec::new()
            };
            out.push(RecordChange {
                kind_label: kind_label(&r.kind),
                kind: r.kind,
                record_id: r.record_id.to_string(),
                version: r.version,
                at: micros_to_ts(r.changed_at),
                by: names.get(&r.changed_by).cloned().unwrap_or_default(),
                reason: r.reason,
                changed,
                snapshot: Value::Object(cur),
            });
        }
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "historique_dossier",
            json!({"versions": out.len()}),
        )
        .await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_meaningful_fields_count_as_changes() {
        let prev = json!({"version": 1, "updated_at": 1, "end_date": "2027-01-01", "notes": null});
        let cur = json!({"version": 2, "updated_at": 2, "end_date": "2027-06-30", "notes": null});
        let (Value::Object(p), Value::Object(c)) = (prev, cur) else {
            unreachable!()
        };
        assert_eq!(changed_fields(&p, &c), vec!["fin".to_string()]);
    }
}

/// A record of a person's file addressed by id in a URL under the person's own URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owned {
    Demande,
    Sejour,
    Projet,
    Evaluation,
}

impl App {
    /// Whether the record `id` belongs to `usager` (NotFound otherwise). Pages address records under
    /// the person's URL (`/usagers/{id}/projets/{pid}`): a mismatched pair must never act on, or show
    /// under one identity, the record of another person. Access itself is decided by the use case.
    pub async fn check_belongs(
        &self,
        ctx: &Ctx,
        owned: Owned,
        id: uuid::Uuid,
        usager: UsagerId,
    ) -> AppResult<()> {
        use parcours_store::records::{AdmissionRequestRow, EvaluationRow, ProjetRow, SejourRow};
        let owner = match owned {
            Owned::Demande => {
                AdmissionRequestRow::get(&self.db, ctx.org(), id)
                    .await?
                    .usager_id
            }
            Owned::Sejour => SejourRow::get(&self.db, ctx.org(), id).await?.usager_id,
            Owned::Projet => ProjetRow::get(&self.db, ctx.org(), id).await?.usager_id,
            Owned::Evaluation => EvaluationRow::get(&self.db, ctx.org(), id).await?.usager_id,
        };
        if owner == usager.as_uuid() {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
