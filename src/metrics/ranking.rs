//! Names ranked by how many incidents carry them: services, tags and
//! contributing factors.

use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NameCount {
    pub(crate) name: String,
    pub(crate) incidents: usize,
}

/// Occurrences per name (each incident counted once per name), most
/// frequent first, then by name.
pub(crate) fn ranking<'a>(lists: impl Iterator<Item = &'a [String]>) -> Vec<NameCount> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for list in lists {
        let mut seen: Vec<&str> = list.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for name in seen {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut ranked: Vec<NameCount> = counts
        .into_iter()
        .map(|(name, incidents)| NameCount {
            name: name.to_string(),
            incidents,
        })
        .collect();
    ranked.sort_by(|a, b| b.incidents.cmp(&a.incidents).then(a.name.cmp(&b.name)));
    ranked
}
