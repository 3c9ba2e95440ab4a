//! Persons (usagers): creation with duplicate detection, the record, identity edits with their
//! history, identity status changes (RNIV), search and the list of my units' persons.

use std::collections::HashMap;

use parcours_domain::authz::{self, Action, Decision, Placement, Resource};
use parcours_domain::error::FieldErrors;
use parcours_domain::identity::{Identity, RawIdentity};
use parcours_domain::ids::{EtablissementId, UniteId, UsagerId};
use parcours_domain::rniv::{
    self, IdentityAttributes, IdentityStatus, StatusFacts, ValidationMode,
};
use parcours_domain::text;
use parcours_store::StoreError;
use parcours_store::usager::{self as store, PlacementRow, ScopeFilter, SearchQuery, UsagerRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::{App, AppError, AppResult, Ctx};

/// A person as lists and searches show them.
#[derive(Debug, Clone, Serialize)]
pub struct UsagerListItem {
    pub id: UsagerId,
    pub display_name: String,
    pub birth_date: jiff::civil::Date,
    pub sex: String,
    pub status: IdentityStatus,
    /// Whether the current professional may open the record (duplicates may lie outside one's scope).
    pub in_scope: bool,
}

/// Where a person is followed, with names for display.
#[derive(Debug, Clone, Serialize)]
pub struct PlacementView {
    pub etablissement_id: EtablissementId,
    pub etablissement_name: String,
    pub unite_id: Option<UniteId>,
    pub unite_name: Option<String>,
    pub local_id: Option<String>,
}

/// The person's record as a professional reads it.
#[derive(Debug, Clone)]
pub struct UsagerRecord {
    pub id: UsagerId,
    pub version: i64,
    pub identity: Identity,
    pub status: IdentityStatus,
    pub attributes: IdentityAttributes,
    pub validation: Option<(ValidationMode, jiff::civil::Date)>,
    pub ins_from_insi: bool,
    pub placements: Vec<PlacementView>,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
    pub updated_by: String,
    /// Active allergies and intolerances, the most severe first: a safety banner for every role,
    /// outside the medical secret.
    pub allergies: Vec<crate::medical::AllergyAlert>,
}

impl UsagerRecord {
    /// The INS may be shared (DMP, messages, exports) only when the identity is qualifiée.
    pub fn ins_shareable(&self) -> bool {
        self.status.ins_shareable() && self.identity.ins.is_some()
    }
}

/// A creation request, as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct NewUsager {
    #[serde(flatten)]
    pub identity: RawIdentity,
    /// `ETABLISSEMENT_ID` or `ETABLISSEMENT_ID/UNITE_ID`.
    pub placement: String,
    #[serde(default)]
    pub local_id: String,
    /// Set after the professional has seen the possible duplicates and confirmed it is someone else.
    #[serde(default)]
    pub confirm_not_duplicate: bool,
}

/// A request to change the identity status and attributes, with its justification.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct StatusChange {
    pub status: String,
    pub reason: String,
    #[serde(default)]
    pub validation_mode: String,
    #[serde(default)]
    pub validation_date: String,
    #[serde(default)]
    pub ins_from_insi: bool,
    #[serde(default)]
    pub douteuse: bool,
    #[serde(default)]
    pub fictive: bool,
    #[serde(default)]
    pub homonyme: bool,
    pub version: i64,
}

/// One version of the identity in its history.
#[derive(Debug, Clone)]
pub struct VersionView {
    pub version: i64,
    pub kind_label: &'static str,
    pub at: jiff::Timestamp,
    pub by: String,
    pub reason: Option<String>,
    pub display_name: String,
    pub status: String,
    /// Labels of the fields that differ from the previous version.
    pub changed: Vec<&'static str>,
    pub row: UsagerRow,
}

/// A placement the current professional may create a person in.
#[derive(Debug, Clone, Serialize)]
pub struct PlacementOption {
    pub value: String,
    pub label: String,
}

/// One page of persons, with the cursor of the next page.
#[derive(Debug, Clone)]
pub struct UsagerPage {
    pub items: Vec<UsagerListItem>,
    pub next: Option<String>,
}

