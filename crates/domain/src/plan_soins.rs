//! The plan de soins: recurring care tasks of a person (what, when, who may do it), their
//! occurrences on a day, and which occurrences are missed.
//!
//! Times are civil times in Europe/Paris (`08:00` means eight in the morning on the unit's clock,
//! summer or winter). An occurrence's instant is that civil time on that day in Paris: on the day
//! clocks go forward a time inside the gap (02:30) is due at the first instant after it (03:30);
//! on the day they go back a time that happens twice (02:30) is due at the first of the two.

use jiff::civil::{Date, Time, Weekday};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrors};
use crate::input;
use crate::professional::Role;

/// An occurrence without a record is missed this long after its time.
pub const MISSED_AFTER: SignedDuration = SignedDuration::from_hours(1);

/// The longest interval of an "every N days" rule.
pub const MAX_INTERVAL: u16 = 365;

/// The most times of day a task may have.
pub const MAX_TIMES: usize = 12;

/// Days of the week as forms send them, Monday first, with their French abbreviation.
pub const WEEKDAYS: &[(&str, Weekday, &str)] = &[
    ("lun", Weekday::Monday, "lundi"),
    ("mar", Weekday::Tuesday, "mardi"),
    ("mer", Weekday::Wednesday, "mercredi"),
    ("jeu", Weekday::Thursday, "jeudi"),
    ("ven", Weekday::Friday, "vendredi"),
    ("sam", Weekday::Saturday, "samedi"),
    ("dim", Weekday::Sunday, "dimanche"),
];

/// When a task comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// On these days of the week (Monday first, no repeat).
    Weekdays(Vec<Weekday>),
    /// Every N days counted from the first day of the task (1 = every day).
    EveryNDays(u16),
}

/// The rule of a task: when, at which civil times, from and until which days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub recurrence: Recurrence,
    /// Civil times in Europe/Paris, sorted, no repeat.
    pub times: Vec<Time>,
    pub from: Date,
    /// Last day (inclusive).
    pub until: Option<Date>,
}

/// A task as typed in a form or sent to the API (every field a string, as typed).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTache {
    /// What to do ("Aide à la toilette", "Pansement talon droit").
    pub label: String,
    #[serde(default)]
    pub details: String,
    /// Days of the week: `lun`, `mar`, `mer`, `jeu`, `ven`, `sam`, `dim` (when `intervalle` is empty).
    #[serde(default)]
    pub jours: Vec<String>,
    /// Every N days from `du` (instead of days of the week).
    #[serde(default)]
    pub intervalle: String,
    /// Times of day, `HH:MM` separated by commas or spaces ("08:00, 20:00").
    pub heures: String,
    /// First day, `YYYY-MM-DD`.
    pub du: String,
    /// Last day, `YYYY-MM-DD` (optional).
    #[serde(default)]
    pub au: String,
    /// Roles who may do it: `infirmier`, `aide_soignant`, `medecin`, `educateur`…
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A valid task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tache {
    pub label: String,
    pub details: Option<String>,
    pub rule: Rule,
    pub roles: Vec<Role>,
}

/// The roles that may be named as doing a care task: those that write the care record.
pub fn doer_roles() -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| crate::authz::role_allows(*r, crate::authz::Action::WriteCareRecord))
        .collect()
}

/// `HH:MM` (or `H:MM`, `HHhMM`, `HHh`) as a civil time.
pub fn parse_time(s: &str) -> Option<Time> {
    let s = s.trim().to_lowercase().replace('h', ":");
    let (h, m) = s.split_once(':')?;
    let m = if m.is_empty() { "00" } else { m };
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    Time::new(h, m, 0, 0).ok()
}

/// `08:00`.
pub fn time_code(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn weekday_code(d: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(_, w, _)| *w == d)
        .map(|(c, _, _)| *c)
        .unwrap_or("lun")
}

