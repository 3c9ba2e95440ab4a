//! What the audit trail records, and the use cases that read or verify it.

use parcours_domain::authz::{Action, Resource};
use parcours_domain::ids::UsagerId;
use parcours_store::audit::BrokenLink;

use crate::usager::placements_of;
use crate::{App, AppResult, Ctx};

/// Every kind of audited act. The code is stored; the label is what professionals read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    UsagerRead,
    UsagerList,
    UsagerSearch,
    UsagerCreate,
    UsagerIdentityEdit,
    UsagerStatusChange,
    UsagerHistoryRead,
    UsagerAccessHistoryRead,
    AccessDenied,
    Login,
    LoginFailed,
    Logout,
    LogoutEverywhere,
    StructureChange,
    AccountChange,
    AdmissionChange,
    EntourageChange,
    ConsentRecord,
    PartnerChange,
    WaitingListRead,
    EvaluationChange,
    ProjetChange,
    ActivityRead,
    MedicalRead,
    MedicalWrite,
    MedicalAccessChange,
    MedicalDelegationGrant,
    MedicalDelegationRevoke,
    MedicalEmergencyAccess,
    MedicalEmergencyReview,
    SoinsRead,
    SoinsMeasureRecord,
    SoinsMeasureCancel,
    TransmissionWrite,
    TransmissionCorrect,
    TransmissionRead,
    TransmissionReleveRead,
    TransmissionMarkRead,
    SearchRead,
    PlanSoinsRead,
    PlanSoinsChange,
    PlanSoinsRecord,
    EcritWrite,
    EcritCorrect,
    EcritWithdraw,
    EcritRead,
    LiaisonWrite,
    LiaisonCorrect,
    LiaisonRemove,
    LiaisonRead,
    LiaisonMarkRead,
    LiaisonSuivi,
    TimelineRead,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = &[
        AuditAction::UsagerRead,
        AuditAction::UsagerList,
        AuditAction::UsagerSearch,
        AuditAction::UsagerCreate,
        AuditAction::UsagerIdentityEdit,
        AuditAction::UsagerStatusChange,
        AuditAction::UsagerHistoryRead,
        AuditAction::UsagerAccessHistoryRead,
        AuditAction::AccessDenied,
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::LogoutEverywhere,
        AuditAction::StructureChange,
        AuditAction::AccountChange,
        AuditAction::AdmissionChange,
        AuditAction::EntourageChange,
        AuditAction::ConsentRecord,
        AuditAction::PartnerChange,
        AuditAction::WaitingListRead,
        AuditAction::EvaluationChange,
        AuditAction::ProjetChange,
        AuditAction::ActivityRead,
        AuditAction::MedicalRead,
        AuditAction::MedicalWrite,
        AuditAction::MedicalAccessChange,
        AuditAction::MedicalDelegationGrant,
        AuditAction::MedicalDelegationRevoke,
        AuditAction::MedicalEmergencyAccess,
        AuditAction::MedicalEmergencyReview,
        AuditAction::SoinsRead,
        AuditAction::SoinsMeasureRecord,
        AuditAction::SoinsMeasureCancel,
        AuditAction::TransmissionWrite,
        AuditAction::TransmissionCorrect,
        AuditAction::TransmissionRead,
        AuditAction::TransmissionReleveRead,
        AuditAction::TransmissionMarkRead,
        AuditAction::SearchRead,
        AuditAction::PlanSoinsRead,
        AuditAction::PlanSoinsChange,
        AuditAction::PlanSoinsRecord,
        AuditAction::EcritWrite,
        AuditAction::EcritCorrect,
        AuditAction::EcritWithdraw,
        AuditAction::EcritRead,
        AuditAction::LiaisonWrite,
        AuditAction::LiaisonCorrect,
        AuditAction::LiaisonRemove,
        AuditAction::LiaisonRead,
        AuditAction::LiaisonMarkRead,
        AuditAction::LiaisonSuivi,
        AuditAction::TimelineRead,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::UsagerRead => "usager.consultation",
            AuditAction::UsagerList => "usager.liste",
            AuditAction::UsagerSearch => "usager.recherche",
            AuditAction::UsagerCreate => "usager.creation",
            AuditAction::UsagerIdentityEdit => "usager.modification_identite",
            AuditAction::UsagerStatusChange => "usager.statut_identite",
            AuditAction::UsagerHistoryRead => "usager.historique",
            AuditAction::UsagerAccessHistoryRead => "usager.historique_acces",
            AuditAction::AccessDenied => "acces.refuse",
            AuditAction::Login => "session.connexion",
            AuditAction::LoginFailed => "session.echec",
            AuditAction::Logout => "session.deconnexion",
            AuditAction::LogoutEverywhere => "session.deconnexion_partout",
            AuditAction::StructureChange => "structure.modification",
            AuditAction::AccountChange => "compte.modification",
            AuditAction::AdmissionChange => "admission.modification",
            AuditAction::EntourageChange => "entourage.modification",
            AuditAction::ConsentRecord => "consentement.enregistrement",
            AuditAction::PartnerChange => "partenaire.modification",
            AuditAction::WaitingListRead => "etablissement.liste_attente",
            AuditAction::EvaluationChange => "evaluation.modification",
            AuditAction::ProjetChange => "projet.modification",
            AuditAction::ActivityRead => "etablissement.activite",
            AuditAction::MedicalRead => "medical.consultation",
            AuditAction::MedicalWrite => "medical.modification",
            AuditAction::MedicalAccessChange => "medical.droits",
            AuditAction::MedicalDelegationGrant => "medical.delegation",
            AuditAction::MedicalDelegationRevoke => "medical.delegation_revocation",
            AuditAction::MedicalEmergencyAccess => "medical.bris_de_glace",
            AuditAction::MedicalEmergencyReview => "medical.bris_de_glace_revue",
            AuditAction::SoinsRead => "soins.consultation",
            AuditAction::SoinsMeasureRecord => "soins.mesure",
            AuditAction::SoinsMeasureCancel => "soins.annulation_mesure",
            AuditAction::TransmissionWrite => "transmission.ecriture",
            AuditAction::TransmissionCorrect => "transmission.correction",
            AuditAction::TransmissionRead => "transmission.consultation",
            AuditAction::TransmissionReleveRead => "transmission.releve",
            AuditAction::TransmissionMarkRead => "transmission.lecture",
            AuditAction::SearchRead => "recherche.plein_texte",
            AuditAction::PlanSoinsRead => "plan_soins.consultation",
            AuditAction::PlanSoinsChange => "plan_soins.modification",
            AuditAction::PlanSoinsRecord => "plan_soins.realisation",
            AuditAction::EcritWrite => "ecrit.ecriture",
            AuditAction::EcritCorrect => "ecrit.correction",
            AuditAction::EcritWithdraw => "ecrit.retrait",
            AuditAction::EcritRead => "ecrit.consultation",
            AuditAction::LiaisonWrite => "liaison.ecriture",
            AuditAction::LiaisonCorrect => "liaison.correction",
            AuditAction::LiaisonRemove => "liaison.retrait",
            AuditAction::LiaisonRead => "liaison.consultation",
            AuditAction::LiaisonMarkRead => "liaison.lecture",
            AuditAction::LiaisonSuivi => "liaison.suivi",
            AuditAction::TimelineRead => "chronologie.consultation",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            AuditAction::UsagerRead => "Consultation du dossier",
            AuditAction::UsagerList => "Liste des usagers",
            AuditAction::UsagerSearch => "Recherche d'usagers",
            AuditAction::UsagerCreate => "Création",
            AuditAction::UsagerIdentityEdit => "Modification de l'identité",
            AuditAction::UsagerStatusChange => "Changement du statut d'identité",
            AuditAction::UsagerHistoryRead => "Consultation de l'historique des modifications",
            AuditAction::UsagerAccessHistoryRead => "Consultation de l'historique des accès",
            AuditAction::AccessDenied => "Accès refusé",
            AuditAction::Login => "Connexion",
            AuditAction::LoginFailed => "Échec de connexion",
            AuditAction::Logout => "Déconnexion",
            AuditAction::LogoutEverywhere => "Déconnexion de toutes les sessions",
            AuditAction::StructureChange => "Modification des structures",
            AuditAction::AccountChange => "Modification d'un compte",
            AuditAction::AdmissionChange => "Admission, séjour, contrat ou décision d'orientation",
            AuditAction::EntourageChange => "Entourage, protection juridique ou partenaires",
            AuditAction::ConsentRecord => "Enregistrement d'un consentement",
            AuditAction::PartnerChange => "Annuaire des partenaires",
            AuditAction::WaitingListRead => "Consultation de la liste d'attente",
            AuditAction::EvaluationChange => "Évaluation (besoins, AGGIR)",
            AuditAction::ProjetChange => "Projet personnalisé",
            AuditAction::ActivityRead => "Consultation de l'activité d'un établissement (GMP)",
            AuditAction::MedicalRead => "Consultation du dossier médical",
            AuditAction::MedicalWrite => "Écriture dans le dossier médical",
            AuditAction::MedicalAccessChange => "Droits d'accès au dossier médical",
            AuditAction::MedicalDelegationGrant => "Délégation d'accès au dossier médical",
            AuditAction::MedicalDelegationRevoke => {
                "Révocation d'une délégation d'accès au dossier médical"
            }
            AuditAction::MedicalEmergencyAccess => {
                "Accès en urgence au dossier médical (bris de glace)"
            }
            AuditAction::MedicalEmergencyReview => "Revue d'un accès en urgence au dossier médical",
            AuditAction::SoinsRead => "Consultation du dossier de soins (constantes)",
            AuditAction::SoinsMeasureRecord => "Enregistrement de mesures (constantes)",
            AuditAction::SoinsMeasureCancel => "Annulation ou correction d'une mesure",
            AuditAction::TransmissionWrite => "Écriture d'une transmission ciblée",
            AuditAction::TransmissionCorrect => "Correction d'une transmission ciblée",
            AuditAction::TransmissionRead => "Consultation des transmissions",
            AuditAction::TransmissionReleveRead => "Consultation de la relève d'une unité",
            AuditAction::TransmissionMarkRead => "Transmission marquée comme lue",
            AuditAction::SearchRead => "Recherche dans les transmissions et les écrits",
            AuditAction::PlanSoinsRead => "Consultation du plan de soins",
            AuditAction::PlanSoinsChange => "Modification du plan de soins",
            AuditAction::PlanSoinsRecord => "Réalisation d'une tâche du plan de soins",
            AuditAction::EcritWrite => "Écriture d'un écrit professionnel",
            AuditAction::EcritCorrect => "Correction d'un écrit professionnel",
            AuditAction::EcritWithdraw => "Retrait d'un écrit professionnel",
            AuditAction::EcritRead => "Consultation des écrits professionnels",
            AuditAction::LiaisonWrite => "Écriture d'un message du cahier de liaison",
            AuditAction::LiaisonCorrect => "Correction d'un message du cahier de liaison",
            AuditAction::LiaisonRemove => "Retrait d'un message du cahier de liaison",
            AuditAction::LiaisonRead => "Consultation du cahier de liaison",
            AuditAction::LiaisonMarkRead => "Message du cahier de liaison marqué comme lu",
            AuditAction::LiaisonSuivi => "Suivi d'une chose à faire du cahier de liaison",
            AuditAction::TimelineRead => "Consultation de la chronologie",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.iter().copied().find(|a| a.code() == code)
    }
}

