//! The one authorization gate. Every use case (web, API, CLI) asks [`decide`]; anything not
//! explicitly allowed is denied. A decision depends on the role (what), the organisation, and the
//! scope (which establishments and units the professional is assigned to, and where the person is
//! followed). Administrators run the installation but have no access to persons' records (least
//! privilege): reading a record is a care act, not an administrative one.

use serde::Serialize;

use crate::ids::{EtablissementId, OrganisationId, UniteId, UserId};
use crate::professional::Role;

/// Where a professional works: a whole establishment (`unite: None`) or one unit of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub etablissement: EtablissementId,
    pub unite: Option<UniteId>,
}

/// Where a person is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub etablissement: EtablissementId,
    pub unite: Option<UniteId>,
}

/// The professional asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub organisation: OrganisationId,
    pub role: Role,
    pub assignments: Vec<Assignment>,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Action {
    ListUsagers,
    ReadUsager,
    CreateUsager,
    EditIdentity,
    ChangeIdentityStatus,
    ViewIdentityHistory,
    ViewAccessHistory,
    ViewStructures,
    ManageStructures,
    ManageAccounts,
    VerifyAudit,
    /// Admission requests, séjours, contracts and orientation decisions of a person.
    ManageAdmission,
    /// The waiting list and occupancy of an establishment.
    ViewEstablishmentActivity,
    /// Admit beyond the authorised capacity, after the warning.
    ConfirmOverCapacity,
    /// Entourage, legal protection and partner links of a person.
    ManageEntourage,
    /// Record a consent decision for a person.
    RecordConsent,
    ViewPartners,
    ManagePartners,
    /// Record a needs evaluation (SERAFIN-PH) of a person.
    EvaluateNeeds,
    /// Record an AGGIR evaluation of a person.
    EvaluateAggir,
    /// Write the projet personnalisé: content, status changes, the person's accord, bilans.
    WriteProjet,
    /// Give the structure's accord to a projet personnalisé (what lets it start).
    SignProjetForStructure,
    /// Read the content of the medical file (medical secret): by default physicians and nurses.
    ReadMedical,
    /// Write in the medical file.
    WriteMedical,
    /// Read the care record (vital signs and measures, plan de soins).
    ReadCareRecord,
    /// Record measures and care in the care record.
    WriteCareRecord,
    /// Write an écrit professionnel about a person (reading one needs `ReadCareRecord` and the
    /// note's visibility scope, see `ecrit::may_read`).
    WriteEcrit,
    /// Read and write the cahier de liaison of a workplace (a unit, or a team of an establishment).
    UseLiaison,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::ListUsagers,
        Action::ReadUsager,
        Action::CreateUsager,
        Action::EditIdentity,
        Action::ChangeIdentityStatus,
        Action::ViewIdentityHistory,
        Action::ViewAccessHistory,
        Action::ViewStructures,
        Action::ManageStructures,
        Action::ManageAccounts,
        Action::VerifyAudit,
        Action::ManageAdmission,
        Action::ViewEstablishmentActivity,
        Action::ConfirmOverCapacity,
        Action::ManageEntourage,
        Action::RecordConsent,
        Action::ViewPartners,
        Action::ManagePartners,
        Action::EvaluateNeeds,
        Action::EvaluateAggir,
        Action::WriteProjet,
        Action::SignProjetForStructure,
        Action::ReadMedical,
        Action::WriteMedical,
        Action::ReadCareRecord,
        Action::WriteCareRecord,
        Action::WriteEcrit,
        Action::UseLiaison,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Action::ListUsagers => "list_usagers",
            Action::ReadUsager => "read_usager",
            Action::CreateUsager => "create_usager",
            Action::EditIdentity => "edit_identity",
            Action::ChangeIdentityStatus => "change_identity_status",
            Action::ViewIdentityHistory => "view_identity_history",
            Action::ViewAccessHistory => "view_access_history",
            Action::ViewStructures => "view_structures",
            Action::ManageStructures => "manage_structures",
            Action::ManageAccounts => "manage_accounts",
            Action::VerifyAudit => "verify_audit",
            Action::ManageAdmission => "manage_admission",
            Action::ViewEstablishmentActivity => "view_establishment_activity",
            Action::ConfirmOverCapacity => "confirm_over_capacity",
            Action::ManageEntourage => "manage_entourage",
            Action::RecordConsent => "record_consent",
            Action::ViewPartners => "view_partners",
            Action::ManagePartners => "manage_partners",
            Action::EvaluateNeeds => "evaluate_needs",
            Action::EvaluateAggir => "evaluate_aggir",
            Action::WriteProjet => "write_projet",
            Action::SignProjetForStructure => "sign_projet_for_structure",
            Action::ReadMedical => "read_medical",
            Action::WriteMedical => "write_medical",
            Action::ReadCareRecord => "read_care_record",
            Action::WriteCareRecord => "write_care_record",
            Action::WriteEcrit => "write_ecrit",
            Action::UseLiaison => "use_liaison",
        }
    }

    /// Actions on the organisation as a whole (not on one person).
    fn organisation_wide(self) -> bool {
        matches!(
            self,
            Action::ViewStructures
                | Action::ManageStructures
                | Action::ManageAccounts
                | Action::VerifyAudit
                | Action::ViewPartners
                | Action::ManagePartners
        )
    }

    /// Actions on one establishment (its waiting list, its places).
    pub fn establishment_wide(self) -> bool {
        matches!(
            self,
            Action::ViewEstablishmentActivity | Action::ConfirmOverCapacity
        )
    }
}

