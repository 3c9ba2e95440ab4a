//! Pages of admission: the person's "Admission et séjours" tab (requests, séjours, contracts,
//! orientation decisions, alerts) with one form page per act, the history of these records, and
//! the establishment's waiting list and occupancy.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use axum::routing::get;
use parcours_app::admission::{
    AdmissionFile, AdmissionPlace, ContratView, DecisionView, OccupancyView, RawAdmission,
    RawContrat, RawDecision, RawModalityChange, RawPlacement, RawRequest, RawSejourUpdate,
    RequestStatusChange, RequestView, SejourView,
};
use parcours_app::domain::admission::{CONTRACT_KINDS, RequestStatus};
use parcours_app::domain::authz::{Action, role_allows};
use parcours_app::domain::codelist;
use parcours_app::domain::ids::{
    ContratId, DecisionId, DemandeId, EtablissementId, SejourId, UsagerId,
};
use parcours_app::domain::orientation::DECISION_TYPES;
use parcours_app::domain::structure::esms_categories;
use parcours_app::records::RecordChange;
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{
    Choice, Errors, Form, HtmlError, HtmlResult, Layout, date_fr, datetime_fr, opt_date_fr, render,
    render_status, tick, ticked,
};
use super::{OkQuery, banner, to};
use crate::AppState;
use crate::auth::CurrentUser;
use parcours_app::records::Owned;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/admission", get(file_page))
        .route("/usagers/{id}/historique-dossier", get(history_page))
        .route(
            "/usagers/{id}/demandes/nouvelle",
            get(request_form).post(create_request),
        )
        .route(
            "/usagers/{id}/demandes/{did}/statut",
            get(status_form).post(change_status),
        )
        .route(
            "/usagers/{id}/demandes/{did}/admission",
            get(admit_form).post(admit),
        )
        .route(
            "/usagers/{id}/sejours/{sid}",
            get(sejour_form).post(update_sejour),
        )
        .route(
            "/usagers/{id}/sejours/{sid}/annulation",
            axum::routing::post(cancel_sejour),
        )
        .route(
            "/usagers/{id}/sejours/{sid}/modalite",
            get(modality_form).post(change_modality),
        )
        .route(
            "/usagers/{id}/sejours/{sid}/contrats/nouveau",
            get(new_contrat_form).post(create_contrat),
        )
        .route(
            "/usagers/{id}/sejours/{sid}/contrats/{cid}",
            get(edit_contrat_form).post(update_contrat),
        )
        .route(
            "/usagers/{id}/decisions/nouvelle",
            get(new_decision_form).post(create_decision),
        )
        .route(
            "/usagers/{id}/decisions/{did}",
            get(edit_decision_form).post(update_decision),
        )
        .route("/etablissements", get(etablissements))
        .route("/etablissements/{id}/liste-attente", get(waiting_list))
        .route("/etablissements/{id}/occupation", get(occupancy))
}

fn modalite_choices() -> Vec<Choice> {
    Choice::codes(codelist::modalites())
}

// ---------------------------------------------------------------------------------------------
// The person's admission tab

#[derive(Template)]
#[template(path = "usager_admission.html")]
struct FilePage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    file: AdmissionFile,
    can_manage: bool,
}

impl FilePage {
    fn d(&self, d: &jiff::civil::Date) -> String {
        date_fr(d)
    }
    fn od(&self, d: &Option<jiff::civil::Date>) -> String {
        opt_date_fr(d)
    }
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
    fn contrats_of(&self, s: &SejourView) -> Vec<&ContratView> {
        self.file
            .contrats
            .iter()
            .filter(|c| c.sejour_id == s.id)
            .collect()
    }
    fn admissible(&self, r: &RequestView) -> bool {
        r.status.admissible()
    }
}

async fn file_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let file = state.app.admission_file(&ctx, id).await?;
    let message = match q.ok.as_str() {
        "demande" => Some("Demande d'admission enregistrée."),
        "statut" => Some("Statut de la demande mis à jour."),
        "admission" => Some("Admission enregistrée : le ou les séjours sont créés."),
        "sejour" => Some("Séjour mis à jour."),
        "annulation" => Some("Séjour annulé."),
        "modalite" => Some("Changement de modalité enregistré."),
        "contrat" => Some("Contrat enregistré."),
        "decision" => Some("Décision d'orientation enregistrée."),
        _ => None,
    };
    Ok(render(&FilePage {
        layout: Layout::for_ctx(&ctx),
        banner,
        message,
        file,
        can_manage: role_allows(ctx.actor.role, Action::ManageAdmission),
    }))
}

