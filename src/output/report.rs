//! The review report of one period: SPEC's JSON, and Markdown and HTML
//! rendered from templates (built in, or the repository's own copy in
//! `templates/`).

use crate::metrics::{PeriodStats, Review};
use crate::model::{ActionItem, Incident, Repository};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

const REPORT_MD: &str = include_str!("../../templates/report.md");
const REPORT_HTML: &str = include_str!("../../templates/report.html");

pub(crate) fn json(stats: &PeriodStats) -> String {
    serde_json::to_string_pretty(stats).expect("report serialises") + "\n"
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
            incident: &item.incident,
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

fn context<'a>(repo: &'a Repository, review: &'a Review<'a>) -> ReportContext<'a> {
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
        period: PeriodContext {
            name: period.to_string(),
            title: period.title(),
            kind: if period.is_quarter() {
                "quarter"
            } else {
                "month"
            },
            from: period.first_day.to_string(),
            to: period.last_day.to_string(),
        },
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

pub(crate) fn render(repo: &Repository, review: &Review<'_>, template: Template) -> Result<String> {
    let (name, builtin) = template.source();
    let source = template_source(repo, name, builtin)?;
    let mut tera = tera::Tera::default();
    tera.register_filter("minutes", minutes_filter);
    tera.register_filter("count", count_filter);
    tera.register_filter("markdown", markdown_filter);
    tera.add_raw_template(name, &source)
        .with_context(|| format!("template {name} does not compile"))?;
    let context = tera::Context::from_serialize(context(repo, review))
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
