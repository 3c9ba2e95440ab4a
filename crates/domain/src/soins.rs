//! The care record's vital signs and measures (constantes): the kinds of measure with their units,
//! the ranges outside which a value is impossible (refused: a typing error, never a patient), the
//! thresholds beyond which a plausible value is abnormal (flagged), the body mass index, and the
//! undernutrition alert over a person's weight series.
//!
//! Every threshold is in [`THRESHOLDS`], with its source; the plausibility ranges in [`KINDS`] are
//! product choices (wide enough for children of an IME and for the very old of an EHPAD).

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrors};

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Poids,
    Taille,
    /// Blood pressure: systolic (value) and diastolic (second value).
    Tension,
    Pouls,
    Temperature,
    Spo2,
    /// Capillary glycaemia.
    Glycemie,
    /// Self-assessed pain: visual analogue scale (EVA) or numeric scale (EN), 0 to 10.
    Eva,
    /// Pain observed in a person who cannot self-assess (Algoplus scale, 0 to 5).
    Algoplus,
    /// Stools of the day: count (value) and Bristol type (second value, optional).
    Selles,
    /// Diuresis over 24 hours.
    Diurese,
}

/// A kind of measure: its names, unit, precision and plausible range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    pub kind: Kind,
    /// Stored code, form and JSON field name of the (first) value.
    pub code: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// Decimals kept (0 = a whole number is required).
    pub decimals: u8,
    /// Values outside `[min, max]` are impossible and refused.
    pub min: f64,
    pub max: f64,
    /// The second value, if the kind has one.
    pub second: Option<Second>,
}

/// The second value of a kind (diastolic pressure, Bristol type).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Second {
    pub field: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub decimals: u8,
    pub min: f64,
    pub max: f64,
}

/// Kinds, units and plausibility ranges. The ranges are product choices: a value outside them
/// cannot be measured on a living person with the usual instruments (thermometers, oximeters and
/// glucometers display nothing beyond them), so it is a typing error.
pub const KINDS: &[Spec] = &[
    Spec {
        kind: Kind::Poids,
        code: "poids",
        label: "Poids",
        unit: "kg",
        decimals: 1,
        min: 0.5,
        max: 350.0,
        second: None,
    },
    Spec {
        kind: Kind::Taille,
        code: "taille",
        label: "Taille",
        unit: "cm",
        decimals: 0,
        min: 30.0,
        max: 250.0,
        second: None,
    },
    Spec {
        kind: Kind::Tension,
        code: "tension",
        label: "Tension artérielle",
        unit: "mmHg",
        decimals: 0,
        min: 50.0,
        max: 300.0,
        second: Some(Second {
            field: "tension_diastolique",
            label: "Diastolique",
            required: true,
            decimals: 0,
            min: 20.0,
            max: 200.0,
        }),
    },
    Spec {
        kind: Kind::Pouls,
        code: "pouls",
        label: "Pouls",
        unit: "bpm",
        decimals: 0,
        min: 20.0,
        max: 250.0,
        second: None,
    },
    Spec {
        kind: Kind::Temperature,
        code: "temperature",
        label: "Température",
        unit: "°C",
        decimals: 1,
        min: 30.0,
        max: 44.0,
        second: None,
    },
    Spec {
        kind: Kind::Spo2,
        code: "spo2",
        label: "Saturation en oxygène (SpO2)",
        unit: "%",
        decimals: 0,
        min: 50.0,
        max: 100.0,
        second: None,
    },
    Spec {
        kind: Kind::Glycemie,
        code: "glycemie",
        label: "Glycémie capillaire",
        unit: "g/L",
        decimals: 2,
        min: 0.1,
        max: 6.0,
        second: None,
    },
    Spec {
        kind: Kind::Eva,
        code: "eva",
        label: "Douleur (EVA/EN)",
        unit: "/10",
        decimals: 1,
        min: 0.0,
        max: 10.0,
        second: None,
    },
    Spec {
        kind: Kind::Algoplus,
        code: "algoplus",
        label: "Douleur (Algoplus)",
        unit: "/5",
        decimals: 0,
        min: 0.0,
        max: 5.0,
        second: None,
    },
    Spec {
        kind: Kind::Selles,
        code: "selles",
        label: "Selles",
        unit: "selle(s)",
        decimals: 0,
        min: 0.0,
        max: 20.0,
        second: Some(Second {
            field: "selles_bristol",
            label: "Type (échelle de Bristol)",
            required: false,
            decimals: 0,
            min: 1.0,
            max: 7.0,
        }),
    },
    Spec {
        kind: Kind::Diurese,
        code: "diurese",
        label: "Diurèse des 24 h",
        unit: "mL",
        decimals: 0,
        min: 0.0,
        max: 10000.0,
        second: None,
    },
];