#[derive(Template)]
#[template(path = "usager_record_history.html")]
struct HistoryPage {
    layout: Layout,
    banner: Banner,
    changes: Vec<RecordChange>,
}

impl HistoryPage {
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn history_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let changes = state.app.record_history(&ctx, id, 200).await?;
    Ok(render(&HistoryPage {
        layout: Layout::for_ctx(&ctx),
        banner,
        changes,
    }))
}

// ---------------------------------------------------------------------------------------------
// Requests

#[derive(Deserialize, Default)]
struct RequestForm {
    #[serde(default)]
    etablissement_id: String,
    #[serde(default)]
    modalite: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    expectations: String,
    #[serde(default)]
    documents: String,
    #[serde(default)]
    notes: String,
}

#[derive(Template)]
#[template(path = "admission_request_form.html")]
struct RequestPage {
    layout: Layout,
    banner: Banner,
    form: RequestForm,
    errors: Errors,
    etablissements: Vec<Choice>,
    modalites: Vec<Choice>,
    origins: Vec<Choice>,
    priorities: Vec<Choice>,
}

async fn request_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    form: RequestForm,
    errors: Errors,
) -> Result<RequestPage, HtmlError> {
    let places = state.app.admission_places(ctx).await?;
    Ok(RequestPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        form,
        errors,
        etablissements: places
            .into_iter()
            .map(|p| Choice::new(p.etablissement_id.to_string(), p.name))
            .collect(),
        modalites: modalite_choices(),
        origins: Choice::codes(codelist::origines_demande()),
        priorities: vec![
            Choice::new("1", "1 — urgente"),
            Choice::new("2", "2 — prioritaire"),
            Choice::new("3", "3 — normale"),
        ],
    })
}

async fn request_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let form = RequestForm {
        priority: "3".into(),
        ..RequestForm::default()
    };
    Ok(render(
        &request_page(&state, &ctx, id, form, Errors::none()).await?,
    ))
}

async fn create_request(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<RequestForm>,
) -> HtmlResult {
    let raw = RawRequest {
        etablissement_id: form.etablissement_id.clone(),
        modalite: form.modalite.clone(),
        origin: form.origin.clone(),
        received_on: form.received_on.clone(),
        priority: form.priority.clone(),
        expectations: form.expectations.clone(),
        documents: form.documents.clone(),
        notes: form.notes.clone(),
    };
    form_errors!(
        state.app.create_request(&ctx, id, &raw).await,
        to(format!("/usagers/{id}/admission?ok=demande")),
        |errors| request_page(&state, &ctx, id, form, errors).await?
    )
}

#[derive(Deserialize, Default)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: i64,
}

#[derive(Template)]
#[template(path = "admission_status_form.html")]
struct StatusPage {
    layout: Layout,
    banner: Banner,
    request: RequestView,
    form: StatusForm,
    errors: Errors,
    statuses: Vec<Choice>,
}

impl StatusPage {
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn find_request(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    did: DemandeId,
) -> Result<RequestView, HtmlError> {
    state
        .app
        .admission_file(ctx, id)
        .await?
        .requests
        .into_iter()
        .find(|r| r.id == did)
        .ok_or(HtmlError(AppError::NotFound))
}

async fn status_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    did: DemandeId,
    form: Option<StatusForm>,
    errors: Errors,
) -> Result<StatusPage, HtmlError> {
    let request = find_request(state, ctx, id, did).await?;
    let statuses = request
        .next
        .iter()
        .filter(|s| **s != RequestStatus::Admise)
        .map(|s| Choice::new(s.code(), s.label_fr()))
        .collect();
    let form = form.unwrap_or(StatusForm {
        version: request.version,
        ..StatusForm::default()
    });
    Ok(StatusPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        request,
        form,
        errors,
        statuses,
    })
}