pub(crate) fn micros_to_ts(m: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_microsecond(m).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn opt(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

/// Folded key of the possible-duplicate rule: same birth name, first name and birth date,
/// whatever the accents and case.
fn duplicate_key(identity: &Identity) -> String {
    let raw = identity.to_raw();
    format!(
        "{}|{}|{}",
        text::fold(&raw.birth_name),
        text::fold(&raw.birth_first_name),
        raw.birth_date
    )
}

fn raw_of(row: &UsagerRow) -> RawIdentity {
    RawIdentity {
        birth_name: row.birth_name.clone(),
        birth_first_name: row.birth_first_name.clone(),
        birth_first_names: row.birth_first_names.clone(),
        used_name: row.used_name.clone().unwrap_or_default(),
        used_first_name: row.used_first_name.clone().unwrap_or_default(),
        sex: row.sex.clone(),
        birth_date: row.birth_date.clone(),
        birth_place: row.birth_place.clone(),
        ins_matricule: row.ins_matricule.clone().unwrap_or_default(),
        ins_oid: row.ins_oid.clone().unwrap_or_default(),
        phone: row.phone.clone().unwrap_or_default(),
        email: row.email.clone().unwrap_or_default(),
        address: row.address.clone().unwrap_or_default(),
        postal_code: row.postal_code.clone().unwrap_or_default(),
        city: row.city.clone().unwrap_or_default(),
    }
}

/// Copies a parsed identity into a row (canonical forms only).
fn write_identity(row: &mut UsagerRow, identity: &Identity) {
    let raw = identity.to_raw();
    row.birth_name = raw.birth_name;
    row.birth_first_name = raw.birth_first_name;
    row.birth_first_names = raw.birth_first_names;
    row.used_name = opt(raw.used_name);
    row.used_first_name = opt(raw.used_first_name);
    row.sex = raw.sex;
    row.birth_date = raw.birth_date;
    row.birth_place = raw.birth_place;
    row.ins_matricule = opt(raw.ins_matricule);
    row.ins_oid = opt(raw.ins_oid);
    row.phone = opt(raw.phone);
    row.email = opt(raw.email);
    row.address = opt(raw.address);
    row.postal_code = opt(raw.postal_code);
    row.city = opt(raw.city);
    row.sort_key = text::fold(&identity.display_name());
    row.duplicate_key = duplicate_key(identity);
}

/// Field labels for the history's "what changed" column.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("birth_name", "Nom de naissance"),
    ("birth_first_name", "Premier prénom de naissance"),
    ("birth_first_names", "Prénoms de naissance"),
    ("used_name", "Nom utilisé"),
    ("used_first_name", "Prénom utilisé"),
    ("sex", "Sexe"),
    ("birth_date", "Date de naissance"),
    ("birth_place", "Lieu de naissance"),
    ("ins", "INS"),
    ("status", "Statut d'identité"),
    ("attributes", "Attributs d'identité"),
    ("contact", "Coordonnées"),
];

fn changed_fields(old: &UsagerRow, new: &UsagerRow) -> Vec<&'static str> {
    let checks = [
        old.birth_name != new.birth_name,
        old.birth_first_name != new.birth_first_name,
        old.birth_first_names != new.birth_first_names,
        old.used_name != new.used_name,
        old.used_first_name != new.used_first_name,
        old.sex != new.sex,
        old.birth_date != new.birth_date,
        old.birth_place != new.birth_place,
        old.ins_matricule != new.ins_matricule
            || old.ins_oid != new.ins_oid
            || old.ins_from_insi != new.ins_from_insi,
        old.identity_status != new.identity_status
            || old.validation_mode != new.validation_mode
            || old.validation_date != new.validation_date,
        old.attr_douteuse != new.attr_douteuse
            || old.attr_fictive != new.attr_fictive
            || old.attr_homonyme != new.attr_homonyme,
        old.phone != new.phone
            || old.email != new.email
            || old.address != new.address
            || old.postal_code != new.postal_code
            || old.city != new.city,
    ];
    FIELD_LABELS
        .iter()
        .zip(checks)
        .filter(|(_, c)| *c)
        .map(|((_, label), _)| *label)
        .collect()
}

/// Strict traits and the INS: changing one of them puts a validated identity back to provisoire.
fn strict_traits_changed(old: &UsagerRow, new: &UsagerRow) -> bool {
    old.birth_name != new.birth_name
        || old.birth_first_name != new.birth_first_name
        || old.birth_first_names != new.birth_first_names
        || old.sex != new.sex
        || old.birth_date != new.birth_date
        || old.birth_place != new.birth_place
        || old.ins_matricule != new.ins_matricule
        || old.ins_oid != new.ins_oid
}

