//! The review report of one period: SPEC's JSON, and Markdown and HTML
//! rendered from templates (built in, or the repository's own copy in
//! `templates/`).

use crate::metrics::{Change, PeriodStats, Review};
use crate::model::{ActionItem, Incident, Repository};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

const REPORT_MD: &str = include_str!("../../templates/report.md");
const REPORT_HTML: &str = include_str!("../../templates/report.html");

/// SPEC's JSON; with `previous`, the same object gains a `previous` key
/// holding the previous period's report in the same shape, so a script
/// that reads SPEC's keys keeps working.
pub(crate) fn json(stats: &PeriodStats, previous: Option<&PeriodStats>) -> String {
    #[derive(Serialize)]
    struct Compared<'a> {
        #[serde(flatten)]
        stats: &'a PeriodStats,
        previous: &'a PeriodStats,
    }
    let text = match previous {
        Some(previous) => serde_json::to_string_pretty(&Compared { stats, previous }),
        None => serde_json::to_string_pretty(stats),
    };
    text.expect("report serialises") + "\n"
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Template {
    Markdown,
    Html,
}

impl Template {
    /// Its file name (also the name of a repository's override) and the
    /// built-in text.
    fn source(self) -> (&'static str, &'static str) {
        match self {
            Template::Markdown => ("report.md", REPORT_MD),
            Template::Html => ("report.html", REPORT_HTML),
        }
    }
}

#[derive(Serialize)]
struct PeriodContext {
    name: String,
    title: String,
    kind: &'static str,
    from: String,
    to: String,
}

#[derive(Serialize)]
struct SeverityContext<'a> {
    name: &'a str,
    description: &'a str,
    incidents: u64,
    /// Share of the period's incidents, in percent (for the bar).
    percent: f64,
}

#[derive(Serialize)]
struct IncidentContext<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    status: Option<&'static str>,
    /// "2026-03-14 08:12 UTC"
    started: Option<String>,
    duration_minutes: Option<f64>,
    downtime_minutes: Option<f64>,
    users_affected: Option<u64>,
    services: &'a [String],
    root_cause: Option<&'a str>,
    action_items: usize,
    open_action_items: usize,
    file: &'a str,
}

#[derive(Serialize)]
struct ItemContext<'a> {
    id: &'a str,
    incident: &'a str,
    drill: Option<&'a str>,
    title: &'a str,
    owner: &'a str,
    due: Option<String>,
    closed_on: Option<String>,
    /// Days past due on the report's end day.
    days_overdue: Option<i64>,
    link: Option<&'a str>,
}

impl<'a> ItemContext<'a> {
    fn new(item: &'a ActionItem, end_day: NaiveDate) -> ItemContext<'a> {
        ItemContext {
            id: &item.id,
            incident: item.incident().unwrap_or_default(),
            drill: item.drill(),
            title: &item.title,
            owner: &item.owner,
            due: item.due.map(|d| d.to_string()),
            closed_on: item.closed_on.map(|d| d.to_string()),
            days_overdue: item
                .due
                .filter(|due| *due < end_day)
                .map(|due| (end_day - due).num_days()),
            link: item.link.as_deref().filter(|l| is_web_link(l)),
        }
    }
}

/// The previous period, for `--compare`.
#[derive(Serialize)]
struct PreviousContext<'a> {
    period: PeriodContext,
    /// Its own end day: the day after it, or today when that is earlier.
    end_day: String,
    stats: &'a PeriodStats,
}

/// What a number is, for writing it and its change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Count,
    Minutes,
}

/// The texts of one comparison row, as the built-in templates show them.
#[derive(Serialize)]
struct RowText {
    current: String,
    previous: String,
    /// "+2 (+50%)", "-12 min (-20%)", "+3" (no percentage from zero),
    /// "n/a" when either side has no value.
    change: String,
}

/// One headline number of this period next to the previous one's.
#[derive(Serialize)]
struct ComparisonRow {
    /// Stable name for a team's own template: `incidents.total`,
    /// `incidents.by_severity.SEV1`, `time_to_detect.mean`, ...
    key: String,
    label: String,
    current: Option<f64>,
    previous: Option<f64>,
    change: Option<Change>,
    text: RowText,
}

#[derive(Serialize)]
struct ReportContext<'a> {
    site_title: &'a str,
    period: PeriodContext,
    /// The day open and overdue items are counted on.
    end_day: String,
    stats: &'a PeriodStats,
    severities: Vec<SeverityContext<'a>>,
    incidents: Vec<IncidentContext<'a>>,
    overdue_at_end: Vec<ItemContext<'a>>,
    closed_in_period: Vec<ItemContext<'a>>,
    /// With `--compare`; null otherwise.
    previous: Option<PreviousContext<'a>>,
    /// The headline numbers of both periods; empty without `--compare`.
    comparison: Vec<ComparisonRow>,
}

