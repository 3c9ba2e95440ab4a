//! Orientation decisions of the CDAPH (notified by the MDPH): which kind of establishment or service
//! the person is oriented to, for how long. TDDUI models them as Decision + DroitPrestation.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::error::{FieldError, FieldErrors};

/// Decision types: TDDUI DroitPrestation.nature (1 nouveau, 2 renouvellement, 3 révision) plus the
/// closing decision (Decision.typeDecision 5, "Clôture de droit").
pub const DECISION_TYPES: &[(&str, &str)] = &[
    ("orientation", "Orientation (première demande)"),
    ("renouvellement", "Renouvellement"),
    ("revision", "Révision"),
    ("cloture", "Clôture de droit"),
];

pub fn parse_decision_type(s: &str) -> Result<String, FieldError> {
    DECISION_TYPES
        .iter()
        .find(|(c, _)| *c == s.trim())
        .map(|(c, _)| c.to_string())
        .ok_or_else(|| FieldError::new("decision_type", "Type de décision inconnu."))
}

pub fn decision_type_label(code: &str) -> &str {
    DECISION_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// Categories (FINESS TRE_R66) whose admission requires a CDAPH orientation (CASF L.241-6: the CDAPH
/// designates the establishments and services for disabled children and adults). CMPP (189), CAMSP
/// (190) and BAPU (221) are of direct access; services for the elderly do not depend on the CDAPH.
pub const ORIENTATION_REQUIRED: &[&str] = &[
    "182", "183", "186", "188", "192", "194", "195", "196", "238", "246", "255", "390", "395",
    "396", "445", "446", "448", "449", "437", "382",
];

pub fn requires_orientation(category_code: &str) -> bool {
    ORIENTATION_REQUIRED.contains(&category_code)
}

/// Decisions ending within this many months are shown for renewal (a renewal takes months at the MDPH).
pub const RENEWAL_NOTICE_MONTHS: i8 = 6;

/// The validity of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Validity {
    pub start: Date,
    pub end: Option<Date>,
}

impl Validity {
    pub fn check(start: Date, end: Option<Date>) -> Result<Validity, FieldErrors> {
        let mut e = FieldErrors::default();
        if let Some(x) = end
            && x < start
        {
            e.push(
                "end_date",
                "La fin de validité ne peut pas précéder son début.",
            );
        }
        e.into_result(Validity { start, end })
    }

    pub fn valid_on(&self, d: Date) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }

    /// Still valid today but ending within six months.
    pub fn ending_soon(&self, today: Date) -> bool {
        match self.end {
            Some(e) => {
                e >= today
                    && today
                        .checked_add(RENEWAL_NOTICE_MONTHS.months())
                        .is_ok_and(|limit| e <= limit)
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use jiff::civil::date;

    #[test]
    fn validity_rules() {
        assert_eq!(
            Validity::check(date(2026, 5, 1), Some(date(2026, 4, 30)))
                .unwrap_err()
                .get("end_date"),
            Some("La fin de validité ne peut pas précéder son début.")
        );
        let v = Validity::check(date(2024, 1, 1), Some(date(2027, 3, 31))).unwrap();
        let today = date(2026, 11, 22);
        assert!(v.valid_on(today) && v.ending_soon(today));
        assert!(!v.ending_soon(date(2026, 9, 30)));
        assert!(v.valid_on(date(2027, 3, 31)) && !v.valid_on(date(2027, 4, 1)));
        assert!(
            !Validity::check(date(2024, 1, 1), None)
                .unwrap()
                .ending_soon(today)
        );
        assert!(
            requires_orientation("186")
                && !requires_orientation("500")
                && !requires_orientation("189")
        );
        assert!(parse_decision_type("cloture").is_ok() && parse_decision_type("x").is_err());
    }
}
