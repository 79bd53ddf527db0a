//! The contributing factors that get a page (SPEC sections 7 and 14):
//! every factor the site's incidents name and every factor of the
//! configured taxonomy, each with its folder and the incidents and near
//! misses that name it.

use super::links::is_plain_id;
use crate::metrics::near_miss::cases_by_factor;
use std::collections::{HashMap, HashSet};

/// A factor as the site shows it: its page and the entries (indexes in
/// `Site::incidents`, newest first) that name it.
pub(crate) struct FactorEntry<'r> {
    pub(crate) name: &'r str,
    pub(crate) url: String,
    /// From the configured taxonomy; empty when none is configured.
    pub(crate) description: &'r str,
    pub(crate) incidents: Vec<usize>,
    pub(crate) near_misses: Vec<usize>,
}

/// The longest folder name a factor's page gets (as an id's).
const MAX_FOLDER: usize = 64;

/// A folder name for `name`: the name itself where it can be one (SPEC
/// section 2's id pattern), else its letters, digits, `.`, `_` and `-`
/// with every other character a `-`, starting at a letter or digit.
fn folder_of(name: &str) -> String {
    if is_plain_id(name) {
        return name.to_string();
    }
    let mapped: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '_' | '-' => c,
            _ => '-',
        })
        .collect();
    let mut folder: String = mapped
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(MAX_FOLDER - 4)
        .collect();
    if folder.is_empty() {
        folder.push_str("factor");
    }
    folder
}

/// Every factor the site's entries name, and every factor of the
/// configured taxonomy, in the order of [`cases_by_factor`]. `incidents`
/// are the site's, newest first. Two names that would share a folder get
/// `-2`, `-3`, ... in name order, after the names that are folders as
/// they are.
pub(crate) fn entries<'r>(
    config: &'r crate::config::Config,
    incidents: &[&'r crate::model::Incident],
) -> Vec<FactorEntry<'r>> {
    let taxonomy = config.factors.iter().flatten().map(|f| f.name.as_str());
    let cases = cases_by_factor(incidents, taxonomy);
    // The site's incidents have distinct ids.
    let position: HashMap<&str, usize> = incidents
        .iter()
        .enumerate()
        .map(|(n, i)| (i.id.as_str(), n))
        .collect();
    // Names that are folders already keep them; the others come after.
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable_by_key(|name| (!is_plain_id(name), *name));
    // Told apart without case, for file systems that ignore it.
    let mut taken: HashSet<String> = HashSet::new();
    let mut folders: HashMap<&str, String> = HashMap::new();
    for name in names {
        let base = folder_of(name);
        let mut folder = base.clone();
        let mut n = 1;
        while !taken.insert(folder.to_ascii_lowercase()) {
            n += 1;
            folder = format!("{base}-{n}");
        }
        folders.insert(name, folder);
    }
    let positions = |list: &[&crate::model::Incident]| -> Vec<usize> {
        list.iter().map(|i| position[i.id.as_str()]).collect()
    };
    cases
        .into_iter()
        .map(|c| FactorEntry {
            name: c.name,
            url: format!("factors/{}/index.html", folders[c.name]),
            description: config.factor(c.name).map_or("", |f| f.description.as_str()),
            incidents: positions(&c.incidents),
            near_misses: positions(&c.near_misses),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_names_become_safe_folders() {
        assert_eq!(folder_of("untested-change"), "untested-change");
        assert_eq!(folder_of("no back-out plan"), "no-back-out-plan");
        assert_eq!(folder_of("../etc"), "etc");
        assert_eq!(folder_of("Änderung ohne Test"), "nderung-ohne-Test");
        assert_eq!(folder_of("日本"), "factor");
        assert_eq!(folder_of(&"x".repeat(100)).len(), MAX_FOLDER - 4);
    }

    #[test]
    fn names_that_share_a_folder_are_told_apart() {
        let repo = crate::load::from_incident_texts(&[
            "---\nid: A\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-01T00:00:00Z\nfactors: [no test, no-test, No test]\n---\n",
        ]);
        let list: Vec<&crate::model::Incident> = repo.incidents.iter().collect();
        let mut urls: Vec<(&str, String)> = entries(&repo.config, &list)
            .into_iter()
            .map(|e| (e.name, e.url))
            .collect();
        urls.sort();
        assert_eq!(
            urls,
            vec![
                ("No test", "factors/No-test-2/index.html".to_string()),
                ("no test", "factors/no-test-3/index.html".to_string()),
                ("no-test", "factors/no-test/index.html".to_string()),
            ]
        );
    }
}
