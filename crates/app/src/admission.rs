//! Admission: requests and waiting lists, séjours (with several at once, modality changes, exits),
//! contracts, orientation decisions, occupancy. Every change is one transaction with its audit event
//! and a new version of the record; nothing is deleted (a cancelled séjour stays, marked annulé).

use std::collections::HashMap;

use jiff::civil::Date;
use parcours_domain::admission::{
    self as rules, Occupancy, RequestStatus, SejourDates, SejourStatus, contract_kind_label,
};
use parcours_domain::authz::{Action, Resource};
use parcours_domain::codelist;
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{
    ContratId, DecisionId, DemandeId, EtablissementId, SejourId, UniteId, UsagerId,
};
use parcours_domain::input::{self, date_fr};
use parcours_domain::orientation::{self, Validity};
use parcours_domain::structure::esms_category;
use parcours_store::admission as q;
use parcours_store::organisation::{self as orgs, EtablissementRow, UniteRow};
use parcours_store::records::{AdmissionRequestRow, ContratRow, DecisionRow, SejourRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::{App, AppError, AppResult, Ctx};

pub(crate) fn parse_stored_date(s: &str) -> AppResult<Date> {
    s.parse()
        .map_err(|_| AppError::Internal(format!("stored date {s} does not parse")))
}

fn opt_stored(s: &Option<String>) -> AppResult<Option<Date>> {
    s.as_deref().map(parse_stored_date).transpose()
}

fn iso(d: Date) -> String {
    d.to_string()
}

/// A request as typed in the form or the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRequest {
    pub etablissement_id: String,
    pub modalite: String,
    pub origin: String,
    pub received_on: String,
    #[serde(default)]
    pub priority: String,
    /// The person's own expectations, in their words.
    #[serde(default)]
    pub expectations: String,
    /// Documents received (notification MDPH, bilans…).
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub notes: String,
}

/// A status change of a request.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestStatusChange {
    pub status: String,
    #[serde(default)]
    pub reason: String,
    pub version: i64,
}

/// Turning an accepted request into one séjour per modality (a DITEP may admit into two at once).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAdmission {
    pub placements: Vec<RawPlacement>,
    pub planned_entry: String,
    #[serde(default)]
    pub entry_date: String,
    #[serde(default)]
    pub planned_exit: String,
    #[serde(default)]
    pub entry_mode: String,
    /// Explicit confirmation after the capacity warning (direction, chef de service).
    #[serde(default)]
    pub confirm_over_capacity: bool,
}

/// One unit and modality of an admission.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlacement {
    #[serde(default)]
    pub unite_id: String,
    pub modalite: String,
}

/// Recording the actual entry, the planned or actual exit of a séjour.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSejourUpdate {
    #[serde(default)]
    pub entry_date: String,
    #[serde(default)]
    pub planned_exit: String,
    #[serde(default)]
    pub exit_date: String,
    #[serde(default)]
    pub exit_mode: String,
    #[serde(default)]
    pub exit_destination: String,
    pub version: i64,
}

