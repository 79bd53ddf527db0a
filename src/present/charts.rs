//! Inline SVG charts made at build time: no script, no network, colours
//! from CSS classes so light, dark and print modes all apply. The markup is
//! produced only here, from typed series, with every label escaped.

pub(crate) use crate::metrics::figures::Unit;
use serde::Serialize;
use std::fmt::Write as _;

/// One named series of a chart; `class` picks its colour in style.css.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) class: String,
    /// One value per label; `None` where there is nothing to show.
    pub(crate) values: Vec<Option<f64>>,
}

/// How values read on the axis and in tooltips.
fn axis_text(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Count => super::format::number(v),
        Unit::Minutes if v == 0.0 => "0".to_string(),
        Unit::Minutes => super::format::minutes(v),
    }
}

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 46.0;

use crate::document::escape::escape_html as escape;

/// A "nice" axis maximum and tick step (1, 2, 2.5 or 5 times a power of
/// ten) so that grid lines fall on round numbers.
fn nice_scale(max: f64, unit: Unit) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (
            if unit == Unit::Count { 4.0 } else { 60.0 },
            if unit == Unit::Count { 1.0 } else { 15.0 },
        );
    }
    if unit == Unit::Minutes {
        // Minutes read best in steps people count in.
        let steps = [
            1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 180.0, 240.0, 360.0, 720.0, 1440.0,
            2880.0, 7200.0, 14400.0,
        ];
        for step in steps {
            if max / step <= 5.0 {
                return ((max / step).ceil() * step, step);
            }
        }
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let step = if unit == Unit::Count {
        step.max(1.0).ceil()
    } else {
        step
    };
    ((max / step).ceil() * step, step)
}

struct Frame {
    plot_w: f64,
    plot_h: f64,
    max: f64,
}

impl Frame {
    fn y(&self, v: f64) -> f64 {
        TOP + self.plot_h - (v / self.max) * self.plot_h
    }
}

fn open_svg(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape(title),
        escape(title)
    );
}

/// Grid lines with their values, and the x labels (thinned so they never
/// overlap).
fn axes(out: &mut String, frame: &Frame, step: f64, labels: &[String], unit: Unit, slot: f64) {
    let mut v = 0.0;
    while v <= frame.max + step / 2.0 {
        let y = frame.y(v);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT + frame.plot_w,
            LEFT - 6.0,
            y + 4.0,
            escape(&axis_text(unit, v))
        );
        v += step;
    }
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let every = ((labels.len() as f64 * (widest * 6.5 + 10.0)) / frame.plot_w)
        .ceil()
        .max(1.0) as usize;
    for (n, label) in labels.iter().enumerate() {
        if n % every != 0 && n + 1 != labels.len() {
            continue;
        }
        if n + 1 == labels.len() && n % every != 0 && every > 1 {
            continue;
        }
        let x = LEFT + slot * (n as f64 + 0.5);
        let _ = write!(
            out,
            "<text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            TOP + frame.plot_h + 16.0,
            escape(label)
        );
    }
}

/// How the `n`th series of a line chart is drawn, so that series with
/// equal values stay apart: the first solid with filled dots, the next
/// dashed with hollow diamonds (drawn larger, around the dot beneath),
/// then dotted with hollow squares.
#[derive(Debug, Clone, Copy)]
struct LineStyle {
    dash: Option<&'static str>,
    marker: Marker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Dot,
    Diamond,
    Square,
}

fn line_style(n: usize) -> LineStyle {
    match n % 3 {
        0 => LineStyle {
            dash: None,
            marker: Marker::Dot,
        },
        1 => LineStyle {
            dash: Some("7 4"),
            marker: Marker::Diamond,
        },
        _ => LineStyle {
            dash: Some("2 3"),
            marker: Marker::Square,
        },
    }
}

/// A value's marker at (x, y), with its tooltip.
fn marker(out: &mut String, style: LineStyle, class: &str, x: f64, y: f64, tip: &str) {
    let class = escape(class);
    let _ = match style.marker {
        Marker::Dot => write!(
            out,
            "<circle class=\"dot {class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\">"
        ),
        Marker::Diamond => write!(
            out,
            "<path class=\"dot hollow {class}\" d=\"M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z\">",
            y - 6.0,
            x + 6.0,
            y + 6.0,
            x - 6.0
        ),
        Marker::Square => write!(
            out,
            "<rect class=\"dot hollow {class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\">",
            x - 4.5,
            y - 4.5
        ),
    };
    if !tip.is_empty() {
        let _ = write!(out, "<title>{}</title>", escape(tip));
    }
    out.push_str(match style.marker {
        Marker::Dot => "</circle>",
        Marker::Diamond => "</path>",
        Marker::Square => "</rect>",
    });
}

