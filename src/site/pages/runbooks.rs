//! The runbooks page and each runbook's row.

use super::*;

/// One runbook, in the list and on its page.
#[derive(Debug, Serialize)]
pub(crate) struct RunbookRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) file: &'a str,
    pub(crate) owner: &'a str,
    pub(crate) services: &'a [String],
    pub(crate) last_reviewed: Option<String>,
    pub(crate) review_due: Option<String>,
    pub(crate) review_every_days: i64,
    pub(crate) stale: bool,
    pub(crate) days_stale: Option<i64>,
    /// Days until the review is due, when it is not stale.
    pub(crate) days_left: Option<i64>,
    pub(crate) incidents: Vec<IncidentLink<'a>>,
    pub(crate) body: &'a str,
    pub(crate) edit_url: Option<String>,
    /// When drills last exercised it (SPEC section 8).
    pub(crate) exercise: super::drills::Exercise<'a>,
}

/// A runbook named by an incident or a drill, linked when it has a page.
pub(crate) fn runbook_link<'a>(site: &'a Site<'_>, id: &'a str) -> RunbookLink<'a> {
    match site.runbook(id) {
        Some(r) => RunbookLink {
            id,
            title: &r.runbook.title,
            url: Some(&r.url),
            stale: r.runbook.stale_on(site.today),
        },
        None => RunbookLink {
            id,
            title: id,
            url: None,
            stale: false,
        },
    }
}

pub(crate) fn runbook_row<'a>(site: &'a Site<'_>, n: usize) -> RunbookRow<'a> {
    let e = &site.runbooks[n];
    let r: &Runbook = e.runbook;
    RunbookRow {
        id: &r.id,
        title: &r.title,
        url: &e.url,
        file: &r.file,
        owner: &r.owner,
        services: &r.services,
        last_reviewed: r.last_reviewed.map(format::date),
        review_due: r.review_due().map(format::date),
        review_every_days: r.review_every_days,
        stale: r.stale_on(site.today),
        days_stale: r.days_stale(site.today),
        days_left: r
            .review_due()
            .filter(|due| *due >= site.today)
            .map(|due| (due - site.today).num_days()),
        incidents: e
            .usage
            .incidents
            .iter()
            .filter_map(|id| site.incident_link(id))
            .collect(),
        body: &e.body.html,
        edit_url: edit_url(site.repo.config.repo_url.as_deref(), &r.file),
        exercise: super::drills::exercise(site, &e.usage),
    }
}
