//! What `hindsight new --drill` writes: a planned drill from the built-in
//! template or the team's `drills/_template.md`.

use super::template::{finish, render_template};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::DocKind;
use crate::model::DrillKind;
use anyhow::Result;
use chrono::NaiveDate;
use std::path::Path;

pub(crate) const DRILL_TEMPLATE: &str = include_str!("../../templates/drill.md");

/// Ids of new drills: `DRILL-<year of scheduled_for>-<next number>`.
pub(crate) const ID_FORMAT: &str = "DRILL-{year}-{seq:03}";

/// What a new drill starts with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewDrill<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) kind: DrillKind,
    pub(crate) scheduled_for: NaiveDate,
    /// `None` when nobody is known: the template leaves the key empty.
    pub(crate) facilitator: Option<&'a str>,
    /// `None` when not given: the template leaves the key empty.
    pub(crate) scenario: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct DrillContext<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    scheduled_for: String,
    facilitator: Option<&'a str>,
    scenario: Option<&'a str>,
    kinds: Vec<&'static str>,
}

/// The repository's `<drills_dir>/_template.md`, or the built-in one; with
/// the name to give it in messages.
/// It is read through the repository's gate, as every file is: a link
/// out of the repository or to a device is refused, not read.
pub(crate) fn template(root: &Path, dir: &str) -> Result<(String, String)> {
    super::template::repository_or_built_in(root, dir, "drill", DRILL_TEMPLATE)
}

/// Render and check a new drill. Problems that do not stop it (a field
/// the team's own schema asks for) are returned, to be shown as warnings;
/// the caller refuses a drill without the scenario or facilitator that
/// SPEC section 8 requires even of a planned drill.
pub(crate) fn render(
    config: &Config,
    name: &str,
    source: &str,
    new: NewDrill<'_>,
) -> Result<(String, Vec<Diagnostic>)> {
    let context = DrillContext {
        id: new.id,
        title: new.title,
        kind: new.kind.as_str(),
        scheduled_for: new.scheduled_for.to_string(),
        facilitator: new.facilitator,
        scenario: new.scenario,
        kinds: DrillKind::ALL.iter().map(|k| k.as_str()).collect(),
    };
    let text = render_template(name, source, context)?;
    finish(
        config,
        name,
        text,
        new.id,
        DocKind::Drill,
        &format!("the drill id format `{ID_FORMAT}`"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in(facilitator: Option<&str>, scenario: Option<&str>) -> (String, Vec<Diagnostic>) {
        let new = NewDrill {
            id: "DRILL-2026-001",
            title: "Lose the \"primary\" database",
            kind: DrillKind::GameDay,
            scheduled_for: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
            facilitator,
            scenario,
        };
        render(&Config::default(), "built-in", DRILL_TEMPLATE, new).unwrap()
    }

    #[test]
    fn built_in_template_gives_a_planned_drill_that_asks_for_its_scenario() {
        let (text, problems) = built_in(Some("Ana"), None);
        assert!(text.starts_with("---\nid: \"DRILL-2026-001\"\n"), "{text}");
        assert!(text.contains("title: \"Lose the \\\"primary\\\" database\"\n"));
        assert!(text.contains("kind: \"game-day\""));
        assert!(text.contains("status: planned"));
        assert!(text.contains("scheduled_for: 2026-12-10\n"));
        let missing: Vec<&str> = problems.iter().filter_map(|d| d.path.as_deref()).collect();
        assert_eq!(missing, ["/scenario"]);
    }

    #[test]
    fn without_a_facilitator_the_key_is_left_empty() {
        let (_, problems) = built_in(None, None);
        let mut missing: Vec<&str> = problems.iter().filter_map(|d| d.path.as_deref()).collect();
        missing.sort_unstable();
        assert_eq!(missing, ["/facilitator", "/scenario"]);
    }

    #[test]
    fn a_scenario_given_leaves_nothing_to_fill_in() {
        let (text, problems) = built_in(Some("Ana"), Some("The \"primary\" stops: fail over"));
        assert!(
            text.contains("\nscenario: \"The \\\"primary\\\" stops: fail over\"\n"),
            "{text}"
        );
        assert_eq!(problems.len(), 0, "{problems:?}");
    }
}
