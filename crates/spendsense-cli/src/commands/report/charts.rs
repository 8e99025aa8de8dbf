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
    ACCOUNT_KINDS, INCOME_BIN, INCOME_BINS, INCOME_FROM, INCOME_TO, SCATTER_CAP, SavingsBands,
    Stats,
};

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
pub fn utilization_scatter(stats: &Stats, criteria: &Criteria) -> Result<String> {
    render((WIDTH, 500), |root| {
        let low = stats
            .points
            .iter()
            .map(|p| p.income)
            .fold(INCOME_FROM as f64, f64::min);
        let high = stats
            .points
            .iter()
            .map(|p| p.income)
            .fold(INCOME_TO as f64, f64::max);
        let y_low = stats
            .points
            .iter()
            .map(|p| p.utilization)
            .fold(0.0, f64::min);
        let y_high = stats
            .points
            .iter()
            .map(|p| p.utilization)
            .fold(100.0, f64::max);
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
            let points = stats.points.iter().filter(|p| p.persona == persona);
            chart
                .draw_series(
                    points.map(|p| {
                        Circle::new((p.income, p.utilization), 2, color.mix(0.7).filled())
                    }),
                )?
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

/// The caption under the scatter: what it shows and whether it is capped.
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
        "One dot per profile: {whose}. Profiles without cards are not shown. \
         Dashed lines are the detection thresholds."
    )
}

/// A grouped histogram: the share of each persona's profiles in each savings
/// band, with the Savings Builder inflow threshold between two bands.
pub fn savings_targets(stats: &Stats, criteria: &Criteria) -> Result<String> {
    render((WIDTH, 400), |root| {
        let bands = SavingsBands::new(criteria.savings_builder_min_inflow);
        let shares: Vec<Vec<f64>> = stats
            .savings
            .iter()
            .map(|histogram| {
                let counts = bands.counts(histogram);
                let total: u64 = counts.iter().sum();
                counts
                    .iter()
                    .map(|&n| {
                        if total == 0 {
                            0.0
                        } else {
                            n as f64 * 100.0 / total as f64
                        }
                    })
                    .collect()
            })
            .collect();
        let top = shares.iter().flatten().copied().fold(10.0, f64::max);
        let last = bands.band_count() as f64 - 0.5;
        let labels: Vec<String> = (0..bands.band_count()).map(|b| bands.label(b)).collect();
        let band_at = |x: &f64| {
            let index = x.round();
            if (x - index).abs() < 1e-6 && (0.0..labels.len() as f64).contains(&index) {
                labels[index as usize].clone()
            } else {
                String::new()
            }
        };
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.5..last, 0.0..top * 1.3)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_labels(bands.band_count())
            .x_label_formatter(&band_at)
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .x_desc("planned monthly transfer into savings")
            .y_desc("share of the persona's profiles")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 14))
            .draw()?;

        let sb = PERSONA_COLORS[PersonaId::SavingsBuilder.index()];
        let x = bands.threshold_index() as f64 - 0.5;
        chart.draw_series([DashedPathElement::new(
            [(x, 0.0), (x, top * 1.22)],
            8,
            5,
            sb.stroke_width(2),
        )])?;
        chart.draw_series([Text::new(
            format!(
                "Savings Builder: ≥ ${}/month",
                bands.threshold.round_dp(2).normalize()
            ),
            (x, top * 1.22),
            text_style(13, &sb, HPos::Left, VPos::Bottom),
        )])?;

        let width = 0.8 / 5.0;
        for (p, persona) in PersonaId::ALL.into_iter().enumerate() {
            let color = PERSONA_COLORS[p];
            let offset = -0.4 + width * p as f64;
            chart
                .draw_series(shares[p].iter().enumerate().map(|(b, &share)| {
                    let x = b as f64 + offset;
                    Rectangle::new([(x + 0.01, 0.0), (x + width - 0.01, share)], color.filled())
                }))?
                .label(persona_label(persona))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
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