/// A change of modality on a date: the current séjour ends that day and the next one begins.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModalityChange {
    pub modalite: String,
    #[serde(default)]
    pub unite_id: String,
    pub on: String,
    pub version: i64,
    #[serde(default)]
    pub confirm_over_capacity: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContrat {
    pub kind: String,
    /// For an avenant: the contract it amends.
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub handed_on: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub signatories: String,
    #[serde(default)]
    pub document_ref: String,
    /// Required when changing an existing contract.
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDecision {
    pub decision_type: String,
    pub category_code: String,
    #[serde(default)]
    pub modalite: String,
    #[serde(default)]
    pub decided_on: String,
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub viatrajectoire_id: String,
    #[serde(default)]
    pub creton: bool,
    #[serde(default)]
    pub mdph: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A request as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequestView {
    #[schema(value_type = String, format = Uuid)]
    pub id: DemandeId,
    #[schema(value_type = String, format = Uuid)]
    pub usager_id: UsagerId,
    pub usager_name: String,
    #[schema(value_type = String)]
    pub etablissement_id: EtablissementId,
    pub etablissement_name: String,
    pub modalite: String,
    pub origin: String,
    pub received_on: String,
    pub priority: i64,
    pub priority_label: &'static str,
    #[schema(value_type = String, example = "en_etude")]
    pub status: RequestStatus,
    pub expectations: Option<String>,
    pub documents: Option<String>,
    pub notes: Option<String>,
    pub status_reason: Option<String>,
    pub version: i64,
    pub history: Vec<RequestEventView>,
    /// Status changes the professional may choose next.
    #[schema(value_type = Vec<String>)]
    pub next: Vec<RequestStatus>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequestEventView {
    #[schema(value_type = String, example = "acceptee")]
    pub status: RequestStatus,
    pub reason: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    pub by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SejourView {
    #[schema(value_type = String, format = Uuid)]
    pub id: SejourId,
    #[schema(value_type = String, format = Uuid)]
    pub etablissement_id: EtablissementId,
    pub etablissement_name: String,
    pub unite_name: Option<String>,
    pub modalite: String,
    pub modalite_label: String,
    #[schema(value_type = Object)]
    pub dates: SejourDates,
    #[schema(value_type = String, example = "en_cours")]
    pub status: SejourStatus,
    pub entry_mode: Option<String>,
    pub exit_mode: Option<String>,
    pub exit_destination: Option<String>,
    pub over_capacity: bool,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub previous_id: Option<SejourId>,
    pub version: i64,
    pub contract_overdue: bool,
    /// "du 01/09/2026 au 30/06/2027 (prévue)".
    pub period_fr: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContratView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ContratId,
    #[schema(value_type = String, format = Uuid)]
    pub sejour_id: SejourId,
    pub kind: String,
    pub kind_label: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<ContratId>,
    pub object: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub handed_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub signed_on: Option<Date>,
    pub signatories: Option<String>,
    pub document_ref: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    #[schema(value_type = String, format = Uuid)]
    pub id: DecisionId,
    pub decision_type: String,
    pub decision_type_label: String,
    pub category_code: String,
    pub category_label: String,
    pub modalite: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub decided_on: Option<Date>,
    #[schema(value_type = Object)]
    pub validity: Validity,
    pub decision_number: Option<String>,
    pub viatrajectoire_id: Option<String>,
    pub creton: bool,
    pub mdph: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
    pub valid_today: bool,
    pub ending_soon: bool,
}

/// Everything about a person's admissions, for the record page and the API.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AdmissionFile {
    pub requests: Vec<RequestView>,
    pub sejours: Vec<SejourView>,
    pub contrats: Vec<ContratView>,
    pub decisions: Vec<DecisionView>,
    /// Alerts in French: decision ending, no valid decision, contract unsigned.
    pub alerts: Vec<String>,
}

/// Occupancy of one establishment on a day and over a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OccupancyView {
    #[schema(value_type = String, format = Uuid)]
    pub etablissement_id: EtablissementId,
    pub etablissement_name: String,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    #[schema(value_type = Object)]
    pub total: Occupancy,
    #[schema(value_type = Vec<Vec<Value>>)]
    pub by_unit: Vec<(String, Occupancy)>,
    #[schema(value_type = Vec<Vec<Value>>)]
    pub by_modalite: Vec<(String, Occupancy)>,
    /// Days of presence counted from séjours over `[from, to]`, per modality.
    #[schema(value_type = Vec<Vec<Value>>)]
    pub days_by_modalite: Vec<(String, i64)>,
    pub days_total: i64,
}

struct Names {
    etabs: Vec<EtablissementRow>,
    unites: Vec<UniteRow>,
    users: HashMap<Uuid, String>,
}

impl Names {
    fn etab(&self, id: Uuid) -> String {
        self.etabs
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }
    fn unite(&self, id: Option<Uuid>) -> Option<String> {
        id.and_then(|u| {
            self.unites
                .iter()
                .find(|x| x.id == u)
                .map(|x| x.name.clone())
        })
    }
    fn user(&self, id: Uuid) -> String {
        self.users.get(&id).cloned().unwrap_or_default()
    }
}

impl App {
    async fn names(&self, ctx: &Ctx) -> AppResult<Names> {
        Ok(Names {
            etabs: orgs::list_etablissements(&self.db, ctx.org()).await?,
            unites: orgs::list_unites(&self.db, ctx.org()).await?,
            users: self.user_names(ctx).await?,
        })
    }

    fn stamp_new(&self, ctx: &Ctx) -> (i64, Uuid) {
        (self.now_micros(), ctx.user().as_uuid())
    }

    /// Records a request for admission of a person already known (created first, with their
    /// identity, in the requested establishment).
    pub async fn create_request(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawRequest,
    ) -> AppResult<DemandeId> {
        self.gate_person(ctx, Action::ManageAdmission, usager)
            .await?;
        let mut e = FieldErrors::default();
        let etab = self.parse_etab(ctx, &raw.etablissement_id, &mut e).await?;
        let modalite = e.take(codelist::modalites().parse_code("modalite", &raw.modalite));
        let origin = e.take(codelist::origines_demande().parse_code("origin", &raw.origin));
        let received = e.take(input::date("received_on", &raw.received_on));
        if let Some(d) = received
            && d > self.today()
        {
            e.push(
                "received_on",
                "La date de réception ne peut pas être dans le futur.",
            );
        }
        let priority = e.take(rules::parse_priority(&raw.priority));
        let expectations = e
            .take(input::opt_text(
                "expectations",
                &raw.expectations,
                input::LONG_TEXT,
            ))
            .flatten();
        let documents = e
            .take(input::opt_text(
                "documents",
                &raw.documents,
                input::LONG_TEXT,
            ))
            .flatten();
        let notes = e
            .take(input::opt_text("notes", &raw.notes, input::LONG_TEXT))
            .flatten();
        let (Some(etab), Some(modalite), Some(origin), Some(received), Some(priority)) =
            (etab, modalite, origin, received, priority)
        else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let (now, by) = self.stamp_new(ctx);
        let id = self.new_id();
        let row = AdmissionRequestRow {
            organisation_id: ctx.org(),
            id,
            usager_id: usager.as_uuid(),
            etablissement_id: etab.id,
            modalite,
            origin,
            received_on: iso(received),
            priority,
            status: RequestStatus::Recue.code().into(),
            expectations,
            documents,
            notes,
            status_reason: None,
            sejour_id: None,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        row.insert(&mut tx, Some(usager.as_uuid()), None).await?;
        q::insert_request_event(
            &mut tx,
            ctx.org(),
            id,
            &q::RequestEventRow {
                seq: 1,
                status: row.status.clone(),
                reason: None,
                at: now,
                by_user: by,
            },
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(usager),
            "demande",
            json!({"demande": id, "etablissement": etab.id, "statut": row.status}),
        )
        .await?;
        tx.commit().await?;
        Ok(DemandeId::from_uuid(id))
    }

    async fn parse_etab(
        &self,
        ctx: &Ctx,
        raw: &str,
        e: &mut FieldErrors,
    ) -> AppResult<Option<EtablissementRow>> {
        let Ok(id) = raw.trim().parse::<Uuid>() else {
            e.push("etablissement_id", "Choisissez un établissement.");
            return Ok(None);
        };
        match orgs::get_etablissement(&self.db, ctx.org(), id).await {
            Ok(row) if row.active => Ok(Some(row)),
            Ok(_) => {
                e.push("etablissement_id", "Cet établissement est fermé.");
                Ok(None)
            }
            Err(parcours_store::StoreError::NotFound) => {
                e.push("etablissement_id", "Établissement inconnu.");
                Ok(None)
            }
            Err(x) => Err(x.into()),
        }
    }

    /// The request, after checking the professional may manage the person's admission.
    async fn request_for(
        &self,
        ctx: &Ctx,
        id: DemandeId,
        action: Action,
    ) -> AppResult<AdmissionRequestRow> {
        let row = AdmissionRequestRow::get(&self.db, ctx.org(), id.as_uuid()).await?;
        self.gate_person(ctx, action, UsagerId::from_uuid(row.usager_id))
            .await?;
        Ok(row)
    }

    pub async fn change_request_status(
        &self,
        ctx: &Ctx,
        id: DemandeId,
        change: &RequestStatusChange,
    ) -> AppResult<()> {
        let old = self.request_for(ctx, id, Action::ManageAdmission).await?;
        let from = RequestStatus::parse(&old.status)
            .map_err(|_| AppError::Internal(format!("status {}", old.status)))?;
        let to = RequestStatus::parse(&change.status)?;
        let reason = input::opt_text("reason", &change.reason, input::LONG_TEXT)?;
        from.check_change(to, reason.as_deref())?;
        if old.version != change.version {
            return Err(AppError::Conflict);
        }
        let (now, by) = self.stamp_new(ctx);
        let mut row = old.clone();
        row.status = to.code().into();
        row.status_reason = reason.clone();
        row.version += 1;
        row.updated_at = now;
        row.updated_by = by;
        let mut tx = self.begin().await?;
        row.update(&mut tx, Some(old.usager_id), reason.as_deref())
            .await?;
        let seq = q::next_request_event_seq(&mut tx, ctx.org(), old.id).await?;
        q::insert_request_event(
            &mut tx,
            ctx.org(),
            old.id,
            &q::RequestEventRow {
                seq,
                status: row.status.clone(),
                reason,
                at: now,
                by_user: by,
            },
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "demande",
            json!({"demande": old.id, "de": old.status, "vers": row.status}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Admits the person of an accepted request: one séjour per (unit, modality), the request closed
    /// as admise, all in one transaction (nothing half-written if one séjour is refused).
    pub async fn admit(
        &self,
        ctx: &Ctx,
        id: DemandeId,
        raw: &RawAdmission,
    ) -> AppResult<Vec<SejourId>> {
        let req = self.request_for(ctx, id, Action::ManageAdmission).await?;
        let status = RequestStatus::parse(&req.status)
            .map_err(|_| AppError::Internal(req.status.clone()))?;
        if !status.admissible() {
            return Err(AppError::field(
                "status",
                format!(
                    "Seule une demande acceptée peut donner lieu à une admission (statut actuel : {}).",
                    status.label_fr()
                ),
            ));
        }
        let usager = UsagerId::from_uuid(req.usager_id);
        let mut e = FieldErrors::default();
        let planned_entry = e.take(input::date("planned_entry", &raw.planned_entry));
        let entry = e
            .take(input::opt_date("entry_date", &raw.entry_date))
            .flatten();
        let planned_exit = e
            .take(input::opt_date("planned_exit", &raw.planned_exit))
            .flatten();
        let entry_mode = match raw.entry_mode.trim() {
            "" => None,
            m => e.take(codelist::modes_entree().parse_code("entry_mode", m)),
        };
        if raw.placements.is_empty() {
            e.push(
                "placements",
                "Choisissez au moins une modalité d'accompagnement.",
            );
        }
        let unites = orgs::list_unites(&self.db, ctx.org()).await?;
        let mut placements = Vec::new();
        for p in &raw.placements {
            let modalite = e.take(codelist::modalites().parse_code("modalite", &p.modalite));
            let unite = self.parse_unite(&unites, req.etablissement_id, &p.unite_id, &mut e);
            if let (Some(m), Some(u)) = (modalite, unite) {
                if placements.iter().any(|(mm, uu)| *mm == m && *uu == u) {
                    e.push(
                        "placements",
                        "La même modalité est choisie deux fois dans la même unité.",
                    );
                }
                placements.push((m, u));
            }
        }
        let Some(planned_entry) = planned_entry else {
            return Err(e.into());
        };
        let dates = SejourDates {
            planned_entry,
            entry,
            planned_exit,
            exit: None,
        };
        if let Err(x) = dates.check(self.today()) {
            e.0.extend(x.0);
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let (now, by) = self.stamp_new(ctx);
        let mut tx = self.begin().await?;
        let mut ids = Vec::new();
        let mut over_capacity = false;
        for (modalite, unite) in &placements {
            over_capacity |= self
                .check_capacity_and_overlap(
                    &mut tx,
                    ctx,
                    usager,
                    req.etablissement_id,
                    *unite,
                    modalite,
                    &dates,
                    raw.confirm_over_capacity,
                    placements.len() as i64,
                    None,
                )
                .await?;
        }
        for (modalite, unite) in placements {
            let sid = self.new_id();
            let row = SejourRow {
                organisation_id: ctx.org(),
                id: sid,
                usager_id: req.usager_id,
                etablissement_id: req.etablissement_id,
                unite_id: unite,
                modalite,
                request_id: Some(req.id),
                previous_id: None,
                planned_entry: iso(planned_entry),
                entry_date: entry.map(iso),
                planned_exit: planned_exit.map(iso),
                exit_date: None,
                entry_mode: entry_mode.clone(),
                exit_mode: None,
                exit_destination: None,
                status: dates.status().code().into(),
                over_capacity,
                version: 1,
                created_at: now,
                created_by: by,
                updated_at: now,
                updated_by: by,
            };
            row.insert(&mut tx, Some(req.usager_id), None).await?;
            ids.push(SejourId::from_uuid(sid));
        }
        let mut closed = req.clone();
        closed.status = RequestStatus::Admise.code().into();
        closed.sejour_id = ids.first().map(|s| s.as_uuid());
        closed.version += 1;
        closed.updated_at = now;
        closed.updated_by = by;
        closed.update(&mut tx, Some(req.usager_id), None).await?;
        let seq = q::next_request_event_seq(&mut tx, ctx.org(), req.id).await?;
        q::insert_request_event(
            &mut tx,
            ctx.org(),
            req.id,
            &q::RequestEventRow {
                seq,
                status: closed.status.clone(),
                reason: None,
                at: now,
                by_user: by,
            },
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(usager),
            "admission",
            json!({"demande": req.id, "sejours": ids, "depassement_capacite": over_capacity}),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    fn parse_unite(
        &self,
        unites: &[UniteRow],
        etab: Uuid,
        raw: &str,
        e: &mut FieldErrors,
    ) -> Option<Option<Uuid>> {
        let raw = raw.trim();
        if raw.is_empty() {
            if unites
                .iter()
                .any(|u| u.etablissement_id == etab && u.active)
            {
                e.push("unite_id", "Choisissez l'unité.");
                return None;
            }
            return Some(None);
        }
        match raw
            .parse::<Uuid>()
            .ok()
            .and_then(|id| unites.iter().find(|u| u.id == id))
        {
            Some(u) if u.etablissement_id == etab && u.active => Some(Some(u.id)),
            _ => {
                e.push(
                    "unite_id",
                    "Cette unité n'appartient pas à l'établissement.",
                );
                None
            }
        }
    }

    /// Refuses an overlap with another séjour of the person in the same unit and modality, and
    /// checks places: returns whether the admission exceeds capacity (then confirmed by an entitled
    /// role), or a validation error asking for that confirmation.
    #[allow(clippy::too_many_arguments)]
    async fn check_capacity_and_overlap(
        &self,
        tx: &mut parcours_store::Tx,
        ctx: &Ctx,
        usager: UsagerId,
        etab: Uuid,
        unite: Option<Uuid>,
        modalite: &str,
        dates: &SejourDates,
        confirm: bool,
        adding: i64,
        replacing: Option<Uuid>,
    ) -> AppResult<bool> {
        let own = SejourRow::list_by_in(
            tx,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "planned_entry",
        )
        .await?;
        for s in own
            .iter()
            .filter(|s| s.status != "annule" && Some(s.id) != replacing)
        {
            if s.unite_id == unite && s.modalite == modalite {
                let other = stored_dates(s)?;
                if other.overlaps(dates) {
                    return Err(AppError::field(
                        "planned_entry",
                        format!(
                            "Ce séjour chevauche un séjour existant dans la même unité et la même modalité ({}).",
                            period_fr(&other)
                        ),
                    ));
                }
            }
        }
        q::lock_etablissement(tx, ctx.org(), etab).await?;
        let etab_row = orgs::get_etablissement(&self.db, ctx.org(), etab).await?;
        let day = dates.start();
        let present: Vec<SejourRow> =
            q::sejours_touching(tx, ctx.org(), etab, &iso(day), &iso(day))
                .await?
                .into_iter()
                .filter(|s| Some(s.id) != replacing)
                .collect();
        let covering: Vec<&SejourRow> = present
            .iter()
            .filter(|s| stored_dates(s).is_ok_and(|d| d.covers_as_of(day, self.today())))
            .collect();
        let total = Occupancy {
            occupied: covering.len() as i64 + adding - 1,
            capacity: Some(etab_row.capacity),
        };
        let caps = q::capacities(&self.db, ctx.org(), etab).await?;
        let by_mod = caps
            .iter()
            .find(|c| c.modalite == modalite)
            .map(|c| Occupancy {
                occupied: covering.iter().filter(|s| s.modalite == modalite).count() as i64,
                capacity: Some(c.capacity),
            });
        // The unit's own places, when the administration set them.
        let by_unit = match unite {
            Some(u) => q::unite_capacities(&self.db, ctx.org())
                .await?
                .into_iter()
                .find(|(id, _)| *id == u)
                .and_then(|(_, c)| c)
                .map(|c| {
                    (
                        u,
                        Occupancy {
                            occupied: covering.iter().filter(|s| s.unite_id == Some(u)).count()
                                as i64,
                            capacity: Some(c),
                        },
                    )
                }),
            None => None,
        };
        let mut exceeded = Vec::new();
        if let Some((u, o)) = by_unit.filter(|(_, o)| o.exceeded_by_one_more()) {
            let names = orgs::list_unites(&self.db, ctx.org()).await?;
            exceeded.push(format!(
                "unité {} : {} places sur {}",
                names
                    .iter()
                    .find(|x| x.id == u)
                    .map(|x| x.name.as_str())
                    .unwrap_or(""),
                o.occupied,
                o.capacity.unwrap_or_default()
            ));
        }
        if total.exceeded_by_one_more() {
            exceeded.push(format!(
                "{} : {} places occupées sur {} autorisées le {}",
                etab_row.name,
                total.occupied,
                etab_row.capacity,
                date_fr(day)
            ));
        }
        if let Some(o) = by_mod.filter(|o| o.exceeded_by_one_more()) {
            exceeded.push(format!(
                "{} : {} places sur {}",
                codelist::modalites().label(modalite),
                o.occupied,
                o.capacity.unwrap_or_default()
            ));
        }
        if exceeded.is_empty() {
            return Ok(false);
        }
        if !confirm {
            return Err(AppError::field(
                "confirm_over_capacity",
                format!(
                    "Capacité autorisée atteinte ({}). Pour admettre quand même, la direction ou un chef de service \
                 coche « Confirmer le dépassement de capacité ».",
                    exceeded.join(" ; ")
                ),
            ));
        }
        self.authorize(ctx, Action::ConfirmOverCapacity, &Resource::Etablissement {
            organisation: ctx.organisation(),
            etablissement: EtablissementId::from_uuid(etab),
        }).map_err(|_| AppError::field("confirm_over_capacity",
            "Seuls la direction et les chefs de service peuvent confirmer un dépassement de capacité."))?;
        Ok(true)
    }

    async fn sejour_for(&self, ctx: &Ctx, id: SejourId, action: Action) -> AppResult<SejourRow> {
        let row = SejourRow::get(&self.db, ctx.org(), id.as_uuid()).await?;
        self.gate_person(ctx, action, UsagerId::from_uuid(row.usager_id))
            .await?;
        Ok(row)
    }

    /// Records the actual entry, a new planned exit or the exit of a séjour.
    pub async fn update_sejour(
        &self,
        ctx: &Ctx,
        id: SejourId,
        raw: &RawSejourUpdate,
    ) -> AppResult<()> {
        let old = self.sejour_for(ctx, id, Action::ManageAdmission).await?;
        if old.status == "annule" || old.status == "termine" {
            return Err(AppError::field(
                "exit_date",
                "Ce séjour est clos : il ne peut plus être modifié.",
            ));
        }
        let mut e = FieldErrors::default();
        let entry = e
            .take(input::opt_date("entry_date", &raw.entry_date))
            .flatten()
            .or(opt_stored(&old.entry_date)?);
        let planned_exit = e
            .take(input::opt_date("planned_exit", &raw.planned_exit))
            .flatten();
        let exit = e
            .take(input::opt_date("exit_date", &raw.exit_date))
            .flatten();
        let exit_mode = match raw.exit_mode.trim() {
            "" => None,
            m => e.take(codelist::modes_sortie().parse_code("exit_mode", m)),
        };
        if exit.is_some() && exit_mode.is_none() && e.get("exit_mode").is_none() {
            e.push("exit_mode", "Indiquez le mode de sortie.");
        }
        let destination = e
            .take(input::opt_line(
                "exit_destination",
                &raw.exit_destination,
                300,
            ))
            .flatten();
        let dates = SejourDates {
            planned_entry: parse_stored_date(&old.planned_entry)?,
            entry,
            planned_exit,
            exit,
        };
        if let Err(x) = dates.check(self.today()) {
            e.0.extend(x.0);
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        if old.version != raw.version {
            return Err(AppError::Conflict);
        }
        let mut row = old.clone();
        row.entry_date = entry.map(iso);
        row.planned_exit = planned_exit.map(iso);
        row.exit_date = exit.map(iso);
        row.exit_mode = exit_mode;
        row.exit_destination = destination;
        row.status = dates.status().code().into();
        row.version += 1;
        (row.updated_at, row.updated_by) = self.stamp_new(ctx);
        let mut tx = self.begin().await?;
        // The dates moved: the overlap rule must still hold (capacity was checked at admission).
        self.check_overlap_only(&mut tx, ctx, &row, &dates).await?;
        row.update(&mut tx, Some(old.usager_id), None).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "sejour",
            json!({"sejour": old.id, "statut": row.status}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn check_overlap_only(
        &self,
        tx: &mut parcours_store::Tx,
        ctx: &Ctx,
        row: &SejourRow,
        dates: &SejourDates,
    ) -> AppResult<()> {
        let own = SejourRow::list_by_in(tx, ctx.org(), "usager_id", row.usager_id, "planned_entry")
            .await?;
        for s in own
            .iter()
            .filter(|s| s.status != "annule" && s.id != row.id)
        {
            if s.unite_id == row.unite_id
                && s.modalite == row.modalite
                && stored_dates(s)?.overlaps(dates)
            {
                return Err(AppError::field(
                    "planned_exit",
                    "Ces dates chevauchent un autre séjour dans la même unité et la même modalité.",
                ));
            }
        }
        Ok(())
    }

    /// Cancels a planned séjour (never deletes it): the reason is kept in its history.
    pub async fn cancel_sejour(
        &self,
        ctx: &Ctx,
        id: SejourId,
        reason: &str,
        version: i64,
    ) -> AppResult<()> {
        let old = self.sejour_for(ctx, id, Action::ManageAdmission).await?;
        if old.status != "prevu" {
            return Err(AppError::field(
                "reason",
                "Seul un séjour prévu peut être annulé ; un séjour commencé se clôt par une sortie.",
            ));
        }
        let reason = input::text("reason", reason, input::LONG_TEXT)?;
        if old.version != version {
            return Err(AppError::Conflict);
        }
        let mut row = old.clone();
        row.status = SejourStatus::Annule.code().into();
        row.version += 1;
        (row.updated_at, row.updated_by) = self.stamp_new(ctx);
        let mut tx = self.begin().await?;
        row.update(&mut tx, Some(old.usager_id), Some(&reason))
            .await?;
        // The last planned séjour of an admission cancelled: its request goes back to the waiting list.
        if let Some(rid) = old.request_id {
            let others = SejourRow::list_by_in(&mut tx, ctx.org(), "request_id", rid, "id").await?;
            if others
                .iter()
                .all(|o| o.id == old.id || o.status == SejourStatus::Annule.code())
            {
                let req = AdmissionRequestRow::get_in(&mut tx, ctx.org(), rid).await?;
                if req.status == RequestStatus::Admise.code() {
                    let mut back = req.clone();
                    back.status = RequestStatus::EnAttenteDePlace.code().into();
                    back.status_reason = Some(reason.clone());
                    back.sejour_id = None;
                    back.version += 1;
                    (back.updated_at, back.updated_by) = self.stamp_new(ctx);
                    back.update(&mut tx, Some(old.usager_id), Some(&reason))
                        .await?;
                    let seq = q::next_request_event_seq(&mut tx, ctx.org(), rid).await?;
                    q::insert_request_event(
                        &mut tx,
                        ctx.org(),
                        rid,
                        &q::RequestEventRow {
                            seq,
                            status: back.status.clone(),
                            reason: Some(reason.clone()),
                            at: back.updated_at,
                            by_user: back.updated_by,
                        },
                    )
                    .await?;
                }
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "sejour",
            json!({"sejour": old.id, "statut": "annule"}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A change of modality (DITEP: internat → SESSAD…) on a date: the current séjour ends that day
    /// with mode de sortie "changement de modalité", the next begins the same day; both are kept.
    pub async fn change_modality(
        &self,
        ctx: &Ctx,
        id: SejourId,
        raw: &RawModalityChange,
    ) -> AppResult<SejourId> {
        let old = self.sejour_for(ctx, id, Action::ManageAdmission).await?;
        if old.status != "en_cours" {
            return Err(AppError::field(
                "modalite",
                "Seul un séjour en cours peut changer de modalité.",
            ));
        }
        let mut e = FieldErrors::default();
        let modalite = e.take(codelist::modalites().parse_code("modalite", &raw.modalite));
        let on = e.take(input::date("on", &raw.on));
        let unites = orgs::list_unites(&self.db, ctx.org()).await?;
        let unite = if raw.unite_id.trim().is_empty() {
            Some(old.unite_id)
        } else {
            self.parse_unite(&unites, old.etablissement_id, &raw.unite_id, &mut e)
        };
        let (Some(modalite), Some(on), Some(unite)) = (modalite, on, unite) else {
            return Err(e.into());
        };
        if modalite == old.modalite && unite == old.unite_id {
            return Err(AppError::field(
                "modalite",
                "Choisissez une autre modalité ou une autre unité.",
            ));
        }
        let entry = opt_stored(&old.entry_date)?.unwrap_or(parse_stored_date(&old.planned_entry)?);
        if on <= entry {
            return Err(AppError::field(
                "on",
                "Le changement doit être postérieur à l'entrée.",
            ));
        }
        if on > self.today() {
            return Err(AppError::field(
                "on",
                "Le changement de modalité s'enregistre le jour où il a lieu (pas dans le futur).",
            ));
        }
        if old.version != raw.version {
            return Err(AppError::Conflict);
        }
        let (now, by) = self.stamp_new(ctx);
        let mut closed = old.clone();
        closed.exit_date = Some(iso(on));
        closed.exit_mode = Some("changement_modalite".into());
        closed.status = SejourStatus::Termine.code().into();
        closed.version += 1;
        closed.updated_at = now;
        closed.updated_by = by;
        let dates = SejourDates {
            planned_entry: on,
            entry: Some(on),
            planned_exit: opt_stored(&old.planned_exit)?,
            exit: None,
        };
        let mut tx = self.begin().await?;
        closed
            .update(&mut tx, Some(old.usager_id), Some("Changement de modalité"))
            .await?;
        let over = self
            .check_capacity_and_overlap(
                &mut tx,
                ctx,
                UsagerId::from_uuid(old.usager_id),
                old.etablissement_id,
                unite,
                &modalite,
                &dates,
                raw.confirm_over_capacity,
                1,
                Some(old.id),
            )
            .await?;
        let nid = self.new_id();
        let next = SejourRow {
            id: nid,
            unite_id: unite,
            modalite,
            previous_id: Some(old.id),
            planned_entry: iso(on),
            entry_date: Some(iso(on)),
            exit_date: None,
            entry_mode: Some("changement_modalite".into()),
            exit_mode: None,
            exit_destination: None,
            status: SejourStatus::EnCours.code().into(),
            over_capacity: over,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
            ..old.clone()
        };
        next.insert(&mut tx, Some(old.usager_id), Some("Changement de modalité"))
            .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "sejour",
            json!({"sejour": old.id, "suivant": nid, "modalite": next.modalite}),
        )
        .await?;
        tx.commit().await?;
        Ok(SejourId::from_uuid(nid))
    }

    /// Records or updates a contrat de séjour, DIPC or avenant of a séjour.
    pub async fn save_contrat(
        &self,
        ctx: &Ctx,
        sejour: SejourId,
        existing: Option<ContratId>,
        raw: &RawContrat,
    ) -> AppResult<ContratId> {
        let s = self
            .sejour_for(ctx, sejour, Action::ManageAdmission)
            .await?;
        let mut e = FieldErrors::default();
        let kind = e.take(rules::parse_contract_kind(&raw.kind));
        let parent = match raw.parent_id.trim() {
            "" => None,
            p => match p.parse::<Uuid>() {
                Ok(u) => Some(u),
                Err(_) => {
                    e.push("parent_id", "Contrat inconnu.");
                    None
                }
            },
        };
        if kind.as_deref() == Some("avenant") && parent.is_none() && e.get("parent_id").is_none() {
            e.push(
                "parent_id",
                "Un avenant modifie un contrat : choisissez lequel.",
            );
        }
        let object = e
            .take(input::opt_text("object", &raw.object, input::LONG_TEXT))
            .flatten();
        let handed_on = e
            .take(input::opt_date("handed_on", &raw.handed_on))
            .flatten();
        let signed_on = e
            .take(input::opt_date("signed_on", &raw.signed_on))
            .flatten();
        let signatories = e
            .take(input::opt_line("signatories", &raw.signatories, 500))
            .flatten();
        let document_ref = e
            .take(input::opt_line("document_ref", &raw.document_ref, 300))
            .flatten();
        if let Some(d) = signed_on {
            if d > self.today() {
                e.push(
                    "signed_on",
                    "La date de signature ne peut pas être dans le futur.",
                );
            }
            if signatories.is_none() {
                e.push("signatories", "Indiquez qui a signé.");
            }
        }
        let Some(kind) = kind else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        if let Some(p) = parent {
            let parent_row = ContratRow::get(&self.db, ctx.org(), p)
                .await
                .map_err(|_| AppError::field("parent_id", "Contrat inconnu."))?;
            if parent_row.sejour_id != s.id {
                return Err(AppError::field(
                    "parent_id",
                    "Ce contrat ne concerne pas ce séjour.",
                ));
            }
        }
        let (now, by) = self.stamp_new(ctx);
        let mut tx = self.begin().await?;
        let id = match existing {
            None => {
                let id = self.new_id();
                ContratRow {
                    organisation_id: ctx.org(),
                    id,
                    usager_id: s.usager_id,
                    sejour_id: s.id,
                    kind,
                    parent_id: parent,
                    object,
                    handed_on: handed_on.map(iso),
                    signed_on: signed_on.map(iso),
                    signatories,
                    document_ref,
                    version: 1,
                    created_at: now,
                    created_by: by,
                    updated_at: now,
                    updated_by: by,
                }
                .insert(&mut tx, Some(s.usager_id), None)
                .await?;
                id
            }
            Some(cid) => {
                let old = ContratRow::get(&self.db, ctx.org(), cid.as_uuid()).await?;
                if old.sejour_id != s.id {
                    return Err(AppError::NotFound);
                }
                if Some(old.version) != raw.version {
                    return Err(AppError::Conflict);
                }
                ContratRow {
                    kind,
                    parent_id: parent,
                    object,
                    handed_on: handed_on.map(iso),
                    signed_on: signed_on.map(iso),
                    signatories,
                    document_ref,
                    version: old.version + 1,
                    updated_at: now,
                    updated_by: by,
                    ..old
                }
                .update(&mut tx, Some(s.usager_id), None)
                .await?;
                cid.as_uuid()
            }
        };
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(UsagerId::from_uuid(s.usager_id)),
            "contrat",
            json!({"contrat": id, "sejour": s.id}),
        )
        .await?;
        tx.commit().await?;
        Ok(ContratId::from_uuid(id))
    }

    /// Records or corrects an orientation decision (a correction is a new version).
    pub async fn save_decision(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        existing: Option<DecisionId>,
        raw: &RawDecision,
    ) -> AppResult<DecisionId> {
        self.gate_person(ctx, Action::ManageAdmission, usager)
            .await?;
        let mut e = FieldErrors::default();
        let decision_type = e.take(orientation::parse_decision_type(&raw.decision_type));
        let category = match esms_category(raw.category_code.trim()) {
            Some(c) => Some(c.code().to_string()),
            None => {
                e.push(
                    "category_code",
                    "Choisissez la catégorie d'établissement ou de service visée.",
                );
                None
            }
        };
        let modalite = match raw.modalite.trim() {
            "" => None,
            m => e.take(codelist::modalites().parse_code("modalite", m)),
        };
        let decided_on = e
            .take(input::opt_date("decided_on", &raw.decided_on))
            .flatten();
        let start = e.take(input::date("start_date", &raw.start_date));
        let end = e.take(input::opt_date("end_date", &raw.end_date)).flatten();
        let validity = start.and_then(|s| match Validity::check(s, end) {
            Ok(v) => Some(v),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        });
        let number = e
            .take(input::opt_line(
                "decision_number",
                &raw.decision_number,
                100,
            ))
            .flatten();
        let via = e
            .take(input::opt_line(
                "viatrajectoire_id",
                &raw.viatrajectoire_id,
                100,
            ))
            .flatten();
        let mdph = e.take(input::opt_line("mdph", &raw.mdph, 200)).flatten();
        let notes = e
            .take(input::opt_text("notes", &raw.notes, input::LONG_TEXT))
            .flatten();
        let (Some(decision_type), Some(category), Some(validity)) =
            (decision_type, category, validity)
        else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let (now, by) = self.stamp_new(ctx);
        let mut tx = self.begin().await?;
        let fields = |id: Uuid, version: i64, created_at: i64, created_by: Uuid| DecisionRow {
            organisation_id: ctx.org(),
            id,
            usager_id: usager.as_uuid(),
            decision_type: decision_type.clone(),
            category_code: category.clone(),
            modalite: modalite.clone(),
            decided_on: decided_on.map(iso),
            start_date: iso(validity.start),
            end_date: validity.end.map(iso),
            decision_number: number.clone(),
            viatrajectoire_id: via.clone(),
            creton: raw.creton,
            mdph: mdph.clone(),
            notes: notes.clone(),
            version,
            created_at,
            created_by,
            updated_at: now,
            updated_by: by,
        };
        let id = match existing {
            None => {
                let id = self.new_id();
                fields(id, 1, now, by)
                    .insert(&mut tx, Some(usager.as_uuid()), None)
                    .await?;
                id
            }
            Some(did) => {
                let old = DecisionRow::get(&self.db, ctx.org(), did.as_uuid()).await?;
                if old.usager_id != usager.as_uuid() {
                    return Err(AppError::NotFound);
                }
                if Some(old.version) != raw.version {
                    return Err(AppError::Conflict);
                }
                fields(old.id, old.version + 1, old.created_at, old.created_by)
                    .update(&mut tx, Some(usager.as_uuid()), None)
                    .await?;
                old.id
            }
        };
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AdmissionChange,
            Some(usager),
            "decision",
            json!({"decision": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(DecisionId::from_uuid(id))
    }

    /// The person's admission file (requests, séjours, contracts, decisions, alerts).
    pub async fn admission_file(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<AdmissionFile> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let file = self.load_admission_file(ctx, usager).await?;
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "admission",
            json!({"section": "admission"}),
        )
        .await?;
        Ok(file)
    }

    pub(crate) async fn load_admission_file(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<AdmissionFile> {
        let names = self.names(ctx).await?;
        let today = self.today();
        let u = usager.as_uuid();
        let usager_name = String::new();
        let mut requests = Vec::new();
        for r in AdmissionRequestRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            u,
            "received_on desc, id",
        )
        .await?
        {
            requests.push(
                self.request_view(ctx, &names, r, usager_name.clone())
                    .await?,
            );
        }
        let contrat_rows =
            ContratRow::list_by(&self.db, ctx.org(), "usager_id", u, "created_at, id").await?;
        let sejour_rows = SejourRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            u,
            "planned_entry desc, id",
        )
        .await?;
        let mut sejours = Vec::new();
        for s in &sejour_rows {
            sejours.push(sejour_view(&names, s, &sejour_rows, &contrat_rows, today)?);
        }
        let contrats = contrat_rows
            .iter()
            .map(contrat_view)
            .collect::<AppResult<Vec<_>>>()?;
        let decisions =
            DecisionRow::list_by(&self.db, ctx.org(), "usager_id", u, "start_date desc, id")
                .await?
                .iter()
                .map(|d| decision_view(d, today))
                .collect::<AppResult<Vec<_>>>()?;
        let alerts = admission_alerts(&names, &sejours, &decisions);
        Ok(AdmissionFile {
            requests,
            sejours,
            contrats,
            decisions,
            alerts,
        })
    }

    async fn request_view(
        &self,
        ctx: &Ctx,
        names: &Names,
        r: AdmissionRequestRow,
        usager_name: String,
    ) -> AppResult<RequestView> {
        let status =
            RequestStatus::parse(&r.status).map_err(|_| AppError::Internal(r.status.clone()))?;
        let history = q::request_events(&self.db, ctx.org(), r.id)
            .await?
            .into_iter()
            .map(|ev| {
                Ok(RequestEventView {
                    status: RequestStatus::parse(&ev.status)
                        .map_err(|_| AppError::Internal(ev.status.clone()))?,
                    reason: ev.reason,
                    at: jiff::Timestamp::from_microsecond(ev.at).unwrap_or_default(),
                    by: names.user(ev.by_user),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(RequestView {
            id: DemandeId::from_uuid(r.id),
            usager_id: UsagerId::from_uuid(r.usager_id),
            usager_name,
            etablissement_id: EtablissementId::from_uuid(r.etablissement_id),
            etablissement_name: names.etab(r.etablissement_id),
            modalite: codelist::modalites().label(&r.modalite).to_string(),
            origin: codelist::origines_demande().label(&r.origin).to_string(),
            received_on: date_fr(parse_stored_date(&r.received_on)?),
            priority: r.priority,
            priority_label: rules::priority_label(r.priority),
            status,
            expectations: r.expectations,
            documents: r.documents,
            notes: r.notes,
            status_reason: r.status_reason,
            version: r.version,
            history,
            next: status
                .next()
                .iter()
                .copied()
                .filter(|s| *s != RequestStatus::Admise)
                .collect(),
        })
    }

    /// The waiting list of an establishment: open requests, most urgent then oldest first.
    pub async fn waiting_list(
        &self,
        ctx: &Ctx,
        etab: EtablissementId,
    ) -> AppResult<Vec<RequestView>> {
        self.authorize(
            ctx,
            Action::ViewEstablishmentActivity,
            &Resource::Etablissement {
                organisation: ctx.organisation(),
                etablissement: etab,
            },
        )?;
        let names = self.names(ctx).await?;
        let rows = AdmissionRequestRow::select_where(
            &self.db,
            ctx.org(),
            "etablissement_id = $2 and status not in ('refusee', 'annulee', 'admise')",
            &[parcours_store::records::Bind::Id(etab.as_uuid())],
            "priority, received_on, id",
            1000,
        )
        .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.usager_id).collect();
        let people = parcours_store::usager::summaries(&self.db, ctx.org(), &ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let name = people
                .iter()
                .find(|p| p.id == r.usager_id)
                .map(|p| p.list_name())
                .unwrap_or_default();
            out.push(self.request_view(ctx, &names, r, name).await?);
        }
        // The list names persons: each one shown is traced in that person's access history.
        let mut tx = self.begin().await?;
        for r in &out {
            self.audit(
                &mut tx,
                ctx,
                AuditAction::WaitingListRead,
                Some(r.usager_id),
                "etablissement",
                json!({"etablissement": etab, "demande": r.id}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Occupancy of an establishment on `on`, and days of presence over `[from, to]`.
    pub async fn occupancy(
        &self,
        ctx: &Ctx,
        etab: EtablissementId,
        on: Date,
        from: Date,
        to: Date,
    ) -> AppResult<OccupancyView> {
        self.authorize(
            ctx,
            Action::ViewEstablishmentActivity,
            &Resource::Etablissement {
                organisation: ctx.organisation(),
                etablissement: etab,
            },
        )?;
        if to < from {
            return Err(AppError::field(
                "to",
                "La fin de la période ne peut pas précéder son début.",
            ));
        }
        if (to - from).get_days() > 366 * 3 {
            return Err(AppError::field("to", "La période est limitée à trois ans."));
        }
        let e = orgs::get_etablissement(&self.db, ctx.org(), etab.as_uuid()).await?;
        let names = self.names(ctx).await?;
        let lo = on.min(from);
        let hi = on.max(to);
        let mut tx = self.begin().await?;
        let rows = q::sejours_touching(&mut tx, ctx.org(), e.id, &iso(lo), &iso(hi)).await?;
        tx.commit().await?;
        let caps = q::capacities(&self.db, ctx.org(), e.id).await?;
        let unit_caps: HashMap<Uuid, Option<i64>> = q::unite_capacities(&self.db, ctx.org())
            .await?
            .into_iter()
            .collect();
        let dated: Vec<(SejourDates, &SejourRow)> = rows
            .iter()
            .map(|s| Ok((stored_dates(s)?, s)))
            .collect::<AppResult<_>>()?;
        let present: Vec<&(SejourDates, &SejourRow)> = dated
            .iter()
            .filter(|(d, _)| d.covers_as_of(on, self.today()))
            .collect();
        let by_unit = names
            .unites
            .iter()
            .filter(|u| u.etablissement_id == e.id)
            .map(|u| {
                (
                    u.name.clone(),
                    Occupancy {
                        occupied: present
                            .iter()
                            .filter(|(_, s)| s.unite_id == Some(u.id))
                            .count() as i64,
                        capacity: unit_caps.get(&u.id).copied().flatten(),
                    },
                )
            })
            .collect();
        let by_modalite = codelist::modalites()
            .codes
            .iter()
            .filter_map(|m| {
                let occupied = present.iter().filter(|(_, s)| s.modalite == m.code).count() as i64;
                let capacity = caps
                    .iter()
                    .find(|c| c.modalite == m.code)
                    .map(|c| c.capacity);
                (occupied > 0 || capacity.is_some())
                    .then(|| (m.label.clone(), Occupancy { occupied, capacity }))
            })
            .collect();
        let days_by_modalite: Vec<(String, i64)> = codelist::modalites()
            .codes
            .iter()
            .filter_map(|m| {
                let days: i64 = dated
                    .iter()
                    .filter(|(_, s)| s.modalite == m.code)
                    .map(|(d, _)| d.days_between_as_of(from, to, self.today()))
                    .sum();
                (days > 0).then(|| (m.label.clone(), days))
            })
            .collect();
        Ok(OccupancyView {
            etablissement_id: etab,
            etablissement_name: e.name.clone(),
            on,
            from,
            to,
            total: Occupancy {
                occupied: present.len() as i64,
                capacity: Some(e.capacity),
            },
            by_unit,
            by_modalite,
            days_total: days_by_modalite.iter().map(|(_, d)| d).sum(),
            days_by_modalite,
        })
    }

    /// Sets the authorised places of one modality of an establishment (administrator).
    pub async fn set_modality_capacity(
        &self,
        ctx: &Ctx,
        etab: EtablissementId,
        modalite: &str,
        capacity: &str,
    ) -> AppResult<()> {
        self.authorize(
            ctx,
            Action::ManageStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let modalite = codelist::modalites().parse_code("modalite", modalite)?;
        let capacity = match capacity.trim() {
            "" => None,
            c => Some(parcours_domain::structure::parse_capacity(c)? as i64),
        };
        orgs::get_etablissement(&self.db, ctx.org(), etab.as_uuid()).await?;
        let mut tx = self.begin().await?;
        q::set_capacity(&mut tx, ctx.org(), etab.as_uuid(), &modalite, capacity).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::StructureChange,
            None,
            "capacite",
            json!({"etablissement": etab, "modalite": modalite, "places": capacity}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn stored_dates(s: &SejourRow) -> AppResult<SejourDates> {
    Ok(SejourDates {
        planned_entry: parse_stored_date(&s.planned_entry)?,
        entry: opt_stored(&s.entry_date)?,
        planned_exit: opt_stored(&s.planned_exit)?,
        exit: opt_stored(&s.exit_date)?,
    })
}

fn period_fr(d: &SejourDates) -> String {
    let start = match d.entry {
        Some(e) => format!("depuis le {}", date_fr(e)),
        None => format!("entrée prévue le {}", date_fr(d.planned_entry)),
    };
    match (d.exit, d.planned_exit) {
        (Some(x), _) => format!("{start}, sorti le {}", date_fr(x)),
        (None, Some(p)) => format!("{start}, sortie prévue le {}", date_fr(p)),
        _ => start,
    }
}

/// Whether a séjour is covered by a signed contrat de séjour or DIPC: one recorded on it, or on another
/// séjour of the same person in the same establishment running at the same time (one DIPC usually
/// covers a multi-modality admission), or the contract of the séjour it continues after a change of
/// modality.
pub(crate) fn contract_signed(
    s: &SejourRow,
    sejours: &[SejourRow],
    contrats: &[ContratRow],
) -> bool {
    // A séjour opened by a change of modality is covered by the contract of the chain's first séjour.
    if let Some(prev) = s.previous_id {
        return match sejours.iter().find(|o| o.id == prev) {
            Some(p) => contract_signed(p, sejours, contrats),
            // The previous séjour is not among those read (out of the page's scope): trust the chain.
            None => true,
        };
    }
    let Ok(dates) = stored_dates(s) else {
        return false;
    };
    contrats
        .iter()
        .filter(|c| c.kind != "avenant" && c.signed_on.is_some())
        .any(|c| {
            c.sejour_id == s.id
                || sejours.iter().any(|o| {
                    o.id == c.sejour_id
                        && o.usager_id == s.usager_id
                        && o.etablissement_id == s.etablissement_id
                        && o.status != "annule"
                        && stored_dates(o).is_ok_and(|od| od.overlaps(&dates))
                })
        })
}

fn sejour_view(
    names: &Names,
    s: &SejourRow,
    sejours: &[SejourRow],
    contrats: &[ContratRow],
    today: Date,
) -> AppResult<SejourView> {
    let dates = stored_dates(s)?;
    let status =
        SejourStatus::parse(&s.status).ok_or_else(|| AppError::Internal(s.status.clone()))?;
    let signed = contract_signed(s, sejours, contrats);
    Ok(SejourView {
        id: SejourId::from_uuid(s.id),
        etablissement_id: EtablissementId::from_uuid(s.etablissement_id),
        etablissement_name: names.etab(s.etablissement_id),
        unite_name: names.unite(s.unite_id),
        modalite: s.modalite.clone(),
        modalite_label: codelist::modalites().label(&s.modalite).to_string(),
        contract_overdue: status == SejourStatus::EnCours
            && rules::contract_overdue(dates.entry, signed, today),
        period_fr: period_fr(&dates),
        dates,
        status,
        entry_mode: s
            .entry_mode
            .as_deref()
            .map(|m| codelist::modes_entree().label(m).to_string()),
        exit_mode: s
            .exit_mode
            .as_deref()
            .map(|m| codelist::modes_sortie().label(m).to_string()),
        exit_destination: s.exit_destination.clone(),
        over_capacity: s.over_capacity,
        previous_id: s.previous_id.map(SejourId::from_uuid),
        version: s.version,
    })
}

fn contrat_view(c: &ContratRow) -> AppResult<ContratView> {
    Ok(ContratView {
        id: ContratId::from_uuid(c.id),
        sejour_id: SejourId::from_uuid(c.sejour_id),
        kind: c.kind.clone(),
        kind_label: contract_kind_label(&c.kind).to_string(),
        parent_id: c.parent_id.map(ContratId::from_uuid),
        object: c.object.clone(),
        handed_on: opt_stored(&c.handed_on)?,
        signed_on: opt_stored(&c.signed_on)?,
        signatories: c.signatories.clone(),
        document_ref: c.document_ref.clone(),
        version: c.version,
    })
}

pub(crate) fn decision_view(d: &DecisionRow, today: Date) -> AppResult<DecisionView> {
    let validity = Validity {
        start: parse_stored_date(&d.start_date)?,
        end: opt_stored(&d.end_date)?,
    };
    Ok(DecisionView {
        id: DecisionId::from_uuid(d.id),
        decision_type: d.decision_type.clone(),
        decision_type_label: orientation::decision_type_label(&d.decision_type).to_string(),
        category_label: esms_category(&d.category_code)
            .map(|c| c.label().to_string())
            .unwrap_or(d.category_code.clone()),
        category_code: d.category_code.clone(),
        modalite: d
            .modalite
            .as_deref()
            .map(|m| codelist::modalites().label(m).to_string()),
        decided_on: opt_stored(&d.decided_on)?,
        valid_today: d.decision_type != "cloture" && validity.valid_on(today),
        ending_soon: d.decision_type != "cloture" && validity.ending_soon(today),
        validity,
        decision_number: d.decision_number.clone(),
        viatrajectoire_id: d.viatrajectoire_id.clone(),
        creton: d.creton,
        mdph: d.mdph.clone(),
        notes: d.notes.clone(),
        version: d.version,
    })
}

/// The alerts of a person's admission file, in French.
fn admission_alerts(
    names: &Names,
    sejours: &[SejourView],
    decisions: &[DecisionView],
) -> Vec<String> {
    let mut alerts = Vec::new();
    for d in decisions.iter().filter(|d| d.ending_soon) {
        if let Some(end) = d.validity.end {
            alerts.push(format!(
                "La décision d'orientation ({}) prend fin le {} : préparez le renouvellement.",
                d.category_label,
                date_fr(end)
            ));
        }
    }
    for s in sejours.iter().filter(|s| s.status.gives_access()) {
        let category = names
            .etabs
            .iter()
            .find(|e| e.id == s.etablissement_id.as_uuid())
            .map(|e| e.category_code.clone());
        if category
            .as_deref()
            .is_some_and(orientation::requires_orientation)
            && !decisions
                .iter()
                .any(|d| d.valid_today && Some(&d.category_code) == category.as_ref())
        {
            alerts.push(format!(
                "Séjour en {} sans décision d'orientation CDAPH valide.",
                s.etablissement_name
            ));
        }
        if s.contract_overdue {
            alerts.push(format!(
                "Contrat de séjour ou DIPC non signé plus d'un mois après l'entrée ({}).",
                s.etablissement_name
            ));
        }
    }
    alerts.dedup();
    alerts
}

/// An establishment where the professional may run admissions, with its active units.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AdmissionPlace {
    #[schema(value_type = String)]
    pub etablissement_id: EtablissementId,
    pub name: String,
    /// `(unit id, name)`
    #[schema(value_type = Vec<Object>)]
    pub unites: Vec<(UniteId, String)>,
}

impl App {
    /// The establishments (and their units) where `ctx` may record requests and admissions.
    pub async fn admission_places(&self, ctx: &Ctx) -> AppResult<Vec<AdmissionPlace>> {
        let etabs = orgs::list_etablissements(&self.db, ctx.org()).await?;
        let unites = orgs::list_unites(&self.db, ctx.org()).await?;
        Ok(etabs
            .into_iter()
            .filter(|e| e.active)
            .filter(|e| {
                let res = Resource::Etablissement {
                    organisation: ctx.organisation(),
                    etablissement: EtablissementId::from_uuid(e.id),
                };
                self.authorize(ctx, Action::ViewEstablishmentActivity, &res)
                    .is_ok()
            })
            .map(|e| AdmissionPlace {
                etablissement_id: EtablissementId::from_uuid(e.id),
                unites: unites
                    .iter()
                    .filter(|u| u.etablissement_id == e.id && u.active)
                    .map(|u| (UniteId::from_uuid(u.id), u.name.clone()))
                    .collect(),
                name: e.name,
            })
            .collect())
    }
}

/// One line of the capacity settings: a modality (`modalite:<code>`) or a unit (`unite:<id>`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CapacityLine {
    pub key: String,
    pub label: String,
    pub capacity: Option<i64>,
}

/// The authorised places of an establishment per modality and per unit (empty: not set).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CapacitySettings {
    pub modalites: Vec<CapacityLine>,
    pub unites: Vec<CapacityLine>,
}

impl App {
    pub async fn capacity_settings(
        &self,
        ctx: &Ctx,
        etab: EtablissementId,
    ) -> AppResult<CapacitySettings> {
        self.authorize(
            ctx,
            Action::ViewStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        orgs::get_etablissement(&self.db, ctx.org(), etab.as_uuid()).await?;
        let caps = q::capacities(&self.db, ctx.org(), etab.as_uuid()).await?;
        let unit_caps: HashMap<Uuid, Option<i64>> = q::unite_capacities(&self.db, ctx.org())
            .await?
            .into_iter()
            .collect();
        Ok(CapacitySettings {
            modalites: codelist::modalites()
                .codes
                .iter()
                .map(|c| CapacityLine {
                    key: format!("modalite:{}", c.code),
                    label: c.label.clone(),
                    capacity: caps
                        .iter()
                        .find(|r| r.modalite == c.code)
                        .map(|r| r.capacity),
                })
                .collect(),
            unites: orgs::list_unites(&self.db, ctx.org())
                .await?
                .into_iter()
                .filter(|u| u.etablissement_id == etab.as_uuid())
                .map(|u| CapacityLine {
                    key: format!("unite:{}", u.id),
                    capacity: unit_caps.get(&u.id).copied().flatten(),
                    label: u.name,
                })
                .collect(),
        })
    }

    /// Sets the places of several modalities and units of one establishment at once, in one
    /// transaction: every line is checked before anything is written.
    pub async fn set_capacities(
        &self,
        ctx: &Ctx,
        etab: EtablissementId,
        lines: &[(String, String)],
    ) -> AppResult<()> {
        let current = self.capacity_settings(ctx, etab).await?;
        self.authorize(
            ctx,
            Action::ManageStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let mut errors = FieldErrors::default();
        let mut modalites = Vec::new();
        let mut unites = Vec::new();
        for (key, value) in lines {
            let Some(line) = current
                .modalites
                .iter()
                .chain(current.unites.iter())
                .find(|l| &l.key == key)
            else {
                errors.push("capacites", format!("Ligne inconnue : {key}."));
                continue;
            };
            let capacity = match value.trim() {
                "" => None,
                v => match parcours_domain::structure::parse_capacity(v) {
                    Ok(n) => Some(i64::from(n)),
                    Err(e) => {
                        errors.push("capacites", format!("{} : {}", line.label, e.message));
                        continue;
                    }
                },
            };
            if capacity == line.capacity {
                continue;
            }
            match key.split_once(':') {
                Some(("modalite", code)) => modalites.push((code.to_string(), capacity)),
                Some(("unite", id)) => unites.push((
                    id.parse::<Uuid>()
                        .map_err(|_| AppError::Internal(format!("unit key {id}")))?,
                    capacity,
                )),
                _ => errors.push("capacites", format!("Ligne inconnue : {key}.")),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        if modalites.is_empty() && unites.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for (code, capacity) in &modalites {
            q::set_capacity(&mut tx, ctx.org(), etab.as_uuid(), code, *capacity).await?;
        }
        for (unite, capacity) in &unites {
            q::set_unite_capacity(&mut tx, ctx.org(), *unite, *capacity).await?;
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::StructureChange,
            None,
            "capacite",
            json!({"etablissement": etab, "modalites": modalites, "unites": unites}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
