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
use parcours_app::medical::{MedicalFile, RoleAccessView};
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
    let banner = banner(&state, &ctx, id).await?;
    let file = match state.app.medical_file(&ctx, id).await {
        Ok(f) => Some(f),
        // The section exists for everyone who may read the person; its content does not.
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed)) => None,
        Err(e) => return Err(e.into()),
    };
    let message = match q.ok.as_str() {
        "ajout" => Some("Élément ajouté au dossier médical."),
        "correction" => Some("Correction enregistrée ; la version précédente reste consultable."),
        "resolution" => Some("Allergie marquée comme résolue."),
        "traitements" => Some("Traitements en cours enregistrés."),
        _ => None,
    };
    Ok(render(&MedicalPage {
        layout: Layout::for_ctx(&ctx),
        banner,
        message,
        file,
    }))
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
