//! The medical file (volet médical) under medical secret: allergies and intolerances, antécédents,
//! vaccinations, the summary of current treatments, medical observations and consultations.
//!
//! **Who may read and write it.** The gate's permission table gives `ReadMedical` / `WriteMedical`
//! to physicians and nurses. An organisation may change that per role (the administrator's page
//! *Accès au dossier médical*, table `medical_role_access`): [`App::decide`] applies the
//! organisation's setting in place of the table's role check for these two actions only, and keeps
//! every other rule of the gate (active account, organisation, scope) by asking the gate whether
//! the professional may read the person at all. Administrators are never given access. Roles
//! without access see that the medical file exists, never its content.
//!
//! Every read and every write is audited; refusals are audited by the gate. Active allergies and
//! intolerances are the exception to the secret: a safety banner shown to every professional who
//! opens the person's record (read with the record, [`App::get_usager`]).
//!
//! Entries are versioned: a correction is a new version, and every previous version stays readable
//! on the medical page. The versions are kept without the person's id in `record_version`, so the
//! record history that every role reads never shows them.

use std::collections::HashMap;

use jiff::civil::Date;
use parcours_domain::authz::{self, Action, Decision, DenyReason, Resource};
use parcours_domain::ids::UsagerId;
use parcours_domain::medical::{
    self as rules, AllergyKind, AllergyStatus, EntryKind, ObservationKind, RawEntry, Severity,
};
use parcours_domain::professional::Role;
use parcours_store::medical as store;
use parcours_store::records::{
    self as records, MedicalAllergyRow, MedicalAntecedentRow, MedicalObservationRow,
    MedicalTreatmentRow, MedicalVaccinationRow,
};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::usager::micros_to_ts;
use crate::{App, AppError, AppResult, Ctx};

/// An active allergy or intolerance, as the safety banner shows it to every role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AllergyAlert {
    pub substance: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub severity: String,
    pub severity_label: &'static str,
    pub reaction: Option<String>,
}

/// An earlier version of an entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PastVersion {
    pub version: i64,
    #[schema(value_type = String)]
    pub at: jiff::Timestamp,
    pub by: String,
    /// Why it was changed (given with the next version).
    pub reason: Option<String>,
    /// The entry as it read in that version.
    pub text: String,
}

/// Who wrote the current version, when, and the earlier versions (oldest first).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryMeta {
    #[schema(value_type = String)]
    pub id: Uuid,
    pub version: i64,
    #[schema(value_type = String)]
    pub updated_at: jiff::Timestamp,
    pub updated_by: String,
    pub reason: Option<String>,
    pub previous: Vec<PastVersion>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AllergyView {
    #[serde(flatten)]
    pub meta: EntryMeta,
    pub substance: String,
    pub reaction: Option<String>,
    pub severity: String,
    pub severity_label: &'static str,
    pub kind: String,
    pub kind_label: &'static str,
    pub active: bool,
    pub noted_on: Option<String>,
    pub resolved_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AntecedentView {
    #[serde(flatten)]
    pub meta: EntryMeta,
    pub code: Option<String>,
    pub texte: String,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VaccinationView {
    #[serde(flatten)]
    pub meta: EntryMeta,
    pub vaccine: String,
    pub date: String,
    pub lot: Option<String>,
    pub dose: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TreatmentView {
    #[serde(flatten)]
    pub meta: EntryMeta,
    pub texte: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ObservationView {
    #[serde(flatten)]
    pub meta: EntryMeta,
    pub date: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub author: String,
    pub texte: String,
}

/// The medical file of a person, for who may read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MedicalFile {
    /// Active first, the most severe first.
    pub allergies: Vec<AllergyView>,
    pub antecedents: Vec<AntecedentView>,
    /// Newest first.
    pub vaccinations: Vec<VaccinationView>,
    pub treatments: Option<TreatmentView>,
    /// Newest first.
    pub observations: Vec<ObservationView>,
    /// Medical documents (withdrawn ones included, marked), newest first; never their bytes.
    pub documents: Vec<crate::medical_document::DocumentItem>,
    /// Whether the reader may also write.
    pub can_write: bool,
    /// When the file is open through a delegation or an emergency opening: which, and until when
    /// (in French).
    pub temporary: Option<String>,
}

/// How a professional whose role has no medical access reads a file for a while.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TemporaryAccess {
    Delegation { id: Uuid, until: String },
    Emergency { id: Uuid, until: jiff::Timestamp },
}

impl TemporaryAccess {
    fn describe(&self) -> String {
        match self {
            TemporaryAccess::Delegation { until, .. } => {
                format!(
                    "Accès par délégation d'un médecin, jusqu'au {} inclus.",
                    fr(until)
                )
            }
            TemporaryAccess::Emergency { until, .. } => format!(
                "Accès en urgence (bris de glace) jusqu'à {} ; il sera relu par un médecin ou la direction.",
                time_fr(*until)
            ),
        }
    }
}

/// The detail of a read's audit event: the delegation or emergency opening it went through.
fn read_detail(temporary: &Option<TemporaryAccess>) -> serde_json::Value {
    match temporary {
        Some(TemporaryAccess::Delegation { id, .. }) => json!({"delegation": id}),
        Some(TemporaryAccess::Emergency { id, .. }) => json!({"bris_de_glace": id}),
        None => json!({}),
    }
}

/// `22/11/2026 à 11:00` in Europe/Paris.
fn time_fr(t: jiff::Timestamp) -> String {
    match t.in_tz("Europe/Paris") {
        Ok(z) => z.strftime("%d/%m/%Y à %H:%M").to_string(),
        Err(_) => t.to_string(),
    }
}

/// Medical access of one role in the organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleAccessView {
    pub role: String,
    pub role_label: &'static str,
    pub read: bool,
    pub write: bool,
    /// What the permission table gives this role.
    pub default_read: bool,
    pub default_write: bool,
    /// Whether the organisation has set it (otherwise the table applies).
    pub customised: bool,
}

/// What a professional may do with medical files in general (scope aside): shows links and forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MedicalAccess {
    pub read: bool,
    pub write: bool,
}

