//! The care record's page of a person: latest values with their abnormal flags, the
//! undernutrition alert, a relevé form made for a tablet, and one chart per kind drawn on the server
//! as inline SVG (no script; presentation attributes only, as the CSP forbids inline styles) with
//! its data table as the accessible alternative.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use jiff::ToSpan;
use jiff::civil::Date;
use parcours_app::domain::authz::{Action, role_allows};
use parcours_app::domain::ids::{SoinMesureId, UsagerId};
use parcours_app::domain::input;
use parcours_app::domain::soins::{Kind, RawReleve, number_fr};
use parcours_app::soins::{MesureView, RawAnnulation, SeriesView, SoinsFile};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{Errors, Form, HtmlError, HtmlResult, Layout, banner, date_fr, datetime_fr, render};
use super::{render_status, to};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/soins", get(soins_page).post(record_releve))
        .route("/soins/mesures/{mid}/annulation", post(cancel_mesure))
}

/// `?du=…&au=…`: the period of the charts (default: the last three months); `?ok=…` after a write.
#[derive(Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    ok: String,
}

/// One input of the relevé form.
struct Input {
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    value: String,
    /// `numeric` (whole numbers) or `decimal`: the tablet's keyboard.
    mode: &'static str,
}

/// One kind's chart and table.
struct Chart {
    series: SeriesView,
    svg: Option<String>,
}

#[derive(Template)]
#[template(path = "soins.html")]
struct SoinsPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    file: SoinsFile,
    charts: Vec<Chart>,
    inputs: Vec<Input>,
    measured_at: String,
    note: String,
    errors: Errors,
    can_write: bool,
}

impl SoinsPage {
    fn d(&self, d: &Date) -> String {
        date_fr(d)
    }
    fn dt(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
    fn error_of(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }
    fn valid(&self, s: &SeriesView) -> usize {
        s.mesures.iter().filter(|m| !m.cancelled).count()
    }
}

fn inputs_of(raw: &RawReleve) -> Vec<Input> {
    let mut out = Vec::new();
    for k in Kind::ALL {
        let spec = k.spec();
        let (a, b) = raw.get(*k);
        let mode = |d: u8| if d == 0 { "numeric" } else { "decimal" };
        let label = match k {
            Kind::Tension => "Tension systolique",
            Kind::Selles => "Selles (nombre)",
            _ => spec.label,
        };
        out.push(Input {
            name: spec.code,
            label,
            unit: spec.unit,
            value: a.to_string(),
            mode: mode(spec.decimals),
        });
        if let Some(s) = spec.second {
            out.push(Input {
                name: s.field,
                label: if *k == Kind::Tension {
                    "Tension diastolique"
                } else {
                    s.label
                },
                unit: if *k == Kind::Tension { spec.unit } else { "" },
                value: b.to_string(),
                mode: mode(s.decimals),
            });
        }
    }
    out
}

fn period(state: &AppState, q: &PeriodQuery) -> (Date, Date) {
    let today = state.app.today();
    let to = input::opt_date("au", &q.au).ok().flatten().unwrap_or(today);
    let from = input::opt_date("du", &q.du)
        .ok()
        .flatten()
        .filter(|d| *d <= to)
        .unwrap_or_else(|| to.checked_sub(3.months()).unwrap_or(to));
    (from, to)
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    (from, to): (Date, Date),
    message: Option<&'static str>,
    raw: RawReleve,
    errors: Errors,
) -> Result<SoinsPage, HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let file = state.app.soins_file(ctx, id, from, to).await?;
    let charts = file
        .series
        .iter()
        .map(|s| Chart {
            svg: chart_svg(s, from, to),
            series: s.clone(),
        })
        .collect();
    Ok(SoinsPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message,
        file,
        charts,
        inputs: inputs_of(&raw),
        measured_at: raw.measured_at,
        note: raw.note,
        errors,
        can_write: role_allows(ctx.actor.role, Action::WriteCareRecord),
    })
}

async fn soins_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<PeriodQuery>,
) -> HtmlResult {
    let message = match q.ok.as_str() {
        "mesure" => Some("Mesures enregistrées."),
        "annulation" => Some("Mesure annulée."),
        _ => None,
    };
    let p = period(&state, &q);
    Ok(render(
        &page(
            &state,
            &ctx,
            id,
            p,
            message,
            RawReleve::default(),
            Errors::none(),
        )
        .await?,
    ))
}