/// Turns what a professional typed into a search: name prefixes (accent- and case-insensitive),
/// a birth date (`JJ/MM/AAAA` or `AAAA-MM-JJ`), or an INS (13 to 15 characters, spaces allowed).
pub fn analyse_query(q: &str) -> SearchQuery {
    let mut query = SearchQuery::default();
    let compact: String = q
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let looks_like_ins = compact.len() >= 5
        && compact.len() <= 15
        && compact
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'A' || c == 'B')
        && compact.chars().filter(|c| c.is_ascii_digit()).count() >= compact.len() - 1;
    if looks_like_ins && !compact.contains('/') {
        query.ins_prefix = Some(compact);
        return query;
    }
    for piece in q.split_whitespace() {
        if let Some(date) = parse_search_date(piece) {
            query.birth_date = Some(date.to_string());
            continue;
        }
        for t in text::tokens(piece) {
            if query.name_prefixes.len() < 6 && !query.name_prefixes.contains(&t) {
                query.name_prefixes.push(t);
            }
        }
    }
    query
}

fn parse_search_date(s: &str) -> Option<jiff::civil::Date> {
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() == 3 && parts[2].len() == 4 {
        let day = parts[0].parse::<i8>().ok()?;
        let month = parts[1].parse::<i8>().ok()?;
        let year = parts[2].parse::<i16>().ok()?;
        return jiff::civil::Date::new(year, month, day).ok();
    }
    None
}

pub(crate) fn scope_filter(ctx: &Ctx) -> ScopeFilter {
    let scope = ctx.actor.visible_scope();
    ScopeFilter {
        etablissements: scope.etablissements.iter().map(|e| e.as_uuid()).collect(),
        unites: scope.unites.iter().map(|u| u.as_uuid()).collect(),
    }
}

/// Where the person is followed, as the gate needs it. `NotFound` if the person does not exist in
/// the actor's organisation.
pub(crate) async fn placements_of(
    app: &App,
    ctx: &Ctx,
    usager: UsagerId,
) -> AppResult<Vec<Placement>> {
    let found = placements_of_many(app, ctx, &[usager.as_uuid()])
        .await?
        .remove(&usager.as_uuid())
        .unwrap_or_default();
    if found.is_empty() {
        // A person always has a placement; none means the id is unknown here.
        store::get(&app.db, ctx.org(), usager.as_uuid()).await?;
    }
    Ok(found)
}

