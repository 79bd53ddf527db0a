//! What `hindsight new --team` writes: a team response plan (SPEC section
//! 10) from the built-in template or the team's `teams/_template.md`.

use super::template::{finish, render_template};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::DocKind;
use anyhow::Result;
use chrono::NaiveDate;
use std::path::Path;

pub(crate) const TEAM_TEMPLATE: &str = include_str!("../../templates/team.md");

/// What a new team plan starts with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewTeam<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) services: &'a [String],
    pub(crate) oncall: &'a str,
    /// The first person of the call tree, who starts the fan-out.
    pub(crate) lead: &'a str,
    pub(crate) war_room: &'a str,
    pub(crate) fallback: &'a str,
    /// The day it is written: a new plan counts as reviewed then.
    pub(crate) reviewed_on: NaiveDate,
}

#[derive(serde::Serialize)]
struct TeamContext<'a> {
    id: &'a str,
    name: &'a str,
    services: &'a [String],
    oncall: &'a str,
    lead: &'a str,
    war_room: &'a str,
    fallback: &'a str,
    severities: Vec<&'a str>,
    reviewed_on: String,
    review_days: i64,
}

/// The repository's `<teams_dir>/_template.md`, or the built-in one; with
/// the name to give it in messages.
pub(crate) fn template(root: &Path, dir: &str) -> Result<(String, String)> {
    super::template::repository_or_built_in(root, dir, "team", TEAM_TEMPLATE)
}

/// Render and check a new team plan; problems that do not stop it (a
/// field the team's own schema asks for) are returned, to be shown as
/// warnings.
pub(crate) fn render(
    config: &Config,
    name: &str,
    source: &str,
    new: NewTeam<'_>,
) -> Result<(String, Vec<Diagnostic>)> {
    let context = TeamContext {
        id: new.id,
        name: new.name,
        services: new.services,
        oncall: new.oncall,
        lead: new.lead,
        war_room: new.war_room,
        fallback: new.fallback,
        severities: config.severities.iter().map(|s| s.name.as_str()).collect(),
        reviewed_on: new.reviewed_on.to_string(),
        review_days: config.team_review_days,
    };
    let text = render_template(name, source, context)?;
    finish(
        config,
        name,
        text,
        new.id,
        DocKind::Team,
        &format!("id_format `{}`", config.id_format),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_template_gives_a_plan_with_nothing_missing() {
        let services = ["checkout".to_string(), "pay\"ments".to_string()];
        let new = NewTeam {
            id: "payments",
            name: "Payments: core",
            services: &services,
            oncall: "https://oncall.example.com/payments",
            lead: "Ana O'Brien",
            war_room: "#inc-payments",
            fallback: "bridge +1 212 555 0199, PIN 1234",
            reviewed_on: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        };
        let (text, problems) = render(&Config::default(), "built-in", TEAM_TEMPLATE, new).unwrap();
        assert!(text.starts_with("---\nid: \"payments\""), "{text}");
        assert!(text.contains("\nname: \"Payments: core\"\n"), "{text}");
        assert!(
            text.contains("\nservices: [\"checkout\", \"pay\\\"ments\"]"),
            "{text}"
        );
        assert!(text.contains("\n  - name: \"Ana O'Brien\"\n"), "{text}");
        assert!(text.contains("\n  SEV1:\n"), "{text}");
        assert!(text.contains("updates_every_minutes: {SEV1: 30}"), "{text}");
        assert!(text.contains("\nreviewed_on: 2026-11-22 "), "{text}");
        assert!(
            text.contains("\n# Payments: core response plan\n"),
            "{text}"
        );
        assert!(problems.is_empty(), "{problems:?}");
    }
}