async fn status_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, DemandeId)>,
) -> HtmlResult {
    Ok(render(
        &status_page(&state, &ctx, id, did, None, Errors::none()).await?,
    ))
}

async fn change_status(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, DemandeId)>,
    Form(form): Form<StatusForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Demande, did.as_uuid(), id).await?;
    let change = RequestStatusChange {
        status: form.status.clone(),
        reason: form.reason.clone(),
        version: form.version,
    };
    form_errors!(
        state.app.change_request_status(&ctx, did, &change).await,
        to(format!("/usagers/{id}/admission?ok=statut")),
        |errors| status_page(&state, &ctx, id, did, Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Admission

/// Up to three (unit, modality) lines: a DITEP may admit into several modalities at once.
#[derive(Deserialize, Default)]
struct AdmitForm {
    #[serde(default)]
    unite_1: String,
    #[serde(default)]
    modalite_1: String,
    #[serde(default)]
    unite_2: String,
    #[serde(default)]
    modalite_2: String,
    #[serde(default)]
    unite_3: String,
    #[serde(default)]
    modalite_3: String,
    #[serde(default)]
    planned_entry: String,
    #[serde(default)]
    entry_date: String,
    #[serde(default)]
    planned_exit: String,
    #[serde(default)]
    entry_mode: String,
    #[serde(default)]
    confirm_over_capacity: Option<String>,
}

impl AdmitForm {
    fn raw(&self) -> RawAdmission {
        let lines = [
            (&self.unite_1, &self.modalite_1),
            (&self.unite_2, &self.modalite_2),
            (&self.unite_3, &self.modalite_3),
        ];
        RawAdmission {
            placements: lines
                .into_iter()
                .enumerate()
                // The first line is always sent, so that an empty form says what is missing.
                .filter(|(i, (u, m))| *i == 0 || !u.is_empty() || !m.is_empty())
                .map(|(_, (u, m))| RawPlacement {
                    unite_id: u.clone(),
                    modalite: m.clone(),
                })
                .collect(),
            planned_entry: self.planned_entry.clone(),
            entry_date: self.entry_date.clone(),
            planned_exit: self.planned_exit.clone(),
            entry_mode: self.entry_mode.clone(),
            confirm_over_capacity: ticked(&self.confirm_over_capacity),
        }
    }
}

#[derive(Template)]
#[template(path = "admission_admit_form.html")]
struct AdmitPage {
    layout: Layout,
    banner: Banner,
    request: RequestView,
    form: AdmitForm,
    errors: Errors,
    unites: Vec<Choice>,
    modalites: Vec<Choice>,
    entry_modes: Vec<Choice>,
    may_confirm: bool,
}

async fn admit_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    did: DemandeId,
    form: Option<AdmitForm>,
    errors: Errors,
) -> Result<AdmitPage, HtmlError> {
    let request = find_request(state, ctx, id, did).await?;
    let places: Vec<AdmissionPlace> = state.app.admission_places(ctx).await?;
    let unites = places
        .into_iter()
        .filter(|p| p.etablissement_id == request.etablissement_id)
        .flat_map(|p| p.unites)
        .map(|(u, name)| Choice::new(u.to_string(), name))
        .collect();
    // The view carries the modality's label; the form's first line starts from its code.
    let requested = codelist::modalites()
        .codes
        .iter()
        .find(|c| c.label == request.modalite)
        .map(|c| c.code.clone())
        .unwrap_or_default();
    let form = form.unwrap_or(AdmitForm {
        modalite_1: requested,
        ..AdmitForm::default()
    });
    Ok(AdmitPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        request,
        form,
        errors,
        unites,
        modalites: modalite_choices(),
        entry_modes: Choice::codes(codelist::modes_entree()),
        may_confirm: role_allows(ctx.actor.role, Action::ConfirmOverCapacity),
    })
}

async fn admit_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, DemandeId)>,
) -> HtmlResult {
    Ok(render(
        &admit_page(&state, &ctx, id, did, None, Errors::none()).await?,
    ))
}

