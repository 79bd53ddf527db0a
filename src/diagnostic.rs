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
}

impl Code {
    pub(crate) const ALL: [Code; 23] = [
        Code::FrontMatter,
        Code::Yaml,
        Code::Schema,
        Code::DuplicateId,
        Code::TimeOrder,
        Code::TimelineOrder,
        Code::UnknownRunbook,
        Code::UnknownIncident,
        Code::MissingSection,
        Code::BrokenLink,
        Code::BlameLanguage,
        Code::Encoding,
        Code::Unreadable,
        Code::MisspelledKey,
        Code::Placeholder,
        Code::ClosedOn,
        Code::UnknownFactor,
        Code::OpenWithEvidence,
        Code::ClosedWithoutEvidence,
        Code::EvidenceReverted,
        Code::RecurredAfterFix,
        Code::Secret,
        Code::PersonalData,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::FrontMatter => "front-matter",
            Code::Yaml => "yaml",
            Code::Schema => "schema",
            Code::DuplicateId => "duplicate-id",
            Code::TimeOrder => "time-order",
            Code::TimelineOrder => "timeline-order",
            Code::UnknownRunbook => "unknown-runbook",
            Code::UnknownIncident => "unknown-incident",
            Code::MissingSection => "missing-section",
            Code::BrokenLink => "broken-link",
            Code::BlameLanguage => "blame-language",
            Code::Encoding => "encoding",
            Code::Unreadable => "unreadable",
            Code::MisspelledKey => "misspelled-key",
            Code::Placeholder => "placeholder",
            Code::ClosedOn => "closed-on",
            Code::UnknownFactor => "unknown-factor",
            Code::OpenWithEvidence => "open-with-evidence",
            Code::ClosedWithoutEvidence => "closed-without-evidence",
            Code::EvidenceReverted => "evidence-reverted",
            Code::RecurredAfterFix => "recurred-after-fix",
            Code::Secret => "secret",
            Code::PersonalData => "personal-data",
        }
    }

    pub(crate) fn description(self) -> &'static str {
        match self {
            Code::FrontMatter => "The file has no front matter, or it is not terminated by `---`.",
            Code::Yaml => "The front matter is not valid YAML 1.2.",
            Code::Schema => "The front matter breaks a rule of the JSON Schema.",
            Code::DuplicateId => "Two documents of the same kind, or two action items, share an id.",
            Code::TimeOrder => {
                "started_at <= detected_at <= acknowledged_at <= resolved_at does not hold."
            }
            Code::TimelineOrder => "Timeline entries are not in chronological order.",
            Code::UnknownRunbook => "An incident names a runbook id that no runbook has.",
            Code::UnknownIncident => {
                "An incident's `related` names an incident id that does not exist."
            }
            Code::MissingSection => {
                "A non-draft postmortem lacks a heading that the configuration requires."
            }
            Code::BrokenLink => "A relative link or image points at a file that does not exist.",
            Code::BlameLanguage => "Wording that puts blame on people rather than on systems.",
            Code::Encoding => "The file is not valid UTF-8.",
            Code::UnknownFactor => {
                "An incident's `factors` names a factor that hindsight.yaml does not list."
            }
            Code::Unreadable => {
                "The file cannot be read (a symlink out of the repository, a loop, permissions)."
            }
            Code::MisspelledKey => "A key the schema does not know is close to one it does: probably a typo.",
            Code::Placeholder => {
                "Template guidance or a TODO/TBD marker left in a postmortem under review or published."
            }
            Code::ClosedOn => "An action item is `done` but has no `closed_on` date.",
            Code::OpenWithEvidence => "An action item is `open` but a commit's `Action-Item:` trailer says it did the work.",
            Code::ClosedWithoutEvidence => {
                "A `done` action item of a kind in `require_evidence` has no commit and no link."
            }
            Code::EvidenceReverted => "Every commit that did a `done` action item's work was reverted.",
            Code::RecurredAfterFix => {
                "An incident recurred after an earlier incident's fix and `related` does not list it."
            }
            Code::Secret => "A credential (access key, token, private key, password) in a document.",
            Code::PersonalData => {
                "An e-mail address, phone number, public IP address or card number in a document."
            }
        }
    }
}

impl Code {
    pub(crate) fn parse(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The page `hindsight lint --explain CODE` prints: what the code
    /// checks, why, an example and the fix (docs/src/codes/<code>.md).
    pub(crate) fn explanation(self) -> &'static str {
        match self {
            Code::FrontMatter => include_str!("../docs/src/codes/front-matter.md"),
            Code::Yaml => include_str!("../docs/src/codes/yaml.md"),
            Code::Schema => include_str!("../docs/src/codes/schema.md"),
            Code::DuplicateId => include_str!("../docs/src/codes/duplicate-id.md"),
            Code::TimeOrder => include_str!("../docs/src/codes/time-order.md"),
            Code::TimelineOrder => include_str!("../docs/src/codes/timeline-order.md"),
            Code::UnknownRunbook => include_str!("../docs/src/codes/unknown-runbook.md"),
            Code::UnknownIncident => include_str!("../docs/src/codes/unknown-incident.md"),
            Code::MissingSection => include_str!("../docs/src/codes/missing-section.md"),
            Code::BrokenLink => include_str!("../docs/src/codes/broken-link.md"),
            Code::BlameLanguage => include_str!("../docs/src/codes/blame-language.md"),
            Code::Encoding => include_str!("../docs/src/codes/encoding.md"),
            Code::Unreadable => include_str!("../docs/src/codes/unreadable.md"),
            Code::MisspelledKey => include_str!("../docs/src/codes/misspelled-key.md"),
            Code::Placeholder => include_str!("../docs/src/codes/placeholder.md"),
            Code::ClosedOn => include_str!("../docs/src/codes/closed-on.md"),
            Code::UnknownFactor => include_str!("../docs/src/codes/unknown-factor.md"),
            Code::OpenWithEvidence => include_str!("../docs/src/codes/open-with-evidence.md"),
            Code::ClosedWithoutEvidence => {
                include_str!("../docs/src/codes/closed-without-evidence.md")
            }
            Code::EvidenceReverted => include_str!("../docs/src/codes/evidence-reverted.md"),
            Code::RecurredAfterFix => include_str!("../docs/src/codes/recurred-after-fix.md"),
            Code::Secret => include_str!("../docs/src/codes/secret.md"),
            Code::PersonalData => include_str!("../docs/src/codes/personal-data.md"),
        }
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
