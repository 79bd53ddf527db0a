//! The runbooks page and each runbook's row and page, with when drills
//! last exercised it.

use super::common::edit_url_of;
use crate::model::Runbook;
use crate::present::format;
use crate::site::links::{DrillLink, IncidentLink};
use crate::site::model::Site;
use serde::Serialize;

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
    pub(crate) incidents: Vec<&'a IncidentLink<'a>>,
    pub(crate) body: String,
    pub(crate) edit_url: Option<String>,
    /// When drills last exercised it (SPEC section 8).
    pub(crate) exercise: Exercise<'a>,
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
        body: site.body_html(&r.file),
        edit_url: edit_url_of(site.repo, &r.file),
        exercise: exercise(site, &e.usage),
    }
}

/// How a runbook page and the runbooks list tell its exercise state.
#[derive(Debug, Serialize)]
pub(crate) struct Exercise<'a> {
    pub(crate) last_exercised: Option<String>,
    /// The held drill of `last_exercised`.
    pub(crate) exercised_by: Option<&'a DrillLink<'a>>,
    pub(crate) exercise_due: Option<String>,
    pub(crate) exercise_every_days: Option<i64>,
    pub(crate) unexercised: bool,
    /// Every drill that lists the runbook, newest first.
    pub(crate) drills: Vec<&'a DrillLink<'a>>,
}

fn exercise<'a>(site: &'a Site<'_>, usage: &crate::track::RunbookUse<'_>) -> Exercise<'a> {
    let mut drills: Vec<usize> = usage
        .drills
        .iter()
        .filter_map(|id| site.drill(id))
        .collect();
    // Site order is newest first.
    drills.sort_unstable();
    Exercise {
        last_exercised: usage.last_exercised().map(format::date),
        exercised_by: usage.exercised_by().and_then(|id| site.drill_link(id)),
        exercise_due: usage.exercise_due().map(format::date),
        exercise_every_days: usage.runbook.exercise_every_days,
        unexercised: usage.unexercised_on(site.today),
        drills: drills.into_iter().map(|n| &site.drills[n].link).collect(),
    }
}
