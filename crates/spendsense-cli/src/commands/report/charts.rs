//! The report's charts, drawn with plotters into SVG strings.
//!
//! Text is emitted as SVG `<text>` in the generic `sans-serif` family and laid
//! out with plotters' built-in size estimate, so no font file is read here and
//! the browser draws the glyphs.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::coord::types::{RangedCoordf64, RangedCoordu64};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use spendsense_personas::Criteria;
use spendsense_schema::PersonaId;

use spendsense_export::stats::{
    ACCOUNT_KINDS, BANDS, Banded, Bands, INCOME_BIN, INCOME_BINS, INCOME_FROM, INCOME_TO,
    MERCHANT_BINS, SCATTER_CAP, Stats, WINDOWS,
};
use spendsense_personas::Window;

/// Width of every chart, in pixels; the page is laid out for it.
pub const WIDTH: u32 = 960;

const FONT: FontFamily<'static> = FontFamily::SansSerif;
const INK: RGBColor = RGBColor(40, 40, 40);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// One colour per persona (Okabe–Ito, readable with colour-blindness), in [`PersonaId::ALL`] order.
pub const PERSONA_COLORS: [RGBColor; 5] = [
    RGBColor(213, 94, 0),
    RGBColor(0, 114, 178),
    RGBColor(204, 121, 167),
    RGBColor(0, 158, 115),
    RGBColor(120, 120, 120),
];

/// One colour per account kind (Paul Tol's bright scheme), in [`ACCOUNT_KINDS`] order.
pub const ACCOUNT_COLORS: [RGBColor; 4] = [
    RGBColor(68, 119, 170),
    RGBColor(34, 136, 51),
    RGBColor(204, 187, 68),
    RGBColor(170, 170, 170),
];

/// A persona's name as people read it.
pub fn persona_label(persona: PersonaId) -> &'static str {
    match persona {
        PersonaId::HighUtilization => "High Utilization",
        PersonaId::VariableIncome => "Variable Income",
        PersonaId::SubscriptionHeavy => "Subscription-Heavy",
        PersonaId::SavingsBuilder => "Savings Builder",
        PersonaId::Control => "Control",
    }
}

/// `#rrggbb` for HTML swatches.
pub fn hex(color: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draws on a white `size` canvas and returns the `<svg>` document.
fn render(size: (u32, u32), draw: impl FnOnce(&Area<'_>) -> Result<()>) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(svg)
}

fn text_style<'a>(size: u32, color: &'a RGBColor, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle::from((FONT, size).into_font())
        .color(color)
        .pos(Pos::new(h, v))
}

/// The x axis of the per-persona charts: persona `i` is centred on `i`.
///
/// A plain `f64` axis (so grouped bars can sit between whole numbers) with
/// ticks every 1, which [`persona_at`] names. `(x..y).with_key_points` would
/// be more direct, but plotters 0.3.7 cannot draw a mesh for it on `f64`.
const PERSONA_AXIS: std::ops::Range<f64> = -0.5..4.5;
const PERSONA_TICKS: usize = 5;

fn persona_at(x: &f64) -> String {
    let index = x.round();
    if (x - index).abs() < 1e-6 && (0.0..5.0).contains(&index) {
        persona_label(PersonaId::ALL[index as usize]).to_string()
    } else {
        String::new()
    }
}

/// A chart with one column per persona and a count axis up to a little above `top`.
fn persona_chart<'a, 'b>(
    root: &'a Area<'b>,
    top: u64,
    y_desc: &str,
) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordu64>>> {
    let mut chart = ChartBuilder::on(root)
        .margin(16)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(PERSONA_AXIS, 0u64..top + top / 6 + 1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .x_labels(PERSONA_TICKS)
        .x_label_formatter(&persona_at)
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 14))
        .draw()?;
    Ok(chart)
}

fn dollars_k(x: &f64) -> String {
    format!("${:.0}K", x / 1000.0)
}