/// The series' names under the plot, wrapping onto more rows (and making
/// the chart taller) rather than running past its right edge. A line
/// chart's legend shows each series' line and marker.
fn legend(out: &mut String, series: &[Series], lines: bool) {
    const ROW: f64 = 16.0;
    let mut x = LEFT;
    let mut y = HEIGHT - 10.0;
    let sample = if lines { 26.0 } else { 10.0 };
    for (n, s) in series.iter().enumerate() {
        let width = sample + 4.0 + 6.8 * s.name.chars().count() as f64 + 16.0;
        if x > LEFT && x + width - 16.0 > WIDTH - RIGHT {
            x = LEFT;
            y += ROW;
        }
        if lines {
            let style = line_style(n);
            let _ = write!(
                out,
                "<path class=\"line {}\" d=\"M{x:.1} {:.1} L{:.1} {:.1}\"{}/>",
                escape(&s.class),
                y - 4.0,
                x + sample,
                y - 4.0,
                dash_attribute(style)
            );
            marker(out, style, &s.class, x + sample / 2.0, y - 4.0, "");
        } else {
            let _ = write!(
                out,
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" rx=\"2\"/>",
                escape(&s.class),
                y - 9.0,
            );
        }
        let _ = write!(
            out,
            "<text class=\"legend\" x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
            x + sample + 4.0,
            escape(&s.name)
        );
        x += width;
    }
    let extra = y - (HEIGHT - 10.0);
    if extra > 0.0 {
        let drawn = format!("viewBox=\"0 0 {WIDTH} {HEIGHT}\"");
        let taller = format!("viewBox=\"0 0 {WIDTH} {}\"", HEIGHT + extra);
        *out = out.replacen(&drawn, &taller, 1);
    }
}

/// Bars per label, the series stacked in order (e.g. incidents per month
/// by severity).
pub(crate) fn stacked_bars(
    title: &str,
    labels: &[String],
    series: &[Series],
    unit: Unit,
) -> String {
    let totals: Vec<f64> = (0..labels.len())
        .map(|n| {
            series
                .iter()
                .filter_map(|s| s.values.get(n).copied().flatten())
                .sum()
        })
        .collect();
    let (max, step) = nice_scale(totals.iter().copied().fold(0.0, f64::max), unit);
    let frame = Frame {
        plot_w: WIDTH - LEFT - RIGHT,
        plot_h: HEIGHT - TOP - BOTTOM,
        max,
    };
    let slot = frame.plot_w / labels.len().max(1) as f64;
    let bar = (slot * 0.7).min(48.0);
    let mut out = String::new();
    open_svg(&mut out, title);
    axes(&mut out, &frame, step, labels, unit, slot);
    for (n, label) in labels.iter().enumerate() {
        let x = LEFT + slot * n as f64 + (slot - bar) / 2.0;
        let mut base = 0.0;
        for s in series {
            let Some(v) = s.values.get(n).copied().flatten().filter(|v| *v > 0.0) else {
                continue;
            };
            let (y0, y1) = (frame.y(base), frame.y(base + v));
            let _ = write!(
                out,
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"><title>{}: {} {}</title></rect>",
                escape(&s.class),
                (y0 - y1).max(0.5),
                escape(label),
                escape(&axis_text(unit, v)),
                escape(&s.name)
            );
            base += v;
        }
    }
    legend(&mut out, series, false);
    out.push_str("</svg>");
    out
}

/// One line per series with a dot per value (e.g. time to resolve per
/// quarter, median and 90th percentile). Gaps where a value is missing.
pub(crate) fn lines(title: &str, labels: &[String], series: &[Series], unit: Unit) -> String {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied().flatten())
        .fold(0.0, f64::max);
    let (max, step) = nice_scale(max, unit);
    let frame = Frame {
        plot_w: WIDTH - LEFT - RIGHT,
        plot_h: HEIGHT - TOP - BOTTOM,
        max,
    };
    let slot = frame.plot_w / labels.len().max(1) as f64;
    let mut out = String::new();
    open_svg(&mut out, title);
    axes(&mut out, &frame, step, labels, unit, slot);
    for (index, s) in series.iter().enumerate() {
        let style = line_style(index);
        let mut path = String::new();
        let mut pen_down = false;
        for (n, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => {
                    let x = LEFT + slot * (n as f64 + 0.5);
                    let _ = write!(
                        path,
                        "{}{x:.1} {:.1}",
                        if pen_down { " L" } else { " M" },
                        frame.y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            let _ = write!(
                out,
                "<path class=\"line {}\" d=\"{}\"{}/>",
                escape(&s.class),
                path.trim(),
                dash_attribute(style)
            );
        }
        for (n, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let x = LEFT + slot * (n as f64 + 0.5);
                let tip = format!("{}: {} {}", labels[n], axis_text(unit, *v), s.name);
                marker(&mut out, style, &s.class, x, frame.y(*v), &tip);
            }
        }
    }
    legend(&mut out, series, true);
    out.push_str("</svg>");
    out
}

