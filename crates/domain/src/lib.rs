//! The domain of Parcours: pure types and rules, no I/O, no async. Business strings with a rule are
//! newtypes built by `parse` (parse, don't validate); statuses are enums; rules that come from a
//! text (NIR key, RNIV transitions, FINESS key) are table-driven and cite it.

pub mod admission;
pub mod aggir;
pub mod authz;
pub mod clock;
pub mod codelist;
pub mod consent;
pub mod ecrit;
pub mod entourage;
pub mod error;
pub mod identity;
pub mod ids;
pub mod input;
pub mod liaison;
pub mod medical;
pub mod medical_document;
pub mod orientation;
pub mod partner;
pub mod plan_soins;
pub mod professional;
pub mod projet;
pub mod rniv;
pub mod search;
pub mod serafin;
pub mod soins;
pub mod structure;
pub mod text;
pub mod timeline;
pub mod transmission;