/// A bar per persona, labelled with its count and share.
pub fn persona_counts(stats: &Stats) -> Result<String> {
    render((WIDTH, 320), |root| {
        let top = stats.counts.iter().copied().max().unwrap_or(0).max(1);
        let mut chart = persona_chart(root, top, "profiles")?;
        for (i, &count) in stats.counts.iter().enumerate() {
            let x = i as f64;
            chart.draw_series([Rectangle::new(
                [(x - 0.32, 0), (x + 0.32, count)],
                PERSONA_COLORS[i].filled(),
            )])?;
            chart.draw_series([Text::new(
                bar_label(count, stats.profiles),
                (x, count),
                text_style(15, &INK, HPos::Center, VPos::Bottom),
            )])?;
        }
        Ok(())
    })
}

/// `count (share%)`, the label over a persona's bar.
pub fn bar_label(count: u64, total: u64) -> String {
    let share = if total == 0 {
        0.0
    } else {
        count as f64 * 100.0 / total as f64
    };
    format!("{count} ({share:.1}%)")
}

/// Six panels: one income histogram per persona, then all profiles together.
pub fn income_histograms(stats: &Stats) -> Result<String> {
    render((WIDTH, 560), |root| {
        let panels = root.split_evenly((2, 3));
        for (panel, area) in panels.iter().enumerate() {
            let (bins, color, title) = if panel < 5 {
                let persona = PersonaId::ALL[panel];
                (
                    stats.income_bins[panel],
                    PERSONA_COLORS[panel],
                    format!("{} ({})", persona_label(persona), stats.counts[panel]),
                )
            } else {
                let mut all = [0u64; INCOME_BINS];
                for bins in &stats.income_bins {
                    for (sum, count) in all.iter_mut().zip(bins) {
                        *sum += count;
                    }
                }
                (all, INK, format!("All profiles ({})", stats.profiles))
            };
            let top = bins.iter().copied().max().unwrap_or(0).max(1);
            let mut chart = ChartBuilder::on(area)
                .margin(10)
                .margin_right(24)
                .caption(title, (FONT, 16).into_font().color(&color))
                .x_label_area_size(28)
                .y_label_area_size(44)
                .build_cartesian_2d(
                    INCOME_FROM as f64..INCOME_TO as f64,
                    0u64..top + top / 8 + 1,
                )?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .light_line_style(WHITE)
                .bold_line_style(GRID)
                .x_labels(5)
                .y_labels(5)
                .x_label_formatter(&dollars_k)
                .label_style((FONT, 13))
                .draw()?;
            chart.draw_series(bins.iter().enumerate().filter(|(_, n)| **n > 0).map(
                |(bin, &count)| {
                    let from = (INCOME_FROM + INCOME_BIN * bin as i64) as f64;
                    Rectangle::new(
                        [(from + 600.0, 0), (from + INCOME_BIN as f64 - 600.0, count)],
                        color.filled(),
                    )
                },
            ))?;
        }
        Ok(())
    })
}

