//! The SERAFIN-PH nomenclatures (besoins, prestations directes and indirectes): the tree, a search as
//! you type (htmx, same handler for the page and the fragment) and one page per concept with its
//! breadcrumb and children. Reference data without personal data: any logged-in professional may
//! read it, nothing is audited.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::routing::get;
use parcours_app::AppError;
use parcours_app::domain::serafin::{self, Concept, Family, Nomenclature};
use serde::Deserialize;

use super::{Choice, HtmlResult, Layout, render};
use crate::AppState;
use crate::auth::{CurrentUser, HxRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/nomenclatures/serafin", get(browse))
        .route("/nomenclatures/serafin/{code}", get(concept))
}

#[derive(Deserialize, Default)]
struct BrowseQuery {
    #[serde(default)]
    q: String,
    /// `besoins`, `prestations_directes`, `prestations_indirectes`; anything else means all.
    #[serde(default)]
    famille: String,
}

/// A concept in a list: code, label and the path above it.
struct Item {
    code: String,
    label: String,
    breadcrumb: String,
}

impl Item {
    fn of(n: &Nomenclature, c: &Concept) -> Item {
        Item {
            code: c.code.clone(),
            label: c.label.clone(),
            breadcrumb: n
                .ancestors(&c.code)
                .iter()
                .map(|a| format!("{} {}", a.code, a.label))
                .collect::<Vec<_>>()
                .join(" › "),
        }
    }
}

/// A concept of the tree with what is below it.
struct Node {
    code: String,
    label: String,
    children: Vec<Node>,
}

impl Node {
    fn of(n: &Nomenclature, c: &Concept) -> Node {
        Node {
            code: c.code.clone(),
            label: c.label.clone(),
            children: n
                .children(&c.code)
                .into_iter()
                .map(|child| Node::of(n, child))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "serafin.html")]
struct BrowsePage {
    layout: Layout,
    version: &'static str,
    q: String,
    famille: String,
    familles: Vec<Choice>,
    items: Vec<Item>,
    tree: Vec<Node>,
}

#[derive(Template)]
#[template(path = "serafin_results.html")]
struct Results {
    q: String,
    items: Vec<Item>,
}

async fn browse(
    CurrentUser(ctx): CurrentUser,
    HxRequest(hx): HxRequest,
    Query(query): Query<BrowseQuery>,
) -> HtmlResult {
    let n = serafin::current();
    let family = Family::parse(&query.famille);
    let q = query.q.trim().to_string();
    let items = if q.is_empty() {
        Vec::new()
    } else {
        n.search_in(&q, family)
            .into_iter()
            .map(|c| Item::of(n, c))
            .collect()
    };
    if hx {
        return Ok(render(&Results { q, items }));
    }
    let tree = Family::ALL
        .into_iter()
        .filter(|f| family.is_none_or(|wanted| wanted == *f))
        .filter_map(|f| n.get(f.root()))
        .map(|root| Node::of(n, root))
        .collect();
    Ok(render(&BrowsePage {
        layout: Layout::for_ctx(&ctx),
        version: n.version(),
        q,
        famille: family.map(|f| f.code().to_string()).unwrap_or_default(),
        familles: Family::ALL
            .into_iter()
            .map(|f| Choice::new(f.code(), f.label_fr()))
            .collect(),
        items,
        tree,
    }))
}

#[derive(Template)]
#[template(path = "serafin_concept.html")]
struct ConceptPage {
    layout: Layout,
    version: &'static str,
    code: String,
    label: String,
    family_label: &'static str,
    level: u8,
    leaf: bool,
    ancestors: Vec<Item>,
    children: Vec<Item>,
}

async fn concept(CurrentUser(ctx): CurrentUser, Path(code): Path<String>) -> HtmlResult {
    let n = serafin::current();
    let c = n.get(code.trim()).ok_or(AppError::NotFound)?;
    Ok(render(&ConceptPage {
        layout: Layout::for_ctx(&ctx),
        version: n.version(),
        code: c.code.clone(),
        label: c.label.clone(),
        family_label: c.family.label_fr(),
        level: c.level,
        leaf: c.leaf,
        ancestors: n
            .ancestors(&c.code)
            .into_iter()
            .map(|a| Item::of(n, a))
            .collect(),
        children: n
            .children(&c.code)
            .into_iter()
            .map(|child| Item::of(n, child))
            .collect(),
    }))
}
