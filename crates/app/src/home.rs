//! The home page board of a professional: what needs action in my units (admissions coming,
//! orientation decisions and contracts to handle, consents missing or expiring, séjours ending).

use std::collections::HashMap;

use jiff::ToSpan;
use parcours_domain::authz::{Action, Resource};
use parcours_domain::codelist;
use parcours_domain::consent::{self as crules, ConsentDecision, ConsentEvent};
use parcours_domain::entourage::{self as erules, ActiveMeasure, MeasureKind};
use parcours_domain::ids::UsagerId;
use parcours_domain::input::date_fr;
use parcours_domain::orientation;
use parcours_store::admission as q;
use parcours_store::organisation as orgs;
use parcours_store::records::{AdmissionRequestRow, Bind};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::admission::{contract_signed, decision_view, parse_stored_date, stored_dates};
use crate::audit::AuditAction;
use crate::usager::scope_filter;
use crate::{App, AppResult, Ctx};

/// One line of the board: a person and what is to be done.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardItem {
    #[schema(value_type = String, format = Uuid)]
    pub usager_id: UsagerId,
    pub usager_name: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct HomeBoard {
    pub upcoming_admissions: Vec<BoardItem>,
    pub requests_to_admit: Vec<BoardItem>,
    pub decisions: Vec<BoardItem>,
    pub contracts: Vec<BoardItem>,
    pub consents: Vec<BoardItem>,
    pub ending_sejours: Vec<BoardItem>,
    /// Projets personnalisés whose bilan is due within a month or overdue.
    pub projets: Vec<BoardItem>,
}

impl HomeBoard {
    pub fn is_empty(&self) -> bool {
        self.upcoming_admissions.is_empty()
            && self.requests_to_admit.is_empty()
            && self.decisions.is_empty()
            && self.contracts.is_empty()
            && self.consents.is_empty()
            && self.ending_sejours.is_empty()
            && self.projets.is_empty()
    }
}

/// Lines shown per section; the page says how many more there are.
const PER_SECTION: usize = 50;

