//! How the store names the documents of an organisation's sources (SPEC
//! section 13): each included repository keeps its own store, its ids
//! qualified as `name:ID`; the site and the reports read one store in
//! which every source's documents and models sit under `<name>/`, beside
//! this repository's own (see [`super::Included`]).

use super::item::{ActionItem, ItemParent};

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

pub(super) fn qualify_all(name: &str, ids: &mut [String]) {
    for id in ids {
        *id = qualified(name, id);
    }
}

pub(super) fn qualify_items(name: &str, items: &mut [ActionItem]) {
    for item in items {
        item.id = qualified(name, &item.id);
        match &mut item.parent {
            ItemParent::Incident(id) | ItemParent::Drill(id) => *id = qualified(name, id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Included;

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
