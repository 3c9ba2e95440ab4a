//! parcours-store
