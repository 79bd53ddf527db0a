//! The report (Markdown and HTML) and the site's quarterly and monthly
//! review pages show the same text for every headline figure and every
//! figure of the learning tables (response targets per severity,
//! contributing factors, postmortems): they render one view of a period
//! through one set of filters.

use crate::prelude::*;

fn report(repo: &str, period: &[&str], format: &str) -> String {
    let out = hindsight(repo)
        .arg("report")
        .args(period)
        .args(["--compare", "--today", TODAY, "--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One row of the report's comparison table.
#[derive(Debug)]
struct Row {
    label: String,
    current: String,
    previous: String,
    change: String,
}

/// The comparison table of `report --format md --compare`.
fn comparison(md: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in md.lines() {
        if line.starts_with("| |") && line.ends_with("| Change |") {
            in_table = true;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 4, "{line}");
        rows.push(Row {
            label: cells[0].replace('\\', ""),
            current: cells[1].to_string(),
            previous: cells[2].to_string(),
            change: cells[3].to_string(),
        });
    }
    assert!(rows.len() > 10, "no comparison table in:\n{md}");
    rows
}

fn build(repo: &str, out: &Path) {
    hindsight(repo)
        .args(["build", "--today", TODAY, "--out"])
        .arg(out)
        .assert()
        .success();
}

/// Labels of the report whose figures a review page shows too.
const SHOWN_ON_QUARTER: &[&str] = &[
    "Incidents",
    "Users affected, total",
    "Downtime, total",
    "Time to detect, mean",
    "Time to detect, median",
    "Time to acknowledge, mean",
    "Time to acknowledge, median",
    "Time to resolve, mean",
    "Time to resolve, median",
    "Action items created",
    "Action items closed in the period",
    "Action items open at the end",
    "Action items overdue at the end",
];

const SHOWN_ON_MONTH: &[&str] = &[
    "Incidents",
    "Users affected, total",
    "Downtime, total",
    "Time to resolve, median",
    "Action items overdue at the end",
];

fn agree(repo: &str, flag: &str, name: &str, site: &Path, shown: &[&str]) {
    let period = [flag, name];
    let rows = comparison(&report(repo, &period, "md"));
    let html = report(repo, &period, "html");
    let page = std::fs::read_to_string(site.join(format!("reviews/{name}/index.html")))
        .unwrap_or_else(|e| panic!("{repo} {name}: {e}"));
    for r in &rows {
        let cells = format!(
            "<td>{}</td><td class=\"num nowrap\">{}</td><td class=\"num nowrap\">{}</td><td class=\"num nowrap\">{}</td>",
            r.label, r.current, r.previous, r.change
        );
        assert!(
            html.contains(&cells),
            "{repo} {name}: HTML report lacks {r:?}"
        );
        if !shown.contains(&r.label.as_str()) {
            continue;
        }
        assert!(
            page.contains(&format!(">{}<", r.current))
                || page.contains(&format!(" {}<", r.current)),
            "{repo} {name}: site page lacks the value of {r:?}"
        );
        if r.change != "—" {
            assert!(
                page.contains(&format!(">{}", r.change)),
                "{repo} {name}: site page lacks the change of {r:?}"
            );
        }
    }
}

/// The rows of the report's response-target tables (with `--compare`):
/// severity, target, met, missed, rate, previous rate, change.
fn target_rows(md: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in md.lines() {
        if line.starts_with("| Severity | Target | Met | Missed | Rate |") {
            in_table = true;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect();
        assert_eq!(cells.len(), 7, "{line}");
        rows.push(cells);
    }
    rows
}

/// Each response-target row of the report reads the same on the
/// quarter's page: target, met, missed, rate and change.
fn targets_agree(repo: &str, name: &str, site: &Path) {
    let md = report(repo, &["--quarter", name], "md");
    let page = std::fs::read_to_string(site.join(format!("reviews/{name}/index.html"))).unwrap();
    let rows = target_rows(&md);
    assert!(!rows.is_empty(), "{repo} {name}: no target table in\n{md}");
    for r in &rows {
        let target = if r[1].is_empty() {
            "<td></td>".to_string()
        } else {
            format!("<td class=\"num\">{}</td>", r[1])
        };
        let cells = format!(
            "<th scope=\"row\">{}</th>{target}<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num small trend-",
            r[0], r[2], r[3], r[4]
        );
        let at = page.match_indices(&cells).map(|(i, _)| i).find(|&i| {
            let rest = &page[i + cells.len()..];
            rest.split_once('>')
                .is_some_and(|(_, after)| after.starts_with(&format!("{}</td>", r[6])))
        });
        assert!(
            at.is_some(),
            "{repo} {name}: site page lacks the target row {r:?}"
        );
    }
}

/// The rows of the Markdown table whose header line starts with
/// `header`, each as its cells; `cells` per row.
fn table_rows(md: &str, header: &str, cells: usize) -> Vec<Vec<String>> {
    let mut lines = md.lines().skip_while(|l| !l.starts_with(header));
    assert!(lines.next().is_some(), "no table `{header}` in\n{md}");
    lines
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let row: Vec<String> = line
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect();
            assert_eq!(row.len(), cells, "{line}");
            row
        })
        .collect()
}

/// Each contributing factor of the report has the same counts, this
/// period's and the previous one's, on the quarter's page.
fn factors_agree(repo: &str, name: &str, md: &str, page: &str) {
    let rows = table_rows(md, "| Factor | Incidents |", 4);
    assert!(!rows.is_empty(), "{repo} {name}: no factor in\n{md}");
    for r in &rows {
        let description = if r[3].is_empty() {
            String::new()
        } else {
            format!("<div class=\"muted small\">{}</div>", r[3])
        };
        let cells = format!(
            "<span class=\"chip factor\">{}</span>{description}</th><td class=\"num\">{}</td><td class=\"num muted\">{}</td>",
            r[0], r[1], r[2]
        );
        assert!(
            page.contains(&cells),
            "{repo} {name}: site page lacks the factor row {r:?}"
        );
    }
    assert_eq!(
        page.matches("<span class=\"chip factor\">").count(),
        rows.len(),
        "{repo} {name}: the site page lists other factors"
    );
}

/// A count of the postmortems table as the site shows it: a badge when
/// it is not zero.
fn count_cell(label: &str, count: &str) -> String {
    let shown = if count == "0" {
        "0".to_string()
    } else {
        format!("<span class=\"badge overdue\">{count}</span>")
    };
    format!("<th scope=\"row\">{label}</th><td class=\"num\">{shown}</td>")
}

/// The postmortem figures of the report (published, published late,
/// overdue on the end day, days to publish, items closed on time) and
/// its overdue postmortems read the same on the quarter's page.
fn postmortems_agree(repo: &str, name: &str, md: &str, page: &str) {
    let section = &md[md.find("## Postmortems").expect("a postmortems section")..];
    let figures: Vec<(String, String)> = table_rows(section, "| | |", 2)
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let value = |label: &str| -> String {
        figures
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{repo} {name}: no `{label}` in\n{md}"))
    };
    let published = value("Published");
    let published = published.split(" of ").next().unwrap();
    let (overdue_label, overdue) = figures
        .iter()
        .find(|(l, _)| l.starts_with("Overdue on "))
        .expect("an overdue count");
    let days = value("Days to publish, mean / median");
    let (mean, median) = days.split_once(" / ").unwrap();
    let closed = value("Action items closed on time / late");
    let (on_time, rest) = closed.split_once(" / ").unwrap();
    let late: usize = rest.split(' ').next().unwrap().parse().unwrap();
    let on_time_of = format!("{on_time} of {}", on_time.parse::<usize>().unwrap() + late);
    for cells in [
        format!("<th scope=\"row\">Published</th><td class=\"num\">{published}</td>"),
        count_cell("Published late", &value("Published late")),
        count_cell(overdue_label, overdue),
        format!("<th scope=\"row\">Days to publish, median</th><td class=\"num\">{median}</td>"),
        format!("<th scope=\"row\">Days to publish, mean</th><td class=\"num\">{mean}</td>"),
        format!(
            "<th scope=\"row\">Action items closed on time</th><td class=\"num\">{on_time_of}</td>"
        ),
    ] {
        assert!(
            page.contains(&cells),
            "{repo} {name}: site page lacks `{cells}`"
        );
    }
    // Each overdue postmortem: its id, days overdue, due day and owner.
    let listed = if overdue == "0" {
        Vec::new()
    } else {
        table_rows(section, "| Overdue postmortem |", 5)
    };
    assert_eq!(listed.len().to_string(), *overdue, "{repo} {name}");
    for r in &listed {
        let id = r[0].split_once(": ").map_or(r[0].as_str(), |(id, _)| id);
        let days = r[4].trim_end_matches(" d");
        let owner = if r[2] == "—" {
            String::new()
        } else {
            format!(", owner {}", r[2])
        };
        let cells = format!(
            "<span class=\"id muted\">{id}</span> <span class=\"badge overdue\">{days} d overdue</span> <span class=\"muted small\">due {}{owner}</span>",
            r[3]
        );
        assert!(
            page.contains(&cells),
            "{repo} {name}: site page lacks the overdue postmortem {r:?}"
        );
    }
    if !listed.is_empty() {
        assert!(
            page.contains(&format!(
                "Overdue postmortems <span class=\"count\">{}</span>",
                listed.len()
            )),
            "{repo} {name}: site page counts other overdue postmortems"
        );
    }
}

/// The learning tables of a quarter's report (response targets per
/// severity, contributing factors, postmortems) read the same on the
/// quarter's page.
fn learning_agrees(repo: &str, name: &str, site: &Path) {
    targets_agree(repo, name, site);
    let md = report(repo, &["--quarter", name], "md");
    let page = std::fs::read_to_string(site.join(format!("reviews/{name}/index.html"))).unwrap();
    factors_agree(repo, name, &md, &page);
    postmortems_agree(repo, name, &md, &page);
}

#[test]
fn learning_tables_agree() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build("examples", &site);
    learning_agrees("examples", "2026-Q1", &site);
    // Three postmortems overdue at the quarter's end, and factors that
    // the quarter before had fewer of.
    let repo = "tests/fixtures/learning";
    let site = dir.path().join("learning");
    build(repo, &site);
    learning_agrees(repo, "2026-Q1", &site);
}

#[test]
fn examples_quarter_and_months_agree() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build("examples", &site);
    agree("examples", "--quarter", "2026-Q1", &site, SHOWN_ON_QUARTER);
    let mut months = 0;
    for month in ["2026-01", "2026-02", "2026-03"] {
        if site.join(format!("reviews/{month}/index.html")).exists() {
            agree("examples", "--month", month, &site, SHOWN_ON_MONTH);
            months += 1;
        }
    }
    assert!(months > 0, "examples has no monthly page in 2026-Q1");
}

#[test]
fn a_fixture_with_compare_agrees() {
    let repo = "tests/fixtures/follow-through";
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(repo, &site);
    agree(repo, "--quarter", "2026-Q3", &site, SHOWN_ON_QUARTER);
}

#[test]
fn the_html_report_has_the_quarter_charts_and_loads_nothing() {
    let html = report("examples", &["--quarter", "2026-Q1"], "html");
    assert!(html.matches("<svg").count() >= 4, "{html}");
    // (The SVG namespace and links a reader may follow are not requests.)
    for external in ["src=", "<link", "<script", "@import", "url("] {
        assert!(!html.contains(external), "the report loads `{external}`");
    }
}