/// Only http(s) links become `href`s: a `javascript:` link in a document
/// must not run in a reader's browser.
fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn incident_context<'a>(i: &'a Incident, end_day: NaiveDate) -> IncidentContext<'a> {
    IncidentContext {
        id: &i.id,
        title: &i.title,
        severity: &i.severity,
        status: i.status.map(|s| s.as_str()),
        started: i
            .started_at
            .map(|t| t.naive_utc().format("%Y-%m-%d %H:%M UTC").to_string()),
        duration_minutes: i.duration(),
        downtime_minutes: i.downtime(),
        users_affected: i.impact.users_affected,
        services: &i.services,
        root_cause: i.root_cause.as_deref(),
        action_items: i.action_items.len(),
        open_action_items: i
            .action_items
            .iter()
            .filter(|a| crate::metrics::open_on(a, end_day))
            .count(),
        file: &i.file,
    }
}

fn period_context(period: crate::metrics::Period) -> PeriodContext {
    PeriodContext {
        name: period.to_string(),
        title: period.title(),
        kind: if period.is_quarter() {
            "quarter"
        } else {
            "month"
        },
        from: period.first_day.to_string(),
        to: period.last_day.to_string(),
    }
}

fn value_text(value: Option<f64>, unit: Unit) -> String {
    match (value, unit) {
        (None, _) => "—".to_string(),
        (Some(v), Unit::Minutes) => minutes_text(v),
        // Counts are whole numbers; the f64 only carries them.
        (Some(v), Unit::Count) => count_text(v.max(0.0).round() as u64),
    }
}

fn change_text(change: Option<Change>, unit: Unit) -> String {
    let Some(change) = change else {
        return "n/a".to_string();
    };
    let size = change.absolute.abs();
    // The sign follows what is shown: a change that rounds to nothing
    // (minutes are shown to a tenth) reads "0 min", not "+0 min".
    let (shown, rounds_to_nothing) = match unit {
        Unit::Minutes => (minutes_text(size), (size * 10.0).round() == 0.0),
        Unit::Count => (count_text(size.round() as u64), size.round() == 0.0),
    };
    let sign = match (rounds_to_nothing, change.absolute > 0.0) {
        (true, _) => "",
        (false, true) => "+",
        (false, false) => "-",
    };
    match change.percent.map(f64::round) {
        // -0.0 too: no "-0%".
        Some(0.0) => format!("{sign}{shown} (0%)"),
        Some(p) => format!("{sign}{shown} ({p:+}%)"),
        None => format!("{sign}{shown}"),
    }
}

/// How to read one headline number from a period's statistics.
type Figure = fn(&PeriodStats) -> Option<f64>;

/// The headline numbers after the incident counts, in the order shown.
const FIGURES: [(&str, &str, Unit, Figure); 12] = [
    (
        "time_to_detect.mean",
        "Time to detect, mean",
        Unit::Minutes,
        |s| s.time_to_detect.mean,
    ),
    (
        "time_to_detect.median",
        "Time to detect, median",
        Unit::Minutes,
        |s| s.time_to_detect.median,
    ),
    (
        "time_to_acknowledge.mean",
        "Time to acknowledge, mean",
        Unit::Minutes,
        |s| s.time_to_acknowledge.mean,
    ),
    (
        "time_to_acknowledge.median",
        "Time to acknowledge, median",
        Unit::Minutes,
        |s| s.time_to_acknowledge.median,
    ),
    (
        "time_to_resolve.mean",
        "Time to resolve, mean",
        Unit::Minutes,
        |s| s.time_to_resolve.mean,
    ),
    (
        "time_to_resolve.median",
        "Time to resolve, median",
        Unit::Minutes,
        |s| s.time_to_resolve.median,
    ),
    ("downtime_minutes", "Downtime, total", Unit::Minutes, |s| {
        s.downtime_minutes
    }),
    (
        "users_affected",
        "Users affected, total",
        Unit::Count,
        |s| s.users_affected.map(|n| n as f64),
    ),
    (
        "action_items.created",
        "Action items created",
        Unit::Count,
        |s| Some(s.action_items.created as f64),
    ),
    (
        "action_items.closed_in_period",
        "Action items closed in the period",
        Unit::Count,
        |s| Some(s.action_items.closed_in_period as f64),
    ),
    (
        "action_items.open_at_end",
        "Action items open at the end",
        Unit::Count,
        |s| Some(s.action_items.open_at_end as f64),
    ),
    (
        "action_items.overdue_at_end",
        "Action items overdue at the end",
        Unit::Count,
        |s| Some(s.action_items.overdue_at_end as f64),
    ),
];

