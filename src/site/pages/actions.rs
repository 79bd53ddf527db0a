//! The action items page, grouped by owner.

use super::*;

/// One owner's open action items on the actions page.
#[derive(Debug, Serialize)]
pub(crate) struct OwnerGroup<'a> {
    pub(crate) owner: &'a str,
    pub(crate) slug: String,
    pub(crate) open: usize,
    pub(crate) overdue: usize,
    pub(crate) items: Vec<ItemRow<'a>>,
    /// Items of this owner not listed: review pages list the longest
    /// overdue few; the actions page none (its owner index needs only the
    /// counts: it lists the first items in one table, and every item is in
    /// `assets/data/actions.js`).
    pub(crate) more: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct ActionsPage<'a> {
    pub(crate) open: usize,
    pub(crate) overdue: usize,
    pub(crate) owners: usize,
    pub(crate) groups: Vec<OwnerGroup<'a>>,
}

/// Open items grouped by owner: owners with the most overdue items first,
/// and in each group the overdue items first (longest overdue on top).
pub(crate) fn owner_groups<'a>(
    site: &'a Site<'_>,
    items: &[&'a ActionItem],
    day: NaiveDate,
    limit: Option<usize>,
) -> Vec<OwnerGroup<'a>> {
    let mut by_owner: BTreeMap<&str, Vec<&ActionItem>> = BTreeMap::new();
    for a in items {
        by_owner.entry(a.owner.as_str()).or_default().push(a);
    }
    let mut groups: Vec<OwnerGroup<'a>> = by_owner
        .into_iter()
        .map(|(owner, mut list)| {
            // Items come sorted by due day; overdue ones are due earliest,
            // so a stable sort on "overdue" keeps the longest overdue first.
            list.sort_by_key(|a| !a.overdue_on(day));
            let overdue = list.iter().filter(|a| a.overdue_on(day)).count();
            let open = list.len();
            let shown = limit.unwrap_or(open).min(open);
            list.truncate(shown);
            OwnerGroup {
                owner,
                slug: crate::document::markdown::slug(owner),
                open,
                overdue,
                more: open - shown,
                items: list
                    .into_iter()
                    .map(|a| item_row(site, a, true, day))
                    .collect(),
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        (b.overdue, b.open)
            .cmp(&(a.overdue, a.open))
            .then(a.owner.cmp(b.owner))
    });
    groups
}

pub(crate) fn actions_page<'a>(site: &'a Site<'_>) -> ActionsPage<'a> {
    let items = site.open_items();
    let groups = owner_groups(site, &items, site.today, Some(0));
    ActionsPage {
        open: items.len(),
        overdue: groups.iter().map(|g| g.overdue).sum(),
        owners: groups.len(),
        groups,
    }
}
