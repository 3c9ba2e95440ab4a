//! The plan de soins: a person's recurring care tasks (add, change, stop — each a new version),
//! the unit's list for a day, the record of each occurrence (done, or not done with its reason) and
//! the missed occurrences. Reads need `ReadCareRecord`, writes `WriteCareRecord`; recording an
//! occurrence also needs the professional's role among the task's roles ("who may do it"). Every
//! read and write is audited; nothing is updated or deleted.
//!
//! Each occurrence follows the version of the task that was current at its time: changing a task
//! does not rewrite what was due before, and nothing is due before the task was written.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use parcours_domain::authz::{Action, DenyReason, Placement, Resource, role_allows};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{EtablissementId, PlanSoinTacheId, UniteId, UsagerId};
use parcours_domain::input;
use parcours_domain::plan_soins::{
    self, Motif, Outcome, RawTache, Rule, State, Tache, parse_time, time_code,
};
use parcours_domain::professional::Role;
use parcours_store::plan_soins::{RealisationRow, TacheRow};
use parcours_store::{StoreError, usager::UsagerSummary};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::admission::parse_stored_date;
use crate::audit::AuditAction;
use crate::usager::{micros_to_ts, placements_of};
use crate::{App, AppError, AppResult, Ctx};

/// How many days back the person's page looks for missed occurrences (today included).
pub const MISSED_DAYS: i64 = 7;

/// One task as shown (its current version).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TacheView {
    #[schema(value_type = String)]
    pub id: PlanSoinTacheId,
    pub version: i64,
    pub label: String,
    pub details: Option<String>,
    /// "lundi, mercredi à 08:00, 20:00", "tous les 3 jours à 09:00".
    pub quand: String,
    /// `lun` … `dim` (empty for an "every N days" task).
    pub jours: Vec<String>,
    pub intervalle: Option<i64>,
    /// `HH:MM`, civil times in Europe/Paris.
    pub heures: Vec<String>,
    #[schema(value_type = String)]
    pub du: Date,
    #[schema(value_type = Option<String>)]
    pub au: Option<Date>,
    /// Role codes of who may do it.
    pub roles: Vec<String>,
    /// "Infirmier / infirmière, Aide-soignant / AES".
    pub roles_label: String,
    pub arretee: bool,
    pub recorded_by: String,
    #[schema(value_type = String)]
    pub recorded_at: Timestamp,
}

/// One occurrence of a task: a day and a time, with what was recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OccurrenceView {
    #[schema(value_type = String)]
    pub tache: PlanSoinTacheId,
    pub tache_version: i64,
    #[schema(value_type = String)]
    pub usager: UsagerId,
    pub usager_name: String,
    pub label: String,
    pub details: Option<String>,
    #[schema(value_type = String)]
    pub date: Date,
    /// `HH:MM` (Europe/Paris).
    pub heure: String,
    #[schema(value_type = String)]
    pub due_at: Timestamp,
    /// `a_faire`, `fait`, `non_fait`, `manquee`.
    #[schema(value_type = String)]
    pub state: State,
    pub state_label: String,
    /// The reason's code and label when not done.
    pub motif: Option<String>,
    pub motif_label: Option<String>,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    #[schema(value_type = Option<String>)]
    pub recorded_at: Option<Timestamp>,
    pub roles_label: String,
    /// Whether the professional asking may record it (their role is among the task's roles).
    pub can_do: bool,
}

/// A person's plan de soins.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanSoins {
    /// Current tasks, the running ones first.
    pub taches: Vec<TacheView>,
    #[schema(value_type = String)]
    pub today: Date,
    /// Today's occurrences by time.
    pub occurrences: Vec<OccurrenceView>,
    /// Missed occurrences of the last days (today included), oldest first.
    pub manquees: Vec<OccurrenceView>,
}

/// The unit's list for a day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitDay {
    #[schema(value_type = String)]
    pub unite: UniteId,
    pub unite_name: String,
    #[schema(value_type = String)]
    pub date: Date,
    /// Every occurrence due that day for the persons of the unit the professional may read, by
    /// time then person.
    pub occurrences: Vec<OccurrenceView>,
    pub manquees: usize,
}

/// A unit the professional covers, for the day's list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitOption {
    #[schema(value_type = String)]
    pub id: UniteId,
    /// "EHPAD Les Tilleuls — Les Glycines".
    pub label: String,
}

