//! The person's timeline (chronologie): what happened to a person, from every area of the record,
//! in one list newest first. This module holds the pure part: the kinds of entries (one per
//! source), the total order of entries across sources, the page cursor and the filter.
//!
//! **Order.** An entry's [`Key`] is `(at, kind, id, seq)`: its instant (unix microseconds), then
//! the kind's rank, then an id and a sequence number, so two entries never compare equal even at
//! the same microsecond, and a page boundary between equal instants loses or repeats nothing.
//! Entries dated by a civil day (a séjour's entry, an evaluation, a bilan) stand at the start of
//! that day in Europe/Paris: newest first, the day's own notes come above them.
//!
//! **Pages.** The cursor is the key of the last entry shown; the next page is every entry strictly
//! below it. Each source turns the cursor into its own keyset bound with [`Key::bound_instant`] or
//! [`Key::bound_day`], so it reads at most one page from its index.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::authz::Action;
use crate::error::{FieldError, FieldErrors};
use crate::input;

/// How many entries a page shows.
pub const PAGE_SIZE: usize = 30;

/// The sources of the timeline. The order of the variants is the tie-break between entries of the
/// same instant (fixed: it is part of the cursor's meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Transmissions ciblées (the medical ones under the medical secret).
    Transmission,
    /// Vital signs and measures (constantes).
    Mesure,
    /// Care of the plan de soins recorded as done or not done.
    Soin,
    /// Needs (SERAFIN-PH) and AGGIR evaluations.
    Evaluation,
    /// The projet personnalisé: creation, avenants, status changes, accords, bilans.
    Projet,
    /// Séjours: admission, change of modality, exit.
    Sejour,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Transmission,
        Kind::Mesure,
        Kind::Soin,
        Kind::Evaluation,
        Kind::Projet,
        Kind::Sejour,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Transmission => "transmission",
            Kind::Mesure => "mesure",
            Kind::Soin => "soin",
            Kind::Evaluation => "evaluation",
            Kind::Projet => "projet",
            Kind::Sejour => "sejour",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Kind::Transmission => "Transmissions",
            Kind::Mesure => "Mesures et constantes",
            Kind::Soin => "Plan de soins",
            Kind::Evaluation => "Évaluations",
            Kind::Projet => "Projet personnalisé",
            Kind::Sejour => "Séjours",
        }
    }

    pub fn parse(s: &str) -> Result<Kind, FieldError> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| FieldError::new("type", "Choisissez des types dans la liste."))
    }

    /// The permission the source's own page asks: the timeline never shows more. (Medical
    /// transmissions also need `ReadMedical`, checked by the transmission source.)
    pub fn read_action(self) -> Action {
        match self {
            Kind::Transmission | Kind::Mesure | Kind::Soin => Action::ReadCareRecord,
            Kind::Evaluation | Kind::Projet | Kind::Sejour => Action::ReadUsager,
        }
    }
}

/// The start of a civil day in Europe/Paris, in unix microseconds (where day-dated entries stand).
pub fn day_start(d: Date) -> i64 {
    let zoned = d
        .at(0, 0, 0, 0)
        .in_tz("Europe/Paris")
        .or_else(|_| d.at(0, 0, 0, 0).to_zoned(jiff::tz::TimeZone::UTC));
    match zoned {
        Ok(z) => z.timestamp().as_microsecond(),
        // Only for dates outside jiff's range, which no form accepts.
        Err(_) => 0,
    }
}

/// The position of an entry in the timeline (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub at: i64,
    pub kind: Kind,
    pub id: Uuid,
    pub seq: i64,
}

impl Key {
    pub fn new(at: i64, kind: Kind, id: Uuid, seq: i64) -> Key {
        Key { at, kind, id, seq }
    }

    /// The cursor text: `at_kind_id_seq`.
    pub fn encode(&self) -> String {
        format!("{}_{}_{}_{}", self.at, self.kind.code(), self.id, self.seq)
    }