/// What is being acted on.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    Organisation(OrganisationId),
    Usager {
        organisation: OrganisationId,
        placements: &'a [Placement],
    },
    NewUsager {
        organisation: OrganisationId,
        placement: Placement,
    },
    Etablissement {
        organisation: OrganisationId,
        etablissement: EtablissementId,
    },
    /// The people working at one unit (`unite: Some`) or anywhere in an establishment (`None`):
    /// the destinations of the cahier de liaison.
    Workplace {
        organisation: OrganisationId,
        etablissement: EtablissementId,
        unite: Option<UniteId>,
    },
}

impl Resource<'_> {
    fn organisation(&self) -> OrganisationId {
        match self {
            Resource::Organisation(o) => *o,
            Resource::Usager { organisation, .. }
            | Resource::NewUsager { organisation, .. }
            | Resource::Etablissement { organisation, .. }
            | Resource::Workplace { organisation, .. } => *organisation,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DenyReason {
    Inactive,
    OtherOrganisation,
    RoleNotAllowed,
    OutOfScope,
    WrongResource,
}

impl DenyReason {
    pub fn label_fr(self) -> &'static str {
        match self {
            DenyReason::Inactive => "Votre compte est désactivé.",
            DenyReason::OtherOrganisation => "Cette ressource appartient à une autre organisation.",
            DenyReason::RoleNotAllowed => "Votre rôle ne permet pas cette action.",
            DenyReason::OutOfScope => {
                "Cet usager n'est pas suivi dans un établissement ou une unité où vous êtes affecté·e."
            }
            DenyReason::WrongResource => "Action impossible sur cette ressource.",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(DenyReason),
}

use Action as A;

/// The permission table: which role may perform which action (in its scope). One row per role.
const PERMISSIONS: &[(Role, &[Action])] = &[
    (
        Role::Administrateur,
        &[
            A::ViewStructures,
            A::ManageStructures,
            A::ManageAccounts,
            A::VerifyAudit,
            A::ViewPartners,
        ],
    ),
    (
        Role::Direction,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::CreateUsager,
            A::EditIdentity,
            A::ChangeIdentityStatus,
            A::ViewIdentityHistory,
            A::ViewAccessHistory,
            A::ViewStructures,
            A::ManageAdmission,
            A::ViewEstablishmentActivity,
            A::ConfirmOverCapacity,
            A::ManageEntourage,
            A::RecordConsent,
            A::ViewPartners,
            A::ManagePartners,
            A::EvaluateNeeds,
            A::WriteProjet,
            A::SignProjetForStructure,
            A::ReadCareRecord,
            A::WriteEcrit,
            A::UseLiaison,
        ],
    ),
    (
        Role::ChefDeService,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::CreateUsager,
            A::EditIdentity,
            A::ChangeIdentityStatus,
            A::ViewIdentityHistory,
            A::ViewAccessHistory,
            A::ManageAdmission,
            A::ViewEstablishmentActivity,
            A::ConfirmOverCapacity,
            A::ManageEntourage,
            A::RecordConsent,
            A::ViewPartners,
            A::ManagePartners,
            A::EvaluateNeeds,
            A::EvaluateAggir,
            A::WriteProjet,
            A::SignProjetForStructure,
            A::ReadCareRecord,
            A::WriteEcrit,
            A::UseLiaison,
        ],
    ),
    (
        Role::Secretariat,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::CreateUsager,
            A::EditIdentity,
            A::ChangeIdentityStatus,
            A::ViewIdentityHistory,
            A::ManageAdmission,
            A::ViewEstablishmentActivity,
            A::ManageEntourage,
            A::RecordConsent,
            A::ViewPartners,
            A::ManagePartners,
            A::UseLiaison,
        ],
    ),
    (
        Role::Medecin,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::EditIdentity,
            A::ChangeIdentityStatus,
            A::ViewIdentityHistory,
            A::ViewAccessHistory,
            A::RecordConsent,
            A::ViewPartners,
            A::EvaluateNeeds,
            A::EvaluateAggir,
            A::WriteProjet,
            A::ReadMedical,
            A::WriteMedical,
            A::ReadCareRecord,
            A::WriteEcrit,
            A::WriteCareRecord,
            A::UseLiaison,
        ],
    ),
    (
        Role::Infirmier,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::EditIdentity,
            A::ChangeIdentityStatus,
            A::ViewIdentityHistory,
            A::RecordConsent,
            A::ViewPartners,
            A::EvaluateNeeds,
            A::EvaluateAggir,
            A::WriteProjet,
            A::ReadMedical,
            A::WriteMedical,
            A::ReadCareRecord,
            A::WriteEcrit,
            A::WriteCareRecord,
            A::UseLiaison,
        ],
    ),
    (
        Role::AideSoignant,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::ViewIdentityHistory,
            A::ViewPartners,
            A::WriteProjet,
            A::ReadCareRecord,
            A::WriteEcrit,
            A::WriteCareRecord,
            A::UseLiaison,
        ],
    ),
    (
        Role::Educateur,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::ViewIdentityHistory,
            A::ManageEntourage,
            A::RecordConsent,
            A::ViewPartners,
            A::ManagePartners,
            A::EvaluateNeeds,
            A::WriteProjet,
            A::ReadCareRecord,
            A::WriteEcrit,
            A::WriteCareRecord,
            A::UseLiaison,
        ],
    ),
    (
        Role::Psychologue,
        &[
            A::ListUsagers,
            A::ReadUsager,
            A::ViewIdentityHistory,
            A::ViewPartners,
            A::EvaluateNeeds,
            A::WriteProjet,
            A::ReadCareRecord,
            A::WriteEcrit,
            A::UseLiaison,
        ],
    ),
];

