//! Medical documents of the medical file: comptes rendus, ordonnances, results, imaging, letters,
//! certificates… filed as PDF, JPEG or PNG files (recognised by their content), with a type, a title
//! and the document's date.
//!
//! They are part of the medical file and follow its rules exactly: `ReadMedical` / `WriteMedical`
//! through [`App::decide`] (the organisation's setting per role, delegations and break-the-glass for
//! reading), every read, download and write audited (details name ids and versions, never titles).
//! Nothing is lost: a metadata correction or a new file is a new version, and every earlier version
//! and file stays downloadable; a withdrawal is logical, with a reason, and the document stays
//! readable to who may read the file.

use std::collections::HashMap;

use parcours_domain::authz::Action;
use parcours_domain::codelist::types_document_medical;
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::UsagerId;
use parcours_domain::medical_document::{self as rules, DocumentMeta, MediaType, RawDocumentMeta};
use parcours_store::medical_document as store;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::usager::micros_to_ts;
use crate::{App, AppError, AppResult, Ctx};

/// A file as received (the name it was sent with, and its bytes).
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
    /// The body was cut at the size limit: the file is too large whatever its first bytes.
    pub truncated: bool,
}

/// Who withdrew a document, when and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Withdrawal {
    #[schema(value_type = String)]
    pub at: jiff::Timestamp,
    pub by: String,
    pub reason: String,
}

/// A medical document in a list: its current version, never its bytes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentItem {
    #[schema(value_type = String)]
    pub id: Uuid,
    /// The current version (raised by a correction or a new file).
    pub version: i64,
    /// A code of `data/types-document-medical.csv`.
    pub doc_type: String,
    pub type_label: String,
    pub title: String,
    /// The document's own date, `YYYY-MM-DD`.
    pub date: String,
    /// `application/pdf`, `image/jpeg` or `image/png`, read from the content.
    pub media_type: String,
    pub media_label: &'static str,
    pub size_bytes: i64,
    /// SHA-256 of the current file, hexadecimal.
    pub sha256: String,
    /// Who filed the document first, and when.
    pub filed_by: String,
    #[schema(value_type = String)]
    pub filed_at: jiff::Timestamp,
    /// Who wrote the current version, and when.
    pub updated_by: String,
    #[schema(value_type = String)]
    pub updated_at: jiff::Timestamp,
    pub withdrawn: Option<Withdrawal>,
}

/// One version of a document.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentVersion {
    pub version: i64,
    pub doc_type: String,
    pub type_label: String,
    pub title: String,
    pub date: String,
    pub media_type: String,
    pub media_label: &'static str,
    pub size_bytes: i64,
    pub sha256: String,
    /// The name the file was sent with (kept for the record; downloads are named after the title).
    pub filename: String,
    /// Whether this version brought a new file (the first one always does).
    pub new_file: bool,
    /// Why it was written (corrections and new files).
    pub reason: Option<String>,
    pub written_by: String,
    #[schema(value_type = String)]
    pub written_at: jiff::Timestamp,
}

/// A document with all its versions, oldest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentDetail {
    #[serde(flatten)]
    pub item: DocumentItem,
    pub versions: Vec<DocumentVersion>,
    /// Whether the reader may correct, replace or withdraw it.
    pub can_write: bool,
}

/// A file to send back: its real type, a safe name and the bytes.
#[derive(Debug, Clone)]
pub struct DocumentDownload {
    pub media_type: MediaType,
    pub filename: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

fn media_label(mime: &str) -> &'static str {
    MediaType::from_mime(mime).map_or("", |m| m.label_fr())
}

