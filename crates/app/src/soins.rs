//! The care record's vital signs and measures: a relevé of several measures at once, the
//! cancellation (with its reason) and correction of a mistaken one, a person's series per kind over
//! a period, the latest values with their abnormal flags, the body mass index and the
//! undernutrition alert. Reads need `ReadCareRecord`, writes `WriteCareRecord`; every read and write
//! is audited. Measures are never updated or deleted.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use parcours_domain::authz::Action;
use parcours_domain::clock::today_in_paris;
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{SoinMesureId, UsagerId};
use parcours_domain::input;
use parcours_domain::soins::{self, Kind, RawReleve, UndernutritionAlert, Values};
use parcours_store::soins::{MesureRow, NewMesure};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::admission::parse_stored_date;
use crate::audit::AuditAction;
use crate::usager::micros_to_ts;
use crate::{App, AppError, AppResult, Ctx};

/// How far in the future a measure time may be (clocks of tablets drift).
const FUTURE_TOLERANCE: SignedDuration = SignedDuration::from_mins(5);

/// One measure as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MesureView {
    #[schema(value_type = String)]
    pub id: SoinMesureId,
    /// `poids`, `taille`, `tension`, `pouls`, `temperature`, `spo2`, `glycemie`, `eva`,
    /// `algoplus`, `selles`, `diurese`.
    #[schema(value_type = String)]
    pub kind: Kind,
    pub label: String,
    pub unit: String,
    #[schema(value_type = String)]
    pub measured_at: Timestamp,
    pub value: f64,
    /// Diastolic pressure, Bristol type.
    pub value2: Option<f64>,
    /// The value as a professional reads it: "135/85 mmHg", "37,5 °C".
    pub display: String,
    /// Why the value is abnormal (empty when it is in the usual zone).
    pub flags: Vec<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    #[schema(value_type = String)]
    pub recorded_at: Timestamp,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    /// The cancelled measure this one corrects.
    #[schema(value_type = Option<String>)]
    pub corrects: Option<SoinMesureId>,
}

/// The latest valid measure of one kind.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LatestView {
    #[schema(value_type = String)]
    pub kind: Kind,
    pub label: String,
    pub unit: String,
    pub mesure: Option<MesureView>,
}

/// The body mass index from the latest weight and height.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BmiView {
    pub value: f64,
    pub display: String,
    /// An undernutrition criterion for the person's age (HAS 2019 / 2021), if met.
    pub flag: Option<String>,
}

/// What the care record says now: the latest values, the BMI, the alerts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SoinsSummary {
    pub latest: Vec<LatestView>,
    pub bmi: Option<BmiView>,
    /// Abnormal latest values, in French ("Température : 38,6 °C — …").
    pub alerts: Vec<String>,
    /// Weight-loss criterion of undernutrition (HAS 2021), if met by the latest weight.
    #[schema(value_type = Option<Object>)]
    pub undernutrition: Option<UndernutritionAlert>,
}

/// One kind's measures over a period, oldest first (the cancelled ones included).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SeriesView {
    #[schema(value_type = String)]
    pub kind: Kind,
    pub label: String,
    pub unit: String,
    pub mesures: Vec<MesureView>,
}

/// The care record's measures of a person: the summary and every kind's series over a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SoinsFile {
    pub summary: SoinsSummary,
    #[schema(value_type = String)]
    pub from: Date,
    #[schema(value_type = String)]
    pub to: Date,
    pub series: Vec<SeriesView>,
}

/// Cancels a mistaken measure.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAnnulation {
    pub reason: String,
}

/// Corrects a mistaken measure: it is cancelled with the reason and replaced by a new one of the
/// same kind (at the same time unless another is given).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    pub reason: String,
    pub value: String,
    #[serde(default)]
    pub value2: String,
    #[serde(default)]
    pub measured_at: String,
    #[serde(default)]
    pub note: String,
}

/// "135/85 mmHg", "37,5 °C", "5/10", "2 selle(s), type 4".
pub fn display(kind: Kind, value: f64, value2: Option<f64>) -> String {
    let spec = kind.spec();
    let n = soins::number_fr(value, spec.decimals);
    let sep = if spec.unit.starts_with('/') { "" } else { " " };
    match (kind, value2) {
        (Kind::Tension, Some(d)) => format!("{n}/{} {}", soins::number_fr(d, 0), spec.unit),
        (Kind::Selles, Some(t)) => format!("{n} {}, type {}", spec.unit, soins::number_fr(t, 0)),
        _ => format!("{n}{sep}{}", spec.unit),
    }
}

