//! The directory of partners (acteurs externes) and territorial resources of the organisation.
//! It holds no personal data of persons supported, so reading it is not a read of a person's file.

use parcours_domain::authz::{Action, Resource};
use parcours_domain::ids::PartenaireId;
use parcours_domain::partner::{self as rules, Partner, RawPartner};
use parcours_domain::text;
use parcours_store::records::{Bind, PartenaireRow};
use serde::Serialize;
use serde_json::json;

use crate::audit::AuditAction;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartnerView {
    #[schema(value_type = String, format = Uuid)]
    pub id: PartenaireId,
    pub kind: String,
    pub kind_label: String,
    pub resource: bool,
    #[schema(value_type = Object)]
    pub partner: Partner,
    pub active: bool,
    pub version: i64,
}

fn view(r: PartenaireRow) -> PartnerView {
    PartnerView {
        id: PartenaireId::from_uuid(r.id),
        kind_label: rules::kind_label(&r.kind).to_string(),
        resource: rules::is_resource(&r.kind),
        kind: r.kind.clone(),
        partner: Partner {
            kind: r.kind,
            name: r.name,
            rpps: r.rpps,
            finess: r.finess,
            address: r.address,
            phone: r.phone,
            email: r.email,
            notes: r.notes,
        },
        active: r.active,
        version: r.version,
    }
}

/// The folded words of a partner, for accent- and case-insensitive search.
fn search_key(p: &Partner) -> String {
    let mut key = format!(" {} ", text::fold(&p.name));
    if let Some(a) = &p.address {
        key.push_str(&text::fold(a));
        key.push(' ');
    }
    key.push_str(&text::fold(rules::kind_label(&p.kind)));
    key.push(' ');
    key
}

impl App {
    /// Searches the directory: every word of `q` must start a word of the name, address or kind.
    pub async fn search_partners(
        &self,
        ctx: &Ctx,
        q: &str,
        kind: Option<&str>,
    ) -> AppResult<Vec<PartnerView>> {
        self.authorize(
            ctx,
            Action::ViewPartners,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let words = text::tokens(q);
        let patterns: Vec<String> = words
            .iter()
            .take(5)
            .map(|w| format!("% {}%", w.replace(['%', '_'], "")))
            .collect();
        let kind = kind.filter(|k| !k.is_empty());
        let rows = match (patterns.as_slice(), kind) {
            ([], None) => {
                PartenaireRow::select_where(&self.db, ctx.org(), "1 = 1", &[], "name, id", 500)
                    .await?
            }
            ([], Some(k)) => {
                PartenaireRow::select_where(
                    &self.db,
                    ctx.org(),
                    "kind = $2",
                    &[Bind::Text(k)],
                    "name, id",
                    500,
                )
                .await?
            }
            ([first, ..], _) => {
                let all = PartenaireRow::select_where(
                    &self.db,
                    ctx.org(),
                    "search_key like $2",
                    &[Bind::Text(first)],
                    "name, id",
                    500,
                )
                .await?;
                all.into_iter()
                    .filter(|r| {
                        words
                            .iter()
                            .all(|w| r.search_key.contains(&format!(" {w}")))
                            && kind.is_none_or(|k| r.kind == k)
                    })
                    .collect()
            }
        };
        Ok(rows.into_iter().map(view).collect())
    }

    pub async fn get_partner(&self, ctx: &Ctx, id: PartenaireId) -> AppResult<PartnerView> {
        self.authorize(
            ctx,
            Action::ViewPartners,
            &Resource::Organisation(ctx.organisation()),
        )?;
        Ok(view(
            PartenaireRow::get(&self.db, ctx.org(), id.as_uuid()).await?,
        ))
    }

    /// Creates (no `existing`) or corrects a partner; `active: false` retires it from choices.
    pub async fn save_partner(
        &self,
        ctx: &Ctx,
        existing: Option<(PartenaireId, i64)>,
        raw: &RawPartner,
        active: bool,
    ) -> AppResult<PartenaireId> {
        self.authorize(
            ctx,
            Action::ManagePartners,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let p = Partner::parse(raw)?;
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let mut row = PartenaireRow {
            organisation_id: ctx.org(),
            id: self.new_id(),
            kind: p.kind.clone(),
            name: p.name.clone(),
            rpps: p.rpps.clone(),
            finess: p.finess.clone(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
            notes: p.notes.clone(),
            search_key: search_key(&p),
            active,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        match existing {
            None => row.insert(&mut tx, None, None).await?,
            Some((id, version)) => {
                let old = PartenaireRow::get(&self.db, ctx.org(), id.as_uuid()).await?;
                if old.version != version {
                    return Err(AppError::Conflict);
                }
                row.id = old.id;
                row.version = old.version + 1;
                row.created_at = old.created_at;
                row.created_by = old.created_by;
                row.update(&mut tx, None, None).await?;
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::PartnerChange,
            None,
            "partenaire",
            json!({"partenaire": row.id, "nom": row.name}),
        )
        .await?;
        tx.commit().await?;
        Ok(PartenaireId::from_uuid(row.id))
    }
}