fn is_medical(action: Action) -> bool {
    matches!(action, Action::ReadMedical | Action::WriteMedical)
}

/// The medical secret on top of the gate: the account, organisation and scope are decided exactly
/// as for reading the person; then the role must be open to the medical file in this organisation
/// (`role_allows`), or, for reading only, the professional must hold a temporary access to this
/// person (`temporary`, asked only when it decides).
async fn medical_decision(
    ctx: &Ctx,
    action: Action,
    resource: &Resource<'_>,
    role_allows: bool,
    temporary: impl AsyncFnOnce() -> AppResult<bool>,
) -> AppResult<Decision> {
    let person = authz::decide(&ctx.actor, Action::ReadUsager, resource);
    if let Decision::Deny(DenyReason::Inactive | DenyReason::OtherOrganisation) = person {
        return Ok(person);
    }
    if role_allows {
        return Ok(person);
    }
    if action == Action::ReadMedical && person == Decision::Allow && temporary().await? {
        return Ok(Decision::Allow);
    }
    Ok(Decision::Deny(DenyReason::RoleNotAllowed))
}

/// The roles an organisation may open or close the medical file to (never administrators).
fn configurable(role: Role) -> bool {
    role != Role::Administrateur
}

fn severity_rank(code: &str) -> usize {
    Severity::ALL
        .iter()
        .position(|s| s.code() == code)
        .unwrap_or(0)
}

fn severity_label(code: &str) -> &'static str {
    Severity::parse(code).map(|s| s.label_fr()).unwrap_or("")
}

fn allergy_kind_label(code: &str) -> &'static str {
    AllergyKind::parse(code).map(|s| s.label_fr()).unwrap_or("")
}

fn observation_kind_label(code: &str) -> &'static str {
    ObservationKind::parse(code)
        .map(|s| s.label_fr())
        .unwrap_or("")
}

fn fr(d: &str) -> String {
    d.parse::<Date>()
        .map(parcours_domain::input::date_fr)
        .unwrap_or_else(|_| d.to_string())
}

/// One line describing each kind of entry, for its earlier versions.
trait Describe: serde::de::DeserializeOwned {
    /// The kind stored in `record_version`.
    const RECORD_KIND: &'static str;
    fn describe(&self) -> String;
}

impl Describe for MedicalAllergyRow {
    const RECORD_KIND: &'static str = MedicalAllergyRow::KIND;
    fn describe(&self) -> String {
        let mut s = format!(
            "{} : {} — {}",
            allergy_kind_label(&self.kind),
            self.substance,
            severity_label(&self.severity)
        );
        if let Some(r) = &self.reaction {
            s.push_str(&format!(" — {r}"));
        }
        if self.status == AllergyStatus::Resolue.code() {
            s.push_str(" (résolue)");
        }
        s
    }
}

impl Describe for MedicalAntecedentRow {
    const RECORD_KIND: &'static str = MedicalAntecedentRow::KIND;
    fn describe(&self) -> String {
        let mut s = match &self.cim10 {
            Some(c) => format!("{c} — {}", self.texte),
            None => self.texte.clone(),
        };
        if let Some(d) = &self.since_on {
            s.push_str(&format!(" (depuis le {})", fr(d)));
        }
        s
    }
}

impl Describe for MedicalVaccinationRow {
    const RECORD_KIND: &'static str = MedicalVaccinationRow::KIND;
    fn describe(&self) -> String {
        let mut s = format!("{}, le {}", self.vaccine, fr(&self.given_on));
        if let Some(d) = &self.dose {
            s.push_str(&format!(" — {d}"));
        }
        if let Some(l) = &self.lot {
            s.push_str(&format!(" — lot {l}"));
        }
        s
    }
}

impl Describe for MedicalTreatmentRow {
    const RECORD_KIND: &'static str = MedicalTreatmentRow::KIND;
    fn describe(&self) -> String {
        self.texte.clone()
    }
}

impl Describe for MedicalObservationRow {
    const RECORD_KIND: &'static str = MedicalObservationRow::KIND;
    fn describe(&self) -> String {
        format!(
            "{} du {} : {}",
            observation_kind_label(&self.kind),
            fr(&self.observed_on),
            self.texte
        )
    }
}

impl App {
    /// The gate, with the organisation's medical access setting applied to `ReadMedical` and
    /// `WriteMedical` (see the module documentation). Every other action is decided by the gate
    /// alone.
    ///
    /// For `ReadMedical` it adds temporary access: a delegation running today or an emergency
    /// opening running now lets one professional read (never write) that person's medical file,
    /// within the same scope (checked against the application clock).
    pub(crate) async fn decide(
        &self,
        ctx: &Ctx,
        action: Action,
        resource: &Resource<'_>,
        usager: UsagerId,
    ) -> AppResult<Decision> {
        if !is_medical(action) {
            return Ok(authz::decide(&ctx.actor, action, resource));
        }
        let role_allows = self.medical_role_allows(ctx, action).await?;
        medical_decision(ctx, action, resource, role_allows, async || {
            Ok(self.temporary_access(ctx, usager).await?.is_some())
        })
        .await
    }