/// Records one occurrence: `fait`, or `non_fait` with a reason (`refus`, `absence`,
/// `hospitalisation`, `sommeil`, `etat_de_sante`, `autre` — which needs a note).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRealisation {
    /// The day of the occurrence, `YYYY-MM-DD`.
    pub date: String,
    /// Its time, `HH:MM`.
    pub heure: String,
    pub resultat: String,
    #[serde(default)]
    pub motif: String,
    #[serde(default)]
    pub note: String,
}

/// Stops a task after a day (default today): its occurrences end there.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArret {
    /// The version the professional saw.
    pub version: i64,
    /// Last day, `YYYY-MM-DD` (empty = today).
    #[serde(default)]
    pub au: String,
}

/// A stored version with its rule.
struct Version {
    row: TacheRow,
    rule: Rule,
    roles: Vec<Role>,
}

fn version_of(row: TacheRow) -> AppResult<Version> {
    let bad = |what: &str| AppError::Internal(format!("plan_soin_tache {}: {what}", row.id));
    let from = parse_stored_date(&row.date_debut)?;
    let until = row.date_fin.as_deref().map(parse_stored_date).transpose()?;
    let rule = Rule::from_stored(
        row.jours.as_deref(),
        row.intervalle,
        &row.heures,
        from,
        until,
    )
    .ok_or_else(|| bad("rule"))?;
    let roles = row
        .roles
        .split(',')
        .map(|c| Role::parse(c).map_err(|_| bad("role")))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Version { row, rule, roles })
}

/// Every version of each task, grouped by task (oldest version first).
fn group(rows: Vec<TacheRow>) -> AppResult<BTreeMap<Uuid, Vec<Version>>> {
    let mut out: BTreeMap<Uuid, Vec<Version>> = BTreeMap::new();
    for r in rows {
        out.entry(r.id).or_default().push(version_of(r)?);
    }
    for v in out.values_mut() {
        v.sort_by_key(|x| x.row.version);
    }
    Ok(out)
}

/// The occurrences of a task on day `d`, each with the version current at its time.
fn due_on(versions: &[Version], d: Date) -> Vec<(&Version, Time, Timestamp)> {
    let mut out = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let since = micros_to_ts(v.row.recorded_at);
        let until = versions.get(i + 1).map(|n| micros_to_ts(n.row.recorded_at));
        for t in v.rule.occurrences_on(d) {
            if let Some(due) = plan_soins::due_at(d, t)
                && due >= since
                && until.is_none_or(|u| due < u)
            {
                out.push((v, t, due));
            }
        }
    }
    out
}

fn roles_label(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label_fr())
        .collect::<Vec<_>>()
        .join(", ")
}

fn person_name(s: &UsagerSummary) -> String {
    let name = s.used_name.clone().unwrap_or_else(|| s.birth_name.clone());
    let first = s
        .used_first_name
        .clone()
        .unwrap_or_else(|| s.birth_first_name.clone());
    format!("{name} {first}")
}

/// What an occurrence list is built from.
struct Ctx2<'a> {
    role: Role,
    now: Timestamp,
    users: &'a HashMap<Uuid, String>,
    persons: &'a HashMap<Uuid, String>,
    records: &'a HashMap<(Uuid, String, String), RealisationRow>,
}

fn occurrence(
    c: &Ctx2<'_>,
    v: &Version,
    d: Date,
    t: Time,
    due_at: Timestamp,
) -> AppResult<OccurrenceView> {
    let heure = time_code(t);
    let rec = c.records.get(&(v.row.id, d.to_string(), heure.clone()));
    let outcome = rec
        .map(|r| match r.motif.as_deref() {
            None => Ok(Outcome::Fait),
            Some(m) => Motif::parse(m).map(Outcome::NonFait),
        })
        .transpose()
        .map_err(|_| AppError::Internal(format!("plan_soin_realisation of {}", v.row.id)))?;
    let state = State::of(d, t, outcome, c.now);
    let motif = outcome.and_then(Outcome::motif);
    Ok(OccurrenceView {
        tache: PlanSoinTacheId::from_uuid(v.row.id),
        tache_version: v.row.version,
        usager: UsagerId::from_uuid(v.row.usager_id),
        usager_name: c.persons.get(&v.row.usager_id).cloned().unwrap_or_default(),
        label: v.row.label.clone(),
        details: v.row.details.clone(),
        date: d,
        heure,
        due_at,
        state,
        state_label: state.label_fr().to_string(),
        motif: motif.map(|m| m.code().to_string()),
        motif_label: motif.map(|m| m.label_fr().to_string()),
        note: rec.and_then(|r| r.note.clone()),
        recorded_by: rec.map(|r| c.users.get(&r.recorded_by).cloned().unwrap_or_default()),
        recorded_at: rec.map(|r| micros_to_ts(r.recorded_at)),
        roles_label: roles_label(&v.roles),
        can_do: v.roles.contains(&c.role),
    })
}

