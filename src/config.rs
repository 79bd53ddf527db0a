//! `hindsight.yaml`: every key optional, every problem a diagnostic with
//! its line. Invalid keys fall back to their defaults so the rest of the
//! repository can still be checked.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::discover::CONFIG_FILE;
use crate::document::kind::{DocKind, KINDS};
use crate::document::yaml;
use crate::schema::{compile, schema_diagnostics, Locate, Schema, SchemaExtensions, CONFIG_SCHEMA};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct SeverityLevel {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: String,
    /// Response targets of this level (SPEC section 7).
    #[serde(default)]
    pub(crate) targets: Targets,
    /// How an incident of this level is run (SPEC section 10).
    #[serde(default)]
    pub(crate) protocol: Protocol,
}

/// A severity's engagement protocol: the roles a postmortem of this level
/// must name, and how soon the on-call is paged.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct Protocol {
    pub(crate) incident_manager: bool,
    pub(crate) communications_lead: bool,
    pub(crate) page_within_minutes: Option<u64>,
}

/// The longest interval in days a setting may give (100 years, as the
/// schema says): any day computed from one stays a calendar day.
pub(crate) const MAX_DAYS: i64 = 36_525;

// --- Learning across incidents (SPEC section 7): targets, factors,
// --- postmortem due days.

/// How fast an incident of one severity must be detected, acknowledged
/// and resolved, in minutes; each optional.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct Targets {
    pub(crate) detect: Option<f64>,
    pub(crate) acknowledge: Option<f64>,
    pub(crate) resolve: Option<f64>,
}

/// One contributing factor of the team's taxonomy.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct Factor {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: String,
}

pub(crate) const DEFAULT_POSTMORTEM_DUE_DAYS: i64 = 7;

// --- end of learning across incidents

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct Blameless {
    pub(crate) enabled: bool,
    pub(crate) extra_terms: Vec<String>,
}

impl Default for Blameless {
    fn default() -> Self {
        Blameless {
            enabled: true,
            extra_terms: Vec::new(),
        }
    }
}

/// Whether the site publishes draft postmortems.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Drafts {
    /// Publish them, marked as drafts.
    #[default]
    Include,
    /// Leave them out of the site.
    Exclude,
}

/// How lint reports personal data (`privacy.personal_data`).
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PersonalData {
    Error,
    #[default]
    Warning,
    Off,
}

/// `privacy:` in hindsight.yaml (SPEC section 11).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct Privacy {
    /// A gitleaks-format rule file, relative to the repository.
    pub(crate) rules: Option<String>,
    pub(crate) personal_data: PersonalData,
    pub(crate) allow_domains: Vec<String>,
    /// `privacy.secrets`: whether lint looks for credentials at all
    /// (`false` turns the `secret` rules off, for a measurement or a
    /// repository another scanner guards).
    pub(crate) secrets: bool,
    /// Where `rules` is written in hindsight.yaml.
    #[serde(skip)]
    pub(crate) rules_at: Pos,
}

/// RFC 2606's names for documentation, as `privacy.allow_domains` defaults.
pub(crate) const DEFAULT_ALLOW_DOMAINS: &[&str] = &["example.com", "example.org"];

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            rules: None,
            personal_data: PersonalData::default(),
            secrets: true,
            rules_at: Pos::START,
            allow_domains: DEFAULT_ALLOW_DOMAINS
                .iter()
                .map(|d| d.to_string())
                .collect(),
        }
    }
}

/// `site:` in hindsight.yaml.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct SiteConfig {
    pub(crate) drafts: Drafts,
    /// The visibility of a document whose front matter gives none.
    pub(crate) visibility: Visibility,
    /// Whether people's phone numbers and e-mail addresses from team
    /// documents are written to the site.
    pub(crate) contacts: bool,
}

/// Who may read a document (`visibility:` in front matter, `site.visibility`
/// in hindsight.yaml): `build --public` leaves `internal` ones out.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Visibility {
    Internal,
    #[default]
    Public,
}

