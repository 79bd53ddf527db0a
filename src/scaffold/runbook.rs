//! What `hindsight new --runbook` writes: a runbook from the built-in
//! template or the team's `runbooks/_template.md`.

use super::template::{finish, render_template};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::DocKind;
use anyhow::Result;
use chrono::NaiveDate;
use std::path::Path;

pub(crate) const RUNBOOK_TEMPLATE: &str = include_str!("../../templates/runbook.md");

/// What a new runbook starts with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewRunbook<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) owner: &'a str,
    pub(crate) services: &'a [String],
    /// The day it is written: a new runbook counts as reviewed then.
    pub(crate) last_reviewed: NaiveDate,
}

#[derive(serde::Serialize)]
struct RunbookContext<'a> {
    id: &'a str,
    title: &'a str,
    owner: &'a str,
    services: &'a [String],
    last_reviewed: String,
    review_days: i64,
}

/// The repository's `<runbooks_dir>/_template.md`, or the built-in one;
/// with the name to give it in messages.
pub(crate) fn template(root: &Path, dir: &str) -> Result<(String, String)> {
    super::template::repository_or_built_in(root, dir, "runbook", RUNBOOK_TEMPLATE)
}

/// Render and check a new runbook; problems that do not stop it (a field
/// the team's own schema asks for) are returned, to be shown as warnings.
pub(crate) fn render(
    config: &Config,
    name: &str,
    source: &str,
    new: NewRunbook<'_>,
) -> Result<(String, Vec<Diagnostic>)> {
    let context = RunbookContext {
        id: new.id,
        title: new.title,
        owner: new.owner,
        services: new.services,
        last_reviewed: new.last_reviewed.to_string(),
        review_days: config.runbook_review_days,
    };
    let text = render_template(name, source, context)?;
    finish(
        config,
        name,
        text,
        new.id,
        DocKind::Runbook,
        &format!("id_format `{}`", config.id_format),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_template_gives_a_runbook_with_nothing_missing() {
        let services = ["db".to_string(), "check\"out".to_string()];
        let new = NewRunbook {
            id: "fail-over-the-database",
            title: "Fail over the \"database\"",
            owner: "Ana: DBA",
            services: &services,
            last_reviewed: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        };
        let (text, problems) =
            render(&Config::default(), "built-in", RUNBOOK_TEMPLATE, new).unwrap();
        assert!(
            text.starts_with("---\nid: \"fail-over-the-database\""),
            "{text}"
        );
        assert!(text.contains("\nowner: \"Ana: DBA\"\n"), "{text}");
        assert!(
            text.contains("\nservices: [\"db\", \"check\\\"out\"]\n"),
            "{text}"
        );
        assert!(text.contains("\nlast_reviewed: 2026-11-22 "), "{text}");
        assert!(text.contains("\n# review_every_days: 90 "), "{text}");
        assert!(problems.is_empty(), "{problems:?}");
    }
}