/// Which value of a measure a threshold looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    First,
    Second,
}

/// An abnormal zone: below `below` or at or above `at_least`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub kind: Kind,
    pub which: Which,
    pub below: Option<f64>,
    pub at_least: Option<f64>,
    /// What a professional reads next to the value.
    pub message: &'static str,
    pub source: &'static str,
}

const fn th(
    kind: Kind,
    which: Which,
    below: Option<f64>,
    at_least: Option<f64>,
    message: &'static str,
    source: &'static str,
) -> Threshold {
    Threshold {
        kind,
        which,
        below,
        at_least,
        message,
        source,
    }
}

/// The abnormal-value thresholds, in one table. Sources:
/// - temperature: usual clinical definitions of fever (≥ 38 °C) and hypothermia (< 35 °C);
/// - SpO2 < 90 %: usual threshold of hypoxaemia (HAS, BPCO guide 2019, oxygen therapy below it);
/// - blood pressure: HAS, « Prise en charge de l'hypertension artérielle de l'adulte », 2016
///   (grade 3 / severe hypertension: systolic ≥ 180 or diastolic ≥ 110 mmHg); systolic < 90 mmHg
///   is the usual definition of hypotension;
/// - pulse < 50 or ≥ 120 bpm: **product choice** within the usual references (bradycardia < 50 bpm;
///   tachycardia > 100 bpm, raised to 120 to avoid flagging an effort or an emotion; NEWS2 scores
///   ≥ 111 bpm);
/// - capillary glycaemia < 0.70 g/L: hypoglycaemia (HAS, diabetes type 2 strategy, 2013);
///   ≥ 2.50 g/L: **product choice** (usual threshold of a marked hyperglycaemia to report);
/// - pain: EVA/EN ≥ 4/10 is moderate-to-severe pain, the usual treatment threshold (SFETD);
///   Algoplus ≥ 2/5 means the person is in pain (Rat P. et al., Algoplus, 2011);
/// - stools: Bristol types 1–2 (constipation) and 6–7 (diarrhoea) (Lewis & Heaton, Bristol stool
///   form scale, 1997);
/// - diuresis < 500 mL/24 h: usual definition of oliguria.
pub const THRESHOLDS: &[Threshold] = &[
    th(
        Kind::Temperature,
        Which::First,
        Some(35.0),
        Some(38.0),
        "hypothermie (< 35 °C) ou fièvre (≥ 38 °C)",
        "définitions cliniques usuelles",
    ),
    th(
        Kind::Spo2,
        Which::First,
        Some(90.0),
        None,
        "saturation basse (< 90 %)",
        "seuil usuel d'hypoxémie",
    ),
    th(
        Kind::Tension,
        Which::First,
        Some(90.0),
        Some(180.0),
        "systolique basse (< 90) ou très élevée (≥ 180 mmHg)",
        "HAS, HTA de l'adulte, 2016",
    ),
    th(
        Kind::Tension,
        Which::Second,
        None,
        Some(110.0),
        "diastolique très élevée (≥ 110 mmHg)",
        "HAS, HTA de l'adulte, 2016",
    ),
    th(
        Kind::Pouls,
        Which::First,
        Some(50.0),
        Some(120.0),
        "pouls lent (< 50) ou rapide (≥ 120 bpm)",
        "choix du produit, références usuelles",
    ),
    th(
        Kind::Glycemie,
        Which::First,
        Some(0.70),
        Some(2.50),
        "hypoglycémie (< 0,70 g/L) ou hyperglycémie (≥ 2,50 g/L)",
        "HAS 2013 ; seuil haut : choix du produit",
    ),
    th(
        Kind::Eva,
        Which::First,
        None,
        Some(4.0),
        "douleur modérée à intense (≥ 4/10)",
        "SFETD, seuil usuel de traitement",
    ),
    th(
        Kind::Algoplus,
        Which::First,
        None,
        Some(2.0),
        "douleur probable (Algoplus ≥ 2/5)",
        "Algoplus, Rat et al. 2011",
    ),
    th(
        Kind::Selles,
        Which::Second,
        Some(3.0),
        Some(6.0),
        "selles dures (Bristol 1–2) ou liquides (Bristol 6–7)",
        "échelle de Bristol, Lewis et Heaton 1997",
    ),
    th(
        Kind::Diurese,
        Which::First,
        Some(500.0),
        None,
        "oligurie (< 500 mL/24 h)",
        "définition usuelle",
    ),
];

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Poids,
        Kind::Taille,
        Kind::Tension,
        Kind::Pouls,
        Kind::Temperature,
        Kind::Spo2,
        Kind::Glycemie,
        Kind::Eva,
        Kind::Algoplus,
        Kind::Selles,
        Kind::Diurese,
    ];

    pub fn spec(self) -> &'static Spec {
        // KINDS lists every kind once (checked by a test); the fallback is never taken.
        KINDS.iter().find(|s| s.kind == self).unwrap_or(&KINDS[0])
    }

    pub fn code(self) -> &'static str {
        self.spec().code
    }

    pub fn label_fr(self) -> &'static str {
        self.spec().label
    }

    pub fn unit(self) -> &'static str {
        self.spec().unit
    }

    pub fn parse(s: &str) -> Result<Kind, FieldError> {
        KINDS
            .iter()
            .find(|k| k.code == s.trim())
            .map(|k| k.kind)
            .ok_or_else(|| FieldError::new("kind", "Type de mesure inconnu."))
    }

    pub fn thresholds(self) -> impl Iterator<Item = &'static Threshold> {
        THRESHOLDS.iter().filter(move |t| t.kind == self)
    }
}