impl Visibility {
    pub(crate) fn parse(s: &str) -> Option<Visibility> {
        match s {
            "internal" => Some(Visibility::Internal),
            "public" => Some(Visibility::Public),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    pub(crate) title: String,
    pub(crate) base_url: String,
    pub(crate) repo_url: Option<String>,
    /// The folder of each kind, by `DocKind as usize` (the rows of
    /// `document::kind::KINDS`); read with [`Config::dir`].
    dirs: Vec<String>,
    /// The headings each kind's finished documents need, by kind; read
    /// with [`Config::required_sections`].
    sections: Vec<Vec<String>>,
    /// Most severe first.
    pub(crate) severities: Vec<SeverityLevel>,
    pub(crate) whys_min: u64,
    pub(crate) runbook_review_days: i64,
    pub(crate) blameless: Blameless,
    /// Month (1-12) in which the fiscal year and its Q1 begin.
    pub(crate) fiscal_year_start_month: u32,
    /// Id given by `hindsight new`: `{year}` and `{seq}` / `{seq:03}`.
    pub(crate) id_format: String,
    pub(crate) schema: SchemaExtensions,
    pub(crate) site: SiteConfig,
    // --- Learning across incidents (SPEC section 7)
    /// Days after the resolution by which the postmortem is due.
    pub(crate) postmortem_due_days: i64,
    /// The contributing-factor taxonomy; `None`: any string is a factor.
    pub(crate) factors: Option<Vec<Factor>>,
    // --- end of learning across incidents
    // --- drills (SPEC section 8) ---
    /// Body headings every held drill must have.
    /// Default `exercise_every_days` of a runbook; `None`: never due.
    pub(crate) runbook_exercise_days: Option<i64>,
    // --- end drills ---
    // --- teams (SPEC section 10) ---
    /// Default `review_every_days` of a team.
    pub(crate) team_review_days: i64,
    /// Default `test_every_days` of a team; `None`: never due.
    pub(crate) call_tree_test_days: Option<i64>,
    // --- end teams ---
    /// Action-item kinds whose `done` items need a commit or a link
    /// (SPEC section 12).
    pub(crate) require_evidence: Vec<String>,
    // --- Review numbers that tell the truth (SPEC section 14)
    /// Fewest values on each side for a change between periods to be told.
    pub(crate) compare_min_n: usize,
    /// Whether a duration from an estimated timestamp counts for targets.
    pub(crate) targets_count_estimated: bool,
    // --- end of review numbers
    pub(crate) privacy: Privacy,
    /// Other repositories this one's site, reports and exports include
    /// (SPEC section 13).
    pub(crate) sources: Vec<Source>,
}

/// Another hindsight repository included under its name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Source {
    pub(crate) name: String,
    pub(crate) from: SourceFrom,
    /// Where `hindsight.yaml` lists it.
    pub(crate) at: Pos,
}

/// Where a source's documents are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SourceFrom {
    /// A folder, relative to the repository or absolute.
    Path(String),
    /// A git repository and the revision to read (`None`: the remote's
    /// default branch).
    Git { url: String, rev: Option<String> },
}

/// The folders of the site that a source's pages (`<name>/incidents/...`)
/// could meet: `files/` holds the images the pages show, under their
/// paths in the repository. Every other name is free, the site's own
/// sections included (`search/incidents/...` never meets `search/index.html`).
pub(crate) const RESERVED_SOURCE_NAMES: &[&str] = &["files"];

impl Default for Config {
    fn default() -> Self {
        let sev = |name: &str, description: &str| SeverityLevel {
            name: name.to_string(),
            description: description.to_string(),
            targets: Targets::default(),
            protocol: Protocol::default(),
        };
        Config {
            title: "Incident reviews".to_string(),
            base_url: "/".to_string(),
            repo_url: None,
            dirs: KINDS.iter().map(|k| k.default_dir.to_string()).collect(),
            sections: KINDS.iter().map(|_| Vec::new()).collect(),
            severities: vec![
                sev("SEV1", "Critical"),
                sev("SEV2", "High"),
                sev("SEV3", "Medium"),
                sev("SEV4", "Low"),
            ],
            whys_min: 5,
            runbook_review_days: 90,
            blameless: Blameless::default(),
            fiscal_year_start_month: 1,
            id_format: "INC-{year}-{seq:03}".to_string(),
            schema: SchemaExtensions::default(),
            site: SiteConfig::default(),
            postmortem_due_days: DEFAULT_POSTMORTEM_DUE_DAYS,
            factors: None,
            runbook_exercise_days: None,
            team_review_days: 90,
            call_tree_test_days: None,
            require_evidence: Vec::new(),
            compare_min_n: 8,
            targets_count_estimated: false,
            privacy: Privacy::default(),
            sources: Vec::new(),
        }
    }
}

