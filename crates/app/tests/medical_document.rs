//! Medical documents of the medical file, on SQLite and PostgreSQL: the file's type read from its
//! content (a PNG named `.pdf` is a PNG; an executable is refused), the size limit, bytes returned
//! identical (SHA-256), the access matrix (every role in and out of scope, a delegation during and
//! after its period, break-the-glass), versions (metadata corrections, new files, old files still
//! downloadable), withdrawal, and the audit trail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use parcours_app::medical_document::Upload;
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::authz::{Assignment, DenyReason};
use parcours_domain::ids::UsagerId;
use parcours_domain::medical::RawDelegation;
use parcours_domain::medical_document::{MAX_BYTES, RawDocumentMeta};
use parcours_domain::professional::Role;
use sha2::{Digest, Sha256};

async fn resident(fx: &Fixture, ctx: &Ctx, name: &str) -> UsagerId {
    fx.app
        .create_usager(
            ctx,
            &NewUsager {
                identity: identity(name, "Jeanne", None),
                placement: fx.placement(fx.ehpad, fx.glycines),
                local_id: String::new(),
                confirm_not_duplicate: false,
            },
        )
        .await
        .unwrap()
}

/// A small valid PDF.
fn pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n\
         % {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    .into_bytes()
}

fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    b.extend_from_slice(&[0x1f, 0x15, 0xc4, 0x89]);
    b
}

fn upload(name: &str, bytes: Vec<u8>) -> Upload {
    Upload {
        filename: name.into(),
        bytes,
        truncated: false,
    }
}

fn meta(doc_type: &str, title: &str, date: &str) -> RawDocumentMeta {
    RawDocumentMeta {
        doc_type: doc_type.into(),
        title: title.into(),
        date: date.into(),
    }
}

fn field(e: AppError, f: &str) -> String {
    match e {
        AppError::Validation(v) => v
            .get(f)
            .unwrap_or_else(|| panic!("no error on {f}: {v}"))
            .to_string(),
        other => panic!("expected a validation error on {f}, got {other:?}"),
    }
}

fn sha(b: &[u8]) -> String {
    hex_lower(&Sha256::digest(b))
}

fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