    pub fn parse(s: &str) -> Result<Key, FieldError> {
        let bad = || FieldError::new("apres", "Ce curseur de page n'est pas valide.");
        let mut parts = s.trim().split('_');
        let (Some(at), Some(kind), Some(id), Some(seq), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad());
        };
        Ok(Key {
            at: at.parse().map_err(|_| bad())?,
            kind: Kind::parse(kind).map_err(|_| bad())?,
            id: id.parse().map_err(|_| bad())?,
            seq: seq.parse().map_err(|_| bad())?,
        })
    }

    /// The id bound for entries of `kind` at exactly this key's instant, for a source whose
    /// entries all have `seq = 0`: every id (`max`), none (`nil`) or those below this key's id.
    fn id_bound(&self, kind: Kind) -> Uuid {
        match kind.cmp(&self.kind) {
            std::cmp::Ordering::Less => Uuid::max(),
            std::cmp::Ordering::Equal => self.id,
            std::cmp::Ordering::Greater => Uuid::nil(),
        }
    }

    /// The keyset bound `(at, id)` of a source of `kind` dated by instants: its entries below the
    /// cursor are exactly those with `at < bound.0 or (at = bound.0 and id < bound.1)`.
    pub fn bound_instant(cursor: Option<&Key>, kind: Kind) -> (i64, Uuid) {
        match cursor {
            None => (i64::MAX, Uuid::max()),
            Some(c) => (c.at, c.id_bound(kind)),
        }
    }

    /// The keyset bound `(day, id)` of a source of `kind` dated by civil days (standing at
    /// [`day_start`]): its entries below the cursor are exactly those with
    /// `day < bound.0 or (day = bound.0 and id < bound.1)`.
    pub fn bound_day(cursor: Option<&Key>, kind: Kind) -> (Date, Uuid) {
        match cursor {
            None => (Date::MAX, Uuid::max()),
            Some(c) => {
                let day = crate::clock::today_in_paris(
                    jiff::Timestamp::from_microsecond(c.at).unwrap_or(jiff::Timestamp::MIN),
                );
                if day_start(day) == c.at {
                    (day, c.id_bound(kind))
                } else {
                    // The cursor is later in that day: the whole day is below it.
                    (day, Uuid::max())
                }
            }
        }
    }
}

/// The filter as typed in the form or the query string.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RawFilter {
    /// Kinds to show (`transmission`, `mesure`…); none means all.
    #[serde(default, rename = "type")]
    pub kinds: Vec<String>,
    /// From this day (`AAAA-MM-JJ`), included.
    #[serde(default)]
    pub du: String,
    /// To this day, included.
    #[serde(default)]
    pub au: String,
    /// Only what this professional wrote (their id).
    #[serde(default)]
    pub auteur: String,
}

/// A checked filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Empty: every kind.
    pub kinds: Vec<Kind>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub author: Option<Uuid>,
}

impl RawFilter {
    pub fn parse(&self) -> Result<Filter, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut kinds = Vec::new();
        for k in self.kinds.iter().filter(|k| !k.trim().is_empty()) {
            if let Some(k) = e.take(Kind::parse(k))
                && !kinds.contains(&k)
            {
                kinds.push(k);
            }
        }
        kinds.sort();
        let from = e.take(input::opt_date("du", &self.du)).flatten();
        let to = e.take(input::opt_date("au", &self.au)).flatten();
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            e.push("au", "La fin de la période doit suivre son début.");
        }
        let author = match self.auteur.trim() {
            "" => None,
            a => e.take(
                a.parse::<Uuid>()
                    .map_err(|_| FieldError::new("auteur", "Choisissez un auteur dans la liste.")),
            ),
        };
        e.into_result(Filter {
            kinds,
            from,
            to,
            author,
        })
    }
}