/// The values of one measure, checked.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Values {
    pub value: f64,
    pub value2: Option<f64>,
}

fn round(v: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(i32::from(decimals));
    (v * f).round() / f
}

/// Formats a number the French way, with the kind's decimals ("37,5", "0,95", "72").
pub fn number_fr(v: f64, decimals: u8) -> String {
    format!("{:.*}", usize::from(decimals), v).replace('.', ",")
}

/// Parses one number as typed (comma or point), checks its range and precision.
#[allow(clippy::too_many_arguments)]
fn number(
    field: &'static str,
    label: &str,
    raw: &str,
    unit: &str,
    decimals: u8,
    min: f64,
    max: f64,
) -> Result<f64, FieldError> {
    let t = raw.trim().replace(',', ".").replace(' ', "");
    let v: f64 = t
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| FieldError::new(field, format!("{label} : saisissez un nombre.")))?;
    if decimals == 0 && v.fract() != 0.0 {
        return Err(FieldError::new(
            field,
            format!("{label} : saisissez un nombre entier."),
        ));
    }
    if v < min || v > max {
        return Err(FieldError::new(
            field,
            format!(
                "{label} : {} {unit} est une valeur impossible (attendu entre {} et {} {unit}). \
                 Vérifiez la saisie.",
                number_fr(v, decimals.max(decimal_places(&t))),
                number_fr(min, decimals),
                number_fr(max, decimals),
            ),
        ));
    }
    Ok(round(v, decimals))
}

fn decimal_places(t: &str) -> u8 {
    t.split_once('.')
        .map(|(_, d)| u8::try_from(d.len()).unwrap_or(3).min(3))
        .unwrap_or(0)
}

impl Spec {
    /// Checks the values typed for this kind: impossible values are refused with a French message
    /// on the kind's own fields (`code`, and the second value's field).
    pub fn check(&self, raw: &str, raw2: &str) -> Result<Values, FieldErrors> {
        let mut e = FieldErrors::default();
        let value = e.take(number(
            self.code,
            self.label,
            raw,
            self.unit,
            self.decimals,
            self.min,
            self.max,
        ));
        let value2 = match self.second {
            None => None,
            Some(s) if raw2.trim().is_empty() => {
                if s.required {
                    e.push(s.field, format!("{} : la valeur est obligatoire.", s.label));
                }
                None
            }
            Some(s) => e.take(number(
                s.field, s.label, raw2, self.unit, s.decimals, s.min, s.max,
            )),
        };
        if let (Kind::Tension, Some(sys), Some(dia)) = (self.kind, value, value2)
            && dia >= sys
        {
            e.push(
                "tension_diastolique",
                "La pression diastolique doit être inférieure à la systolique.",
            );
        }
        match value {
            Some(value) if e.is_empty() => Ok(Values { value, value2 }),
            _ => Err(e),
        }
    }
}