    /// [`App::decide`] for one action on many persons (a relève, a list): the same rule, with the
    /// organisation's setting and the professional's temporary accesses read once instead of once
    /// per person.
    pub(crate) async fn decide_each(
        &self,
        ctx: &Ctx,
        action: Action,
        persons: &[(UsagerId, &[authz::Placement])],
    ) -> AppResult<Vec<Decision>> {
        let resource = |placements| Resource::Usager {
            organisation: ctx.organisation(),
            placements,
        };
        if !is_medical(action) {
            return Ok(persons
                .iter()
                .map(|(_, p)| authz::decide(&ctx.actor, action, &resource(p)))
                .collect());
        }
        let role_allows = self.medical_role_allows(ctx, action).await?;
        let temporary: Vec<Uuid> = if role_allows || action != Action::ReadMedical {
            Vec::new()
        } else {
            self.temporary_access_persons(ctx).await?
        };
        let mut out = Vec::with_capacity(persons.len());
        for (usager, placements) in persons {
            let has_temporary = temporary.contains(&usager.as_uuid());
            out.push(
                medical_decision(
                    ctx,
                    action,
                    &resource(placements),
                    role_allows,
                    async || Ok(has_temporary),
                )
                .await?,
            );
        }
        Ok(out)
    }

    /// The delegation or emergency opening running now that lets the professional read this
    /// person's medical file, if any (checked against the application clock).
    async fn temporary_access(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<Option<TemporaryAccess>> {
        if !ctx.actor.active || !configurable(ctx.actor.role) {
            return Ok(None);
        }
        let (org, me, u) = (ctx.org(), ctx.user().as_uuid(), usager.as_uuid());
        let today = self.today().to_string();
        if let Some(d) = store::current_delegation(&self.db, org, me, u, &today).await? {
            return Ok(Some(TemporaryAccess::Delegation {
                id: d.id,
                until: d.ends_on,
            }));
        }
        Ok(
            store::current_emergency(&self.db, org, me, u, self.now_micros())
                .await?
                .map(|e| TemporaryAccess::Emergency {
                    id: e.id,
                    until: micros_to_ts(e.ends_at),
                }),
        )
    }

    /// The persons whose medical file the professional may read now through a delegation (today)
    /// or an emergency opening (now): what [`App::decide`] grants person by person, for many
    /// persons at once (a relève, a search).
    pub(crate) async fn temporary_access_persons(&self, ctx: &Ctx) -> AppResult<Vec<Uuid>> {
        if !ctx.actor.active || !configurable(ctx.actor.role) {
            return Ok(Vec::new());
        }
        Ok(store::temporary_access_persons(
            &self.db,
            ctx.org(),
            ctx.user().as_uuid(),
            &self.today().to_string(),
            self.now_micros(),
        )
        .await?)
    }

    /// The detail of a read's audit event: which temporary access it went through, if any.
    pub(crate) async fn medical_read_detail(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<serde_json::Value> {
        let temporary = if self.medical_role_allows(ctx, Action::ReadMedical).await? {
            None
        } else {
            self.temporary_access(ctx, usager).await?
        };
        Ok(read_detail(&temporary))
    }

    /// Whether the professional's role may write medical files (writing always follows the role;
    /// the caller has passed the gate for the person).
    pub(crate) async fn may_write_medical(&self, ctx: &Ctx) -> AppResult<bool> {
        self.medical_role_allows(ctx, Action::WriteMedical).await
    }

    /// Whether the professional's role may read or write medical files: the organisation's setting
    /// for the role if there is one, the permission table otherwise.
    async fn medical_role_allows(&self, ctx: &Ctx, action: Action) -> AppResult<bool> {
        let role = ctx.actor.role;
        if !configurable(role) {
            return Ok(false);
        }
        Ok(
            match store::role_access_of(&self.db, ctx.org(), role.code()).await? {
                Some(row) if action == Action::WriteMedical => row.can_write,
                Some(row) => row.can_read,
                None => authz::role_allows(role, action),
            },
        )
    }

    /// What the professional may do with medical files (scope aside), to show links and forms.
    pub async fn medical_access(&self, ctx: &Ctx) -> AppResult<MedicalAccess> {
        if !ctx.actor.active {
            return Ok(MedicalAccess::default());
        }
        Ok(MedicalAccess {
            read: self.medical_role_allows(ctx, Action::ReadMedical).await?,
            write: self.medical_role_allows(ctx, Action::WriteMedical).await?,
        })
    }

    /// The medical access of every role of the organisation (administrator).
    pub async fn medical_access_settings(&self, ctx: &Ctx) -> AppResult<Vec<RoleAccessView>> {
        self.authorize(
            ctx,
            Action::ManageAccounts,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let set = store::role_access(&self.db, ctx.org()).await?;
        Ok(Role::ALL
            .iter()
            .copied()
            .filter(|r| configurable(*r))
            .map(|r| {
                let default_read = authz::role_allows(r, Action::ReadMedical);
                let default_write = authz::role_allows(r, Action::WriteMedical);
                let row = set.iter().find(|x| x.role == r.code());
                RoleAccessView {
                    role: r.code().to_string(),
                    role_label: r.label_fr(),
                    read: row.map_or(default_read, |x| x.can_read),
                    write: row.map_or(default_write, |x| x.can_write),
                    default_read,
                    default_write,
                    customised: row.is_some(),
                }
            })
            .collect())
    }

    /// Opens or closes the medical file to a role of the organisation (administrator; audited).
    pub async fn set_medical_access(
        &self,
        ctx: &Ctx,
        role: &str,
        read: bool,
        write: bool,
    ) -> AppResult<()> {
        self.authorize(
            ctx,
            Action::ManageAccounts,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let role = Role::parse(role)?;
        if !configurable(role) {
            return Err(AppError::field(
                "role",
                "Les administrateurs n'ont jamais accès aux dossiers des usagers.",
            ));
        }
        rules::check_access(read, write)?;
        let row = store::RoleAccessRow {
            role: role.code().to_string(),
            can_read: read,
            can_write: write,
            version: 1,
            updated_at: self.now_micros(),
            updated_by: ctx.user().as_uuid(),
        };
        let mut tx = self.begin().await?;
        store::set_role_access(&mut tx, ctx.org(), &row).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalAccessChange,
            None,
            "medical_role_access",
            json!({"role": role.code(), "read": read, "write": write}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The active allergies and intolerances of a person, the most severe first: part of reading
    /// the record (the caller has passed the gate for `ReadUsager` and audits the read).
    pub(crate) async fn allergy_alerts(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<Vec<AllergyAlert>> {
        let mut rows = store::active_allergies(&self.db, ctx.org(), usager.as_uuid()).await?;
        rows.sort_by_key(|r| std::cmp::Reverse(severity_rank(&r.severity)));
        Ok(rows
            .into_iter()
            .map(|r| AllergyAlert {
                kind_label: allergy_kind_label(&r.kind),
                severity_label: severity_label(&r.severity),
                substance: r.substance,
                kind: r.kind,
                severity: r.severity,
                reaction: r.reaction,
            })
            .collect())
    }

    /// The medical file of a person (medical secret: gated, and every read audited).
    pub async fn medical_file(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<MedicalFile> {
        self.gate_person(ctx, Action::ReadMedical, usager).await?;
        let can_write = self.medical_role_allows(ctx, Action::WriteMedical).await?;
        let temporary = if self.medical_role_allows(ctx, Action::ReadMedical).await? {
            None
        } else {
            self.temporary_access(ctx, usager).await?
        };
        let names = self.user_names(ctx).await?;
        let (org, u) = (ctx.org(), usager.as_uuid());

        let mut allergies = Vec::new();
        let mut rows =
            MedicalAllergyRow::list_by(&self.db, org, "usager_id", u, "substance").await?;
        rows.sort_by_key(|r| {
            (
                r.status != AllergyStatus::Active.code(),
                std::cmp::Reverse(severity_rank(&r.severity)),
            )
        });
        for r in rows {
            allergies.push(AllergyView {
                meta: self
                    .meta::<MedicalAllergyRow>(
                        org,
                        &names,
                        r.id,
                        r.version,
                        r.updated_at,
                        r.updated_by,
                    )
                    .await?,
                severity_label: severity_label(&r.severity),
                kind_label: allergy_kind_label(&r.kind),
                active: r.status == AllergyStatus::Active.code(),
                substance: r.substance,
                reaction: r.reaction,
                severity: r.severity,
                kind: r.kind,
                noted_on: r.noted_on,
                resolved_on: r.resolved_on,
            });
        }
        let mut antecedents = Vec::new();
        for r in MedicalAntecedentRow::list_by(
            &self.db,
            org,
            "usager_id",
            u,
            "since_on desc, created_at",
        )
        .await?
        {
            antecedents.push(AntecedentView {
                meta: self
                    .meta::<MedicalAntecedentRow>(
                        org,
                        &names,
                        r.id,
                        r.version,
                        r.updated_at,
                        r.updated_by,
                    )
                    .await?,
                code: r.cim10,
                texte: r.texte,
                date: r.since_on,
            });
        }
        let mut vaccinations = Vec::new();
        for r in MedicalVaccinationRow::list_by(
            &self.db,
            org,
            "usager_id",
            u,
            "given_on desc, created_at desc",
        )
        .await?
        {
            vaccinations.push(VaccinationView {
                meta: self
                    .meta::<MedicalVaccinationRow>(
                        org,
                        &names,
                        r.id,
                        r.version,
                        r.updated_at,
                        r.updated_by,
                    )
                    .await?,
                vaccine: r.vaccine,
                date: r.given_on,
                lot: r.lot,
                dose: r.dose,
            });
        }
        let treatments =
            match MedicalTreatmentRow::list_by(&self.db, org, "usager_id", u, "created_at")
                .await?
                .into_iter()
                .next()
            {
                Some(r) => Some(TreatmentView {
                    meta: self
                        .meta::<MedicalTreatmentRow>(
                            org,
                            &names,
                            r.id,
                            r.version,
                            r.updated_at,
                            r.updated_by,
                        )
                        .await?,
                    texte: r.texte,
                }),
                None => None,
            };
        let mut observations = Vec::new();
        for r in MedicalObservationRow::list_by(
            &self.db,
            org,
            "usager_id",
            u,
            "observed_on desc, created_at desc",
        )
        .await?
        {
            observations.push(ObservationView {
                meta: self
                    .meta::<MedicalObservationRow>(
                        org,
                        &names,
                        r.id,
                        r.version,
                        r.updated_at,
                        r.updated_by,
                    )
                    .await?,
                kind_label: observation_kind_label(&r.kind),
                author: names.get(&r.author_id).cloned().unwrap_or_default(),
                date: r.observed_on,
                kind: r.kind,
                texte: r.texte,
            });
        }
        let documents = self.document_items(ctx, usager, &names).await?;
        self.audit_alone(
            ctx,
            AuditAction::MedicalRead,
            Some(usager),
            "dossier_medical",
            read_detail(&temporary),
        )
        .await?;
        Ok(MedicalFile {
            allergies,
            antecedents,
            vaccinations,
            treatments,
            observations,
            documents,
            can_write,
            temporary: temporary.map(|t| t.describe()),
        })
    }

    /// Who wrote the current version and the earlier versions of one entry.
    #[allow(clippy::too_many_arguments)]
    async fn meta<T: Describe>(
        &self,
        org: Uuid,
        names: &HashMap<Uuid, String>,
        id: Uuid,
        version: i64,
        updated_at: i64,
        updated_by: Uuid,
    ) -> AppResult<EntryMeta> {
        let kind = T::RECORD_KIND;
        let versions = if version > 1 {
            records::versions(&self.db, org, kind, id).await?
        } else {
            Vec::new()
        };
        let reason = versions
            .iter()
            .find(|v| v.version == version)
            .and_then(|v| v.reason.clone());
        let mut previous = Vec::new();
        for v in versions.iter().filter(|v| v.version < version) {
            let row: T = serde_json::from_str(&v.snapshot)
                .map_err(|e| AppError::Internal(format!("snapshot of {id}: {e}")))?;
            previous.push(PastVersion {
                version: v.version,
                at: micros_to_ts(v.changed_at),
                by: names.get(&v.changed_by).cloned().unwrap_or_default(),
                reason: versions
                    .iter()
                    .find(|n| n.version == v.version + 1)
                    .and_then(|n| n.reason.clone()),
                text: row.describe(),
            });
        }
        Ok(EntryMeta {
            id,
            version,
            updated_at: micros_to_ts(updated_at),
            updated_by: names.get(&updated_by).cloned().unwrap_or_default(),
            reason,
            previous,
        })
    }

    /// Adds an entry to the medical file (gated, validated, audited). Returns its id.
    pub async fn add_medical_entry(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        entry: &RawEntry,
    ) -> AppResult<Uuid> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        let (org, u, id) = (ctx.org(), usager.as_uuid(), self.new_id());
        let (now, by, today) = (self.now_micros(), ctx.user().as_uuid(), self.today());
        let mut tx = self.begin().await?;
        match entry {
            RawEntry::Allergie(raw) => {
                let a = raw.parse(today)?;
                MedicalAllergyRow {
                    organisation_id: org,
                    id,
                    usager_id: u,
                    substance: a.substance,
                    reaction: a.reaction,
                    severity: a.severity.code().into(),
                    kind: a.kind.code().into(),
                    status: AllergyStatus::Active.code().into(),
                    noted_on: a.noted_on.map(|d| d.to_string()),
                    resolved_on: None,
                    version: 1,
                    created_at: now,
                    created_by: by,
                    updated_at: now,
                    updated_by: by,
                }
                .insert(&mut tx, None, None)
                .await?
            }
            RawEntry::Antecedent(raw) => {
                let a = raw.parse(today)?;
                MedicalAntecedentRow {
                    organisation_id: org,
                    id,
                    usager_id: u,
                    cim10: a.code.map(|c| c.as_str().to_string()),
                    texte: a.texte,
                    since_on: a.date.map(|d| d.to_string()),
                    version: 1,
                    created_at: now,
                    created_by: by,
                    updated_at: now,
                    updated_by: by,
                }
                .insert(&mut tx, None, None)
                .await?
            }
            RawEntry::Vaccination(raw) => {
                let v = raw.parse(today)?;
                MedicalVaccinationRow {
                    organisation_id: org,
                    id,
                    usager_id: u,
                    vaccine: v.vaccine,
                    given_on: v.date.to_string(),
                    lot: v.lot,
                    dose: v.dose,
                    version: 1,
                    created_at: now,
                    created_by: by,
                    updated_at: now,
                    updated_by: by,
                }
                .insert(&mut tx, None, None)
                .await?
            }
            RawEntry::Observation(raw) => {
                let o = raw.parse(today)?;
                MedicalObservationRow {
                    organisation_id: org,
                    id,
                    usager_id: u,
                    observed_on: o.date.to_string(),
                    kind: o.kind.code().into(),
                    author_id: by,
                    texte: o.texte,
                    version: 1,
                    created_at: now,
                    created_by: by,
                    updated_at: now,
                    updated_by: by,
                }
                .insert(&mut tx, None, None)
                .await?
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "dossier_medical",
            json!({"ajout": entry.kind().slug(), "id": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects an entry: a new version (the previous one stays readable). `version` is the one
    /// the professional started from; a concurrent change is refused as a conflict.
    pub async fn correct_medical_entry(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
        entry: &RawEntry,
        version: i64,
        reason: &str,
    ) -> AppResult<()> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        let (org, u) = (ctx.org(), usager.as_uuid());
        let (now, by, today) = (self.now_micros(), ctx.user().as_uuid(), self.today());
        let reason = rules::parse_reason(reason)?;
        let mut tx = self.begin().await?;
        match entry {
            RawEntry::Allergie(raw) => {
                let old = owned(MedicalAllergyRow::get_in(&mut tx, org, id).await, u, |r| {
                    r.usager_id
                })?;
                let a = raw.parse(today)?;
                let mut row = old.clone();
                row.substance = a.substance;
                row.reaction = a.reaction;
                row.severity = a.severity.code().into();
                row.kind = a.kind.code().into();
                row.noted_on = a.noted_on.map(|d| d.to_string());
                unchanged(old == row)?;
                row.version = next(old.version, version)?;
                (row.updated_at, row.updated_by) = (now, by);
                row.update(&mut tx, None, reason.as_deref()).await?;
            }
            RawEntry::Antecedent(raw) => {
                let old = owned(
                    MedicalAntecedentRow::get_in(&mut tx, org, id).await,
                    u,
                    |r| r.usager_id,
                )?;
                let a = raw.parse(today)?;
                let mut row = old.clone();
                row.cim10 = a.code.map(|c| c.as_str().to_string());
                row.texte = a.texte;
                row.since_on = a.date.map(|d| d.to_string());
                unchanged(old == row)?;
                row.version = next(old.version, version)?;
                (row.updated_at, row.updated_by) = (now, by);
                row.update(&mut tx, None, reason.as_deref()).await?;
            }
            RawEntry::Vaccination(raw) => {
                let old = owned(
                    MedicalVaccinationRow::get_in(&mut tx, org, id).await,
                    u,
                    |r| r.usager_id,
                )?;
                let v = raw.parse(today)?;
                let mut row = old.clone();
                row.vaccine = v.vaccine;
                row.given_on = v.date.to_string();
                row.lot = v.lot;
                row.dose = v.dose;
                unchanged(old == row)?;
                row.version = next(old.version, version)?;
                (row.updated_at, row.updated_by) = (now, by);
                row.update(&mut tx, None, reason.as_deref()).await?;
            }
            RawEntry::Observation(raw) => {
                let old = owned(
                    MedicalObservationRow::get_in(&mut tx, org, id).await,
                    u,
                    |r| r.usager_id,
                )?;
                let o = raw.parse(today)?;
                let mut row = old.clone();
                row.observed_on = o.date.to_string();
                row.kind = o.kind.code().into();
                row.texte = o.texte;
                unchanged(old == row)?;
                row.version = next(old.version, version)?;
                (row.updated_at, row.updated_by) = (now, by);
                row.update(&mut tx, None, reason.as_deref()).await?;
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "dossier_medical",
            json!({"correction": entry.kind().slug(), "id": id, "version": version + 1}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks an allergy or intolerance as resolved (it leaves the banner; the entry stays).
    pub async fn resolve_allergy(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
        version: i64,
        reason: &str,
    ) -> AppResult<()> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        let reason = rules::parse_reason(reason)?;
        let mut tx = self.begin().await?;
        let old = owned(
            MedicalAllergyRow::get_in(&mut tx, ctx.org(), id).await,
            usager.as_uuid(),
            |r| r.usager_id,
        )?;
        if old.status == AllergyStatus::Resolue.code() {
            return Err(AppError::field(
                "status",
                "Cette allergie est déjà marquée comme résolue.",
            ));
        }
        let mut row = old.clone();
        row.status = AllergyStatus::Resolue.code().into();
        row.resolved_on = Some(self.today().to_string());
        row.version = next(old.version, version)?;
        (row.updated_at, row.updated_by) = (self.now_micros(), ctx.user().as_uuid());
        row.update(&mut tx, None, reason.as_deref()).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "dossier_medical",
            json!({"resolution": EntryKind::Allergie.slug(), "id": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the summary of current treatments: the first version, or a new one (`version` is the
    /// one the professional started from, `None` when there was none).
    pub async fn set_treatments(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        texte: &str,
        version: Option<i64>,
        reason: &str,
    ) -> AppResult<()> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        let texte = rules::parse_treatments(texte)?;
        let reason = rules::parse_reason(reason)?;
        let (org, u) = (ctx.org(), usager.as_uuid());
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let mut tx = self.begin().await?;
        let current = MedicalTreatmentRow::list_by_in(&mut tx, org, "usager_id", u, "created_at")
            .await?
            .into_iter()
            .next();
        match (current, version) {
            (None, None) => {
                let row = MedicalTreatmentRow {
                    organisation_id: org,
                    id: self.new_id(),
                    usager_id: u,
                    texte,
                    version: 1,
                    created_at: now,
                    created_by: by,
                    updated_at: now,
                    updated_by: by,
                };
                match row.insert(&mut tx, None, reason.as_deref()).await {
                    Err(parcours_store::StoreError::Unique(_)) => return Err(AppError::Conflict),
                    other => other?,
                }
            }
            (Some(old), Some(v)) => {
                let mut row = old.clone();
                row.texte = texte;
                unchanged(old == row)?;
                row.version = next(old.version, v)?;
                (row.updated_at, row.updated_by) = (now, by);
                row.update(&mut tx, None, reason.as_deref()).await?;
            }
            // Written by someone else meanwhile (or a version given for nothing): re-read first.
            _ => return Err(AppError::Conflict),
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "dossier_medical",
            json!({"traitements": true}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The entry, if it belongs to this person (NotFound otherwise: never act under another person's URL).
fn owned<T>(
    row: parcours_store::Result<T>,
    usager: Uuid,
    owner: impl Fn(&T) -> Uuid,
) -> AppResult<T> {
    let row = row?;
    if owner(&row) == usager {
        Ok(row)
    } else {
        Err(AppError::NotFound)
    }
}

fn unchanged(same: bool) -> AppResult<()> {
    if same {
        Err(AppError::field(
            "texte",
            "Aucune modification à enregistrer.",
        ))
    } else {
        Ok(())
    }
}

/// The next version, if the stored one is still the one the professional started from.
fn next(stored: i64, expected: i64) -> AppResult<i64> {
    if stored == expected {
        Ok(stored + 1)
    } else {
        Err(AppError::Conflict)
    }
}

// -------------------------------------------------------------------------------------------------
// Temporary access: delegation by a physician, emergency opening (break-the-glass) and its review

/// A delegation of read access to one person's medical file, as the physician sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DelegationView {
    #[schema(value_type = String)]
    pub id: Uuid,
    #[schema(value_type = String)]
    pub usager_id: Uuid,
    #[schema(value_type = String)]
    pub delegate_id: Uuid,
    pub delegate: String,
    pub granted_by: String,
    pub reason: String,
    /// `YYYY-MM-DD`, both included.
    pub starts_on: String,
    pub ends_on: String,
    /// `a_venir`, `en_cours`, `expiree` or `revoquee`.
    pub status: &'static str,
    pub status_label: &'static str,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
}

/// An emergency opening of a medical file waiting for its review.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmergencyView {
    #[schema(value_type = String)]
    pub id: Uuid,
    #[schema(value_type = String)]
    pub usager_id: Uuid,
    pub person: String,
    pub professional: String,
    pub reason: String,
    #[schema(value_type = String)]
    pub opened_at: jiff::Timestamp,
    #[schema(value_type = String)]
    pub ends_at: jiff::Timestamp,
    /// Whether the access is still running.
    pub running: bool,
}

/// A professional a physician may delegate to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DelegateOption {
    #[schema(value_type = String)]
    pub id: Uuid,
    pub name: String,
    pub role_label: &'static str,
}

/// Who reviews emergency openings: physicians and the direction.
fn reviews_emergencies(role: Role) -> bool {
    matches!(role, Role::Medecin | Role::Direction)
}

impl App {
    /// Physicians only, and only on files they may write; a refusal is audited.
    async fn gate_delegation(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<()> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        if ctx.actor.role != Role::Medecin {
            self.audit_alone(
                ctx,
                AuditAction::AccessDenied,
                Some(usager),
                "medical_delegation",
                json!({"reason": "RoleNotAllowed"}),
            )
            .await?;
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        Ok(())
    }

    /// A physician lets a named professional read this person's medical file for a period (at most
    /// [`rules::DELEGATION_MAX_DAYS`] days), with a reason. Audited. Returns the delegation's id.
    pub async fn grant_medical_delegation(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &rules::RawDelegation,
    ) -> AppResult<Uuid> {
        self.gate_delegation(ctx, usager).await?;
        let d = raw.parse(self.today())?;
        let wrong = || {
            AppError::field(
                "delegate",
                "Choisissez un professionnel actif de l'organisation.",
            )
        };
        let delegate =
            match parcours_store::account::get_user(&self.db, ctx.org(), d.delegate).await {
                Ok(u) => u,
                Err(parcours_store::StoreError::NotFound) => return Err(wrong()),
                Err(e) => return Err(e.into()),
            };
        if !delegate.active
            || delegate.role == Role::Administrateur.code()
            || delegate.id == ctx.user().as_uuid()
        {
            return Err(wrong());
        }
        let row = store::DelegationRow {
            organisation_id: ctx.org(),
            id: self.new_id(),
            usager_id: usager.as_uuid(),
            delegate_id: delegate.id,
            granted_by: ctx.user().as_uuid(),
            reason: d.reason,
            starts_on: d.starts_on.to_string(),
            ends_on: d.ends_on.to_string(),
            created_at: self.now_micros(),
            revoked_at: None,
            revoked_by: None,
            revoke_reason: None,
        };
        let mut tx = self.begin().await?;
        store::insert_delegation(&mut tx, &row).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalDelegationGrant,
            Some(usager),
            "medical_delegation",
            json!({"id": row.id, "delegate": row.delegate_id, "starts_on": row.starts_on,
                   "ends_on": row.ends_on}),
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Ends a delegation before its term (the row stays, revoked). Audited.
    pub async fn revoke_medical_delegation(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
        reason: &str,
    ) -> AppResult<()> {
        self.gate_delegation(ctx, usager).await?;
        let reason = rules::parse_reason(reason)?;
        match store::delegation(&self.db, ctx.org(), id).await? {
            Some(d) if d.usager_id == usager.as_uuid() => {}
            _ => return Err(AppError::NotFound),
        }
        let mut tx = self.begin().await?;
        let done = store::revoke_delegation(
            &mut tx,
            ctx.org(),
            id,
            self.now_micros(),
            ctx.user().as_uuid(),
            reason.as_deref(),
        )
        .await?;
        if !done {
            return Err(AppError::field(
                "reason",
                "Cette délégation est déjà révoquée.",
            ));
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalDelegationRevoke,
            Some(usager),
            "medical_delegation",
            json!({"id": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The delegations on this person's medical file, newest first (physicians).
    pub async fn medical_delegations(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<Vec<DelegationView>> {
        self.gate_delegation(ctx, usager).await?;
        let names = self.user_names(ctx).await?;
        let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
        let today = self.today().to_string();
        Ok(
            store::delegations_of_usager(&self.db, ctx.org(), usager.as_uuid())
                .await?
                .into_iter()
                .map(|d| {
                    let (status, status_label) = if d.revoked_at.is_some() {
                        ("revoquee", "Révoquée")
                    } else if d.ends_on < today {
                        ("expiree", "Expirée")
                    } else if d.starts_on > today {
                        ("a_venir", "À venir")
                    } else {
                        ("en_cours", "En cours")
                    };
                    DelegationView {
                        id: d.id,
                        usager_id: d.usager_id,
                        delegate_id: d.delegate_id,
                        delegate: name(&d.delegate_id),
                        granted_by: name(&d.granted_by),
                        reason: d.reason,
                        starts_on: d.starts_on,
                        ends_on: d.ends_on,
                        status,
                        status_label,
                        revoked_by: d.revoked_by.as_ref().map(name),
                        revoke_reason: d.revoke_reason,
                    }
                })
                .collect(),
        )
    }

    /// The professionals a physician may delegate to: active, not administrators, not themselves.
    pub async fn delegate_options(&self, ctx: &Ctx) -> AppResult<Vec<DelegateOption>> {
        if ctx.actor.role != Role::Medecin || !ctx.actor.active {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let mut out: Vec<DelegateOption> = parcours_store::account::list_users(&self.db, ctx.org())
            .await?
            .into_iter()
            .filter(|u| {
                u.active && u.role != Role::Administrateur.code() && u.id != ctx.user().as_uuid()
            })
            .map(|u| DelegateOption {
                id: u.id,
                role_label: Role::parse(&u.role).map(|r| r.label_fr()).unwrap_or(""),
                name: format!("{} {}", u.first_name, u.last_name),
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Break-the-glass: a professional who has the person in scope but no medical access opens the
    /// file in an emergency, with a reason, for [`rules::EMERGENCY_ACCESS`]. Audited on the
    /// person (it shows in the access history) and queued for review. Returns when it ends.
    pub async fn break_the_glass(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        reason: &str,
    ) -> AppResult<jiff::Timestamp> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        if !configurable(ctx.actor.role) {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        if self.medical_role_allows(ctx, Action::ReadMedical).await? {
            return Err(AppError::field(
                "reason",
                "Votre rôle donne déjà accès au dossier médical.",
            ));
        }
        let reason = rules::parse_access_reason("reason", reason)?;
        let opened = self.now();
        let ends = opened
            .checked_add(rules::EMERGENCY_ACCESS)
            .map_err(|e| AppError::Internal(format!("emergency end: {e}")))?;
        let row = store::EmergencyRow {
            organisation_id: ctx.org(),
            id: self.new_id(),
            usager_id: usager.as_uuid(),
            user_id: ctx.user().as_uuid(),
            reason,
            opened_at: opened.as_microsecond(),
            ends_at: ends.as_microsecond(),
            reviewed_at: None,
            reviewed_by: None,
            review_comment: None,
        };
        let mut tx = self.begin().await?;
        store::insert_emergency(&mut tx, &row).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalEmergencyAccess,
            Some(usager),
            "dossier_medical",
            json!({"id": row.id, "ends_at": ends.to_string()}),
        )
        .await?;
        tx.commit().await?;
        Ok(ends)
    }

    /// Emergency openings not reviewed yet, oldest first, for the persons in the reviewer's scope
    /// (physicians and the direction).
    pub async fn emergency_review_queue(&self, ctx: &Ctx) -> AppResult<Vec<EmergencyView>> {
        if !ctx.actor.active || !reviews_emergencies(ctx.actor.role) {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let names = self.user_names(ctx).await?;
        let now = self.now_micros();
        let mut out = Vec::new();
        for e in store::unreviewed_emergencies(&self.db, ctx.org()).await? {
            let usager = UsagerId::from_uuid(e.usager_id);
            let placements = crate::usager::placements_of(self, ctx, usager).await?;
            let resource = Resource::Usager {
                organisation: ctx.organisation(),
                placements: &placements,
            };
            if authz::decide(&ctx.actor, Action::ReadUsager, &resource) != Decision::Allow {
                continue;
            }
            let p = parcours_store::usager::get(&self.db, ctx.org(), e.usager_id).await?;
            out.push(EmergencyView {
                id: e.id,
                usager_id: e.usager_id,
                person: format!(
                    "{} {}",
                    p.used_name.unwrap_or(p.birth_name),
                    p.used_first_name.unwrap_or(p.birth_first_name)
                ),
                professional: names.get(&e.user_id).cloned().unwrap_or_default(),
                reason: e.reason,
                opened_at: micros_to_ts(e.opened_at),
                ends_at: micros_to_ts(e.ends_at),
                running: e.ends_at > now,
            });
        }
        Ok(out)
    }

    /// A physician or the direction marks an emergency opening reviewed, with a comment. Audited.
    pub async fn review_emergency_access(
        &self,
        ctx: &Ctx,
        id: Uuid,
        comment: &str,
    ) -> AppResult<()> {
        if !ctx.actor.active || !reviews_emergencies(ctx.actor.role) {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let row = store::emergency(&self.db, ctx.org(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let usager = UsagerId::from_uuid(row.usager_id);
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let comment =
            parcours_domain::input::text("comment", comment, parcours_domain::input::LONG_TEXT)?;
        let mut tx = self.begin().await?;
        if !store::review_emergency(
            &mut tx,
            ctx.org(),
            id,
            self.now_micros(),
            ctx.user().as_uuid(),
            &comment,
        )
        .await?
        {
            return Err(AppError::field("comment", "Cet accès a déjà été relu."));
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalEmergencyReview,
            Some(usager),
            "dossier_medical",
            json!({"id": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
