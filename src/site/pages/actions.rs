//! The action items page, grouped by owner.

use super::common::{owner_groups, OwnerGroup};
use crate::site::model::Site;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct ActionsPage<'a> {
    pub(crate) open: usize,
    pub(crate) overdue: usize,
    pub(crate) owners: usize,
    pub(crate) groups: Vec<OwnerGroup<'a>>,
    /// The source facet; empty without `sources`.
    pub(crate) sources: Vec<super::common::FilterOption>,
}

pub(crate) fn actions_page<'a>(site: &'a Site<'_>) -> ActionsPage<'a> {
    let items = site.open_items();
    let groups = owner_groups(site, &items, site.today, Some(0));
    ActionsPage {
        open: items.len(),
        overdue: groups.iter().map(|g| g.overdue).sum(),
        owners: groups.len(),
        groups,
        sources: super::common::source_options(site, items.iter().map(|a| a.id.as_str())),
    }
}