fn type_label(code: &str) -> String {
    types_document_medical().label(code).to_string()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn item(row: store::DocumentRow, names: &HashMap<Uuid, String>) -> DocumentItem {
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    DocumentItem {
        id: row.id,
        version: row.version,
        type_label: type_label(&row.doc_type),
        doc_type: row.doc_type,
        title: row.title,
        date: row.document_date,
        media_label: media_label(&row.media_type),
        media_type: row.media_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        filed_by: name(&row.created_by),
        filed_at: micros_to_ts(row.created_at),
        updated_by: name(&row.updated_by),
        updated_at: micros_to_ts(row.updated_at),
        withdrawn: match (row.withdrawn_at, row.withdrawn_by, row.withdraw_reason) {
            (Some(at), Some(by), Some(reason)) => Some(Withdrawal {
                at: micros_to_ts(at),
                by: name(&by),
                reason,
            }),
            _ => None,
        },
    }
}

impl App {
    /// The documents of a person's medical file, newest first: part of reading the file (the
    /// caller has passed the gate for `ReadMedical` and audits the read).
    pub(crate) async fn document_items(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        names: &HashMap<Uuid, String>,
    ) -> AppResult<Vec<DocumentItem>> {
        Ok(store::list(&self.db, ctx.org(), usager.as_uuid())
            .await?
            .into_iter()
            .map(|r| item(r, names))
            .collect())
    }

    /// The documents of a person's medical file (medical secret: gated, and the read audited).
    pub async fn medical_documents(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
    ) -> AppResult<Vec<DocumentItem>> {
        self.gate_person(ctx, Action::ReadMedical, usager).await?;
        let names = self.user_names(ctx).await?;
        let items = self.document_items(ctx, usager, &names).await?;
        let mut detail = self.medical_read_detail(ctx, usager).await?;
        detail["documents"] = json!(true);
        self.audit_alone(
            ctx,
            AuditAction::MedicalRead,
            Some(usager),
            "dossier_medical",
            detail,
        )
        .await?;
        Ok(items)
    }

    /// The document, if it belongs to this person (NotFound otherwise: never act under another
    /// person's URL).
    async fn owned_document(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
    ) -> AppResult<store::DocumentRow> {
        match store::get(&self.db, ctx.org(), id).await? {
            Some(d) if d.usager_id == usager.as_uuid() => Ok(d),
            _ => Err(AppError::NotFound),
        }
    }

    /// One document with every version (gated, audited).
    pub async fn medical_document(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
    ) -> AppResult<DocumentDetail> {
        self.gate_person(ctx, Action::ReadMedical, usager).await?;
        let row = self.owned_document(ctx, usager, id).await?;
        let names = self.user_names(ctx).await?;
        let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
        let mut previous_content = None;
        let versions = store::versions(&self.db, ctx.org(), id)
            .await?
            .into_iter()
            .map(|v| {
                let new_file = previous_content != Some(v.content_id);
                previous_content = Some(v.content_id);
                DocumentVersion {
                    version: v.version,
                    type_label: type_label(&v.doc_type),
                    doc_type: v.doc_type,
                    title: v.title,
                    date: v.document_date,
                    media_label: media_label(&v.media_type),
                    media_type: v.media_type,
                    size_bytes: v.size_bytes,
                    sha256: v.sha256,
                    filename: v.filename,
                    new_file,
                    reason: v.reason,
                    written_by: name(&v.written_by),
                    written_at: micros_to_ts(v.written_at),
                }
            })
            .collect();
        let can_write = self.may_write_medical(ctx).await?;
        let mut detail = self.medical_read_detail(ctx, usager).await?;
        detail["document"] = json!(id);
        self.audit_alone(
            ctx,
            AuditAction::MedicalRead,
            Some(usager),
            "medical_document",
            detail,
        )
        .await?;
        Ok(DocumentDetail {
            item: item(row, &names),
            versions,
            can_write,
        })
    }

    /// The file of a document (its current version, or an earlier one), for a download (gated,
    /// audited with the version downloaded).
    pub async fn medical_document_file(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
        version: Option<i64>,
    ) -> AppResult<DocumentDownload> {
        self.gate_person(ctx, Action::ReadMedical, usager).await?;
        let row = self.owned_document(ctx, usager, id).await?;
        let version = version.unwrap_or(row.version);
        let content = store::content_of(&self.db, ctx.org(), id, version)
            .await?
            .ok_or(AppError::NotFound)?;
        let media_type = MediaType::from_mime(&content.media_type)
            .ok_or_else(|| AppError::Internal(format!("media type of document {id}")))?;
        let mut detail = self.medical_read_detail(ctx, usager).await?;
        detail["document"] = json!(id);
        detail["version"] = json!(version);
        detail["telechargement"] = json!(true);
        self.audit_alone(
            ctx,
            AuditAction::MedicalRead,
            Some(usager),
            "medical_document",
            detail,
        )
        .await?;
        Ok(DocumentDownload {
            media_type,
            filename: rules::download_name(&row.title, media_type),
            sha256: content.sha256,
            bytes: content.bytes,
        })
    }

    /// Checks a received file; its errors join the form's.
    fn check_upload(upload: &Upload, e: &mut FieldErrors) -> Option<MediaType> {
        if upload.truncated {
            e.add(rules::too_large());
            return None;
        }
        e.take(rules::check_file(&upload.bytes))
    }

    fn new_content(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        upload: &Upload,
        media: MediaType,
    ) -> store::NewContent {
        store::NewContent {
            organisation_id: ctx.org(),
            id: self.new_id(),
            usager_id: usager.as_uuid(),
            media_type: media.mime().to_string(),
            sha256: sha256_hex(&upload.bytes),
            filename: rules::clean_filename(&upload.filename),
            bytes: upload.bytes.clone(),
            created_at: self.now_micros(),
            created_by: ctx.user().as_uuid(),
        }
    }

    /// Files a document in a person's medical file (gated, validated, audited, one transaction).
    /// Returns its id.
    pub async fn add_medical_document(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawDocumentMeta,
        upload: &Upload,
    ) -> AppResult<Uuid> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        let mut e = FieldErrors::default();
        let meta = match raw.parse(self.today()) {
            Ok(m) => Some(m),
            Err(errs) => {
                errs.0.into_iter().for_each(|x| e.add(x));
                None
            }
        };
        let media = Self::check_upload(upload, &mut e);
        let (Some(meta), Some(media)) = (meta, media) else {
            return Err(AppError::Validation(e));
        };
        let content = self.new_content(ctx, usager, upload, media);
        let id = self.new_id();
        let mut tx = self.begin().await?;
        store::insert_content(&mut tx, &content).await?;
        store::insert(
            &mut tx,
            ctx.org(),
            id,
            usager.as_uuid(),
            &stored(&meta, content.id),
            content.created_at,
            content.created_by,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "medical_document",
            json!({"ajout": "document", "id": id, "version": 1}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects a document's type, title or date: a new version with the same file. `version` is
    /// the one the professional started from; a concurrent change is refused as a conflict.
    pub async fn correct_medical_document(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
        version: i64,
        raw: &RawDocumentMeta,
        reason: &str,
    ) -> AppResult<()> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        let row = self.owned_document(ctx, usager, id).await?;
        writable(&row)?;
        let meta = raw.parse(self.today())?;
        let reason = parcours_domain::medical::parse_reason(reason)?;
        if meta.doc_type == row.doc_type
            && meta.title == row.title
            && meta.date.to_string() == row.document_date
        {
            return Err(AppError::field(
                "title",
                "Aucune modification à enregistrer.",
            ));
        }
        let mut tx = self.begin().await?;
        let v = store::new_version(
            &mut tx,
            ctx.org(),
            id,
            version,
            &stored(&meta, row.content_id),
            reason.as_deref(),
            self.now_micros(),
            ctx.user().as_uuid(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "medical_document",
            json!({"correction": "document", "id": id, "version": v}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a document's file: a new version with the new file; every earlier file stays
    /// downloadable from the history.
    pub async fn replace_medical_document(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
        version: i64,
        upload: &Upload,
        reason: &str,
    ) -> AppResult<()> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        let row = self.owned_document(ctx, usager, id).await?;
        writable(&row)?;
        let mut e = FieldErrors::default();
        let media = Self::check_upload(upload, &mut e);
        let reason = e.take(parcours_domain::medical::parse_reason(reason));
        let (Some(media), Some(reason)) = (media, reason) else {
            return Err(AppError::Validation(e));
        };
        let content = self.new_content(ctx, usager, upload, media);
        let meta = store::Meta {
            doc_type: row.doc_type,
            title: row.title,
            document_date: row.document_date,
            content_id: content.id,
        };
        let mut tx = self.begin().await?;
        store::insert_content(&mut tx, &content).await?;
        let v = store::new_version(
            &mut tx,
            ctx.org(),
            id,
            version,
            &meta,
            reason.as_deref(),
            content.created_at,
            content.created_by,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "medical_document",
            json!({"remplacement": "document", "id": id, "version": v}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws a document (filed by mistake, in the wrong file…): it leaves the list of current
    /// documents but stays kept and readable, with who withdrew it, when and why. Audited.
    pub async fn withdraw_medical_document(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: Uuid,
        reason: &str,
    ) -> AppResult<()> {
        self.gate_person(ctx, Action::WriteMedical, usager).await?;
        self.owned_document(ctx, usager, id).await?;
        let reason = rules::parse_withdraw_reason(reason)?;
        let mut tx = self.begin().await?;
        if !store::withdraw(
            &mut tx,
            ctx.org(),
            id,
            self.now_micros(),
            ctx.user().as_uuid(),
            &reason,
        )
        .await?
        {
            return Err(AppError::field("reason", "Ce document est déjà retiré."));
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::MedicalWrite,
            Some(usager),
            "medical_document",
            json!({"retrait": "document", "id": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn stored(meta: &DocumentMeta, content_id: Uuid) -> store::Meta {
    store::Meta {
        doc_type: meta.doc_type.clone(),
        title: meta.title.clone(),
        document_date: meta.date.to_string(),
        content_id,
    }
}

/// A withdrawn document is kept as it was: no correction, no new file.
fn writable(row: &store::DocumentRow) -> AppResult<()> {
    if row.withdrawn_at.is_some() {
        Err(AppError::field(
            "reason",
            "Ce document a été retiré : il ne peut plus être modifié.",
        ))
    } else {
        Ok(())
    }
}

// -------------------------------------------------------------------------------------------------
// Demonstration data

/// A small valid one-page PDF showing `lines` (ASCII), with its cross-reference table computed from
/// the real offsets: the demo's documents open in any reader.
pub fn demo_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 60 780 Td 16 TL");
    for l in lines {
        let l: String = l
            .chars()
            .map(|c| match c {
                '(' | ')' | '\\' => ' ',
                c if c.is_ascii() => c,
                _ => '?',
            })
            .collect();
        text.push_str(&format!(" ({l}) Tj T*"));
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

impl App {
    /// A few documents in the medical files of EHPAD residents, filed by the physician: a hospital
    /// report, a prescription corrected once, a blood test replaced by its complete results, and a
    /// letter withdrawn (filed in the wrong file).
    pub(crate) async fn load_demo_medical_documents(
        &self,
        residents: &[UsagerId],
        today: jiff::civil::Date,
    ) -> AppResult<()> {
        let medecin = self.demo_ctx("medecin.ehpad").await?;
        let day = |n: i64| {
            today
                .checked_sub(jiff::Span::new().days(n))
                .unwrap_or(today)
                .to_string()
        };
        let file = |name: &str, lines: &[&str]| Upload {
            filename: name.to_string(),
            bytes: demo_pdf(lines),
            truncated: false,
        };
        let meta = |t: &str, title: &str, date: String| RawDocumentMeta {
            doc_type: t.to_string(),
            title: title.to_string(),
            date,
        };
        for (i, usager) in residents.iter().copied().enumerate() {
            let n = i64::try_from(i).unwrap_or(0);
            self.add_medical_document(
                &medecin,
                usager,
                &meta(
                    "cr_hospitalisation",
                    "Compte rendu d'hospitalisation — cardiologie, CHU de Tours",
                    day(40 + n),
                ),
                &file(
                    "CRH-cardiologie.pdf",
                    &[
                        "CHU de Tours - Service de cardiologie",
                        "Compte rendu d'hospitalisation (document de demonstration)",
                        "Motif : decompensation cardiaque. Retour en EHPAD.",
                    ],
                ),
            )
            .await?;
            let ordonnance = self
                .add_medical_document(
                    &medecin,
                    usager,
                    &meta("ordonnance", "Ordonnance de sortie", day(39 + n)),
                    &file(
                        "ordonnance.pdf",
                        &[
                            "Ordonnance (document de demonstration)",
                            "Furosemide 40 mg : 1 cp le matin",
                        ],
                    ),
                )
                .await?;
            if i == 0 {
                self.correct_medical_document(
                    &medecin,
                    usager,
                    ordonnance,
                    1,
                    &meta(
                        "ordonnance",
                        "Ordonnance de sortie — Dr Marchand, cardiologue",
                        day(39),
                    ),
                    "Prescripteur précisé",
                )
                .await?;
                let bilan = self
                    .add_medical_document(
                        &medecin,
                        usager,
                        &meta(
                            "biologie",
                            "Bilan biologique — NFS, ionogramme, créatinine",
                            day(7),
                        ),
                        &file(
                            "bilan.pdf",
                            &["Laboratoire (demonstration)", "Resultats partiels"],
                        ),
                    )
                    .await?;
                self.replace_medical_document(
                    &medecin,
                    usager,
                    bilan,
                    1,
                    &file(
                        "bilan-complet.pdf",
                        &[
                            "Laboratoire (demonstration)",
                            "Resultats complets, BNP inclus",
                        ],
                    ),
                    "Résultats complets reçus du laboratoire",
                )
                .await?;
                let courrier = self
                    .add_medical_document(
                        &medecin,
                        usager,
                        &meta("courrier", "Courrier du médecin traitant", day(3)),
                        &file("courrier.pdf", &["Courrier (demonstration)"]),
                    )
                    .await?;
                self.withdraw_medical_document(
                    &medecin,
                    usager,
                    courrier,
                    "Versé dans le dossier d'un autre résident par erreur",
                )
                .await?;
            }
        }
        Ok(())
    }
}
