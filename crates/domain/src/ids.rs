//! Typed identifiers: a `UsagerId` can never be passed where an `EtablissementId` is expected.

use std::fmt;
use std::str::FromStr;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub fn from_uuid(u: uuid::Uuid) -> Self {
                $name(u)
            }
            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map($name)
            }
        }
    )*};
}

typed_id!(
    /// An organisme gestionnaire (the tenant).
    OrganisationId,
    /// An établissement or service (FINESS géographique).
    EtablissementId,
    /// A unit inside an establishment.
    UniteId,
    /// A supported person (usager).
    UsagerId,
    /// A professional's account.
    UserId,
);

typed_id!(
    /// A request for admission (demande d'admission).
    DemandeId,
    /// A stay in an establishment with one modality (séjour).
    SejourId,
    /// A contrat de séjour, DIPC or avenant.
    ContratId,
    /// An orientation decision (CDAPH).
    DecisionId,
    /// A member of the person's entourage.
    ProcheId,
    /// A legal protection measure.
    MesureId,
    /// An outside organisation or professional (partenaire).
    PartenaireId,
    /// A recorded consent decision.
    ConsentementId,
);

typed_id!(
    /// An evaluation (needs against SERAFIN-PH, or AGGIR).
    EvaluationId,
    /// One version of a projet personnalisé (an avenant is a new one).
    ProjetId,
    /// A bilan (review) of a projet personnalisé.
    BilanId,
);

typed_id!(
    /// A measure of the care record (vital sign, weight, pain…).
    SoinMesureId,
);

typed_id!(
    /// A transmission ciblée (all its versions share this id).
    TransmissionId,
);

typed_id!(
    /// A care task of a person's plan de soins (every version shares it).
    PlanSoinTacheId,
    /// The record of one occurrence of a care task (done, or not done with its reason).
    PlanSoinRealisationId,
);

typed_id!(
    /// An écrit professionnel (all its versions share this id).
    EcritId,
    /// A message of the cahier de liaison (all its versions share this id).
    LiaisonMessageId,
    /// A follow-up item (à faire) of a liaison message.
    LiaisonSuiviId,
);