/// The configuration and the problems found in it.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub(crate) config: Config,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The file's text, for showing source lines.
    pub(crate) text: Option<String>,
}

impl Config {
    /// The folder of one kind of document.
    /// The folder of a kind's documents (its row's `dir_key`).
    pub(crate) fn dir(&self, kind: DocKind) -> &str {
        &self.dirs[kind as usize]
    }

    /// Use `dir` as the folder of a kind's documents.
    #[cfg(test)]
    pub(crate) fn set_dir(&mut self, kind: DocKind, dir: impl Into<String>) {
        self.dirs[kind as usize] = dir.into();
    }

    fn dir_mut(&mut self, kind: DocKind) -> &mut String {
        &mut self.dirs[kind as usize]
    }

    /// The headings a kind's finished documents need (its row's
    /// `sections_key`); empty for a kind without one.
    pub(crate) fn required_sections(&self, kind: DocKind) -> &[String] {
        &self.sections[kind as usize]
    }

    /// What this configuration changes in the document schemas.
    pub(crate) fn schema_settings(&self) -> crate::schema::Settings<'_> {
        crate::schema::Settings {
            severities: self.severities.iter().map(|s| s.name.as_str()).collect(),
            whys_min: self.whys_min,
            extensions: &self.schema,
            factors: self
                .factors
                .as_ref()
                .map(|list| list.iter().map(|f| f.name.as_str()).collect()),
            roles: self
                .severities
                .iter()
                .map(|s| {
                    let p = s.protocol;
                    let roles: Vec<&'static str> = [
                        (p.incident_manager, "incident_manager"),
                        (p.communications_lead, "communications_lead"),
                    ]
                    .into_iter()
                    .filter_map(|(asked, role)| asked.then_some(role))
                    .collect();
                    (s.name.as_str(), roles)
                })
                .filter(|(_, roles)| !roles.is_empty())
                .collect(),
        }
    }

    pub(crate) fn severity_rank(&self, name: &str) -> usize {
        self.severities
            .iter()
            .position(|s| s.name == name)
            .unwrap_or(self.severities.len())
    }

    /// The response targets of a severity level (none for an unknown level).
    pub(crate) fn targets_of(&self, severity: &str) -> Targets {
        self.severities
            .iter()
            .find(|s| s.name == severity)
            .map(|s| s.targets)
            .unwrap_or_default()
    }

    /// The engagement protocol of a severity level (none for an unknown
    /// level).
    pub(crate) fn protocol_of(&self, severity: &str) -> Protocol {
        self.severities
            .iter()
            .find(|s| s.name == severity)
            .map(|s| s.protocol)
            .unwrap_or_default()
    }

    pub(crate) fn factor(&self, name: &str) -> Option<&Factor> {
        self.factors.as_ref()?.iter().find(|f| f.name == name)
    }
}

/// Parse and validate `hindsight.yaml` (absent: defaults, no problem).
pub(crate) fn load(bytes: Option<&[u8]>) -> Loaded {
    let mut loaded = Loaded {
        config: Config::default(),
        diagnostics: Vec::new(),
        text: None,
    };
    let Some(bytes) = bytes else {
        return loaded;
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t).to_string(),
        Err(e) => {
            loaded.diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    crate::document::position_of(bytes, e.valid_up_to()),
                    Code::Encoding,
                    format!("not valid UTF-8 (byte 0x{:02x})", bytes[e.valid_up_to()]),
                )
                .with_help("save hindsight.yaml as UTF-8"),
            );
            return loaded;
        }
    };
    let parsed = match yaml::parse(&text, 0) {
        Ok(p) => p,
        Err(e) => {
            let mut d = Diagnostic::error(CONFIG_FILE, e.at, Code::Yaml, e.message);
            d.help = e.help;
            loaded.diagnostics.push(d);
            loaded.text = Some(text);
            return loaded;
        }
    };
    let value = match parsed.value {
        Value::Null => Value::Object(Default::default()),
        v => v,
    };
    let schema =
        Schema::compile(serde_json::from_str(CONFIG_SCHEMA).expect("config schema is valid JSON"))
            .expect("config schema compiles");
    let spans = ConfigSpans(&parsed.spans);
    let locate = |pointer: &str| spans.value(pointer);
    let mut diagnostics = schema_diagnostics(&schema, &value, CONFIG_FILE, &spans, None);
    let mut config = Config::default();
    if let Value::Object(map) = &value {
        for (key, v) in map {
            let prefix = format!("/{key}");
            let bad = diagnostics.iter().any(|d| {
                d.path
                    .as_deref()
                    .is_some_and(|p| p == prefix || p.starts_with(&format!("{prefix}/")))
            });
            if bad {
                continue;
            }
            apply(&mut config, key, v);
        }
    }
    config.privacy.rules_at = locate("/privacy/rules").0;
    check_extensions(&config, &locate, &mut diagnostics);
    check_dirs(&mut config, &locate, &mut diagnostics);
    if let Some(Value::Array(list)) = value.get("sources") {
        if !diagnostics
            .iter()
            .any(|d| d.path.as_deref().is_some_and(|p| p.starts_with("/sources")))
        {
            config.sources = sources(list, &locate, &mut diagnostics);
        }
    }
    loaded.config = config;
    loaded.diagnostics = diagnostics;
    loaded.text = Some(text);
    loaded
}

