//! Pages of the medical file (volet médical) under medical secret: the person's medical file with
//! every entry's earlier versions, one form per entry (add or correct), the resolution of an
//! allergy, the summary of treatments, and the administrator's page of medical access per role.
//! A professional without medical access sees that the file exists, never its content.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use parcours_app::domain::authz::DenyReason;
use parcours_app::domain::ids::UsagerId;
use parcours_app::domain::medical::{
    AllergyKind, EntryKind, ObservationKind, RawAllergie, RawAntecedent, RawEntry, RawObservation,
    RawVaccination, Severity,
};
use parcours_app::domain::medical::{DELEGATION_MAX_DAYS, RawDelegation};
use parcours_app::domain::professional::Role;
use parcours_app::medical::{DelegationView, EmergencyView, MedicalFile, RoleAccessView};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;
use uuid::Uuid;

use super::usager::Banner;
use super::{
    Choice, Errors, Form, HtmlError, HtmlResult, Layout, OkQuery, banner, datetime_fr, render,
    render_status, to,
};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/medical", get(medical_page))
        .route(
            "/usagers/{id}/medical/traitements",
            get(treatments_form).post(save_treatments),
        )
        .route(
            "/usagers/{id}/medical/{kind}/nouveau",
            get(new_form).post(add_entry),
        )
        .route(
            "/usagers/{id}/medical/{kind}/{eid}",
            get(edit_form).post(correct_entry),
        )
        .route(
            "/usagers/{id}/medical/allergies/{eid}/resolution",
            post(resolve),
        )
        .route("/admin/acces-medical", get(access_page).post(save_access))
        .route("/usagers/{id}/medical/bris-de-glace", post(break_glass))
        .route("/usagers/{id}/medical/delegations", post(grant_delegation))
        .route(
            "/usagers/{id}/medical/delegations/{did}/revocation",
            post(revoke_delegation),
        )
        .route("/revue-bris-de-glace", get(review_page))
        .route("/revue-bris-de-glace/{eid}", post(review))
}

fn kind_of(slug: &str) -> Result<EntryKind, HtmlError> {
    EntryKind::from_slug(slug).ok_or(HtmlError(AppError::NotFound))
}

fn fr(d: &str) -> String {
    d.parse::<jiff::civil::Date>()
        .map(|d| super::date_fr(&d))
        .unwrap_or_else(|_| d.to_string())
}

// ---------------------------------------------------------------------------------------------
// The medical file

#[derive(Template)]
#[template(path = "usager_medical.html")]
struct MedicalPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    /// `None`: the professional has no medical access (medical secret).
    file: Option<MedicalFile>,
    /// Errors of the break-the-glass or delegation form sent back.
    errors: Errors,
    /// The emergency reason typed, sent back with its error.
    emergency_reason: String,
    /// Physicians who may write the file: the delegations and the form to grant one.
    delegations: Option<Vec<DelegationView>>,
    delegates: Vec<Choice>,
    delegation: DelegationForm,
    max_days: i64,
    /// Physicians and the direction: the link to the review queue.
    can_review: bool,
}

#[derive(Deserialize, Default, Clone)]
struct DelegationForm {
    #[serde(default)]
    delegate: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    reason: String,
}

impl MedicalPage {
    fn d(&self, s: &str) -> String {
        fr(s)
    }
    fn t(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn medical_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let message = match q.ok.as_str() {
        "ajout" => Some("Élément ajouté au dossier médical."),
        "correction" => Some("Correction enregistrée ; la version précédente reste consultable."),
        "resolution" => Some("Allergie marquée comme résolue."),
        "traitements" => Some("Traitements en cours enregistrés."),
        "urgence" => {
            Some("Accès en urgence ouvert : il est tracé dans l'historique des accès et sera relu.")
        }
        "delegation" => Some("Délégation enregistrée."),
        "revocation" => Some("Délégation révoquée."),
        "document" => Some("Document versé au dossier médical."),
        _ => None,
    };
    let page = medical_page_for(
        &state,
        &ctx,
        id,
        message,
        Errors::none(),
        String::new(),
        DelegationForm::default(),
    )
    .await?;
    Ok(render(&page))
}

async fn medical_page_for(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    message: Option<&'static str>,
    errors: Errors,
    emergency_reason: String,
    delegation: DelegationForm,
) -> Result<MedicalPage, HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let file = match state.app.medical_file(ctx, id).await {
        Ok(f) => Some(f),
        // The section exists for everyone who may read the person; its content does not.
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed)) => None,
        Err(e) => return Err(e.into()),
    };
    let physician = ctx.actor.role == Role::Medecin && file.as_ref().is_some_and(|f| f.can_write);
    let (delegations, delegates) = if physician {
        let options = state.app.delegate_options(ctx).await?;
        (
            Some(state.app.medical_delegations(ctx, id).await?),
            options
                .into_iter()
                .map(|o| Choice::new(o.id.to_string(), format!("{} ({})", o.name, o.role_label)))
                .collect(),
        )
    } else {
        (None, Vec::new())
    };
    let delegation = if delegation.starts_on.is_empty() && delegation.ends_on.is_empty() {
        DelegationForm {
            starts_on: state.app.today().to_string(),
            ..delegation
        }
    } else {
        delegation
    };
    Ok(MedicalPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message,
        file,
        errors,
        emergency_reason,
        delegations,
        delegates,
        delegation,
        max_days: DELEGATION_MAX_DAYS,
        can_review: matches!(ctx.actor.role, Role::Medecin | Role::Direction),
    })
}