impl RawTache {
    /// Checks every field; the messages are in French, next to their field.
    pub fn check(&self) -> Result<Tache, FieldErrors> {
        let mut e = FieldErrors::default();
        let label = e.take(input::text("label", &self.label, 200));
        let details = e
            .take(input::opt_text("details", &self.details, input::LONG_TEXT))
            .flatten();
        let recurrence = e.take(self.recurrence());
        let times = e.take(parse_times(&self.heures));
        let from = e.take(input::date("du", &self.du));
        let until = e.take(input::opt_date("au", &self.au)).flatten();
        if let (Some(f), Some(u)) = (from, until)
            && u < f
        {
            e.push("au", "La date de fin est avant la date de début.");
        }
        let roles = e.take(parse_roles(&self.roles));
        match (label, recurrence, times, from, roles) {
            (Some(label), Some(recurrence), Some(times), Some(from), Some(roles))
                if e.is_empty() =>
            {
                Ok(Tache {
                    label,
                    details,
                    rule: Rule {
                        recurrence,
                        times,
                        from,
                        until,
                    },
                    roles,
                })
            }
            _ => Err(e),
        }
    }

    fn recurrence(&self) -> Result<Recurrence, FieldError> {
        let interval = self.intervalle.trim();
        let days: Vec<&str> = self
            .jours
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
            .collect();
        if !interval.is_empty() {
            if !days.is_empty() {
                return Err(FieldError::new(
                    "intervalle",
                    "Choisissez soit des jours de la semaine, soit un intervalle en jours, pas les deux.",
                ));
            }
            return match interval.parse::<u16>() {
                Ok(n) if (1..=MAX_INTERVAL).contains(&n) => Ok(Recurrence::EveryNDays(n)),
                _ => Err(FieldError::new(
                    "intervalle",
                    format!("L'intervalle est un nombre de jours entre 1 et {MAX_INTERVAL}."),
                )),
            };
        }
        if days.is_empty() {
            return Err(FieldError::new(
                "jours",
                "Choisissez au moins un jour de la semaine, ou un intervalle en jours.",
            ));
        }
        let mut out = Vec::new();
        for d in days {
            match WEEKDAYS.iter().find(|(c, _, _)| *c == d) {
                Some((_, w, _)) if !out.contains(w) => out.push(*w),
                Some(_) => {}
                None => return Err(FieldError::new("jours", "Jour de la semaine inconnu.")),
            }
        }
        out.sort_by_key(|w| w.to_monday_zero_offset());
        Ok(Recurrence::Weekdays(out))
    }
}

/// "08:00, 20:00" as sorted civil times.
pub fn parse_times(s: &str) -> Result<Vec<Time>, FieldError> {
    let mut out = Vec::new();
    for part in s
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let t = parse_time(part).ok_or_else(|| {
            FieldError::new(
                "heures",
                format!("« {part} » n'est pas une heure valide (HH:MM, par exemple 08:00)."),
            )
        })?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        return Err(FieldError::new(
            "heures",
            "Indiquez au moins une heure (HH:MM, par exemple 08:00).",
        ));
    }
    if out.len() > MAX_TIMES {
        return Err(FieldError::new(
            "heures",
            format!("Au plus {MAX_TIMES} heures par tâche."),
        ));
    }
    out.sort();
    Ok(out)
}

fn parse_roles(codes: &[String]) -> Result<Vec<Role>, FieldError> {
    let allowed = doer_roles();
    let mut out = Vec::new();
    for c in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let role = Role::parse(c).map_err(|_| FieldError::new("roles", "Rôle inconnu."))?;
        if !allowed.contains(&role) {
            return Err(FieldError::new(
                "roles",
                format!(
                    "Le rôle « {} » ne peut pas réaliser de soins.",
                    role.label_fr()
                ),
            ));
        }
        if !out.contains(&role) {
            out.push(role);
        }
    }
    if out.is_empty() {
        return Err(FieldError::new(
            "roles",
            "Choisissez au moins un rôle qui peut réaliser la tâche.",
        ));
    }
    Ok(out)
}