/// The occurrences of every task on day `d`, by time then person.
fn occurrences_on(
    c: &Ctx2<'_>,
    tasks: &BTreeMap<Uuid, Vec<Version>>,
    d: Date,
) -> AppResult<Vec<OccurrenceView>> {
    let mut out = Vec::new();
    for versions in tasks.values() {
        for (v, t, due) in due_on(versions, d) {
            out.push(occurrence(c, v, d, t, due)?);
        }
    }
    out.sort_by(|a, b| {
        (a.due_at, &a.usager_name, &a.label).cmp(&(b.due_at, &b.usager_name, &b.label))
    });
    Ok(out)
}

fn records_map(rows: Vec<RealisationRow>) -> HashMap<(Uuid, String, String), RealisationRow> {
    rows.into_iter()
        .map(|r| ((r.tache_id, r.due_date.clone(), r.due_time.clone()), r))
        .collect()
}

fn tache_view(v: &Version, users: &HashMap<Uuid, String>) -> TacheView {
    TacheView {
        id: PlanSoinTacheId::from_uuid(v.row.id),
        version: v.row.version,
        label: v.row.label.clone(),
        details: v.row.details.clone(),
        quand: v.rule.describe_fr(),
        jours: v.rule.day_codes(),
        intervalle: v.row.intervalle,
        heures: v.rule.times.iter().map(|t| time_code(*t)).collect(),
        du: v.rule.from,
        au: v.rule.until,
        roles: v.roles.iter().map(|r| r.code().to_string()).collect(),
        roles_label: roles_label(&v.roles),
        arretee: v.row.status == "arretee",
        recorded_by: users.get(&v.row.recorded_by).cloned().unwrap_or_default(),
        recorded_at: micros_to_ts(v.row.recorded_at),
    }
}

fn row_of(t: &Tache, id: Uuid, version: i64, usager: Uuid, status: &str) -> TacheRow {
    let (jours, intervalle, heures) = t.rule.stored();
    TacheRow {
        id,
        version,
        usager_id: usager,
        label: t.label.clone(),
        details: t.details.clone(),
        jours,
        intervalle,
        heures,
        date_debut: t.rule.from.to_string(),
        date_fin: t.rule.until.map(|d| d.to_string()),
        roles: t
            .roles
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(","),
        status: status.to_string(),
        recorded_at: 0,
        recorded_by: Uuid::nil(),
    }
}

impl App {
    /// Adds a task to a person's plan; returns its id.
    pub async fn add_tache(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawTache,
    ) -> AppResult<PlanSoinTacheId> {
        self.gate_person(ctx, Action::WriteCareRecord, usager)
            .await?;
        let t = raw.check()?;
        let id = self.new_id();
        let row = row_of(&t, id, 1, usager.as_uuid(), "active");
        self.write_version(ctx, row, "creation").await?;
        Ok(PlanSoinTacheId::from_uuid(id))
    }

    /// Changes a task: a new version (`expected_version` is the one the professional saw; a
    /// concurrent change is a conflict). Returns the person.
    pub async fn edit_tache(
        &self,
        ctx: &Ctx,
        id: PlanSoinTacheId,
        expected_version: i64,
        raw: &RawTache,
    ) -> AppResult<UsagerId> {
        let cur = self.writable_tache(ctx, id).await?;
        if cur.version != expected_version {
            return Err(AppError::Conflict);
        }
        let t = raw.check()?;
        let row = row_of(
            &t,
            cur.id,
            cur.version + 1,
            cur.usager_id,
            if cur.status == "arretee" {
                "arretee"
            } else {
                "active"
            },
        );
        self.write_version(ctx, row, "modification").await?;
        Ok(UsagerId::from_uuid(cur.usager_id))
    }

