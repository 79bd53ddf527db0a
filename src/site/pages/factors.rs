//! The contributing-factor pages (SPEC sections 7 and 14):
//! `factors/index.html`, every factor with the incidents and, beside
//! them, the near misses that name it, and `factors/<name>/index.html`,
//! one factor's incidents and near misses, each listed on its own.
//! A near miss is set beside a factor's incidents, never counted in them.

use crate::site::links::IncidentLink;
use crate::site::model::Site;
use serde::Serialize;

/// One row of the factors page.
#[derive(Debug, Serialize)]
pub(crate) struct FactorRow<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
    pub(crate) description: &'a str,
    pub(crate) incidents: usize,
    pub(crate) near_misses: usize,
}

/// `factors/index.html`.
#[derive(Debug, Serialize)]
pub(crate) struct FactorsPage<'a> {
    pub(crate) factors: Vec<FactorRow<'a>>,
    /// Whether `hindsight.yaml` lists the factors (else any name is one).
    pub(crate) configured: bool,
    /// The incidents and near misses on the site that name no factor.
    pub(crate) without_factor: usize,
}

pub(crate) fn index_page<'a>(site: &'a Site<'_>) -> FactorsPage<'a> {
    FactorsPage {
        factors: site
            .factors
            .iter()
            .map(|f| FactorRow {
                name: f.name,
                url: &f.url,
                description: f.description,
                incidents: f.incidents.len(),
                near_misses: f.near_misses.len(),
            })
            .collect(),
        configured: site.repo.config.factors.is_some(),
        without_factor: site
            .incidents
            .iter()
            .filter(|e| e.incident.factors.is_empty())
            .count(),
    }
}

/// A near miss on a factor's page: its link and what caught it.
#[derive(Debug, Serialize)]
pub(crate) struct NearMissLink<'a> {
    pub(crate) link: &'a IncidentLink<'a>,
    pub(crate) caught_by: Option<&'a str>,
}

/// `factors/<name>/index.html`.
#[derive(Debug, Serialize)]
pub(crate) struct FactorPage<'a> {
    pub(crate) name: &'a str,
    pub(crate) description: &'a str,
    /// Newest first.
    pub(crate) incidents: Vec<&'a IncidentLink<'a>>,
    /// Newest first.
    pub(crate) near_misses: Vec<NearMissLink<'a>>,
}

pub(crate) fn factor_page<'a>(site: &'a Site<'_>, n: usize) -> FactorPage<'a> {
    let f = &site.factors[n];
    let link = |m: &usize| &site.incidents[*m].link;
    FactorPage {
        name: f.name,
        description: f.description,
        incidents: f.incidents.iter().map(link).collect(),
        near_misses: f
            .near_misses
            .iter()
            .map(|m| NearMissLink {
                link: link(m),
                caught_by: site.incidents[*m].incident.caught_by.as_deref(),
            })
            .collect(),
    }
}