/// The abnormal flags of a measure (empty when every value is in the usual zone).
pub fn flags(kind: Kind, v: Values) -> Vec<&'static str> {
    kind.thresholds()
        .filter(|t| {
            let x = match t.which {
                Which::First => Some(v.value),
                Which::Second => v.value2,
            };
            x.is_some_and(|x| t.below.is_some_and(|b| x < b) || t.at_least.is_some_and(|a| x >= a))
        })
        .map(|t| t.message)
        .collect()
}

/// Body mass index (kg/m²), one decimal.
pub fn bmi(weight_kg: f64, height_cm: f64) -> Option<f64> {
    if weight_kg <= 0.0 || height_cm <= 0.0 {
        return None;
    }
    let m = height_cm / 100.0;
    Some(round(weight_kg / (m * m), 1))
}

/// What the BMI says for undernutrition, by age. HAS, « Diagnostic de la dénutrition chez la
/// personne de 70 ans et plus », novembre 2021: BMI < 22 is a phenotypic criterion, < 20 a sign of
/// severity. HAS, « Diagnostic de la dénutrition de l'enfant et de l'adulte », novembre 2019:
/// BMI < 18.5 (adult under 70), ≤ 17 severe. Children are assessed on growth curves, not on a fixed
/// threshold: no flag under 18.
pub fn bmi_flag(bmi: f64, age_years: i16) -> Option<&'static str> {
    if age_years >= 70 {
        if bmi < 20.0 {
            Some("IMC < 20 : critère de dénutrition sévère (70 ans et plus, HAS 2021)")
        } else if bmi < 22.0 {
            Some("IMC < 22 : critère de dénutrition (70 ans et plus, HAS 2021)")
        } else {
            None
        }
    } else if age_years >= 18 {
        if bmi <= 17.0 {
            Some("IMC ≤ 17 : critère de dénutrition sévère (adulte, HAS 2019)")
        } else if bmi < 18.5 {
            Some("IMC < 18,5 : critère de dénutrition (adulte, HAS 2019)")
        } else {
            None
        }
    } else {
        None
    }
}

/// How severe an undernutrition criterion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Moderee,
    Severe,
}

/// The weight-loss criterion met by the latest weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndernutritionAlert {
    pub severity: Severity,
    /// "1 mois" or "6 mois".
    pub window: &'static str,
    /// Loss in percent of the reference weight, one decimal.
    pub loss_percent: f64,
    pub reference_kg: f64,
    pub reference_on: Date,
    pub latest_kg: f64,
    pub latest_on: Date,
    pub message: String,
}

/// Weight-loss criteria, HAS, « Diagnostic de la dénutrition chez la personne de 70 ans et plus »,
/// novembre 2021 (the same thresholds as HAS 2019 for the adult): a loss ≥ 5 % in one month or
/// ≥ 10 % in six months is a phenotypic criterion of undernutrition; ≥ 10 % in one month or ≥ 15 %
/// in six months marks a severe undernutrition. (window in months, moderate %, severe %).
pub const WEIGHT_LOSS_CRITERIA: &[(i8, i64, i64)] = &[(1, 5, 10), (6, 10, 15)];

/// Hectograms: weights compared exactly (weights are kept to 0.1 kg).
fn hg(kg: f64) -> i64 {
    (kg * 10.0).round() as i64
}