impl Rule {
    /// Whether the task comes back on this day.
    pub fn occurs_on(&self, d: Date) -> bool {
        if d < self.from || self.until.is_some_and(|u| d > u) {
            return false;
        }
        match &self.recurrence {
            Recurrence::Weekdays(days) => days.contains(&d.weekday()),
            Recurrence::EveryNDays(n) => {
                let days = (d - self.from).get_days();
                *n > 0 && days % i32::from(*n) == 0
            }
        }
    }

    /// The civil times at which the task is due on this day (none when it does not occur).
    pub fn occurrences_on(&self, d: Date) -> Vec<Time> {
        if self.occurs_on(d) {
            self.times.clone()
        } else {
            Vec::new()
        }
    }

    /// "lundi, mercredi à 08:00, 20:00", "tous les 3 jours à 09:00", "tous les jours à 08:00".
    pub fn describe_fr(&self) -> String {
        let when = match &self.recurrence {
            Recurrence::EveryNDays(1) => "tous les jours".to_string(),
            Recurrence::EveryNDays(n) => format!("tous les {n} jours"),
            Recurrence::Weekdays(days) if days.len() == 7 => "tous les jours".to_string(),
            Recurrence::Weekdays(days) => days
                .iter()
                .filter_map(|w| WEEKDAYS.iter().find(|(_, x, _)| x == w))
                .map(|(_, _, l)| *l)
                .collect::<Vec<_>>()
                .join(", "),
        };
        let times: Vec<String> = self.times.iter().map(|t| time_code(*t)).collect();
        format!("{when} à {}", times.join(", "))
    }

    /// The stored forms: days (`lun,mer`) or interval, and times (`08:00,20:00`).
    pub fn stored(&self) -> (Option<String>, Option<i64>, String) {
        let (days, interval) = match &self.recurrence {
            Recurrence::Weekdays(d) => (
                Some(
                    d.iter()
                        .map(|w| weekday_code(*w))
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                None,
            ),
            Recurrence::EveryNDays(n) => (None, Some(i64::from(*n))),
        };
        let times: Vec<String> = self.times.iter().map(|t| time_code(*t)).collect();
        (days, interval, times.join(","))
    }

    /// The rule back from its stored forms (`None` if they are not valid).
    pub fn from_stored(
        days: Option<&str>,
        interval: Option<i64>,
        times: &str,
        from: Date,
        until: Option<Date>,
    ) -> Option<Rule> {
        let recurrence = match (days, interval) {
            (Some(d), None) => {
                let raw = RawTache {
                    jours: d.split(',').map(str::to_string).collect(),
                    ..RawTache::default()
                };
                raw.recurrence().ok()?
            }
            (None, Some(n)) => Recurrence::EveryNDays(u16::try_from(n).ok().filter(|n| *n > 0)?),
            _ => return None,
        };
        Some(Rule {
            recurrence,
            times: parse_times(times).ok()?,
            from,
            until,
        })
    }

    /// The weekday codes ticked in the form, for re-filling it.
    pub fn day_codes(&self) -> Vec<String> {
        match &self.recurrence {
            Recurrence::Weekdays(d) => d.iter().map(|w| weekday_code(*w).to_string()).collect(),
            Recurrence::EveryNDays(_) => Vec::new(),
        }
    }
}

/// The instant of a civil time on a day in Europe/Paris (see the module documentation for the
/// days clocks change).
pub fn due_at(d: Date, t: Time) -> Option<Timestamp> {
    d.to_datetime(t)
        .in_tz("Europe/Paris")
        .ok()
        .map(|z| z.timestamp())
}

/// Whether an occurrence without a record is missed at `now`: its time is more than
/// [`MISSED_AFTER`] ago.
pub fn is_missed(d: Date, t: Time, now: Timestamp) -> bool {
    due_at(d, t).is_some_and(|due| now > due + MISSED_AFTER)
}

/// Why a task was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Motif {
    Refus,
    Absence,
    Hospitalisation,
    Sommeil,
    EtatDeSante,
    Autre,
}