impl App {
    pub async fn home_board(&self, ctx: &Ctx) -> AppResult<HomeBoard> {
        self.authorize(
            ctx,
            Action::ListUsagers,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let today = self.today();
        let soon = today.checked_add(30.days()).unwrap_or(today);
        let sejours = q::scoped_open_sejours(&self.db, ctx.org(), &scope_filter(ctx), 5000).await?;
        let mut ids: Vec<Uuid> = sejours.iter().map(|s| s.usager_id).collect();
        // Accepted requests of the establishments where I may run admissions.
        let etabs = orgs::list_etablissements(&self.db, ctx.org()).await?;
        let mut requests = Vec::new();
        for e in &etabs {
            let res = Resource::Etablissement {
                organisation: ctx.organisation(),
                etablissement: parcours_domain::ids::EtablissementId::from_uuid(e.id),
            };
            if self
                .authorize(ctx, Action::ViewEstablishmentActivity, &res)
                .is_ok()
            {
                for r in AdmissionRequestRow::select_where(
                    &self.db,
                    ctx.org(),
                    "etablissement_id = $2 and status in ('acceptee', 'en_attente_de_place')",
                    &[Bind::Id(e.id)],
                    "priority, received_on, id",
                    PER_SECTION as i64,
                )
                .await?
                {
                    ids.push(r.usager_id);
                    requests.push((e.name.clone(), r));
                }
            }
        }
        ids.sort();
        ids.dedup();
        let people = parcours_store::usager::summaries(&self.db, ctx.org(), &ids).await?;
        let names: HashMap<Uuid, (String, String)> = people
            .iter()
            .map(|p| (p.id, (p.list_name(), p.birth_date.clone())))
            .collect();
        let item = |u: Uuid, text: String| BoardItem {
            usager_id: UsagerId::from_uuid(u),
            usager_name: names.get(&u).map(|n| n.0.clone()).unwrap_or_default(),
            text,
        };
        let mut board = HomeBoard::default();
        for (etab, r) in &requests {
            board.requests_to_admit.push(item(
                r.usager_id,
                format!(
                    "Demande {} pour {} ({}), reçue le {}",
                    if r.status == "acceptee" {
                        "acceptée"
                    } else {
                        "en attente de place"
                    },
                    etab,
                    codelist::modalites().label(&r.modalite),
                    date_fr(parse_stored_date(&r.received_on)?)
                ),
            ));
        }
        let etab_name = |id: Uuid| {
            etabs
                .iter()
                .find(|e| e.id == id)
                .map(|e| e.name.clone())
                .unwrap_or_default()
        };
        let current: Vec<Uuid> = {
            let mut v: Vec<Uuid> = sejours
                .iter()
                .filter(|s| s.status == "en_cours")
                .map(|s| s.usager_id)
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let contrats = q::contrats_of(&self.db, ctx.org(), &current).await?;
        let decisions = q::decisions_of(&self.db, ctx.org(), &current).await?;
        for s in &sejours {
            let d = stored_dates(s)?;
            let what = format!(
                "{} — {}",
                etab_name(s.etablissement_id),
                codelist::modalites().label(&s.modalite)
            );
            if s.status == "prevu" && d.planned_entry <= soon {
                board.upcoming_admissions.push(item(
                    s.usager_id,
                    format!("Entrée prévue le {} ({what})", date_fr(d.planned_entry)),
                ));
            }
            if s.status == "en_cours" {
                if let Some(x) = d.planned_exit
                    && x <= soon
                {
                    board.ending_sejours.push(item(
                        s.usager_id,
                        format!("Sortie prévue le {} ({what})", date_fr(x)),
                    ));
                }
                let signed = contract_signed(s, &sejours, &contrats);
                if parcours_domain::admission::contract_overdue(d.entry, signed, today) {
                    board.contracts.push(item(
                        s.usager_id,
                        format!(
                            "Contrat de séjour / DIPC non signé (entrée le {}, {what})",
                            d.entry.map(date_fr).unwrap_or_default()
                        ),
                    ));
                }
                let category = etabs
                    .iter()
                    .find(|e| e.id == s.etablissement_id)
                    .map(|e| e.category_code.as_str())
                    .unwrap_or("");
                if orientation::requires_orientation(category) {
                    // Only a decision towards this kind of establishment entitles the séjour.
                    let mine: Vec<_> = decisions
                        .iter()
                        .filter(|x| x.usager_id == s.usager_id && x.category_code == category)
                        .map(|x| decision_view(x, today))
                        .collect::<AppResult<_>>()?;
                    if !mine.iter().any(|x| x.valid_today) {
                        board.decisions.push(item(
                            s.usager_id,
                            format!("Aucune décision d'orientation valide ({what})"),
                        ));
                    } else if let Some(x) = mine.iter().find(|x| x.ending_soon) {
                        board.decisions.push(item(
                            s.usager_id,
                            format!(
                                "Décision d'orientation jusqu'au {} : renouvellement à préparer",
                                x.validity.end.map(date_fr).unwrap_or_default()
                            ),
                        ));
                    }
                }
            }
        }
        board.consents = self
            .consent_board(ctx, &current, &names, today)
            .await?
            .into_iter()
            .map(|(u, t)| item(u, t))
            .collect();
        let due = self.projets_due(ctx).await?;
        let missing: Vec<Uuid> = due
            .iter()
            .map(|(u, _)| *u)
            .filter(|u| !names.contains_key(u))
            .collect();
        let more = parcours_store::usager::summaries(&self.db, ctx.org(), &missing).await?;
        board.projets = due
            .into_iter()
            .map(|(u, text)| BoardItem {
                usager_id: UsagerId::from_uuid(u),
                usager_name: names.get(&u).map(|n| n.0.clone()).unwrap_or_else(|| {
                    more.iter()
                        .find(|p| p.id == u)
                        .map(|p| p.list_name())
                        .unwrap_or_default()
                }),
                text,
            })
            .collect();
        for list in [
            &mut board.projets,
            &mut board.upcoming_admissions,
            &mut board.requests_to_admit,
            &mut board.decisions,
            &mut board.contracts,
            &mut board.consents,
            &mut board.ending_sejours,
        ] {
            list.dedup_by(|a, b| a.usager_id == b.usager_id && a.text == b.text);
            list.truncate(PER_SECTION);
        }
        self.audit_alone(
            ctx,
            AuditAction::UsagerList,
            None,
            "tableau_de_bord",
            json!({"usagers": ids.len()}),
        )
        .await?;
        Ok(board)
    }

    /// Persons whose consents are missing, expired, expiring within 30 days or to be asked again.
    async fn consent_board(
        &self,
        ctx: &Ctx,
        ids: &[Uuid],
        names: &HashMap<Uuid, (String, String)>,
        today: jiff::civil::Date,
    ) -> AppResult<Vec<(Uuid, String)>> {
        let consents = q::consents_of(&self.db, ctx.org(), ids).await?;
        let proches = q::proches_of(&self.db, ctx.org(), ids).await?;
        let mesures = q::mesures_of(&self.db, ctx.org(), ids).await?;
        let soon = today.checked_add(30.days()).unwrap_or(today);
        let mut out = Vec::new();
        for u in ids {
            let Some(birth) = names.get(u).and_then(|n| parse_stored_date(&n.1).ok()) else {
                continue;
            };
            let measures: Vec<ActiveMeasure<Uuid>> = mesures
                .iter()
                .filter(|m| m.usager_id == *u)
                .filter_map(|m| {
                    Some(ActiveMeasure {
                        kind: MeasureKind::parse(&m.kind).ok()?,
                        start: parse_stored_date(&m.start_date).ok()?,
                        end: m
                            .end_date
                            .as_deref()
                            .and_then(|d| parse_stored_date(d).ok()),
                        representative: m.representative_id,
                    })
                })
                .collect();
            let parents: Vec<Uuid> = proches
                .iter()
                .filter(|p| p.usager_id == *u && p.active && p.autorite_parentale)
                .map(|p| p.id)
                .collect();
            let rule =
                erules::signing_rule(erules::is_minor(birth, today), &measures, &parents, today);
            let mut issues = Vec::new();
            for p in &codelist::consent_purposes().codes {
                let ev: Vec<ConsentEvent<Uuid, Uuid>> = consents
                    .iter()
                    .filter(|c| c.usager_id == *u && c.purpose == p.code)
                    .filter_map(|c| {
                        Some(ConsentEvent {
                            id: c.id,
                            decision: ConsentDecision::parse(&c.decision).ok()?,
                            signatory: c.signatory_id,
                            decided_on: parse_stored_date(&c.decided_on).ok()?,
                            expires_on: c
                                .expires_on
                                .as_deref()
                                .and_then(|d| parse_stored_date(d).ok()),
                            partners: Vec::new(),
                        })
                    })
                    .collect();
                let a = crules::answer(&ev, &rule, today, None);
                let expiring = a.allowed()
                    && ev
                        .last()
                        .and_then(|e| e.expires_on)
                        .is_some_and(|x| x <= soon);
                // Purposes asked when the need arises are not a task until they have been asked.
                let asked_at_admission = p.extra(2) == "1";
                match a {
                    crules::ConsentAnswer::NotAsked if !asked_at_admission => {}
                    crules::ConsentAnswer::NotAsked
                    | crules::ConsentAnswer::Expired(_)
                    | crules::ConsentAnswer::SignatoryNoLongerEntitled(_) => {
                        issues.push(format!("{} : {}", p.label, a.label_fr().to_lowercase()))
                    }
                    _ if expiring => issues.push(format!("{} : expire bientôt", p.label)),
                    _ => {}
                }
            }
            if !issues.is_empty() {
                out.push((*u, issues.join(" ; ")));
            }
        }
        Ok(out)
    }
}