    /// Stops a task after a day (default today): a new version ending then. Returns the person.
    pub async fn stop_tache(
        &self,
        ctx: &Ctx,
        id: PlanSoinTacheId,
        raw: &RawArret,
    ) -> AppResult<UsagerId> {
        let cur = self.writable_tache(ctx, id).await?;
        if cur.version != raw.version {
            return Err(AppError::Conflict);
        }
        if cur.status == "arretee" {
            return Err(AppError::field("au", "Cette tâche est déjà arrêtée."));
        }
        let au = input::opt_date("au", &raw.au)?.unwrap_or_else(|| self.today());
        let from = parse_stored_date(&cur.date_debut)?;
        if au < from {
            return Err(AppError::field(
                "au",
                "La date d'arrêt est avant le début de la tâche.",
            ));
        }
        let mut row = cur.clone();
        row.version = cur.version + 1;
        row.date_fin = Some(au.to_string());
        row.status = "arretee".to_string();
        self.write_version(ctx, row, "arret").await?;
        Ok(UsagerId::from_uuid(cur.usager_id))
    }

    async fn writable_tache(&self, ctx: &Ctx, id: PlanSoinTacheId) -> AppResult<TacheRow> {
        let cur = parcours_store::plan_soins::current(&self.db, ctx.org(), id.as_uuid()).await?;
        self.gate_person(
            ctx,
            Action::WriteCareRecord,
            UsagerId::from_uuid(cur.usager_id),
        )
        .await?;
        Ok(cur)
    }