/// Highest card utilization against income, one dot per profile, with the
/// High Utilization and Savings Builder thresholds.
pub fn utilization_scatter(stats: &Stats) -> Result<String> {
    let criteria = &stats.criteria;
    // Plotting coordinates: dollars and percentages as f64, made only here.
    let points: Vec<(PersonaId, f64, f64)> = stats
        .points
        .iter()
        .map(|p| {
            let income = p.income.to_f64().unwrap_or(0.0);
            let utilization = p.utilization.to_f64().unwrap_or(0.0) * 100.0;
            (p.persona, income, utilization)
        })
        .collect();
    render((WIDTH, 500), |root| {
        let low = points
            .iter()
            .map(|p| p.1)
            .fold(INCOME_FROM as f64, f64::min);
        let high = points.iter().map(|p| p.1).fold(INCOME_TO as f64, f64::max);
        let y_low = points.iter().map(|p| p.2).fold(0.0, f64::min);
        let y_high = points.iter().map(|p| p.2).fold(100.0, f64::max);
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(low..high, y_low..y_high)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_label_formatter(&dollars_k)
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .x_desc("annual income")
            .y_desc("highest card utilization")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 14))
            .draw()?;

        let thresholds = [
            (
                criteria.high_utilization_min,
                PersonaId::HighUtilization,
                "High Utilization: some card ≥",
            ),
            (
                criteria.savings_builder_utilization_below,
                PersonaId::SavingsBuilder,
                "Savings Builder: every card <",
            ),
        ];
        // The lines are named in the legend, and their value at the right
        // end, where the points are sparsest.
        for (at, persona, what) in thresholds {
            let y = (at * Decimal::ONE_HUNDRED).to_f64().unwrap_or(0.0);
            let color = PERSONA_COLORS[persona.index()];
            chart
                .draw_series([DashedPathElement::new(
                    [(low, y), (high, y)],
                    8,
                    5,
                    color.stroke_width(2),
                )])?
                .label(format!("{what} {y:.0}%"))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], color.stroke_width(2))
                });
            chart.draw_series([Text::new(
                format!("{y:.0}%"),
                (high, y),
                text_style(13, &color, HPos::Right, VPos::Bottom),
            )])?;
        }

        for (i, persona) in PersonaId::ALL.into_iter().enumerate() {
            let color = PERSONA_COLORS[i];
            let mine = points.iter().filter(|p| p.0 == persona);
            chart
                .draw_series(mine.map(|&(_, income, utilization)| {
                    Circle::new((income, utilization), 2, color.mix(0.7).filled())
                }))?
                .label(persona_label(persona))
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font((FONT, 13))
            .draw()?;
        Ok(())
    })
}

/// The caption under the utilization scatter: what it shows and whether it is capped.
pub fn scatter_caption(stats: &Stats) -> String {
    let shown = stats.points.len() as u64;
    let whose = if stats.with_cards > shown {
        format!(
            "the first {SCATTER_CAP} of {} profiles with a credit card (capped to keep the page small)",
            stats.with_cards
        )
    } else {
        format!("all {} profiles with a credit card", stats.with_cards)
    };
    format!(
        "One dot per profile: {whose}, at its highest card. Profiles without cards are not shown. \
         Dashed lines are the detection thresholds."
    )
}

/// Width of the legend column on the right of the rule charts, in pixels.
const LEGEND_WIDTH: u32 = 190;

/// One colour per High Utilization trigger (Paul Tol's bright scheme), in
/// [`Stats::triggers`] order.
pub const TRIGGER_COLORS: [RGBColor; 5] = [
    RGBColor(170, 51, 119),
    RGBColor(102, 204, 238),
    RGBColor(68, 119, 170),
    RGBColor(204, 187, 68),
    RGBColor(238, 102, 119),
];

/// Dollars as a label: `$50`, `$12.50`, `$1K`, `$2.5K`.
pub fn money(d: Decimal) -> String {
    let d = d.round_dp(2).normalize();
    if d.abs() >= Decimal::from(1000) {
        format!("${}K", (d / Decimal::from(1000)).round_dp(1).normalize())
    } else {
        format!("${d}")
    }
}

/// A share as a percentage: `2%`, `12.5%`.
pub fn percent(d: Decimal) -> String {
    let p = d
        .checked_mul(Decimal::ONE_HUNDRED)
        .unwrap_or(Decimal::MAX)
        .round_dp(2)
        .normalize();
    format!("{p}%")
}

/// Months as a label: `1 month`, `1.5 months`.
pub fn months(d: Decimal) -> String {
    let d = d.round_dp(2).normalize();
    if d == Decimal::ONE {
        "1 month".to_string()
    } else {
        format!("{d} months")
    }
}