/// Whether the role may perform the action somewhere (scope aside): used to show or hide links.
pub fn role_allows(role: Role, action: Action) -> bool {
    PERMISSIONS
        .iter()
        .any(|(r, actions)| *r == role && actions.contains(&action))
}

/// The scope of a professional, for filtering lists in SQL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisibleScope {
    pub etablissements: Vec<EtablissementId>,
    pub unites: Vec<UniteId>,
}

impl Actor {
    /// An assignment to a whole establishment covers all its placements; to a unit, that unit only.
    pub fn covers(&self, p: &Placement) -> bool {
        self.assignments.iter().any(|a| {
            a.etablissement == p.etablissement
                && (a.unite.is_none() || (a.unite.is_some() && a.unite == p.unite))
        })
    }

    pub fn visible_scope(&self) -> VisibleScope {
        let mut scope = VisibleScope::default();
        for a in &self.assignments {
            match a.unite {
                None if !scope.etablissements.contains(&a.etablissement) => {
                    scope.etablissements.push(a.etablissement)
                }
                Some(u) if !scope.unites.contains(&u) => scope.unites.push(u),
                _ => {}
            }
        }
        scope
    }
}

/// The decision. Rules in order: inactive account, organisation, role, then resource and scope.
pub fn decide(actor: &Actor, action: Action, resource: &Resource<'_>) -> Decision {
    if !actor.active {
        return Decision::Deny(DenyReason::Inactive);
    }
    if actor.organisation != resource.organisation() {
        return Decision::Deny(DenyReason::OtherOrganisation);
    }
    if !role_allows(actor.role, action) {
        return Decision::Deny(DenyReason::RoleNotAllowed);
    }
    let in_scope = match (action, resource) {
        (a, Resource::Organisation(_)) if a.organisation_wide() || a == A::ListUsagers => true,
        (A::CreateUsager, Resource::NewUsager { placement, .. }) => actor.covers(placement),
        // The waiting list and the places of an establishment name persons of every unit: only an
        // assignment to the whole establishment opens them.
        (a, Resource::Etablissement { etablissement, .. }) if a.establishment_wide() => actor
            .covers(&Placement {
                etablissement: *etablissement,
                unite: None,
            }),
        // A unit's notebook: whoever covers the unit; an establishment's teams: whoever works
        // anywhere in it (a unit assignment included).
        (
            A::UseLiaison,
            Resource::Workplace {
                etablissement,
                unite,
                ..
            },
        ) => match unite {
            Some(_) => actor.covers(&Placement {
                etablissement: *etablissement,
                unite: *unite,
            }),
            None => actor
                .assignments
                .iter()
                .any(|a| a.etablissement == *etablissement),
        },
        (a, Resource::Usager { placements, .. })
            if !a.organisation_wide()
                && !a.establishment_wide()
                && a != A::CreateUsager
                && a != A::ListUsagers
                && a != A::UseLiaison =>
        {
            placements.iter().any(|p| actor.covers(p))
        }
        _ => return Decision::Deny(DenyReason::WrongResource),
    };
    if in_scope {
        Decision::Allow
    } else {
        Decision::Deny(DenyReason::OutOfScope)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }
    const ORG: u128 = 1;
    const OTHER_ORG: u128 = 2;
    const ETAB: u128 = 10;
    const OTHER_ETAB: u128 = 11;
    const UNIT: u128 = 20;
    const OTHER_UNIT: u128 = 21;

    /// The expected table, written independently of `PERMISSIONS`: the roles allowed per action.
    fn expected_roles(action: Action) -> &'static [Role] {
        use Role::*;
        match action {
            A::ListUsagers | A::ReadUsager | A::ViewIdentityHistory => &[
                Direction,
                ChefDeService,
                Secretariat,
                Medecin,
                Infirmier,
                AideSoignant,
                Educateur,
                Psychologue,
            ],
            A::CreateUsager => &[Direction, ChefDeService, Secretariat],
            A::EditIdentity | A::ChangeIdentityStatus => {
                &[Direction, ChefDeService, Secretariat, Medecin, Infirmier]
            }
            A::ViewAccessHistory => &[Direction, ChefDeService, Medecin],
            A::ViewStructures => &[Administrateur, Direction],
            A::ManageStructures | A::ManageAccounts | A::VerifyAudit => &[Administrateur],
            A::ManageAdmission | A::ViewEstablishmentActivity => {
                &[Direction, ChefDeService, Secretariat]
            }
            A::ConfirmOverCapacity => &[Direction, ChefDeService],
            A::ManageEntourage | A::ManagePartners => {
                &[Direction, ChefDeService, Secretariat, Educateur]
            }
            A::RecordConsent => &[
                Direction,
                ChefDeService,
                Secretariat,
                Medecin,
                Infirmier,
                Educateur,
            ],
            A::EvaluateNeeds => &[
                Direction,
                ChefDeService,
                Medecin,
                Infirmier,
                Educateur,
                Psychologue,
            ],
            A::EvaluateAggir => &[ChefDeService, Medecin, Infirmier],
            A::WriteProjet => &[
                Direction,
                ChefDeService,
                Medecin,
                Infirmier,
                AideSoignant,
                Educateur,
                Psychologue,
            ],
            A::SignProjetForStructure => &[Direction, ChefDeService],
            A::ReadMedical | A::WriteMedical => &[Medecin, Infirmier],
            A::ReadCareRecord => &[
                Direction,
                ChefDeService,
                Medecin,
                Infirmier,
                AideSoignant,
                Educateur,
                Psychologue,
            ],
            A::WriteCareRecord => &[Medecin, Infirmier, AideSoignant, Educateur],
            A::WriteEcrit => &[
                Direction,
                ChefDeService,
                Medecin,
                Infirmier,
                AideSoignant,
                Educateur,
                Psychologue,
            ],
            A::UseLiaison => &[
                Direction,
                ChefDeService,
                Secretariat,
                Medecin,
                Infirmier,
                AideSoignant,
                Educateur,
                Psychologue,
            ],
            A::ViewPartners => &[
                Administrateur,
                Direction,
                ChefDeService,
                Secretariat,
                Medecin,
                Infirmier,
                AideSoignant,
                Educateur,
                Psychologue,
            ],
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Situation {
        /// The person is in the unit the actor is assigned to.
        InScope,
        /// The person is in another establishment.
        OtherEstablishment,
        /// Same establishment, other unit, while the actor is assigned to one unit only.
        OtherUnitOfUnitOnlyAssignment,
        OtherOrganisation,
        InactiveAccount,
    }

    const SITUATIONS: &[Situation] = &[
        Situation::InScope,
        Situation::OtherEstablishment,
        Situation::OtherUnitOfUnitOnlyAssignment,
        Situation::OtherOrganisation,
        Situation::InactiveAccount,
    ];

    fn actor(role: Role, active: bool) -> Actor {
        Actor {
            user_id: UserId::from_uuid(id(100)),
            organisation: OrganisationId::from_uuid(id(ORG)),
            role,
            assignments: vec![Assignment {
                etablissement: EtablissementId::from_uuid(id(ETAB)),
                unite: Some(UniteId::from_uuid(id(UNIT))),
            }],
            active,
        }
    }

    fn placement(situation: Situation) -> Placement {
        let (etab, unit) = match situation {
            Situation::OtherEstablishment => (OTHER_ETAB, UNIT + 100),
            Situation::OtherUnitOfUnitOnlyAssignment => (ETAB, OTHER_UNIT),
            _ => (ETAB, UNIT),
        };
        Placement {
            etablissement: EtablissementId::from_uuid(id(etab)),
            unite: Some(UniteId::from_uuid(id(unit))),
        }
    }

    /// Every role × every action × every situation, on the resource each action applies to.
    #[test]
    fn authorization_matrix() {
        let mut checked = 0;
        for role in Role::ALL {
            for action in Action::ALL {
                for situation in SITUATIONS {
                    let a = actor(*role, *situation != Situation::InactiveAccount);
                    let org = OrganisationId::from_uuid(id(
                        if *situation == Situation::OtherOrganisation {
                            OTHER_ORG
                        } else {
                            ORG
                        },
                    ));
                    let placements = [placement(*situation)];
                    let resource = match action {
                        A::CreateUsager => Resource::NewUsager {
                            organisation: org,
                            placement: placements[0],
                        },
                        a if a.organisation_wide() || *a == A::ListUsagers => {
                            Resource::Organisation(org)
                        }
                        a if a.establishment_wide() => Resource::Etablissement {
                            organisation: org,
                            etablissement: placements[0].etablissement,
                        },
                        A::UseLiaison => Resource::Workplace {
                            organisation: org,
                            etablissement: placements[0].etablissement,
                            unite: placements[0].unite,
                        },
                        _ => Resource::Usager {
                            organisation: org,
                            placements: &placements,
                        },
                    };
                    let role_ok = expected_roles(*action).contains(role);
                    let scoped = !action.organisation_wide() && *action != A::ListUsagers;
                    // The actor is assigned to one unit: establishment-wide actions need the whole
                    // establishment, so they are refused even "in scope".
                    let unit_only = action.establishment_wide();
                    let expected = match situation {
                        Situation::InactiveAccount => Decision::Deny(DenyReason::Inactive),
                        Situation::OtherOrganisation => {
                            Decision::Deny(DenyReason::OtherOrganisation)
                        }
                        _ if !role_ok => Decision::Deny(DenyReason::RoleNotAllowed),
                        _ if unit_only => Decision::Deny(DenyReason::OutOfScope),
                        Situation::InScope => Decision::Allow,
                        _ if scoped => Decision::Deny(DenyReason::OutOfScope),
                        _ => Decision::Allow,
                    };
                    assert_eq!(
                        decide(&a, *action, &resource),
                        expected,
                        "{role:?} {action:?} {situation:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 9 * Action::ALL.len() * 5);
    }

    #[test]
    fn an_establishment_wide_assignment_covers_every_unit() {
        let mut a = actor(Role::Direction, true);
        a.assignments = vec![Assignment {
            etablissement: EtablissementId::from_uuid(id(ETAB)),
            unite: None,
        }];
        let p = [placement(Situation::OtherUnitOfUnitOnlyAssignment)];
        let r = Resource::Usager {
            organisation: a.organisation,
            placements: &p,
        };
        assert_eq!(decide(&a, A::ReadUsager, &r), Decision::Allow);
        assert_eq!(a.visible_scope().etablissements.len(), 1);
        // …and opens the establishment's waiting list, which a unit assignment does not.
        let etab = Resource::Etablissement {
            organisation: a.organisation,
            etablissement: EtablissementId::from_uuid(id(ETAB)),
        };
        assert_eq!(
            decide(&a, A::ViewEstablishmentActivity, &etab),
            Decision::Allow
        );
        let unit_only = actor(Role::Direction, true);
        assert_eq!(
            decide(&unit_only, A::ViewEstablishmentActivity, &etab),
            Decision::Deny(DenyReason::OutOfScope)
        );
    }

    #[test]
    fn a_unit_assignment_opens_the_establishments_teams_but_not_another_unit() {
        let a = actor(Role::AideSoignant, true);
        let at = |e: u128, u: Option<u128>| Resource::Workplace {
            organisation: a.organisation,
            etablissement: EtablissementId::from_uuid(id(e)),
            unite: u.map(|u| UniteId::from_uuid(id(u))),
        };
        assert_eq!(decide(&a, A::UseLiaison, &at(ETAB, None)), Decision::Allow);
        assert_eq!(
            decide(&a, A::UseLiaison, &at(ETAB, Some(OTHER_UNIT))),
            Decision::Deny(DenyReason::OutOfScope)
        );
        assert_eq!(
            decide(&a, A::UseLiaison, &at(OTHER_ETAB, None)),
            Decision::Deny(DenyReason::OutOfScope)
        );
        let p = [placement(Situation::InScope)];
        let person = Resource::Usager {
            organisation: a.organisation,
            placements: &p,
        };
        assert_eq!(
            decide(&a, A::UseLiaison, &person),
            Decision::Deny(DenyReason::WrongResource)
        );
    }

    #[test]
    fn a_person_without_placement_is_out_of_everyones_scope() {
        let a = actor(Role::Direction, true);
        let r = Resource::Usager {
            organisation: a.organisation,
            placements: &[],
        };
        assert_eq!(
            decide(&a, A::ReadUsager, &r),
            Decision::Deny(DenyReason::OutOfScope)
        );
    }

    #[test]
    fn a_usager_action_on_the_wrong_resource_is_denied() {
        let a = actor(Role::Direction, true);
        assert_eq!(
            decide(&a, A::ReadUsager, &Resource::Organisation(a.organisation)),
            Decision::Deny(DenyReason::WrongResource)
        );
    }

    fn any_role() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }
    fn any_action() -> impl Strategy<Value = Action> {
        prop::sample::select(Action::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn no_actor_of_another_organisation_is_ever_allowed(role in any_role(), action in any_action(), e in 0u128..4, u in 0u128..4) {
            let a = actor(role, true);
            let other = OrganisationId::from_uuid(id(OTHER_ORG));
            let p = [Placement { etablissement: EtablissementId::from_uuid(id(ETAB + e)), unite: Some(UniteId::from_uuid(id(UNIT + u))) }];
            for r in [Resource::Organisation(other), Resource::Usager { organisation: other, placements: &p },
                      Resource::NewUsager { organisation: other, placement: p[0] }] {
                prop_assert_ne!(decide(&a, action, &r), Decision::Allow);
            }
        }

        #[test]
        fn an_inactive_actor_is_never_allowed(role in any_role(), action in any_action()) {
            let a = actor(role, false);
            let p = [placement(Situation::InScope)];
            for r in [Resource::Organisation(a.organisation), Resource::Usager { organisation: a.organisation, placements: &p }] {
                prop_assert_eq!(decide(&a, action, &r), Decision::Deny(DenyReason::Inactive));
            }
        }
    }
}
