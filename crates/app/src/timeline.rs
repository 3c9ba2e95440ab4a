//! The person's timeline (chronologie): transmissions, measures, care of the plan de soins,
//! evaluations, projet personnalisé events and séjours in one list, newest first, filtered by kind,
//! period and author, in pages of [`PAGE_SIZE`] with a cursor (see `domain::timeline` for the
//! order and the cursor).
//!
//! **One source, one function.** Each [`Kind`] has one function here that returns at most `limit`
//! entries strictly below the cursor, newest first, already filtered; [`App::timeline`] asks every
//! source the reader may read for `PAGE_SIZE + 1` entries and merges them, so a page costs one
//! bounded index read per source whatever the length of the record. Sources that can be large
//! (transmissions, measures, care) are read by keyset in SQL (`store::timeline`); projets and
//! séjours, a handful per person, are read whole through their `(organisation_id, usager_id)`
//! indexes and filtered here. A new source (écrits professionnels, cahier de liaison) is a variant
//! of `Kind`, its read action and one function.
//!
//! **Gating.** The timeline needs `ReadUsager`; each source then needs the action its own page
//! asks ([`Kind::read_action`]), and medical transmissions need `ReadMedical` exactly as on the
//! transmissions page. A source the reader may not read is silently absent: not queried, not
//! counted, not offered in the filter. The medical file itself (antécédents, vaccinations,
//! observations…) is deliberately not a source: it has its own page under the medical secret, and
//! a timeline mixing it would widen the place where secret content is shown.
//!
//! **Audit.** Each page is one audited read naming the entries shown (kind and id), never content.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use parcours_domain::authz::{Action, Placement};
use parcours_domain::codelist;
use parcours_domain::ids::UsagerId;
use parcours_domain::plan_soins::Motif;
use parcours_domain::projet::ProjetStatus;
use parcours_domain::soins;
use parcours_domain::timeline::{self as domain, Filter, Key, Kind, RawFilter};
use parcours_domain::transmission::Category;
use parcours_store::records::{BilanRow, ProjetRow, SejourRow};
use parcours_store::timeline::{self as store, DayWindow, Window};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::usager::{micros_to_ts, placements_of};
use crate::{App, AppError, AppResult, Ctx};

pub use parcours_domain::timeline::PAGE_SIZE;

/// The longest summary shown for one entry, in characters.
pub const SUMMARY_MAX: usize = 160;

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    /// `transmission`, `mesure`, `soin`, `evaluation`, `projet`, `sejour`.
    #[schema(value_type = String)]
    pub kind: Kind,
    pub kind_label: String,
    /// The entry's position: a page starting after it (`apres`) shows what is older.
    pub cursor: String,
    #[schema(value_type = String)]
    pub at: Timestamp,
    /// The entry is dated by a day only (admission, evaluation, bilan): show no time.
    pub day_only: bool,
    /// In French.
    pub title: String,
    pub summary: String,
    /// Who wrote or recorded it.
    pub author: Option<String>,
    /// The page of the entry (its detail, or its source's page).
    pub link: String,
    /// Marked important (transmissions) or cancelled (measures, evaluations).
    pub important: bool,
    pub cancelled: bool,
}

/// A kind the reader may filter on (the sources they may read).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindChoice {
    pub code: String,
    pub label: String,
}

/// A professional the reader may filter on.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuthorChoice {
    pub id: String,
    pub name: String,
}

/// What the filter form offers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineChoices {
    pub kinds: Vec<KindChoice>,
    pub authors: Vec<AuthorChoice>,
}

/// A page of the timeline, newest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelinePage {
    pub items: Vec<TimelineEntry>,
    /// The cursor of the next (older) page, if there is one.
    pub next: Option<String>,
    /// The query string of the filter applied (to build the next page's link).
    pub filter_query: String,
    pub choices: TimelineChoices,
}

/// An entry before names are resolved.
struct Entry {
    key: Key,
    day_only: bool,
    title: String,
    summary: String,
    author: Option<Uuid>,
    link: String,
    important: bool,
    cancelled: bool,
}