fn view_of(r: &MesureRow, names: &HashMap<Uuid, String>) -> AppResult<MesureView> {
    let kind = Kind::parse(&r.kind)
        .map_err(|_| AppError::Internal(format!("mesure {}: kind {}", r.id, r.kind)))?;
    let values = Values {
        value: r.value,
        value2: r.value2,
    };
    Ok(MesureView {
        id: SoinMesureId::from_uuid(r.id),
        kind,
        label: kind.label_fr().to_string(),
        unit: kind.unit().to_string(),
        measured_at: micros_to_ts(r.measured_at),
        value: r.value,
        value2: r.value2,
        display: display(kind, r.value, r.value2),
        flags: soins::flags(kind, values)
            .into_iter()
            .map(str::to_string)
            .collect(),
        note: r.note.clone(),
        recorded_by: names.get(&r.recorded_by).cloned().unwrap_or_default(),
        recorded_at: micros_to_ts(r.recorded_at),
        cancelled: r.cancelled_at.is_some(),
        cancel_reason: r.cancel_reason.clone(),
        corrects: r.corrects_id.map(SoinMesureId::from_uuid),
    })
}

/// The start of a civil day in Europe/Paris, in microseconds.
fn day_start(d: Date) -> AppResult<i64> {
    d.at(0, 0, 0, 0)
        .in_tz("Europe/Paris")
        .map(|z| z.timestamp().as_microsecond())
        .map_err(|e| AppError::Internal(format!("time zone: {e}")))
}

fn age_on(birth: Date, today: Date) -> i16 {
    let before_birthday = (today.month(), today.day()) < (birth.month(), birth.day());
    today.year() - birth.year() - i16::from(before_birthday)
}

impl App {
    /// The time of a measure: `YYYY-MM-DDTHH:MM` in Paris time (or an RFC 3339 instant); empty means
    /// now; never in the future.
    fn measured_at(&self, raw: &str) -> Result<Timestamp, parcours_domain::error::FieldError> {
        use parcours_domain::error::FieldError;
        let t = raw.trim();
        let at = if t.is_empty() {
            self.now()
        } else if let Ok(ts) = t.parse::<Timestamp>() {
            ts
        } else {
            t.parse::<jiff::civil::DateTime>()
                .ok()
                .and_then(|dt| dt.in_tz("Europe/Paris").ok())
                .map(|z| z.timestamp())
                .ok_or_else(|| {
                    FieldError::new(
                        "measured_at",
                        "Ce n'est pas une date et heure valides (JJ/MM/AAAA HH:MM).",
                    )
                })?
        };
        if at > self.now() + FUTURE_TOLERANCE {
            return Err(FieldError::new(
                "measured_at",
                "L'heure de la mesure ne peut pas être dans le futur.",
            ));
        }
        Ok(at)
    }

