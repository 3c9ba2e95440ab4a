//! PDF documents rendered on the server: the projet personnalisé (written for the person it is about) and
//! the AGGIR evaluation.
//!
//! Why a crate of its own, with no dependency on the other Parcours crates: PDF rendering pulls in a font
//! subsetter and a PDF writer that only the web layer needs, and the documents are plain views. The web layer
//! maps the app's values into the input structs below (strings already formatted in French, dates included),
//! so this crate never decides what a person may see: it only lays out what it is given.
//!
//! Every PDF is:
//! - **tagged and checked against PDF/UA-1** by krilla (headings with titles, paragraphs, lists, tables,
//!   an outline, document language `fr`, a title shown by readers), so a screen reader reads it in order;
//! - **self-contained**: DejaVu Sans and DejaVu Sans Bold are compiled in (`fonts/`) and subset into each file,
//!   so neither the server nor the reader needs any font installed;
//! - **A4 portrait**, with "Page n / N" in the footer, long texts wrapped and flowing onto new pages;
//! - **deterministic**: no creation date, identifiers derived from the content, so the same input gives the
//!   same bytes (a stored document can be checked against a re-rendering).

mod aggir;
mod layout;
mod projet;
mod text;

pub use aggir::{AggirDocument, AggirSubVariable, AggirVariable, aggir_pdf};
pub use projet::{
    Accord, Action, Attente, Besoin, Bilan, BilanObjectif, Objectif, Participant, ProjetDocument,
    SerafinItem, projet_pdf,
};

/// How the document is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Large type (body about 17 pt instead of 12 pt, headings in proportion), for people with low vision
    /// or who read more easily with big letters. The layout stays one column; the document gets longer.
    pub large_type: bool,
}

/// Why a PDF could not be produced. None of these depend on the input's content (any text is accepted:
/// characters the fonts cannot draw are replaced), so each one is a defect to log, not a user error.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An embedded font could not be parsed (a corrupted build).
    #[error("the embedded font {0} cannot be read")]
    Font(&'static str),
    /// krilla refused the PDF/UA configuration.
    #[error("the PDF configuration was refused: {0}")]
    Configuration(String),
    /// A page geometry could not be built.
    #[error("the page layout is invalid: {0}")]
    Layout(&'static str),
    /// krilla failed to write the file, or the PDF/UA-1 validation failed.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}