/// A column of coloured swatches and names, drawn in its own area so it
/// never covers data.
fn legend(area: &Area<'_>, entries: &[(String, ShapeStyle)]) -> Result<()> {
    for (i, (label, style)) in entries.iter().enumerate() {
        let y = 40 + 22 * i as i32;
        area.draw(&Rectangle::new([(6, y - 6), (18, y + 6)], *style))?;
        area.draw(&Text::new(
            label.clone(),
            (26, y),
            text_style(13, &INK, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

fn persona_entries() -> Vec<(String, ShapeStyle)> {
    PersonaId::ALL
        .into_iter()
        .map(|p| {
            (
                persona_label(p).to_string(),
                PERSONA_COLORS[p.index()].filled(),
            )
        })
        .collect()
}

fn persona_legend(area: &Area<'_>) -> Result<()> {
    legend(area, &persona_entries())
}

/// A vertical dashed threshold line at `x` from 0 to `top`, named at its top.
fn vertical_rule<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x: f64,
    top: f64,
    label: String,
    color: RGBColor,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    chart.draw_series([DashedPathElement::new(
        [(x, 0.0), (x, top)],
        8,
        5,
        color.stroke_width(2),
    )])?;
    chart.draw_series([Text::new(
        label,
        (x, top),
        text_style(13, &color, HPos::Left, VPos::Bottom),
    )])?;
    Ok(())
}

/// One histogram of a signal: per persona, the share of its profiles in each
/// bin, with the persona threshold as a dashed line before the bin it starts.
#[derive(Debug)]
pub struct Histogram<'a> {
    /// Bin labels, left to right.
    pub labels: Vec<String>,
    /// The panels, top to bottom: a title (the window) and one count row per persona.
    pub panels: Vec<(Option<&'a str>, [&'a [u64]; 5])>,
    /// The bin the rule starts (the line is drawn on its left edge).
    pub threshold: usize,
    /// The rule, written on the line: `Savings Builder: ≥ $200/month`.
    pub rule: String,
    /// Whose rule it is (the line's colour).
    pub persona: PersonaId,
    /// A second rule on the same signal: the bin it starts, its text, whose it is.
    pub also: Option<(usize, String, PersonaId)>,
    /// What the x axis counts.
    pub x_desc: &'a str,
}

fn shares(row: &[u64], bins: usize) -> Vec<f64> {
    let total: u64 = row.iter().sum();
    (0..bins)
        .map(|b| {
            let n = row.get(b).copied().unwrap_or(0);
            if total == 0 {
                0.0
            } else {
                n as f64 * 100.0 / total as f64
            }
        })
        .collect()
}

/// Draws `histogram`: stacked panels sharing one y scale, the persona legend on the right.
pub fn histogram(h: &Histogram<'_>) -> Result<String> {
    let bins = h.labels.len().max(1);
    let panel_height = if h.panels.len() > 1 { 270 } else { 330 };
    let height = panel_height * h.panels.len().max(1) as u32;
    render((WIDTH, height), |root| {
        let (plots, key) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        persona_legend(&key)?;
        let all: Vec<Vec<Vec<f64>>> = h
            .panels
            .iter()
            .map(|(_, rows)| rows.iter().map(|row| shares(row, bins)).collect())
            .collect();
        let top = all.iter().flatten().flatten().copied().fold(10.0, f64::max);
        let areas = plots.split_evenly((h.panels.len().max(1), 1));
        let bin_at = |x: &f64| {
            let index = x.round();
            if (x - index).abs() < 1e-6 && (0.0..bins as f64).contains(&index) {
                h.labels[index as usize].clone()
            } else {
                String::new()
            }
        };
        for ((area, (title, _)), shares) in areas.iter().zip(&h.panels).zip(&all) {
            let mut builder = ChartBuilder::on(area);
            builder
                .margin(12)
                .margin_right(20)
                .x_label_area_size(44)
                .y_label_area_size(64);
            if let Some(title) = title {
                builder.caption(*title, (FONT, 15).into_font().color(&INK));
            }
            let mut chart = builder.build_cartesian_2d(-0.5..bins as f64 - 0.5, 0.0..top * 1.3)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .light_line_style(WHITE)
                .bold_line_style(GRID)
                .x_labels(bins)
                .y_labels(5)
                .x_label_formatter(&bin_at)
                .y_label_formatter(&|y| format!("{y:.0}%"))
                .x_desc(h.x_desc)
                .y_desc("share of the persona's profiles")
                .label_style((FONT, 13))
                .axis_desc_style((FONT, 13))
                .draw()?;
            let width = 0.8 / 5.0;
            for (p, row) in shares.iter().enumerate() {
                let color = PERSONA_COLORS[p];
                let offset = -0.4 + width * p as f64;
                chart.draw_series(row.iter().enumerate().filter(|(_, s)| **s > 0.0).map(
                    |(b, &share)| {
                        let x = b as f64 + offset;
                        Rectangle::new([(x + 0.01, 0.0), (x + width - 0.01, share)], color.filled())
                    },
                ))?;
            }
            let x = h.threshold.min(bins) as f64 - 0.5;
            vertical_rule(
                &mut chart,
                x,
                top * 1.2,
                h.rule.clone(),
                PERSONA_COLORS[h.persona.index()],
            )?;
            if let Some((bin, rule, persona)) = &h.also {
                // Lower, so the two names never overlap.
                vertical_rule(
                    &mut chart,
                    (*bin).min(bins) as f64 - 0.5,
                    top * 1.05,
                    rule.clone(),
                    PERSONA_COLORS[persona.index()],
                )?;
            }
        }
        Ok(())
    })
}

/// The labels of a banded histogram, values written by `show`.
pub fn band_labels(bands: &Bands, show: fn(Decimal) -> String) -> Vec<String> {
    (0..BANDS).map(|b| bands.label(b, show)).collect()
}

/// The two window panels of a per-window banded signal.
fn windows(banded: &[Banded; 2]) -> Vec<(Option<&'static str>, [&[u64]; 5])> {
    window_panels(banded, BANDS)
}

/// The two window panels of a per-window histogram, its first `bins` bins.
fn window_panels<const N: usize>(
    rows: &[[[u64; N]; 5]; 2],
    bins: usize,
) -> Vec<(Option<&'static str>, [&[u64]; 5])> {
    WINDOWS
        .iter()
        .zip(rows)
        .map(|(window, rows)| {
            let title = match window {
                Window::Short => "30-day window",
                Window::Long => "180-day window",
            };
            (Some(title), rows.each_ref().map(|r| &r[..bins.min(N)]))
        })
        .collect()
}

/// Interest charged in each window, banded, with the High Utilization rule (> $0).
pub fn interest(stats: &Stats) -> Result<String> {
    histogram(&Histogram {
        labels: band_labels(&stats.bands.interest, money),
        panels: windows(&stats.interest),
        threshold: stats.bands.interest.threshold_index(),
        rule: "High Utilization: interest > $0".to_string(),
        persona: PersonaId::HighUtilization,
        also: None,
        x_desc: "interest charged on card statements in the window",
    })
}

/// The legend names of the High Utilization triggers, in [`Stats::triggers`] order.
pub fn trigger_labels(criteria: &Criteria) -> [String; 5] {
    [
        format!("some card ≥ {}", percent(criteria.high_utilization_min)),
        "interest > $0 (30d)".to_string(),
        "interest > $0 (180d)".to_string(),
        "minimum payments only".to_string(),
        "overdue".to_string(),
    ]
}

/// Grouped bars: per persona, profiles meeting each High Utilization trigger.
pub fn high_utilization_triggers(stats: &Stats) -> Result<String> {
    render((WIDTH, 360), |root| {
        let (plot, key) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let labels = trigger_labels(&stats.criteria);
        let entries: Vec<(String, ShapeStyle)> = labels
            .iter()
            .cloned()
            .zip(TRIGGER_COLORS.map(|c| c.filled()))
            .collect();
        legend(&key, &entries)?;
        let top = stats
            .triggers
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let mut chart = persona_chart(&plot, top, "profiles")?;
        let width = 0.8 / TRIGGER_COLORS.len() as f64;
        for (t, color) in TRIGGER_COLORS.into_iter().enumerate() {
            let offset = -0.4 + width * t as f64;
            chart.draw_series((0..5).map(|p| {
                let x = p as f64 + offset;
                Rectangle::new(
                    [(x + 0.01, 0), (x + width - 0.01, stats.triggers[p][t])],
                    color.filled(),
                )
            }))?;
            chart.draw_series((0..5).map(|p| {
                let count = stats.triggers[p][t];
                Text::new(
                    count.to_string(),
                    (p as f64 + offset + width / 2.0, count),
                    text_style(11, &INK, HPos::Center, VPos::Bottom),
                )
            }))?;
        }
        Ok(())
    })
}

/// A value as a plotting coordinate, kept inside `low..=high`; whether it was moved.
fn clamp(value: Decimal, low: f64, high: f64) -> (f64, bool) {
    let v = value.to_f64().unwrap_or(0.0);
    let c = v.clamp(low, high);
    (c, c != v)
}

/// The `q` quantile (0..=1) of `values`, 0 when empty.
fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * q) as usize]
}