fn dash_attribute(style: LineStyle) -> String {
    style
        .dash
        .map(|d| format!(" stroke-dasharray=\"{d}\""))
        .unwrap_or_default()
}

/// A strip of one duration's values on a log scale (SPEC section 14): a
/// dot per incident (hollow when it rests on an estimated timestamp), the
/// median marked, and "n =" beside it, so that a reader sees how few and
/// how spread the values are before any average. `title` says it all for a
/// screen reader; `unit` is minutes or days.
pub(crate) fn strip(
    title: &str,
    values: &[f64],
    estimated: &[bool],
    median: Option<f64>,
    days: bool,
) -> String {
    const W: f64 = 320.0;
    const H: f64 = 58.0;
    const L: f64 = 8.0;
    const R: f64 = 52.0;
    const MID: f64 = 22.0;
    let text = |v: f64| {
        if days {
            format!("{} d", super::format::number(v))
        } else if v == 0.0 {
            "0".to_string()
        } else {
            super::format::minutes(v)
        }
    };
    // Ticks people count in: minutes and hours, or days.
    let ticks: &[f64] = if days {
        &[1.0, 7.0, 30.0, 90.0, 365.0]
    } else {
        &[1.0, 10.0, 60.0, 600.0, 1440.0, 14400.0]
    };
    // log10(1 + v): zero has a place on the axis.
    let scale = |v: f64| (1.0 + v.max(0.0)).log10();
    let top = values
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(if days { 7.0 } else { 60.0 });
    let ticks: Vec<f64> = ticks.iter().copied().filter(|t| *t <= top * 1.5).collect();
    let span = scale(top).max(f64::MIN_POSITIVE);
    let x = |v: f64| L + (W - L - R) * scale(v) / span;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart strip\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape(title),
        escape(title)
    );
    let _ = write!(
        out,
        "<line class=\"grid\" x1=\"{L}\" x2=\"{:.1}\" y1=\"{MID}\" y2=\"{MID}\"/>",
        W - R
    );
    for t in &ticks {
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\"/><text class=\"tick\" x=\"{0:.1}\" y=\"{3:.1}\" text-anchor=\"middle\">{4}</text>",
            x(*t),
            MID - 12.0,
            MID + 12.0,
            H - 8.0,
            escape(&text(*t))
        );
    }
    if let Some(m) = median {
        let _ = write!(
            out,
            "<line class=\"median\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\"><title>median {3}</title></line>",
            x(m),
            MID - 15.0,
            MID + 15.0,
            escape(&text(m))
        );
    }
    for (n, v) in values.iter().enumerate() {
        let hollow = estimated.get(n).copied().unwrap_or(false);
        let _ = write!(
            out,
            "<circle class=\"dot{}\" cx=\"{:.1}\" cy=\"{MID}\" r=\"4\"><title>{}{}</title></circle>",
            if hollow { " estimated" } else { "" },
            x(*v),
            if hollow { "~" } else { "" },
            escape(&text(*v))
        );
    }
    let _ = write!(
        out,
        "<text class=\"n\" x=\"{:.1}\" y=\"{:.1}\">n = {}</text></svg>",
        W - R + 8.0,
        MID + 4.0,
        values.len()
    );
    out
}

