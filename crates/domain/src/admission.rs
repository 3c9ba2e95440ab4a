//! Admission: requests and the waiting list, séjours (stays) with their modality and dates, the
//! contrat de séjour / DIPC, and occupancy. Dates are civil dates in Europe/Paris.
//!
//! A séjour covers the half-open period `[entry, exit)`: the exit day is not a day of presence, so a
//! change of modality closes one séjour and opens the next on the same day without counting it twice.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::error::{FieldError, FieldErrors};

/// Where a request stands on the waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Recue,
    EnEtude,
    VisitePlanifiee,
    Acceptee,
    EnAttenteDePlace,
    Refusee,
    Annulee,
    /// Turned into a séjour: the request is closed.
    Admise,
}

use RequestStatus as R;

/// Allowed changes, from → to. Refusal and cancellation close a request; an accepted request waits
/// for a place or is admitted. `Admise` is only reached through the admission use case.
const REQUEST_TRANSITIONS: &[(RequestStatus, &[RequestStatus])] = &[
    (
        R::Recue,
        &[
            R::EnEtude,
            R::VisitePlanifiee,
            R::Acceptee,
            R::Refusee,
            R::Annulee,
        ],
    ),
    (
        R::EnEtude,
        &[R::VisitePlanifiee, R::Acceptee, R::Refusee, R::Annulee],
    ),
    (
        R::VisitePlanifiee,
        &[R::EnEtude, R::Acceptee, R::Refusee, R::Annulee],
    ),
    (R::Acceptee, &[R::EnAttenteDePlace, R::Admise, R::Annulee]),
    (R::EnAttenteDePlace, &[R::Admise, R::Annulee]),
    (R::Refusee, &[]),
    (R::Annulee, &[]),
    (R::Admise, &[]),
];

impl RequestStatus {
    pub const ALL: &'static [RequestStatus] = &[
        R::Recue,
        R::EnEtude,
        R::VisitePlanifiee,
        R::Acceptee,
        R::EnAttenteDePlace,
        R::Refusee,
        R::Annulee,
        R::Admise,
    ];

    pub fn code(self) -> &'static str {
        match self {
            R::Recue => "recue",
            R::EnEtude => "en_etude",
            R::VisitePlanifiee => "visite_planifiee",
            R::Acceptee => "acceptee",
            R::EnAttenteDePlace => "en_attente_de_place",
            R::Refusee => "refusee",
            R::Annulee => "annulee",
            R::Admise => "admise",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            R::Recue => "Reçue",
            R::EnEtude => "En étude",
            R::VisitePlanifiee => "Visite / entretien planifié",
            R::Acceptee => "Acceptée",
            R::EnAttenteDePlace => "En attente de place",
            R::Refusee => "Refusée",
            R::Annulee => "Annulée",
            R::Admise => "Admise",
        }
    }

    pub fn parse(s: &str) -> Result<RequestStatus, FieldError> {
        RequestStatus::ALL
            .iter()
            .copied()
            .find(|x| x.code() == s.trim())
            .ok_or_else(|| FieldError::new("status", "Statut de demande inconnu."))
    }

    /// Still on the waiting list (not refused, cancelled or admitted).
    pub fn is_open(self) -> bool {
        !matches!(self, R::Refusee | R::Annulee | R::Admise)
    }

    pub fn next(self) -> &'static [RequestStatus] {
        REQUEST_TRANSITIONS
            .iter()
            .find(|(from, _)| *from == self)
            .map(|(_, to)| *to)
            .unwrap_or(&[])
    }

    /// Checks a change asked by a professional; a refusal needs its reason.
    pub fn check_change(self, to: RequestStatus, reason: Option<&str>) -> Result<(), FieldError> {
        if to == R::Admise {
            return Err(FieldError::new(
                "status",
                "L'admission se fait depuis la demande acceptée (bouton « Admettre »).",
            ));
        }
        if !self.next().contains(&to) {
            return Err(FieldError::new(
                "status",
                format!(
                    "Une demande « {} » ne peut pas passer à « {} ».",
                    self.label_fr(),
                    to.label_fr()
                ),
            ));
        }
        if to == R::Refusee && reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(FieldError::new("reason", "Indiquez le motif du refus."));
        }
        Ok(())
    }

    /// An admission turns an accepted (or waiting) request into a séjour.
    pub fn admissible(self) -> bool {
        matches!(self, R::Acceptee | R::EnAttenteDePlace)
    }
}

