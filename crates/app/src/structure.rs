//! The organisation's structure: établissements/services (FINESS, category, capacity) and units.

use parcours_domain::authz::{Action, Resource};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{EtablissementId, UniteId};
use parcours_domain::structure::{self, Finess};
use parcours_store::StoreError;
use parcours_store::organisation::{self as store, EtablissementRow, UniteRow};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::AuditAction;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize)]
pub struct UniteView {
    pub id: UniteId,
    pub name: String,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EtablissementView {
    pub id: EtablissementId,
    pub name: String,
    pub finess: String,
    pub category_code: String,
    pub category_label: String,
    pub capacity: i64,
    pub active: bool,
    pub version: i64,
    pub unites: Vec<UniteView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Structures {
    pub organisation_name: String,
    /// FINESS juridique of the organisme gestionnaire, when known.
    pub organisation_finess: Option<String>,
    pub etablissements: Vec<EtablissementView>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EtablissementInput {
    pub name: String,
    pub finess: String,
    pub category_code: String,
    pub capacity: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// The version the form was built from (updates only).
    #[serde(default)]
    pub version: i64,
}

/// The organisme gestionnaire: its name and FINESS juridique (optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    pub name: String,
    #[serde(default)]
    pub finess_ej: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UniteInput {
    #[serde(default)]
    pub etablissement_id: String,
    pub name: String,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub version: i64,
}

fn yes() -> bool {
    true
}

struct ValidEtablissement {
    name: String,
    finess: Finess,
    category: String,
    capacity: u32,
}

fn validate_etablissement(input: &EtablissementInput) -> Result<ValidEtablissement, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = structure::parse_label("name", &input.name, 150)
        .map_err(|e| errors.push(e.field, e.message))
        .ok();
    let finess = Finess::parse(&input.finess)
        .map_err(|e| errors.push(e.field, e.message))
        .ok();
    let category = match structure::esms_category(input.category_code.trim()) {
        Some(c) => Some(c.code().to_string()),
        None => {
            errors.push(
                "category_code",
                "Choisissez une catégorie d'établissement FINESS connue.",
            );
            None
        }
    };
    let capacity = structure::parse_capacity(&input.capacity)
        .map_err(|e| errors.push(e.field, e.message))
        .ok();
    match (name, finess, category, capacity) {
        (Some(name), Some(finess), Some(category), Some(capacity)) if errors.is_empty() => {
            Ok(ValidEtablissement {
                name,
                finess,
                category,
                capacity,
            })
        }
        _ => Err(errors),
    }
}

impl App {
    /// The organisation's establishments and units (administration and direction).
    pub async fn structures(&self, ctx: &Ctx) -> AppResult<Structures> {
        self.authorize(
            ctx,
            Action::ViewStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        self.structures_unchecked(ctx).await
    }

    /// The same, for building choices (placements, assignments) once the caller is authorised.
    pub(crate) async fn structures_unchecked(&self, ctx: &Ctx) -> AppResult<Structures> {
        let org = store::get_organisation(&self.db, ctx.org()).await?;
        let etabs = store::list_etablissements(&self.db, ctx.org()).await?;
        let unites = store::list_unites(&self.db, ctx.org()).await?;
        Ok(Structures {
            organisation_name: org.name,
            organisation_finess: org.finess_ej,
            etablissements: etabs
                .into_iter()
                .map(|e| EtablissementView {
                    id: EtablissementId::from_uuid(e.id),
                    category_label: structure::esms_category(&e.category_code)
                        .map(|c| c.label().to_string())
                        .unwrap_or_default(),
                    unites: unites
                        .iter()
                        .filter(|u| u.etablissement_id == e.id)
                        .map(|u| UniteView {
                            id: UniteId::from_uuid(u.id),
                            name: u.name.clone(),
                            active: u.active,
                            version: u.version,
                        })
                        .collect(),
                    name: e.name,
                    finess: e.finess,
                    category_code: e.category_code,
                    capacity: e.capacity,
                    active: e.active,
                    version: e.version,
                })
                .collect(),
        })
    }

    pub async fn update_organisation(&self, ctx: &Ctx, input: &OrganisationInput) -> AppResult<()> {
        self.authorize(
            ctx,
            Action::ManageStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let mut errors = FieldErrors::default();
        let name = errors.take(structure::parse_label("name", &input.name, 150));
        let finess = if input.finess_ej.trim().is_empty() {
            Some(None)
        } else {
            errors.take(
                Finess::parse(&input.finess_ej)
                    .map(|f| Some(f.as_str().to_string()))
                    .map_err(|e| parcours_domain::error::FieldError::new("finess_ej", e.message)),
            )
        };
        let (Some(name), Some(finess_ej), true) = (name, finess, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let row = store::OrganisationRow {
            id: ctx.org(),
            name,
            finess_ej,
        };
        let mut tx = self.begin().await?;
        store::update_organisation(&mut tx, &row).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::StructureChange,
            None,
            "organisation",
            json!({"op": "modification", "name": row.name, "finess_ej": row.finess_ej}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_etablissement(
        &self,
        ctx: &Ctx,
        input: &EtablissementInput,
    ) -> AppResult<EtablissementId> {
        self.authorize(
            ctx,
            Action::ManageStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let v = validate_etablissement(input)?;
        let id = EtablissementId::from_uuid(self.new_id());
        let row = EtablissementRow {
            organisation_id: ctx.org(),
            id: id.as_uuid(),
            name: v.name,
            finess: v.finess.as_str().to_string(),
            category_code: v.category,
            capacity: i64::from(v.capacity),
            active: input.active,
            version: 1,
        };
        let mut tx = self.begin().await?;
        store::insert_etablissement(&mut tx, &row, self.now_micros())
            .await
            .map_err(finess_taken)?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::StructureChange,
            None,
            &format!("etablissement:{id}"),
            json!({"op": "creation", "name": row.name, "finess": row.finess}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_etablissement(
        &self,
        ctx: &Ctx,
        id: EtablissementId,
        input: &EtablissementInput,
    ) -> AppResult<()> {
        self.authorize(
            ctx,
            Action::ManageStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let v = validate_etablissement(input)?;
        store::get_etablissement(&self.db, ctx.org(), id.as_uuid()).await?;
        let row = EtablissementRow {
            organisation_id: ctx.org(),
            id: id.as_uuid(),
            name: v.name,
            finess: v.finess.as_str().to_string(),
            category_code: v.category,
            capacity: i64::from(v.capacity),
            active: input.active,
            version: input.version,
        };
        let mut tx = self.begin().await?;
        store::update_etablissement(&mut tx, &row, self.now_micros())
            .await
            .map_err(finess_taken)?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::StructureChange,
            None,
            &format!("etablissement:{id}"),
            json!({"op": "modification", "name": row.name, "active": row.active}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_unite(&self, ctx: &Ctx, input: &UniteInput) -> AppResult<UniteId> {
        self.authorize(
            ctx,
            Action::ManageStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let mut errors = FieldErrors::default();
        let name = structure::parse_label("name", &input.name, 100)
            .map_err(|e| errors.push(e.field, e.message))
            .ok();
        let etab = match input.etablissement_id.trim().parse::<uuid::Uuid>() {
            Ok(e)
                if store::get_etablissement(&self.db, ctx.org(), e)
                    .await
                    .is_ok() =>
            {
                Some(e)
            }
            _ => {
                errors.push("etablissement_id", "Choisissez l'établissement de l'unité.");
                None
            }
        };
        let (Some(name), Some(etab), true) = (name, etab, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let id = UniteId::from_uuid(self.new_id());
        let row = UniteRow {
            organisation_id: ctx.org(),
            id: id.as_uuid(),
            etablissement_id: etab,
            name,
            active: true,
            version: 1,
        };
        let mut tx = self.begin().await?;
        store::insert_unite(&mut tx, &row, self.now_micros())
            .await
            .map_err(unit_name_taken)?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::StructureChange,
            None,
            &format!("unite:{id}"),
            json!({"op": "creation", "name": row.name}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_unite(&self, ctx: &Ctx, id: UniteId, input: &UniteInput) -> AppResult<()> {
        self.authorize(
            ctx,
            Action::ManageStructures,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let name = structure::parse_label("name", &input.name, 100)
            .map_err(|e| AppError::field(e.field, e.message))?;
        let current = store::get_unite(&self.db, ctx.org(), id.as_uuid()).await?;
        let row = UniteRow {
            name,
            active: input.active,
            version: input.version,
            ..current
        };
        let mut tx = self.begin().await?;
        store::update_unite(&mut tx, &row, self.now_micros())
            .await
            .map_err(unit_name_taken)?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::StructureChange,
            None,
            &format!("unite:{id}"),
            json!({"op": "modification", "name": row.name, "active": row.active}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn finess_taken(e: StoreError) -> AppError {
    match e {
        StoreError::Unique(_) => AppError::field(
            "finess",
            "Un établissement de l'organisation porte déjà ce numéro FINESS.",
        ),
        other => other.into(),
    }
}

fn unit_name_taken(e: StoreError) -> AppError {
    match e {
        StoreError::Unique(_) => {
            AppError::field("name", "Une unité de cet établissement porte déjà ce nom.")
        }
        other => other.into(),
    }
}