async fn admit(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, DemandeId)>,
    Form(form): Form<AdmitForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Demande, did.as_uuid(), id).await?;
    form_errors!(
        state.app.admit(&ctx, did, &form.raw()).await,
        to(format!("/usagers/{id}/admission?ok=admission")),
        |errors| admit_page(&state, &ctx, id, did, Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Séjours

async fn find_sejour(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    sid: SejourId,
) -> Result<(AdmissionFile, SejourView), HtmlError> {
    let file = state.app.admission_file(ctx, id).await?;
    let s = file
        .sejours
        .iter()
        .find(|s| s.id == sid)
        .cloned()
        .ok_or(HtmlError(AppError::NotFound))?;
    Ok((file, s))
}

#[derive(Deserialize, Default)]
struct SejourForm {
    #[serde(default)]
    entry_date: String,
    #[serde(default)]
    planned_exit: String,
    #[serde(default)]
    exit_date: String,
    #[serde(default)]
    exit_mode: String,
    #[serde(default)]
    exit_destination: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: i64,
}

#[derive(Template)]
#[template(path = "sejour_form.html")]
struct SejourPage {
    layout: Layout,
    banner: Banner,
    sejour: SejourView,
    form: SejourForm,
    errors: Errors,
    exit_modes: Vec<Choice>,
}

async fn sejour_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    sid: SejourId,
    form: Option<SejourForm>,
    errors: Errors,
) -> Result<SejourPage, HtmlError> {
    let (_, s) = find_sejour(state, ctx, id, sid).await?;
    let iso = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let form = form.unwrap_or(SejourForm {
        entry_date: iso(s.dates.entry),
        planned_exit: iso(s.dates.planned_exit),
        exit_date: iso(s.dates.exit),
        exit_mode: s.exit_mode.clone().unwrap_or_default(),
        exit_destination: s.exit_destination.clone().unwrap_or_default(),
        reason: String::new(),
        version: s.version,
    });
    Ok(SejourPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        sejour: s,
        form,
        errors,
        exit_modes: Choice::codes(codelist::modes_sortie()),
    })
}

async fn sejour_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid)): Path<(UsagerId, SejourId)>,
) -> HtmlResult {
    Ok(render(
        &sejour_page(&state, &ctx, id, sid, None, Errors::none()).await?,
    ))
}

async fn update_sejour(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid)): Path<(UsagerId, SejourId)>,
    Form(form): Form<SejourForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Sejour, sid.as_uuid(), id).await?;
    let raw = RawSejourUpdate {
        entry_date: form.entry_date.clone(),
        planned_exit: form.planned_exit.clone(),
        exit_date: form.exit_date.clone(),
        exit_mode: form.exit_mode.clone(),
        exit_destination: form.exit_destination.clone(),
        version: form.version,
    };
    form_errors!(
        state.app.update_sejour(&ctx, sid, &raw).await,
        to(format!("/usagers/{id}/admission?ok=sejour")),
        |errors| sejour_page(&state, &ctx, id, sid, Some(form), errors).await?
    )
}

async fn cancel_sejour(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid)): Path<(UsagerId, SejourId)>,
    Form(form): Form<SejourForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Sejour, sid.as_uuid(), id).await?;
    form_errors!(
        state
            .app
            .cancel_sejour(&ctx, sid, &form.reason, form.version)
            .await,
        to(format!("/usagers/{id}/admission?ok=annulation")),
        |errors| sejour_page(&state, &ctx, id, sid, Some(form), errors).await?
    )
}

#[derive(Deserialize, Default)]
struct ModalityForm {
    #[serde(default)]
    modalite: String,
    #[serde(default)]
    unite_id: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    confirm_over_capacity: Option<String>,
}

#[derive(Template)]
#[template(path = "sejour_modalite_form.html")]
struct ModalityPage {
    layout: Layout,
    banner: Banner,
    sejour: SejourView,
    form: ModalityForm,
    errors: Errors,
    unites: Vec<Choice>,
    modalites: Vec<Choice>,
    may_confirm: bool,
}

async fn modality_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    sid: SejourId,
    form: Option<ModalityForm>,
    errors: Errors,
) -> Result<ModalityPage, HtmlError> {
    let (_, s) = find_sejour(state, ctx, id, sid).await?;
    let unites = state
        .app
        .admission_places(ctx)
        .await?
        .into_iter()
        .filter(|p| p.etablissement_id == s.etablissement_id)
        .flat_map(|p| p.unites)
        .map(|(u, name)| Choice::new(u.to_string(), name))
        .collect();
    let form = form.unwrap_or(ModalityForm {
        version: s.version,
        ..ModalityForm::default()
    });
    Ok(ModalityPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        sejour: s,
        form,
        errors,
        unites,
        modalites: modalite_choices(),
        may_confirm: role_allows(ctx.actor.role, Action::ConfirmOverCapacity),
    })
}