impl Entry {
    fn new(key: Key, title: String, link: String) -> Entry {
        Entry {
            key,
            day_only: false,
            title,
            summary: String::new(),
            author: None,
            link,
            important: false,
            cancelled: false,
        }
    }
}

/// What every source is asked: entries strictly below `cursor`, within the filter, at most `limit`.
struct Ask<'a> {
    org: Uuid,
    usager: Uuid,
    cursor: Option<&'a Key>,
    filter: &'a Filter,
    limit: usize,
}

impl Ask<'_> {
    fn window(&self, kind: Kind) -> Window {
        let (before, before_id) = Key::bound_instant(self.cursor, kind);
        let (from, to) = self.filter.instants();
        Window {
            before,
            before_id,
            from,
            to,
            author: self.filter.author,
            limit: self.limit as i64,
        }
    }

    fn day_window(&self, kind: Kind) -> DayWindow {
        let (before, before_id) = Key::bound_day(self.cursor, kind);
        let (from, to) = self.filter.days();
        DayWindow {
            before: iso(before),
            before_id,
            from: iso(from),
            to: iso(to),
            author: self.filter.author,
            limit: self.limit as i64,
        }
    }

    /// For sources filtered here: below the cursor, in the period, by the author.
    fn keeps(&self, e: &Entry) -> bool {
        self.cursor.is_none_or(|c| e.key < *c) && self.filter.keeps(e.key.at, e.author)
    }

    /// Newest first, at most `limit`.
    fn page(&self, mut entries: Vec<Entry>) -> Vec<Entry> {
        entries.retain(|e| self.keeps(e));
        entries.sort_by_key(|e| std::cmp::Reverse(e.key));
        entries.truncate(self.limit);
        entries
    }
}

/// An ISO date as stored (`YYYY-MM-DD`), clamped to four-digit years so text order is date order.
fn iso(d: Date) -> String {
    if d.year() < 1 {
        "0000-01-01".into()
    } else if d.year() > 9999 {
        "9999-12-31".into()
    } else {
        d.to_string()
    }
}

fn day(s: &str) -> Option<Date> {
    s.parse().ok()
}