impl Filter {
    pub fn wants(&self, kind: Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// The period as instants `[from, to)`.
    pub fn instants(&self) -> (i64, i64) {
        (
            self.from.map(day_start).unwrap_or(i64::MIN),
            self.to
                .and_then(|t| t.checked_add(1.day()).ok())
                .map(day_start)
                .unwrap_or(i64::MAX),
        )
    }

    /// The period as civil days, both included.
    pub fn days(&self) -> (Date, Date) {
        (self.from.unwrap_or(Date::MIN), self.to.unwrap_or(Date::MAX))
    }

    /// Whether an entry (already below the cursor) passes the period and author filter; for
    /// sources filtered in Rust rather than in SQL.
    pub fn keeps(&self, at: i64, author: Option<Uuid>) -> bool {
        let (from, to) = self.instants();
        at >= from && at < to && self.author.is_none_or(|a| author == Some(a))
    }

    /// The query string of this filter (to keep it on the "older" link); values are codes,
    /// ISO dates and ids, which need no escaping.
    pub fn query(&self) -> String {
        let mut parts: Vec<String> = self
            .kinds
            .iter()
            .map(|k| format!("type={}", k.code()))
            .collect();
        if let Some(f) = self.from {
            parts.push(format!("du={f}"));
        }
        if let Some(t) = self.to {
            parts.push(format!("au={t}"));
        }
        if let Some(a) = self.author {
            parts.push(format!("auteur={a}"));
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn u(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn a_cursor_round_trips_and_refuses_garbage() {
        let k = Key::new(1_700_000_000_000_000, Kind::Projet, u(7), 3);
        assert_eq!(Key::parse(&k.encode()).unwrap(), k);
        for bad in [
            "",
            "12",
            "x_projet_00000000-0000-0000-0000-000000000007_0",
            "1_piscine_a_0",
            "1_projet_a_0",
        ] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn entries_of_the_same_instant_are_ordered_by_kind_then_id() {
        let a = Key::new(5, Kind::Transmission, u(9), 0);
        let b = Key::new(5, Kind::Mesure, u(1), 0);
        let c = Key::new(5, Kind::Mesure, u(2), 0);
        assert!(a < b && b < c);
        // Below c: b and a; the bounds say so for each source.
        assert_eq!(Key::bound_instant(Some(&c), Kind::Mesure), (5, u(2)));
        assert_eq!(
            Key::bound_instant(Some(&c), Kind::Transmission),
            (5, Uuid::max())
        );
        assert_eq!(Key::bound_instant(Some(&b), Kind::Soin), (5, Uuid::nil()));
    }

    #[test]
    fn day_bounds_follow_the_start_of_the_day_in_paris() {
        let d: Date = "2026-03-10".parse().unwrap();
        let start = day_start(d);
        // 2026-03-10 00:00 in Paris is 23:00 UTC the day before.
        assert_eq!(
            jiff::Timestamp::from_microsecond(start)
                .unwrap()
                .to_string(),
            "2026-03-09T23:00:00Z"
        );
        let at_start = Key::new(start, Kind::Evaluation, u(4), 0);
        assert_eq!(Key::bound_day(Some(&at_start), Kind::Evaluation), (d, u(4)));
        assert_eq!(
            Key::bound_day(Some(&at_start), Kind::Sejour),
            (d, Uuid::nil())
        );
        let later = Key::new(start + 3_600_000_000, Kind::Transmission, u(1), 0);
        assert_eq!(Key::bound_day(Some(&later), Kind::Sejour), (d, Uuid::max()));
    }

    #[test]
    fn the_filter_checks_kinds_dates_and_author() {
        let raw = RawFilter {
            kinds: vec!["mesure".into(), "transmission".into(), "mesure".into()],
            du: "2026-03-01".into(),
            au: "2026-03-31".into(),
            auteur: String::new(),
        };
        let f = raw.parse().unwrap();
        assert_eq!(f.kinds, vec![Kind::Transmission, Kind::Mesure]);
        assert!(f.wants(Kind::Mesure) && !f.wants(Kind::Projet));
        assert_eq!(
            f.query(),
            "type=transmission&type=mesure&du=2026-03-01&au=2026-03-31"
        );
        let bad = RawFilter {
            kinds: vec!["piscine".into()],
            du: "2026-04-01".into(),
            au: "2026-03-01".into(),
            auteur: "quelqu'un".into(),
        }
        .parse()
        .unwrap_err();
        for field in ["type", "au", "auteur"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
        assert!(RawFilter::default().parse().unwrap().wants(Kind::Sejour));
    }
}