async fn modality_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid)): Path<(UsagerId, SejourId)>,
) -> HtmlResult {
    Ok(render(
        &modality_page(&state, &ctx, id, sid, None, Errors::none()).await?,
    ))
}

async fn change_modality(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid)): Path<(UsagerId, SejourId)>,
    Form(form): Form<ModalityForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Sejour, sid.as_uuid(), id).await?;
    let raw = RawModalityChange {
        modalite: form.modalite.clone(),
        unite_id: form.unite_id.clone(),
        on: form.on.clone(),
        version: form.version,
        confirm_over_capacity: ticked(&form.confirm_over_capacity),
    };
    form_errors!(
        state.app.change_modality(&ctx, sid, &raw).await,
        to(format!("/usagers/{id}/admission?ok=modalite")),
        |errors| modality_page(&state, &ctx, id, sid, Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Contracts

#[derive(Deserialize, Default)]
struct ContratForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    handed_on: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    signatories: String,
    #[serde(default)]
    document_ref: String,
    #[serde(default)]
    version: Option<i64>,
}

impl ContratForm {
    fn raw(&self) -> RawContrat {
        RawContrat {
            kind: self.kind.clone(),
            parent_id: self.parent_id.clone(),
            object: self.object.clone(),
            handed_on: self.handed_on.clone(),
            signed_on: self.signed_on.clone(),
            signatories: self.signatories.clone(),
            document_ref: self.document_ref.clone(),
            version: self.version,
        }
    }
}

#[derive(Template)]
#[template(path = "contrat_form.html")]
struct ContratPage {
    layout: Layout,
    banner: Banner,
    sejour: SejourView,
    action: String,
    form: ContratForm,
    errors: Errors,
    kinds: Vec<Choice>,
    parents: Vec<Choice>,
}

async fn contrat_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    sid: SejourId,
    cid: Option<ContratId>,
    form: Option<ContratForm>,
    errors: Errors,
) -> Result<ContratPage, HtmlError> {
    let (file, s) = find_sejour(state, ctx, id, sid).await?;
    let of_sejour: Vec<&ContratView> = file
        .contrats
        .iter()
        .filter(|c| c.sejour_id == sid)
        .collect();
    let form = match (form, cid) {
        (Some(f), _) => f,
        (None, None) => ContratForm::default(),
        (None, Some(cid)) => {
            let c = of_sejour
                .iter()
                .find(|c| c.id == cid)
                .ok_or(HtmlError(AppError::NotFound))?;
            let iso = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
            ContratForm {
                kind: c.kind.clone(),
                parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                object: c.object.clone().unwrap_or_default(),
                handed_on: iso(c.handed_on),
                signed_on: iso(c.signed_on),
                signatories: c.signatories.clone().unwrap_or_default(),
                document_ref: c.document_ref.clone().unwrap_or_default(),
                version: Some(c.version),
            }
        }
    };
    let parents = of_sejour
        .iter()
        .filter(|c| c.kind != "avenant" && Some(c.id) != cid)
        .map(|c| {
            Choice::new(
                c.id.to_string(),
                format!("{} — signé le {}", c.kind_label, opt_date_fr(&c.signed_on)),
            )
        })
        .collect();
    Ok(ContratPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        action: match cid {
            Some(c) => format!("/usagers/{id}/sejours/{sid}/contrats/{c}"),
            None => format!("/usagers/{id}/sejours/{sid}/contrats/nouveau"),
        },
        sejour: s,
        form,
        errors,
        kinds: Choice::table(CONTRACT_KINDS),
        parents,
    })
}

async fn new_contrat_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid)): Path<(UsagerId, SejourId)>,
) -> HtmlResult {
    Ok(render(
        &contrat_page(&state, &ctx, id, sid, None, None, Errors::none()).await?,
    ))
}

