//! parcours-web