/// The undernutrition alert over a person's weight series `(date, kg)`, in any order: the latest
/// weight is compared with every earlier weight within one month and within six months of it (the
/// heaviest one of each window is the reference). `None` when no criterion is met — a weight
/// regained since removes the alert, as it should.
pub fn undernutrition(series: &[(Date, f64)]) -> Option<UndernutritionAlert> {
    let &(latest_on, latest_kg) = series.iter().max_by_key(|(d, _)| *d)?;
    let mut best: Option<UndernutritionAlert> = None;
    for &(months, moderate, severe) in WEIGHT_LOSS_CRITERIA {
        let since = latest_on.checked_sub(i32::from(months).months()).ok()?;
        let Some(&(reference_on, reference_kg)) = series
            .iter()
            .filter(|(d, _)| *d >= since && *d < latest_on)
            .max_by_key(|(d, kg)| (hg(*kg), std::cmp::Reverse(*d)))
        else {
            continue;
        };
        let (r, l) = (hg(reference_kg), hg(latest_kg));
        if r <= 0 || l >= r {
            continue;
        }
        let loss = r - l;
        let severity = if loss * 100 >= severe * r {
            Severity::Severe
        } else if loss * 100 >= moderate * r {
            Severity::Moderee
        } else {
            continue;
        };
        let window = if months == 1 { "1 mois" } else { "6 mois" };
        let loss_percent = round(loss as f64 * 100.0 / r as f64, 1);
        let alert = UndernutritionAlert {
            severity,
            window,
            loss_percent,
            reference_kg,
            reference_on,
            latest_kg,
            latest_on,
            message: format!(
                "Perte de poids de {} % en {window} ({} kg le {} → {} kg le {}) : critère de \
                 dénutrition{} (HAS 2021). Évaluez l'état nutritionnel.",
                number_fr(loss_percent, 1),
                number_fr(reference_kg, 1),
                crate::input::date_fr(reference_on),
                number_fr(latest_kg, 1),
                crate::input::date_fr(latest_on),
                if severity == Severity::Severe {
                    " sévère"
                } else {
                    ""
                },
            ),
        };
        let better = match &best {
            None => true,
            Some(b) => {
                (alert.severity == Severity::Severe && b.severity != Severity::Severe)
                    || (alert.severity == b.severity && alert.loss_percent > b.loss_percent)
            }
        };
        if better {
            best = Some(alert);
        }
    }
    best
}

/// A relevé of measures as typed on the tablet form or sent over the API: every value optional
/// (empty = not measured), at least one required; one time and one note for all.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawReleve {
    /// `YYYY-MM-DDTHH:MM` in Europe/Paris time (`<input type="datetime-local">`); empty = now.
    #[serde(default)]
    pub measured_at: String,
    #[serde(default)]
    pub poids: String,
    #[serde(default)]
    pub taille: String,
    #[serde(default)]
    pub tension: String,
    #[serde(default)]
    pub tension_diastolique: String,
    #[serde(default)]
    pub pouls: String,
    #[serde(default)]
    pub temperature: String,
    #[serde(default)]
    pub spo2: String,
    #[serde(default)]
    pub glycemie: String,
    #[serde(default)]
    pub eva: String,
    #[serde(default)]
    pub algoplus: String,
    #[serde(default)]
    pub selles: String,
    #[serde(default)]
    pub selles_bristol: String,
    #[serde(default)]
    pub diurese: String,
    #[serde(default)]
    pub note: String,
}

impl RawReleve {
    /// The typed values of a kind (first, second).
    pub fn get(&self, kind: Kind) -> (&str, &str) {
        match kind {
            Kind::Poids => (&self.poids, ""),
            Kind::Taille => (&self.taille, ""),
            Kind::Tension => (&self.tension, &self.tension_diastolique),
            Kind::Pouls => (&self.pouls, ""),
            Kind::Temperature => (&self.temperature, ""),
            Kind::Spo2 => (&self.spo2, ""),
            Kind::Glycemie => (&self.glycemie, ""),
            Kind::Eva => (&self.eva, ""),
            Kind::Algoplus => (&self.algoplus, ""),
            Kind::Selles => (&self.selles, &self.selles_bristol),
            Kind::Diurese => (&self.diurese, ""),
        }
    }