impl Motif {
    pub const ALL: &'static [Motif] = &[
        Motif::Refus,
        Motif::Absence,
        Motif::Hospitalisation,
        Motif::Sommeil,
        Motif::EtatDeSante,
        Motif::Autre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Motif::Refus => "refus",
            Motif::Absence => "absence",
            Motif::Hospitalisation => "hospitalisation",
            Motif::Sommeil => "sommeil",
            Motif::EtatDeSante => "etat_de_sante",
            Motif::Autre => "autre",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Motif::Refus => "Refus de la personne",
            Motif::Absence => "Absence de la personne",
            Motif::Hospitalisation => "Hospitalisation",
            Motif::Sommeil => "Personne endormie",
            Motif::EtatDeSante => "État de santé ne le permettant pas",
            Motif::Autre => "Autre motif",
        }
    }

    pub fn parse(s: &str) -> Result<Motif, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                "motif",
                "Indiquez pourquoi la tâche n'a pas été faite.",
            ));
        }
        Motif::ALL
            .iter()
            .copied()
            .find(|m| m.code() == s)
            .ok_or_else(|| FieldError::new("motif", "Motif inconnu."))
    }
}

/// What was recorded for one occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Fait,
    NonFait(Motif),
}

impl Outcome {
    /// `fait` or `non_fait` with its reason; "autre" needs a note.
    pub fn parse(resultat: &str, motif: &str, note: Option<&str>) -> Result<Outcome, FieldError> {
        match resultat.trim() {
            "fait" => Ok(Outcome::Fait),
            "non_fait" => {
                let m = Motif::parse(motif)?;
                if m == Motif::Autre && note.is_none() {
                    return Err(FieldError::new(
                        "note",
                        "Précisez le motif dans le commentaire.",
                    ));
                }
                Ok(Outcome::NonFait(m))
            }
            _ => Err(FieldError::new(
                "resultat",
                "Indiquez si la tâche a été faite ou non.",
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Fait => "fait",
            Outcome::NonFait(_) => "non_fait",
        }
    }

    pub fn motif(self) -> Option<Motif> {
        match self {
            Outcome::Fait => None,
            Outcome::NonFait(m) => Some(m),
        }
    }
}

/// The state of one occurrence at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Not yet due, or due less than [`MISSED_AFTER`] ago.
    AFaire,
    Fait,
    NonFait,
    /// Due more than [`MISSED_AFTER`] ago, nothing recorded.
    Manquee,
}

impl State {
    pub fn of(d: Date, t: Time, recorded: Option<Outcome>, now: Timestamp) -> State {
        match recorded {
            Some(Outcome::Fait) => State::Fait,
            Some(Outcome::NonFait(_)) => State::NonFait,
            None if is_missed(d, t, now) => State::Manquee,
            None => State::AFaire,
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            State::AFaire => "À faire",
            State::Fait => "Fait",
            State::NonFait => "Non fait",
            State::Manquee => "Manquée",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            State::AFaire => "a_faire",
            State::Fait => "fait",
            State::NonFait => "non_fait",
            State::Manquee => "manquee",
        }
    }
}

/// The missed occurrences of a rule over the days `[from, to]`: due, past [`MISSED_AFTER`], and
/// not among `recorded` (day and time of each recorded occurrence). Oldest first.
pub fn missed(
    rule: &Rule,
    from: Date,
    to: Date,
    recorded: &[(Date, Time)],
    now: Timestamp,
) -> Vec<(Date, Time)> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        for t in rule.occurrences_on(d) {
            if !recorded.contains(&(d, t)) && is_missed(d, t, now) {
                out.push((d, t));
            }
        }
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use jiff::civil::{date, time};

    fn raw(jours: &[&str], intervalle: &str, heures: &str) -> RawTache {
        RawTache {
            label: "Aide à la toilette".into(),
            jours: jours.iter().map(|s| s.to_string()).collect(),
            intervalle: intervalle.into(),
            heures: heures.into(),
            du: "2026-11-02".into(),
            roles: vec!["aide_soignant".into(), "infirmier".into()],
            ..RawTache::default()
        }
    }

