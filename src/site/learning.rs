//! The site's part of learning across incidents (SPEC section 7): response
//! targets and contributing factors on an incident's page with the
//! incidents that share a cause, postmortems overdue on the actions page,
//! and the review pages' view with links to the incidents.

use super::links::IncidentLink;
use super::model::Site;
use crate::metrics::learning::{
    postmortem_days_overdue, postmortem_due, postmortem_overdue_on, Related, SharedCause,
};
use crate::metrics::Review;
use crate::model::Incident;
use crate::present::format;
use crate::present::learning::{self as view, FactorLink, TargetVerdict};
use serde::Serialize;

/// Another incident with a cause in common.
#[derive(Debug, Serialize)]
pub(crate) struct SharedLink<'a> {
    pub(crate) link: &'a IncidentLink<'a>,
    pub(crate) factors: Vec<&'a str>,
    pub(crate) services: Vec<&'a str>,
}

/// An earlier incident whose fix this one came after (SPEC section 14).
#[derive(Debug, Serialize)]
pub(crate) struct RecurrenceLink<'a> {
    pub(crate) link: &'a IncidentLink<'a>,
    /// The fix: the earliest closed `prevent` item, id and title.
    pub(crate) item: String,
    pub(crate) item_title: String,
    pub(crate) days_after_fix: i64,
}

/// The fixes an incident recurred after, with links.
pub(crate) fn recurrence_links<'a>(
    site: &'a Site<'_>,
    list: &[crate::metrics::recurrence::Recurrence],
) -> Vec<RecurrenceLink<'a>> {
    list.iter()
        .filter_map(|r| {
            let link = site.incident_link(&r.after)?;
            let item_title = site.incidents[site.incident(&r.after)?]
                .incident
                .action_items
                .iter()
                .find(|a| a.id == r.item)
                .map(|a| a.title.clone())
                .unwrap_or_default();
            Some(RecurrenceLink {
                link,
                item: r.item.clone(),
                item_title,
                days_after_fix: r.days_after_fix,
            })
        })
        .collect()
}

/// Whether and when the postmortem was published.
#[derive(Debug, Serialize)]
pub(crate) struct PostmortemState {
    pub(crate) due: Option<String>,
    pub(crate) overdue: bool,
    pub(crate) days_overdue: Option<i64>,
    pub(crate) published_on: Option<String>,
    /// "6 d".
    pub(crate) days_to_publish: Option<String>,
    /// Days the publication came after the due day (SPEC section 7: a
    /// publication after due is late); `None` when on time or unpublished.
    pub(crate) days_late: Option<i64>,
}

/// What an incident's page shows of learning across incidents.
#[derive(Debug, Serialize)]
pub(crate) struct IncidentLearning<'a> {
    pub(crate) targets: Vec<TargetVerdict>,
    pub(crate) missed: usize,
    pub(crate) factors: Vec<FactorLink<'a>>,
    pub(crate) earlier: Vec<SharedLink<'a>>,
    pub(crate) later: Vec<SharedLink<'a>>,
    pub(crate) postmortem: PostmortemState,
    /// "recurred after the fix of …".
    pub(crate) recurred_after: Vec<RecurrenceLink<'a>>,
}

fn shared_links<'a>(site: &'a Site<'_>, list: &'a [SharedCause<'a>]) -> Vec<SharedLink<'a>> {
    list.iter()
        .filter_map(|s| {
            Some(SharedLink {
                link: site.incident_link(&s.incident.id)?,
                factors: s.factors.clone(),
                services: s.services.clone(),
            })
        })
        .collect()
}

pub(crate) fn incident<'a>(
    site: &'a Site<'_>,
    i: &'a Incident,
    shared: &'a Related<'a>,
    recurred: &[crate::metrics::recurrence::Recurrence],
) -> IncidentLearning<'a> {
    let config = &site.repo.config;
    let targets = view::verdicts(config, i);
    IncidentLearning {
        missed: targets.iter().filter(|t| t.met == Some(false)).count(),
        targets,
        factors: view::factor_links(config, i, &|name| site.factor(name).map(|f| f.url.as_str())),
        earlier: shared_links(site, &shared.earlier),
        later: shared_links(site, &shared.later),
        recurred_after: recurrence_links(site, recurred),
        postmortem: PostmortemState {
            due: postmortem_due(config, i).map(format::date),
            overdue: postmortem_overdue_on(config, i, site.today),
            days_overdue: postmortem_days_overdue(config, i, site.today),
            published_on: i.published_on.map(format::date),
            days_to_publish: view::days_to_publish_text(i),
            days_late: i
                .published_on
                .zip(postmortem_due(config, i))
                .map(|(published, due)| (published - due).num_days())
                .filter(|late| *late > 0),
        },
    }
}

/// A postmortem overdue today, for the actions page.
#[derive(Debug, Serialize)]
pub(crate) struct OverdueRow<'a> {
    pub(crate) link: &'a IncidentLink<'a>,
    pub(crate) owner: Option<&'a str>,
    pub(crate) status: Option<&'static str>,
    pub(crate) due: String,
    pub(crate) days_overdue: i64,
}

/// Postmortems overdue today (the same list as `hindsight postmortems
/// --overdue`), those with a page.
pub(crate) fn overdue_postmortems<'a>(site: &'a Site<'_>) -> Vec<OverdueRow<'a>> {
    let config = &site.repo.config;
    crate::track::postmortems(site.repo, true, site.today)
        .into_iter()
        .filter_map(|i| {
            Some(OverdueRow {
                link: site.incident_link(&i.id)?,
                owner: i.owner.as_deref(),
                status: i.status.map(|s| s.as_str()),
                due: format::date(postmortem_due(config, i)?),
                days_overdue: postmortem_days_overdue(config, i, site.today)?,
            })
        })
        .collect()
}

/// The page of one of a review's incidents: none for a second file with
/// the id of another, which has no page of its own.
pub(crate) fn page_of(site: &Site<'_>, i: &Incident) -> Option<String> {
    site.incident(&i.id)
        .filter(|n| std::ptr::eq(site.incidents[*n].incident, i))
        .map(|n| site.incidents[n].link.url.clone())
}

/// The review's figures, with links to the incidents' pages.
pub(crate) fn review<'a>(
    site: &Site<'_>,
    review: &'a Review<'a>,
    previous: Option<&Review<'_>>,
) -> view::LearningView<'a> {
    view::view(&site.repo.config, review, previous, &|i| page_of(site, i))
}
