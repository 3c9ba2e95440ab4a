//! The SERAFIN-PH nomenclatures over JSON: search or list the concepts of an edition, and one concept
//! with its ancestors and children. Reference data (no personal data): any valid session may read it,
//! nothing is audited.

use axum::extract::{Path, Query};
use axum::routing::get;
use axum::{Json, Router};
use parcours_app::AppError;
use parcours_app::domain::error::{FieldError, FieldErrors};
use parcours_app::domain::serafin::{self, Concept, Family, Nomenclature};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/serafin", get(list_concepts))
        .route("/serafin/{code}", get(get_concept))
}

/// One concept of the nomenclatures.
#[derive(Serialize, ToSchema)]
pub struct ConceptOut {
    /// SMT code (`2.3.1.1`).
    pub code: String,
    /// Label, verbatim from the SMT.
    pub label: String,
    /// Code of the concept above, absent for the roots `1`, `2`, `3`.
    pub parent: Option<String>,
    /// Number of segments of the code (1 to 4).
    pub level: u8,
    /// `besoins`, `prestations_directes` or `prestations_indirectes`.
    pub family: String,
    /// True when no concept is below this one.
    pub leaf: bool,
}

impl From<&Concept> for ConceptOut {
    fn from(c: &Concept) -> Self {
        ConceptOut {
            code: c.code.clone(),
            label: c.label.clone(),
            parent: c.parent.clone(),
            level: c.level,
            family: c.family.code().to_string(),
            leaf: c.leaf,
        }
    }
}

/// The concepts found, in code order.
#[derive(Serialize, ToSchema)]
pub struct ConceptListOut {
    /// Edition searched (`2023.1.0`).
    pub version: String,
    pub concepts: Vec<ConceptOut>,
}

/// One concept with the path above it and the concepts directly below it.
#[derive(Serialize, ToSchema)]
pub struct ConceptDetailOut {
    /// Edition read (`2023.1.0`).
    pub version: String,
    pub code: String,
    pub label: String,
    pub parent: Option<String>,
    pub level: u8,
    /// `besoins`, `prestations_directes` or `prestations_indirectes`.
    pub family: String,
    pub leaf: bool,
    /// From the root down to the parent (a breadcrumb); empty for a root.
    pub ancestors: Vec<ConceptOut>,
    /// Directly below, in code order; empty for a leaf.
    pub children: Vec<ConceptOut>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Words starting words of the label (accent- and case-insensitive), or a code prefix (`2.3` gives
    /// 2.3 and everything below it). Every word must match. Empty lists every concept.
    #[serde(default)]
    pub q: String,
    /// `besoins`, `prestations_directes` or `prestations_indirectes`; empty for all three.
    #[serde(default)]
    pub famille: String,
    /// Edition (`2023.1.0`); empty for the current one.
    #[serde(default)]
    pub version: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GetParams {
    /// Edition (`2023.1.0`); empty for the current one.
    #[serde(default)]
    pub version: String,
}

/// The edition asked for (empty: the current one).
fn edition(version: &str) -> Result<&'static Nomenclature, FieldError> {
    if version.trim().is_empty() {
        return Ok(serafin::current());
    }
    serafin::edition(version).ok_or_else(|| {
        let known: Vec<&str> = serafin::editions().iter().map(|n| n.version()).collect();
        FieldError::new(
            "version",
            format!(
                "Édition inconnue de la nomenclature SERAFIN-PH. Éditions disponibles : {}.",
                known.join(", ")
            ),
        )
    })
}

/// The family asked for (empty: all three).
fn family(famille: &str) -> Result<Option<Family>, FieldError> {
    if famille.trim().is_empty() {
        return Ok(None);
    }
    Family::parse(famille).map(Some).ok_or_else(|| {
        FieldError::new(
            "famille",
            "Famille inconnue : choisissez besoins, prestations_directes ou prestations_indirectes.",
        )
    })
}

/// Searches or lists the SERAFIN-PH concepts (needs 1.x, direct services 2.x, indirect services 3.x).
#[utoipa::path(get, path = "/api/v1/serafin", tag = "nomenclatures", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = ConceptListOut), (status = 401, body = ErrorBody),
        (status = 422, description = "Unknown `version` or `famille`", body = ErrorBody)))]
pub async fn list_concepts(
    ApiUser(_ctx): ApiUser,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<ConceptListOut>> {
    // Both parameters are checked, and reported, at once.
    let mut errors = FieldErrors::default();
    let n = errors.take(edition(&p.version));
    let family = errors.take(family(&p.famille));
    let (Some(n), Some(family)) = (n, family) else {
        return Err(AppError::Validation(errors).into());
    };
    Ok(Json(ConceptListOut {
        version: n.version().to_string(),
        concepts: n
            .search_in(&p.q, family)
            .into_iter()
            .map(ConceptOut::from)
            .collect(),
    }))
}

/// One SERAFIN-PH concept with its ancestors and children.
#[utoipa::path(get, path = "/api/v1/serafin/{code}", tag = "nomenclatures", security(("bearer" = [])),
    params(("code" = String, Path, description = "Code SMT (`2.3.1`)"), GetParams),
    responses((status = 200, body = ConceptDetailOut), (status = 401, body = ErrorBody),
        (status = 404, description = "No such code in this edition", body = ErrorBody),
        (status = 422, description = "Unknown `version`", body = ErrorBody)))]
pub async fn get_concept(
    ApiUser(_ctx): ApiUser,
    Path(code): Path<String>,
    Query(p): Query<GetParams>,
) -> ApiResult<Json<ConceptDetailOut>> {
    let n = edition(&p.version).map_err(AppError::from)?;
    let c = n.get(code.trim()).ok_or(AppError::NotFound)?;
    Ok(Json(ConceptDetailOut {
        version: n.version().to_string(),
        code: c.code.clone(),
        label: c.label.clone(),
        parent: c.parent.clone(),
        level: c.level,
        family: c.family.code().to_string(),
        leaf: c.leaf,
        ancestors: n
            .ancestors(&c.code)
            .into_iter()
            .map(ConceptOut::from)
            .collect(),
        children: n
            .children(&c.code)
            .into_iter()
            .map(ConceptOut::from)
            .collect(),
    }))
}