    #[test]
    fn a_weekly_task_comes_back_on_its_days_at_its_times() {
        let t = raw(&["ven", "lun", "mer"], "", "20:00, 8h")
            .check()
            .unwrap();
        assert_eq!(
            t.rule.describe_fr(),
            "lundi, mercredi, vendredi à 08:00, 20:00"
        );
        // 2026-11-02 is a Monday.
        assert_eq!(
            t.rule.occurrences_on(date(2026, 11, 2)),
            vec![time(8, 0, 0, 0), time(20, 0, 0, 0)]
        );
        assert!(t.rule.occurrences_on(date(2026, 11, 3)).is_empty());
        assert!(t.rule.occurs_on(date(2026, 11, 6)));
        // Not before its first day.
        assert!(!t.rule.occurs_on(date(2026, 10, 30)));
    }

    #[test]
    fn an_every_n_days_task_counts_from_its_first_day_and_stops_after_its_last() {
        let mut r = raw(&[], "3", "09:00");
        r.au = "2026-11-11".into();
        let t = r.check().unwrap();
        assert_eq!(t.rule.describe_fr(), "tous les 3 jours à 09:00");
        let days: Vec<u8> = (1..=15)
            .filter(|d| t.rule.occurs_on(date(2026, 11, *d)))
            .map(|d| d as u8)
            .collect();
        assert_eq!(days, vec![2, 5, 8, 11]);
        assert_eq!(
            raw(&[], "1", "08:00").check().unwrap().rule.describe_fr(),
            "tous les jours à 08:00"
        );
    }

    #[test]
    fn invalid_tasks_are_refused_in_french_next_to_their_fields() {
        let mut r = raw(&[], "", "25:00 8");
        r.label = " ".into();
        r.roles = vec!["secretariat".into()];
        r.au = "2026-11-01".into();
        let e = r.check().unwrap_err();
        assert_eq!(e.get("label"), Some("Ce champ est obligatoire."));
        assert!(e.get("jours").unwrap().contains("au moins un jour"));
        assert!(e.get("heures").unwrap().contains("« 25:00 »"));
        assert!(e.get("roles").unwrap().contains("Secrétariat"));
        assert_eq!(
            e.get("au"),
            Some("La date de fin est avant la date de début.")
        );
        let e = raw(&["lun"], "2", "08:00").check().unwrap_err();
        assert!(e.get("intervalle").unwrap().contains("pas les deux"));
        let e = raw(&[], "0", "08:00").check().unwrap_err();
        assert!(e.get("intervalle").unwrap().contains("entre 1 et 365"));
        let mut r = raw(&["lun"], "", "08:00");
        r.roles.clear();
        assert!(r.check().unwrap_err().get("roles").is_some());
    }

