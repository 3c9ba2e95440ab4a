//! Medical documents of the medical file (comptes rendus, ordonnances, résultats, imagerie…): what a
//! file must be to be filed, and its metadata (type from `data/types-document-medical.csv`, title,
//! date of the document).
//!
//! The type of a file is read from its first bytes ("magic numbers"), never from its name or from the
//! content type a browser announces: a renamed executable must not be filed as a PDF, and a PNG
//! called `.pdf` is stored, served and named as the PNG it is.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::codelist::types_document_medical;
use crate::error::{FieldError, FieldErrors};
use crate::input;

/// Largest file accepted: 10 MiB, a scanned multi-page hospital report. A product choice that keeps
/// the database (which holds the bytes) and the tablet's upload reasonable.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Longest title.
pub const TITLE_MAX: usize = 200;

/// The field name of the file in forms and the API.
pub const FILE_FIELD: &str = "fichier";

/// The kinds of files accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
}

impl MediaType {
    pub const ALL: &'static [MediaType] = &[MediaType::Pdf, MediaType::Jpeg, MediaType::Png];

    /// Recognises a file by its first bytes: `%PDF-` (ISO 32000-1 §7.5.2), the JPEG SOI marker
    /// followed by a marker (`FF D8 FF`, ITU T.81), the PNG signature (ISO/IEC 15948 §5.2).
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    /// The MIME type stored and served.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    pub fn from_mime(s: &str) -> Option<MediaType> {
        MediaType::ALL.iter().copied().find(|m| m.mime() == s)
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF",
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
        }
    }
}

/// Checks a file received: not empty, at most [`MAX_BYTES`], a PDF, JPEG or PNG by its content.
pub fn check_file(bytes: &[u8]) -> Result<MediaType, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(
            FILE_FIELD,
            "Choisissez un fichier (PDF, JPEG ou PNG).",
        ));
    }
    if bytes.len() > MAX_BYTES {
        return Err(too_large());
    }
    MediaType::sniff(bytes).ok_or_else(|| {
        FieldError::new(
            FILE_FIELD,
            "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG : il ne peut pas être versé au dossier.",
        )
    })
}

/// The error of a file over [`MAX_BYTES`] (also given when the upload itself is cut short).
pub fn too_large() -> FieldError {
    FieldError::new(
        FILE_FIELD,
        format!(
            "Le fichier dépasse la taille maximale de {} Mio.",
            MAX_BYTES / (1024 * 1024)
        ),
    )
}

/// The name a file is served under: the title's safe characters, and the extension of its real
/// type (never the name it was sent with, which may lie).
pub fn download_name(title: &str, media: MediaType) -> String {
    let mut base: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    base.truncate(base.char_indices().nth(80).map_or(base.len(), |(i, _)| i));
    let base = base.trim_matches('_');
    let base = if base.is_empty() { "document" } else { base };
    format!("{base}.{}", media.extension())
}

/// The sent file name, kept for the record (one line, at most 200 characters, no path).
pub fn clean_filename(s: &str) -> String {
    let name = s.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(TITLE_MAX)
        .collect();
    if name.trim().is_empty() {
        "document".to_string()
    } else {
        name.trim().to_string()
    }
}

/// The metadata of a document as typed in a form or a JSON body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocumentMeta {
    /// A code of `data/types-document-medical.csv` (`cr_hospitalisation`, `ordonnance`…).
    #[serde(default)]
    pub doc_type: String,
    #[serde(default)]
    pub title: String,
    /// The date of the document (`YYYY-MM-DD`), not in the future.
    #[serde(default)]
    pub date: String,
}

/// Checked metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    pub doc_type: String,
    pub title: String,
    pub date: Date,
}

impl RawDocumentMeta {
    pub fn parse(&self, today: Date) -> Result<DocumentMeta, FieldErrors> {
        let mut e = FieldErrors::default();
        let doc_type = e.take(types_document_medical().parse_code("doc_type", &self.doc_type));
        let title = e.take(input::text("title", &self.title, TITLE_MAX));
        let date = e.take(input::date("date", &self.date));
        if let Some(d) = date
            && d > today
        {
            e.push(
                "date",
                "La date du document ne peut pas être dans le futur.",
            );
        }
        match (doc_type, title, date) {
            (Some(doc_type), Some(title), Some(date)) if e.is_empty() => Ok(DocumentMeta {
                doc_type,
                title,
                date,
            }),
            _ => Err(e),
        }
    }
}

/// The reason of a withdrawal: required, one line.
pub fn parse_withdraw_reason(s: &str) -> Result<String, FieldError> {
    input::opt_line("reason", s, crate::medical::SHORT_TEXT)?.ok_or_else(|| {
        FieldError::new(
            "reason",
            "Indiquez pourquoi le document est retiré (il reste conservé).",
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn recognises_files_by_their_content_not_their_name() {
        assert_eq!(MediaType::sniff(b"%PDF-1.4\n"), Some(MediaType::Pdf));
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            MediaType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(MediaType::Png)
        );
        assert_eq!(MediaType::sniff(b"MZ\x90\0"), None);
        assert_eq!(MediaType::sniff(b"<html>"), None);
        assert!(check_file(b"MZ\x90\0\x03").is_err());
        assert!(check_file(b"").is_err());
        assert_eq!(check_file(b"%PDF-1.7").unwrap(), MediaType::Pdf);
    }

    #[test]
    fn refuses_a_file_over_the_limit() {
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        let e = check_file(&big).unwrap_err();
        assert!(e.message.contains("10 Mio"), "{}", e.message);
        big.truncate(MAX_BYTES);
        assert!(check_file(&big).is_ok());
    }

    #[test]
    fn checks_the_metadata() {
        let today = Date::constant(2026, 12, 2);
        let ok = RawDocumentMeta {
            doc_type: "ordonnance".into(),
            title: "  Ordonnance  du Dr Martin ".into(),
            date: "2026-12-01".into(),
        }
        .parse(today)
        .unwrap();
        assert_eq!(ok.title, "Ordonnance du Dr Martin");
        let e = RawDocumentMeta {
            doc_type: "recette".into(),
            title: "".into(),
            date: "2026-12-03".into(),
        }
        .parse(today)
        .unwrap_err();
        assert!(e.get("doc_type").is_some());
        assert!(e.get("title").is_some());
        assert!(e.get("date").unwrap().contains("futur"));
    }

    #[test]
    fn names_downloads_after_the_real_type() {
        assert_eq!(
            download_name("CR d'hospitalisation", MediaType::Png),
            "CR_d_hospitalisation.png"
        );
        assert_eq!(download_name("///", MediaType::Pdf), "document.pdf");
        assert_eq!(clean_filename("C:\\tmp\\scan.pdf"), "scan.pdf");
    }
}