/// Priority on the waiting list (1 is the most urgent).
pub fn parse_priority(s: &str) -> Result<i64, FieldError> {
    match s.trim() {
        "" => Ok(3),
        t => match t.parse::<i64>() {
            Ok(p @ 1..=3) => Ok(p),
            _ => Err(FieldError::new(
                "priority",
                "La priorité va de 1 (urgente) à 3 (normale).",
            )),
        },
    }
}

pub fn priority_label(p: i64) -> &'static str {
    match p {
        1 => "Urgente",
        2 => "Haute",
        _ => "Normale",
    }
}

/// Where a séjour stands; derived from its dates when they are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SejourStatus {
    Prevu,
    EnCours,
    Termine,
    Annule,
}

impl SejourStatus {
    pub fn code(self) -> &'static str {
        match self {
            SejourStatus::Prevu => "prevu",
            SejourStatus::EnCours => "en_cours",
            SejourStatus::Termine => "termine",
            SejourStatus::Annule => "annule",
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            SejourStatus::Prevu => "Prévu",
            SejourStatus::EnCours => "En cours",
            SejourStatus::Termine => "Terminé",
            SejourStatus::Annule => "Annulé",
        }
    }
    pub fn parse(s: &str) -> Option<SejourStatus> {
        [
            SejourStatus::Prevu,
            SejourStatus::EnCours,
            SejourStatus::Termine,
            SejourStatus::Annule,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
    /// A planned or current séjour gives its unit's professionals access to the person.
    pub fn gives_access(self) -> bool {
        matches!(self, SejourStatus::Prevu | SejourStatus::EnCours)
    }
}

/// The dates of a séjour as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SejourDates {
    pub planned_entry: Date,
    pub entry: Option<Date>,
    pub planned_exit: Option<Date>,
    pub exit: Option<Date>,
}

impl SejourDates {
    /// Checks coherence: no exit before entry, no exit without entry, no actual entry in the future.
    pub fn check(&self, today: Date) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let start = self.start();
        if let Some(p) = self.planned_exit
            && p < start
        {
            e.push(
                "planned_exit",
                "La sortie prévue ne peut pas précéder l'entrée.",
            );
        }
        if let Some(x) = self.exit {
            match self.entry {
                None => e.push(
                    "exit_date",
                    "Une sortie ne peut être enregistrée qu'après l'entrée effective.",
                ),
                Some(en) if x < en => e.push(
                    "exit_date",
                    "La date de sortie ne peut pas précéder la date d'entrée.",
                ),
                _ => {}
            }
            if x > today {
                e.push("exit_date", "La sortie effective ne peut pas être dans le futur : utilisez la sortie prévue.");
            }
        }
        if let Some(en) = self.entry
            && en > today
        {
            e.push(
                "entry_date",
                "L'entrée effective ne peut pas être dans le futur : utilisez l'entrée prévue.",
            );
        }
        e.into_result(())
    }

    /// First day: the actual entry when known, else the planned one.
    pub fn start(&self) -> Date {
        self.entry.unwrap_or(self.planned_entry)
    }

    /// First day after the séjour (exclusive), if it is bounded.
    pub fn end(&self) -> Option<Date> {
        self.exit.or(self.planned_exit)
    }

    pub fn status(&self) -> SejourStatus {
        match (self.entry, self.exit) {
            (_, Some(_)) => SejourStatus::Termine,
            (Some(_), None) => SejourStatus::EnCours,
            (None, None) => SejourStatus::Prevu,
        }
    }

    /// Whether the person is present on day `d` (actual dates only for the past, planned ones ahead).
    pub fn covers(&self, d: Date) -> bool {
        self.start() <= d && self.end().is_none_or(|e| d < e)
    }

    pub fn overlaps(&self, other: &SejourDates) -> bool {
        let a_before_b_ends = other.end().is_none_or(|e| self.start() < e);
        let b_before_a_ends = self.end().is_none_or(|e| other.start() < e);
        a_before_b_ends && b_before_a_ends
    }

    /// The end as known on `today`: a person who has entered stays until an exit is recorded, even
    /// past the planned exit (an overstay still occupies a place); before the planned exit, the plan
    /// holds for the days ahead.
    pub fn end_as_of(&self, today: Date) -> Option<Date> {
        match (self.entry, self.exit, self.planned_exit) {
            (_, Some(x), _) => Some(x),
            (Some(_), None, Some(p)) if p <= today => None,
            _ => self.end(),
        }
    }

    /// Whether the person occupies a place on day `d`, as known on `today`.
    pub fn covers_as_of(&self, d: Date, today: Date) -> bool {
        self.start() <= d && self.end_as_of(today).is_none_or(|e| d < e)
    }

    /// Days of `[from, to]` (inclusive) the séjour covers, as known on `today`.
    pub fn days_between_as_of(&self, from: Date, to: Date, today: Date) -> i64 {
        SejourDates {
            planned_exit: self.end_as_of(today),
            exit: None,
            ..*self
        }
        .days_between(from, to)
    }

    /// Days of `[from, to]` (inclusive) the séjour covers.
    pub fn days_between(&self, from: Date, to: Date) -> i64 {
        let lo = self.start().max(from);
        let hi_excl = match self.end() {
            Some(e) => e.min(next_day(to)),
            None => next_day(to),
        };
        if hi_excl <= lo {
            0
        } else {
            (hi_excl - lo).get_days() as i64
        }
    }
}

