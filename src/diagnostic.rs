//! Problems found in user content. They are data, collected from every stage
//! and rendered by `output`; the tool's own failures use `anyhow` instead.

use serde::Serialize;
use std::cmp::Ordering;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub(crate) const START: Pos = Pos { line: 1, column: 1 };

    pub(crate) fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Stable kebab-case codes; SPEC section 5 lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Code {
    FrontMatter,
    Yaml,
    Schema,
    DuplicateId,
    TimeOrder,
    TimelineOrder,
    UnknownRunbook,
    UnknownIncident,
    MissingSection,
    BrokenLink,
    BlameLanguage,
    Encoding,
    Unreadable,
    MisspelledKey,
    Placeholder,
    ClosedOn,
    UnknownFactor,
    OpenWithEvidence,
    ClosedWithoutEvidence,
    EvidenceReverted,
    RecurredAfterFix,
    Secret,
    PersonalData,
    UnknownTeam,
    UnknownContact,
    UnreachedContact,
    DuplicateService,
    UnownedService,
}

/// What hindsight knows about one lint code: the one place its name,
/// default severity, one-line summary and documentation page are written.
/// `lint`, `--explain`, SARIF's rules and the language server read it.
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) code: Code,
    /// The stable kebab-case name.
    pub(crate) name: &'static str,
    /// The severity a diagnostic of this code has unless configuration
    /// (`privacy.personal_data`) or the document (`placeholder` in a
    /// postmortem under review is a warning) changes it.
    pub(crate) default: Severity,
    pub(crate) summary: &'static str,
    /// The page `hindsight lint --explain CODE` prints: what the code
    /// checks, why, an example and the fix (docs/src/codes/<code>.md).
    pub(crate) page: &'static str,
}