fn comparison_row(
    key: String,
    label: String,
    unit: Unit,
    current: Option<f64>,
    previous: Option<f64>,
) -> ComparisonRow {
    let change = Change::between(current, previous);
    ComparisonRow {
        key,
        label,
        current,
        previous,
        change,
        text: RowText {
            current: value_text(current, unit),
            previous: value_text(previous, unit),
            change: change_text(change, unit),
        },
    }
}

/// The headline numbers of `stats` next to those of `previous`: incidents
/// in total and by severity, the three durations, downtime, users affected
/// and the action-item counts.
fn comparison(stats: &PeriodStats, previous: &PeriodStats) -> Vec<ComparisonRow> {
    let mut rows = vec![comparison_row(
        "incidents.total".into(),
        "Incidents".into(),
        Unit::Count,
        Some(stats.incidents.total as f64),
        Some(previous.incidents.total as f64),
    )];
    // Configured levels are the same on both sides; a level only one side
    // has (unknown to the configuration, a lint error) counts zero on the
    // other.
    let mut levels: Vec<&String> = stats.incidents.by_severity.keys().collect();
    let mut extra: Vec<&String> = previous
        .incidents
        .by_severity
        .keys()
        .filter(|k| !stats.incidents.by_severity.contains_key(*k))
        .collect();
    extra.sort_unstable();
    levels.extend(extra);
    let level_count = |s: &PeriodStats, level: &str| {
        let n = s.incidents.by_severity.get(level).and_then(|v| v.as_u64());
        Some(n.unwrap_or(0) as f64)
    };
    for level in levels {
        rows.push(comparison_row(
            format!("incidents.by_severity.{level}"),
            format!("{level} incidents"),
            Unit::Count,
            level_count(stats, level),
            level_count(previous, level),
        ));
    }
    for (key, label, unit, figure) in FIGURES {
        rows.push(comparison_row(
            key.to_string(),
            label.to_string(),
            unit,
            figure(stats),
            figure(previous),
        ));
    }
    rows
}

fn context<'a>(
    repo: &'a Repository,
    review: &'a Review<'a>,
    previous: Option<&'a Review<'a>>,
) -> ReportContext<'a> {
    let period = review.period;
    let stats = &review.stats;
    let severities = stats
        .incidents
        .by_severity
        .iter()
        .map(|(name, count)| SeverityContext {
            name,
            description: repo
                .config
                .severities
                .iter()
                .find(|s| s.name == *name)
                .map_or("", |s| s.description.as_str()),
            incidents: count.as_u64().unwrap_or(0),
            percent: match stats.incidents.total {
                0 => 0.0,
                total => {
                    (count.as_u64().unwrap_or(0) as f64 * 1000.0 / total as f64).round() / 10.0
                }
            },
        })
        .collect();
    ReportContext {
        site_title: &repo.config.title,
        period: period_context(period),
        end_day: review.end_day.to_string(),
        stats,
        severities,
        incidents: review
            .incidents
            .iter()
            .map(|i| incident_context(i, review.end_day))
            .collect(),
        overdue_at_end: review
            .overdue_at_end()
            .map(|a| ItemContext::new(a, review.end_day))
            .collect(),
        closed_in_period: review
            .closed_in_period
            .iter()
            .map(|a| ItemContext::new(a, review.end_day))
            .collect(),
        previous: previous.map(|p| PreviousContext {
            period: period_context(p.period),
            end_day: p.end_day.to_string(),
            stats: &p.stats,
        }),
        comparison: previous.map_or_else(Vec::new, |p| comparison(stats, &p.stats)),
    }
}

/// "—" for null, "45 min", "12.5 min", "2 h 5 min", "3 d 4 h".
fn minutes_text(minutes: f64) -> String {
    let sign = if minutes < 0.0 { "-" } else { "" };
    // Rounded first, so that 59.96 reads "1 h" and not "60 min".
    let m = (minutes.abs() * 10.0).round() / 10.0;
    if m < 60.0 {
        if m.fract() == 0.0 {
            format!("{sign}{m:.0} min")
        } else {
            format!("{sign}{m:.1} min")
        }
    } else if m < 24.0 * 60.0 {
        let total = m.round() as i64;
        match total % 60 {
            0 => format!("{sign}{} h", total / 60),
            rest => format!("{sign}{} h {rest} min", total / 60),
        }
    } else {
        let hours = (m / 60.0).round() as i64;
        match hours % 24 {
            0 => format!("{sign}{} d", hours / 24),
            rest => format!("{sign}{} d {rest} h", hours / 24),
        }
    }
}