fn next_day(d: Date) -> Date {
    d.checked_add(1.day()).unwrap_or(d)
}

/// Alert rule for the contrat de séjour / DIPC: it must be signed within a month of entry
/// (CASF L.311-4 gives fifteen days to hand it over and a month to sign it).
pub fn contract_overdue(entry: Option<Date>, signed: bool, today: Date) -> bool {
    match entry {
        Some(en) if !signed => en.checked_add(1.month()).is_ok_and(|limit| today > limit),
        _ => false,
    }
}

/// Contract kinds.
pub const CONTRACT_KINDS: &[(&str, &str)] = &[
    ("contrat_sejour", "Contrat de séjour"),
    ("dipc", "Document individuel de prise en charge (DIPC)"),
    ("avenant", "Avenant"),
];

pub fn parse_contract_kind(s: &str) -> Result<String, FieldError> {
    CONTRACT_KINDS
        .iter()
        .find(|(c, _)| *c == s.trim())
        .map(|(c, _)| c.to_string())
        .ok_or_else(|| FieldError::new("kind", "Type de contrat inconnu."))
}

pub fn contract_kind_label(code: &str) -> &str {
    CONTRACT_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// Places occupied on a day by séjours, against a capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occupancy {
    pub occupied: i64,
    pub capacity: Option<i64>,
}