    /// The measures of the relevé, each checked; all errors at once.
    pub fn check(&self) -> Result<Vec<(Kind, Values)>, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut out = Vec::new();
        for k in Kind::ALL {
            let (a, b) = self.get(*k);
            if a.trim().is_empty() && b.trim().is_empty() {
                continue;
            }
            match k.spec().check(a, b) {
                Ok(v) => out.push((*k, v)),
                Err(errs) => e.0.extend(errs.0),
            }
        }
        if e.is_empty() && out.is_empty() {
            e.push("poids", "Saisissez au moins une mesure.");
        }
        e.into_result(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn v(kind: Kind, a: &str, b: &str) -> Result<Values, FieldErrors> {
        kind.spec().check(a, b)
    }

    #[test]
    fn every_kind_has_one_spec_and_unique_codes() {
        for k in Kind::ALL {
            assert_eq!(KINDS.iter().filter(|s| s.kind == *k).count(), 1, "{k:?}");
            assert_eq!(Kind::parse(k.code()).unwrap(), *k);
        }
        assert_eq!(KINDS.len(), Kind::ALL.len());
        assert!(Kind::parse("humeur").is_err());
    }

    #[test]
    fn impossible_values_are_refused_in_french() {
        let e = v(Kind::Temperature, "20", "").unwrap_err();
        assert_eq!(
            e.get("temperature").unwrap(),
            "Température : 20,0 °C est une valeur impossible (attendu entre 30,0 et 44,0 °C). \
             Vérifiez la saisie."
        );
        assert!(v(Kind::Spo2, "101", "").is_err());
        assert!(
            v(Kind::Spo2, "97.5", "")
                .unwrap_err()
                .get("spo2")
                .unwrap()
                .contains("entier")
        );
        assert!(
            v(Kind::Poids, "abc", "")
                .unwrap_err()
                .get("poids")
                .unwrap()
                .contains("nombre")
        );
        assert!(v(Kind::Poids, "NaN", "").is_err());
        assert!(v(Kind::Eva, "11", "").is_err());
        assert!(v(Kind::Algoplus, "6", "").is_err());
        let e = v(Kind::Tension, "120", "").unwrap_err();
        assert!(
            e.get("tension_diastolique")
                .unwrap()
                .contains("obligatoire")
        );
        let e = v(Kind::Tension, "80", "90").unwrap_err();
        assert!(e.get("tension_diastolique").unwrap().contains("inférieure"));
        assert!(
            v(Kind::Selles, "1", "8")
                .unwrap_err()
                .get("selles_bristol")
                .is_some()
        );
    }

    #[test]
    fn plausible_values_are_kept_with_their_precision() {
        assert_eq!(v(Kind::Temperature, "37,54", "").unwrap().value, 37.5);
        assert_eq!(v(Kind::Glycemie, "0,95", "").unwrap().value, 0.95);
        let t = v(Kind::Tension, "135", "85").unwrap();
        assert_eq!((t.value, t.value2), (135.0, Some(85.0)));
        assert_eq!(v(Kind::Selles, "2", "").unwrap().value2, None);
    }

    #[test]
    fn abnormal_values_are_flagged() {
        let f = |k: Kind, a: f64, b: Option<f64>| {
            flags(
                k,
                Values {
                    value: a,
                    value2: b,
                },
            )
        };
        assert!(f(Kind::Spo2, 89.0, None).len() == 1);
        assert!(f(Kind::Spo2, 90.0, None).is_empty());
        assert!(f(Kind::Temperature, 38.0, None).len() == 1);
        assert!(f(Kind::Temperature, 37.9, None).is_empty());
        assert!(f(Kind::Temperature, 34.9, None).len() == 1);
        assert!(f(Kind::Tension, 180.0, Some(90.0)).len() == 1);
        assert!(f(Kind::Tension, 89.0, Some(50.0)).len() == 1);
        assert!(f(Kind::Tension, 130.0, Some(80.0)).is_empty());
        assert!(f(Kind::Tension, 170.0, Some(110.0)).len() == 1);
        assert!(f(Kind::Selles, 1.0, Some(7.0)).len() == 1);
        assert!(f(Kind::Selles, 1.0, Some(4.0)).is_empty());
        assert!(f(Kind::Selles, 1.0, None).is_empty());
        assert!(f(Kind::Algoplus, 2.0, None).len() == 1);
        assert!(f(Kind::Glycemie, 0.65, None).len() == 1);
        assert!(f(Kind::Poids, 40.0, None).is_empty());
    }

    #[test]
    fn bmi_and_its_thresholds_depend_on_age() {
        assert_eq!(bmi(70.0, 175.0), Some(22.9));
        assert!(bmi_flag(21.5, 82).is_some());
        assert!(bmi_flag(21.5, 45).is_none());
        assert!(bmi_flag(19.5, 82).unwrap().contains("sévère"));
        assert!(bmi_flag(18.0, 45).is_some());
        assert!(bmi_flag(15.0, 12).is_none());
    }

    #[test]
    fn undernutrition_after_five_percent_in_a_month_or_ten_in_six() {
        // 5 % in one month: 60 → 57 kg.
        let a = undernutrition(&[(date(2026, 10, 25), 60.0), (date(2026, 11, 20), 57.0)]).unwrap();
        assert_eq!(
            (a.window, a.severity, a.loss_percent),
            ("1 mois", Severity::Moderee, 5.0)
        );
        assert!(a.message.contains("HAS 2021"));
        // 4.9 % in one month: nothing.
        assert!(
            undernutrition(&[(date(2026, 10, 25), 60.0), (date(2026, 11, 20), 57.1)]).is_none()
        );
        // 5 % over two months is not the one-month criterion.
        assert!(undernutrition(&[(date(2026, 9, 1), 60.0), (date(2026, 11, 20), 57.0)]).is_none());
        // 10 % in six months, slowly.
        let s = [
            (date(2026, 6, 1), 70.0),
            (date(2026, 8, 1), 67.0),
            (date(2026, 10, 1), 65.0),
            (date(2026, 11, 20), 63.0),
        ];
        let a = undernutrition(&s).unwrap();
        assert_eq!(
            (a.window, a.loss_percent, a.reference_kg),
            ("6 mois", 10.0, 70.0)
        );
        // Severe: 10 % in one month.
        let a = undernutrition(&[(date(2026, 11, 1), 50.0), (date(2026, 11, 20), 45.0)]).unwrap();
        assert_eq!(a.severity, Severity::Severe);
        // Regained since: no alert.
        assert!(
            undernutrition(&[
                (date(2026, 10, 25), 60.0),
                (date(2026, 11, 5), 56.0),
                (date(2026, 11, 20), 59.5)
            ])
            .is_none()
        );
        assert!(undernutrition(&[]).is_none());
        assert!(undernutrition(&[(date(2026, 11, 20), 57.0)]).is_none());
    }

    #[test]
    fn a_releve_needs_one_value_and_reports_every_error() {
        let r = RawReleve::default();
        assert!(r.check().unwrap_err().get("poids").is_some());
        let r = RawReleve {
            temperature: "20".into(),
            spo2: "120".into(),
            pouls: "72".into(),
            ..RawReleve::default()
        };
        let e = r.check().unwrap_err();
        assert!(e.get("temperature").is_some() && e.get("spo2").is_some());
        let r = RawReleve {
            pouls: "72".into(),
            tension: "120".into(),
            tension_diastolique: "80".into(),
            ..RawReleve::default()
        };
        assert_eq!(r.check().unwrap().len(), 2);
    }

    proptest! {
        #[test]
        fn a_value_is_accepted_exactly_when_in_range(x in -50.0f64..400.0) {
            for s in KINDS.iter().filter(|s| s.second.is_none()) {
                let typed = number_fr(x, s.decimals);
                let kept: f64 = typed.replace(',', ".").parse().unwrap();
                let r = s.check(&typed, "");
                prop_assert_eq!(r.is_ok(), kept >= s.min && kept <= s.max, "{} {}", s.code, typed);
            }
        }

        #[test]
        fn undernutrition_never_fires_without_a_loss(
            weights in proptest::collection::vec(30.0f64..120.0, 1..12),
        ) {
            // Increasing weights, one per month: never an alert.
            let mut w = weights.clone();
            w.sort_by(|a, b| a.total_cmp(b));
            let series: Vec<(Date, f64)> = w
                .iter()
                .enumerate()
                .map(|(i, kg)| (date(2026, 1, 1).checked_add((i as i32).months()).unwrap(), round(*kg, 1)))
                .collect();
            prop_assert!(undernutrition(&series).is_none());
        }

        #[test]
        fn undernutrition_fires_at_five_percent_within_a_month(
            reference in 30.0f64..150.0, days in 0i32..28, extra in 0.0f64..0.2,
        ) {
            let reference = round(reference, 1);
            let latest = round(reference * (0.95 - extra) - 0.05, 1);
            let end = date(2026, 11, 28);
            let series = [(end.checked_sub(days.days()).unwrap().checked_sub(1.day()).unwrap(), reference), (end, latest)];
            let a = undernutrition(&series);
            prop_assert!(a.is_some());
        }
    }
}