async fn edit_contrat_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid, cid)): Path<(UsagerId, SejourId, ContratId)>,
) -> HtmlResult {
    Ok(render(
        &contrat_page(&state, &ctx, id, sid, Some(cid), None, Errors::none()).await?,
    ))
}

async fn create_contrat(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid)): Path<(UsagerId, SejourId)>,
    Form(form): Form<ContratForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Sejour, sid.as_uuid(), id).await?;
    form_errors!(
        state.app.save_contrat(&ctx, sid, None, &form.raw()).await,
        to(format!("/usagers/{id}/admission?ok=contrat")),
        |errors| contrat_page(&state, &ctx, id, sid, None, Some(form), errors).await?
    )
}

async fn update_contrat(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, sid, cid)): Path<(UsagerId, SejourId, ContratId)>,
    Form(form): Form<ContratForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Sejour, sid.as_uuid(), id).await?;
    form_errors!(
        state
            .app
            .save_contrat(&ctx, sid, Some(cid), &form.raw())
            .await,
        to(format!("/usagers/{id}/admission?ok=contrat")),
        |errors| contrat_page(&state, &ctx, id, sid, Some(cid), Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Orientation decisions

#[derive(Deserialize, Default)]
struct DecisionForm {
    #[serde(default)]
    decision_type: String,
    #[serde(default)]
    category_code: String,
    #[serde(default)]
    modalite: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    decision_number: String,
    #[serde(default)]
    viatrajectoire_id: String,
    #[serde(default)]
    creton: Option<String>,
    #[serde(default)]
    mdph: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    version: Option<i64>,
}

impl DecisionForm {
    fn raw(&self) -> RawDecision {
        RawDecision {
            decision_type: self.decision_type.clone(),
            category_code: self.category_code.clone(),
            modalite: self.modalite.clone(),
            decided_on: self.decided_on.clone(),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            decision_number: self.decision_number.clone(),
            viatrajectoire_id: self.viatrajectoire_id.clone(),
            creton: ticked(&self.creton),
            mdph: self.mdph.clone(),
            notes: self.notes.clone(),
            version: self.version,
        }
    }

    fn of(d: &DecisionView) -> DecisionForm {
        let iso = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        DecisionForm {
            decision_type: d.decision_type.clone(),
            category_code: d.category_code.clone(),
            modalite: d.modalite.clone().unwrap_or_default(),
            decided_on: iso(d.decided_on),
            start_date: d.validity.start.to_string(),
            end_date: iso(d.validity.end),
            decision_number: d.decision_number.clone().unwrap_or_default(),
            viatrajectoire_id: d.viatrajectoire_id.clone().unwrap_or_default(),
            creton: tick(d.creton),
            mdph: d.mdph.clone().unwrap_or_default(),
            notes: d.notes.clone().unwrap_or_default(),
            version: Some(d.version),
        }
    }
}

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionPage {
    layout: Layout,
    banner: Banner,
    action: String,
    form: DecisionForm,
    errors: Errors,
    types: Vec<Choice>,
    categories: Vec<Choice>,
    modalites: Vec<Choice>,
}

async fn decision_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    did: Option<DecisionId>,
    form: Option<DecisionForm>,
    errors: Errors,
) -> Result<DecisionPage, HtmlError> {
    let form = match (form, did) {
        (Some(f), _) => f,
        (None, None) => DecisionForm::default(),
        (None, Some(did)) => state
            .app
            .admission_file(ctx, id)
            .await?
            .decisions
            .iter()
            .find(|d| d.id == did)
            .map(DecisionForm::of)
            .ok_or(HtmlError(AppError::NotFound))?,
    };
    Ok(DecisionPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        action: match did {
            Some(d) => format!("/usagers/{id}/decisions/{d}"),
            None => format!("/usagers/{id}/decisions/nouvelle"),
        },
        form,
        errors,
        types: Choice::table(DECISION_TYPES),
        categories: esms_categories()
            .into_iter()
            .filter(|c| !c.deprecated())
            .map(|c| Choice::new(c.code(), format!("{} — {}", c.code(), c.label())))
            .collect(),
        modalites: modalite_choices(),
    })
}

async fn new_decision_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    Ok(render(
        &decision_page(&state, &ctx, id, None, None, Errors::none()).await?,
    ))
}