/// Every rule, in the order of [`Code`]'s variants.
pub(crate) const RULES: [Rule; 28] = [
    Rule {
        code: Code::FrontMatter,
        name: "front-matter",
        default: Severity::Error,
        summary: "The file has no front matter, or it is not terminated by `---`.",
        page: include_str!("../docs/src/codes/front-matter.md"),
    },
    Rule {
        code: Code::Yaml,
        name: "yaml",
        default: Severity::Error,
        summary: "The front matter is not valid YAML 1.2.",
        page: include_str!("../docs/src/codes/yaml.md"),
    },
    Rule {
        code: Code::Schema,
        name: "schema",
        default: Severity::Error,
        summary: "The front matter breaks a rule of the JSON Schema.",
        page: include_str!("../docs/src/codes/schema.md"),
    },
    Rule {
        code: Code::DuplicateId,
        name: "duplicate-id",
        default: Severity::Error,
        summary: "Two documents of the same kind, or two action items, share an id.",
        page: include_str!("../docs/src/codes/duplicate-id.md"),
    },
    Rule {
        code: Code::TimeOrder,
        name: "time-order",
        default: Severity::Error,
        summary: "started_at <= detected_at <= acknowledged_at <= resolved_at does not hold.",
        page: include_str!("../docs/src/codes/time-order.md"),
    },
    Rule {
        code: Code::TimelineOrder,
        name: "timeline-order",
        default: Severity::Error,
        summary: "Timeline entries are not in chronological order.",
        page: include_str!("../docs/src/codes/timeline-order.md"),
    },
    Rule {
        code: Code::UnknownRunbook,
        name: "unknown-runbook",
        default: Severity::Error,
        summary: "An incident names a runbook id that no runbook has.",
        page: include_str!("../docs/src/codes/unknown-runbook.md"),
    },
    Rule {
        code: Code::UnknownIncident,
        name: "unknown-incident",
        default: Severity::Error,
        summary: "An incident's `related` names an incident id that does not exist.",
        page: include_str!("../docs/src/codes/unknown-incident.md"),
    },
    Rule {
        code: Code::MissingSection,
        name: "missing-section",
        default: Severity::Error,
        summary: "A non-draft postmortem lacks a heading that the configuration requires.",
        page: include_str!("../docs/src/codes/missing-section.md"),
    },
    Rule {
        code: Code::BrokenLink,
        name: "broken-link",
        default: Severity::Error,
        summary: "A relative link or image points at a file that does not exist.",
        page: include_str!("../docs/src/codes/broken-link.md"),
    },
    Rule {
        code: Code::BlameLanguage,
        name: "blame-language",
        default: Severity::Warning,
        summary: "Wording that puts blame on people rather than on systems.",
        page: include_str!("../docs/src/codes/blame-language.md"),
    },
    Rule {
        code: Code::Encoding,
        name: "encoding",
        default: Severity::Error,
        summary: "The file is not valid UTF-8.",
        page: include_str!("../docs/src/codes/encoding.md"),
    },
    Rule {
        code: Code::Unreadable,
        name: "unreadable",
        default: Severity::Error,
        summary: "The file cannot be read (a symlink out of the repository, a loop, permissions).",
        page: include_str!("../docs/src/codes/unreadable.md"),
    },
    Rule {
        code: Code::MisspelledKey,
        name: "misspelled-key",
        default: Severity::Warning,
        summary: "A key the schema does not know is close to one it does: probably a typo.",
        page: include_str!("../docs/src/codes/misspelled-key.md"),
    },
    Rule {
        code: Code::Placeholder,
        name: "placeholder",
        default: Severity::Error,
        summary:
            "Template guidance or a TODO/TBD marker left in a postmortem under review or published.",
        page: include_str!("../docs/src/codes/placeholder.md"),
    },
    Rule {
        code: Code::ClosedOn,
        name: "closed-on",
        default: Severity::Warning,
        summary: "An action item is `done` but has no `closed_on` date.",
        page: include_str!("../docs/src/codes/closed-on.md"),
    },
    Rule {
        code: Code::UnknownFactor,
        name: "unknown-factor",
        default: Severity::Error,
        summary: "An incident's `factors` names a factor that hindsight.yaml does not list.",
        page: include_str!("../docs/src/codes/unknown-factor.md"),
    },
    Rule {
        code: Code::OpenWithEvidence,
        name: "open-with-evidence",
        default: Severity::Warning,
        summary:
            "An action item is `open` but a commit's `Action-Item:` trailer says it did the work.",
        page: include_str!("../docs/src/codes/open-with-evidence.md"),
    },
    Rule {
        code: Code::ClosedWithoutEvidence,
        name: "closed-without-evidence",
        default: Severity::Warning,
        summary: "A `done` action item of a kind in `require_evidence` has no commit and no link.",
        page: include_str!("../docs/src/codes/closed-without-evidence.md"),
    },
    Rule {
        code: Code::EvidenceReverted,
        name: "evidence-reverted",
        default: Severity::Warning,
        summary: "Every commit that did a `done` action item's work was reverted.",
        page: include_str!("../docs/src/codes/evidence-reverted.md"),
    },
    Rule {
        code: Code::RecurredAfterFix,
        name: "recurred-after-fix",
        default: Severity::Warning,
        summary:
            "An incident recurred after an earlier incident's fix and `related` does not list it.",
        page: include_str!("../docs/src/codes/recurred-after-fix.md"),
    },
    Rule {
        code: Code::Secret,
        name: "secret",
        default: Severity::Error,
        summary: "A credential (access key, token, private key, password) in a document.",
        page: include_str!("../docs/src/codes/secret.md"),
    },
    Rule {
        code: Code::PersonalData,
        name: "personal-data",
        default: Severity::Warning,
        summary: "An e-mail address, phone number, public IP address or card number in a document.",
        page: include_str!("../docs/src/codes/personal-data.md"),
    },
    Rule {
        code: Code::UnknownTeam,
        name: "unknown-team",
        default: Severity::Error,
        summary: "A call-tree test names a team id that no team has.",
        page: include_str!("../docs/src/codes/unknown-team.md"),
    },
    Rule {
        code: Code::UnknownContact,
        name: "unknown-contact",
        default: Severity::Error,
        summary: "A team's `calls`, `page` or `lead`, or a call-tree test's `unreached`, names someone not in the call tree.",
        page: include_str!("../docs/src/codes/unknown-contact.md"),
    },
    Rule {
        code: Code::UnreachedContact,
        name: "unreached-contact",
        default: Severity::Error,
        summary: "A call-tree member whom the fan-out from the first entry never reaches.",
        page: include_str!("../docs/src/codes/unreached-contact.md"),
    },
    Rule {
        code: Code::DuplicateService,
        name: "duplicate-service",
        default: Severity::Warning,
        summary: "Two teams claim one service.",
        page: include_str!("../docs/src/codes/duplicate-service.md"),
    },
    Rule {
        code: Code::UnownedService,
        name: "unowned-service",
        default: Severity::Warning,
        summary: "An incident names a service that no team claims.",
        page: include_str!("../docs/src/codes/unowned-service.md"),
    },
];