/// The axis ends of the pay-gap scatter: gaps up to a little past the
/// longest (at least 20 days past the threshold, at most four times it),
/// buffers up to the 95th percentile (at least three times the threshold).
fn pay_axes(stats: &Stats) -> (f64, f64) {
    let gap = f64::from(stats.criteria.variable_income_gap_above_days).max(1.0);
    let buffer = stats
        .criteria
        .variable_income_buffer_below_months
        .to_f64()
        .unwrap_or(1.0)
        .max(0.1);
    let longest = stats
        .pay_points
        .iter()
        .map(|p| p.gap_days.to_f64().unwrap_or(0.0))
        .fold(0.0, f64::max);
    let x_high = (longest + 5.0).clamp(gap + 20.0, gap * 4.0 + 20.0);
    let buffers = stats
        .pay_points
        .iter()
        .map(|p| p.buffer_months.to_f64().unwrap_or(0.0))
        .collect();
    let y_high = (quantile(buffers, 0.95) * 1.15).clamp(buffer * 3.0, buffer * 24.0);
    (x_high, y_high)
}

/// Profiles drawn on the edge of the pay-gap scatter because a value lies outside its axes.
pub fn pay_points_on_edge(stats: &Stats) -> usize {
    let (x_high, y_high) = pay_axes(stats);
    stats
        .pay_points
        .iter()
        .filter(|p| clamp(p.gap_days, 0.0, x_high).1 || clamp(p.buffer_months, 0.0, y_high).1)
        .count()
}

