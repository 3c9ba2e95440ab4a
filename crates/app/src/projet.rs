//! The projet personnalisé of a person: creation in an establishment where the person is followed,
//! co-writing of its content while in preparation (attentes → besoins → objectifs → actions →
//! prestations, participants), accords of the structure and of the person or whoever may sign for
//! them, status changes dated and signed, avenants as new versions, and bilans.

use std::collections::HashMap;

use jiff::civil::Date;
use parcours_domain::authz::Action;
use parcours_domain::codelist;
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{BilanId, EtablissementId, ProjetId, UsagerId};
use parcours_domain::input::{self, date_fr};
use parcours_domain::projet::{
    self as rules, Bilan, Contenu, Element, Kind, Partie, ProjetStatus, RawBilan, ReviewState,
};
use parcours_store::organisation as orgs;
use parcours_store::projet::{self as q, AccordRow, ProjetEventRow};
use parcours_store::records::{BilanRow, Bind, EvaluationRow, ProjetRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::admission::parse_stored_date;
use crate::audit::AuditAction;
use crate::usager::micros_to_ts;
use crate::{App, AppError, AppResult, Ctx};

/// A new projet: in which establishment, of which type (TDDUI JDV_J367).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNewProjet {
    pub etablissement_id: String,
    pub kind: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProjetStatus {
    pub status: String,
    #[serde(default)]
    pub note: String,
    pub version: i64,
}

/// An accord: `partie` "structure" (signed by the acting professional) or "usager" (`signatory`
/// "usager" for the person, or the id of a member of the entourage entitled to sign).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAccord {
    pub partie: String,
    #[serde(default)]
    pub signatory: String,
    pub signed_on: String,
}

/// A projet in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjetSummary {
    #[schema(value_type = String)]
    pub id: ProjetId,
    pub number: i64,
    pub kind_label: String,
    #[schema(value_type = String)]
    pub status: ProjetStatus,
    pub etablissement_name: String,
    #[schema(value_type = Option<String>)]
    pub started_on: Option<Date>,
    #[schema(value_type = Option<String>)]
    pub ended_on: Option<Date>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjetEventView {
    #[schema(value_type = String)]
    pub status: ProjetStatus,
    pub note: Option<String>,
    #[schema(value_type = String)]
    pub at: jiff::Timestamp,
    pub by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccordView {
    #[schema(value_type = String)]
    pub partie: Partie,
    /// Given on the current version of the content (an accord given before a later edit no longer
    /// counts: the version must be signed again).
    pub current: bool,
    pub signatory_name: String,
    #[schema(value_type = String)]
    pub signed_on: Date,
    #[schema(value_type = String)]
    pub recorded_at: jiff::Timestamp,
    pub recorded_by: String,
}

/// One objective as assessed at a bilan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppreciationView {
    pub objectif_id: u32,
    pub objectif: String,
    /// `atteint`, `partiellement_atteint`, `non_atteint` or `abandonne`.
    pub resultat: &'static str,
    pub resultat_label: &'static str,
    pub commentaire: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BilanView {
    #[schema(value_type = String)]
    pub id: BilanId,
    #[schema(value_type = String)]
    pub date: Date,
    pub appreciations: Vec<AppreciationView>,
    pub synthese: String,
    #[schema(value_type = String)]
    pub prochain_bilan: Date,
    pub author: String,
}

/// A projet as shown: its content with SERAFIN labels resolved, its history and its review state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjetView {
    #[schema(value_type = String)]
    pub id: ProjetId,
    #[schema(value_type = String)]
    pub usager_id: UsagerId,
    #[schema(value_type = String)]
    pub etablissement_id: EtablissementId,
    pub etablissement_name: String,
    pub kind: String,
    pub kind_label: String,
    pub number: i64,
    #[schema(value_type = Option<String>)]
    pub previous_id: Option<ProjetId>,
    #[schema(value_type = String)]
    pub status: ProjetStatus,
    #[schema(value_type = Vec<String>)]
    pub next: Vec<ProjetStatus>,
    #[schema(value_type = Option<String>)]
    pub started_on: Option<Date>,
    #[schema(value_type = Option<String>)]
    pub ended_on: Option<Date>,
    #[schema(value_type = Object)]
    pub contenu: Contenu,
    /// SERAFIN labels of the codes used in the content.
    pub labels: HashMap<String, String>,
    pub gaps: Vec<&'static str>,
    pub events: Vec<ProjetEventView>,
    pub accords: Vec<AccordView>,
    pub bilans: Vec<BilanView>,
    /// When the next bilan is due (running projets).
    #[schema(value_type = Option<String>)]
    pub due: Option<Date>,
    #[schema(value_type = Option<String>)]
    pub review: Option<ReviewState>,
    /// A newer version (avenant) of this projet, if any.
    #[schema(value_type = Option<String>)]
    pub avenant_id: Option<ProjetId>,
    pub version: i64,
}