impl Occupancy {
    pub fn exceeded_by_one_more(&self) -> bool {
        self.capacity.is_some_and(|c| self.occupied + 1 > c)
    }
    /// Occupancy rate in percent, when the capacity is known and not zero.
    pub fn rate(&self) -> Option<i64> {
        self.capacity
            .filter(|c| *c > 0)
            .map(|c| (self.occupied * 100 + c / 2) / c)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn s(pe: Date, en: Option<Date>, px: Option<Date>, x: Option<Date>) -> SejourDates {
        SejourDates {
            planned_entry: pe,
            entry: en,
            planned_exit: px,
            exit: x,
        }
    }

    #[test]
    fn request_transitions() {
        assert!(R::Recue.check_change(R::EnEtude, None).is_ok());
        assert!(R::Recue.check_change(R::Refusee, None).is_err());
        assert!(
            R::Recue
                .check_change(R::Refusee, Some("Hors agrément"))
                .is_ok()
        );
        assert!(R::Refusee.check_change(R::Acceptee, None).is_err());
        assert!(R::Acceptee.check_change(R::Admise, None).is_err());
        assert!(R::Acceptee.admissible() && R::EnAttenteDePlace.admissible());
        assert!(!R::EnEtude.admissible());
        for st in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(st.code()).unwrap(), *st);
            if !st.is_open() {
                assert!(st.next().is_empty(), "{st:?} is closed");
            }
        }
    }

    #[test]
    fn exit_before_entry_is_refused() {
        let today = date(2026, 11, 22);
        let bad = s(
            date(2026, 1, 10),
            Some(date(2026, 1, 10)),
            None,
            Some(date(2026, 1, 9)),
        );
        assert_eq!(
            bad.check(today).unwrap_err().get("exit_date").unwrap(),
            "La date de sortie ne peut pas précéder la date d'entrée."
        );
        assert!(
            s(date(2026, 1, 10), None, Some(date(2026, 1, 1)), None)
                .check(today)
                .is_err()
        );
        assert!(
            s(date(2026, 1, 10), None, None, Some(date(2026, 2, 1)))
                .check(today)
                .is_err()
        );
        assert!(
            s(date(2026, 1, 10), Some(date(2027, 1, 1)), None, None)
                .check(today)
                .is_err()
        );
        assert!(
            s(
                date(2026, 1, 10),
                Some(date(2026, 1, 12)),
                None,
                Some(date(2026, 3, 1))
            )
            .check(today)
            .is_ok()
        );
    }

    #[test]
    fn half_open_periods() {
        let a = s(
            date(2026, 1, 1),
            Some(date(2026, 1, 1)),
            None,
            Some(date(2026, 3, 1)),
        );
        let b = s(date(2026, 3, 1), None, None, None);
        assert!(
            !a.overlaps(&b),
            "a change of modality on the exit day is not an overlap"
        );
        let c = s(date(2026, 2, 28), None, None, None);
        assert!(a.overlaps(&c) && c.overlaps(&a));
        assert_eq!(a.days_between(date(2026, 1, 1), date(2026, 12, 31)), 59);
        assert_eq!(a.days_between(date(2026, 2, 1), date(2026, 2, 28)), 28);
        assert_eq!(b.days_between(date(2026, 3, 1), date(2026, 3, 31)), 31);
        assert_eq!(a.status(), SejourStatus::Termine);
        assert_eq!(b.status(), SejourStatus::Prevu);
        assert!(a.covers(date(2026, 2, 28)) && !a.covers(date(2026, 3, 1)));
        // A resident who stays past the planned exit still occupies the place until the exit is
        // recorded.
        let stay = s(
            date(2026, 1, 1),
            Some(date(2026, 1, 1)),
            Some(date(2026, 2, 1)),
            None,
        );
        let today = date(2026, 3, 10);
        assert!(!stay.covers(date(2026, 3, 1)));
        assert!(stay.covers_as_of(date(2026, 3, 1), today));
        assert_eq!(
            stay.days_between_as_of(date(2026, 3, 1), date(2026, 3, 10), today),
            10
        );
        // Before the planned exit, the plan holds for the days ahead.
        assert!(!stay.covers_as_of(date(2026, 2, 2), date(2026, 1, 15)));
    }

    #[test]
    fn contract_alert_after_one_month() {
        let entry = Some(date(2026, 1, 15));
        assert!(!contract_overdue(entry, false, date(2026, 2, 15)));
        assert!(contract_overdue(entry, false, date(2026, 2, 16)));
        assert!(!contract_overdue(entry, true, date(2026, 6, 1)));
        assert!(!contract_overdue(None, false, date(2026, 6, 1)));
    }

    #[test]
    fn occupancy() {
        let o = Occupancy {
            occupied: 186,
            capacity: Some(186),
        };
        assert!(o.exceeded_by_one_more());
        assert_eq!(o.rate(), Some(100));
        assert!(
            !Occupancy {
                occupied: 3,
                capacity: None
            }
            .exceeded_by_one_more()
        );
    }

    proptest! {
        #[test]
        fn overlap_is_symmetric_and_days_add_up(a in 0i32..400, la in 1i32..200, b in 0i32..400, lb in 1i32..200) {
            let d0 = date(2025, 1, 1);
            let mk = |st: i32, len: i32| s(d0.checked_add(st.days()).unwrap(), None, Some(d0.checked_add((st + len).days()).unwrap()), None);
            let (x, y) = (mk(a, la), mk(b, lb));
            prop_assert_eq!(x.overlaps(&y), y.overlaps(&x));
            let year = (d0, date(2026, 12, 31));
            prop_assert_eq!(x.days_between(year.0, year.1), la as i64);
            let common = (0..800).filter(|i| { let d = d0.checked_add(i.days()).unwrap(); x.covers(d) && y.covers(d) }).count();
            prop_assert_eq!(x.overlaps(&y), common > 0);
        }
    }
}