impl Code {
    /// Every code, in the order of the rule table.
    pub(crate) fn all() -> impl Iterator<Item = Code> {
        RULES.iter().map(|r| r.code)
    }

    pub(crate) fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    pub(crate) fn as_str(self) -> &'static str {
        self.rule().name
    }

    pub(crate) fn description(self) -> &'static str {
        self.rule().summary
    }

    pub(crate) fn parse(name: &str) -> Option<Code> {
        RULES.iter().find(|r| r.name == name).map(|r| r.code)
    }

    /// The page `hindsight lint --explain CODE` prints.
    pub(crate) fn explanation(self) -> &'static str {
        self.rule().page
    }

    /// Where the page is read on the web, for this version.
    pub(crate) fn page_url(self) -> String {
        format!(
            "{}/blob/v{}/docs/src/codes/{}.md",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION"),
            self.as_str()
        )
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Relative to the repository root, with `/` separators.
    pub(crate) file: String,
    pub line: u32,
    pub column: u32,
    pub(crate) severity: Severity,
    pub(crate) code: Code,
    /// JSON pointer into the front matter, where one applies.
    pub(crate) path: Option<String>,
    pub(crate) message: String,
    /// How to fix it; shown by the human output only.
    #[serde(skip)]
    pub(crate) help: Option<String>,
    /// Characters to underline from `column` on the source line (at least 1).
    #[serde(skip)]
    pub(crate) width: u32,
    /// `secret` and `personal-data`: `<file>:<rule>:<hash>`, what
    /// `.hindsightignore` lists to accept the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) fingerprint: Option<String>,
    /// Non-zero for the one entry that stands for this many diagnostics of
    /// its code in its file that are not listed (`check::cap`).
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) omitted: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Diagnostic {
    pub(crate) fn error(file: &str, at: Pos, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: at.line,
            column: at.column,
            severity: Severity::Error,
            code,
            path: None,
            message: message.into(),
            help: None,
            width: 1,
            omitted: 0,
            fingerprint: None,
        }
    }

    pub(crate) fn warning(
        file: &str,
        at: Pos,
        code: Code,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, at, code, message)
        }
    }

    pub(crate) fn with_path(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_fingerprint(mut self, fingerprint: String) -> Diagnostic {
        self.fingerprint = Some(fingerprint);
        self
    }

    pub(crate) fn with_width(mut self, width: u32) -> Diagnostic {
        self.width = width.max(1);
        self
    }

    /// How many diagnostics this entry stands for.
    pub(crate) fn weight(&self) -> usize {
        if self.omitted > 0 {
            self.omitted as usize
        } else {
            1
        }
    }

    fn sort_key(&self) -> (&str, u32, u32, &str, &Option<String>, &str) {
        (
            &self.file,
            self.line,
            self.column,
            self.code.as_str(),
            &self.path,
            &self.message,
        )
    }
}

/// Deterministic order: file, line, column, code (then path and message so
/// that equal positions still sort the same way every run).
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// How many diagnostics of `severity` there are, the unlisted ones that a
/// stand-in counts included.
pub(crate) fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(Diagnostic::weight)
        .sum()
}

impl PartialOrd for Diagnostic {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Diagnostic {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_table_is_in_the_order_of_the_codes() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.code as usize, i, "{}", rule.name);
            assert_eq!(Code::parse(rule.name), Some(rule.code));
            assert!(rule.page.starts_with("# "), "{}", rule.name);
        }
    }
}
