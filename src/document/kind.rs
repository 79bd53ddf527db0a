//! Kinds of documents as data. Everything the stages do alike for every
//! kind (discovery under a folder, the built-in schema, unique ids,
//! references to other kinds, the site's section) reads this table; only
//! the model type and the templates are written per kind.
//!
//! Adding a kind: a variant of [`DocKind`], a row in [`KINDS`], its schema
//! in `schema/`, its model type (with its arm in `model::Repository::entries`
//! and in `load`), its folder key in `config`, and its templates.

use crate::diagnostic::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Incident,
    Runbook,
    Drill,
    Team,
}

/// A front-matter list of ids that must name documents of another kind.
#[derive(Debug)]
pub(crate) struct Reference {
    /// Top-level key of the list (`runbooks`); items are `/<field>/<n>`.
    pub(crate) field: &'static str,
    pub(crate) to: DocKind,
    /// The diagnostic for an id no document of `to` has.
    pub(crate) code: Code,
    pub(crate) help: &'static str,
}

/// One kind of document.
#[derive(Debug)]
pub(crate) struct KindSpec {
    pub(crate) kind: DocKind,
    /// Singular, as messages say it: `incident`.
    pub(crate) name: &'static str,
    /// The `hindsight.yaml` key of its folder, and the folder by default.
    pub(crate) dir_key: &'static str,
    pub(crate) default_dir: &'static str,
    /// The built-in JSON Schema of its front matter.
    pub(crate) schema: &'static str,
    /// `hindsight schema <name>` and the `schema.<name>` extension key.
    pub(crate) schema_key: &'static str,
    /// Whether two documents of this kind may not share an `id`.
    pub(crate) unique_ids: bool,
    pub(crate) references: &'static [Reference],
    /// The `hindsight.yaml` key listing the headings its finished
    /// documents need, when the kind has one.
    pub(crate) sections_key: Option<&'static str>,
    /// Folder of the site holding one page per document.
    pub(crate) site_section: &'static str,
    /// The kind's relaxed form (a draft postmortem, a planned drill), named
    /// in the help for a field only the full form needs (its list of fields
    /// comes from the schema); `None` when the kind has none.
    pub(crate) relaxed: Option<&'static str>,
}

pub(crate) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: DocKind::Incident,
        name: "incident",
        dir_key: "incidents_dir",
        default_dir: "incidents",
        schema: include_str!("../../schema/incident.schema.json"),
        schema_key: "incident",
        unique_ids: true,
        references: &[
            Reference {
                field: "runbooks",
                to: DocKind::Runbook,
                code: Code::UnknownRunbook,
                help: "use the `id` of a runbook under {dir}/",
            },
            Reference {
                field: "related",
                to: DocKind::Incident,
                code: Code::UnknownIncident,
                help: "`related` lists the `id`s of other postmortems",
            },
        ],
        sections_key: Some("required_sections"),
        site_section: "incidents",
        relaxed: Some("a draft (`status: draft`)"),
    },
    KindSpec {
        kind: DocKind::Runbook,
        name: "runbook",
        dir_key: "runbooks_dir",
        default_dir: "runbooks",
        schema: include_str!("../../schema/runbook.schema.json"),
        schema_key: "runbook",
        unique_ids: true,
        references: &[],
        sections_key: None,
        site_section: "runbooks",
        relaxed: None,
    },
    KindSpec {
        kind: DocKind::Drill,
        name: "drill",
        dir_key: "drills_dir",
        default_dir: "drills",
        schema: include_str!("../../schema/drill.schema.json"),
        schema_key: "drill",
        unique_ids: true,
        references: &[
            Reference {
                field: "runbooks",
                to: DocKind::Runbook,
                code: Code::UnknownRunbook,
                help: "use the `id` of a runbook under {dir}/",
            },
            Reference {
                field: "teams",
                to: DocKind::Team,
                code: Code::UnknownTeam,
                help: "a call-tree test lists the `id`s of the teams under {dir}/ it tested",
            },
        ],
        sections_key: Some("drill_required_sections"),
        site_section: "drills",
        relaxed: Some("a planned drill (`status: planned`)"),
    },
    KindSpec {
        kind: DocKind::Team,
        name: "team",
        dir_key: "teams_dir",
        default_dir: "teams",
        schema: include_str!("../../schema/team.schema.json"),
        schema_key: "team",
        unique_ids: true,
        references: &[],
        sections_key: None,
        site_section: "teams",
        relaxed: None,
    },
];

impl DocKind {
    /// Its row of [`KINDS`], which lists the kinds in the order of the
    /// variants (per-kind settings are indexed by `kind as usize`).
    pub(crate) fn spec(self) -> &'static KindSpec {
        &KINDS[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row_and_its_schema_is_json() {
        for kind in [
            DocKind::Incident,
            DocKind::Runbook,
            DocKind::Drill,
            DocKind::Team,
        ] {
            assert_eq!(KINDS.iter().filter(|k| k.kind == kind).count(), 1);
            assert_eq!(KINDS[kind as usize].kind, kind);
            let schema: serde_json::Value = serde_json::from_str(kind.spec().schema).unwrap();
            assert!(schema.is_object());
        }
    }
}
