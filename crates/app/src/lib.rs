//! parcours-app