/// Where a node of hindsight.yaml was written (see [`ConfigSpans`]).
type LocateValue<'a> = &'a dyn Fn(&str) -> (Pos, u32);

/// A team's schema extension that does not compile is reported; the
/// built-in schema is used for that kind.
fn check_extensions(config: &Config, locate: LocateValue<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for spec in KINDS {
        let pointer = format!("/schema/{}", spec.schema_key);
        let pointer = pointer.as_str();
        if let Some(ext) = config.schema.get(spec.kind) {
            if let Err(e) = compile(ext) {
                let (at, width) = locate(pointer);
                diagnostics.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        at,
                        Code::Schema,
                        format!("not a valid JSON Schema: {e}"),
                    )
                    .with_path(pointer)
                    .with_width(width),
                );
            }
        }
    }
}

/// A kind's folder must stay inside the repository; otherwise it is
/// reported and the default folder is used.
fn check_dirs(config: &mut Config, locate: LocateValue<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for spec in KINDS {
        let (key, default) = (spec.dir_key, spec.default_dir);
        let dir = config.dir_mut(spec.kind);
        if let Err(e) = crate::discover::check_dir(dir) {
            let pointer = format!("/{key}");
            let (at, width) = locate(&pointer);
            diagnostics.push(
                Diagnostic::error(CONFIG_FILE, at, Code::Schema, format!("{e}"))
                    .with_path(pointer)
                    .with_width(width)
                    .with_help(format!(
                        "use a path relative to the repository, such as `{default}`"
                    )),
            );
            *dir = default.to_string();
        }
    }
}

/// The `sources` list: each with a name no other source and no folder of
/// the site's own has, and either `path` or `git` (with `ref` only beside
/// `git`). A source with a problem is reported and left out.
fn sources(
    list: &[Value],
    locate: LocateValue<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for (n, item) in list.iter().enumerate() {
        let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
        let pointer = format!("/sources/{n}");
        let mut problem = |key: &str, message: String, help: &str| {
            let pointer = if key.is_empty() {
                pointer.clone()
            } else {
                format!("{pointer}/{key}")
            };
            let (at, width) = locate(&pointer);
            diagnostics.push(
                Diagnostic::error(CONFIG_FILE, at, Code::Schema, message)
                    .with_path(pointer)
                    .with_width(width)
                    .with_help(help.to_string()),
            );
        };
        let Some(name) = text("name") else { continue };
        let from = match (text("path"), text("git"), text("ref")) {
            (Some(path), None, None) => SourceFrom::Path(path),
            (None, Some(url), rev) => SourceFrom::Git { url, rev },
            (Some(_), None, Some(_)) => {
                problem(
                    "ref",
                    format!("source `{name}` is a folder (`path`), which has no `ref`"),
                    "remove `ref`, or give the repository's URL as `git` instead of `path`",
                );
                continue;
            }
            (Some(_), Some(_), _) => {
                problem(
                    "",
                    format!("source `{name}` gives both `path` and `git`"),
                    "keep one: `path` for a folder, `git` for a repository to fetch",
                );
                continue;
            }
            (None, None, _) => {
                problem(
                    "",
                    format!("source `{name}` gives neither `path` nor `git`"),
                    "add `path: ../its-folder` or `git: https://host/its/repository.git`",
                );
                continue;
            }
        };
        if RESERVED_SOURCE_NAMES.contains(&name.as_str()) {
            problem(
                "name",
                format!("`{name}` is the site's folder of images; a source cannot take it"),
                "choose another name, such as the team's",
            );
            continue;
        }
        if out.iter().any(|s| s.name == name) {
            problem(
                "name",
                format!("two sources are named `{name}`"),
                "give each source its own name",
            );
            continue;
        }
        out.push(Source {
            name,
            from,
            at: locate(&pointer).0,
        });
    }
    out
}