async fn audit_codes(fx: &Fixture, person: UsagerId) -> Vec<(String, String)> {
    parcours_store::audit::for_usager(&fx.app.db, fx.org.as_uuid(), person.as_uuid(), None, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

async fn files_are_recognised_by_content_limited_in_size_and_returned_identical(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let person = resident(&fx, &direction, "FICHIERS").await;

    // A PNG sent under a .pdf name is stored, served and named as a PNG.
    let image = png();
    let id = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("imagerie", "Radiographie du poignet", "2026-11-20"),
            &upload("radio.pdf", image.clone()),
        )
        .await
        .unwrap();
    let file = fx
        .app
        .medical_document_file(&medecin, person, id, None)
        .await
        .unwrap();
    assert_eq!(file.media_type.mime(), "image/png");
    assert!(file.filename.ends_with(".png"), "{}", file.filename);
    assert_eq!(file.bytes, image);
    assert_eq!(file.sha256, sha(&image));

    // A PDF of some size comes back byte for byte.
    let mut report = pdf("Compte rendu");
    report.extend((0..300_000u32).map(|i| (i % 251) as u8));
    let id2 = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("cr_hospitalisation", "CRH CHU de Tours", "2026-11-18"),
            &upload("crh.pdf", report.clone()),
        )
        .await
        .unwrap();
    let back = fx
        .app
        .medical_document_file(&medecin, person, id2, None)
        .await
        .unwrap();
    assert_eq!(sha(&back.bytes), sha(&report));
    assert_eq!(back.bytes.len(), report.len());

    // Refused, in French, and nothing written: an executable, an empty file, too large a file,
    // bad metadata (all errors at once).
    let before = fx.app.medical_documents(&medecin, person).await.unwrap();
    assert_eq!(before.len(), 2);
    let e = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("ordonnance", "Ordonnance", "2026-11-20"),
            &upload("ordonnance.pdf", b"MZ\x90\0\x03\0\0\0\x04\0".to_vec()),
        )
        .await
        .unwrap_err();
    assert!(field(e, "fichier").contains("ni un PDF"));
    let e = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("ordonnance", "Ordonnance", "2026-11-20"),
            &upload("vide.pdf", Vec::new()),
        )
        .await
        .unwrap_err();
    assert!(field(e, "fichier").contains("Choisissez un fichier"));
    let mut big = pdf("gros");
    big.resize(MAX_BYTES + 1, b' ');
    let e = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("ordonnance", "Ordonnance", "2026-11-20"),
            &upload("gros.pdf", big),
        )
        .await
        .unwrap_err();
    assert!(field(e, "fichier").contains("10 Mio"));
    let truncated = Upload {
        truncated: true,
        ..upload("gros.pdf", Vec::new())
    };
    let e = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("ordonnance", "Ordonnance", "2026-11-20"),
            &truncated,
        )
        .await
        .unwrap_err();
    assert!(field(e, "fichier").contains("10 Mio"));
    let e = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("recette", "", "2099-01-01"),
            &upload("x.exe", b"MZ".to_vec()),
        )
        .await
        .unwrap_err();
    match e {
        AppError::Validation(v) => {
            assert!(v.get("doc_type").is_some());
            assert!(v.get("title").is_some());
            assert!(v.get("date").unwrap().contains("futur"));
            assert!(v.get("fichier").is_some());
        }
        other => panic!("{other:?}"),
    }
    let after = fx.app.medical_documents(&medecin, person).await.unwrap();
    assert_eq!(after.len(), 2);
    // Newest document date first.
    assert_eq!(after[0].title, "Radiographie du poignet");
    assert_eq!(after[1].type_label, "Compte rendu d'hospitalisation");
    assert_eq!(after[1].filed_by, "Paul Lefèvre");
    assert_eq!(after[1].size_bytes, report.len() as i64);

    // A document of another person is not found under this one.
    let other = resident(&fx, &direction, "AUTRE").await;
    assert!(matches!(
        fx.app
            .medical_document_file(&medecin, other, id, None)
            .await,
        Err(AppError::NotFound)
    ));
}

/// A professional of `role`, assigned to the whole EHPAD (where the person lives) or to the DITEP.
async fn actor(fx: &Fixture, role: Role, in_scope: bool) -> Ctx {
    let mut ctx = fx.ctx("medecin").await;
    ctx.actor.role = role;
    ctx.actor.assignments = vec![Assignment {
        etablissement: if in_scope { fx.ehpad } else { fx.ditep },
        unite: None,
    }];
    ctx
}

