//! Consents: for each person and purpose (see `data/consent-purposes.csv`), the decisions given,
//! refused or withdrawn, by whom, when, for how long. [`answer`] is the one question every feature
//! asks: "may this be done for this person now, and on what consent?"

use jiff::civil::Date;
use serde::Serialize;

use crate::entourage::SigningRule;
use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    Donne,
    Refuse,
    Retire,
}

impl ConsentDecision {
    pub const ALL: &'static [ConsentDecision] = &[
        ConsentDecision::Donne,
        ConsentDecision::Refuse,
        ConsentDecision::Retire,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConsentDecision::Donne => "donne",
            ConsentDecision::Refuse => "refuse",
            ConsentDecision::Retire => "retire",
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            ConsentDecision::Donne => "Donné",
            ConsentDecision::Refuse => "Refusé",
            ConsentDecision::Retire => "Retiré",
        }
    }
    pub fn parse(s: &str) -> Result<ConsentDecision, FieldError> {
        ConsentDecision::ALL
            .iter()
            .copied()
            .find(|d| d.code() == s.trim())
            .ok_or_else(|| FieldError::new("decision", "Choisissez : donné, refusé ou retiré."))
    }
}

/// One recorded decision. `signatory: None` is the person themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentEvent<P, R> {
    /// The stored record, returned as the basis of an answer.
    pub id: R,
    pub decision: ConsentDecision,
    pub signatory: Option<P>,
    pub decided_on: Date,
    pub expires_on: Option<Date>,
    /// For purposes that name partners: the partners covered.
    pub partners: Vec<P>,
}

/// The answer to "may this be done now?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAnswer<R> {
    /// Yes, on this consent.
    Yes(R),
    /// No decision was ever recorded.
    NotAsked,
    Refused(R),
    Withdrawn(R),
    Expired(R),
    /// Given, but not for this partner.
    PartnerNotCovered(R),
    /// Given by someone who no longer has the right to sign (the person came of age, the measure
    /// ended or changed): it must be asked again of who may sign now.
    SignatoryNoLongerEntitled(R),
}

impl<R> ConsentAnswer<R> {
    pub fn allowed(&self) -> bool {
        matches!(self, ConsentAnswer::Yes(_))
    }
    pub fn basis(&self) -> Option<&R> {
        match self {
            ConsentAnswer::NotAsked => None,
            ConsentAnswer::Yes(r)
            | ConsentAnswer::Refused(r)
            | ConsentAnswer::Withdrawn(r)
            | ConsentAnswer::Expired(r)
            | ConsentAnswer::PartnerNotCovered(r)
            | ConsentAnswer::SignatoryNoLongerEntitled(r) => Some(r),
        }
    }
    pub fn label_fr(&self) -> &'static str {
        match self {
            ConsentAnswer::Yes(_) => "Consentement valide",
            ConsentAnswer::NotAsked => "Non recueilli",
            ConsentAnswer::Refused(_) => "Refusé",
            ConsentAnswer::Withdrawn(_) => "Retiré",
            ConsentAnswer::Expired(_) => "Expiré",
            ConsentAnswer::PartnerNotCovered(_) => "Partenaire non couvert par le consentement",
            ConsentAnswer::SignatoryNoLongerEntitled(_) => {
                "À recueillir à nouveau (le signataire n'a plus qualité)"
            }
        }
    }
    pub fn code(&self) -> &'static str {
        match self {
            ConsentAnswer::Yes(_) => "yes",
            ConsentAnswer::NotAsked => "not_asked",
            ConsentAnswer::Refused(_) => "refused",
            ConsentAnswer::Withdrawn(_) => "withdrawn",
            ConsentAnswer::Expired(_) => "expired",
            ConsentAnswer::PartnerNotCovered(_) => "partner_not_covered",
            ConsentAnswer::SignatoryNoLongerEntitled(_) => "signatory_no_longer_entitled",
        }
    }
}

/// The answer for one purpose from its decisions in recording order (the last one speaks), the
/// signing rule of today, and the partner concerned when the purpose names partners.
pub fn answer<P: Copy + PartialEq, R: Clone>(
    events: &[ConsentEvent<P, R>],
    rule_today: &SigningRule<P>,
    today: Date,
    partner: Option<P>,
) -> ConsentAnswer<R> {
    let Some(last) = events.last() else {
        return ConsentAnswer::NotAsked;
    };
    let id = last.id.clone();
    match last.decision {
        ConsentDecision::Refuse => ConsentAnswer::Refused(id),
        ConsentDecision::Retire => ConsentAnswer::Withdrawn(id),
        ConsentDecision::Donne => {
            if last.expires_on.is_some_and(|e| e < today) {
                ConsentAnswer::Expired(id)
            } else if !rule_today.allows(last.signatory) {
                ConsentAnswer::SignatoryNoLongerEntitled(id)
            } else if partner.is_some_and(|p| !last.partners.contains(&p)) {
                ConsentAnswer::PartnerNotCovered(id)
            } else {
                ConsentAnswer::Yes(id)
            }
        }
    }
}