#[derive(Deserialize, Default)]
struct EmergencyForm {
    #[serde(default)]
    reason: String,
}

async fn break_glass(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<EmergencyForm>,
) -> HtmlResult {
    match state.app.break_the_glass(&ctx, id, &form.reason).await {
        Ok(_) => to(format!("/usagers/{id}/medical?ok=urgence")),
        Err(AppError::Validation(e)) => {
            let page = medical_page_for(
                &state,
                &ctx,
                id,
                None,
                Errors(e),
                form.reason,
                DelegationForm::default(),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn grant_delegation(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<DelegationForm>,
) -> HtmlResult {
    let raw = RawDelegation {
        delegate: form.delegate.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
        reason: form.reason.clone(),
    };
    match state.app.grant_medical_delegation(&ctx, id, &raw).await {
        Ok(_) => to(format!(
            "/usagers/{id}/medical?ok=delegation#delegations-titre"
        )),
        Err(AppError::Validation(e)) => {
            let page =
                medical_page_for(&state, &ctx, id, None, Errors(e), String::new(), form).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct RevokeForm {
    #[serde(default)]
    reason: String,
}

async fn revoke_delegation(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    Form(form): Form<RevokeForm>,
) -> HtmlResult {
    state
        .app
        .revoke_medical_delegation(&ctx, id, did, &form.reason)
        .await?;
    to(format!(
        "/usagers/{id}/medical?ok=revocation#delegations-titre"
    ))
}

// ---------------------------------------------------------------------------------------------
// Review of emergency openings (break-the-glass)

#[derive(Template)]
#[template(path = "medical_review.html")]
struct ReviewPage {
    layout: Layout,
    queue: Vec<EmergencyView>,
    saved: bool,
    errors: Errors,
}

impl ReviewPage {
    fn t(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn review_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let queue = state.app.emergency_review_queue(&ctx).await?;
    Ok(render(&ReviewPage {
        layout: Layout::for_ctx(&ctx),
        queue,
        saved: q.ok == "revu",
        errors: Errors::none(),
    }))
}

#[derive(Deserialize, Default)]
struct ReviewForm {
    #[serde(default)]
    comment: String,
}

async fn review(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(eid): Path<Uuid>,
    Form(form): Form<ReviewForm>,
) -> HtmlResult {
    match state
        .app
        .review_emergency_access(&ctx, eid, &form.comment)
        .await
    {
        Ok(()) => to("/revue-bris-de-glace?ok=revu".to_string()),
        Err(AppError::Validation(e)) => {
            let queue = state.app.emergency_review_queue(&ctx).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ReviewPage {
                    layout: Layout::for_ctx(&ctx),
                    queue,
                    saved: false,
                    errors: Errors(e),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One entry: add or correct

/// The fields of every kind of entry (each form shows its own); names are those of the domain's
/// inputs, so errors land next to the right field.
#[derive(Deserialize, Default, Clone)]
struct EntryForm {
    #[serde(default)]
    substance: String,
    #[serde(default)]
    reaction: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    noted_on: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    texte: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    vaccine: String,
    #[serde(default)]
    lot: String,
    #[serde(default)]
    dose: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
}

impl EntryForm {
    fn raw(&self, kind: EntryKind) -> RawEntry {
        let f = self.clone();
        match kind {
            EntryKind::Allergie => RawEntry::Allergie(RawAllergie {
                substance: f.substance,
                reaction: f.reaction,
                severity: f.severity,
                kind: f.kind,
                noted_on: f.noted_on,
            }),
            EntryKind::Antecedent => RawEntry::Antecedent(RawAntecedent {
                code: f.code,
                texte: f.texte,
                date: f.date,
            }),
            EntryKind::Vaccination => RawEntry::Vaccination(RawVaccination {
                vaccine: f.vaccine,
                date: f.date,
                lot: f.lot,
                dose: f.dose,
            }),
            EntryKind::Observation => RawEntry::Observation(RawObservation {
                date: f.date,
                kind: f.kind,
                texte: f.texte,
            }),
        }
    }

    /// The current version of an entry of the file, to correct it.
    fn of(file: &MedicalFile, kind: EntryKind, id: Uuid) -> Option<EntryForm> {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        match kind {
            EntryKind::Allergie => {
                file.allergies
                    .iter()
                    .find(|x| x.meta.id == id)
                    .map(|x| EntryForm {
                        substance: x.substance.clone(),
                        reaction: s(&x.reaction),
                        severity: x.severity.clone(),
                        kind: x.kind.clone(),
                        noted_on: s(&x.noted_on),
                        version: x.meta.version.to_string(),
                        ..EntryForm::default()
                    })
            }
            EntryKind::Antecedent => {
                file.antecedents
                    .iter()
                    .find(|x| x.meta.id == id)
                    .map(|x| EntryForm {
                        code: s(&x.code),
                        texte: x.texte.clone(),
                        date: s(&x.date),
                        version: x.meta.version.to_string(),
                        ..EntryForm::default()
                    })
            }
            EntryKind::Vaccination => {
                file.vaccinations
                    .iter()
                    .find(|x| x.meta.id == id)
                    .map(|x| EntryForm {
                        vaccine: x.vaccine.clone(),
                        date: x.date.clone(),
                        lot: s(&x.lot),
                        dose: s(&x.dose),
                        version: x.meta.version.to_string(),
                        ..EntryForm::default()
                    })
            }
            EntryKind::Observation => {
                file.observations
                    .iter()
                    .find(|x| x.meta.id == id)
                    .map(|x| EntryForm {
                        date: x.date.clone(),
                        kind: x.kind.clone(),
                        texte: x.texte.clone(),
                        version: x.meta.version.to_string(),
                        ..EntryForm::default()
                    })
            }
        }
    }
}

#[derive(Template)]
#[template(path = "medical_form.html")]
struct EntryPage {
    layout: Layout,
    banner: Banner,
    kind: &'static str,
    title: String,
    action: String,
    correcting: bool,
    form: EntryForm,
    errors: Errors,
    severities: Vec<Choice>,
    allergy_kinds: Vec<Choice>,
    observation_kinds: Vec<Choice>,
}

fn entry_page(
    ctx: &Ctx,
    banner: Banner,
    kind: EntryKind,
    eid: Option<Uuid>,
    form: EntryForm,
    errors: Errors,
) -> EntryPage {
    let base = format!("/usagers/{}/medical/{}", banner.id, kind.slug());
    EntryPage {
        layout: Layout::for_ctx(ctx),
        kind: kind.slug(),
        title: match eid {
            Some(_) => format!("Corriger : {}", kind.label_fr().to_lowercase()),
            None => format!("Ajouter : {}", kind.label_fr().to_lowercase()),
        },
        action: match eid {
            Some(e) => format!("{base}/{e}"),
            None => format!("{base}/nouveau"),
        },
        correcting: eid.is_some(),
        banner,
        form,
        errors,
        severities: Choice::table(&Severity::table()),
        allergy_kinds: Choice::table(&AllergyKind::table()),
        observation_kinds: Choice::table(&ObservationKind::table()),
    }
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, kind)): Path<(UsagerId, String)>,
) -> HtmlResult {
    let kind = kind_of(&kind)?;
    let banner = banner(&state, &ctx, id).await?;
    // Reading the file first: no form for who may not write.
    let file = state.app.medical_file(&ctx, id).await?;
    if !file.can_write {
        return Err(HtmlError(AppError::Forbidden(DenyReason::RoleNotAllowed)));
    }
    let today = state.app.today().to_string();
    let form = EntryForm {
        date: if kind == EntryKind::Observation {
            today
        } else {
            String::new()
        },
        ..EntryForm::default()
    };
    Ok(render(&entry_page(
        &ctx,
        banner,
        kind,
        None,
        form,
        Errors::none(),
    )))
}

async fn add_entry(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, kind)): Path<(UsagerId, String)>,
    Form(form): Form<EntryForm>,
) -> HtmlResult {
    let kind = kind_of(&kind)?;
    match state.app.add_medical_entry(&ctx, id, &form.raw(kind)).await {
        Ok(_) => to(format!("/usagers/{id}/medical?ok=ajout")),
        Err(AppError::Validation(e)) => {
            let banner = banner(&state, &ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &entry_page(&ctx, banner, kind, None, form, Errors(e)),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, kind, eid)): Path<(UsagerId, String, Uuid)>,
) -> HtmlResult {
    let kind = kind_of(&kind)?;
    let banner = banner(&state, &ctx, id).await?;
    let file = state.app.medical_file(&ctx, id).await?;
    if !file.can_write {
        return Err(HtmlError(AppError::Forbidden(DenyReason::RoleNotAllowed)));
    }
    let form = EntryForm::of(&file, kind, eid).ok_or(HtmlError(AppError::NotFound))?;
    Ok(render(&entry_page(
        &ctx,
        banner,
        kind,
        Some(eid),
        form,
        Errors::none(),
    )))
}

fn version_of(s: &str) -> Result<i64, HtmlError> {
    s.trim().parse().map_err(|_| {
        HtmlError(AppError::field(
            "version",
            "Version manquante : rouvrez la page.",
        ))
    })
}

async fn correct_entry(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, kind, eid)): Path<(UsagerId, String, Uuid)>,
    Form(form): Form<EntryForm>,
) -> HtmlResult {
    let kind = kind_of(&kind)?;
    let version = version_of(&form.version)?;
    match state
        .app
        .correct_medical_entry(&ctx, id, eid, &form.raw(kind), version, &form.reason)
        .await
    {
        Ok(_) => to(format!("/usagers/{id}/medical?ok=correction")),
        Err(AppError::Validation(e)) => {
            let banner = banner(&state, &ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &entry_page(&ctx, banner, kind, Some(eid), form, Errors(e)),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct ResolveForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
}

async fn resolve(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, eid)): Path<(UsagerId, Uuid)>,
    Form(form): Form<ResolveForm>,
) -> HtmlResult {
    let version = version_of(&form.version)?;
    state
        .app
        .resolve_allergy(&ctx, id, eid, version, &form.reason)
        .await?;
    to(format!("/usagers/{id}/medical?ok=resolution"))
}

// ---------------------------------------------------------------------------------------------
// Treatments

#[derive(Deserialize, Default)]
struct TreatmentsForm {
    #[serde(default)]
    texte: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "medical_treatments.html")]
struct TreatmentsPage {
    layout: Layout,
    banner: Banner,
    form: TreatmentsForm,
    errors: Errors,
}

async fn treatments_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let file = state.app.medical_file(&ctx, id).await?;
    if !file.can_write {
        return Err(HtmlError(AppError::Forbidden(DenyReason::RoleNotAllowed)));
    }
    let form = match &file.treatments {
        Some(t) => TreatmentsForm {
            texte: t.texte.clone(),
            version: t.meta.version.to_string(),
            reason: String::new(),
        },
        None => TreatmentsForm::default(),
    };
    Ok(render(&TreatmentsPage {
        layout: Layout::for_ctx(&ctx),
        banner,
        form,
        errors: Errors::none(),
    }))
}

async fn save_treatments(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<TreatmentsForm>,
) -> HtmlResult {
    let version = match form.version.trim() {
        "" => None,
        v => Some(version_of(v)?),
    };
    match state
        .app
        .set_treatments(&ctx, id, &form.texte, version, &form.reason)
        .await
    {
        Ok(_) => to(format!("/usagers/{id}/medical?ok=traitements")),
        Err(AppError::Validation(e)) => {
            let banner = banner(&state, &ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &TreatmentsPage {
                    layout: Layout::for_ctx(&ctx),
                    banner,
                    form,
                    errors: Errors(e),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Administration: medical access per role

#[derive(Template)]
#[template(path = "admin_medical_access.html")]
struct AccessPage {
    layout: Layout,
    roles: Vec<RoleAccessView>,
    saved: bool,
    errors: Errors,
}

async fn access_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let roles = state.app.medical_access_settings(&ctx).await?;
    Ok(render(&AccessPage {
        layout: Layout::for_ctx(&ctx),
        roles,
        saved: q.ok == "enregistre",
        errors: Errors::none(),
    }))
}

#[derive(Deserialize, Default)]
struct AccessForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    read: Option<String>,
    #[serde(default)]
    write: Option<String>,
}

async fn save_access(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<AccessForm>,
) -> HtmlResult {
    let (read, write) = (super::ticked(&form.read), super::ticked(&form.write));
    match state
        .app
        .set_medical_access(&ctx, &form.role, read, write)
        .await
    {
        Ok(()) => to("/admin/acces-medical?ok=enregistre".to_string()),
        Err(AppError::Validation(e)) => {
            let roles = state.app.medical_access_settings(&ctx).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AccessPage {
                    layout: Layout::for_ctx(&ctx),
                    roles,
                    saved: false,
                    errors: Errors(e),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