impl ProjetView {
    pub fn label(&self, code: &str) -> String {
        self.labels
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }
}

fn status_of(s: &str) -> AppResult<ProjetStatus> {
    ProjetStatus::parse(s).map_err(|_| AppError::Internal(format!("projet status {s}")))
}

fn contenu_of(r: &ProjetRow) -> AppResult<Contenu> {
    serde_json::from_str(&r.content)
        .map_err(|e| AppError::Internal(format!("content of projet {}: {e}", r.id)))
}

fn to_json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(format!("json: {e}")))
}

fn opt_stored(s: &Option<String>) -> AppResult<Option<Date>> {
    s.as_deref().map(parse_stored_date).transpose()
}

impl App {
    async fn projet_row(&self, ctx: &Ctx, id: ProjetId, action: Action) -> AppResult<ProjetRow> {
        let row = ProjetRow::get(&self.db, ctx.org(), id.as_uuid()).await?;
        self.gate_person(ctx, action, UsagerId::from_uuid(row.usager_id))
            .await?;
        Ok(row)
    }

    /// The projets of a person, newest version first.
    pub async fn projets(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<Vec<ProjetSummary>> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let etabs = orgs::list_etablissements(&self.db, ctx.org()).await?;
        let rows = ProjetRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "created_at desc, number desc, id",
        )
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(ProjetSummary {
                id: ProjetId::from_uuid(r.id),
                number: r.number,
                kind_label: codelist::projet_types().label(&r.kind).to_string(),
                status: status_of(&r.status)?,
                etablissement_name: etabs
                    .iter()
                    .find(|e| e.id == r.etablissement_id)
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                started_on: opt_stored(&r.started_on)?,
                ended_on: opt_stored(&r.ended_on)?,
            });
        }
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "projets",
            json!({"projets": out.len()}),
        )
        .await?;
        Ok(out)
    }

    /// One version of a projet, with its history (an audited read of the person's record).
    pub async fn projet(&self, ctx: &Ctx, id: ProjetId) -> AppResult<ProjetView> {
        let row = self.projet_row(ctx, id, Action::ReadUsager).await?;
        let view = self.projet_view(ctx, row).await?;
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(view.usager_id),
            "projet",
            json!({"projet": id, "version": view.version}),
        )
        .await?;
        Ok(view)
    }

    async fn projet_view(&self, ctx: &Ctx, row: ProjetRow) -> AppResult<ProjetView> {
        let names = self.user_names(ctx).await?;
        let who = |u: Uuid| names.get(&u).cloned().unwrap_or_default();
        let contenu = contenu_of(&row)?;
        let mut labels = HashMap::new();
        for b in &contenu.besoins {
            labels.insert(b.serafin.code.clone(), b.serafin.label());
        }
        for a in &contenu.actions {
            for p in &a.prestations {
                labels.insert(p.code.clone(), p.label());
            }
        }
        let events = q::events(&self.db, ctx.org(), row.id)
            .await?
            .into_iter()
            .map(|e| {
                Ok(ProjetEventView {
                    status: status_of(&e.status)?,
                    note: e.note,
                    at: micros_to_ts(e.at),
                    by: who(e.by_user),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let accords = q::accords(&self.db, ctx.org(), row.id)
            .await?
            .into_iter()
            .map(|a| {
                Ok(AccordView {
                    current: a.content_version == row.content_version,
                    partie: Partie::parse(&a.partie)
                        .map_err(|_| AppError::Internal(a.partie.clone()))?,
                    signatory_name: a.signatory_name,
                    signed_on: parse_stored_date(&a.signed_on)?,
                    recorded_at: micros_to_ts(a.recorded_at),
                    recorded_by: who(a.recorded_by),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let bilan_rows = BilanRow::list_by(
            &self.db,
            ctx.org(),
            "projet_id",
            row.id,
            "bilan_date desc, id",
        )
        .await?;
        let mut bilans = Vec::with_capacity(bilan_rows.len());
        for b in &bilan_rows {
            let appreciations: Vec<rules::Appreciation> = serde_json::from_str(&b.content)
                .map_err(|e| AppError::Internal(format!("bilan {}: {e}", b.id)))?;
            bilans.push(BilanView {
                id: BilanId::from_uuid(b.id),
                date: parse_stored_date(&b.bilan_date)?,
                appreciations: appreciations
                    .iter()
                    .map(|a| AppreciationView {
                        objectif_id: a.objectif,
                        objectif: contenu
                            .objectifs
                            .iter()
                            .find(|o| o.id == a.objectif)
                            .map(|o| o.titre.clone())
                            .unwrap_or_default(),
                        resultat: a.resultat.code(),
                        resultat_label: a.resultat.label_fr(),
                        commentaire: a.commentaire.clone(),
                    })
                    .collect(),
                synthese: b.synthese.clone(),
                prochain_bilan: parse_stored_date(&b.next_bilan_on)?,
                author: who(b.author_id),
            });
        }
        let status = status_of(&row.status)?;
        let started_on = opt_stored(&row.started_on)?;
        let due = match (status, started_on) {
            (ProjetStatus::EnCours | ProjetStatus::EnPause, Some(s)) => Some(rules::next_review(
                s,
                bilans.first().map(|b| b.prochain_bilan),
            )),
            _ => None,
        };
        let avenant_id = ProjetRow::select_where(
            &self.db,
            ctx.org(),
            "previous_id = $2",
            &[Bind::Id(row.id)],
            "number desc, id",
            1,
        )
        .await?
        .first()
        .map(|r| ProjetId::from_uuid(r.id));
        Ok(ProjetView {
            id: ProjetId::from_uuid(row.id),
            usager_id: UsagerId::from_uuid(row.usager_id),
            etablissement_id: EtablissementId::from_uuid(row.etablissement_id),
            etablissement_name: orgs::get_etablissement(&self.db, ctx.org(), row.etablissement_id)
                .await?
                .name,
            kind_label: codelist::projet_types().label(&row.kind).to_string(),
            kind: row.kind.clone(),
            number: row.number,
            previous_id: row.previous_id.map(ProjetId::from_uuid),
            status,
            next: status.next().to_vec(),
            started_on,
            ended_on: opt_stored(&row.ended_on)?,
            gaps: contenu.gaps(),
            contenu,
            labels,
            events,
            accords,
            bilans,
            review: due.map(|d| rules::review_state(d, self.today())),
            due,
            avenant_id,
            version: row.version,
        })
    }

    /// Starts a projet in preparation for a person followed in that establishment. A person has at
    /// most one projet in preparation or running per establishment (an avenant continues it).
    pub async fn create_projet(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawNewProjet,
    ) -> AppResult<ProjetId> {
        self.gate_person(ctx, Action::WriteProjet, usager).await?;
        let mut e = FieldErrors::default();
        let kind = e.take(codelist::projet_types().parse_code("kind", &raw.kind));
        let etab = match raw.etablissement_id.trim().parse::<Uuid>() {
            Ok(id) => Some(id),
            Err(_) => {
                e.push("etablissement_id", "Choisissez l'établissement.");
                None
            }
        };
        let (Some(kind), Some(etab)) = (kind, etab) else {
            return Err(AppError::Validation(e));
        };
        let placements = crate::usager::placements_of(self, ctx, usager).await?;
        if !placements.iter().any(|p| p.etablissement.as_uuid() == etab) {
            return Err(AppError::field(
                "etablissement_id",
                "La personne n'est pas accompagnée dans cet établissement.",
            ));
        }
        let open = ProjetRow::select_where(
            &self.db,
            ctx.org(),
            "usager_id = $2 and status <> 'termine'",
            &[Bind::Id(usager.as_uuid())],
            "id",
            50,
        )
        .await?;
        if open.iter().any(|p| p.etablissement_id == etab) {
            return Err(AppError::field(
                "etablissement_id",
                "Un projet est déjà en préparation ou en cours dans cet établissement : modifiez-le \
                 ou faites un avenant.",
            ));
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let id = self.new_id();
        let row = ProjetRow {
            organisation_id: ctx.org(),
            id,
            usager_id: usager.as_uuid(),
            etablissement_id: etab,
            kind,
            number: 0,
            previous_id: None,
            status: ProjetStatus::EnPreparation.code().into(),
            started_on: None,
            ended_on: None,
            content: to_json(&Contenu::default())?,
            content_version: 1,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        row.insert(&mut tx, Some(row.usager_id), None).await?;
        self.projet_event_as(&mut tx, ctx, id, ProjetStatus::EnPreparation, None, 1)
            .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::ProjetChange,
            Some(usager),
            "projet",
            json!({"projet": id, "creation": row.kind}),
        )
        .await?;
        tx.commit().await?;
        Ok(ProjetId::from_uuid(id))
    }

    /// Writes a new version of the content, after `change` succeeded on it.
    async fn update_contenu(
        &self,
        ctx: &Ctx,
        id: ProjetId,
        version: i64,
        what: &str,
        change: impl FnOnce(&mut Contenu) -> Result<(), FieldErrors>,
    ) -> AppResult<()> {
        let old = self.projet_row(ctx, id, Action::WriteProjet).await?;
        if !status_of(&old.status)?.editable() {
            return Err(AppError::field(
                "status",
                "Le projet a démarré : ses modifications passent par un avenant.",
            ));
        }
        if old.version != version {
            return Err(AppError::Conflict);
        }
        let mut contenu = contenu_of(&old)?;
        change(&mut contenu).map_err(AppError::Validation)?;
        let mut row = old.clone();
        row.content = to_json(&contenu)?;
        row.content_version += 1;
        row.version += 1;
        row.updated_at = self.now_micros();
        row.updated_by = ctx.user().as_uuid();
        let mut tx = self.begin().await?;
        row.update(&mut tx, Some(old.usager_id), None).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::ProjetChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "projet",
            json!({"projet": id, "contenu": what}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds (or, with `existing`, replaces) an attente, besoin, objectif, action or participant;
    /// returns its id.
    pub async fn put_projet_element(
        &self,
        ctx: &Ctx,
        id: ProjetId,
        existing: Option<u32>,
        element: &Element,
        version: i64,
    ) -> AppResult<u32> {
        let what = match element {
            Element::Attente(_) => "attente",
            Element::Besoin(_) => "besoin",
            Element::Objectif(_) => "objectif",
            Element::Action(_) => "action",
            Element::Participant(_) => "participant",
        };
        let mut put = 0;
        self.update_contenu(ctx, id, version, what, |c| {
            put = c.put(existing, element)?;
            Ok(())
        })
        .await?;
        Ok(put)
    }

    pub async fn remove_projet_element(
        &self,
        ctx: &Ctx,
        id: ProjetId,
        kind: Kind,
        element: u32,
        version: i64,
    ) -> AppResult<()> {
        self.update_contenu(ctx, id, version, "retrait", |c| {
            c.remove(kind, element).map_err(|e| FieldErrors(vec![e]))
        })
        .await
    }

    /// Adds to the projet the needs of the person's latest needs evaluation not already in it.
    pub async fn import_needs(&self, ctx: &Ctx, id: ProjetId, version: i64) -> AppResult<usize> {
        let row = self.projet_row(ctx, id, Action::WriteProjet).await?;
        if row.version != version {
            return Err(AppError::Conflict);
        }
        let evals = EvaluationRow::select_where(
            &self.db,
            ctx.org(),
            "usager_id = $2 and kind = 'besoins' and status = 'valide'",
            &[Bind::Id(row.usager_id)],
            "evaluated_on desc, created_at desc",
            1,
        )
        .await?;
        let Some(eval) = evals.first() else {
            return Err(AppError::field(
                "evaluation",
                "Aucune évaluation des besoins n'est enregistrée pour cette personne.",
            ));
        };
        let lines: Vec<rules::NeedLine> = serde_json::from_str(&eval.content)
            .map_err(|e| AppError::Internal(format!("evaluation {}: {e}", eval.id)))?;
        let present = contenu_of(&row)?;
        if lines.iter().all(|l| {
            present
                .besoins
                .iter()
                .any(|b| b.serafin.code == l.serafin.code)
        }) {
            // Nothing new: no new version, no audit event.
            return Ok(0);
        }
        let mut added = 0;
        self.update_contenu(ctx, id, version, "import_besoins", |c| {
            for l in &lines {
                if c.besoins.iter().any(|b| b.serafin.code == l.serafin.code) {
                    continue;
                }
                let comment = [
                    l.level.as_deref().map(rules::need_level_label),
                    l.comment.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" — ");
                c.put(
                    None,
                    &Element::Besoin(rules::RawBesoin {
                        code: l.serafin.code.clone(),
                        commentaire: comment,
                    }),
                )?;
                added += 1;
            }
            Ok(())
        })
        .await?;
        Ok(added)
    }

    /// Records an accord on this version. The structure's is given by the acting professional
    /// (direction, chef de service); the person's by the person or whoever may sign for them today
    /// (tutelle, habilitation familiale, parental authority), as the entourage says.
    pub async fn record_accord(&self, ctx: &Ctx, id: ProjetId, raw: &RawAccord) -> AppResult<()> {
        let partie = Partie::parse(&raw.partie)?;
        let action = match partie {
            Partie::Structure => Action::SignProjetForStructure,
            Partie::Usager => Action::WriteProjet,
        };
        let row = self.projet_row(ctx, id, action).await?;
        // The structure's accord comes from the establishment that carries the projet.
        if partie == Partie::Structure
            && !ctx
                .actor
                .assignments
                .iter()
                .any(|a| a.etablissement.as_uuid() == row.etablissement_id)
        {
            return Err(AppError::Forbidden(
                parcours_domain::authz::DenyReason::OutOfScope,
            ));
        }
        let status = status_of(&row.status)?;
        if status == ProjetStatus::Termine {
            return Err(AppError::field("partie", "Ce projet est terminé."));
        }
        let today = self.today();
        let signed_on = input::date("signed_on", &raw.signed_on)?;
        let written = parcours_domain::clock::today_in_paris(micros_to_ts(row.created_at));
        if signed_on < written {
            return Err(AppError::field(
                "signed_on",
                format!(
                    "L'accord ne peut pas précéder la rédaction du projet (le {}).",
                    date_fr(written)
                ),
            ));
        }
        if signed_on > today {
            return Err(AppError::field(
                "signed_on",
                "La date de signature ne peut pas être dans le futur.",
            ));
        }
        let (signatory_user, signatory_proche, signatory_name) = match partie {
            Partie::Structure => {
                let names = self.user_names(ctx).await?;
                (
                    Some(ctx.user().as_uuid()),
                    None,
                    names
                        .get(&ctx.user().as_uuid())
                        .cloned()
                        .unwrap_or_default(),
                )
            }
            Partie::Usager => {
                let signatory = match raw.signatory.trim() {
                    crate::consent::SIGNED_BY_PERSON => None,
                    s => Some(s.parse::<Uuid>().map_err(|_| {
                        AppError::field("signatory", "Indiquez qui signe pour la personne.")
                    })?),
                };
                let (rule, proches) = self.signing_rule(ctx.org(), row.usager_id, today).await?;
                if !rule.allows(signatory) {
                    let who = if signatory.is_none() {
                        "La personne ne peut pas signer seule."
                    } else {
                        "Cette personne n'a pas qualité pour signer au nom de l'usager."
                    };
                    return Err(AppError::field(
                        "signatory",
                        format!("{who} {}", rule.explanation),
                    ));
                }
                let name = match signatory {
                    None => {
                        let p =
                            parcours_store::usager::get(&self.db, ctx.org(), row.usager_id).await?;
                        format!(
                            "{} {}",
                            p.used_first_name.unwrap_or(p.birth_first_name),
                            p.used_name.unwrap_or(p.birth_name)
                        )
                    }
                    Some(pid) => proches
                        .iter()
                        .find(|p| p.id == pid)
                        .map(crate::entourage::proche_name)
                        .unwrap_or_default(),
                };
                (None, signatory, name)
            }
        };
        let already = q::accords(&self.db, ctx.org(), row.id).await?;
        if already.iter().any(|a| {
            a.content_version == row.content_version
                && a.partie == partie.code()
                && a.signatory_user == signatory_user
                && a.signatory_proche == signatory_proche
        }) {
            return Err(AppError::field(
                "partie",
                format!("L'accord de {signatory_name} est déjà enregistré sur cette version."),
            ));
        }
        let mut tx = self.begin().await?;
        q::insert_accord(
            &mut tx,
            ctx.org(),
            &AccordRow {
                id: self.new_id(),
                projet_id: row.id,
                content_version: row.content_version,
                partie: partie.code().into(),
                signatory_user,
                signatory_proche,
                signatory_name,
                signed_on: signed_on.to_string(),
                recorded_at: self.now_micros(),
                recorded_by: ctx.user().as_uuid(),
            },
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::ProjetChange,
            Some(UsagerId::from_uuid(row.usager_id)),
            "projet",
            json!({"projet": id, "accord": partie.code()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the status of a projet. Starting needs the structure's accord on this version and, for
    /// an avenant, ends the version it replaces; pausing and ending need a note.
    pub async fn change_projet_status(
        &self,
        ctx: &Ctx,
        id: ProjetId,
        raw: &RawProjetStatus,
    ) -> AppResult<()> {
        let old = self.projet_row(ctx, id, Action::WriteProjet).await?;
        if old.version != raw.version {
            return Err(AppError::Conflict);
        }
        let from = status_of(&old.status)?;
        let to = ProjetStatus::parse(&raw.status)?;
        let note = input::opt_text("note", &raw.note, input::LONG_TEXT)?;
        let accords = q::accords(&self.db, ctx.org(), old.id).await?;
        // Only accords given on this version of the content count.
        let structure = accords
            .iter()
            .filter(|a| {
                a.partie == Partie::Structure.code() && a.content_version == old.content_version
            })
            .count();
        from.check_change(to, structure, note.as_deref())?;
        let today = self.today().to_string();
        let mut row = old.clone();
        row.status = to.code().into();
        if to == ProjetStatus::EnCours && row.started_on.is_none() {
            row.started_on = Some(today.clone());
        }
        if to == ProjetStatus::Termine {
            row.ended_on = Some(today.clone());
        }
        row.version += 1;
        row.updated_at = self.now_micros();
        row.updated_by = ctx.user().as_uuid();
        let mut tx = self.begin().await?;
        let seq = q::next_event_seq(&mut tx, ctx.org(), old.id).await?;
        row.update(&mut tx, Some(old.usager_id), note.as_deref())
            .await?;
        self.projet_event_as(&mut tx, ctx, old.id, to, note.clone(), seq)
            .await?;
        // An avenant that starts ends the version it replaces.
        if to == ProjetStatus::EnCours
            && from == ProjetStatus::EnPreparation
            && let Some(prev) = old.previous_id
        {
            let p = ProjetRow::get(&self.db, ctx.org(), prev).await?;
            if status_of(&p.status)? != ProjetStatus::Termine {
                let mut ended = p.clone();
                ended.status = ProjetStatus::Termine.code().into();
                ended.ended_on = Some(today);
                ended.version += 1;
                ended.updated_at = self.now_micros();
                ended.updated_by = ctx.user().as_uuid();
                let reason = format!("Remplacé par l'avenant n° {}", old.number);
                ended
                    .update(&mut tx, Some(p.usager_id), Some(&reason))
                    .await?;
                let pseq = q::next_event_seq(&mut tx, ctx.org(), p.id).await?;
                self.projet_event_as(
                    &mut tx,
                    ctx,
                    p.id,
                    ProjetStatus::Termine,
                    Some(reason),
                    pseq,
                )
                .await?;
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::ProjetChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "projet",
            json!({"projet": id, "de": from.code(), "vers": to.code()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn projet_event_as(
        &self,
        tx: &mut parcours_store::Tx,
        ctx: &Ctx,
        projet: Uuid,
        status: ProjetStatus,
        note: Option<String>,
        seq: i64,
    ) -> AppResult<()> {
        q::insert_event(
            tx,
            ctx.org(),
            projet,
            &ProjetEventRow {
                seq,
                status: status.code().into(),
                note,
                at: self.now_micros(),
                by_user: ctx.user().as_uuid(),
            },
        )
        .await?;
        Ok(())
    }

    /// An avenant: a new version of a running projet, in preparation, with the content copied; the
    /// running version stays in force until the avenant starts.
    pub async fn create_avenant(
        &self,
        ctx: &Ctx,
        id: ProjetId,
        reason: &str,
    ) -> AppResult<ProjetId> {
        let old = self.projet_row(ctx, id, Action::WriteProjet).await?;
        let status = status_of(&old.status)?;
        if !matches!(status, ProjetStatus::EnCours | ProjetStatus::EnPause) {
            return Err(AppError::field(
                "reason",
                "Un avenant modifie un projet en cours ; un projet en préparation se modifie directement.",
            ));
        }
        let reason = input::text("reason", reason, input::LONG_TEXT)?;
        let drafts = ProjetRow::select_where(
            &self.db,
            ctx.org(),
            "previous_id = $2 and status = 'en_preparation'",
            &[Bind::Id(old.id)],
            "id",
            1,
        )
        .await?;
        if !drafts.is_empty() {
            return Err(AppError::field(
                "reason",
                "Un avenant de ce projet est déjà en préparation.",
            ));
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let nid = self.new_id();
        let row = ProjetRow {
            id: nid,
            number: old.number + 1,
            previous_id: Some(old.id),
            status: ProjetStatus::EnPreparation.code().into(),
            started_on: None,
            ended_on: None,
            content_version: 1,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
            ..old.clone()
        };
        let mut tx = self.begin().await?;
        row.insert(&mut tx, Some(old.usager_id), Some(&reason))
            .await?;
        self.projet_event_as(
            &mut tx,
            ctx,
            nid,
            ProjetStatus::EnPreparation,
            Some(reason),
            1,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::ProjetChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "projet",
            json!({"projet": nid, "avenant_de": id, "numero": row.number}),
        )
        .await?;
        tx.commit().await?;
        Ok(ProjetId::from_uuid(nid))
    }

    /// Records a bilan of a running projet: every objective assessed, the next bilan within twelve
    /// months.
    pub async fn record_bilan(
        &self,
        ctx: &Ctx,
        id: ProjetId,
        raw: &RawBilan,
    ) -> AppResult<BilanId> {
        let row = self.projet_row(ctx, id, Action::WriteProjet).await?;
        if !matches!(
            status_of(&row.status)?,
            ProjetStatus::EnCours | ProjetStatus::EnPause
        ) {
            return Err(AppError::field(
                "date",
                "Un bilan se fait sur un projet en cours (ou en pause).",
            ));
        }
        let contenu = contenu_of(&row)?;
        let bilan: Bilan = rules::check_bilan(&contenu, raw, self.today())?;
        if let Some(started) = opt_stored(&row.started_on)?
            && bilan.date < started
        {
            return Err(AppError::field(
                "date",
                format!(
                    "Le bilan ne peut pas précéder la mise en œuvre du projet (le {}).",
                    date_fr(started)
                ),
            ));
        }
        let same_day = BilanRow::select_where(
            &self.db,
            ctx.org(),
            "projet_id = $2 and bilan_date = $3",
            &[Bind::Id(row.id), Bind::Text(&bilan.date.to_string())],
            "id",
            1,
        )
        .await?;
        if !same_day.is_empty() {
            return Err(AppError::field(
                "date",
                "Un bilan de ce projet est déjà enregistré à cette date.",
            ));
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let bid = self.new_id();
        let b = BilanRow {
            organisation_id: ctx.org(),
            id: bid,
            usager_id: row.usager_id,
            projet_id: row.id,
            bilan_date: bilan.date.to_string(),
            content: to_json(&bilan.appreciations)?,
            synthese: bilan.synthese.clone(),
            next_bilan_on: bilan.prochain_bilan.to_string(),
            author_id: by,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        b.insert(&mut tx, Some(row.usager_id), None).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::ProjetChange,
            Some(UsagerId::from_uuid(row.usager_id)),
            "bilan",
            json!({"projet": id, "bilan": bid, "prochain": b.next_bilan_on}),
        )
        .await?;
        tx.commit().await?;
        Ok(BilanId::from_uuid(bid))
    }

    /// The running projets of the persons in my scope whose bilan is due within a month or
    /// overdue: `(person, text)`, for the home page.
    pub(crate) async fn projets_due(&self, ctx: &Ctx) -> AppResult<Vec<(Uuid, String)>> {
        let today = self.today();
        let projets =
            q::scoped_running(&self.db, ctx.org(), &crate::usager::scope_filter(ctx), 5000).await?;
        let persons: Vec<Uuid> = projets.iter().map(|p| p.usager_id).collect();
        let bilans = q::bilans_of(&self.db, ctx.org(), &persons).await?;
        let mut out = Vec::new();
        for p in projets
            .iter()
            .filter(|p| p.status == "en_cours" || p.status == "en_pause")
        {
            let Some(started) = opt_stored(&p.started_on)? else {
                continue;
            };
            let last = bilans
                .iter()
                .filter(|b| b.projet_id == p.id)
                .max_by(|a, b| a.bilan_date.cmp(&b.bilan_date))
                .map(|b| parse_stored_date(&b.next_bilan_on))
                .transpose()?;
            let due = rules::next_review(started, last);
            match rules::review_state(due, today) {
                ReviewState::UpToDate => {}
                ReviewState::DueSoon => out.push((
                    p.usager_id,
                    format!(
                        "Bilan du projet personnalisé à faire avant le {}",
                        date_fr(due)
                    ),
                )),
                ReviewState::Overdue => out.push((
                    p.usager_id,
                    format!(
                        "Bilan du projet personnalisé en retard (prévu le {})",
                        date_fr(due)
                    ),
                )),
            }
        }
        Ok(out)
    }
}
