//! parcours-domain