async fn record_releve(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(raw): Form<RawReleve>,
) -> HtmlResult {
    match state.app.record_releve(&ctx, id, &raw).await {
        Ok(_) => to(format!("/usagers/{id}/soins?ok=mesure")),
        Err(AppError::Validation(e)) => {
            let p = period(&state, &PeriodQuery::default());
            let page = page(&state, &ctx, id, p, None, raw, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn cancel_mesure(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(mid): Path<SoinMesureId>,
    Form(raw): Form<RawAnnulation>,
) -> HtmlResult {
    let usager = state.app.cancel_mesure(&ctx, mid, &raw).await?;
    to(format!("/usagers/{usager}/soins?ok=annulation"))
}

// ---------------------------------------------------------------------------------------------
// Charts

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

/// Text placed in the SVG: only static labels, dates and numbers reach it, escaped all the same.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn day_start(d: Date) -> Option<f64> {
    d.at(0, 0, 0, 0)
        .in_tz("Europe/Paris")
        .ok()
        .map(|z| z.timestamp().as_second() as f64)
}

/// The chart of one kind over the period: the values (and the diastolic pressure), abnormal points
/// larger and red, the thresholds dashed. `None` when nothing valid was measured.
fn chart_svg(s: &SeriesView, from: Date, to: Date) -> Option<String> {
    let points: Vec<&MesureView> = s.mesures.iter().filter(|m| !m.cancelled).collect();
    if points.is_empty() {
        return None;
    }
    let spec = s.kind.spec();
    let with_second = s.kind == Kind::Tension;
    let t0 = day_start(from)?;
    let t1 = day_start(to.tomorrow().ok()?)?;
    let mut values: Vec<f64> = points.iter().map(|m| m.value).collect();
    if with_second {
        values.extend(points.iter().filter_map(|m| m.value2));
    }
    let thresholds: Vec<f64> = s
        .kind
        .thresholds()
        .filter(|t| t.which == parcours_app::domain::soins::Which::First || with_second)
        .flat_map(|t| [t.below, t.at_least])
        .flatten()
        .collect();
    let (vmin, vmax) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let (lo_all, hi_all) = thresholds
        .iter()
        .fold((vmin, vmax), |(a, b), v| (a.min(*v), b.max(*v)));
    // Thresholds far from the data would flatten it: keep those within half a span more.
    let span = (vmax - vmin).max(1.0);
    let lo = lo_all.max(vmin - span);
    let hi = hi_all.min(vmax + span);
    let pad = ((hi - lo) * 0.1).max(0.5);
    let (ylo, yhi) = ((lo - pad).max(spec.min), (hi + pad).min(spec.max));
    let (ylo, yhi) = if yhi > ylo {
        (ylo, yhi)
    } else {
        (ylo - 1.0, yhi + 1.0)
    };
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let x = |t: &jiff::Timestamp| {
        let f = ((t.as_second() as f64 - t0) / (t1 - t0).max(1.0)).clamp(0.0, 1.0);
        LEFT + f * pw
    };
    let y = |v: f64| TOP + (1.0 - (v - ylo) / (yhi - ylo)) * ph;
    let dec = spec.decimals;
    let label = format!(
        "{} du {} au {} : {} mesure(s), de {} à {} {}",
        spec.label,
        date_fr(&from),
        date_fr(&to),
        points.len(),
        number_fr(vmin, dec),
        number_fr(vmax, dec),
        spec.unit
    );
    let mut o = String::new();
    o.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"100%\" \
         role=\"img\" aria-label=\"{l}\" class=\"chart\"><title>{l}</title>",
        l = esc(&label)
    ));
    o.push_str(&format!(
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{pw}\" height=\"{ph}\" fill=\"#ffffff\" stroke=\"#c9ccd6\"/>"
    ));
    // Ticks: whole numbers over a wide span, one or two decimals over a narrow one.
    let tick_dec = if yhi - ylo >= 10.0 {
        0
    } else {
        dec.clamp(1, 2)
    };
    for i in 0..=4 {
        let v = ylo + (yhi - ylo) * f64::from(i) / 4.0;
        let yy = y(v);
        o.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{x2:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#e5e7eb\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#4a4a55\">{t}</text>",
            x2 = W - RIGHT,
            tx = LEFT - 6.0,
            ty = yy + 4.0,
            t = esc(&number_fr(v, tick_dec))
        ));
    }
    for t in thresholds.iter().filter(|t| **t >= ylo && **t <= yhi) {
        let yy = y(*t);
        o.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{x2:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#b42318\" \
             stroke-dasharray=\"6 4\"/>",
            x2 = W - RIGHT
        ));
    }
    let line = |vals: Vec<(f64, f64)>, colour: &str| {
        let pts: Vec<String> = vals.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
        format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
            pts.join(" ")
        )
    };
    o.push_str(&line(
        points
            .iter()
            .map(|m| (x(&m.measured_at), y(m.value)))
            .collect(),
        "#1d4ed8",
    ));
    if with_second {
        o.push_str(&line(
            points
                .iter()
                .filter_map(|m| m.value2.map(|v| (x(&m.measured_at), y(v))))
                .collect(),
            "#166534",
        ));
    }
    for m in &points {
        let abnormal = !m.flags.is_empty();
        let (r, fill) = if abnormal {
            (6, "#b42318")
        } else {
            (4, "#1d4ed8")
        };
        o.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{fill}\"/>",
            x(&m.measured_at),
            y(m.value)
        ));
        if let (true, Some(v)) = (with_second, m.value2) {
            o.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{}\"/>",
                x(&m.measured_at),
                y(v),
                if abnormal { "#b42318" } else { "#166534" }
            ));
        }
    }
    o.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{ty}\" font-size=\"12\" fill=\"#4a4a55\">{}</text>\
         <text x=\"{x2}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\" fill=\"#4a4a55\">{}</text></svg>",
        esc(&date_fr(&from)),
        esc(&date_fr(&to)),
        ty = H - 12.0,
        x2 = W - RIGHT
    ));
    Some(o)
}