    #[test]
    fn the_stored_form_reads_back_the_same_rule() {
        for r in [
            raw(&["dim", "sam"], "", "07:30,21:00"),
            raw(&[], "2", "12:00"),
        ] {
            let rule = r.check().unwrap().rule;
            let (d, i, t) = rule.stored();
            let back = Rule::from_stored(d.as_deref(), i, &t, rule.from, rule.until).unwrap();
            assert_eq!(back, rule);
        }
        assert!(Rule::from_stored(Some("lun"), Some(2), "08:00", date(2026, 1, 1), None).is_none());
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn an_occurrence_is_missed_an_hour_after_its_civil_time() {
        let d = date(2026, 11, 22);
        // 08:00 in Paris is 07:00 UTC in winter.
        assert_eq!(
            due_at(d, time(8, 0, 0, 0)),
            Some(at("2026-11-22T07:00:00Z"))
        );
        assert!(!is_missed(d, time(8, 0, 0, 0), at("2026-11-22T08:00:00Z")));
        assert!(is_missed(d, time(8, 0, 0, 0), at("2026-11-22T08:00:01Z")));
        assert_eq!(
            State::of(d, time(8, 0, 0, 0), None, at("2026-11-22T09:00:00Z")),
            State::Manquee
        );
        assert_eq!(
            State::of(
                d,
                time(8, 0, 0, 0),
                Some(Outcome::NonFait(Motif::Refus)),
                at("2026-11-22T09:00:00Z")
            ),
            State::NonFait
        );
    }

    #[test]
    fn civil_times_follow_the_clock_change_days_in_paris() {
        // Summer: 08:00 in Paris is 06:00 UTC.
        let summer = date(2026, 7, 1);
        assert_eq!(
            due_at(summer, time(8, 0, 0, 0)),
            Some(at("2026-07-01T06:00:00Z"))
        );
        // 29 March 2026, clocks go from 02:00 to 03:00: 08:00 is 06:00 UTC, 01:00 is 00:00 UTC,
        // and 02:30 does not exist: it is due at 03:30 (01:30 UTC).
        let spring = date(2026, 3, 29);
        assert_eq!(
            due_at(spring, time(8, 0, 0, 0)),
            Some(at("2026-03-29T06:00:00Z"))
        );
        assert_eq!(
            due_at(spring, time(1, 0, 0, 0)),
            Some(at("2026-03-29T00:00:00Z"))
        );
        assert_eq!(
            due_at(spring, time(2, 30, 0, 0)),
            Some(at("2026-03-29T01:30:00Z"))
        );
        // 25 October 2026, clocks go from 03:00 back to 02:00: 02:30 happens twice, the first one
        // (00:30 UTC) counts; 08:00 is 07:00 UTC.
        let autumn = date(2026, 10, 25);
        assert_eq!(
            due_at(autumn, time(2, 30, 0, 0)),
            Some(at("2026-10-25T00:30:00Z"))
        );
        assert_eq!(
            due_at(autumn, time(8, 0, 0, 0)),
            Some(at("2026-10-25T07:00:00Z"))
        );
        // A daily 08:00 task is due once on each of these days, at 08:00 on the wall clock.
        let mut r = raw(&[], "1", "08:00");
        r.du = "2026-01-01".into();
        let t = r.check().unwrap();
        for d in [spring, autumn] {
            assert_eq!(t.rule.occurrences_on(d), vec![time(8, 0, 0, 0)]);
        }
    }

    #[test]
    fn missed_occurrences_are_the_due_ones_without_a_record() {
        let t = raw(&[], "1", "08:00, 20:00").check().unwrap();
        let now = at("2026-11-03T12:00:00Z"); // 13:00 in Paris on Tuesday 3rd.
        let recorded = vec![(date(2026, 11, 2), time(8, 0, 0, 0))];
        let m = missed(
            &t.rule,
            date(2026, 11, 1),
            date(2026, 11, 3),
            &recorded,
            now,
        );
        // Not the 1st (before the first day), not the 2nd at 08:00 (recorded), not the 3rd at
        // 20:00 (later today).
        assert_eq!(
            m,
            vec![
                (date(2026, 11, 2), time(20, 0, 0, 0)),
                (date(2026, 11, 3), time(8, 0, 0, 0)),
            ]
        );
    }

    #[test]
    fn not_done_needs_a_reason_and_other_needs_a_note() {
        assert_eq!(Outcome::parse("fait", "", None), Ok(Outcome::Fait));
        assert_eq!(
            Outcome::parse("non_fait", "hospitalisation", None),
            Ok(Outcome::NonFait(Motif::Hospitalisation))
        );
        assert_eq!(
            Outcome::parse("non_fait", "", None).unwrap_err().field,
            "motif"
        );
        assert_eq!(
            Outcome::parse("non_fait", "autre", None).unwrap_err().field,
            "note"
        );
        assert_eq!(Outcome::parse("", "", None).unwrap_err().field, "resultat");
        assert!(Outcome::parse("non_fait", "autre", Some("x")).is_ok());
    }

    #[test]
    fn times_are_read_as_professionals_type_them() {
        assert_eq!(parse_time("8h"), Some(time(8, 0, 0, 0)));
        assert_eq!(parse_time("08h30"), Some(time(8, 30, 0, 0)));
        assert_eq!(parse_time("7:05"), Some(time(7, 5, 0, 0)));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("8"), None);
    }
}