/// Median pay gap against checking buffer, one dot per profile, with the
/// Variable Income thresholds and the quadrant that meets both.
pub fn pay_gap_scatter(stats: &Stats) -> Result<String> {
    let criteria = &stats.criteria;
    render((WIDTH, 480), |root| {
        let vi = PERSONA_COLORS[PersonaId::VariableIncome.index()];
        let quadrant = vi.mix(0.15).filled();
        let (plot, key) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut entries = persona_entries();
        entries.push(("Variable Income: both".to_string(), quadrant));
        legend(&key, &entries)?;
        let gap = f64::from(criteria.variable_income_gap_above_days);
        let buffer = criteria
            .variable_income_buffer_below_months
            .to_f64()
            .unwrap_or(0.0);
        let (x_high, y_high) = pay_axes(stats);
        let mut chart = ChartBuilder::on(&plot)
            .margin(16)
            .margin_right(20)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..x_high, 0.0..y_high)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.1}"))
            .x_desc("median days between paychecks")
            .y_desc("checking buffer (months of expenses)")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 14))
            .draw()?;

        chart.draw_series([Rectangle::new(
            [(gap, 0.0), (x_high, buffer.min(y_high))],
            quadrant,
        )])?;
        for (i, persona) in PersonaId::ALL.into_iter().enumerate() {
            let color = PERSONA_COLORS[i];
            chart.draw_series(
                stats
                    .pay_points
                    .iter()
                    .filter(|p| p.persona == persona)
                    .map(|p| {
                        let x = clamp(p.gap_days, 0.0, x_high).0;
                        let y = clamp(p.buffer_months, 0.0, y_high).0;
                        Circle::new((x, y), 2, color.mix(0.6).filled())
                    }),
            )?;
        }
        vertical_rule(
            &mut chart,
            gap,
            y_high * 0.97,
            format!(
                "Variable Income: median pay gap > {} days",
                criteria.variable_income_gap_above_days
            ),
            vi,
        )?;
        chart.draw_series([DashedPathElement::new(
            [(0.0, buffer), (x_high, buffer)],
            8,
            5,
            vi.stroke_width(2),
        )])?;
        chart.draw_series([Text::new(
            format!(
                "Variable Income: buffer < {}",
                months(criteria.variable_income_buffer_below_months)
            ),
            (x_high, buffer),
            text_style(13, &vi, HPos::Right, VPos::Bottom),
        )])?;
        Ok(())
    })
}