async fn documents_follow_the_medical_secret_delegation_and_break_the_glass(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let person = resident(&fx, &direction, "MATRICE").await;
    let id = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("ordonnance", "Ordonnance du Dr Lefèvre", "2026-11-20"),
            &upload("o.pdf", pdf("ordonnance")),
        )
        .await
        .unwrap();
    for role in Role::ALL {
        for in_scope in [true, false] {
            let ctx = actor(&fx, *role, in_scope).await;
            let what = format!("{role:?} in_scope={in_scope}");
            let medical = matches!(role, Role::Medecin | Role::Infirmier);
            let list = fx.app.medical_documents(&ctx, person).await;
            let download = fx.app.medical_document_file(&ctx, person, id, None).await;
            let add = fx
                .app
                .add_medical_document(
                    &ctx,
                    person,
                    &meta("courrier", "Courrier", "2026-11-20"),
                    &upload("c.pdf", pdf("courrier")),
                )
                .await;
            match (medical, in_scope) {
                (true, true) => {
                    assert!(list.is_ok(), "{what}");
                    assert!(download.is_ok(), "{what}");
                    assert!(add.is_ok(), "{what}");
                }
                (true, false) => {
                    for r in [list.err(), download.err(), add.err()] {
                        assert!(
                            matches!(r, Some(AppError::Forbidden(DenyReason::OutOfScope))),
                            "{what}: {r:?}"
                        );
                    }
                }
                (false, _) => {
                    for r in [list.err(), download.err(), add.err()] {
                        assert!(matches!(r, Some(AppError::Forbidden(_))), "{what}: {r:?}");
                    }
                }
            }
        }
    }

    // A delegation lets an aide-soignant read and download during its period, never write.
    let aes = fx.ctx("as.glycines").await;
    let delegate = aes.user().as_uuid().to_string();
    fx.clock.set("2026-11-23T08:00:00Z".parse().unwrap());
    fx.app
        .grant_medical_delegation(
            &medecin,
            person,
            &RawDelegation {
                delegate,
                starts_on: "2026-11-24".into(),
                ends_on: "2026-11-30".into(),
                reason: "Absence du médecin coordonnateur".into(),
            },
        )
        .await
        .unwrap();
    assert!(fx.app.medical_documents(&aes, person).await.is_err());
    fx.clock.set("2026-11-25T08:00:00Z".parse().unwrap());
    assert_eq!(
        fx.app.medical_documents(&aes, person).await.unwrap().len(),
        3
    );
    assert!(
        fx.app
            .medical_document_file(&aes, person, id, None)
            .await
            .is_ok()
    );
    assert!(matches!(
        fx.app
            .withdraw_medical_document(&aes, person, id, "Erreur")
            .await,
        Err(AppError::Forbidden(_))
    ));
    let doc = fx.app.medical_document(&aes, person, id).await.unwrap();
    assert!(!doc.can_write);
    // After its end, nothing.
    fx.clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    assert!(matches!(
        fx.app.medical_document_file(&aes, person, id, None).await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));

    // Break-the-glass opens reading for two hours, never writing.
    let educ = fx.ctx("as.glycines").await;
    fx.app
        .break_the_glass(&educ, person, "Chute, appel du SAMU, traitements")
        .await
        .unwrap();
    assert!(
        fx.app
            .medical_document_file(&educ, person, id, None)
            .await
            .is_ok()
    );
    assert!(matches!(
        fx.app
            .add_medical_document(
                &educ,
                person,
                &meta("courrier", "Courrier", "2026-11-20"),
                &upload("c.pdf", pdf("x")),
            )
            .await,
        Err(AppError::Forbidden(_))
    ));
    fx.clock.advance(jiff::SignedDuration::from_mins(121));
    assert!(fx.app.medical_documents(&educ, person).await.is_err());

    // Reads through a temporary access name it in the audit trail.
    let events = audit_codes(&fx, person).await;
    assert!(events.iter().any(|(a, d)| a == "medical.consultation"
        && d.contains("delegation")
        && d.contains("telechargement")));
    assert!(events.iter().any(|(a, d)| a == "medical.consultation"
        && d.contains("bris_de_glace")
        && d.contains("telechargement")));
}