/// Horizontal bars, one per name, longest first (e.g. incidents per
/// service).
pub(crate) fn horizontal_bars(title: &str, rows: &[(String, f64)], class: &str) -> String {
    let row_h = 24.0;
    let label_w = 130.0;
    let height = TOP + row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1.0);
    let plot_w = WIDTH - label_w - 56.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape(title),
        escape(title)
    );
    for (n, (name, v)) in rows.iter().enumerate() {
        let y = TOP + row_h * n as f64;
        let w = (v / max * plot_w).max(1.0);
        let shown: String = if name.chars().count() > 18 {
            name.chars().take(17).chain(['…']).collect()
        } else {
            name.clone()
        };
        let _ = write!(
            out,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"{}\" x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" rx=\"2\"><title>{}: {}</title></rect><text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 8.0,
            y + row_h * 0.62,
            escape(&shown),
            escape(class),
            y + 3.0,
            row_h - 8.0,
            escape(name),
            escape(&crate::present::format::number(*v)),
            label_w + w + 6.0,
            y + row_h * 0.62,
            escape(&crate::present::format::number(*v))
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round() {
        assert_eq!(nice_scale(7.0, Unit::Count), (8.0, 2.0));
        assert_eq!(nice_scale(0.0, Unit::Count), (4.0, 1.0));
        assert_eq!(nice_scale(95.0, Unit::Minutes), (120.0, 30.0));
        assert_eq!(nice_scale(1000.0, Unit::Count), (1000.0, 250.0));
    }

    #[test]
    fn equal_series_stay_apart_and_the_legend_says_which_is_which() {
        let series = |name: &str, class: &str| Series {
            name: name.into(),
            class: class.into(),
            values: vec![Some(30.0), Some(45.0), None],
        };
        let svg = lines(
            "Time to resolve",
            &["Q1".into(), "Q2".into(), "Q3".into()],
            &[series("median", "s-median"), series("p90", "s-p90")],
            Unit::Minutes,
        );
        // The first: a solid line, filled dots.
        assert!(svg.contains("<path class=\"line s-median\" d=\"M"), "{svg}");
        assert_eq!(
            svg.matches("<circle class=\"dot s-median\"").count(),
            3,
            "{svg}"
        );
        // The second, drawn over it: dashed, with hollow diamonds larger
        // than the dots, so both show where they are equal.
        assert_eq!(
            svg.matches("<path class=\"line s-p90\" d=\"M").count(),
            2,
            "the line and its legend sample: {svg}"
        );
        assert_eq!(svg.matches("stroke-dasharray=\"7 4\"").count(), 2, "{svg}");
        assert_eq!(
            svg.matches("<path class=\"dot hollow s-p90\"").count(),
            3,
            "{svg}"
        );
        // The legend names both, each beside its own line and marker.
        let legend = &svg[svg.find("<text class=\"legend\"").unwrap() - 300..];
        assert!(
            legend.contains(">median</text>") && legend.contains(">p90</text>"),
            "{svg}"
        );
        // A third series is dotted with squares.
        let svg = lines(
            "t",
            &["a".into(), "b".into(), "c".into()],
            &[
                series("a", "s-open"),
                series("b", "s-closed"),
                series("c", "s-overdue"),
            ],
            Unit::Count,
        );
        assert!(svg.contains("stroke-dasharray=\"2 3\""), "{svg}");
        assert!(
            svg.contains("<rect class=\"dot hollow s-overdue\""),
            "{svg}"
        );
    }

    #[test]
    fn labels_are_escaped() {
        let svg = horizontal_bars("t", &[("<b>&".to_string(), 2.0)], "bar");
        assert!(svg.contains("&lt;b&gt;&amp;"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        let s = Series {
            name: "x\"y".into(),
            class: "sev-1".into(),
            values: vec![Some(1.0), None],
        };
        let svg = stacked_bars(
            "t",
            &["a".into(), "b".into()],
            std::slice::from_ref(&s),
            Unit::Count,
        );
        assert!(svg.contains("x&quot;y"), "{svg}");
        let svg = lines("t", &["a".into(), "b".into()], &[s], Unit::Minutes);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}

/// A chart and its text alternative: a table of the same numbers.
#[derive(Debug, Serialize)]
pub(crate) struct Chart {
    pub(crate) svg: String,
    /// Column headings after the first (the row labels' column).
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<ChartRow>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ChartRow {
    pub(crate) label: String,
    pub(crate) values: Vec<String>,
}

/// The table of a chart's series over its labels.
pub(crate) fn chart(svg: String, labels: &[String], series: &[Series], unit: Unit) -> Chart {
    let text = |v: Option<f64>| match (v, unit) {
        (None, _) => super::format::NONE.to_string(),
        (Some(m), Unit::Minutes) => super::format::minutes(m),
        (Some(n), _) => super::format::number(n),
    };
    Chart {
        svg,
        columns: series.iter().map(|s| s.name.clone()).collect(),
        rows: labels
            .iter()
            .enumerate()
            .map(|(n, label)| ChartRow {
                label: label.clone(),
                values: series
                    .iter()
                    .map(|s| text(s.values.get(n).copied().flatten()))
                    .collect(),
            })
            .collect(),
    }
}
