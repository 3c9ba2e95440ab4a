//! The person's circle: entourage (family, aidants, personne de confiance, personne à prévenir),
//! legal protection measures and their representative, partners linked to the person; and the rule
//! of who may consent and sign for the person today.

use jiff::civil::Date;
use parcours_domain::authz::Action;
use parcours_domain::entourage::{self as rules, ActiveMeasure, MeasureKind, SigningRule};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{MesureId, PartenaireId, ProcheId, UsagerId};
use parcours_domain::input;
use parcours_domain::partner::{self as prules, parse_email, parse_phone};
use parcours_store::records::{LienPartenaireRow, MesureRow, PartenaireRow, ProcheRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::admission::parse_stored_date;
use crate::audit::AuditAction;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProche {
    pub relation: String,
    pub last_name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub aidant: bool,
    #[serde(default)]
    pub personne_confiance: bool,
    #[serde(default)]
    pub personne_a_prevenir: bool,
    #[serde(default)]
    pub autorite_parentale: bool,
    /// For a professional mandataire: the partner of the directory.
    #[serde(default)]
    pub partenaire_id: String,
    #[serde(default)]
    pub notes: String,
    /// False to mark the member as no longer part of the entourage (kept in history).
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub version: Option<i64>,
}

fn yes() -> bool {
    true
}

impl Default for RawProche {
    /// An empty, active member (a member is recorded to be part of the entourage).
    fn default() -> Self {
        RawProche {
            relation: String::new(),
            last_name: String::new(),
            first_name: String::new(),
            phone: String::new(),
            email: String::new(),
            address: String::new(),
            aidant: false,
            personne_confiance: false,
            personne_a_prevenir: false,
            autorite_parentale: false,
            partenaire_id: String::new(),
            notes: String::new(),
            active: true,
            version: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMesure {
    pub kind: String,
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
    /// The member of the entourage in charge of the measure.
    pub representative_id: String,
    #[serde(default)]
    pub judgment_ref: String,
    #[serde(default)]
    pub court: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLien {
    pub partenaire_id: String,
    pub role: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcheView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProcheId,
    pub relation: String,
    pub relation_label: String,
    pub name: String,
    pub last_name: String,
    pub first_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub aidant: bool,
    pub personne_confiance: bool,
    pub personne_a_prevenir: bool,
    pub autorite_parentale: bool,
    /// For a professional mandataire: their organisation in the directory.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub partenaire_id: Option<PartenaireId>,
    pub notes: Option<String>,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MesureView {
    #[schema(value_type = String, format = Uuid)]
    pub id: MesureId,
    #[schema(value_type = String, example = "tutelle")]
    pub kind: MeasureKind,
    pub kind_label: &'static str,
    pub implication: &'static str,
    #[schema(value_type = String, format = Date)]
    pub start: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<Date>,
    pub in_force: bool,
    #[schema(value_type = String, format = Uuid)]
    pub representative_id: ProcheId,
    pub representative_name: String,
    pub judgment_ref: Option<String>,
    pub court: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LienView {
    pub id: Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub partenaire_id: PartenaireId,
    pub partenaire_name: String,
    pub partenaire_kind: String,
    pub phone: Option<String>,
    pub role: String,
    pub role_label: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub start: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<Date>,
    pub notes: Option<String>,
    pub version: i64,
}

/// Who may sign for the person today, with names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SigningView {
    pub person: bool,
    #[schema(value_type = Vec<Vec<String>>)]
    pub representatives: Vec<(ProcheId, String)>,
    #[schema(value_type = Vec<Vec<String>>)]
    pub assistants: Vec<(ProcheId, String)>,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntourageFile {
    pub proches: Vec<ProcheView>,
    pub mesures: Vec<MesureView>,
    pub liens: Vec<LienView>,
    pub signing: SigningView,
}

pub(crate) fn proche_name(p: &ProcheRow) -> String {
    match &p.first_name {
        Some(f) => format!("{f} {}", p.last_name),
        None => p.last_name.clone(),
    }
}

fn opt_date(s: &Option<String>) -> AppResult<Option<Date>> {
    s.as_deref().map(parse_stored_date).transpose()
}

impl App {
    /// Whether a partner exists (a storage error is an error, not an unknown partner).
    pub(crate) async fn partner_exists(&self, ctx: &Ctx, id: Uuid) -> AppResult<bool> {
        match PartenaireRow::get(&self.db, ctx.org(), id).await {
            Ok(_) => Ok(true),
            Err(parcours_store::StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The signing rule of a person on a day, from their age, measures and entourage.
    pub(crate) async fn signing_rule(
        &self,
        org: Uuid,
        usager: Uuid,
        on: Date,
    ) -> AppResult<(SigningRule<Uuid>, Vec<ProcheRow>)> {
        let person = parcours_store::usager::get(&self.db, org, usager).await?;
        let birth = parse_stored_date(&person.birth_date)?;
        let proches =
            ProcheRow::list_by(&self.db, org, "usager_id", usager, "created_at, id").await?;
        let mesures =
            MesureRow::list_by(&self.db, org, "usager_id", usager, "start_date, id").await?;
        let active: Vec<ActiveMeasure<Uuid>> = mesures
            .iter()
            .map(|m| {
                Ok(ActiveMeasure {
                    kind: MeasureKind::parse(&m.kind)?,
                    start: parse_stored_date(&m.start_date)?,
                    end: opt_date(&m.end_date)?,
                    representative: m.representative_id,
                })
            })
            .collect::<AppResult<_>>()?;
        let parents: Vec<Uuid> = proches
            .iter()
            .filter(|p| p.active && p.autorite_parentale)
            .map(|p| p.id)
            .collect();
        Ok((
            rules::signing_rule(rules::is_minor(birth, on), &active, &parents, on),
            proches,
        ))
    }

    pub async fn save_proche(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        existing: Option<ProcheId>,
        raw: &RawProche,
    ) -> AppResult<ProcheId> {
        self.gate_person(ctx, Action::ManageEntourage, usager)
            .await?;
        if let Some(pid) = existing
            && !raw.active
        {
            let today = self.today();
            let mesures = MesureRow::list_by(
                &self.db,
                ctx.org(),
                "usager_id",
                usager.as_uuid(),
                "start_date, id",
            )
            .await?;
            for m in mesures
                .iter()
                .filter(|m| m.representative_id == pid.as_uuid())
            {
                let (s, e) = (parse_stored_date(&m.start_date)?, opt_date(&m.end_date)?);
                if s <= today && e.is_none_or(|e| today <= e) {
                    return Err(AppError::field(
                        "active",
                        "Cette personne représente l'usager dans une mesure de protection en vigueur : \
                         indiquez d'abord la fin de la mesure.",
                    ));
                }
            }
        }
        let mut e = FieldErrors::default();
        let relation = e.take(rules::parse_relation(&raw.relation));
        let last_name = e.take(input::text("last_name", &raw.last_name, 100));
        let first_name = e
            .take(input::opt_line("first_name", &raw.first_name, 100))
            .flatten();
        let phone = e.take(parse_phone(&raw.phone)).flatten();
        let email = e.take(parse_email(&raw.email)).flatten();
        let address = e
            .take(input::opt_line("address", &raw.address, 300))
            .flatten();
        let notes = e
            .take(input::opt_text("notes", &raw.notes, input::LONG_TEXT))
            .flatten();
        let partenaire_id = match raw.partenaire_id.trim() {
            "" => None,
            p => match p.parse::<Uuid>() {
                Ok(u) if self.partner_exists(ctx, u).await? => Some(u),
                _ => {
                    e.push("partenaire_id", "Partenaire inconnu.");
                    None
                }
            },
        };
        if raw.autorite_parentale
            && !matches!(
                relation.as_deref(),
                Some("mere" | "pere" | "parent" | "autre")
            )
        {
            e.push("autorite_parentale", "L'autorité parentale est exercée par les parents (ou par délégation du juge : lien « Autre »).");
        }
        let (Some(relation), Some(last_name)) = (relation, last_name) else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let others = ProcheRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "created_at, id",
        )
        .await?;
        if raw.personne_confiance
            && raw.active
            && others.iter().any(|p| {
                p.active && p.personne_confiance && Some(ProcheId::from_uuid(p.id)) != existing
            })
        {
            return Err(AppError::field(
                "personne_confiance",
                "Une seule personne de confiance peut être désignée (CASF L.311-5-1) : retirez d'abord la désignation actuelle.",
            ));
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let mut row = ProcheRow {
            organisation_id: ctx.org(),
            id: self.new_id(),
            usager_id: usager.as_uuid(),
            relation,
            last_name,
            first_name,
            phone,
            email,
            address,
            aidant: raw.aidant,
            personne_confiance: raw.personne_confiance,
            personne_a_prevenir: raw.personne_a_prevenir,
            autorite_parentale: raw.autorite_parentale,
            partenaire_id,
            notes,
            active: raw.active,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        match existing {
            None => row.insert(&mut tx, Some(usager.as_uuid()), None).await?,
            Some(pid) => {
                let old = others
                    .iter()
                    .find(|p| p.id == pid.as_uuid())
                    .ok_or(AppError::NotFound)?;
                if Some(old.version) != raw.version {
                    return Err(AppError::Conflict);
                }
                row.id = old.id;
                row.version = old.version + 1;
                row.created_at = old.created_at;
                row.created_by = old.created_by;
                row.update(&mut tx, Some(usager.as_uuid()), None).await?;
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EntourageChange,
            Some(usager),
            "proche",
            json!({"proche": row.id}),
        )
        .await?;
        tx.commit().await?;
        Ok(ProcheId::from_uuid(row.id))
    }

    pub async fn save_mesure(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        existing: Option<MesureId>,
        raw: &RawMesure,
    ) -> AppResult<MesureId> {
        self.gate_person(ctx, Action::ManageEntourage, usager)
            .await?;
        let mut e = FieldErrors::default();
        let kind = e.take(MeasureKind::parse(&raw.kind));
        let start = e.take(input::date("start_date", &raw.start_date));
        let end = e.take(input::opt_date("end_date", &raw.end_date)).flatten();
        if let (Some(s), Some(x)) = (start, end)
            && x < s
        {
            e.push(
                "end_date",
                "La fin de la mesure ne peut pas précéder son début.",
            );
        }
        let judgment_ref = e
            .take(input::opt_line("judgment_ref", &raw.judgment_ref, 100))
            .flatten();
        let court = e.take(input::opt_line("court", &raw.court, 200)).flatten();
        let proches = ProcheRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "created_at, id",
        )
        .await?;
        let representative = raw
            .representative_id
            .trim()
            .parse::<Uuid>()
            .ok()
            .and_then(|id| proches.iter().find(|p| p.id == id && p.active));
        if representative.is_none() {
            e.push("representative_id", "Choisissez, dans l'entourage, la personne chargée de la mesure (ajoutez-la d'abord si besoin).");
        }
        let (Some(kind), Some(start), Some(rep)) = (kind, start, representative) else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        // One measure at a time: a new one follows the end of the previous (who signs must be clear).
        let others = MesureRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "start_date, id",
        )
        .await?;
        for m in others
            .iter()
            .filter(|m| existing.is_none_or(|x| x.as_uuid() != m.id))
        {
            let (os, oe) = (parse_stored_date(&m.start_date)?, opt_date(&m.end_date)?);
            let overlaps = os <= end.unwrap_or(Date::MAX) && start <= oe.unwrap_or(Date::MAX);
            if overlaps {
                return Err(AppError::field(
                    "start_date",
                    format!(
                        "Une mesure ({}) couvre déjà cette période : indiquez d'abord sa date de fin.",
                        MeasureKind::parse(&m.kind)
                            .map(|k| k.label_fr())
                            .unwrap_or("mesure")
                    ),
                ));
            }
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let mut row = MesureRow {
            organisation_id: ctx.org(),
            id: self.new_id(),
            usager_id: usager.as_uuid(),
            kind: kind.code().into(),
            start_date: start.to_string(),
            end_date: end.map(|d| d.to_string()),
            representative_id: rep.id,
            judgment_ref,
            court,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        match existing {
            None => row.insert(&mut tx, Some(usager.as_uuid()), None).await?,
            Some(mid) => {
                let old = MesureRow::get(&self.db, ctx.org(), mid.as_uuid()).await?;
                if old.usager_id != usager.as_uuid() {
                    return Err(AppError::NotFound);
                }
                if Some(old.version) != raw.version {
                    return Err(AppError::Conflict);
                }
                row.id = old.id;
                row.version = old.version + 1;
                row.created_at = old.created_at;
                row.created_by = old.created_by;
                row.update(&mut tx, Some(usager.as_uuid()), None).await?;
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EntourageChange,
            Some(usager),
            "mesure",
            json!({"mesure": row.id, "type": row.kind}),
        )
        .await?;
        tx.commit().await?;
        Ok(MesureId::from_uuid(row.id))
    }

    pub async fn save_lien(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        existing: Option<Uuid>,
        raw: &RawLien,
    ) -> AppResult<Uuid> {
        self.gate_person(ctx, Action::ManageEntourage, usager)
            .await?;
        let mut e = FieldErrors::default();
        let partner = match raw.partenaire_id.trim().parse::<Uuid>() {
            Ok(u) => match PartenaireRow::get(&self.db, ctx.org(), u).await {
                Ok(p) if p.active => Some(p),
                _ => {
                    e.push("partenaire_id", "Partenaire inconnu ou inactif.");
                    None
                }
            },
            Err(_) => {
                e.push("partenaire_id", "Choisissez un partenaire de l'annuaire.");
                None
            }
        };
        let role = e.take(prules::parse_role(&raw.role));
        let start = e
            .take(input::opt_date("start_date", &raw.start_date))
            .flatten();
        let end = e.take(input::opt_date("end_date", &raw.end_date)).flatten();
        if let (Some(s), Some(x)) = (start, end)
            && x < s
        {
            e.push("end_date", "La fin ne peut pas précéder le début.");
        }
        let notes = e
            .take(input::opt_text("notes", &raw.notes, input::LONG_TEXT))
            .flatten();
        let (Some(partner), Some(role)) = (partner, role) else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let mut row = LienPartenaireRow {
            organisation_id: ctx.org(),
            id: self.new_id(),
            usager_id: usager.as_uuid(),
            partenaire_id: partner.id,
            role,
            start_date: start.map(|d| d.to_string()),
            end_date: end.map(|d| d.to_string()),
            notes,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        match existing {
            None => row.insert(&mut tx, Some(usager.as_uuid()), None).await?,
            Some(lid) => {
                let old = LienPartenaireRow::get(&self.db, ctx.org(), lid).await?;
                if old.usager_id != usager.as_uuid() {
                    return Err(AppError::NotFound);
                }
                if Some(old.version) != raw.version {
                    return Err(AppError::Conflict);
                }
                row.id = old.id;
                row.version = old.version + 1;
                row.created_at = old.created_at;
                row.created_by = old.created_by;
                row.update(&mut tx, Some(usager.as_uuid()), None).await?;
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EntourageChange,
            Some(usager),
            "lien_partenaire",
            json!({"lien": row.id, "partenaire": partner.id}),
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    pub async fn entourage_file(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<EntourageFile> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let file = self.load_entourage_file(ctx, usager).await?;
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "entourage",
            json!({"section": "entourage"}),
        )
        .await?;
        Ok(file)
    }

    pub(crate) async fn load_entourage_file(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<EntourageFile> {
        let today = self.today();
        let (rule, proches) = self
            .signing_rule(ctx.org(), usager.as_uuid(), today)
            .await?;
        let name_of = |id: Uuid| {
            proches
                .iter()
                .find(|p| p.id == id)
                .map(proche_name)
                .unwrap_or_default()
        };
        let mesures = MesureRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "start_date desc, id",
        )
        .await?
        .into_iter()
        .map(|m| {
            let kind = MeasureKind::parse(&m.kind)?;
            let start = parse_stored_date(&m.start_date)?;
            let end = opt_date(&m.end_date)?;
            Ok(MesureView {
                id: MesureId::from_uuid(m.id),
                kind,
                kind_label: kind.label_fr(),
                implication: kind.implication_fr(),
                in_force: start <= today && end.is_none_or(|x| today <= x),
                start,
                end,
                representative_id: ProcheId::from_uuid(m.representative_id),
                representative_name: name_of(m.representative_id),
                judgment_ref: m.judgment_ref,
                court: m.court,
                version: m.version,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
        let mut liens = Vec::new();
        for l in LienPartenaireRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "created_at, id",
        )
        .await?
        {
            let p = PartenaireRow::get(&self.db, ctx.org(), l.partenaire_id).await?;
            liens.push(LienView {
                id: l.id,
                partenaire_id: PartenaireId::from_uuid(p.id),
                partenaire_name: p.name,
                partenaire_kind: prules::kind_label(&p.kind).to_string(),
                phone: p.phone,
                role_label: prules::role_label(&l.role).to_string(),
                role: l.role,
                start: opt_date(&l.start_date)?,
                end: opt_date(&l.end_date)?,
                notes: l.notes,
                version: l.version,
            });
        }
        let signing = SigningView {
            person: rule.person,
            representatives: rule
                .representatives
                .iter()
                .map(|r| (ProcheId::from_uuid(*r), name_of(*r)))
                .collect(),
            assistants: rule
                .assistants
                .iter()
                .map(|r| (ProcheId::from_uuid(*r), name_of(*r)))
                .collect(),
            explanation: rule.explanation.clone(),
        };
        let proches = proches
            .iter()
            .map(|p| ProcheView {
                id: ProcheId::from_uuid(p.id),
                relation: p.relation.clone(),
                relation_label: rules::relation_label(&p.relation).to_string(),
                name: proche_name(p),
                last_name: p.last_name.clone(),
                first_name: p.first_name.clone(),
                phone: p.phone.clone(),
                email: p.email.clone(),
                address: p.address.clone(),
                aidant: p.aidant,
                personne_confiance: p.personne_confiance,
                personne_a_prevenir: p.personne_a_prevenir,
                autorite_parentale: p.autorite_parentale,
                partenaire_id: p.partenaire_id.map(PartenaireId::from_uuid),
                notes: p.notes.clone(),
                active: p.active,
                version: p.version,
            })
            .collect();
        Ok(EntourageFile {
            proches,
            mesures,
            liens,
            signing,
        })
    }
}
