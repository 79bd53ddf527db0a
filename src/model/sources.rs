//! The sources of an organisation (SPEC section 13) in the store: each
//! included repository keeps its own store, its ids qualified as
//! `name:ID`; the site and the reports read one store in which every
//! source's documents and models sit under `<name>/`, beside this
//! repository's own.

use super::{ActionItem, ItemParent, Repository};
use std::path::PathBuf;

/// A repository that `sources` includes.
#[derive(Debug)]
pub(crate) struct Included {
    pub(crate) name: String,
    /// Its folder.
    pub(crate) root: PathBuf,
    /// Its folder as messages show it (see `discover::sources::Located`).
    pub(crate) shown: String,
    /// Its own store, with its own configuration. Once absorbed
    /// ([`Repository::absorb`]) it keeps its models, not its documents.
    pub(crate) repo: Repository,
}

/// `id` as another source names it: `name:ID`, unless it already names a
/// source.
pub(crate) fn qualified(name: &str, id: &str) -> String {
    if id.contains(':') {
        id.to_string()
    } else {
        format!("{name}:{id}")
    }
}

/// The source an id or a file of the including store belongs to, with the
/// rest: `payments:INC-1` gives `payments` and `INC-1`; `None` for this
/// repository's own.
pub(crate) fn source_of(id: &str) -> Option<(&str, &str)> {
    id.split_once(':')
}

fn qualify_all(name: &str, ids: &mut [String]) {
    for id in ids {
        *id = qualified(name, id);
    }
}

fn qualify_items(name: &str, items: &mut [ActionItem]) {
    for item in items {
        item.id = qualified(name, &item.id);
        match &mut item.parent {
            ItemParent::Incident(id) | ItemParent::Drill(id) => *id = qualified(name, id),
        }
    }
}

impl Repository {
    /// Name every document of this store, and every id it references,
    /// as source `name` (`name:ID`), as the store including it does.
    pub(crate) fn qualify(&mut self, name: &str) {
        for i in &mut self.incidents {
            i.id = qualified(name, &i.id);
            qualify_all(name, &mut i.related);
            qualify_all(name, &mut i.runbooks);
            qualify_items(name, &mut i.action_items);
        }
        for r in &mut self.runbooks {
            r.id = qualified(name, &r.id);
        }
        for d in &mut self.drills {
            d.id = qualified(name, &d.id);
            qualify_all(name, &mut d.runbooks);
            qualify_all(name, &mut d.teams);
            qualify_items(name, &mut d.action_items);
        }
        for t in &mut self.teams {
            t.id = qualified(name, &t.id);
        }
    }

    /// The included source of `name`.
    pub(crate) fn source(&self, name: &str) -> Option<&Included> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// The included source `file` (a file of this store) belongs to, and
    /// the file as that source names it: `payments/incidents/a.md` is
    /// source `payments`'s `incidents/a.md`; `None` for this repository's
    /// own files.
    pub(crate) fn source_of_file<'a>(&'a self, file: &'a str) -> Option<(&'a Included, &'a str)> {
        self.sources.iter().find_map(|s| {
            let rest = file.strip_prefix(s.name.as_str())?.strip_prefix('/')?;
            Some((s, rest))
        })
    }

    /// The repository `file` belongs to, this one or a source's, and the
    /// file as that repository names it (see [`Repository::source_of_file`]).
    pub(crate) fn home_of<'a>(&'a self, file: &'a str) -> (&'a Repository, &'a str) {
        self.source_of_file(file)
            .map_or((self, file), |(s, rest)| (&s.repo, rest))
    }

    /// Take every included source's documents into this store, each
    /// under `<name>/`, with a copy of its models (already qualified);
    /// the source keeps its models for its own figures. The store stays
    /// sorted by file.
    pub(crate) fn absorb(&mut self) {
        let mut sources = std::mem::take(&mut self.sources);
        for source in &mut sources {
            let prefix = |file: &mut String| *file = format!("{}/{file}", source.name);
            let repo = &mut source.repo;
            for mut d in std::mem::take(&mut repo.documents) {
                prefix(&mut d.file);
                self.documents.push(d);
            }
            for mut d in std::mem::take(&mut repo.unreadable) {
                prefix(&mut d.file);
                self.unreadable.push(d);
            }
            for i in &mut repo.incidents {
                prefix(&mut i.file);
                for a in &mut i.action_items {
                    prefix(&mut a.file);
                }
            }
            for r in &mut repo.runbooks {
                prefix(&mut r.file);
            }
            for d in &mut repo.drills {
                prefix(&mut d.file);
                for a in &mut d.action_items {
                    prefix(&mut a.file);
                }
            }
            for t in &mut repo.teams {
                prefix(&mut t.file);
            }
            self.incidents.extend(repo.incidents.iter().cloned());
            self.runbooks.extend(repo.runbooks.iter().cloned());
            self.drills.extend(repo.drills.iter().cloned());
            self.teams.extend(repo.teams.iter().cloned());
        }
        self.documents.sort_by(|a, b| a.file.cmp(&b.file));
        self.incidents.sort_by(|a, b| a.file.cmp(&b.file));
        self.runbooks.sort_by(|a, b| a.file.cmp(&b.file));
        self.drills.sort_by(|a, b| a.file.cmp(&b.file));
        self.teams.sort_by(|a, b| a.file.cmp(&b.file));
        self.sources = sources;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_qualified_once() {
        assert_eq!(qualified("payments", "INC-1"), "payments:INC-1");
        assert_eq!(qualified("payments", "search:INC-9"), "search:INC-9");
        assert_eq!(source_of("payments:INC-1"), Some(("payments", "INC-1")));
        assert_eq!(source_of("INC-1"), None);
    }

    #[test]
    fn absorbed_documents_sit_under_their_source() {
        let mut home = crate::load::from_incident_texts(&[]);
        let mut other = crate::load::from_texts(&[(
            "incidents/a.md",
            "---\nid: INC-1\ntitle: T\nseverity: SEV1\nrelated: [INC-2, search:INC-3]\n---\n",
        )]);
        other.qualify("payments");
        home.sources.push(Included {
            name: "payments".into(),
            root: PathBuf::from("../payments"),
            shown: "../payments".into(),
            repo: other,
        });
        home.absorb();
        let i = &home.incidents[0];
        assert_eq!(i.id, "payments:INC-1");
        assert_eq!(i.file, "payments/incidents/a.md");
        assert_eq!(i.related, ["payments:INC-2", "search:INC-3"]);
        assert!(home.document("payments/incidents/a.md").is_some());
        let kept = &home.source("payments").unwrap().repo;
        assert!(kept.documents.is_empty());
        assert_eq!(kept.incidents[0].id, "payments:INC-1");
    }
}