/// One line of a person's access history, as shown to the roles allowed to see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccessEntry {
    pub seq: i64,
    pub at: jiff::Timestamp,
    pub professional: String,
    pub action_code: String,
    pub action_label: String,
    pub ip: String,
}

impl App {
    /// Who opened or changed this person's record, newest first (itself an audited read).
    pub async fn access_history(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        before_seq: Option<i64>,
    ) -> AppResult<Vec<AccessEntry>> {
        let placements = placements_of(self, ctx, usager).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        self.gate_usager(ctx, Action::ViewAccessHistory, &resource, usager)
            .await?;
        let rows = parcours_store::audit::for_usager(
            &self.db,
            ctx.org(),
            usager.as_uuid(),
            before_seq,
            100,
        )
        .await?;
        self.audit_alone(
            ctx,
            AuditAction::UsagerAccessHistoryRead,
            Some(usager),
            "usager",
            serde_json::json!({}),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AccessEntry {
                seq: r.seq,
                at: jiff::Timestamp::from_microsecond(r.at).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                professional: r.actor_label,
                action_label: AuditAction::from_code(&r.action)
                    .map(|a| a.label_fr())
                    .unwrap_or("Autre")
                    .to_string(),
                action_code: r.action,
                ip: r.ip,
            })
            .collect())
    }

    /// Checks the hash chain of every organisation (the CLI's `audit verify`). Returns, per
    /// organisation, the number of events checked or the first broken link.
    pub async fn verify_audit(
        &self,
    ) -> AppResult<Vec<(uuid::Uuid, String, Result<i64, BrokenLink>)>> {
        let mut out = Vec::new();
        for org in parcours_store::organisation::list_organisations(&self.db).await? {
            let result = parcours_store::audit::verify(&self.db, org.id).await?;
            out.push((org.id, org.name, result));
        }
        Ok(out)
    }
}