/// At most [`SUMMARY_MAX`] characters, on one line.
fn short(s: &str) -> String {
    let line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= SUMMARY_MAX {
        line
    } else {
        let cut: String = line.chars().take(SUMMARY_MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn date_fr(s: &str) -> String {
    day(s)
        .map(parcours_domain::input::date_fr)
        .unwrap_or_else(|| s.to_string())
}

impl App {
    /// A page of the person's timeline, newest first (`after`: the cursor of the previous page).
    /// Audited read.
    pub async fn timeline(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawFilter,
        after: Option<&str>,
    ) -> AppResult<TimelinePage> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let mut e = parcours_domain::error::FieldErrors::default();
        let filter = match raw.parse() {
            Ok(f) => Some(f),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        };
        let cursor = match after.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => e.take(Key::parse(s)),
            None => None,
        };
        let Some(filter) = filter.filter(|_| e.is_empty()) else {
            return Err(AppError::Validation(e));
        };
        let placements = placements_of(self, ctx, usager).await?;
        let readable = self.readable_kinds(ctx, usager, &placements).await?;
        let medical = readable.contains(&Kind::Transmission)
            && self
                .allowed_on(ctx, Action::ReadMedical, usager, &placements)
                .await?;
        let ask = Ask {
            org: ctx.org(),
            usager: usager.as_uuid(),
            cursor: cursor.as_ref(),
            filter: &filter,
            limit: PAGE_SIZE + 1,
        };
        let mut entries = Vec::new();
        for kind in readable.iter().copied().filter(|k| filter.wants(*k)) {
            entries.extend(self.source(kind, &ask, medical).await?);
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.key));
        let next = if entries.len() > PAGE_SIZE {
            entries.truncate(PAGE_SIZE);
            entries.last().map(|e| e.key.encode())
        } else {
            None
        };
        let names = self.user_names(ctx).await?;
        let shown: Vec<String> = entries
            .iter()
            .map(|e| format!("{}:{}", e.key.kind.code(), e.key.id))
            .collect();
        let items = entries
            .into_iter()
            .map(|e| TimelineEntry {
                kind: e.key.kind,
                kind_label: e.key.kind.label_fr().to_string(),
                cursor: e.key.encode(),
                at: micros_to_ts(e.key.at),
                day_only: e.day_only,
                title: e.title,
                summary: e.summary,
                author: e.author.and_then(|a| names.get(&a).cloned()),
                link: e.link,
                important: e.important,
                cancelled: e.cancelled,
            })
            .collect();
        self.audit_alone(
            ctx,
            AuditAction::TimelineRead,
            Some(usager),
            "chronologie",
            json!({
                "entrees": shown,
                "types": filter.kinds.iter().map(|k| k.code()).collect::<Vec<_>>(),
                "du": filter.from, "au": filter.to, "auteur": filter.author,
                "apres": cursor.map(|c| c.encode()), "medical": medical,
            }),
        )
        .await?;
        Ok(TimelinePage {
            items,
            next,
            filter_query: filter.query(),
            choices: choices(&readable, names),
        })
    }

    /// What the filter form offers for this person (the sources the reader may read, the
    /// organisation's professionals), for a form shown again with its errors. Not a read of the
    /// record: no entry is read.
    pub async fn timeline_choices(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<TimelineChoices> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let placements = placements_of(self, ctx, usager).await?;
        let readable = self.readable_kinds(ctx, usager, &placements).await?;
        Ok(choices(&readable, self.user_names(ctx).await?))
    }

    async fn readable_kinds(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        placements: &[Placement],
    ) -> AppResult<Vec<Kind>> {
        let mut out = Vec::new();
        for kind in Kind::ALL {
            if self
                .allowed_on(ctx, kind.read_action(), usager, placements)
                .await?
            {
                out.push(*kind);
            }
        }
        Ok(out)
    }

    /// The one function per source.
    async fn source(&self, kind: Kind, ask: &Ask<'_>, medical: bool) -> AppResult<Vec<Entry>> {
        match kind {
            Kind::Transmission => self.tl_transmissions(ask, medical).await,
            Kind::Mesure => self.tl_mesures(ask).await,
            Kind::Soin => self.tl_soins(ask).await,
            Kind::Evaluation => self.tl_evaluations(ask).await,
            Kind::Projet => self.tl_projets(ask).await,
            Kind::Sejour => self.tl_sejours(ask).await,
        }
    }

    async fn tl_transmissions(&self, ask: &Ask<'_>, medical: bool) -> AppResult<Vec<Entry>> {
        let rows = store::transmissions(
            &self.db,
            ask.org,
            ask.usager,
            medical,
            &ask.window(Kind::Transmission),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let category = Category::parse(&r.category)
                    .map(|c| c.label_fr())
                    .unwrap_or("");
                let mut title = format!(
                    "Transmission : {} ({})",
                    codelist::cibles_transmission().label(&r.cible),
                    category
                );
                if r.version > 1 {
                    title.push_str(" — corrigée");
                }
                let mut e = Entry::new(
                    Key::new(r.written_at, Kind::Transmission, r.id, 0),
                    title,
                    format!("/transmissions/{}", r.id),
                );
                e.summary = short(&r.donnees);
                e.author = Some(r.written_by);
                e.important = r.important;
                e
            })
            .collect())
    }

    async fn tl_mesures(&self, ask: &Ask<'_>) -> AppResult<Vec<Entry>> {
        let rows = store::mesures(&self.db, ask.org, ask.usager, &ask.window(Kind::Mesure)).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let (label, value) = match soins::Kind::parse(&r.kind) {
                    Ok(k) => {
                        let d = k.spec().decimals;
                        let v = match r.value2 {
                            Some(v2) => format!(
                                "{}/{}",
                                soins::number_fr(r.value, d),
                                soins::number_fr(v2, 0)
                            ),
                            None => soins::number_fr(r.value, d),
                        };
                        (k.label_fr().to_string(), format!("{v} {}", k.unit()))
                    }
                    Err(_) => (r.kind.clone(), r.value.to_string()),
                };
                let mut e = Entry::new(
                    Key::new(r.measured_at, Kind::Mesure, r.id, 0),
                    format!("Mesure : {label}"),
                    format!("/usagers/{}/soins", ask.usager),
                );
                e.summary = if r.cancelled_at.is_some() {
                    format!("{} (annulée)", value.trim())
                } else {
                    value.trim().to_string()
                };
                e.author = Some(r.recorded_by);
                e.cancelled = r.cancelled_at.is_some();
                e
            })
            .collect())
    }

    async fn tl_soins(&self, ask: &Ask<'_>) -> AppResult<Vec<Entry>> {
        let rows =
            store::realisations(&self.db, ask.org, ask.usager, &ask.window(Kind::Soin)).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let done = r.resultat == "fait";
                let mut e = Entry::new(
                    Key::new(r.recorded_at, Kind::Soin, r.id, 0),
                    format!(
                        "{} : {}",
                        if done { "Soin fait" } else { "Soin non fait" },
                        r.label
                    ),
                    format!("/usagers/{}/plan-de-soins", ask.usager),
                );
                let motif = r
                    .motif
                    .as_deref()
                    .and_then(|m| Motif::parse(m).ok())
                    .map(|m| format!(" — {}", m.label_fr()))
                    .unwrap_or_default();
                e.summary = format!("Prévu le {} à {}{motif}", date_fr(&r.due_date), r.due_time);
                e.author = Some(r.recorded_by);
                e
            })
            .collect())
    }

    async fn tl_evaluations(&self, ask: &Ask<'_>) -> AppResult<Vec<Entry>> {
        let rows = store::evaluations(
            &self.db,
            ask.org,
            ask.usager,
            &ask.day_window(Kind::Evaluation),
        )
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let on = day(&r.evaluated_on)?;
                let aggir = r.kind == "aggir";
                let mut e = Entry::new(
                    Key::new(domain::day_start(on), Kind::Evaluation, r.id, 0),
                    if aggir {
                        "Évaluation AGGIR".to_string()
                    } else {
                        "Évaluation des besoins (SERAFIN-PH)".to_string()
                    },
                    if aggir {
                        format!("/usagers/{}/evaluations/aggir/{}", ask.usager, r.id)
                    } else {
                        format!("/usagers/{}/evaluations", ask.usager)
                    },
                );
                e.day_only = true;
                e.cancelled = r.status == "annule";
                e.summary = match (r.gir, e.cancelled) {
                    (_, true) => "Évaluation annulée".to_string(),
                    (Some(g), false) => format!("GIR {g}"),
                    (None, false) => String::new(),
                };
                e.author = Some(r.evaluator_id);
                Some(e)
            })
            .collect())
    }

    /// Creation and avenants, status changes, accords and bilans of the person's projets.
    async fn tl_projets(&self, ask: &Ask<'_>) -> AppResult<Vec<Entry>> {
        let projets =
            ProjetRow::list_by(&self.db, ask.org, "usager_id", ask.usager, "number, id").await?;
        let mut out = Vec::new();
        for p in projets {
            let link = format!("/usagers/{}/projets/{}", ask.usager, p.id);
            let name = if p.number == 0 {
                "Projet personnalisé".to_string()
            } else {
                format!("Avenant n° {} au projet personnalisé", p.number)
            };
            for ev in parcours_store::projet::events(&self.db, ask.org, p.id).await? {
                let status = ProjetStatus::parse(&ev.status)
                    .map(|s| s.label_fr())
                    .unwrap_or("");
                let title = if ev.seq == 1 {
                    format!("{name} : créé")
                } else {
                    format!("{name} : {}", status.to_lowercase())
                };
                let mut e = Entry::new(
                    Key::new(ev.at, Kind::Projet, p.id, ev.seq),
                    title,
                    link.clone(),
                );
                e.summary = ev.note.as_deref().map(short).unwrap_or_default();
                e.author = Some(ev.by_user);
                out.push(e);
            }
            for a in parcours_store::projet::accords(&self.db, ask.org, p.id).await? {
                let title = if a.partie == "structure" {
                    format!("{name} : accord de la structure")
                } else {
                    format!("{name} : accord de la personne")
                };
                let mut e = Entry::new(
                    Key::new(a.recorded_at, Kind::Projet, a.id, 0),
                    title,
                    link.clone(),
                );
                e.summary = format!(
                    "Signé par {} le {}",
                    a.signatory_name,
                    date_fr(&a.signed_on)
                );
                e.author = Some(a.recorded_by);
                out.push(e);
            }
            for b in
                BilanRow::list_by(&self.db, ask.org, "projet_id", p.id, "bilan_date, id").await?
            {
                let Some(on) = day(&b.bilan_date) else {
                    continue;
                };
                let mut e = Entry::new(
                    Key::new(domain::day_start(on), Kind::Projet, b.id, 0),
                    format!("{name} : bilan"),
                    link.clone(),
                );
                e.day_only = true;
                e.summary = short(&b.synthese);
                e.author = Some(b.author_id);
                out.push(e);
            }
        }
        Ok(ask.page(out))
    }

    /// Admissions, changes of modality and exits of the person's séjours (cancelled séjours and
    /// planned entries that did not happen are not events).
    async fn tl_sejours(&self, ask: &Ask<'_>) -> AppResult<Vec<Entry>> {
        let sejours =
            SejourRow::list_by(&self.db, ask.org, "usager_id", ask.usager, "created_at, id")
                .await?;
        if sejours.is_empty() {
            return Ok(Vec::new());
        }
        let etabs: HashMap<Uuid, String> =
            parcours_store::organisation::list_etablissements(&self.db, ask.org)
                .await?
                .into_iter()
                .map(|e| (e.id, e.name))
                .collect();
        let unites: HashMap<Uuid, String> =
            parcours_store::organisation::list_unites(&self.db, ask.org)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
        let link = format!("/usagers/{}/admission", ask.usager);
        let mut out = Vec::new();
        for s in sejours.iter().filter(|s| s.status != "annule") {
            let modalite = codelist::modalites().label(&s.modalite).to_string();
            let place = match s.unite_id.and_then(|u| unites.get(&u)) {
                Some(u) => format!(
                    "{} — {}",
                    etabs.get(&s.etablissement_id).cloned().unwrap_or_default(),
                    u
                ),
                None => etabs.get(&s.etablissement_id).cloned().unwrap_or_default(),
            };
            let change = s.entry_mode.as_deref() == Some("changement_modalite");
            if let Some(on) = s.entry_date.as_deref().and_then(day) {
                let title = if change {
                    format!("Changement de modalité : {modalite}")
                } else {
                    format!("Admission : {modalite}")
                };
                let mut e = Entry::new(
                    Key::new(domain::day_start(on), Kind::Sejour, s.id, 1),
                    title,
                    link.clone(),
                );
                e.day_only = true;
                e.summary = place.clone();
                e.author = Some(s.created_by);
                out.push(e);
            }
            let closed_by_change = s.exit_mode.as_deref() == Some("changement_modalite");
            if let (Some(on), false) = (s.exit_date.as_deref().and_then(day), closed_by_change) {
                let mut e = Entry::new(
                    Key::new(domain::day_start(on), Kind::Sejour, s.id, 2),
                    format!("Sortie : {modalite}"),
                    link.clone(),
                );
                e.day_only = true;
                let mode = s
                    .exit_mode
                    .as_deref()
                    .map(|m| format!(" — {}", codelist::modes_sortie().label(m)))
                    .unwrap_or_default();
                e.summary = format!("{place}{mode}");
                e.author = Some(s.updated_by);
                out.push(e);
            }
        }
        Ok(ask.page(out))
    }
}

fn choices(readable: &[Kind], names: HashMap<Uuid, String>) -> TimelineChoices {
    let mut authors: Vec<AuthorChoice> = names
        .into_iter()
        .map(|(id, name)| AuthorChoice {
            id: id.to_string(),
            name,
        })
        .collect();
    authors.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    TimelineChoices {
        kinds: readable
            .iter()
            .map(|k| KindChoice {
                code: k.code().to_string(),
                label: k.label_fr().to_string(),
            })
            .collect(),
        authors,
    }
}