    async fn write_version(&self, ctx: &Ctx, mut row: TacheRow, what: &str) -> AppResult<()> {
        row.recorded_at = self.now_micros();
        row.recorded_by = ctx.user().as_uuid();
        let mut tx = self.begin().await?;
        parcours_store::plan_soins::insert_version(&mut tx, ctx.org(), &row).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::PlanSoinsChange,
            Some(UsagerId::from_uuid(row.usager_id)),
            "plan_soin_tache",
            json!({"tache": row.id, "version": row.version, "changement": what}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records one occurrence of a task: done, or not done with its reason. The occurrence must
    /// be due (that day, at that time, by the task's version then), not on a later day, not yet
    /// recorded; the professional's role must be among the task's roles. Returns the person.
    pub async fn record_realisation(
        &self,
        ctx: &Ctx,
        id: PlanSoinTacheId,
        raw: &RawRealisation,
    ) -> AppResult<UsagerId> {
        let cur = parcours_store::plan_soins::current(&self.db, ctx.org(), id.as_uuid()).await?;
        let usager = UsagerId::from_uuid(cur.usager_id);
        self.gate_person(ctx, Action::WriteCareRecord, usager)
            .await?;
        let mut e = FieldErrors::default();
        let date = e.take(input::date("date", &raw.date));
        let time = match parse_time(&raw.heure) {
            Some(t) => Some(t),
            None => {
                e.push("heure", "Ce n'est pas une heure valide (HH:MM).");
                None
            }
        };
        let note = e
            .take(input::opt_text("note", &raw.note, input::LONG_TEXT))
            .flatten();
        let outcome = e.take(Outcome::parse(&raw.resultat, &raw.motif, note.as_deref()));
        let (Some(date), Some(time), Some(outcome)) = (date, time, outcome) else {
            return Err(AppError::Validation(e));
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        if date > self.today() {
            return Err(AppError::field(
                "date",
                "On ne peut pas enregistrer une tâche d'un jour à venir.",
            ));
        }
        let all = group(
            parcours_store::plan_soins::for_usager(&self.db, ctx.org(), usager.as_uuid()).await?,
        )?;
        let version = all
            .get(&id.as_uuid())
            .and_then(|vs| {
                due_on(vs, date)
                    .into_iter()
                    .find(|(_, t, _)| *t == time)
                    .map(|(v, _, _)| v)
            })
            .ok_or_else(|| {
                AppError::field(
                    "heure",
                    "Cette tâche n'est pas prévue ce jour à cette heure.",
                )
            })?;
        if !version.roles.contains(&ctx.actor.role) {
            self.audit_alone(
                ctx,
                AuditAction::AccessDenied,
                Some(usager),
                "plan_soin_tache",
                json!({"action": "plan_soins.realisation", "tache": id, "reason": "role"}),
            )
            .await?;
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let row = RealisationRow {
            id: self.new_id(),
            tache_id: id.as_uuid(),
            tache_version: version.row.version,
            usager_id: usager.as_uuid(),
            due_date: date.to_string(),
            due_time: time_code(time),
            resultat: outcome.code().to_string(),
            motif: outcome.motif().map(|m| m.code().to_string()),
            note,
            recorded_at: self.now_micros(),
            recorded_by: ctx.user().as_uuid(),
        };
        let mut tx = self.begin().await?;
        match parcours_store::plan_soins::insert_realisation(&mut tx, ctx.org(), &row).await {
            Ok(()) => {}
            Err(StoreError::Unique(_)) => {
                return Err(AppError::field(
                    "resultat",
                    "Cette tâche est déjà enregistrée pour ce jour et cette heure.",
                ));
            }
            Err(other) => return Err(other.into()),
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::PlanSoinsRecord,
            Some(usager),
            "plan_soin_realisation",
            json!({"tache": id, "date": row.due_date, "heure": row.due_time,
                   "resultat": row.resultat, "motif": row.motif}),
        )
        .await?;
        tx.commit().await?;
        Ok(usager)
    }

    /// A person's plan: current tasks, today's occurrences, the missed ones of the last
    /// [`MISSED_DAYS`] days; audited read.
    pub async fn plan_soins(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<PlanSoins> {
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        let today = self.today();
        let first = today
            .checked_sub(jiff::Span::new().days(MISSED_DAYS - 1))
            .map_err(|e| AppError::Internal(format!("date: {e}")))?;
        let tasks = group(
            parcours_store::plan_soins::for_usager(&self.db, ctx.org(), usager.as_uuid()).await?,
        )?;
        let records = records_map(
            parcours_store::plan_soins::realisations_for_usager(
                &self.db,
                ctx.org(),
                usager.as_uuid(),
                &first.to_string(),
                &today.to_string(),
            )
            .await?,
        );
        let users = self.user_names(ctx).await?;
        let persons: HashMap<Uuid, String> =
            parcours_store::usager::summaries(&self.db, ctx.org(), &[usager.as_uuid()])
                .await?
                .iter()
                .map(|s| (s.id, person_name(s)))
                .collect();
        let c = Ctx2 {
            role: ctx.actor.role,
            now: self.now(),
            users: &users,
            persons: &persons,
            records: &records,
        };
        let occurrences = occurrences_on(&c, &tasks, today)?;
        let mut manquees = Vec::new();
        let mut d = first;
        while d <= today {
            manquees.extend(
                occurrences_on(&c, &tasks, d)?
                    .into_iter()
                    .filter(|o| o.state == State::Manquee),
            );
            d = d
                .tomorrow()
                .map_err(|e| AppError::Internal(format!("date: {e}")))?;
        }
        let mut taches: Vec<TacheView> = tasks
            .values()
            .filter_map(|vs| vs.last())
            .map(|v| tache_view(v, &users))
            .collect();
        taches.sort_by(|a, b| (a.arretee, &a.label).cmp(&(b.arretee, &b.label)));
        self.audit_alone(
            ctx,
            AuditAction::PlanSoinsRead,
            Some(usager),
            "plan_soin_tache",
            json!({"taches": taches.len(), "manquees": manquees.len()}),
        )
        .await?;
        Ok(PlanSoins {
            taches,
            today,
            occurrences,
            manquees,
        })
    }

    /// The units whose day list the professional may open, by establishment and name.
    pub async fn plan_soins_units(&self, ctx: &Ctx) -> AppResult<Vec<UnitOption>> {
        if !role_allows(ctx.actor.role, Action::ReadCareRecord) {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let etabs: HashMap<Uuid, String> =
            parcours_store::organisation::list_etablissements(&self.db, ctx.org())
                .await?
                .into_iter()
                .map(|e| (e.id, e.name))
                .collect();
        let mut out: Vec<UnitOption> =
            parcours_store::organisation::list_unites(&self.db, ctx.org())
                .await?
                .into_iter()
                .filter(|u| {
                    u.active
                        && ctx.actor.covers(&Placement {
                            etablissement: EtablissementId::from_uuid(u.etablissement_id),
                            unite: Some(UniteId::from_uuid(u.id)),
                        })
                })
                .map(|u| UnitOption {
                    id: UniteId::from_uuid(u.id),
                    label: format!(
                        "{} — {}",
                        etabs.get(&u.etablissement_id).cloned().unwrap_or_default(),
                        u.name
                    ),
                })
                .collect();
        out.sort_by(|a, b| a.label.cmp(&b.label));
        Ok(out)
    }

    /// The unit's list for a day: every occurrence due that day for the persons followed in the
    /// unit whose care record the professional may read, by time; missed ones marked. One audited
    /// read per person shown.
    pub async fn unit_day(&self, ctx: &Ctx, unite: UniteId, date: Date) -> AppResult<UnitDay> {
        let row =
            parcours_store::organisation::get_unite(&self.db, ctx.org(), unite.as_uuid()).await?;
        let place = Placement {
            etablissement: EtablissementId::from_uuid(row.etablissement_id),
            unite: Some(unite),
        };
        self.authorize(
            ctx,
            Action::ReadCareRecord,
            &Resource::Usager {
                organisation: ctx.organisation(),
                placements: &[place],
            },
        )?;
        let all =
            parcours_store::plan_soins::for_unit(&self.db, ctx.org(), unite.as_uuid()).await?;
        // Only the persons whose care record the professional may read (a person followed in two
        // units is decided on all of them, as everywhere else).
        let mut allowed: HashMap<Uuid, bool> = HashMap::new();
        for r in &all {
            if allowed.contains_key(&r.usager_id) {
                continue;
            }
            let u = UsagerId::from_uuid(r.usager_id);
            let placements = placements_of(self, ctx, u).await?;
            // The care record is not medical: the gate alone decides.
            let ok = parcours_domain::authz::decide(
                &ctx.actor,
                Action::ReadCareRecord,
                &Resource::Usager {
                    organisation: ctx.organisation(),
                    placements: &placements,
                },
            ) == parcours_domain::authz::Decision::Allow;
            allowed.insert(r.usager_id, ok);
        }
        let rows: Vec<TacheRow> = all
            .into_iter()
            .filter(|r| allowed.get(&r.usager_id).copied().unwrap_or(false))
            .collect();
        let tasks = group(rows)?;
        let records = records_map(
            parcours_store::plan_soins::realisations_for_unit(
                &self.db,
                ctx.org(),
                unite.as_uuid(),
                &date.to_string(),
            )
            .await?,
        );
        let ids: Vec<Uuid> = allowed
            .iter()
            .filter(|(_, ok)| **ok)
            .map(|(id, _)| *id)
            .collect();
        let persons: HashMap<Uuid, String> =
            parcours_store::usager::summaries(&self.db, ctx.org(), &ids)
                .await?
                .iter()
                .map(|s| (s.id, person_name(s)))
                .collect();
        let users = self.user_names(ctx).await?;
        let c = Ctx2 {
            role: ctx.actor.role,
            now: self.now(),
            users: &users,
            persons: &persons,
            records: &records,
        };
        let occurrences = occurrences_on(&c, &tasks, date)?;
        let mut shown: Vec<UsagerId> = occurrences.iter().map(|o| o.usager).collect();
        shown.sort();
        shown.dedup();
        let mut tx = self.begin().await?;
        for u in &shown {
            self.audit(
                &mut tx,
                ctx,
                AuditAction::PlanSoinsRead,
                Some(*u),
                "plan_soin_tache",
                json!({"unite": unite, "date": date}),
            )
            .await?;
        }
        tx.commit().await?;
        let manquees = occurrences
            .iter()
            .filter(|o| o.state == State::Manquee)
            .count();
        Ok(UnitDay {
            unite,
            unite_name: row.name,
            date,
            occurrences,
            manquees,
        })
    }

    /// The current version of a task, for its edit form (gated as a read of the care record).
    pub async fn tache(&self, ctx: &Ctx, id: PlanSoinTacheId) -> AppResult<(UsagerId, TacheView)> {
        let cur = parcours_store::plan_soins::current(&self.db, ctx.org(), id.as_uuid()).await?;
        let usager = UsagerId::from_uuid(cur.usager_id);
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        let users = self.user_names(ctx).await?;
        let view = tache_view(&version_of(cur)?, &users);
        self.audit_alone(
            ctx,
            AuditAction::PlanSoinsRead,
            Some(usager),
            "plan_soin_tache",
            json!({"tache": id}),
        )
        .await?;
        Ok((usager, view))
    }
}

impl TacheView {
    /// The task as its edit form shows it.
    pub fn to_raw(&self) -> RawTache {
        RawTache {
            label: self.label.clone(),
            details: self.details.clone().unwrap_or_default(),
            jours: self.jours.clone(),
            intervalle: self.intervalle.map(|n| n.to_string()).unwrap_or_default(),
            heures: self.heures.join(", "),
            du: self.du.to_string(),
            au: self.au.map(|d| d.to_string()).unwrap_or_default(),
            roles: self.roles.clone(),
        }
    }
}