async fn nothing_is_lost_versions_withdrawal_and_audit(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let ide = actor(&fx, Role::Infirmier, true).await;
    let person = resident(&fx, &direction, "VERSIONS").await;
    let first = pdf("première version");
    let id = fx
        .app
        .add_medical_document(
            &medecin,
            person,
            &meta("biologie", "Bilan sanguin", "2026-11-10"),
            &upload("bilan.pdf", first.clone()),
        )
        .await
        .unwrap();

    // A metadata correction: version 2, same file.
    fx.app
        .correct_medical_document(
            &ide,
            person,
            id,
            1,
            &meta("biologie", "Bilan sanguin — NFS, ionogramme", "2026-11-10"),
            "Titre précisé",
        )
        .await
        .unwrap();
    // Unchanged, stale or on another person: refused.
    let e = fx
        .app
        .correct_medical_document(
            &ide,
            person,
            id,
            2,
            &meta("biologie", "Bilan sanguin — NFS, ionogramme", "2026-11-10"),
            "",
        )
        .await
        .unwrap_err();
    assert!(field(e, "title").contains("Aucune modification"));
    assert!(matches!(
        fx.app
            .correct_medical_document(
                &ide,
                person,
                id,
                1,
                &meta("biologie", "Autre", "2026-11-10"),
                ""
            )
            .await,
        Err(AppError::Conflict)
    ));

    // A new file: version 3; the first file stays downloadable.
    let second = pdf("deuxième version, résultats complétés");
    fx.app
        .replace_medical_document(
            &medecin,
            person,
            id,
            2,
            &upload("bilan-complet.pdf", second.clone()),
            "Résultats complétés par le laboratoire",
        )
        .await
        .unwrap();
    let e = fx
        .app
        .replace_medical_document(
            &medecin,
            person,
            id,
            3,
            &upload("x.exe", b"MZ\x90".to_vec()),
            "",
        )
        .await
        .unwrap_err();
    assert!(field(e, "fichier").contains("ni un PDF"));
    let doc = fx.app.medical_document(&medecin, person, id).await.unwrap();
    assert_eq!(doc.item.version, 3);
    assert_eq!(doc.item.title, "Bilan sanguin — NFS, ionogramme");
    assert_eq!(doc.item.sha256, sha(&second));
    assert_eq!(doc.versions.len(), 3);
    assert!(doc.versions[0].new_file);
    assert!(!doc.versions[1].new_file);
    assert_eq!(doc.versions[1].reason.as_deref(), Some("Titre précisé"));
    assert!(doc.versions[2].new_file);
    assert_eq!(doc.versions[2].filename, "bilan-complet.pdf");
    let v1 = fx
        .app
        .medical_document_file(&medecin, person, id, Some(1))
        .await
        .unwrap();
    assert_eq!(v1.bytes, first);
    let v3 = fx
        .app
        .medical_document_file(&medecin, person, id, None)
        .await
        .unwrap();
    assert_eq!(v3.bytes, second);
    assert!(matches!(
        fx.app
            .medical_document_file(&medecin, person, id, Some(9))
            .await,
        Err(AppError::NotFound)
    ));

    // Withdrawal: a reason is required; the document stays readable, marked, and frozen.
    let e = fx
        .app
        .withdraw_medical_document(&medecin, person, id, "  ")
        .await
        .unwrap_err();
    assert!(field(e, "reason").contains("retiré"));
    fx.app
        .withdraw_medical_document(&medecin, person, id, "Versé dans le mauvais dossier")
        .await
        .unwrap();
    let e = fx
        .app
        .withdraw_medical_document(&medecin, person, id, "Encore")
        .await
        .unwrap_err();
    assert!(field(e, "reason").contains("déjà retiré"));
    let list = fx.app.medical_documents(&medecin, person).await.unwrap();
    let w = list[0].withdrawn.as_ref().unwrap();
    assert_eq!(w.reason, "Versé dans le mauvais dossier");
    assert_eq!(w.by, "Paul Lefèvre");
    assert!(
        fx.app
            .medical_document_file(&medecin, person, id, Some(1))
            .await
            .is_ok()
    );
    assert!(
        fx.app
            .replace_medical_document(&medecin, person, id, 3, &upload("n.pdf", pdf("n")), "")
            .await
            .is_err()
    );

    // The medical file carries the documents; the shared record history shows none of it.
    let file = fx.app.medical_file(&medecin, person).await.unwrap();
    assert_eq!(file.documents.len(), 1);
    let history = fx
        .app
        .record_history(&direction, person, 100)
        .await
        .unwrap();
    assert!(history.iter().all(|c| !c.kind.contains("document")));

    // Audit: every write and every read, with ids and versions, never the title.
    let events = audit_codes(&fx, person).await;
    let writes: Vec<_> = events
        .iter()
        .filter(|(a, _)| a == "medical.modification")
        .collect();
    assert_eq!(writes.len(), 4, "{writes:?}");
    for key in ["ajout", "correction", "remplacement", "retrait"] {
        assert!(writes.iter().any(|(_, d)| d.contains(key)), "{key}");
    }
    assert!(
        events
            .iter()
            .any(|(a, d)| a == "medical.consultation" && d.contains("\"version\":1"))
    );
    assert!(events.iter().all(|(_, d)| !d.contains("Bilan")));
}

both!(
    medical_document_files => files_are_recognised_by_content_limited_in_size_and_returned_identical,
    medical_document_matrix => documents_follow_the_medical_secret_delegation_and_break_the_glass,
    medical_document_versions => nothing_is_lost_versions_withdrawal_and_audit,
);