async fn edit_decision_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, DecisionId)>,
) -> HtmlResult {
    Ok(render(
        &decision_page(&state, &ctx, id, Some(did), None, Errors::none()).await?,
    ))
}

async fn create_decision(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<DecisionForm>,
) -> HtmlResult {
    form_errors!(
        state.app.save_decision(&ctx, id, None, &form.raw()).await,
        to(format!("/usagers/{id}/admission?ok=decision")),
        |errors| decision_page(&state, &ctx, id, None, Some(form), errors).await?
    )
}

async fn update_decision(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, DecisionId)>,
    Form(form): Form<DecisionForm>,
) -> HtmlResult {
    form_errors!(
        state
            .app
            .save_decision(&ctx, id, Some(did), &form.raw())
            .await,
        to(format!("/usagers/{id}/admission?ok=decision")),
        |errors| decision_page(&state, &ctx, id, Some(did), Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Establishments: waiting list and occupancy

#[derive(Template)]
#[template(path = "etablissements.html")]
struct EtablissementsPage {
    layout: Layout,
    places: Vec<AdmissionPlace>,
}

async fn etablissements(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
) -> HtmlResult {
    let places = state.app.admission_places(&ctx).await?;
    Ok(render(&EtablissementsPage {
        layout: Layout::for_ctx(&ctx),
        places,
    }))
}

#[derive(Template)]
#[template(path = "etablissement_liste_attente.html")]
struct WaitingPage {
    layout: Layout,
    etablissement_id: EtablissementId,
    name: String,
    requests: Vec<RequestView>,
}

async fn waiting_list(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<EtablissementId>,
) -> HtmlResult {
    let requests = state.app.waiting_list(&ctx, id).await?;
    let name = state
        .app
        .admission_places(&ctx)
        .await?
        .into_iter()
        .find(|p| p.etablissement_id == id)
        .map(|p| p.name)
        .unwrap_or_default();
    Ok(render(&WaitingPage {
        layout: Layout::for_ctx(&ctx),
        etablissement_id: id,
        name,
        requests,
    }))
}

#[derive(Deserialize, Default)]
struct OccupancyQuery {
    #[serde(default)]
    date: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

#[derive(Template)]
#[template(path = "etablissement_occupation.html")]
struct OccupancyPage {
    layout: Layout,
    o: OccupancyView,
    errors: Errors,
    q: OccupancyQuery,
}

impl OccupancyPage {
    fn d(&self, d: &jiff::civil::Date) -> String {
        date_fr(d)
    }
    fn modalite(&self, code: &str) -> String {
        codelist::modalites().label(code).to_string()
    }
    fn rate(&self, o: &parcours_app::domain::admission::Occupancy) -> String {
        o.rate()
            .map(|r| format!("{r} %"))
            .unwrap_or_else(|| "—".to_string())
    }
    fn capacity(&self, o: &parcours_app::domain::admission::Occupancy) -> String {
        o.capacity
            .map(|c| c.to_string())
            .unwrap_or_else(|| "non renseignée".to_string())
    }
}

async fn occupancy(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<EtablissementId>,
    Query(q): Query<OccupancyQuery>,
) -> HtmlResult {
    let today = state.app.today();
    let month_start = today.first_of_month();
    let mut errors = parcours_app::domain::error::FieldErrors::default();
    let mut pick = |field: &'static str, s: &str, default: jiff::civil::Date| {
        if s.trim().is_empty() {
            return default;
        }
        match parcours_app::domain::input::date(field, s) {
            Ok(d) => d,
            Err(e) => {
                errors.add(e);
                default
            }
        }
    };
    let on = pick("date", &q.date, today);
    let from = pick("du", &q.du, month_start);
    let to_ = pick("au", &q.au, today);
    let o = match state.app.occupancy(&ctx, id, on, from, to_).await {
        Ok(o) => o,
        Err(AppError::Validation(e)) => {
            errors.0.extend(e.0);
            state
                .app
                .occupancy(&ctx, id, on, month_start, today)
                .await?
        }
        Err(e) => return Err(e.into()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &OccupancyPage {
            layout: Layout::for_ctx(&ctx),
            o,
            errors: Errors(errors),
            q,
        },
    ))
}