/// [`placements_of`] for many persons in one query (an unknown id simply has none, which the gate
/// refuses as out of scope).
pub(crate) async fn placements_of_many(
    app: &App,
    ctx: &Ctx,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Placement>>> {
    let mut out: HashMap<Uuid, Vec<Placement>> = HashMap::new();
    for (u, e, unite) in store::access_placements(&app.db, ctx.org(), ids).await? {
        out.entry(u).or_default().push(Placement {
            etablissement: EtablissementId::from_uuid(e),
            unite: unite.map(UniteId::from_uuid),
        });
    }
    Ok(out)
}

impl App {
    /// The gate for an action on one person, from where they are followed; a refusal is audited.
    pub(crate) async fn gate_person(
        &self,
        ctx: &Ctx,
        action: Action,
        usager: UsagerId,
    ) -> AppResult<()> {
        let placements = placements_of(self, ctx, usager).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        self.gate_usager(ctx, action, &resource, usager).await
    }

    /// The gate for an action on one person; a refusal is itself audited.
    pub(crate) async fn gate_usager(
        &self,
        ctx: &Ctx,
        action: Action,
        resource: &Resource<'_>,
        usager: UsagerId,
    ) -> AppResult<()> {
        // `decide` is the gate with the organisation's medical access setting and temporary
        // medical access (see `medical`).
        match self.decide(ctx, action, resource, usager).await? {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => {
                self.audit_alone(
                    ctx,
                    AuditAction::AccessDenied,
                    Some(usager),
                    "usager",
                    json!({"action": action.code(), "reason": format!("{reason:?}")}),
                )
                .await?;
                Err(AppError::Forbidden(reason))
            }
        }
    }

    /// Placements the professional may create a person in: units of the establishments they cover,
    /// or the establishment itself when it has no unit.
    pub async fn placement_options(&self, ctx: &Ctx) -> AppResult<Vec<PlacementOption>> {
        let etabs = parcours_store::organisation::list_etablissements(&self.db, ctx.org()).await?;
        let unites = parcours_store::organisation::list_unites(&self.db, ctx.org()).await?;
        let mut out = Vec::new();
        for e in etabs.iter().filter(|e| e.active) {
            let etab_units: Vec<_> = unites
                .iter()
                .filter(|u| u.etablissement_id == e.id && u.active)
                .collect();
            let mut candidates: Vec<(String, String, Placement)> = etab_units
                .iter()
                .map(|u| {
                    (
                        format!("{}/{}", e.id, u.id),
                        format!("{} — {}", e.name, u.name),
                        Placement {
                            etablissement: EtablissementId::from_uuid(e.id),
                            unite: Some(UniteId::from_uuid(u.id)),
                        },
                    )
                })
                .collect();
            if etab_units.is_empty() {
                candidates.push((
                    e.id.to_string(),
                    e.name.clone(),
                    Placement {
                        etablissement: EtablissementId::from_uuid(e.id),
                        unite: None,
                    },
                ));
            }
            for (value, label, placement) in candidates {
                let resource = Resource::NewUsager {
                    organisation: ctx.organisation(),
                    placement,
                };
                if authz::decide(&ctx.actor, Action::CreateUsager, &resource) == Decision::Allow {
                    out.push(PlacementOption { value, label });
                }
            }
        }
        Ok(out)
    }

    /// Parses `ETAB` or `ETAB/UNITE` and checks both exist, are active and belong together.
    async fn parse_placement(&self, ctx: &Ctx, value: &str) -> AppResult<Placement> {
        let invalid = || {
            AppError::field(
                "placement",
                "Choisissez l'établissement et l'unité de l'usager.",
            )
        };
        let mut parts = value.trim().splitn(2, '/');
        let etab: Uuid = parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(invalid)?;
        let unite: Option<Uuid> = match parts.next() {
            Some(s) => Some(s.parse().map_err(|_| invalid())?),
            None => None,
        };
        let e = parcours_store::organisation::get_etablissement(&self.db, ctx.org(), etab)
            .await
            .map_err(|_| invalid())?;
        if !e.active {
            return Err(invalid());
        }
        if let Some(u) = unite {
            let u = parcours_store::organisation::get_unite(&self.db, ctx.org(), u)
                .await
                .map_err(|_| invalid())?;
            if u.etablissement_id != etab || !u.active {
                return Err(invalid());
            }
        }
        Ok(Placement {
            etablissement: EtablissementId::from_uuid(etab),
            unite: unite.map(UniteId::from_uuid),
        })
    }

    /// Creates a person (identité provisoire). Refuses invalid traits field by field, and stops on
    /// possible duplicates until the professional confirms it is another person. All or nothing.
    pub async fn create_usager(&self, ctx: &Ctx, input: &NewUsager) -> AppResult<UsagerId> {
        let mut errors = FieldErrors::default();
        let identity = match Identity::parse(&input.identity, self.today()) {
            Ok(i) => Some(i),
            Err(e) => {
                errors = e;
                None
            }
        };
        let placement = match self.parse_placement(ctx, &input.placement).await {
            Ok(p) => Some(p),
            Err(AppError::Validation(e)) => {
                errors.0.extend(e.0);
                None
            }
            Err(e) => return Err(e),
        };
        let local_id = input.local_id.trim().to_string();
        if local_id.chars().count() > 40 {
            errors.push(
                "local_id",
                "L'identifiant local ne doit pas dépasser 40 caractères.",
            );
        }
        let (Some(identity), Some(placement), true) = (identity, placement, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        self.authorize(
            ctx,
            Action::CreateUsager,
            &Resource::NewUsager {
                organisation: ctx.organisation(),
                placement,
            },
        )?;

        if let Some(ins) = &identity.ins
            && self
                .find_by_ins(ctx, ins.matricule.as_str())
                .await?
                .is_some()
        {
            return Err(AppError::field(
                "ins_matricule",
                "Ce matricule INS est déjà attribué à un autre usager.",
            ));
        }
        if !input.confirm_not_duplicate {
            let dups = store::find_by_duplicate_key(&self.db, ctx.org(), &duplicate_key(&identity))
                .await?;
            if !dups.is_empty() {
                return Err(AppError::PossibleDuplicates(
                    self.list_items(ctx, dups).await?,
                ));
            }
        }

        let id = UsagerId::from_uuid(self.new_id());
        let row = row_for_new(self, ctx, id, &identity);
        let now = row.created_at;
        let mut tx = self.begin().await?;
        store::insert(&mut tx, &row).await.map_err(ins_taken)?;
        store::insert_version(&mut tx, &row, "creation", None).await?;
        let placement_row = PlacementRow {
            usager_id: id.as_uuid(),
            etablissement_id: placement.etablissement.as_uuid(),
            unite_id: placement.unite.map(|u| u.as_uuid()),
            local_id: opt(local_id),
        };
        match store::insert_placement(&mut tx, ctx.org(), &placement_row, now).await {
            Err(StoreError::Unique(_)) => {
                return Err(AppError::field(
                    "local_id",
                    "Cet identifiant local est déjà utilisé dans l'établissement.",
                ));
            }
            other => other?,
        }
        store::insert_tokens(
            &mut tx,
            ctx.org(),
            id.as_uuid(),
            &identity.search_tokens(),
            &row.sort_key,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::UsagerCreate,
            Some(id),
            "usager",
            json!({"duplicate_confirmed": input.confirm_not_duplicate}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn find_by_ins(&self, ctx: &Ctx, matricule: &str) -> AppResult<Option<Uuid>> {
        let q = SearchQuery {
            ins_prefix: Some(matricule.to_string()),
            ..Default::default()
        };
        // Uniqueness is organisation-wide, whatever the professional's scope.
        let all = all_scope(&self.db, ctx.org()).await?;
        let hits = store::search(&self.db, ctx.org(), &all, &q, None, 1).await?;
        Ok(hits.first().map(|h| h.id))
    }

    async fn list_items(
        &self,
        ctx: &Ctx,
        rows: Vec<store::UsagerSummary>,
    ) -> AppResult<Vec<UsagerListItem>> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let placements = placements_of(self, ctx, UsagerId::from_uuid(r.id)).await?;
            let in_scope = authz::decide(
                &ctx.actor,
                Action::ReadUsager,
                &Resource::Usager {
                    organisation: ctx.organisation(),
                    placements: &placements,
                },
            ) == Decision::Allow;
            out.push(summary_item(r, in_scope));
        }
        Ok(out)
    }

    /// Opens a person's record (an audited read).
    pub async fn get_usager(&self, ctx: &Ctx, id: UsagerId) -> AppResult<UsagerRecord> {
        let placements = placements_of(self, ctx, id).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        self.gate_usager(ctx, Action::ReadUsager, &resource, id)
            .await?;
        let record = self.load_record(ctx, id).await?;
        self.audit_alone(ctx, AuditAction::UsagerRead, Some(id), "usager", json!({}))
            .await?;
        Ok(record)
    }

    async fn load_record(&self, ctx: &Ctx, id: UsagerId) -> AppResult<UsagerRecord> {
        let row = store::get(&self.db, ctx.org(), id.as_uuid()).await?;
        let identity = Identity::parse(&raw_of(&row), self.today()).map_err(|e| {
            AppError::Internal(format!("stored identity of {id} does not parse: {e}"))
        })?;
        let etabs = parcours_store::organisation::list_etablissements(&self.db, ctx.org()).await?;
        let unites = parcours_store::organisation::list_unites(&self.db, ctx.org()).await?;
        let placements = store::placements(&self.db, ctx.org(), id.as_uuid())
            .await?
            .into_iter()
            .map(|p| PlacementView {
                etablissement_id: EtablissementId::from_uuid(p.etablissement_id),
                etablissement_name: etabs
                    .iter()
                    .find(|e| e.id == p.etablissement_id)
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                unite_id: p.unite_id.map(UniteId::from_uuid),
                unite_name: p
                    .unite_id
                    .and_then(|u| unites.iter().find(|x| x.id == u).map(|x| x.name.clone())),
                local_id: p.local_id,
            })
            .collect();
        let updated_by = self
            .user_names(ctx)
            .await?
            .get(&row.updated_by)
            .cloned()
            .unwrap_or_default();
        let validation = match (&row.validation_mode, &row.validation_date) {
            (Some(m), Some(d)) => ValidationMode::parse(m).ok().zip(d.parse().ok()),
            _ => None,
        };
        Ok(UsagerRecord {
            id,
            version: row.version,
            status: IdentityStatus::parse(&row.identity_status).map_err(|_| {
                AppError::Internal(format!("unknown status {}", row.identity_status))
            })?,
            attributes: IdentityAttributes {
                douteuse: row.attr_douteuse,
                fictive: row.attr_fictive,
                homonyme: row.attr_homonyme,
            },
            validation,
            ins_from_insi: row.ins_from_insi,
            placements,
            created_at: micros_to_ts(row.created_at),
            updated_at: micros_to_ts(row.updated_at),
            updated_by,
            identity,
            allergies: self.allergy_alerts(ctx, id).await?,
        })
    }

    pub(crate) async fn user_names(&self, ctx: &Ctx) -> AppResult<HashMap<Uuid, String>> {
        Ok(parcours_store::account::list_users(&self.db, ctx.org())
            .await?
            .into_iter()
            .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name)))
            .collect())
    }

    /// Corrects the identity. The previous version is kept; `expected_version` is the version the
    /// professional started from, so a concurrent edit is refused as a conflict.
    pub async fn update_identity(
        &self,
        ctx: &Ctx,
        id: UsagerId,
        raw: &RawIdentity,
        expected_version: i64,
    ) -> AppResult<UsagerRecord> {
        let placements = placements_of(self, ctx, id).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        self.gate_usager(ctx, Action::EditIdentity, &resource, id)
            .await?;
        let identity = Identity::parse(raw, self.today())?;
        let old = store::get(&self.db, ctx.org(), id.as_uuid()).await?;
        if old.version != expected_version {
            return Err(AppError::Conflict);
        }
        if let Some(ins) = &identity.ins
            && let Some(other) = self.find_by_ins(ctx, ins.matricule.as_str()).await?
            && other != id.as_uuid()
        {
            return Err(AppError::field(
                "ins_matricule",
                "Ce matricule INS est déjà attribué à un autre usager.",
            ));
        }
        let mut row = old.clone();
        write_identity(&mut row, &identity);
        if row == old {
            return Err(AppError::field(
                "birth_name",
                "Aucune modification n'a été saisie.",
            ));
        }
        let mut reason = None;
        if strict_traits_changed(&old, &row)
            && row.identity_status != IdentityStatus::Provisoire.code()
        {
            // RNIV: a strict trait or the INS changed, the earlier checks no longer hold.
            row.identity_status = IdentityStatus::Provisoire.code().to_string();
            row.ins_from_insi = false;
            row.validation_mode = None;
            row.validation_date = None;
            reason = Some("Trait strict ou INS modifié : l'identité repasse en provisoire.");
        }
        if old.ins_matricule != row.ins_matricule {
            row.ins_from_insi = false;
        }
        row.version = old.version + 1;
        row.updated_at = self.now_micros();
        row.updated_by = ctx.user().as_uuid();
        let mut tx = self.begin().await?;
        store::update(&mut tx, &row).await.map_err(ins_taken)?;
        store::insert_version(&mut tx, &row, "identite", reason).await?;
        store::replace_tokens(
            &mut tx,
            ctx.org(),
            id.as_uuid(),
            &identity.search_tokens(),
            &row.sort_key,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::UsagerIdentityEdit,
            Some(id),
            "usager",
            json!({"version": row.version, "changed": changed_fields(&old, &row)}),
        )
        .await?;
        tx.commit().await?;
        self.load_record(ctx, id).await
    }

    /// Changes the identity status (RNIV transitions) and attributes, with a justification.
    pub async fn change_identity_status(
        &self,
        ctx: &Ctx,
        id: UsagerId,
        input: &StatusChange,
    ) -> AppResult<()> {
        let placements = placements_of(self, ctx, id).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        self.gate_usager(ctx, Action::ChangeIdentityStatus, &resource, id)
            .await?;
        let mut errors = FieldErrors::default();
        let target = IdentityStatus::parse(&input.status)
            .map_err(|_| AppError::field("status", "Choisissez un statut d'identité."))?;
        let reason = input.reason.trim();
        if reason.is_empty() {
            errors.push("reason", "La justification du changement est obligatoire.");
        } else if reason.chars().count() > 500 {
            errors.push(
                "reason",
                "La justification ne doit pas dépasser 500 caractères.",
            );
        }
        let mode = if input.validation_mode.trim().is_empty() {
            None
        } else {
            match ValidationMode::parse(input.validation_mode.trim()) {
                Ok(m) => Some(m),
                Err(_) => {
                    errors.push("validation_mode", "Type de justificatif inconnu.");
                    None
                }
            }
        };
        let date = if input.validation_date.trim().is_empty() {
            None
        } else {
            match rniv::parse_document_date(input.validation_date.trim(), self.today()) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push("validation_date", e.message);
                    None
                }
            }
        };
        if mode.is_some() != date.is_some() {
            let field = if mode.is_some() {
                "validation_date"
            } else {
                "validation_mode"
            };
            if errors.get(field).is_none() {
                errors.push(field, "Le type de justificatif et sa date vont ensemble.");
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let old = store::get(&self.db, ctx.org(), id.as_uuid()).await?;
        if old.version != input.version {
            return Err(AppError::Conflict);
        }
        let from = IdentityStatus::parse(&old.identity_status)
            .map_err(|_| AppError::Internal(format!("unknown status {}", old.identity_status)))?;
        let attributes = IdentityAttributes {
            douteuse: input.douteuse,
            fictive: input.fictive,
            homonyme: input.homonyme,
        };
        let document = mode.zip(date).or_else(|| {
            old.validation_mode
                .as_deref()
                .and_then(|m| ValidationMode::parse(m).ok())
                .zip(old.validation_date.as_deref().and_then(|d| d.parse().ok()))
        });
        let facts = StatusFacts {
            has_ins: old.ins_matricule.is_some(),
            ins_from_insi: input.ins_from_insi && old.ins_matricule.is_some(),
            document,
            attributes,
        };
        let attributes_changed = old.attr_douteuse != attributes.douteuse
            || old.attr_fictive != attributes.fictive
            || old.attr_homonyme != attributes.homonyme;
        if target != from {
            rniv::check_transition(from, target, &facts)
                .map_err(|e| AppError::field("status", e.to_string()))?;
        } else {
            let forced = rniv::required_status_after_attributes(from, &attributes);
            if forced != from {
                return Err(AppError::field(
                    "status",
                    "Une identité douteuse ou fictive doit repasser en identité provisoire.",
                ));
            }
            if !attributes_changed && mode.is_none() && input.ins_from_insi == old.ins_from_insi {
                return Err(AppError::field(
                    "status",
                    "Le statut est déjà celui demandé.",
                ));
            }
        }
        if input.ins_from_insi && old.ins_matricule.is_none() {
            return Err(AppError::field(
                "ins_from_insi",
                "Saisissez d'abord le matricule INS dans l'identité.",
            ));
        }
        let mut row = old.clone();
        row.identity_status = target.code().to_string();
        row.ins_from_insi = facts.ins_from_insi;
        if target == IdentityStatus::Provisoire {
            row.validation_mode = None;
            row.validation_date = None;
        } else if let Some((m, d)) = document {
            row.validation_mode = Some(m.code().to_string());
            row.validation_date = Some(d.to_string());
        }
        row.attr_douteuse = attributes.douteuse;
        row.attr_fictive = attributes.fictive;
        row.attr_homonyme = attributes.homonyme;
        row.version = old.version + 1;
        row.updated_at = self.now_micros();
        row.updated_by = ctx.user().as_uuid();
        let mut tx = self.begin().await?;
        store::update(&mut tx, &row).await?;
        store::insert_version(&mut tx, &row, "statut", Some(reason)).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::UsagerStatusChange,
            Some(id),
            "usager",
            json!({"from": from.code(), "to": target.code(), "reason": reason}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every version of the identity, newest first, with who changed what and when.
    pub async fn identity_history(&self, ctx: &Ctx, id: UsagerId) -> AppResult<Vec<VersionView>> {
        let placements = placements_of(self, ctx, id).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        self.gate_usager(ctx, Action::ViewIdentityHistory, &resource, id)
            .await?;
        let names = self.user_names(ctx).await?;
        let rows = store::versions(&self.db, ctx.org(), id.as_uuid()).await?;
        let mut parsed = Vec::with_capacity(rows.len());
        for r in rows {
            let snapshot: UsagerRow = serde_json::from_str(&r.snapshot)
                .map_err(|e| AppError::Internal(format!("version {} of {id}: {e}", r.version)))?;
            parsed.push((r, snapshot));
        }
        let mut out = Vec::with_capacity(parsed.len());
        for (i, (r, snapshot)) in parsed.iter().enumerate() {
            let changed = parsed
                .get(i + 1)
                .map(|(_, prev)| changed_fields(prev, snapshot))
                .unwrap_or_default();
            let display_name = Identity::parse(&raw_of(snapshot), self.today())
                .map(|i| i.display_name())
                .unwrap_or_else(|_| snapshot.birth_name.clone());
            out.push(VersionView {
                version: r.version,
                kind_label: match r.change_kind.as_str() {
                    "creation" => "Création",
                    "statut" => "Changement du statut d'identité",
                    _ => "Modification de l'identité",
                },
                at: micros_to_ts(r.changed_at),
                by: names.get(&r.changed_by).cloned().unwrap_or_default(),
                reason: r.reason.clone(),
                display_name,
                status: IdentityStatus::parse(&snapshot.identity_status)
                    .map(|s| s.label_fr().to_string())
                    .unwrap_or_default(),
                changed,
                row: snapshot.clone(),
            });
        }
        self.audit_alone(
            ctx,
            AuditAction::UsagerHistoryRead,
            Some(id),
            "usager",
            json!({}),
        )
        .await?;
        Ok(out)
    }

    /// Searches the persons the professional may see. An empty query lists them all, alphabetically,
    /// by pages of `limit` after the cursor `after`. The search itself is audited.
    pub async fn search_usagers(
        &self,
        ctx: &Ctx,
        q: &str,
        after: Option<&str>,
        limit: i64,
    ) -> AppResult<UsagerPage> {
        self.authorize(
            ctx,
            Action::ListUsagers,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let query = analyse_query(q);
        let cursor = after.and_then(decode_cursor);
        let limit = limit.clamp(1, 200);
        let mut rows = store::search(
            &self.db,
            ctx.org(),
            &scope_filter(ctx),
            &query,
            cursor.as_ref().map(|(k, id)| (k.as_str(), *id)),
            limit + 1,
        )
        .await?;
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| encode_cursor(&r.sort_key, r.id))
        } else {
            None
        };
        let action = if q.trim().is_empty() {
            AuditAction::UsagerList
        } else {
            AuditAction::UsagerSearch
        };
        self.audit_alone(
            ctx,
            action,
            None,
            "usagers",
            json!({"q": q.trim(), "results": rows.len()}),
        )
        .await?;
        Ok(UsagerPage {
            items: rows.into_iter().map(|r| summary_item(r, true)).collect(),
            next,
        })
    }
}

/// The database's last word on INS uniqueness (two admissions racing past the application check).
fn ins_taken(e: StoreError) -> AppError {
    match e {
        StoreError::Unique(_) => AppError::field(
            "ins_matricule",
            "Ce matricule INS est déjà attribué à un autre usager.",
        ),
        other => other.into(),
    }
}

fn encode_cursor(sort_key: &str, id: Uuid) -> String {
    format!("{}~{}", id, hex_encode(sort_key))
}

fn decode_cursor(s: &str) -> Option<(String, Uuid)> {
    let (id, key) = s.split_once('~')?;
    let bytes = (0..key.len())
        .step_by(2)
        .map(|i| {
            key.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()?;
    Some((String::from_utf8(bytes).ok()?, id.parse().ok()?))
}

fn hex_encode(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn summary_item(r: store::UsagerSummary, in_scope: bool) -> UsagerListItem {
    let name = r.used_name.clone().unwrap_or_else(|| r.birth_name.clone());
    let first = r
        .used_first_name
        .clone()
        .unwrap_or_else(|| r.birth_first_name.clone());
    UsagerListItem {
        id: UsagerId::from_uuid(r.id),
        display_name: format!("{name} {first}"),
        birth_date: r.birth_date.parse().unwrap_or_default(),
        sex: r.sex,
        status: IdentityStatus::parse(&r.identity_status).unwrap_or(IdentityStatus::Provisoire),
        in_scope,
    }
}

async fn all_scope(db: &parcours_store::Db, org: Uuid) -> AppResult<ScopeFilter> {
    Ok(ScopeFilter {
        etablissements: parcours_store::organisation::list_etablissements(db, org)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect(),
        unites: Vec::new(),
    })
}

/// The first version of a new person: identité provisoire, created now by the acting professional.
pub(crate) fn row_for_new(app: &App, ctx: &Ctx, id: UsagerId, identity: &Identity) -> UsagerRow {
    let now = app.now_micros();
    let mut row = UsagerRow {
        organisation_id: ctx.org(),
        id: id.as_uuid(),
        version: 1,
        ins_from_insi: false,
        identity_status: IdentityStatus::Provisoire.code().to_string(),
        created_at: now,
        created_by: ctx.user().as_uuid(),
        updated_at: now,
        updated_by: ctx.user().as_uuid(),
        ..empty_row()
    };
    write_identity(&mut row, identity);
    row
}

fn empty_row() -> UsagerRow {
    UsagerRow {
        organisation_id: Uuid::nil(),
        id: Uuid::nil(),
        version: 0,
        birth_name: String::new(),
        birth_first_name: String::new(),
        birth_first_names: String::new(),
        used_name: None,
        used_first_name: None,
        sex: String::new(),
        birth_date: String::new(),
        birth_place: String::new(),
        ins_matricule: None,
        ins_oid: None,
        ins_from_insi: false,
        identity_status: String::new(),
        validation_mode: None,
        validation_date: None,
        attr_douteuse: false,
        attr_fictive: false,
        attr_homonyme: false,
        phone: None,
        email: None,
        address: None,
        postal_code: None,
        city: None,
        sort_key: String::new(),
        duplicate_key: String::new(),
        created_at: 0,
        created_by: Uuid::nil(),
        updated_at: 0,
        updated_by: Uuid::nil(),
    }
}