/// Recurring subscription merchants per profile, with the Subscription-Heavy count rule.
pub fn recurring_merchants(stats: &Stats) -> Result<String> {
    let rule = usize::from(stats.criteria.subscription_heavy_min_merchants);
    let last_used = stats
        .merchants
        .iter()
        .flatten()
        .filter_map(|row| row.iter().rposition(|n| *n > 0))
        .max()
        .unwrap_or(0);
    let bins = (last_used.max(rule) + 1).min(MERCHANT_BINS);
    let labels = (0..bins)
        .map(|b| {
            if b == MERCHANT_BINS - 1 {
                format!("{b}+")
            } else {
                b.to_string()
            }
        })
        .collect();
    histogram(&Histogram {
        labels,
        panels: window_panels(&stats.merchants, bins),
        threshold: rule,
        rule: format!("Subscription-Heavy: ≥ {rule} merchants"),
        persona: PersonaId::SubscriptionHeavy,
        also: None,
        x_desc: "recurring subscription merchants (3+ charges in 90 days)",
    })
}

/// What the recurring merchants cost a month, banded, with the Subscription-Heavy spend rule.
pub fn recurring_spend(stats: &Stats) -> Result<String> {
    let bands = &stats.bands.recurring_spend;
    histogram(&Histogram {
        labels: band_labels(bands, money),
        panels: windows(&stats.recurring_spend),
        threshold: bands.threshold_index(),
        rule: format!(
            "Subscription-Heavy: ≥ {}/month",
            money(stats.criteria.subscription_heavy_min_monthly_spend)
        ),
        persona: PersonaId::SubscriptionHeavy,
        also: None,
        x_desc: "recurring subscription spend a month",
    })
}

/// Highest card utilization per window (profiles with a card), with the
/// High Utilization floor and the Savings Builder ceiling.
pub fn utilization_bands(stats: &Stats) -> Result<String> {
    let bands = &stats.bands.utilization;
    let criteria = &stats.criteria;
    histogram(&Histogram {
        labels: band_labels(bands, percent),
        panels: windows(&stats.utilization),
        threshold: bands.threshold_index(),
        rule: format!(
            "High Utilization: some card ≥ {}",
            percent(criteria.high_utilization_min)
        ),
        persona: PersonaId::HighUtilization,
        also: Some((
            bands.band(criteria.savings_builder_utilization_below),
            format!(
                "Savings Builder: every card < {}",
                percent(criteria.savings_builder_utilization_below)
            ),
            PersonaId::SavingsBuilder,
        )),
        x_desc: "highest card utilization (current ÷ limit)",
    })
}

/// Median pay gap per window, with the Variable Income rule (strictly above).
pub fn pay_gap_bands(stats: &Stats) -> Result<String> {
    let bands = &stats.bands.pay_gap;
    let gap = stats.criteria.variable_income_gap_above_days;
    histogram(&Histogram {
        labels: band_labels(bands, |d| d.round_dp(1).normalize().to_string()),
        panels: windows(&stats.pay_gap),
        threshold: bands.threshold_index(),
        rule: format!("Variable Income: median pay gap > {gap} days"),
        persona: PersonaId::VariableIncome,
        also: None,
        x_desc: "median days between paychecks",
    })
}