/// Checks a new decision before it is recorded: the signatory must be entitled today, the expiry
/// after the decision, and a withdrawal must withdraw something given.
pub fn check_new<P: Copy + PartialEq, R>(
    previous: &[ConsentEvent<P, R>],
    decision: ConsentDecision,
    signatory: Option<P>,
    decided_on: Date,
    expires_on: Option<Date>,
    rule: &SigningRule<P>,
    today: Date,
) -> Result<(), FieldError> {
    if decided_on > today {
        return Err(FieldError::new(
            "decided_on",
            "La date de la décision ne peut pas être dans le futur.",
        ));
    }
    if !rule.allows(signatory) {
        let who = if signatory.is_none() {
            "La personne ne peut pas signer seule."
        } else {
            "Cette personne n'a pas qualité pour consentir au nom de l'usager."
        };
        return Err(FieldError::new(
            "signatory",
            format!("{who} {}", rule.explanation),
        ));
    }
    if let Some(e) = expires_on
        && e < decided_on
    {
        return Err(FieldError::new(
            "expires_on",
            "L'échéance ne peut pas précéder la date de la décision.",
        ));
    }
    if decision == ConsentDecision::Retire
        && previous
            .last()
            .is_none_or(|p| p.decision != ConsentDecision::Donne)
    {
        return Err(FieldError::new(
            "decision",
            "Aucun consentement donné n'est en cours : il n'y a rien à retirer.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::entourage::{ActiveMeasure, MeasureKind, signing_rule};
    use jiff::civil::date;

    const TUTOR: u8 = 7;
    const PARTNER: u8 = 9;

    fn ev(
        n: u32,
        d: ConsentDecision,
        by: Option<u8>,
        on: Date,
        exp: Option<Date>,
    ) -> ConsentEvent<u8, u32> {
        ConsentEvent {
            id: n,
            decision: d,
            signatory: by,
            decided_on: on,
            expires_on: exp,
            partners: vec![PARTNER],
        }
    }

    #[test]
    fn expiry_withdrawal_and_representation() {
        let today = date(2026, 11, 22);
        let adult = signing_rule::<u8>(false, &[], &[], today);
        assert_eq!(
            answer::<u8, u32>(&[], &adult, today, None),
            ConsentAnswer::NotAsked
        );
        let given = ev(
            1,
            ConsentDecision::Donne,
            None,
            date(2026, 1, 1),
            Some(date(2026, 12, 31)),
        );
        assert_eq!(
            answer(std::slice::from_ref(&given), &adult, today, None),
            ConsentAnswer::Yes(1)
        );
        assert_eq!(
            answer(std::slice::from_ref(&given), &adult, date(2027, 1, 1), None),
            ConsentAnswer::Expired(1)
        );
        assert_eq!(
            answer(std::slice::from_ref(&given), &adult, today, Some(PARTNER)),
            ConsentAnswer::Yes(1)
        );
        assert_eq!(
            answer(std::slice::from_ref(&given), &adult, today, Some(3)),
            ConsentAnswer::PartnerNotCovered(1)
        );
        let withdrawn = [
            given.clone(),
            ev(2, ConsentDecision::Retire, None, today, None),
        ];
        assert_eq!(
            answer(&withdrawn, &adult, today, None),
            ConsentAnswer::Withdrawn(2)
        );
        // Under tutelle: the person cannot consent alone; the tutor can.
        let tutelle = [ActiveMeasure {
            kind: MeasureKind::Tutelle,
            start: date(2025, 6, 1),
            end: None,
            representative: TUTOR,
        }];
        let rule = signing_rule(false, &tutelle, &[], today);
        assert!(
            check_new::<u8, u32>(&[], ConsentDecision::Donne, None, today, None, &rule, today)
                .is_err()
        );
        assert!(
            check_new::<u8, u32>(
                &[],
                ConsentDecision::Donne,
                Some(TUTOR),
                today,
                None,
                &rule,
                today
            )
            .is_ok()
        );
        // A consent the person gave before the tutelle must be asked again of the tutor.
        assert_eq!(
            answer(std::slice::from_ref(&given), &rule, today, None),
            ConsentAnswer::SignatoryNoLongerEntitled(1)
        );
        // Nothing to withdraw; expiry before decision; future decision.
        assert!(
            check_new::<u8, u32>(
                &[],
                ConsentDecision::Retire,
                Some(TUTOR),
                today,
                None,
                &rule,
                today
            )
            .is_err()
        );
        assert!(
            check_new::<u8, u32>(
                &[],
                ConsentDecision::Donne,
                Some(TUTOR),
                today,
                Some(date(2026, 1, 1)),
                &rule,
                today
            )
            .is_err()
        );
        assert!(
            check_new::<u8, u32>(
                &[],
                ConsentDecision::Donne,
                Some(TUTOR),
                date(2027, 1, 1),
                None,
                &rule,
                today
            )
            .is_err()
        );
    }
}