/// Positions in hindsight.yaml, whose top level starts at line 1.
struct ConfigSpans<'s>(&'s yaml::SpanMap);

impl Locate for ConfigSpans<'_> {
    fn value(&self, pointer: &str) -> (Pos, u32) {
        match self.0.nearest(pointer) {
            Some((found, spot)) if found == pointer => (spot.value, spot.width.max(1)),
            Some((found, spot)) if !found.is_empty() => (spot.key.unwrap_or(spot.value), 1),
            _ => (Pos::START, 1),
        }
    }

    fn key(&self, pointer: &str) -> Option<Pos> {
        self.0.get(pointer).and_then(|spot| spot.key)
    }
}

fn from<T: for<'de> Deserialize<'de>>(v: &Value) -> Option<T> {
    T::deserialize(v).ok()
}

fn apply(c: &mut Config, key: &str, v: &Value) {
    // The keys of each kind, from the kind table.
    for spec in KINDS {
        if key == spec.dir_key {
            if let Some(dir) = from(v) {
                *c.dir_mut(spec.kind) = dir;
            }
            return;
        }
        if Some(key) == spec.sections_key {
            c.sections[spec.kind as usize] = from(v).unwrap_or_default();
            return;
        }
    }
    match key {
        "title" => c.title = from(v).unwrap_or(c.title.clone()),
        "base_url" => c.base_url = from(v).unwrap_or(c.base_url.clone()),
        "repo_url" => c.repo_url = from(v),
        "severities" => c.severities = from(v).unwrap_or(c.severities.clone()),
        "whys_min" => c.whys_min = from(v).unwrap_or(c.whys_min),
        "runbook_review_days" => {
            c.runbook_review_days = from(v)
                .filter(|d| (1..=MAX_DAYS).contains(d))
                .unwrap_or(c.runbook_review_days)
        }
        "blameless" => c.blameless = from(v).unwrap_or_default(),
        "fiscal_year_start_month" => {
            c.fiscal_year_start_month = from(v).unwrap_or(c.fiscal_year_start_month)
        }
        "id_format" => c.id_format = from(v).unwrap_or(c.id_format.clone()),
        "schema" => c.schema = from(v).unwrap_or_default(),
        "site" => c.site = from(v).unwrap_or_default(),
        // --- Learning across incidents (SPEC section 7)
        // Out of the schema's range it is reported and not used, as no
        // day that far off can be computed.
        "postmortem_due_days" => {
            c.postmortem_due_days = from(v)
                .filter(|d| (1..=MAX_DAYS).contains(d))
                .unwrap_or(c.postmortem_due_days)
        }
        "factors" => c.factors = from(v),
        // --- end of learning across incidents
        // --- drills ---
        "runbook_exercise_days" => {
            c.runbook_exercise_days = from(v).filter(|d| (1..=MAX_DAYS).contains(d))
        }
        // --- end drills ---
        "team_review_days" => {
            c.team_review_days = from(v)
                .filter(|d| (1..=MAX_DAYS).contains(d))
                .unwrap_or(c.team_review_days)
        }
        "call_tree_test_days" => {
            c.call_tree_test_days = from(v).filter(|d| (1..=MAX_DAYS).contains(d))
        }
        "require_evidence" => c.require_evidence = from(v).unwrap_or_default(),
        "compare_min_n" => c.compare_min_n = from(v).unwrap_or(c.compare_min_n),
        "targets_count_estimated" => {
            c.targets_count_estimated = from(v).unwrap_or(c.targets_count_estimated)
        }
        "privacy" => c.privacy = from(v).unwrap_or_default(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_file_gives_defaults() {
        let l = load(None);
        assert_eq!(l.config, Config::default());
        assert!(l.diagnostics.is_empty());
    }

    #[test]
    fn keys_are_read() {
        let l = load(Some(
            b"title: Acme\nwhys_min: 3\nseverities:\n  - {name: P1}\n  - {name: P2}\n",
        ));
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        assert_eq!(l.config.title, "Acme");
        assert_eq!(l.config.whys_min, 3);
        assert_eq!(l.config.severities.len(), 2);
    }

    #[test]
    fn day_counts_past_the_schema_bound_are_reported_and_not_used() {
        let l = load(Some(
            b"postmortem_due_days: 106751991167300\nrunbook_review_days: 99999999\n",
        ));
        assert_eq!(l.config.postmortem_due_days, DEFAULT_POSTMORTEM_DUE_DAYS);
        assert_eq!(l.config.runbook_review_days, 90);
        assert!(l
            .diagnostics
            .iter()
            .any(|d| d.path.as_deref() == Some("/postmortem_due_days")));
    }

    #[test]
    fn targets_factors_and_due_days_are_read() {
        let l = load(Some(
            b"severities:\n  - {name: P1, targets: {detect: 5, resolve: 240}}\n  - {name: P2}\npostmortem_due_days: 10\nfactors:\n  - {name: untested-change, description: Not tested}\n",
        ));
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let c = &l.config;
        assert_eq!(
            c.targets_of("P1"),
            Targets {
                detect: Some(5.0),
                acknowledge: None,
                resolve: Some(240.0)
            }
        );
        assert_eq!(c.targets_of("P2"), Targets::default());
        assert_eq!(c.targets_of("P9"), Targets::default());
        assert_eq!(c.postmortem_due_days, 10);
        assert!(c.require_evidence.is_empty());
        assert_eq!(
            c.factor("untested-change").map(|f| f.description.as_str()),
            Some("Not tested")
        );
        assert_eq!(load(None).config.factors, None);
    }

    #[test]
    fn bad_targets_are_reported_at_their_line() {
        let l = load(Some(
            b"severities:\n  - {name: P1, targets: {detect: -5}}\nfactors:\n  - {description: x}\npostmortem_due_days: 0\n",
        ));
        let mut lines: Vec<u32> = l.diagnostics.iter().map(|d| d.line).collect();
        lines.sort();
        assert_eq!(lines, vec![2, 4, 5], "{:?}", l.diagnostics);
    }

    #[test]
    fn privacy_is_read_and_checked() {
        let l = load(Some(
            b"privacy:\n  rules: .gitleaks.toml\n  personal_data: error\n  allow_domains: [acme.io]\n",
        ));
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let p = &l.config.privacy;
        assert_eq!(p.rules.as_deref(), Some(".gitleaks.toml"));
        assert_eq!(p.personal_data, PersonalData::Error);
        assert_eq!(p.allow_domains, vec!["acme.io".to_string()]);
        let defaults = load(None).config.privacy;
        assert_eq!(defaults.personal_data, PersonalData::Warning);
        assert_eq!(defaults.allow_domains, vec!["example.com", "example.org"]);
        assert!(defaults.secrets);
        let off = load(Some(
            b"privacy:\n  secrets: false\nsite:\n  visibility: internal\n",
        ));
        assert!(off.diagnostics.is_empty(), "{:?}", off.diagnostics);
        assert!(!off.config.privacy.secrets);
        assert_eq!(off.config.site.visibility, Visibility::Internal);
        assert_eq!(load(None).config.site.visibility, Visibility::Public);
        let bad = load(Some(b"privacy:\n  personal_data: sometimes\n"));
        assert_eq!(bad.diagnostics.len(), 1, "{:?}", bad.diagnostics);
        assert_eq!(
            (bad.diagnostics[0].line, bad.diagnostics[0].column),
            (2, 18)
        );
    }

    #[test]
    fn unknown_key_and_wrong_type_have_lines() {
        let l = load(Some(
            b"title: Acme\nwhy_min: 3\nrunbook_review_days: soon\n",
        ));
        let mut lines: Vec<(u32, u32)> = l.diagnostics.iter().map(|d| (d.line, d.column)).collect();
        lines.sort();
        assert_eq!(lines, vec![(2, 1), (3, 22)], "{:?}", l.diagnostics);
        assert_eq!(l.config.runbook_review_days, 90);
        assert_eq!(l.config.title, "Acme");
    }
}