/// 120400 -> "120,400".
fn count_text(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn minutes_filter(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(
        v.as_f64().map_or_else(|| "—".to_string(), minutes_text),
    ))
}

fn count_filter(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(
        v.as_u64().map_or_else(|| "—".to_string(), count_text),
    ))
}

/// Text placed in a Markdown table cell or list item: `|` would end the
/// cell and a line break the row; `<` would start raw HTML.
fn markdown_filter(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '<' | '>' | '*' | '_' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    Ok(Value::String(out))
}

/// The repository's `templates/<name>` when it has one, else the built-in.
fn template_source(repo: &Repository, name: &str, builtin: &'static str) -> Result<String> {
    let path = repo.root.join("templates").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(builtin.to_string()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Render the report of `review`; with `previous`, next to the numbers of
/// the period before it.
pub(crate) fn render(
    repo: &Repository,
    review: &Review<'_>,
    previous: Option<&Review<'_>>,
    template: Template,
) -> Result<String> {
    let (name, builtin) = template.source();
    let source = template_source(repo, name, builtin)?;
    let mut tera = tera::Tera::default();
    tera.register_filter("minutes", minutes_filter);
    tera.register_filter("count", count_filter);
    tera.register_filter("markdown", markdown_filter);
    tera.add_raw_template(name, &source)
        .with_context(|| format!("template {name} does not compile"))?;
    let context = tera::Context::from_serialize(context(repo, review, previous))
        .context("report context does not serialise")?;
    let mut text = tera
        .render(name, &context)
        .with_context(|| format!("cannot render template {name}"))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_read_like_a_person_wrote_them() {
        assert_eq!(minutes_text(0.0), "0 min");
        assert_eq!(minutes_text(12.5), "12.5 min");
        assert_eq!(minutes_text(9.0), "9 min");
        assert_eq!(minutes_text(59.96), "1 h");
        assert_eq!(minutes_text(60.0), "1 h");
        assert_eq!(minutes_text(95.2), "1 h 35 min");
        assert_eq!(minutes_text(1500.0), "1 d 1 h");
        assert_eq!(minutes_text(2880.0), "2 d");
        assert_eq!(minutes_text(-3.0), "-3 min");
    }

    #[test]
    fn changes_carry_a_sign_and_a_percentage_from_a_base() {
        let text = |c: Option<f64>, p: Option<f64>, unit| change_text(Change::between(c, p), unit);
        assert_eq!(text(Some(3.0), Some(2.0), Unit::Count), "+1 (+50%)");
        assert_eq!(text(Some(0.0), Some(2.0), Unit::Count), "-2 (-100%)");
        assert_eq!(text(Some(2.0), Some(2.0), Unit::Count), "0 (0%)");
        assert_eq!(text(Some(4.0), Some(0.0), Unit::Count), "+4");
        assert_eq!(text(Some(0.0), Some(0.0), Unit::Count), "0");
        assert_eq!(
            text(Some(1500.0), Some(500.0), Unit::Count),
            "+1,000 (+200%)"
        );
        assert_eq!(
            text(Some(21.0), Some(6.0), Unit::Minutes),
            "+15 min (+250%)"
        );
        assert_eq!(
            text(Some(30.0), Some(95.0), Unit::Minutes),
            "-1 h 5 min (-68%)"
        );
        assert_eq!(text(Some(10.02), Some(10.0), Unit::Minutes), "0 min (0%)");
        assert_eq!(text(Some(0.5), Some(0.0), Unit::Minutes), "+0.5 min");
        assert_eq!(text(None, Some(10.0), Unit::Minutes), "n/a");
        assert_eq!(text(Some(10.0), None, Unit::Count), "n/a");
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count_text(0), "0");
        assert_eq!(count_text(999), "999");
        assert_eq!(count_text(1000), "1,000");
        assert_eq!(count_text(120400), "120,400");
        assert_eq!(count_text(1234567), "1,234,567");
    }

    #[test]
    fn markdown_cells_stay_in_their_cell() {
        let v = markdown_filter(&Value::from("a | b\n<script>"), &HashMap::new()).unwrap();
        assert_eq!(v, Value::from("a \\| b \\<script\\>"));
    }
}
