//! The review periods of the site: the ones with a page (every month
//! and quarter with an incident or a drill), their reviews (`metrics`),
//! the continuous runs of months and quarters the charts and the "change
//! since" figures read, and the links to their pages.

use super::links::{review_url, PeriodLink};
use crate::metrics::{self, Period, Review};
use crate::model::{Incident, Repository};
use chrono::Datelike;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Every review period the site needs: the ones with pages, and the
/// continuous runs of months and quarters the charts and the "change
/// since" figures read.
pub(crate) struct Reviews<'r> {
    /// Periods with a page: quarters, then months, each newest first.
    pub(crate) pages: Vec<Period>,
    pub(crate) months: BTreeMap<Period, Review<'r>>,
    pub(crate) quarters: BTreeMap<Period, Review<'r>>,
    pub(crate) fiscal_year_start_month: u32,
}

impl<'r> Reviews<'r> {
    pub(crate) fn new(repo: &'r Repository, today: chrono::NaiveDate) -> Reviews<'r> {
        let fiscal = repo.config.fiscal_year_start_month;
        let (months, quarters) = metrics::review_periods(repo, today);
        // Continuous runs of periods for the charts and the "change since"
        // figures, but only through the years that have incidents or
        // drills: two incidents centuries apart must not make every month
        // between.
        let years: std::collections::BTreeSet<i32> =
            months.iter().map(|m| m.first_day.year()).collect();
        let mut all_months = Vec::new();
        if let (Some(first), Some(last)) = (months.first(), months.last()) {
            // One period before the first, for its "change since".
            all_months.push(first.previous());
            for &year in &years {
                for month in 1..=12 {
                    if let Some(day) = chrono::NaiveDate::from_ymd_opt(year, month, 1) {
                        let m = Period::month_of(day);
                        if first <= &m && m <= *last {
                            all_months.push(m);
                        }
                    }
                }
            }
        }
        let mut all_quarters: Vec<Period> = quarters
            .first()
            .map(|q| q.previous())
            .into_iter()
            .chain(
                all_months
                    .iter()
                    .skip(1)
                    .map(|m| Period::quarter_of(m.first_day, fiscal)),
            )
            .filter(|q| quarters.last().is_some_and(|last| q <= last))
            .collect();
        all_months.sort_unstable();
        all_months.dedup();
        all_quarters.sort_unstable();
        all_quarters.dedup();
        let compute = |list: Vec<Period>| -> BTreeMap<Period, Review<'r>> {
            list.into_par_iter()
                .map(|p| (p, metrics::review(repo, p, today)))
                .collect::<Vec<_>>()
                .into_iter()
                .collect()
        };
        let mut pages: Vec<Period> = quarters
            .iter()
            .rev()
            .chain(months.iter().rev())
            .copied()
            .collect();
        pages.dedup();
        Reviews {
            pages,
            months: compute(all_months),
            quarters: compute(all_quarters),
            fiscal_year_start_month: fiscal,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// The paths of the review pages, in page order.
    pub(crate) fn urls(&self) -> Vec<String> {
        self.pages
            .iter()
            .map(|p| review_url(&p.name.to_string()))
            .collect()
    }

    pub(crate) fn review(&self, p: &Period) -> Option<&Review<'r>> {
        if p.is_quarter() {
            self.quarters.get(p)
        } else {
            self.months.get(p)
        }
    }

    pub(crate) fn has_page(&self, p: &Period) -> bool {
        self.review(p).is_some_and(has_page)
    }

    /// The monthly review an incident belongs to (by its start in UTC).
    pub(crate) fn month_of(&self, i: &Incident) -> Option<PeriodLink> {
        self.month_of_day(metrics::utc_day(i.started_at?))
    }

    /// The monthly review of a day, when that month has a page.
    pub(crate) fn month_of_day(&self, day: chrono::NaiveDate) -> Option<PeriodLink> {
        let month = Period::month_of(day);
        self.has_page(&month).then(|| link(&month))
    }

    pub(crate) fn following(&self, p: &Period) -> Period {
        let after = p.last_day.succ_opt().unwrap_or(p.last_day);
        if p.is_quarter() {
            Period::quarter_of(after, self.fiscal_year_start_month)
        } else {
            Period::month_of(after)
        }
    }

    /// The nearest earlier / later period of the same kind that has a page.
    pub(crate) fn neighbour(&self, p: &Period, forward: bool) -> Option<PeriodLink> {
        let list = if p.is_quarter() {
            &self.quarters
        } else {
            &self.months
        };
        let found = if forward {
            list.range(p..)
                .skip(1)
                .find(|(q, r)| q.is_quarter() == p.is_quarter() && has_page(r))
        } else {
            list.range(..p)
                .rev()
                .find(|(q, r)| q.is_quarter() == p.is_quarter() && has_page(r))
        };
        found.map(|(q, _)| link(q))
    }
}

/// A period has a review page when it has an incident or a drill.
fn has_page(review: &Review<'_>) -> bool {
    review.stats.incidents.total > 0 || !review.drills.is_empty()
}

/// "January to March 2026": the months a period covers.
pub(crate) fn months_text(p: &Period) -> String {
    if !p.is_quarter() {
        return p.first_day.format("%B %Y").to_string();
    }
    if p.first_day.format("%Y").to_string() == p.last_day.format("%Y").to_string() {
        format!(
            "{} to {}",
            p.first_day.format("%B"),
            p.last_day.format("%B %Y")
        )
    } else {
        format!(
            "{} to {}",
            p.first_day.format("%B %Y"),
            p.last_day.format("%B %Y")
        )
    }
}

pub(crate) fn link(p: &Period) -> PeriodLink {
    let name = p.name.to_string();
    PeriodLink {
        url: review_url(&name),
        title: months_text(p),
        name,
    }
}