/// Checking buffer in months of expenses, per window, with the Variable Income buffer rule.
pub fn buffer(stats: &Stats) -> Result<String> {
    let bands = &stats.bands.buffer;
    histogram(&Histogram {
        labels: band_labels(bands, |d| d.round_dp(2).normalize().to_string()),
        panels: windows(&stats.buffer),
        threshold: bands.threshold_index(),
        rule: format!(
            "Variable Income: buffer < {}",
            months(stats.criteria.variable_income_buffer_below_months)
        ),
        persona: PersonaId::VariableIncome,
        also: None,
        x_desc: "checking balance ÷ average monthly expenses, in months",
    })
}

/// Recurring spend as a share of total spend, per window, with the Subscription-Heavy share rule.
pub fn spend_share(stats: &Stats) -> Result<String> {
    let bands = &stats.bands.spend_share;
    histogram(&Histogram {
        labels: band_labels(bands, percent),
        panels: windows(&stats.spend_share),
        threshold: bands.threshold_index(),
        rule: format!(
            "Subscription-Heavy: ≥ {} of spend",
            percent(stats.criteria.subscription_heavy_min_spend_share)
        ),
        persona: PersonaId::SubscriptionHeavy,
        also: None,
        x_desc: "recurring subscription spend ÷ total spend",
    })
}

/// Savings inflow a month, per window, with the Savings Builder inflow rule.
pub fn savings_inflow(stats: &Stats) -> Result<String> {
    let bands = &stats.bands.savings_inflow;
    histogram(&Histogram {
        labels: band_labels(bands, money),
        panels: windows(&stats.savings_inflow),
        threshold: bands.threshold_index(),
        rule: format!(
            "Savings Builder: ≥ {}/month",
            money(stats.criteria.savings_builder_min_inflow)
        ),
        persona: PersonaId::SavingsBuilder,
        also: None,
        x_desc: "net transfers into savings per 30 days",
    })
}

/// Savings growth over each window, with the Savings Builder growth rule.
pub fn savings_growth(stats: &Stats) -> Result<String> {
    let bands = &stats.bands.savings_growth;
    histogram(&Histogram {
        labels: band_labels(bands, percent),
        panels: windows(&stats.savings_growth),
        threshold: bands.threshold_index(),
        rule: format!(
            "Savings Builder: ≥ {} growth",
            percent(stats.criteria.savings_builder_min_growth)
        ),
        persona: PersonaId::SavingsBuilder,
        also: None,
        x_desc: "growth of the savings balance over the window",
    })
}

/// Grouped bars: accounts of each kind per persona.
pub fn account_mix(stats: &Stats) -> Result<String> {
    render((WIDTH, 380), |root| {
        let kinds = if stats.has_other_accounts() { 4 } else { 3 };
        let top = stats
            .accounts
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let mut chart = persona_chart(root, top, "accounts")?;
        let width = 0.8 / kinds as f64;
        for kind in 0..kinds {
            let color = ACCOUNT_COLORS[kind];
            let offset = -0.4 + width * kind as f64;
            chart
                .draw_series((0..5).map(|p| {
                    let x = p as f64 + offset;
                    Rectangle::new(
                        [(x + 0.01, 0), (x + width - 0.01, stats.accounts[p][kind])],
                        color.filled(),
                    )
                }))?
                .label(ACCOUNT_KINDS[kind])
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
            chart.draw_series((0..5).map(|p| {
                let x = p as f64 + offset + width / 2.0;
                let count = stats.accounts[p][kind];
                Text::new(
                    count.to_string(),
                    (x, count),
                    text_style(12, &INK, HPos::Center, VPos::Bottom),
                )
            }))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font((FONT, 13))
            .draw()?;
        Ok(())
    })
}