    /// Records a relevé: every measure typed, at one time, in one transaction. An impossible value
    /// refuses the whole relevé (nothing is written), with a French message on its field.
    pub async fn record_releve(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawReleve,
    ) -> AppResult<Vec<SoinMesureId>> {
        self.gate_person(ctx, Action::WriteCareRecord, usager)
            .await?;
        let mut e = FieldErrors::default();
        let at = e.take(self.measured_at(&raw.measured_at));
        let note = e
            .take(input::opt_text("note", &raw.note, input::LONG_TEXT))
            .flatten();
        let measures = match raw.check() {
            Ok(m) => m,
            Err(errs) => {
                e.0.extend(errs.0);
                Vec::new()
            }
        };
        let Some(at) = at else {
            return Err(AppError::Validation(e));
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let mut ids = Vec::new();
        let mut tx = self.begin().await?;
        for (kind, v) in &measures {
            let id = self.new_id();
            parcours_store::soins::insert(
                &mut tx,
                &NewMesure {
                    organisation_id: ctx.org(),
                    id,
                    usager_id: usager.as_uuid(),
                    kind: kind.code().to_string(),
                    measured_at: at.as_microsecond(),
                    value: v.value,
                    value2: v.value2,
                    note: note.clone(),
                    corrects_id: None,
                    recorded_at: now,
                    recorded_by: by,
                },
            )
            .await?;
            ids.push(SoinMesureId::from_uuid(id));
        }
        let kinds: Vec<&str> = measures.iter().map(|(k, _)| k.code()).collect();
        self.audit(
            &mut tx,
            ctx,
            AuditAction::SoinsMeasureRecord,
            Some(usager),
            "soin_mesure",
            json!({"mesures": ids, "types": kinds}),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// The measure and its person, after the gate (a refused professional learns nothing of it).
    async fn writable_mesure(&self, ctx: &Ctx, id: SoinMesureId) -> AppResult<MesureRow> {
        let row = parcours_store::soins::get(&self.db, ctx.org(), id.as_uuid()).await?;
        self.gate_person(
            ctx,
            Action::WriteCareRecord,
            UsagerId::from_uuid(row.usager_id),
        )
        .await?;
        if row.cancelled_at.is_some() {
            return Err(AppError::field("reason", "Cette mesure est déjà annulée."));
        }
        Ok(row)
    }

    /// Cancels a mistaken measure with its reason (the measure stays, marked cancelled); returns
    /// the person.
    pub async fn cancel_mesure(
        &self,
        ctx: &Ctx,
        id: SoinMesureId,
        raw: &RawAnnulation,
    ) -> AppResult<UsagerId> {
        let row = self.writable_mesure(ctx, id).await?;
        let reason = input::text("reason", &raw.reason, input::LONG_TEXT)?;
        let mut tx = self.begin().await?;
        parcours_store::soins::cancel(
            &mut tx,
            ctx.org(),
            row.id,
            &reason,
            self.now_micros(),
            ctx.user().as_uuid(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::SoinsMeasureCancel,
            Some(UsagerId::from_uuid(row.usager_id)),
            "soin_mesure",
            json!({"mesure": id, "type": row.kind}),
        )
        .await?;
        tx.commit().await?;
        Ok(UsagerId::from_uuid(row.usager_id))
    }

    /// Corrects a mistaken measure: cancels it with the reason and records the right value as a new
    /// measure naming it, in one transaction.
    pub async fn correct_mesure(
        &self,
        ctx: &Ctx,
        id: SoinMesureId,
        raw: &RawCorrection,
    ) -> AppResult<SoinMesureId> {
        let row = self.writable_mesure(ctx, id).await?;
        let kind = Kind::parse(&row.kind)
            .map_err(|_| AppError::Internal(format!("mesure {}: kind {}", row.id, row.kind)))?;
        let mut e = FieldErrors::default();
        let reason = e.take(input::text("reason", &raw.reason, input::LONG_TEXT));
        let at = if raw.measured_at.trim().is_empty() {
            Some(micros_to_ts(row.measured_at))
        } else {
            e.take(self.measured_at(&raw.measured_at))
        };
        let note = e
            .take(input::opt_text("note", &raw.note, input::LONG_TEXT))
            .flatten();
        let values = match kind.spec().check(&raw.value, &raw.value2) {
            Ok(v) => Some(v),
            Err(errs) => {
                // The correction form names its fields `value` and `value2`.
                for err in errs.0 {
                    let field = if err.field == kind.code() {
                        "value"
                    } else {
                        "value2"
                    };
                    e.push(field, err.message);
                }
                None
            }
        };
        let (Some(reason), Some(at), Some(v)) = (reason, at, values) else {
            return Err(AppError::Validation(e));
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let new_id = self.new_id();
        let mut tx = self.begin().await?;
        parcours_store::soins::cancel(&mut tx, ctx.org(), row.id, &reason, now, by).await?;
        parcours_store::soins::insert(
            &mut tx,
            &NewMesure {
                organisation_id: ctx.org(),
                id: new_id,
                usager_id: row.usager_id,
                kind: row.kind.clone(),
                measured_at: at.as_microsecond(),
                value: v.value,
                value2: v.value2,
                note,
                corrects_id: Some(row.id),
                recorded_at: now,
                recorded_by: by,
            },
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::SoinsMeasureCancel,
            Some(UsagerId::from_uuid(row.usager_id)),
            "soin_mesure",
            json!({"mesure": id, "type": row.kind, "correction": new_id}),
        )
        .await?;
        tx.commit().await?;
        Ok(SoinMesureId::from_uuid(new_id))
    }

    /// A person's measures of one kind between two days (inclusive), oldest first; audited read.
    pub async fn mesure_series(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        kind: Kind,
        from: Date,
        to: Date,
    ) -> AppResult<Vec<MesureView>> {
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        let names = self.user_names(ctx).await?;
        let out = self.series_of(ctx, usager, kind, from, to, &names).await?;
        self.audit_alone(
            ctx,
            AuditAction::SoinsRead,
            Some(usager),
            "soin_mesure",
            json!({"type": kind.code(), "du": from, "au": to, "mesures": out.len()}),
        )
        .await?;
        Ok(out)
    }

    /// The latest values, BMI and alerts of a person; audited read.
    pub async fn soins_summary(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<SoinsSummary> {
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        let names = self.user_names(ctx).await?;
        let summary = self.summary_of(ctx, usager, &names).await?;
        self.audit_alone(
            ctx,
            AuditAction::SoinsRead,
            Some(usager),
            "soin_mesure",
            json!({"resume": true}),
        )
        .await?;
        Ok(summary)
    }

    /// Everything the care record's page shows: the summary and every kind's series between two
    /// days (inclusive); one audited read.
    pub async fn soins_file(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        from: Date,
        to: Date,
    ) -> AppResult<SoinsFile> {
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        if from > to {
            return Err(AppError::field("du", "La période commence après sa fin."));
        }
        let names = self.user_names(ctx).await?;
        let summary = self.summary_of(ctx, usager, &names).await?;
        let mut series = Vec::new();
        for kind in Kind::ALL {
            let mesures = self.series_of(ctx, usager, *kind, from, to, &names).await?;
            series.push(SeriesView {
                kind: *kind,
                label: kind.label_fr().to_string(),
                unit: kind.unit().to_string(),
                mesures,
            });
        }
        self.audit_alone(
            ctx,
            AuditAction::SoinsRead,
            Some(usager),
            "soin_mesure",
            json!({"du": from, "au": to}),
        )
        .await?;
        Ok(SoinsFile {
            summary,
            from,
            to,
            series,
        })
    }

    async fn series_of(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        kind: Kind,
        from: Date,
        to: Date,
        names: &HashMap<Uuid, String>,
    ) -> AppResult<Vec<MesureView>> {
        let end = to
            .tomorrow()
            .map_err(|e| AppError::Internal(format!("date: {e}")))?;
        let rows = parcours_store::soins::series(
            &self.db,
            ctx.org(),
            usager.as_uuid(),
            kind.code(),
            day_start(from)?,
            day_start(end)?,
        )
        .await?;
        rows.iter().map(|r| view_of(r, names)).collect()
    }

    async fn summary_of(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        names: &HashMap<Uuid, String>,
    ) -> AppResult<SoinsSummary> {
        let mut latest = Vec::new();
        let mut alerts = Vec::new();
        for kind in Kind::ALL {
            let row =
                parcours_store::soins::latest(&self.db, ctx.org(), usager.as_uuid(), kind.code())
                    .await?;
            let mesure = row.as_ref().map(|r| view_of(r, names)).transpose()?;
            if let Some(m) = &mesure {
                for f in &m.flags {
                    alerts.push(format!("{} : {} — {f}", m.label, m.display));
                }
            }
            latest.push(LatestView {
                kind: *kind,
                label: kind.label_fr().to_string(),
                unit: kind.unit().to_string(),
                mesure,
            });
        }
        let value_of = |k: Kind| {
            latest
                .iter()
                .find(|l| l.kind == k)
                .and_then(|l| l.mesure.as_ref())
                .map(|m| (m.value, m.measured_at))
        };
        let (weight, height) = (value_of(Kind::Poids), value_of(Kind::Taille));
        let today = self.today();
        let bmi = match (weight, height) {
            (Some((w, _)), Some((h, _))) => match soins::bmi(w, h) {
                Some(b) => {
                    let row =
                        parcours_store::usager::get(&self.db, ctx.org(), usager.as_uuid()).await?;
                    let age = age_on(parse_stored_date(&row.birth_date)?, today);
                    let flag = soins::bmi_flag(b, age).map(str::to_string);
                    if let Some(f) = &flag {
                        alerts.push(f.clone());
                    }
                    Some(BmiView {
                        value: b,
                        display: format!("{} kg/m²", soins::number_fr(b, 1)),
                        flag,
                    })
                }
                None => None,
            },
            _ => None,
        };
        let undernutrition = match weight {
            Some((_, at)) => {
                // Six months back from the latest weight, with a margin for the month lengths.
                let since = at - SignedDuration::from_hours(24 * 190);
                let rows = parcours_store::soins::series(
                    &self.db,
                    ctx.org(),
                    usager.as_uuid(),
                    Kind::Poids.code(),
                    since.as_microsecond(),
                    at.as_microsecond() + 1,
                )
                .await?;
                let series: Vec<(Date, f64)> = rows
                    .iter()
                    .filter(|r| r.cancelled_at.is_none())
                    .map(|r| (today_in_paris(micros_to_ts(r.measured_at)), r.value))
                    .collect();
                soins::undernutrition(&series)
            }
            None => None,
        };
        Ok(SoinsSummary {
            latest,
            bmi,
            alerts,
            undernutrition,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn values_read_as_professionals_write_them() {
        assert_eq!(display(Kind::Tension, 135.0, Some(85.0)), "135/85 mmHg");
        assert_eq!(display(Kind::Temperature, 37.5, None), "37,5 °C");
        assert_eq!(display(Kind::Eva, 5.0, None), "5,0/10");
        assert_eq!(display(Kind::Selles, 2.0, Some(4.0)), "2 selle(s), type 4");
        assert_eq!(display(Kind::Spo2, 95.0, None), "95 %");
    }

    #[test]
    fn age_counts_whole_years() {
        let b = jiff::civil::date(1950, 3, 12);
        assert_eq!(age_on(b, jiff::civil::date(2026, 3, 11)), 75);
        assert_eq!(age_on(b, jiff::civil::date(2026, 3, 12)), 76);
    }
}
